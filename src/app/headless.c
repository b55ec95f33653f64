/* Headless jobs: step the runs and write the trace; render the very picture the window
 * would show to a PNG; benchmark the frame loop. No display, no environment needed. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/ui.h"
#include "app.h"
#include "draw.h"
#include "files.h"
#include "shot.h"

#define HEADLESS_DEFAULT_STEPS 500

static void report_divergence(const Sim *sim, unsigned diverged)
{
    for (int i = 0; i < sim->nruns; i++)
        if (diverged & (1u << i))
            fprintf(stderr, "%s diverged at step %ld\n", sim->runs[i].label, sim->runs[i].step + 1);
}

/* Steps every run, writing each new point to trace when it is given. */
static void run_steps(Ui *ui, long steps, FILE *trace)
{
    Sim *sim = &ui->sim;
    if (trace) {
        sim_trace_header(trace);
        for (int i = 0; i < sim->nruns; i++)
            sim_trace_row(trace, &sim->runs[i]);
    }
    for (long k = 0; k < steps && sim_live_runs(sim) > 0; k++) {
        report_divergence(sim, ui_step(ui));
        if (!trace)
            continue;
        for (int i = 0; i < sim->nruns; i++)
            if (!sim->runs[i].diverged && sim->runs[i].step == k + 1)
                sim_trace_row(trace, &sim->runs[i]);
    }
}

static FILE *open_output(const char *what, const char *path, char *err, size_t errlen)
{
    if (strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "w");
    if (!f)
        snprintf(err, errlen, "cannot write %s '%.200s': %s", what, path, strerror(errno));
    return f;
}

static int close_output(FILE *f, const char *what, const char *path, char *err, size_t errlen)
{
    int bad = ferror(f);
    bad |= f == stdout ? fflush(f) : fclose(f);
    if (bad) {
        snprintf(err, errlen, "writing %s '%.200s' failed", what, path);
        return -1;
    }
    return 0;
}

int app_dump_state(const Ui *ui, const char *path, char *err, size_t errlen)
{
    FILE *f = open_output("state", path, err, errlen);
    if (!f)
        return -1;
    ui_dump_json(ui, f);
    return close_output(f, "state", path, err, errlen);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Renders c->bench frames, one step per frame, and prints the frame-time statistics. */
static int bench(Draw *d, Ui *ui, long frames, char *err, size_t errlen)
{
    double *ms = malloc((size_t)frames * sizeof *ms);
    if (!ms) {
        snprintf(err, errlen, "out of memory for %ld frame times", frames);
        return 1;
    }
    const unsigned long builds = d->base_builds;
    for (long i = 0; i < frames; i++) {
        const double t0 = now_ms();
        ui_step(ui);
        if (draw_frame(d, ui, 0, err, errlen) < 0) {
            free(ms);
            return 1;
        }
        ms[i] = now_ms() - t0;
    }
    qsort(ms, (size_t)frames, sizeof *ms, by_value);
    printf("frames %ld\n", frames);
    printf("size %dx%d\n", d->frame.w, d->frame.h);
    printf("median %.3f ms\n", ms[frames / 2]);
    printf("p95 %.3f ms\n", ms[(long)(frames * 0.95) < frames ? (long)(frames * 0.95) : frames - 1]);
    printf("max %.3f ms\n", ms[frames - 1]);
    printf("contour rebuilds %lu\n", d->base_builds - builds);
    free(ms);
    return 0;
}

/* Everything the picture needs: canvases at the output size, and the session laid out in them. */
int app_prepare(Draw *d, Ui *ui, const Config *c, int w, int h, double px_per_point, char *err, size_t errlen)
{
    if (draw_init(d, w, h, px_per_point, err, errlen) < 0)
        return -1;
    double rect[4];
    draw_map_rect(d, c->title[0] != 0, rect);
    if (ui_init(ui, c, rect[0], rect[1], rect[2], rect[3], err, errlen) < 0)
        return -1;
    return 0;
}

static int check_outputs(const Config *c, char *err, size_t errlen)
{
    if (c->trace && strcmp(c->trace, "-") != 0 && files_check_writable("trace", c->trace, err, errlen) < 0)
        return -1;
    if (c->screenshot && files_check_writable("screenshot", c->screenshot, err, errlen) < 0)
        return -1;
    if (c->dump_state && strcmp(c->dump_state, "-") != 0 &&
        files_check_writable("state", c->dump_state, err, errlen) < 0)
        return -1;
    return 0;
}

static int run_job(Draw *d, Ui *ui, const Config *c, char *err, size_t errlen)
{
    const int drawing = c->screenshot || c->bench;
    const double scale = c->scale;
    if (drawing) {
        if (app_prepare(d, ui, c, (int)lround(c->width * scale), (int)lround(c->height * scale),
                        scale * c->font_scale, err, errlen) < 0)
            return 2;
    } else if (ui_init(ui, c, 0, 0, c->width, c->height, err, errlen) < 0) {
        return 2;
    }
    FILE *trace = NULL;
    if (c->trace && !(trace = open_output("trace", c->trace, err, errlen)))
        return 2;
    run_steps(ui, c->steps ? c->steps : (c->bench ? 0 : HEADLESS_DEFAULT_STEPS), trace);
    if (trace && close_output(trace, "trace", c->trace, err, errlen) < 0)
        return 1;
    if (c->screenshot) {
        if (draw_frame(d, ui, 0, err, errlen) < 0 || shot_write_png(&d->frame, c->screenshot, err, errlen) < 0)
            return 1;
    }
    if (c->bench && bench(d, ui, c->bench, err, errlen))
        return 1;
    if (c->dump_state && app_dump_state(ui, c->dump_state, err, errlen) < 0)
        return 1;
    return 0;
}

int headless_run(const Config *c, char *err, size_t errlen)
{
    if (check_outputs(c, err, errlen) < 0)
        return 2;
    Ui *ui = calloc(1, sizeof *ui);
    Draw *d = calloc(1, sizeof *d);
    int rc = 1;
    if (!ui || !d)
        snprintf(err, errlen, "out of memory");
    else
        rc = run_job(d, ui, c, err, errlen);
    if (d && d->text)
        draw_free(d);
    free(d);
    free(ui);
    return rc;
}
