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

#include "../core/sort.h"
#include "../session/session.h"
#include "app.h"
#include "../render/draw.h"
#include "files.h"
#include "input.h"
#include "output.h"
#include "record.h"

#define HEADLESS_DEFAULT_STEPS 500
/* The moving benchmark: pans of this many pixels and zooms by this factor, alternating,
 * reversing direction every BENCH_SWING frames. */
#define BENCH_PAN_PX 3
#define BENCH_ZOOM 1.01
#define BENCH_SWING 60
#define BENCH_SIM_MS 300.0
/* The drag: the pointer moves this many pixels a frame, turning back every BENCH_SWING
 * frames; the zoom: BENCH_WHEELS wheel steps, in and out, each followed by frames until the
 * exact picture is shown (at most BENCH_SETTLE_MS), frames paced as a 60 Hz display would. */
#define BENCH_DRAG_PX 6
#define BENCH_WHEELS 24
#define BENCH_FRAME_MS (1000.0 / 60)
#define BENCH_SETTLE_MS 2000.0

/* Steps every run, writing each new point to the trace when there is one; stops at the
 * first failed write rather than after all the steps. */
static int run_steps(Session *ses, long steps, Output *trace, char *err, size_t errlen)
{
    RecordLog log = { .loud = 1 };
    if (trace)
        log.csv[log.ncsv++] = trace->f;
    record_log_start(&log, &ses->sim);
    for (long k = 0; k < steps && sim_live_runs(&ses->sim) > 0; k++) {
        record_advance(ses, k, 1, &log);
        if (trace && output_failed(trace, err, errlen))
            return -1;
    }
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
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
        if (draw_frame(d, ses, &(DrawOptions){ .live = 0 }, err, errlen) < 0)
            return -1;
        ms[i] = now_ms() - t0;
    }
    sort_doubles(ms, (size_t)frames);
    return 0;
}

static void nap_ms(double ms)
{
    const struct timespec ts = { 0, (long)(ms * 1e6) };
    nanosleep(&ts, NULL);
}

/* The view under the pointer, frames as a window draws them: progressive, the session's
 * actions coming from SDL events through the same translation as in the window. */
static void feed(Session *ses, Mouse *m, SDL_Event e)
{
    const Action a = input_translate(&e, m, 1, 1);
    if (a.kind != ACTION_NONE)
        session_apply(ses, &a);
}

static int window_frame(Draw *d, Session *ses, const Mouse *m, char *err, size_t errlen)
{
    const DrawOptions o = { .live = 0, .progressive = 1, .dragging = input_dragging(m) };
    return draw_frame(d, ses, &o, err, errlen);
}

/* Frames at 60 Hz, as a display takes them, until the picture is exact or BENCH_SETTLE_MS
 * have passed since t0. Each frame's time goes to ms while there is room (ms may be NULL),
 * the first's to *first (may be NULL). */
static int frames_until_exact(Draw *d, Session *ses, const Mouse *m, double t0, double *ms, long cap, long *n,
                              double *first, char *err, size_t errlen)
{
    for (int f = 0;; f++) {
        const double start = now_ms();
        if (window_frame(d, ses, m, err, errlen) < 0)
            return -1;
        const double took = now_ms() - start;
        if (f == 0 && first)
            *first = took;
        if (ms && *n < cap)
            ms[(*n)++] = took;
        if (draw_settled(d) || now_ms() - t0 > BENCH_SETTLE_MS)
            return 0;
        while (now_ms() < start + BENCH_FRAME_MS)
            nap_ms(0.2);
    }
}

/* A drag across the map: button down at its centre, then every frame the pointer moves and
 * the runs step, and the frame is drawn; ms gets the sorted frame times. After the release,
 * *refine_ms is how long the exact picture took to come (frames paced at 60 Hz). */
static int time_drag(Draw *d, Session *ses, long frames, double *ms, double *refine_ms, char *err, size_t errlen)
{
    Mouse m = { 0 };
    int x = (int)(ses->view.px + ses->view.pw / 2), y = (int)(ses->view.py + ses->view.ph / 2);
    if (window_frame(d, ses, &m, err, errlen) < 0) /* the window's first frame makes room for the refinement */
        return -1;
    feed(ses, &m, (SDL_Event){ .button = { .type = SDL_MOUSEBUTTONDOWN, .button = SDL_BUTTON_LEFT, .x = x, .y = y } });
    for (long i = 0; i < frames; i++) {
        const int forth = (i / BENCH_SWING) % 2 == 0;
        x += forth ? BENCH_DRAG_PX : -BENCH_DRAG_PX;
        y += forth ? BENCH_DRAG_PX / 3 : -BENCH_DRAG_PX / 3;
        const double t0 = now_ms();
        feed(ses, &m, (SDL_Event){ .motion = { .type = SDL_MOUSEMOTION, .x = x, .y = y } });
        session_step(ses);
        if (window_frame(d, ses, &m, err, errlen) < 0)
            return -1;
        ms[i] = now_ms() - t0;
    }
    feed(ses, &m, (SDL_Event){ .button = { .type = SDL_MOUSEBUTTONUP, .button = SDL_BUTTON_LEFT, .x = x, .y = y } });
    const double t0 = now_ms();
    if (frames_until_exact(d, ses, &m, t0, NULL, 0, NULL, NULL, err, errlen) < 0)
        return -1;
    *refine_ms = now_ms() - t0;
    sort_doubles(ms, (size_t)frames);
    return 0;
}

/* Wheel steps about the map's centre, each followed by frames at 60 Hz until the exact
 * picture is shown: every frame's time into ms (sorted; *n of them), the first frame after
 * each step into first and the time until the exact picture into exact (both sorted). */
static int time_zoom(Draw *d, Session *ses, double *ms, long cap, long *n, double first[BENCH_WHEELS],
                     double exact[BENCH_WHEELS], char *err, size_t errlen)
{
    Mouse m = { 0 };
    const int x = (int)(ses->view.px + ses->view.pw / 2), y = (int)(ses->view.py + ses->view.ph / 2);
    *n = 0;
    for (int k = 0; k < BENCH_WHEELS; k++) {
        const int in = (k / 4) % 2 == 0; /* four steps in, four out */
        const double t0 = now_ms();
        feed(ses, &m,
             (SDL_Event){ .wheel = { .type = SDL_MOUSEWHEEL, .y = in ? 1 : -1, .mouseX = x, .mouseY = y } });
        if (frames_until_exact(d, ses, &m, t0, ms, cap, n, &first[k], err, errlen) < 0)
            return -1;
        exact[k] = now_ms() - t0;
    }
    sort_doubles(ms, (size_t)*n);
    sort_doubles(first, BENCH_WHEELS);
    sort_doubles(exact, BENCH_WHEELS);
    return 0;
}

static void print_times(const char *prefix, const double *ms, long frames)
{
    const long p95 = (long)(frames * 0.95) < frames ? (long)(frames * 0.95) : frames - 1;
    printf("%smedian %.3f ms\n", prefix, ms[frames / 2]);
    printf("%sp95 %.3f ms\n", prefix, ms[p95]);
    printf("%smax %.3f ms\n", prefix, ms[frames - 1]);
}

/* Simulation alone: steps of every run, with trails, history and the timeline, on a clone
 * of the session (its own past, so the session's stays as it was). */
static double steps_per_second(const Session *ses)
{
    Session *copy = session_clone(ses);
    if (!copy)
        return 0;
    long steps = 0;
    const double t0 = now_ms();
    double t = t0;
    while (t - t0 < BENCH_SIM_MS && sim_live_runs(&copy->sim) > 0) {
        for (int k = 0; k < 1000; k++)
            session_step(copy);
        steps += 1000;
        t = now_ms();
    }
    session_free(copy);
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
    if (output_png(draw_picture(d), path, err, errlen) < 0)
        return -1;
    *png_ms = now_ms() - t0;
    t0 = now_ms();
    draw_invalidate(d);
    if (draw_frame(d, ses, &(DrawOptions){ .live = 0 }, err, errlen) < 0 ||
        output_png(draw_picture(d), path, err, errlen) < 0) {
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

/* Pixels in the boxes the frame says changed since the last call. */
static long changed_pixels(Canvas *c)
{
    CanvasBox boxes[64];
    const int n = canvas_take_changes(c, boxes, 64);
    long px = 0;
    for (int i = 0; i < n; i++)
        px += (long)boxes[i].w * boxes[i].h;
    return px;
}

/* Live frames as the window draws them: `steps` steps before each (0: paused, nothing
 * changes); their times into ms and the mean pixels each sent, after one to settle. */
static int live_frames(Draw *d, Session *ses, long frames, int steps, double *ms, double *pixels, char *err,
                       size_t errlen)
{
    const DrawOptions live = { .live = 1, .recording = -1 };
    app_relayout(d, ses, 1);
    if (canvas_track_changes(draw_picture(d)) < 0) {
        snprintf(err, errlen, "out of memory for the changes");
        return -1;
    }
    if (draw_frame(d, ses, &live, err, errlen) < 0)
        return -1;
    changed_pixels(draw_picture(d));
    long px = 0;
    for (long i = 0; i < frames; i++) {
        const double t0 = now_ms();
        for (int k = 0; k < steps; k++)
            session_step(ses);
        app_relayout(d, ses, 1);
        if (draw_frame(d, ses, &live, err, errlen) < 0)
            return -1;
        ms[i] = now_ms() - t0;
        px += changed_pixels(draw_picture(d));
    }
    sort_doubles(ms, (size_t)frames);
    *pixels = (double)px / frames;
    return 0;
}

/* The window's frames: running (steps only), then paused with nothing changing, which
 * must draw and send nothing. */
static int live_measures(Draw *d, Session *ses, long frames, double *ms, char *err, size_t errlen)
{
    double pixels;
    if (ses->paused) {
        const Action run = { .kind = ACTION_PAUSE };
        session_apply(ses, &run);
    }
    if (live_frames(d, ses, frames, 1, ms, &pixels, err, errlen) < 0)
        return -1;
    print_times("steady_live ", ms, frames);
    printf("steady_live_pixels_per_frame %.0f px\n", pixels);
    const Action pause = { .kind = ACTION_PAUSE };
    session_apply(ses, &pause);
    if (live_frames(d, ses, frames, 0, ms, &pixels, err, errlen) < 0)
        return -1;
    printf("idle_pixels_per_frame %.0f px\n", pixels);
    return 0;
}

/* The 3D view beside the map (issue 30): steady frames, the runs advancing a step a frame
 * with the camera standing (the surface kept, only new segments drawn), then frames whose
 * camera turns a little each (everything drawn again). The views are put back after. */
#define BENCH_ORBIT_PX 10 /* a drag of this many pixels a frame: 4 degrees */
static int surface_measures(Draw *d, Session *ses, long frames, double *ms, char *err, size_t errlen)
{
    const int views = ses->views;
    const Action next = { .kind = ACTION_VIEWS_NEXT };
    while (ses->views != VIEWS_BOTH)
        session_apply(ses, &next);
    app_relayout(d, ses, 0);
    if (draw_frame(d, ses, &(DrawOptions){ .live = 0 }, err, errlen) < 0 ||
        time_frames(d, ses, frames, 0, ms, err, errlen) < 0)
        return -1;
    print_times("surface ", ms, frames);
    const unsigned long builds = draw_surface_builds(d);
    for (long i = 0; i < frames; i++) {
        const double t0 = now_ms();
        const Action turn = { .kind = ACTION_ORBIT, .x = BENCH_ORBIT_PX };
        session_apply(ses, &turn);
        session_step(ses);
        if (draw_frame(d, ses, &(DrawOptions){ .live = 0 }, err, errlen) < 0)
            return -1;
        ms[i] = now_ms() - t0;
    }
    sort_doubles(ms, (size_t)frames);
    print_times("orbit ", ms, frames);
    printf("orbit surface_rebuilds %lu\n", draw_surface_builds(d) - builds);
    printf("surface mesh %d\n", draw_surface_mesh(d));
    while (ses->views != views)
        session_apply(ses, &next);
    app_relayout(d, ses, 0);
    return 0;
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
    printf("size %dx%d px\n", draw_picture(d)->w, draw_picture(d)->h);
    printf("runs %d\n", ses->sim.nruns);
    printf("trail_points %d\n", trail_points(ses));
    unsigned long builds = draw_map_builds(d);
    int rc = 1;
    if (draw_frame(d, ses, &(DrawOptions){ .live = 0 }, err, errlen) < 0 ||
        time_frames(d, ses, frames, 0, ms, err, errlen) < 0)
        goto done;
    print_times("", ms, frames);
    printf("contour_rebuilds %lu\n", draw_map_builds(d) - builds - 1);
    builds = draw_map_builds(d);
    if (time_frames(d, ses, frames, 1, ms, err, errlen) < 0)
        goto done;
    print_times("pan ", ms, frames);
    printf("pan contour_rebuilds %lu\n", draw_map_builds(d) - builds);
    /* Here, where commit 2522ae3's benchmark measured it, before the moving view: after the
     * drags and wheel steps the pace measured came out at half (the map's refinement threads
     * still at work beside it), which is not the simulation's. */
    const double steps_per_s = steps_per_second(ses);
    double refine_ms, first[BENCH_WHEELS], exact[BENCH_WHEELS];
    long zoomed;
    if (time_drag(d, ses, frames, ms, &refine_ms, err, errlen) < 0)
        goto done;
    print_times("drag ", ms, frames);
    printf("drag refine_ms %.1f ms\n", refine_ms);
    if (time_zoom(d, ses, ms, frames, &zoomed, first, exact, err, errlen) < 0)
        goto done;
    print_times("zoom ", ms, zoomed);
    printf("zoom first_median %.3f ms\n", first[BENCH_WHEELS / 2]);
    printf("zoom first_max %.3f ms\n", first[BENCH_WHEELS - 1]);
    printf("zoom exact_median %.1f ms\n", exact[BENCH_WHEELS / 2]);
    printf("zoom exact_max %.1f ms\n", exact[BENCH_WHEELS - 1]);
    printf("steps_per_second %.0f steps/s\n", steps_per_s);
    if (time_png(d, ses, &png_ms, &shot_ms, err, errlen) < 0)
        goto done;
    printf("png_ms %.1f ms\n", png_ms);
    printf("shot_ms %.1f ms\n", shot_ms);
    if (live_measures(d, ses, frames, ms, err, errlen) < 0)
        goto done;
    printf("peak_rss_mb %.1f MB\n", peak_rss_mb());
    printf("session_bytes %zu bytes\n", sizeof *ses);
    printf("timeline_bytes %zu bytes\n", sizeof *ses->timeline);
    printf("atlas_kb %.0f kB\n", draw_text_bytes(d) / 1024.0);
    if (surface_measures(d, ses, frames, ms, err, errlen) < 0)
        goto done;
    rc = 0;
done:
    free(ms);
    return rc;
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
    if (c->record && encode_check(c->record, (int)lround(c->width * c->scale), (int)lround(c->height * c->scale), err,
                                  errlen) < 0)
        return -1;
    return 0;
}

static AppStatus run_job(Session *ses, Draw **d, const Config *c, char *err, size_t errlen)
{
    /* The dump tells where everything went, so it lays the picture out as well. */
    const int drawing = c->screenshot || c->bench || c->dump_state || c->record;
    const double scale = c->scale;
    if (drawing) {
        *d = app_prepare(ses, c, (int)lround(c->width * scale), (int)lround(c->height * scale), scale * c->font_scale,
                         0, err, errlen);
        if (!*d)
            return APP_FAILED; /* no font, no memory: the machine's problem, not the input's */
    } else if (session_init(ses, c, 0, 0, c->width, c->height, err, errlen) < 0) {
        return APP_BAD_INPUT;
    }
    Output trace;
    if (c->trace && output_open(&trace, "trace", c->trace, err, errlen) < 0)
        return APP_BAD_INPUT;
    const long steps = c->steps ? c->steps : (c->bench ? 0 : HEADLESS_DEFAULT_STEPS);
    const int failed = c->record ? record_headless(*d, ses, c, steps, c->trace ? trace.f : NULL, err, errlen) != 0
                                 : run_steps(ses, steps, c->trace ? &trace : NULL, err, errlen) < 0;
    if (failed) {
        if (c->trace)
            output_abort(&trace);
        return APP_FAILED;
    }
    if (c->trace && output_commit(&trace, err, errlen) < 0)
        return APP_FAILED;
    if (*d)
        app_relayout(*d, ses, 0);
    if (c->screenshot) {
        if (draw_frame(*d, ses, &(DrawOptions){ .live = 0 }, err, errlen) < 0 ||
            output_png(draw_picture(*d), c->screenshot, err, errlen) < 0)
            return APP_FAILED;
    }
    if (c->bench && bench(*d, ses, c->bench, err, errlen))
        return APP_FAILED;
    if (c->dump_state && app_dump_state(ses, *d, 0, c->dump_state, err, errlen) < 0)
        return APP_FAILED;
    return APP_OK;
}

AppStatus headless_run(const Config *c, char *err, size_t errlen)
{
    if (check_outputs(c, err, errlen) < 0)
        return APP_BAD_INPUT;
    output_remove_on_signals();
    Session *ses = calloc(1, sizeof *ses);
    Draw *d = NULL;
    AppStatus rc = APP_FAILED;
    if (!ses)
        snprintf(err, errlen, "out of memory");
    else
        rc = run_job(ses, &d, c, err, errlen);
    draw_free(d);
    session_free(ses);
    return rc;
}
