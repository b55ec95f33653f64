/* Palettes for the dark and light themes, and the heat map's colormap. */
#include "theme.h"

/* Okabe & Ito's colour-blind-safe set, in their order, with a grey for a ninth run. */
#define ORANGE { 230, 159, 0, 255 }
#define SKY_BLUE { 86, 180, 233, 255 }
#define BLUISH_GREEN { 0, 158, 115, 255 }
#define YELLOW { 240, 228, 66, 255 }
#define BLUE { 0, 114, 178, 255 }
#define VERMILLION { 213, 94, 0, 255 }
#define REDDISH_PURPLE { 204, 121, 167, 255 }
#define GREY { 150, 150, 150, 255 }

static const Palette dark = {
    .background = { 20, 22, 28, 255 },
    .text = { 240, 242, 245, 255 },
    .text_dim = { 178, 184, 194, 255 },
    .panel = { 16, 18, 24, 222 },
    .panel_edge = { 90, 96, 110, 255 },
    .selection = { 255, 255, 255, 34 },
    .axis = { 150, 156, 168, 255 },
    .isoline = { 255, 255, 255, 70 },
    .arrow = { 255, 255, 255, 120 },
    .minimum = { 255, 255, 255, 255 },
    .marker_edge = { 10, 10, 14, 255 },
    .badge = { 213, 94, 0, 255 },
    .badge_text = { 255, 255, 255, 255 },
    .message = { 0, 0, 0, 200 },
    /* Their black would vanish on the dark map: white takes its place. */
    .runs = { ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE, { 245, 245, 245, 255 }, GREY },
    .heat_toward = { 20, 22, 28, 255 },
    .heat_mix = 0.42,
};

static const Palette light = {
    .background = { 255, 255, 255, 255 },
    .text = { 20, 22, 28, 255 },
    .text_dim = { 80, 86, 98, 255 },
    .panel = { 255, 255, 255, 230 },
    .panel_edge = { 150, 156, 168, 255 },
    .selection = { 0, 0, 0, 26 },
    .axis = { 60, 64, 74, 255 },
    .isoline = { 0, 0, 0, 60 },
    .arrow = { 0, 0, 0, 110 },
    .minimum = { 0, 0, 0, 255 },
    .marker_edge = { 255, 255, 255, 255 },
    .badge = { 213, 94, 0, 255 },
    .badge_text = { 255, 255, 255, 255 },
    .message = { 20, 22, 28, 215 },
    /* Yellow barely reads on white (Okabe & Ito say so themselves): it moves to the end. */
    .runs = { ORANGE, SKY_BLUE, BLUISH_GREEN, BLUE, VERMILLION, REDDISH_PURPLE, { 0, 0, 0, 255 }, YELLOW, GREY },
    .heat_toward = { 255, 255, 255, 255 },
    .heat_mix = 0.55,
};

const RunStyle theme_run_style[SIM_MAX_RUNS] = {
    [8] = { .line = RUN_DASHED, .mark = MARK_SQUARE },
};

const Palette *theme_palette(Theme theme)
{
    return theme == THEME_LIGHT ? &light : &dark;
}

/* matplotlib's viridis (public domain) at 17 even stops; linear interpolation between
 * them stays within 2% of the full map. */
static const unsigned char viridis[17][3] = {
    { 68, 1, 84 },    { 72, 24, 106 },  { 71, 45, 123 },  { 66, 64, 134 },  { 59, 82, 139 },  { 51, 99, 141 },
    { 44, 114, 142 }, { 38, 130, 142 }, { 33, 145, 140 }, { 31, 160, 136 }, { 40, 174, 128 }, { 63, 188, 115 },
    { 94, 201, 98 },  { 132, 212, 75 }, { 173, 220, 48 }, { 216, 226, 25 }, { 253, 231, 37 },
};

Rgba theme_colormap(double t)
{
    if (!(t > 0))
        t = 0;
    if (t > 1)
        t = 1;
    const double pos = t * 16;
    int i = (int)pos;
    if (i > 15)
        i = 15;
    const double f = pos - i;
    Rgba c = { 0, 0, 0, 255 };
    unsigned char *out[3] = { &c.r, &c.g, &c.b };
    for (int k = 0; k < 3; k++)
        *out[k] = (unsigned char)(viridis[i][k] + (viridis[i + 1][k] - viridis[i][k]) * f + 0.5);
    return c;
}
