/* Headless screenshots as pictures: size, a real heat map, each run's colour where the
 * core says its point is, legend text that follows the lr, themes, and the shipped scenes. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pngio.h"
#include "proc.h"

#define SHOT_DIR "build/test-shots"

typedef struct {
    int w, h;
    uint32_t *px;
} Image;

static int shoot(const char *args, const char *name, Image *img)
{
    char line[1024];
    snprintf(line, sizeof line, "--headless %s --screenshot " SHOT_DIR "/%s.png --dump-state " SHOT_DIR "/%s.json",
             args, name, name);
    ProcResult r;
    proc_run_line(line, 60, &r);
    const int ok = r.status == 0;
    CHECK(ok, "%s: exit %d: %s", name, r.status, r.err);
    proc_free(&r);
    img->px = NULL;
    if (!ok)
        return -1;
    char path[256];
    snprintf(path, sizeof path, SHOT_DIR "/%s.png", name);
    const int read = pngio_read(path, &img->w, &img->h, &img->px);
    CHECK(read == 0, "%s: unreadable PNG", path);
    return read;
}

/* The n-th number after the k-th occurrence of "key": in a JSON text. */
static double json_num(const char *json, const char *key, int k, int n)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = json;
    for (int i = 0; i <= k && p; i++) {
        p = strstr(p, pat);
        if (p && i < k)
            p++;
    }
    if (!p)
        return NAN;
    p += strlen(pat);
    if (*p == '[')
        p++;
    for (int i = 0; i < n; i++)
        p = strchr(p, ',') + 1;
    return strtod(p, NULL);
}

static int channel(uint32_t px, int shift)
{
    return (int)(px >> shift) & 0xff;
}

static int colour_near(uint32_t px, int r, int g, int b, int tol)
{
    return abs(channel(px, 16) - r) <= tol && abs(channel(px, 8) - g) <= tol && abs(channel(px, 0) - b) <= tol;
}

static int distinct_colours(const Image *img)
{
    const size_t n = (size_t)img->w * (size_t)img->h;
    unsigned char *seen = calloc(1u << 21, 1); /* one bit per 24-bit colour */
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        const uint32_t c = img->px[i] & 0xffffff;
        if (!(seen[c >> 3] & (1u << (c & 7)))) {
            seen[c >> 3] |= (unsigned char)(1u << (c & 7));
            count++;
        }
    }
    free(seen);
    return count;
}

static double luminance(const Image *img)
{
    double sum = 0;
    const size_t n = (size_t)img->w * (size_t)img->h;
    for (size_t i = 0; i < n; i++)
        sum += 0.2126 * channel(img->px[i], 16) + 0.7152 * channel(img->px[i], 8) + 0.0722 * channel(img->px[i], 0);
    return sum / (double)n;
}

/* Run colours, dark theme (src/render/theme.c). */
static const int run_rgb[4][3] = { { 233, 154, 131 }, { 185, 219, 252 }, { 215, 133, 249 }, { 230, 161, 5 } };

static void check_runs_where_core_says(void)
{
    Image img;
    const char *args = "--size 900x600 --steps 60 --function quadratic:a=1,b=4 --start -4,2.5 "
                       "--optimizer sgd:lr=0.01 --optimizer sgd:lr=0.03 --optimizer sgd:lr=0.1";
    if (shoot(args, "runs", &img) < 0)
        return;
    CHECK(img.w == 900 && img.h == 600, "size %dx%d, asked 900x600", img.w, img.h);
    CHECK(distinct_colours(&img) > 2000, "a heat map has thousands of colours: %d", distinct_colours(&img));
    char *json = proc_read_file(SHOT_DIR "/runs.json");
    CHECK(json != NULL, "state dump written");
    if (json) {
        const double x0 = json_num(json, "view", 0, 0), x1 = json_num(json, "view", 0, 1);
        const double y0 = json_num(json, "view", 0, 2), y1 = json_num(json, "view", 0, 3);
        const double px = json_num(json, "map_pixels", 0, 0), py = json_num(json, "map_pixels", 0, 1);
        const double pw = json_num(json, "map_pixels", 0, 2), ph = json_num(json, "map_pixels", 0, 3);
        for (int i = 0; i < 3; i++) {
            const double x = json_num(json, "x", i, 0), y = json_num(json, "y", i, 0);
            const int sx = (int)floor(px + (x - x0) / (x1 - x0) * pw), sy = (int)floor(py + (y1 - y) / (y1 - y0) * ph);
            const int inside = sx >= 0 && sy >= 0 && sx < img.w && sy < img.h;
            const uint32_t c = inside ? img.px[(size_t)sy * (size_t)img.w + (size_t)sx] : 0;
            CHECK(inside && colour_near(c, run_rgb[i][0], run_rgb[i][1], run_rgb[i][2], 2),
                  "run %d at (%g, %g) -> pixel (%d, %d) is %06x, expected its colour", i, x, y, sx, sy, c & 0xffffff);
        }
        free(json);
    }
    free(img.px);
}

/* Bright text pixels inside the legend box (top right of the map, on the dark theme). */
static long legend_text_pixels(const Image *img, uint32_t **crop, int *cw, int *ch)
{
    const int x0 = img->w * 2 / 3, y0 = 0, w = img->w - x0, h = img->h / 3;
    long n = 0;
    *crop = malloc((size_t)w * (size_t)h * sizeof **crop);
    *cw = w, *ch = h;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            const uint32_t c = img->px[(size_t)(y0 + y) * (size_t)img->w + (size_t)(x0 + x)];
            (*crop)[(size_t)y * (size_t)w + (size_t)x] = c;
            n += channel(c, 16) > 200 && channel(c, 8) > 200 && channel(c, 0) > 200;
        }
    }
    return n;
}

static void check_legend(void)
{
    Image a, b;
    const char *common = "--size 1000x640 --steps 20 --function booth";
    char args[256];
    snprintf(args, sizeof args, "%s --optimizer adam:lr=0.1", common);
    if (shoot(args, "legend-a", &a) < 0)
        return;
    snprintf(args, sizeof args, "%s --optimizer adam:lr=0.7", common);
    if (shoot(args, "legend-b", &b) < 0) {
        free(a.px);
        return;
    }
    uint32_t *ca, *cb;
    int w, h;
    const long na = legend_text_pixels(&a, &ca, &w, &h), nb = legend_text_pixels(&b, &cb, &w, &h);
    CHECK(na > 150 && nb > 150, "legend text present: %ld and %ld bright pixels", na, nb);
    CHECK(memcmp(ca, cb, (size_t)w * (size_t)h * sizeof *ca) != 0, "the legend differs when the lr differs");
    free(ca);
    free(cb);
    free(a.px);
    free(b.px);
}

static void check_themes(void)
{
    Image dark, light;
    if (shoot("--size 640x400 --steps 10 --theme dark", "dark", &dark) < 0)
        return;
    if (shoot("--size 640x400 --steps 10 --theme light", "light", &light) == 0) {
        const double ld = luminance(&dark), ll = luminance(&light);
        CHECK(ld < 90 && ll > 170, "dark theme is dark (%.0f), light theme is light (%.0f)", ld, ll);
        CHECK(colour_near(light.px[0], 255, 255, 255, 0) && channel(dark.px[0], 16) < 40,
              "backgrounds: light %06x, dark %06x", light.px[0] & 0xffffff, dark.px[0] & 0xffffff);
        free(light.px);
    }
    free(dark.px);
}

static void check_scale(void)
{
    Image img;
    if (shoot("--size 400x300 --scale 2 --steps 5", "scaled", &img) == 0) {
        CHECK(img.w == 800 && img.h == 600, "--scale 2 doubles the pixels: %dx%d", img.w, img.h);
        free(img.px);
    }
}

static void check_scenes(void)
{
    DIR *dir = opendir("assets/scenes");
    CHECK(dir != NULL, "assets/scenes exists");
    if (!dir)
        return;
    int n = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        const size_t len = strlen(e->d_name);
        if (len < 7 || strcmp(e->d_name + len - 6, ".scene") != 0)
            continue;
        char args[512], name[128];
        snprintf(args, sizeof args, "--scene assets/scenes/%s --steps 150 --size 960x600", e->d_name);
        snprintf(name, sizeof name, "scene-%.*s", (int)(len - 6), e->d_name);
        Image img;
        if (shoot(args, name, &img) == 0) {
            CHECK(distinct_colours(&img) > 1000, "%s renders a real picture", e->d_name);
            free(img.px);
        }
        n++;
    }
    closedir(dir);
    CHECK(n >= 6, "at least six shipped scenes, found %d", n);
}

/* Views from 1e-12 to 1e12 wide, far from the origin, and functions whose values run into
 * the millions or fall without bound: a real heat map, no hang, no crash. */
static void check_extreme_views(void)
{
    const char *cases[][2] = {
        { "--function quadratic:angle=30 --view -5e-13,5e-13,-5e-13,5e-13", "tiny" },
        { "--function rosenbrock --view 0.99999999995,1.00000000005,0.99999999995,1.00000000005", "tiny-far" },
        { "--function saddle --view -5e11,5e11,-5e11,5e11", "huge" },
        { "--function goldstein_price --view -5e11,5e11,-5e11,5e11", "overflow" },
        { "--function goldstein_price", "millions" },
        { "--function styblinski_tang --view 1e14,1.00001e14,0,1e9", "far" },
        { "--function saddle --start 0.5,0.01 --optimizer sgd:lr=0.3", "falling" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[256], name[32];
        snprintf(args, sizeof args, "--size 640x400 --steps 100 %s", cases[i][0]);
        snprintf(name, sizeof name, "extreme-%s", cases[i][1]);
        Image img;
        if (shoot(args, name, &img) == 0) {
            const int n = distinct_colours(&img);
            CHECK(n > 300, "%s: a sensible heat map has many colours, got %d", name, n);
            free(img.px);
        }
    }
}

/* sgd at lr=1 explodes on Rosenbrock: its legend row carries the vermillion DIVERGED badge. */
static void check_badge(void)
{
    Image img;
    if (shoot("--size 900x600 --steps 50 --optimizer sgd:lr=1 --optimizer adam:lr=0.05", "badge", &img) < 0)
        return;
    long badge = 0;
    for (int y = 0; y < img.h / 3; y++)
        for (int x = img.w / 2; x < img.w; x++)
            badge += colour_near(img.px[(size_t)y * (size_t)img.w + (size_t)x], 213, 94, 0, 1);
    CHECK(badge > 200, "DIVERGED badge pixels in the legend: %ld", badge);
    char *json = proc_read_file(SHOT_DIR "/badge.json");
    CHECK(json && strstr(json, "\"diverged\": true") && strstr(json, "\"diverged\": false"),
          "one run diverged, the other did not");
    free(json);
    free(img.px);
}

/* Eight runs for a million steps: peak memory stays under 100 MB and does not grow after warm-up. */
static void check_soak(void)
{
    const char *runs = "--optimizer sgd:lr=0.001 --optimizer sgd:lr=0.001,momentum=0.9 --optimizer rmsprop:lr=0.01 "
                       "--optimizer adam:lr=0.05 --optimizer adagrad:lr=0.5 --optimizer nadam:lr=0.01 "
                       "--optimizer radam:lr=0.01 --optimizer sgd:lr=0.002 --noise 0.5";
    long rss[2] = { 0, 0 };
    const char *steps[2] = { "100000", "1000000" };
    for (int k = 0; k < 2; k++) {
        char line[768];
        snprintf(line, sizeof line, "--headless --steps %s %s --screenshot " SHOT_DIR "/soak.png", steps[k], runs);
        ProcResult r;
        proc_run_line(line, 120, &r);
        CHECK(r.status == 0, "soak %s steps: exit %d %s", steps[k], r.status, r.err);
        rss[k] = r.max_rss_kb;
        proc_free(&r);
    }
#ifndef __SANITIZE_ADDRESS__ /* AddressSanitizer's shadow memory and quarantine come on top */
    CHECK(rss[1] < 100 * 1024, "peak memory after a million steps: %ld kB", rss[1]);
#endif
    CHECK(rss[1] - rss[0] < 4 * 1024, "memory flat after warm-up: %ld kB at 1e5 steps, %ld kB at 1e6", rss[0], rss[1]);
}

void test_shot(void)
{
    if (system("mkdir -p " SHOT_DIR) != 0) {
        CHECK(0, "cannot create " SHOT_DIR);
        return;
    }
    check_runs_where_core_says();
    check_legend();
    check_themes();
    check_scale();
    check_scenes();
    check_extreme_views();
    check_badge();
    check_soak();
}
