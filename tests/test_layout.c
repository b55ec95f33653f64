/* The layout, through the real program's state dump: over a matrix of classroom sizes,
 * font scales, run counts and panels, no two boxes overlap, none leaves the picture, the
 * start and every run's point lie on the map, and on wide pictures with classroom text the
 * map keeps at least half the picture. Also: the README's key table is `--keys`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "layout_check.h"
#include "proc.h"

#define MAX_BOXES 24

typedef struct {
    char name[24];
    double b[4];
} Box;

/* The "layout" object of the dump: its boxes by name. */
static int read_layout(const char *json, Box *boxes)
{
    const char *p = strstr(json, "\"layout\": {");
    if (!p)
        return -1;
    p += strlen("\"layout\": {");
    int n = 0;
    while (n < MAX_BOXES && *p == '"') {
        const char *end = strchr(p + 1, '"');
        if (!end || end - p - 1 >= (long)sizeof boxes[n].name)
            return -1;
        memcpy(boxes[n].name, p + 1, (size_t)(end - p - 1));
        boxes[n].name[end - p - 1] = '\0';
        if (sscanf(end, "\": [%lf, %lf, %lf, %lf]", &boxes[n].b[0], &boxes[n].b[1], &boxes[n].b[2], &boxes[n].b[3]) != 4)
            return -1;
        p = strchr(end, ']');
        if (!p)
            return -1;
        p++;
        n++;
        if (strncmp(p, ", ", 2) == 0)
            p += 2;
    }
    return n;
}

static const Box *find_box(const Box *boxes, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(boxes[i].name, name) == 0)
            return &boxes[i];
    return NULL;
}

static int meet(const double *a, const double *b)
{
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

/* Numbers after "key": in the dump, from `from` on; returns how many were read. */
static int numbers_after(const char *from, const char *key, double *v, int n)
{
    const char *p = strstr(from, key);
    if (!p)
        return 0;
    p += strlen(key);
    int i = 0;
    for (char *end; i < n; i++) {
        while (*p == ' ' || *p == '[' || *p == ',')
            p++;
        v[i] = strtod(p, &end);
        if (end == p)
            break;
        p = end;
    }
    return i;
}

const char *const layout_optimizers[] = {
    "sgd:lr=0.001", "sgd:lr=0.001,momentum=0.9,label=momentum", "adam:lr=0.05", "rmsprop:lr=0.01",
    "adagrad:lr=0.5", "adamw:lr=0.05,label=a-rather-long-label-for-adamw", "nadam:lr=0.02", "radam:lr=0.01",
    "adamax:lr=0.05",
};

/* The picture's points: start, and each live run's point, inside the map box. */
static void check_points(const char *json, const double *map, const char *what)
{
    double view[4], start[2];
    if (numbers_after(json, "\"view\": ", view, 4) != 4 || numbers_after(json, "\"start\": ", start, 2) != 2) {
        CHECK(0, "%s: no view or start in the dump", what);
        return;
    }
    const double sx = map[0] + (start[0] - view[0]) / (view[1] - view[0]) * map[2];
    const double sy = map[1] + (view[3] - start[1]) / (view[3] - view[2]) * map[3];
    CHECK(sx >= map[0] && sx <= map[0] + map[2] && sy >= map[1] && sy <= map[1] + map[3],
          "%s: the start lies at (%.1f, %.1f), off the map [%g %g %g %g]", what, sx, sy, map[0], map[1], map[2],
          map[3]);
    for (const char *p = strstr(json, "\"runs\""); p && (p = strstr(p, "\"step\": ")) != NULL; p++) {
        double xy[2];
        if (numbers_after(p, "\"x\": ", xy, 1) != 1 || numbers_after(p, "\"y\": ", xy + 1, 1) != 1)
            break;
        const char *div = strstr(p, "\"diverged\": ");
        if (div && strncmp(div + 12, "true", 4) == 0)
            continue;
        const double x = map[0] + (xy[0] - view[0]) / (view[1] - view[0]) * map[2];
        const double y = map[1] + (view[3] - xy[1]) / (view[3] - view[2]) * map[3];
        CHECK(x >= map[0] - 0.5 && x <= map[0] + map[2] + 0.5 && y >= map[1] - 0.5 && y <= map[1] + map[3] + 0.5,
              "%s: a run's point lies at (%.1f, %.1f), off the map", what, x, y);
    }
}

void layout_check_dump(const char *json, int w, int h, double font, int runs, const char *what)
{
    Box boxes[MAX_BOXES];
    const int nb = read_layout(json, boxes);
    CHECK(nb > 0, "%s: no layout in the dump", what);
    if (nb <= 0)
        return;
    for (int i = 0; i < nb; i++) {
        const double *b = boxes[i].b;
        CHECK(b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= w && b[1] + b[3] <= h && b[2] > 0 && b[3] > 0,
              "%s: %s [%g %g %g %g] leaves the picture", what, boxes[i].name, b[0], b[1], b[2], b[3]);
        for (int j = i + 1; j < nb; j++)
            CHECK(!meet(b, boxes[j].b), "%s: %s [%g %g %g %g] overlaps %s [%g %g %g %g]", what, boxes[i].name, b[0],
                  b[1], b[2], b[3], boxes[j].name, boxes[j].b[0], boxes[j].b[1], boxes[j].b[2], boxes[j].b[3]);
    }
    const Box *map = find_box(boxes, nb, "map");
    CHECK(map != NULL, "%s: no map box", what);
    if (!map)
        return;
    /* The panels leave the map half the picture; a scene's caption lines under its title,
     * and the window's rows (status, message, input line), take their height from the map's
     * half by design. */
    const Box *status = find_box(boxes, nb, "status"), *message = find_box(boxes, nb, "message"),
              *input = find_box(boxes, nb, "input");
    const double rows = (status ? status->b[3] : 0) + (message && (!status || message->b[1] != status->b[1]) ? message->b[3] : 0) +
                        (input ? input->b[3] : 0);
    /* With the big plot (Z) the loss and lr plots hold the map's place and promise. */
    const Box *loss = find_box(boxes, nb, "plot_loss"), *lr = find_box(boxes, nb, "plot_lr");
    const int big = loss && lr && loss->b[2] * loss->b[3] > map->b[2] * map->b[3];
    const double main_w = big ? loss->b[2] : map->b[2];
    const double main_h = big ? lr->b[1] + lr->b[3] - loss->b[1] : map->b[3];
    if (w >= 1024 && font <= 1.5 && !find_box(boxes, nb, "subtitle"))
        CHECK(main_w * (main_h + rows) >= 0.5 * w * h, "%s: the %s keeps %.0f%% of the picture", what,
              big ? "big plot" : "map", 100 * main_w * (main_h + rows) / ((double)w * h));
    check_points(json, map->b, what);
    CHECK(runs == 0 || find_box(boxes, nb, "legend") || w * h < 700 * 500,
          "%s: the legend is gone on a classroom-sized picture", what);
}

void layout_check_holds(const char *live, const char *slide, const char *what)
{
    Box lb[MAX_BOXES], sb[MAX_BOXES];
    const int nl = read_layout(live, lb), ns = read_layout(slide, sb);
    CHECK(nl > 0 && ns > 0, "%s: no layout in the dumps", what);
    for (int i = 0; i < ns; i++)
        CHECK(find_box(lb, nl, sb[i].name) != NULL, "%s: the slide has a %s box, the window has none", what,
              sb[i].name);
}

/* plots: 0 none, 1 loss and lr, 2 all with the curvature readout, 3 loss and lr with the
 * basin map and its key, 4 loss and lr with the update rule, the internals and their key,
 * the curvature readout and the basin map. */
static void check_case(int w, int h, double font, int runs, int plots, int arrows)
{
    char line[2048], what[160];
    int n = snprintf(line, sizeof line, "--headless --size %dx%d --font-scale %g --steps 20 --dump-state - --panels "
                     "contours,colorbar,axes%s%s%s",
                     w, h, font, plots ? ",plots" : "", arrows ? ",arrows" : "",
                     plots == 2   ? ",curvature,sharpness,gradnorm"
                     : plots == 3 ? ",basins"
                     : plots == 4 ? ",rule,internals,curvature,basins"
                                  : "");
    for (int i = 0; i < runs; i++)
        n += snprintf(line + n, sizeof line - (size_t)n, " --optimizer %s", layout_optimizers[i]);
    snprintf(what, sizeof what, "%dx%d font %g, %d runs%s%s%s", w, h, font, runs, plots ? ", plots" : "",
             arrows ? ", arrows" : "",
             plots == 2   ? ", curvature readout, sharpness and gradient plots"
             : plots == 3 ? ", basin map"
             : plots == 4 ? ", rule, internals, readout and basin map"
                          : "");
    ProcResult r;
    proc_run_line(line, 30, &r);
    CHECK(r.status == 0, "%s: status %d: %s", what, r.status, r.err);
    if (r.status == 0)
        layout_check_dump(r.out, w, h, font, runs, what);
    proc_free(&r);
}

/* The matrix of the layout issue: sizes, font scales, run counts, plots and arrows. */
static void check_matrix(void)
{
    static const int sizes[][2] = { { 640, 480 },   { 800, 600 },   { 1024, 768 },  { 1280, 720 },
                                    { 1366, 768 },  { 1920, 1080 }, { 3840, 2160 }, { 1080, 1920 } };
    static const double fonts[] = { 1, 1.5, 2 };
    static const int runs[] = { 1, 4, 9 };
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (size_t f = 0; f < sizeof fonts / sizeof fonts[0]; f++)
            for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++)
                for (int extra = 0; extra < 4; extra++) {
                    /* Pixels are not what this checks: the biggest picture once per font. */
                    if (sizes[s][0] == 3840 && (k != 2 || extra != 3))
                        continue;
                    check_case(sizes[s][0], sizes[s][1], fonts[f], runs[k], extra & 1, extra >> 1);
                }
    /* The curvature readout and the two extra plots, with four runs: every size and font. */
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (size_t f = 0; f < sizeof fonts / sizeof fonts[0]; f++)
            check_case(sizes[s][0], sizes[s][1], fonts[f], 4, 2, 0);
    /* The basin map's key above the colour bar, at the sizes a classroom uses. */
    for (size_t s = 0; s < 6; s++)
        for (size_t f = 0; f < sizeof fonts / sizeof fonts[0]; f++)
            check_case(sizes[s][0], sizes[s][1], fonts[f], 4, 3, 0);
    /* The update rule and the internals' key with every other explanation, at classroom sizes. */
    for (size_t s = 0; s < 6; s++)
        check_case(sizes[s][0], sizes[s][1], 1.5, 4, 4, 0);
}

/* Slide pictures: no status line or message box; the caption when asked, under the map. */
static void check_slides(void)
{
    ProcResult r;
    proc_run_line("--headless --size 1280x720 --steps 10 --dump-state - --panels contours,caption", 30, &r);
    Box boxes[MAX_BOXES];
    const int nb = r.status == 0 ? read_layout(r.out, boxes) : -1;
    CHECK(nb > 0 && !find_box(boxes, nb, "status") && !find_box(boxes, nb, "message"),
          "a headless picture has a status line or message box: %s", r.out);
    const Box *cap = nb > 0 ? find_box(boxes, nb, "caption") : NULL, *map = nb > 0 ? find_box(boxes, nb, "map") : NULL;
    CHECK(cap && map && cap->b[1] > map->b[1] + map->b[3], "no caption under the map: %s", r.out);
    CHECK(strstr(r.out, "\"colour\": \"#") != NULL, "no run colours in the dump");
    proc_free(&r);
    proc_run_line("--headless --size 1280x720 --steps 10 --dump-state - --legend compact", 30, &r);
    CHECK(r.status == 0 && strstr(r.out, "\"legend\": \"compact\""), "--legend compact is not in the dump: %s",
          r.out);
    proc_free(&r);
    proc_run_line("--headless --legend tiny", 30, &r);
    CHECK(r.status == 2 && strstr(r.err, "full, compact or hidden"), "--legend tiny: status %d, '%s'", r.status, r.err);
    proc_free(&r);
}

/* The README's key table, from its header line to the first line that is not a table row,
 * must be exactly what --keys prints. */
static void check_readme_keys(void)
{
    FILE *f = fopen("README.md", "r");
    CHECK(f != NULL, "README.md not found from the folder the tests run in");
    if (!f)
        return;
    static char readme[1 << 16];
    const size_t n = fread(readme, 1, sizeof readme - 1, f);
    fclose(f);
    readme[n] = '\0';
    const char *start = strstr(readme, "| key | does |\n");
    CHECK(start != NULL, "README.md has no key table");
    if (!start)
        return;
    const char *end = start;
    while (*end == '|') {
        const char *nl = strchr(end, '\n');
        end = nl ? nl + 1 : end + strlen(end);
    }
    const char *args[] = { "--keys", NULL };
    ProcResult r;
    proc_run(args, 10, &r);
    CHECK(r.status == 0 && r.out_len == (size_t)(end - start) && memcmp(r.out, start, r.out_len) == 0,
          "README.md's key table is not `optiscope --keys`; --keys prints:\n%s", r.out);
    proc_free(&r);
}

/* Text around the map gives way before the map does: a title, three long caption lines
 * and the line under the map at an absurd font scale, or in a thumbnail, still leave the
 * map a third of the picture's height and a quarter of its width, with nothing
 * overlapping (the x ticks once fell over the caption line at 160x160). */
static void check_text_gives_way(void)
{
    static const struct {
        int w, h;
        double font;
    } cases[] = { { 640, 480, 4 }, { 640, 480, 2 }, { 160, 160, 1 }, { 160, 160, 1.5 }, { 320, 240, 2 } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char size[32], font[32], what[96];
        snprintf(size, sizeof size, "%dx%d", cases[i].w, cases[i].h);
        snprintf(font, sizeof font, "%g", cases[i].font);
        const char *const args[] = {
            "--headless", "--size", size, "--font-scale", font, "--steps", "5", "--dump-state", "-", "--panels",
            "contours,colorbar,axes,caption", "--title", "A very long title for a small projector window indeed",
            "--caption", "The first caption line explains what the class should watch for in this demo",
            "--caption", "The second caption line says why the path bends the way it does near the floor",
            "--caption", "The third caption line gives the lr and momentum that the lecturer has chosen",
            "--optimizer", "sgd:lr=0.001", "--optimizer", "adam:lr=0.05", NULL
        };
        snprintf(what, sizeof what, "%dx%d font %g with a title and three caption lines", cases[i].w, cases[i].h,
                 cases[i].font);
        ProcResult r;
        proc_run(args, 30, &r);
        CHECK(r.status == 0, "%s: status %d: %s", what, r.status, r.err);
        const char *m = r.out ? strstr(r.out, "\"map\": [") : NULL;
        int x, y, w, h;
        CHECK(m && sscanf(m, "\"map\": [%d, %d, %d, %d]", &x, &y, &w, &h) == 4, "%s: no map box", what);
        if (m) {
            CHECK(h * 3 >= cases[i].h - 2 && w * 4 >= cases[i].w, "%s: the map is %dx%d", what, w, h);
            layout_check_dump(r.out, cases[i].w, cases[i].h, cases[i].font, 2, what);
        }
        proc_free(&r);
    }
}

void test_layout(void)
{
    check_readme_keys();
    check_slides();
    check_text_gives_way();
    check_matrix();
}
