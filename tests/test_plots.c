/* What the plots and the colour bar say, read as text: a diverged run's climb held by the
 * loss axis, no "-0", no colour-bar label below the data, two close lrs told apart, and
 * whole names in the legend. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/render/draw.h"
#include "../src/render/panels.h"
#include "../src/session/session.h"
#include "check.h"
#include "proc.h"

typedef struct {
    Session *ses;
    Draw *d;
} Picture;

/* A scene file (and options, name/value pairs) drawn as a picture of w×h at `font` after
 * its steps. */
static int picture_open(Picture *pc, const char *path, const char *const *also, int w, int h, double font)
{
    char err[512], text[8192] = "";
    memset(pc, 0, sizeof *pc);
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (f) {
        text[fread(text, 1, sizeof text - 1, f)] = '\0';
        fclose(f);
    }
    Config c;
    config_defaults(&c);
    int ok = config_scene(&c, text, path ? path : "none", err, sizeof err) == 0;
    for (int i = 0; ok && also && also[i]; i += 2)
        ok = config_apply(&c, also[i], also[i + 1], 0, err, sizeof err) == 0;
    ok = ok && config_finish(&c, err, sizeof err) == 0;
    pc->ses = calloc(1, sizeof *pc->ses);
    pc->d = ok ? draw_new(w, h, font, err, sizeof err) : NULL;
    if (!pc->ses || !pc->d || session_init(pc->ses, &c, 0, 0, w, h, err, sizeof err) < 0) {
        CHECK(0, "%s: %s", path ? path : "a picture", err);
        return -1;
    }
    Layout l;
    draw_layout(pc->d, pc->ses, 0, &l);
    const Action a = session_map_box(l.map.x, l.map.y, l.map.w, l.map.h);
    session_apply(pc->ses, &a);
    for (long i = 0; i < c.steps; i++)
        session_step(pc->ses);
    const DrawOptions o = { .live = 0 };
    if (draw_frame(pc->d, pc->ses, &o, err, sizeof err) < 0) {
        CHECK(0, "drawing %s: %s", path, err);
        return -1;
    }
    return 0;
}

static void picture_close(Picture *pc)
{
    if (pc->d)
        draw_free(pc->d);
    free(pc->ses);
}

/* Whether `line` is one of the strings in texts ("a\nb\n"). */
static int has_line(const char *texts, const char *line)
{
    const size_t n = strlen(line);
    for (const char *p = texts; (p = strstr(p, line)) != NULL; p++)
        if ((p == texts || p[-1] == '\n') && p[n] == '\n')
            return 1;
    return 0;
}

/* Scene 3: the loss axis holds every run's losses, the diverged run's last finite ones too. */
static void check_diverged_range(void)
{
    const char *args[] = { "--headless", "--no-config", "--scene", "assets/scenes/03_lr_too_large.scene", "--size",
                           "1024x768", "--font-scale", "1.5", "--dump-state", "-", NULL };
    ProcResult r;
    proc_run(args, 60, &r);
    const char *ranges = r.out ? strstr(r.out, "\"plot_ranges\": {\"loss\": [") : NULL;
    double lo = NAN, hi = NAN;
    CHECK(r.status == 0 && ranges && sscanf(ranges, "\"plot_ranges\": {\"loss\": [%lf, %lf]", &lo, &hi) == 2,
          "scene 3's dump has no plot_ranges: %d %s", r.status, r.err);
    int runs = 0;
    for (const char *p = r.out ? strstr(r.out, "\"runs\"") : NULL; p && (p = strstr(p, "\"loss\": ")); p++) {
        double loss = NAN;
        if (sscanf(p, "\"loss\": %lf", &loss) != 1)
            continue;
        CHECK(loss >= lo * (1 - 1e-9) && loss <= hi * (1 + 1e-9), "run %d's last loss %g is outside the loss axis [%g, %g]", runs, loss, lo, hi);
        runs++;
    }
    CHECK(runs == 2, "scene 3 has %d runs in its dump, want 2", runs);
    proc_free(&r);
}

/* Scene 3 at a classroom size: the lr plot names 0.19 and 0.21, the divergence note is
 * whole, and the colour bar labels neither 0 nor anything under the data. */
static void check_scene3_texts(void)
{
    Picture pc;
    if (picture_open(&pc, "assets/scenes/03_lr_too_large.scene", NULL, 1024, 768, 1.5) == 0) {
        char texts[4096];
        draw_texts(pc.d, pc.ses, PANEL_PLOT_LR, texts, sizeof texts);
        CHECK(has_line(texts, "0.19") && has_line(texts, "0.21"), "the lr plot does not name 0.19 and 0.21: '%s'",
              texts);
        draw_texts(pc.d, pc.ses, PANEL_PLOT_LOSS, texts, sizeof texts);
        CHECK(strstr(texts, "145\n") && !strstr(texts, "\xe2\x80\xa6"), "the divergence note is cut: '%s'", texts);
        const int n = draw_texts(pc.d, pc.ses, DRAW_TEXTS_COLORBAR, texts, sizeof texts);
        CHECK(n > 2, "the colour bar has %d labels", n);
        for (const char *p = texts; *p; p = strchr(p, '\n') + 1) {
            const double v = atof(p);
            if (p[0] >= '0' && p[0] <= '9')
                CHECK(v >= 1e-3, "the colour bar labels %g, under the data's range: '%s'", v, texts);
            if (!strchr(p, '\n'))
                break;
        }
    }
    picture_close(&pc);
}

/* A linear loss axis whose range starts just under zero (the saddle after 30 steps) writes
 * "0" there, not "-0". */
static void check_no_minus_zero(void)
{
    static const char *const sizes[][2] = { { "1024x768", "1.5" }, { "1280x720", "1" }, { "800x600", "1" } };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const char *also[] = { "function", "saddle", "steps", "30", "panels", "contours,plots,colorbar,axes,sharpness,gradnorm",
                               NULL };
        int w = 0, h = 0;
        sscanf(sizes[i][0], "%dx%d", &w, &h);
        Picture pc;
        if (picture_open(&pc, NULL, also, w, h, atof(sizes[i][1])) == 0) {
            for (int id = PANEL_PLOT_LOSS; id <= PANEL_PLOT_GRADNORM; id++) {
                char texts[4096];
                draw_texts(pc.d, pc.ses, id, texts, sizeof texts);
                CHECK(!has_line(texts, "-0") && !strstr(texts, "-0\n"), "%s: panel %d writes -0: '%s'", sizes[i][0],
                      id, texts);
            }
        }
        picture_close(&pc);
    }
}

/* Scene 10 of the lecture at 1024×768, text 1.5×: every run's name whole in the legend. */
static void check_whole_names(void)
{
    Picture pc;
    if (picture_open(&pc, "assets/scenes/10_adaptive_ravine.scene", NULL, 1024, 768, 1.5) == 0) {
        char texts[4096];
        draw_texts(pc.d, pc.ses, PANEL_LEGEND, texts, sizeof texts);
        static const char *const names[] = { "sgd", "adagrad", "rmsprop", "adam" };
        CHECK(pc.ses->sim.nruns == 4, "scene 10 has %d runs, want 4", pc.ses->sim.nruns);
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            CHECK(has_line(texts, names[i]), "the legend cuts '%s': '%s'", names[i], texts);
    }
    picture_close(&pc);
}

/* The basin map explains itself: its key names each minimum with where it is and its
 * loss, whole at the classroom sizes, and the colour bar says its colours are now only the
 * shade under the tints; without the basin map neither changes. */
static void check_basin_key(void)
{
    static const int sizes[][2] = { { 1280, 720 }, { 1024, 768 } };
    static const char *const lines[] = { "(3, 2) loss 0", "(-2.81, 3.13) loss 0", "(-3.78, -3.28) loss 0",
                                         "(3.58, -1.85) loss 0" };
    for (int k = 0; k < 2; k++) {
        static const char *const on[] = { "function", "himmelblau", "optimizer", "sgd:lr=0.005", "panels",
                                          "contours,colorbar,axes,plots,basins", "steps", "30", NULL };
        Picture pc;
        if (picture_open(&pc, NULL, on, sizes[k][0], sizes[k][1], 1.5) < 0) {
            picture_close(&pc);
            continue;
        }
        char texts[4096];
        const int n = draw_texts(pc.d, pc.ses, DRAW_TEXTS_BASIN_KEY, texts, sizeof texts);
        CHECK(n == 5 && has_line(texts, "Basin: where starts end"), "%dx%d: the basin key says '%s'", sizes[k][0],
              sizes[k][1], texts);
        for (int i = 0; i < 4; i++)
            CHECK(has_line(texts, lines[i]), "%dx%d: the basin key lacks '%s': '%s'", sizes[k][0], sizes[k][1],
                  lines[i], texts);
        draw_texts(pc.d, pc.ses, DRAW_TEXTS_COLORBAR, texts, sizeof texts);
        CHECK(has_line(texts, "loss (log) \xc2\xb7 tint: basin"), "%dx%d: the colour bar's title under the tints: '%s'",
              sizes[k][0], sizes[k][1], texts);
        picture_close(&pc);
    }
    static const char *const off[] = { "function", "himmelblau", "panels", "contours,colorbar,axes", NULL };
    static const char *const far[] = { "function", "rosenbrock", "optimizer", "sgd:lr=0.003", "panels",
                                       "colorbar,basins", "steps", "1", NULL };
    Picture pc;
    if (picture_open(&pc, NULL, off, 1280, 720, 1.5) == 0) {
        char texts[4096];
        CHECK(draw_texts(pc.d, pc.ses, DRAW_TEXTS_BASIN_KEY, texts, sizeof texts) == 0, "a key without basins: '%s'",
              texts);
        draw_texts(pc.d, pc.ses, DRAW_TEXTS_COLORBAR, texts, sizeof texts);
        CHECK(has_line(texts, "loss, log scale"), "the colour bar's title without basins: '%s'", texts);
    }
    picture_close(&pc);
    if (picture_open(&pc, NULL, far, 1280, 720, 1.5) == 0) {
        char texts[4096];
        draw_texts(pc.d, pc.ses, DRAW_TEXTS_BASIN_KEY, texts, sizeof texts);
        CHECK(has_line(texts, "diverged") && has_line(texts, "not settled in 400 steps"),
              "rosenbrock at lr 0.003: the key names the diverged and unsettled starts: '%s'", texts);
    }
    picture_close(&pc);
}

/* J's readout is whole at the classroom sizes: its lines wrap to the column, none is cut,
 * and the quadratic's theory is all there. */
static void check_readout_whole(void)
{
    static const int sizes[][2] = { { 1280, 720 }, { 1024, 768 }, { 800, 600 } };
    static const char *const j[] = { "panels", "contours,colorbar,axes,plots,curvature", NULL };
    for (int k = 0; k < 3; k++) {
        Picture pc;
        if (picture_open(&pc, "assets/scenes/momentum_ravine.scene", j, sizes[k][0], sizes[k][1], 1.5) == 0) {
            char texts[4096];
            const int n = draw_texts(pc.d, pc.ses, PANEL_CURVATURE, texts, sizeof texts);
            CHECK(n >= 7 && !strstr(texts, "\xe2\x80\xa6") && strstr(texts, "heavy ball error"),
                  "%dx%d: the readout is cut or short: '%s'", sizes[k][0], sizes[k][1], texts);
        }
        picture_close(&pc);
    }
}

/* A log axis within a decade still says what it shows: the first scene's loss (2.5 to 9)
 * is labelled at round values, and its one constant lr is named. */
static void check_narrow_log_axes(void)
{
    static const char *const plots[] = { "panels", "contours,colorbar,axes,plots", "steps", "117", NULL };
    Picture pc;
    if (picture_open(&pc, "assets/scenes/01_lr_too_small.scene", plots, 1024, 768, 1.5) == 0) {
        char texts[4096];
        const int n = draw_texts(pc.d, pc.ses, PANEL_PLOT_LOSS, texts, sizeof texts);
        int numbers = 0;
        for (const char *t = texts; *t; t = strchr(t, '\n') + 1)
            numbers += *t >= '1' && *t <= '9' && strchr(t, '\n') - t <= 2; /* "3", "4", "6", "8" */
        CHECK(n > 0 && numbers >= 2, "the loss plot within a decade names %d values: '%s'", numbers, texts);
        draw_texts(pc.d, pc.ses, PANEL_PLOT_LR, texts, sizeof texts);
        CHECK(has_line(texts, "0.005"), "the lr plot does not name the constant lr: '%s'", texts);
    }
    picture_close(&pc);
}

void test_plots(void)
{
    check_narrow_log_axes();
    check_readout_whole();
    check_basin_key();
    check_diverged_range();
    check_scene3_texts();
    check_no_minus_zero();
    check_whole_names();
}
