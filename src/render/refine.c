/* The map refined in the background (see refine.h). */
#include "refine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/parallel.h"
#include "map.h"
#include "worker.h"

#define REFINE_COARSE_FACTOR 4 /* the coarse level samples this many times more sparsely */

/* The worker paints into `canvas` and `field`, which only it touches until it publishes a
 * level; the frame then swaps them for its own under the lock, and the worker continues in
 * what it got back. */
struct Refine {
    Canvas canvas;
    Field field;
    int threads;
    Worker w;
    RefineJob job;      /* the job asked for; valid when gen > 0 */
    unsigned long gen;  /* counts requests and cancels */
    int wanted;         /* the job is wanted */
    int ready;          /* a level of it waits to be taken (REFINE_COARSE or REFINE_EXACT) */
    int level;          /* the last level computed for gen */
    int working;        /* the worker is painting into canvas and field (the lock is not held) */
    unsigned long level_gen;
};

typedef struct {
    Canvas *c;
    const MapPaint *m;
    int contours, row0, row1;
} Band;

static void *paint_band(void *arg)
{
    const Band *b = arg;
    map_heat(b->c, b->m, b->row0, b->row1);
    if (b->contours)
        map_isolines(b->c, b->m, b->row0, b->row1);
    return NULL;
}

static int stale(Refine *r, unsigned long gen)
{
    pthread_mutex_lock(&r->w.lock);
    const int s = r->w.quit || r->gen != gen;
    pthread_mutex_unlock(&r->w.lock);
    return s;
}

/* One level of the job's map into the worker's canvas and field; -1 when it cannot be
 * done (no memory) or was abandoned. */
static int compute(Refine *r, const RefineJob *job, int level, unsigned long gen)
{
    char err[256];
    if (r->canvas.w != job->w || r->canvas.h != job->h) {
        canvas_free(&r->canvas);
        if (canvas_init(&r->canvas, job->w, job->h, err, sizeof err) < 0)
            return -1;
    }
    const View *v = &job->view;
    const int step = map_step(v) * (level == REFINE_COARSE ? REFINE_COARSE_FACTOR : 1);
    const CanvasBox pixels = { (int)v->px, (int)v->py, (int)v->pw, (int)v->ph };
    if (map_sample(&r->field, &job->func, v, pixels, step, NULL, r->threads, err, sizeof err) < 0 || stale(r, gen))
        return -1;
    const Palette *pal = theme_palette(job->theme);
    uint32_t lut[MAP_LUT];
    map_lut(lut, pal);
    const MapPaint m = map_paint_of(v, &r->field, lut, step, pal, job->s);
    Band bands[PARALLEL_MAX];
    const int n = r->threads;
    for (int w = 0; w < n; w++)
        bands[w] = (Band){ &r->canvas, &m, job->contours, (int)((long long)job->h * w / n),
                           (int)((long long)job->h * (w + 1) / n) };
    parallel_run(bands, sizeof bands[0], n, paint_band);
    return 0;
}

static void *worker(void *arg)
{
    Refine *r = arg;
    pthread_mutex_lock(&r->w.lock);
    while (!r->w.quit) {
        const int done = r->level_gen == r->gen && r->level == REFINE_EXACT;
        if (!r->wanted || r->ready || done) {
            pthread_cond_wait(&r->w.wake, &r->w.lock);
            continue;
        }
        const unsigned long gen = r->gen;
        const int level = r->level_gen == gen ? r->level + 1 : REFINE_COARSE;
        const RefineJob job = r->job;
        r->working = 1;
        pthread_mutex_unlock(&r->w.lock);
        const int ok = compute(r, &job, level, gen) == 0;
        pthread_mutex_lock(&r->w.lock);
        r->working = 0;
        if (r->gen != gen)
            continue; /* a newer job: start over */
        r->level_gen = gen;
        r->level = ok ? level : REFINE_EXACT;
        r->ready = ok ? level : REFINE_NONE;
        r->wanted = ok; /* out of memory: the frame draws the map itself */
    }
    pthread_mutex_unlock(&r->w.lock);
    return NULL;
}

Refine *refine_new(int threads, char *err, size_t errlen)
{
    Refine *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory for the map's refinement");
        return NULL;
    }
    field_init(&r->field);
    r->threads = threads < 1 ? 1 : threads > PARALLEL_MAX ? PARALLEL_MAX : threads;
    worker_init(&r->w);
    return r;
}

void refine_free(Refine *r)
{
    if (!r)
        return;
    worker_stop(&r->w);
    canvas_free(&r->canvas);
    field_free(&r->field);
    free(r);
}

void refine_request(Refine *r, const RefineJob *job)
{
    pthread_mutex_lock(&r->w.lock);
    if (!r->wanted || memcmp(job, &r->job, sizeof *job) != 0) {
        r->job = *job;
        r->wanted = 1;
        r->gen++;
        r->ready = REFINE_NONE;
        worker_start(&r->w, worker, r);
        pthread_cond_signal(&r->w.wake);
    }
    pthread_mutex_unlock(&r->w.lock);
}

void refine_cancel(Refine *r)
{
    pthread_mutex_lock(&r->w.lock);
    if (r->wanted) {
        r->wanted = 0;
        r->gen++;
        r->ready = REFINE_NONE;
    }
    pthread_mutex_unlock(&r->w.lock);
}

int refine_take(Refine *r, const RefineJob *job, Canvas *canvas, Field *field)
{
    pthread_mutex_lock(&r->w.lock);
    int level = REFINE_NONE;
    if (r->wanted && r->ready && memcmp(job, &r->job, sizeof *job) == 0) {
        level = r->ready;
        const Canvas c = *canvas;
        *canvas = r->canvas;
        r->canvas = c;
        const Field f = *field;
        *field = r->field;
        r->field = f;
        r->ready = REFINE_NONE;
        if (level == REFINE_EXACT)
            r->wanted = 0;
        pthread_cond_signal(&r->w.wake);
    }
    pthread_mutex_unlock(&r->w.lock);
    return level;
}

int refine_reserve(Refine *r, int w, int h, char *err, size_t errlen)
{
    pthread_mutex_lock(&r->w.lock);
    int rc = 0;
    if (!r->working && !r->wanted && (r->canvas.w != w || r->canvas.h != h)) { /* the canvas is free */
        canvas_free(&r->canvas);
        rc = canvas_init(&r->canvas, w, h, err, errlen);
    }
    pthread_mutex_unlock(&r->w.lock);
    return rc;
}
