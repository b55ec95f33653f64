/* The run colours: the same hue in both themes, readable on the heat map, and every pair that
 * shares a marker shape told apart under normal vision and simulated protanopia,
 * deuteranopia and tritanopia. tests/tools/design_palette.py searched for them this way. */
#include <math.h>

#include "check.h"

#include "../src/render/theme.h"

#define MIN_DE00 10.0     /* CIEDE2000 between runs that share a style, in every vision */
#define MIN_CONTRAST 3.0  /* WCAG, against the heat map's middle colour */
#define MAX_HUE_SHIFT 12.0 /* degrees of CIE LCh hue between a run's dark and light colour */
#define MIN_DE00_MARKS 10.0 /* against the minimum's cross and the dot's edge, normal vision */
#define PI 3.14159265358979323846

enum { VISION_NORMAL, VISION_PROTAN, VISION_DEUTAN, VISION_TRITAN, VISIONS };
static const char *const vision_name[VISIONS] = { "normal", "protanopia", "deuteranopia", "tritanopia" };

/* Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB. */
static const double machado[VISIONS][3][3] = {
    [VISION_NORMAL] = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } },
    [VISION_PROTAN] = { { 0.152286, 1.052583, -0.204868 }, { 0.114503, 0.786281, 0.099216 }, { -0.003882, -0.048116, 1.051998 } },
    [VISION_DEUTAN] = { { 0.367322, 0.860646, -0.227968 }, { 0.280085, 0.672501, 0.047413 }, { -0.011820, 0.042940, 0.968881 } },
    [VISION_TRITAN] = { { 1.255528, -0.076749, -0.178779 }, { -0.078411, 0.930809, 0.147602 }, { 0.004733, -0.691367, 1.687626 } },
};

typedef struct {
    double l, a, b;
} Lab;

static double to_linear(unsigned char c)
{
    const double v = c / 255.0;
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double lab_f(double t)
{
    return t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116;
}

/* Linear sRGB to XYZ (D65) to CIELAB, white point D65. */
static Lab lab_of_linear(const double rgb[3])
{
    const double x = (0.4124564 * rgb[0] + 0.3575761 * rgb[1] + 0.1804375 * rgb[2]) / 0.95047;
    const double y = 0.2126729 * rgb[0] + 0.7151522 * rgb[1] + 0.0721750 * rgb[2];
    const double z = (0.0193339 * rgb[0] + 0.1191920 * rgb[1] + 0.9503041 * rgb[2]) / 1.08883;
    const double fx = lab_f(x), fy = lab_f(y), fz = lab_f(z);
    return (Lab){ 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz) };
}

/* How c looks to the given vision, as CIELAB; the simulated colour is clipped to the gamut. */
static Lab seen(Rgba c, int vision)
{
    const double lin[3] = { to_linear(c.r), to_linear(c.g), to_linear(c.b) };
    double sim[3];
    for (int i = 0; i < 3; i++) {
        const double v = machado[vision][i][0] * lin[0] + machado[vision][i][1] * lin[1] + machado[vision][i][2] * lin[2];
        sim[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    return lab_of_linear(sim);
}

static double deg(double rad)
{
    return rad * 180 / PI;
}

static double rad(double deg)
{
    return deg * PI / 180;
}

static double hue_deg(double b, double a)
{
    if (a == 0 && b == 0)
        return 0;
    const double h = deg(atan2(b, a));
    return h < 0 ? h + 360 : h;
}

/* CIEDE2000 as Sharma, Wu & Dalal (2005) write it, kL = kC = kH = 1. */
static double de2000(Lab p, Lab q)
{
    const double c1 = hypot(p.a, p.b), c2 = hypot(q.a, q.b);
    const double cm7 = pow((c1 + c2) / 2, 7);
    const double g = 0.5 * (1 - sqrt(cm7 / (cm7 + pow(25, 7))));
    const double a1 = p.a * (1 + g), a2 = q.a * (1 + g);
    const double c1p = hypot(a1, p.b), c2p = hypot(a2, q.b);
    const double h1 = hue_deg(p.b, a1), h2 = hue_deg(q.b, a2);
    const int chromatic = c1p * c2p != 0;
    double dh = 0, hm = h1 + h2;
    if (chromatic) {
        dh = h2 - h1;
        dh = dh > 180 ? dh - 360 : dh < -180 ? dh + 360 : dh;
        hm = fabs(h1 - h2) <= 180 ? (h1 + h2) / 2 : h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
    }
    const double dl = q.l - p.l, dc = c2p - c1p;
    const double dhh = 2 * sqrt(c1p * c2p) * sin(rad(dh / 2));
    const double lm = (p.l + q.l) / 2, cm = (c1p + c2p) / 2;
    const double t = 1 - 0.17 * cos(rad(hm - 30)) + 0.24 * cos(rad(2 * hm)) + 0.32 * cos(rad(3 * hm + 6)) -
                     0.20 * cos(rad(4 * hm - 63));
    const double dtheta = 30 * exp(-pow((hm - 275) / 25, 2));
    const double rc = 2 * sqrt(pow(cm, 7) / (pow(cm, 7) + pow(25, 7)));
    const double sl = 1 + 0.015 * (lm - 50) * (lm - 50) / sqrt(20 + (lm - 50) * (lm - 50));
    const double sc = 1 + 0.045 * cm, sh = 1 + 0.015 * cm * t;
    const double rt = -sin(rad(2 * dtheta)) * rc;
    const double x = dl / sl, y = dc / sc, z = dhh / sh;
    return sqrt(x * x + y * y + z * z + rt * y * z);
}

/* The published test pairs (Sharma et al. 2005, table 1), rows 1-13, 17-20, 24-25. */
static void check_de2000(void)
{
    static const struct {
        Lab p, q;
        double de;
    } pairs[] = {
        { { 50, 2.6772, -79.7751 }, { 50, 0, -82.7485 }, 2.0425 },
        { { 50, 3.1571, -77.2803 }, { 50, 0, -82.7485 }, 2.8615 },
        { { 50, 2.8361, -74.0200 }, { 50, 0, -82.7485 }, 3.4412 },
        { { 50, -1.3802, -84.2814 }, { 50, 0, -82.7485 }, 1.0000 },
        { { 50, -1.1848, -84.8006 }, { 50, 0, -82.7485 }, 1.0000 },
        { { 50, -0.9009, -85.5211 }, { 50, 0, -82.7485 }, 1.0000 },
        { { 50, 0, 0 }, { 50, -1, 2 }, 2.3669 },
        { { 50, -1, 2 }, { 50, 0, 0 }, 2.3669 },
        { { 50, 2.4900, -0.0010 }, { 50, -2.4900, 0.0009 }, 7.1792 },
        { { 50, 2.4900, -0.0010 }, { 50, -2.4900, 0.0010 }, 7.1792 },
        { { 50, 2.4900, -0.0010 }, { 50, -2.4900, 0.0011 }, 7.2195 },
        { { 50, 2.4900, -0.0010 }, { 50, -2.4900, 0.0012 }, 7.2195 },
        { { 50, -0.0010, 2.4900 }, { 50, 0.0009, -2.4900 }, 4.8045 },
        { { 50, 2.5, 0 }, { 73, 25, -18 }, 27.1492 },
        { { 50, 2.5, 0 }, { 61, -5, 29 }, 22.8977 },
        { { 50, 2.5, 0 }, { 56, -27, -3 }, 31.9030 },
        { { 50, 2.5, 0 }, { 58, 24, 15 }, 19.4535 },
        { { 60.2574, -34.0099, 36.2677 }, { 60.4626, -34.1751, 39.4387 }, 1.2644 },
        { { 63.0109, -31.0961, -5.8663 }, { 62.8187, -29.7946, -4.0864 }, 1.2630 },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const double de = de2000(pairs[i].p, pairs[i].q);
        CHECK(fabs(de - pairs[i].de) < 1e-4, "Sharma pair %zu: dE00 %.5f, published %.4f", i + 1, de, pairs[i].de);
    }
}

/* WCAG 2 relative luminance and contrast ratio. */
static double luminance(Rgba c)
{
    return 0.2126 * to_linear(c.r) + 0.7152 * to_linear(c.g) + 0.0722 * to_linear(c.b);
}

static double contrast(Rgba a, Rgba b)
{
    const double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The heat map's middle colour, mixed as draw.c mixes it. */
static Rgba heat_middle(const Palette *pal)
{
    const Rgba c = theme_colormap(0.5), w = pal->heat_toward;
    const double t = pal->heat_mix;
    return (Rgba){ (unsigned char)(c.r + (w.r - c.r) * t + 0.5), (unsigned char)(c.g + (w.g - c.g) * t + 0.5),
                   (unsigned char)(c.b + (w.b - c.b) * t + 0.5), 255 };
}

/* The smallest dE00 between a and b over the four visions; *vision says where. */
static double worst_de(Rgba a, Rgba b, int *vision)
{
    double worst = INFINITY;
    for (int v = 0; v < VISIONS; v++) {
        const double de = de2000(seen(a, v), seen(b, v));
        if (de < worst)
            worst = de, *vision = v;
    }
    return worst;
}

static int same_style(int i, int j)
{
    return theme_run_style[i].mark == theme_run_style[j].mark;
}

/* The rule must be able to fail: a red and a green that deuteranopes confuse. */
static void check_rule_fails_on_bad_pair(void)
{
    const Rgba red = { 230, 0, 0, 255 }, green = { 0, 160, 0, 255 };
    int v;
    const double de = worst_de(red, green, &v);
    CHECK(de < MIN_DE00 && v == VISION_DEUTAN, "red/green: worst dE00 %.2f (%s) should fail under deuteranopia", de,
          vision_name[v]);
    CHECK(de2000(seen(red, VISION_NORMAL), seen(green, VISION_NORMAL)) > 50, "red/green differ to normal vision");
}

static void check_theme(Theme theme, const char *name)
{
    const Palette *pal = theme_palette(theme);
    const Rgba mid = heat_middle(pal);
    for (int i = 0; i < SIM_MAX_RUNS; i++) {
        const Rgba c = pal->runs[i];
        CHECK(c.a == 255, "%s run %d is opaque", name, i);
        CHECK(contrast(c, mid) >= MIN_CONTRAST, "%s run %d: contrast %.2f against the heat map's middle", name, i,
              contrast(c, mid));
        const Lab normal = seen(c, VISION_NORMAL);
        const double to_min = de2000(normal, seen(pal->minimum, VISION_NORMAL));
        const double to_edge = de2000(normal, seen(pal->marker_edge, VISION_NORMAL));
        CHECK(to_min >= MIN_DE00_MARKS && to_edge >= MIN_DE00_MARKS,
              "%s run %d: dE00 %.1f to the minimum's colour, %.1f to the dot's edge", name, i, to_min, to_edge);
        for (int j = 0; j < i; j++) {
            if (!same_style(i, j))
                continue;
            int v;
            const double de = worst_de(c, pal->runs[j], &v);
            CHECK(de >= MIN_DE00, "%s runs %d and %d share a style but dE00 is %.2f under %s", name, j, i, de,
                  vision_name[v]);
        }
    }
}

static void check_same_hue(void)
{
    const Palette *dark = theme_palette(THEME_DARK), *light = theme_palette(THEME_LIGHT);
    for (int i = 0; i < SIM_MAX_RUNS; i++) {
        const Lab d = seen(dark->runs[i], VISION_NORMAL), l = seen(light->runs[i], VISION_NORMAL);
        double shift = fabs(hue_deg(d.b, d.a) - hue_deg(l.b, l.a));
        shift = shift > 180 ? 360 - shift : shift;
        CHECK(shift <= MAX_HUE_SHIFT, "run %d: hue %.1f in dark, %.1f in light", i, hue_deg(d.b, d.a), hue_deg(l.b, l.a));
    }
}

void test_palette(void)
{
    check_de2000();
    check_rule_fails_on_bad_pair();
    check_theme(THEME_DARK, "dark");
    check_theme(THEME_LIGHT, "light");
    check_same_hue();
}
