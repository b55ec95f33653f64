/* Headless jobs: step the runs and write the trace; render the very picture the window
 * would show to a PNG; benchmark the frame loop. No display, no environment needed. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../session/session.h"
#include "app.h"
#include "../render/overlay.h"
#include "../render/draw.h"
#include "files.h"
#include "../render/shot.h"
#include "record.h"

#define HEADLESS_DEFAULT_STEPS 500
/* The moving benchmark: pans of this many pixels and zooms by this factor, alternating,
 * reversing direction every BENCH_SWING frames. */
#define BENCH_PAN_PX 3
#define BENCH_ZOOM 1.01
#define BENCH_SWING 60
#define BENCH_SIM_MS 300.0

static void report_divergence(const Sim *sim, unsigned diverged)
{
    for (int i = 0; i < sim->nruns; i++)
        if (diverged & (1u << i))
            fprintf(stderr, "%s diverged at step %ld\n", sim->runs[i].label, sim->runs[i].step + 1);
}

/* Steps every run, writing each new point to trace when it is given. */
static void run_steps(Session *ses, long steps, FILE *trace)
{
    Sim *sim = &ses->sim;
    if (trace) {
        sim_trace_header(trace);
        for (int i = 0; i < sim->nruns; i++)
            sim_trace_row(trace, &sim->runs[i]);
    }
    for (long k = 0; k < steps && sim_live_runs(sim) > 0; k++) {
        report_divergence(sim, session_step(ses));
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

int app_dump_state(const Session *ses, const char *path, char *err, size_t errlen)
{
    FILE *f = open_output("state", path, err, errlen);
    if (!f)
        return -1;
    session_dump_json(ses, f);
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

/* The view change of moving frame i: small pans and zooms about the map's centre, through
 * the same actions the mouse sends, going back and forth so the scene stays in sight. */
static Action bench_move(const Session *ses, long i)
{
    const int forth = (i / BENCH_SWING) % 2 == 0;
    if (i % 2 == 0)
        return (Action){ .kind = ACTION_PAN, .x = forth ? BENCH_PAN_PX : -BENCH_PAN_PX, .y = forth ? 1 : -1 };
    return (Action){ .kind = ACTION_ZOOM, .x = ses->view.px + ses->view.pw / 2, .y = ses->view.py + ses->view.ph / 2,
                     .factor = forth ? BENCH_ZOOM : 1 / BENCH_ZOOM };
}

/* Renders `frames` frames, the runs advancing one step per frame and, when `moving`, the
 * view changing before each; ms gets the sorted frame times. */
static int time_frames(Draw *d, Session *ses, long frames, int moving, double *ms, char *err, size_t errlen)
{
    for (long i = 0; i < frames; i++) {
        const double t0 = now_ms();
        if (moving) {
            const Action a = bench_move(ses, i);
            session_apply(ses, &a);
        }
        session_step(ses);
        if (draw_frame(d, ses, 0, err, errlen) < 0)
            return -1;
        ms[i] = now_ms() - t0;
    }
    qsort(ms, (size_t)frames, sizeof *ms, by_value);
    return 0;
}

static void print_times(const char *prefix, const double *ms, long frames)
{
    const long p95 = (long)(frames * 0.95) < frames ? (long)(frames * 0.95) : frames - 1;
    printf("%smedian %.3f ms\n", prefix, ms[frames / 2]);
    printf("%sp95 %.3f ms\n", prefix, ms[p95]);
    printf("%smax %.3f ms\n", prefix, ms[frames - 1]);
}

/* Simulation alone: steps of every run, with trails and history, on a copy of the session. */
static double steps_per_second(const Session *ses)
{
    Session *copy = malloc(sizeof *copy);
    if (!copy)
        return 0;
    *copy = *ses;
    long steps = 0;
    const double t0 = now_ms();
    double t = t0;
    while (t - t0 < BENCH_SIM_MS && sim_live_runs(&copy->sim) > 0) {
        for (int k = 0; k < 1000; k++)
            session_step(copy);
        steps += 1000;
        t = now_ms();
    }
    free(copy);
    return t > t0 ? steps / ((t - t0) / 1e3) : 0;
}

/* A screenshot of the frame as shown, and one rendered from nothing (contour layer and
 * every trail drawn again), as the window's Shift+S does; both written to a scratch file. */
static int time_png(Draw *d, const Session *ses, double *png_ms, double *shot_ms, char *err, size_t errlen)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/optiscope-bench-%ld.png", dir && dir[0] ? dir : "/tmp", (long)getpid());
    double t0 = now_ms();
    if (shot_write_png(&d->frame, path, err, errlen) < 0)
        return -1;
    *png_ms = now_ms() - t0;
    t0 = now_ms();
    d->base_valid = 0;
    if (draw_frame(d, ses, 0, err, errlen) < 0 || shot_write_png(&d->frame, path, err, errlen) < 0) {
        unlink(path);
        return -1;
    }
    *shot_ms = now_ms() - t0;
    unlink(path);
    return 0;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) < 0)
        return 0;
    return ru.ru_maxrss / 1024.0; /* kilobytes on Linux */
}

static int trail_points(const Session *ses)
{
    int n = 0;
    for (int i = 0; i < ses->sim.nruns; i++)
        n += ses->trails[i].n;
    return n;
}

/* Every measure of the frame loop, one `name value unit` line each: steady frames (the
 * contour layer cached), frames whose view changes (the layer recomputed), the simulation
 * alone, screenshots and peak memory. */
static int bench(Draw *d, Session *ses, long frames, char *err, size_t errlen)
{
    double *ms = malloc((size_t)frames * sizeof *ms);
    if (!ms) {
        snprintf(err, errlen, "out of memory for %ld frame times", frames);
        return 1;
    }
    double png_ms = 0, shot_ms = 0;
    printf("frames %ld\n", frames);
    printf("size %dx%d px\n", d->frame.w, d->frame.h);
    printf("runs %d\n", ses->sim.nruns);
    printf("trail_points %d\n", trail_points(ses));
    unsigned long builds = d->base_builds;
    int rc = 1;
    if (draw_frame(d, ses, 0, err, errlen) < 0 || time_frames(d, ses, frames, 0, ms, err, errlen) < 0)
        goto done;
    print_times("", ms, frames);
    printf("contour_rebuilds %lu\n", d->base_builds - builds - 1);
    builds = d->base_builds;
    if (time_frames(d, ses, frames, 1, ms, err, errlen) < 0)
        goto done;
    print_times("pan ", ms, frames);
    printf("pan contour_rebuilds %lu\n", d->base_builds - builds);
    printf("steps_per_second %.0f steps/s\n", steps_per_second(ses));
    if (time_png(d, ses, &png_ms, &shot_ms, err, errlen) < 0)
        goto done;
    printf("png_ms %.1f ms\n", png_ms);
    printf("shot_ms %.1f ms\n", shot_ms);
    printf("peak_rss_mb %.1f MB\n", peak_rss_mb());
    rc = 0;
done:
    free(ms);
    return rc;
}

/* Everything the picture needs: canvases at the output size, and the session laid out in them. */
int app_prepare(Draw *d, Session *ses, const Config *c, int w, int h, double px_per_point, char *err, size_t errlen)
{
    if (draw_init(d, w, h, px_per_point, err, errlen) < 0)
        return -1;
    double rect[4];
    draw_map_rect(d, c->title[0] != 0, rect);
    if (session_init(ses, c, rect[0], rect[1], rect[2], rect[3], err, errlen) < 0)
        return -1;
    session_set_panel_room(ses, overlay_panel_room(d, ses));
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
    if (c->record && encode_check(c->record, err, errlen) < 0)
        return -1;
    return 0;
}

static int run_job(Draw *d, Session *ses, const Config *c, char *err, size_t errlen)
{
    const int drawing = c->screenshot || c->bench || c->record;
    const double scale = c->scale;
    if (drawing) {
        if (app_prepare(d, ses, c, (int)lround(c->width * scale), (int)lround(c->height * scale),
                        scale * c->font_scale, err, errlen) < 0)
            return 1; /* no font, no memory: the machine's problem, not the input's */
    } else if (session_init(ses, c, 0, 0, c->width, c->height, err, errlen) < 0) {
        return 2;
    }
    FILE *trace = NULL;
    if (c->trace && !(trace = open_output("trace", c->trace, err, errlen)))
        return 2;
    const long steps = c->steps ? c->steps : (c->bench ? 0 : HEADLESS_DEFAULT_STEPS);
    if (!c->record)
        run_steps(ses, steps, trace);
    else if (record_headless(d, ses, c, steps, trace, err, errlen) != 0) {
        if (trace && trace != stdout)
            fclose(trace);
        return 1;
    }
    if (trace && close_output(trace, "trace", c->trace, err, errlen) < 0)
        return 1;
    if (c->screenshot) {
        if (draw_frame(d, ses, 0, err, errlen) < 0 || shot_write_png(&d->frame, c->screenshot, err, errlen) < 0)
            return 1;
    }
    if (c->bench && bench(d, ses, c->bench, err, errlen))
        return 1;
    if (c->dump_state && app_dump_state(ses, c->dump_state, err, errlen) < 0)
        return 1;
    return 0;
}

int headless_run(const Config *c, char *err, size_t errlen)
{
    if (check_outputs(c, err, errlen) < 0)
        return 2;
    Session *ses = calloc(1, sizeof *ses);
    Draw *d = calloc(1, sizeof *d);
    int rc = 1;
    if (!ses || !d)
        snprintf(err, errlen, "out of memory");
    else
        rc = run_job(d, ses, c, err, errlen);
    if (d && d->text)
        draw_free(d);
    free(d);
    free(ses);
    return rc;
}
