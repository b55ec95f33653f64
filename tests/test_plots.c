/* What the plots and the colour bar say, read as text: a diverged run's climb held by the
 * loss axis, no "-0", no colour-bar label below the data, two close lrs told apart, and
 * whole names in the legend. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/platform/shipped.h"
#include "../src/render/draw.h"
#include "../src/render/panels.h"
#include "../src/session/keys.h"
#include "../src/session/session.h"
#include "../src/render/theme.h"
#include "check.h"
#include "layout_check.h"
#include "proc.h"

typedef struct {
    Session *ses;
    Draw *d;
    DataStore data; /* a loss over data's set, which the session borrows */
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
    pc->data.read = shipped_read_data;
    c.data = &pc->data;
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
    session_free(pc->ses);
    data_store_free(&pc->data);
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

/* Every scene of a lecture (its files `prefix` 01_ to `count`) at 1024×768 and 1280×720,
 * text 1.5×: every run's name whole in the legend, as the scene has it after its steps, and
 * with `captions`, every caption line whole. */
static void check_whole_names(const char *prefix, int count, int captions)
{
    static const int sizes[][2] = { { 1024, 768 }, { 1280, 720 } };
    for (int n = 1; n <= count; n++) {
        char pattern[64];
        snprintf(pattern, sizeof pattern, "assets/scenes/%s%02d_", prefix, n);
        char *path = NULL;
        DIR *dir = opendir("assets/scenes");
        for (struct dirent *e; dir && !path && (e = readdir(dir));) {
            char full[320];
            snprintf(full, sizeof full, "assets/scenes/%s", e->d_name);
            if (strncmp(full, pattern, strlen(pattern)) == 0)
                path = strdup(full);
        }
        if (dir)
            closedir(dir);
        CHECK(path != NULL, "no scene %s%02d in assets/scenes", prefix, n);
        for (int k = 0; path && k < 2; k++) {
            Picture pc;
            if (picture_open(&pc, path, NULL, sizes[k][0], sizes[k][1], 1.5) == 0) {
                char texts[4096], label[LABEL_TEXT_MAX];
                draw_texts(pc.d, pc.ses, PANEL_LEGEND, texts, sizeof texts);
                for (int i = 0; i < pc.ses->sim.nruns; i++) {
                    sim_label(&pc.ses->sim.runs[i], label, sizeof label);
                    CHECK(has_line(texts, label), "%s at %dx%d: the legend cuts '%s': '%s'", path, sizes[k][0],
                          sizes[k][1], label, texts);
                }
                draw_texts(pc.d, pc.ses, PANEL_SUBTITLE, texts, sizeof texts);
                CHECK(!captions || (texts[0] && !strstr(texts, "\xe2\x80\xa6")), "%s at %dx%d: a caption line is cut: '%s'", path,
                      sizes[k][0], sizes[k][1], texts);
            }
            picture_close(&pc);
        }
        free(path);
    }
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

/* The data panel's box at the classroom sizes: in the dump's layout, clear of every other. */
static void check_data_layout(void)
{
    static const int sizes[][2] = { { 1280, 720 }, { 1024, 768 } };
    for (int k = 0; k < 2; k++) {
        char line[512], what[64];
        snprintf(line, sizeof line,
                 "--headless --function linreg:data=line --optimizer sgd:lr=0.05,label=full "
                 "--optimizer sgd:lr=0.05,batch_size=4,label=b4 --panels contours,plots,colorbar,axes,data "
                 "--steps 40 --size %dx%d --font-scale 1.5 --dump-state -",
                 sizes[k][0], sizes[k][1]);
        snprintf(what, sizeof what, "the data panel at %dx%d", sizes[k][0], sizes[k][1]);
        ProcResult r;
        proc_run_line(line, 30, &r);
        CHECK(r.status == 0 && strstr(r.out, "\"plot_data\": ["), "%s: not in the layout (status %d): %s", what,
              r.status, r.err);
        if (r.status == 0)
            layout_check_dump(r.out, sizes[k][0], sizes[k][1], 1.5, 2, what);
        proc_free(&r);
    }
    ProcResult r;
    proc_run_line("--headless --function rosenbrock --panels contours,data --steps 2 --size 1280x720 --dump-state -", 30,
                  &r);
    CHECK(r.status == 0 && !strstr(r.out, "plot_data"), "rosenbrock has no data, yet shows the data panel: %s",
          r.out ? r.out : r.err);
    proc_free(&r);
}

/* Shift+L turns the panel off and on where there is data, and says where it shows where there is
 * none; the palette (Ctrl+K) finds it by what it shows. */
static void check_data_key(void)
{
    const int line = keys_palette_find("data panel", 0);
    CHECK(line >= 0 && keys_line_action(line).kind == ACTION_TOGGLE_DATA, "Ctrl+K 'data panel' finds line %d", line);
    static const char *const functions[] = { "linreg:data=line", "rosenbrock" };
    for (int k = 0; k < 2; k++) {
        const char *const also[] = { "function", functions[k], NULL };
        Picture pc;
        if (picture_open(&pc, NULL, also, 1280, 720, 1.5) == 0) {
            const Action z = { .kind = ACTION_TOGGLE_DATA };
            Effects fx = session_apply(pc.ses, &z);
            Layout l;
            draw_layout(pc.d, pc.ses, 0, &l);
            CHECK(!(pc.ses->shown & SHOW_DATA) && l.plot_data.w == 0 && (fx.flags & EFFECT_LAYOUT),
                  "%s: Shift+L leaves the data panel on", functions[k]);
            CHECK(k == 0 ? !strcmp(pc.ses->message, "data and model off")
                         : strstr(pc.ses->message, "shows on a loss over data") != NULL,
                  "%s: Shift+L says '%s'", functions[k], pc.ses->message);
            session_apply(pc.ses, &z);
            draw_layout(pc.d, pc.ses, 0, &l);
            CHECK((pc.ses->shown & SHOW_DATA) && (l.plot_data.w > 0) == (k == 0), "%s: Shift+L again: box %d wide",
                  functions[k], l.plot_data.w);
        }
        picture_close(&pc);
    }
}

/* Whether the picture's pixel at (x, y) is the colour col, give or take a little blending. */
static int pixel_is(Canvas *c, double x, double y, Rgba col)
{
    const int i = (int)floor(x), j = (int)floor(y);
    if (i < 0 || j < 0 || i >= c->w || j >= c->h)
        return 0;
    const uint32_t p = c->px[(size_t)j * (size_t)c->w + (size_t)i];
    const int dr = (int)((p >> 16) & 255) - col.r, dg = (int)((p >> 8) & 255) - col.g, db = (int)(p & 255) - col.b;
    return dr * dr + dg * dg + db * db < 40 * 40;
}

/* The selected run's model passes where its w and b say: on it, the run's colour; a dozen
 * pixels above and below, not. `model` is w·x + b or σ(w·x + b). */
static void check_model_pixels(const char *function, const char *optimizer, int logistic)
{
    const char *const also[] = { "function", function, "optimizer", optimizer, "panels",
                                 "contours,colorbar,axes,data", "steps", "25", NULL };
    Picture pc;
    if (picture_open(&pc, NULL, also, 1280, 720, 1.5) < 0) {
        picture_close(&pc);
        return;
    }
    DataFrame f;
    const Run *r = &pc.ses->sim.runs[0];
    CHECK(draw_data_frame(pc.d, pc.ses, &f) == 0, "%s: the data panel draws no plot", function);
    const Rgba col = theme_palette(pc.ses->theme)->runs[0];
    Canvas *c = draw_picture(pc.d);
    int on = 0, off = 0, tried = 0;
    for (int k = 1; k < 10 && f.plot.w > 0; k++) {
        const double x = f.x0 + (f.x1 - f.x0) * k / 10, z = r->x * x + r->y;
        const double v = logistic ? 1 / (1 + exp(-z)) : z;
        if (v < f.y0 || v > f.y1)
            continue;
        const double px = f.plot.x + (x - f.x0) / (f.x1 - f.x0) * f.plot.w;
        const double py = f.plot.y + f.plot.h - (v - f.y0) / (f.y1 - f.y0) * f.plot.h;
        tried++;
        on += pixel_is(c, px, py, col);
        off += pixel_is(c, px, py - 12, col) || pixel_is(c, px, py + 12, col);
    }
    CHECK(tried >= 4 && on == tried && off == 0,
          "%s: the model w=%g b=%g is drawn at %d of %d places, %d off it", function, r->x, r->y, on, tried, off);
    picture_close(&pc);
}

/* The data panel names its axes by the file's header and draws the selected run's model. */
static void check_data_panel(void)
{
    static const char *const also[] = { "function", "linreg:data=line", "optimizer", "sgd:lr=0.05", "steps", "10",
                                        NULL };
    Picture pc;
    if (picture_open(&pc, NULL, also, 1024, 768, 1.5) == 0) {
        char texts[4096];
        draw_texts(pc.d, pc.ses, PANEL_PLOT_DATA, texts, sizeof texts);
        CHECK(has_line(texts, "score") && has_line(texts, "hours"),
              "the data panel (on by default on a loss over data) does not name its columns: '%s'", texts);
    }
    picture_close(&pc);
    /* A file without a header: its axes are x and y. */
    FILE *f = fopen("build/test-dataplot.csv", "w");
    if (f) {
        fputs("1,2\n2,3.5\n3,4.2\n4,6\n", f);
        fclose(f);
    }
    static const char *const bare[] = { "function", "linreg:data=build/test-dataplot.csv", NULL };
    if (picture_open(&pc, NULL, bare, 1024, 768, 1.5) == 0) {
        char texts[4096];
        draw_texts(pc.d, pc.ses, PANEL_PLOT_DATA, texts, sizeof texts);
        CHECK(has_line(texts, "x") && has_line(texts, "y"), "a file without a header: the axes say '%s'", texts);
    }
    picture_close(&pc);
    remove("build/test-dataplot.csv");
    check_model_pixels("linreg:data=line", "sgd:lr=0.05", 0);
    check_model_pixels("linreg:data=line", "sgd:lr=0.01", 0);
    check_model_pixels("logreg:data=classes", "sgd:lr=1", 1);
}

void test_plots(void)
{
    check_data_layout();
    check_data_key();
    check_data_panel();
    check_narrow_log_axes();
    check_readout_whole();
    check_basin_key();
    check_diverged_range();
    check_scene3_texts();
    check_no_minus_zero();
    check_whole_names("", 13, 0);
    check_whole_names("reg_", 6, 1);
}
