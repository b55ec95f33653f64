/* The map's explanations (see why.h): the selected run's Hessian axes, and the basin map
 * with the thread that computes it while frames go on. */
#include "why.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/curvature.h"
#include "../core/func.h"
#include "../core/internals.h"
#include "worker.h"

#define AXIS_LONGEST 46.0 /* points: the half-length of the larger |λ|'s axis */
#define AXIS_SHORTEST 4.0 /* points: a vanishing curvature still shows its direction */
#define AXIS_DASHES 7

/* A segment from the centre out both ways along (ux, uy), `half` pixels each side. */
static void axis(Canvas *c, double cx, double cy, double ux, double uy, double half, double width, Rgba col,
                 int dashed)
{
    if (!dashed) {
        canvas_line(c, cx - ux * half, cy - uy * half, cx + ux * half, cy + uy * half, width, col);
        return;
    }
    const double piece = 2 * half / (2 * AXIS_DASHES - 1);
    for (int k = 0; k < AXIS_DASHES; k++) {
        const double a = -half + 2 * k * piece, b = a + piece;
        canvas_line(c, cx + ux * a, cy + uy * a, cx + ux * b, cy + uy * b, width, col);
    }
}

void why_axes(Canvas *c, const Session *ses, double s, const Palette *pal)
{
    if (!(ses->shown & SHOW_CURVATURE) || ses->sim.nruns == 0)
        return;
    const Run *r = &ses->sim.runs[ses->selected];
    if (r->hidden || r->diverged)
        return;
    CurvEigen e;
    curv_eigen_at(&ses->sim.func, r->x, r->y, &e);
    const double big = fmax(fabs(e.lmax), fabs(e.lmin));
    if (!(big > 0) || !isfinite(big))
        return;
    const double cx = view_sx(&ses->view, r->x), cy = view_sy(&ses->view, r->y);
    if (!(fabs(cx) < 1e7 && fabs(cy) < 1e7))
        return;
    const double lambda[2] = { e.lmax, e.lmin };
    const double *v[2] = { e.vmax, e.vmin };
    for (int edge = 1; edge >= 0; edge--)
        for (int i = 0; i < 2; i++) {
            const double half = s * fmax(AXIS_SHORTEST, AXIS_LONGEST * fabs(lambda[i]) / big);
            const Rgba col = edge ? pal->marker_edge : lambda[i] < 0 ? pal->unstable : pal->minimum;
            /* Screen y grows downwards: the direction's y flips. */
            axis(c, cx, cy, v[i][0], -v[i][1], half, (edge ? 4.2 : 2.0) * s, col, lambda[i] < 0);
        }
}

#define INTERNALS_LEAST 40.0 /* points: the longest arrow is drawn at least this long (×2, ×5, ×10, ...) */
#define INTERNALS_HEAD 7.0   /* points: an arrowhead's sides */
#define INTERNALS_BOX 36.0   /* points: the step-size box's longer half-side */

/* Whether run i's internals are drawn: the selected run's, or every shown run's. */
static int internals_shown(const Session *ses, int i)
{
    const Run *r = &ses->sim.runs[i];
    if (!(ses->shown & SHOW_INTERNALS) || r->hidden || r->diverged)
        return 0;
    return i == ses->selected || ((ses->shown & SHOW_INTERNALS_ALL) && !ses->slow_phase);
}

static double unit_x(const View *v)
{
    return fabs(view_sx(v, 1) - view_sx(v, 0));
}

static double unit_y(const View *v)
{
    return fabs(view_sy(v, 1) - view_sy(v, 0));
}

double why_internals_scale(const Session *ses, double s)
{
    /* The largest factor every shown run's longest arrow can take: one scale for all. */
    double k = 0;
    for (int i = 0; i < ses->sim.nruns; i++) {
        Internals in;
        if (internals_shown(ses, i) && internals_of(&ses->sim, &ses->sim.runs[i], &in, NULL) == 0) {
            const double ki = internals_arrow_scale(&in, unit_x(&ses->view), unit_y(&ses->view), INTERNALS_LEAST * s);
            k = k == 0 ? ki : fmin(k, ki);
        }
    }
    return k > 0 ? k : 1;
}

/* An arrow from (x, y) by (dx, dy) pixels: an edge-coloured stroke under a coloured one. */
static void arrow(Canvas *c, double x, double y, double dx, double dy, double width, Rgba col, Rgba edge, double s)
{
    const double len = hypot(dx, dy);
    if (!(len > 0.5) || !isfinite(len))
        return;
    const double ux = dx / len, uy = dy / len, head = fmin(INTERNALS_HEAD * s, len * 0.6);
    const double tx = x + dx, ty = y + dy;
    for (int pass = 0; pass < 2; pass++) {
        const double w = pass ? width : width + 2.4 * s;
        const Rgba k = pass ? col : edge;
        canvas_line(c, x, y, tx, ty, w, k);
        canvas_line(c, tx, ty, tx - head * (ux - 0.5 * uy), ty - head * (uy + 0.5 * ux), w, k);
        canvas_line(c, tx, ty, tx - head * (ux + 0.5 * uy), ty - head * (uy - 0.5 * ux), w, k);
    }
}

/* The per-coordinate step sizes as a box around the point, its sides in their ratio and its
 * longer half-side INTERNALS_BOX: the sizes themselves can be far past lr (AdaGrad's along a
 * flat axis), and what a class must see is their shape; their numbers are in the rule. */
static void scale_box(Canvas *c, double x, double y, double rx, double ry, double s, Rgba col, Rgba edge)
{
    if (!(rx > 0.5 || ry > 0.5) || !isfinite(rx) || !isfinite(ry))
        return;
    const double xs[5] = { x - rx, x + rx, x + rx, x - rx, x - rx }, ys[5] = { y - ry, y - ry, y + ry, y + ry, y - ry };
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < 4; k++)
            canvas_line(c, xs[k], ys[k], xs[k + 1], ys[k + 1], pass ? 1.8 * s : 3.6 * s, pass ? col : edge);
}

void why_internals(Canvas *c, const Session *ses, double s, const Palette *pal)
{
    if (!(ses->shown & SHOW_INTERNALS) || ses->sim.nruns == 0)
        return;
    const double k = why_internals_scale(ses, s), ux = unit_x(&ses->view), uy = unit_y(&ses->view);
    for (int i = 0; i < ses->sim.nruns; i++) {
        Internals in;
        if (!internals_shown(ses, i) || internals_of(&ses->sim, &ses->sim.runs[i], &in, NULL) < 0)
            continue;
        const double x = view_sx(&ses->view, in.point[0]), y = view_sy(&ses->view, in.point[1]);
        if (!(fabs(x) < 1e7 && fabs(y) < 1e7))
            continue;
        /* In slow motion, each part from its phase on: the gradient, the moments, the scaling, the step. */
        const int upto = ses->slow_phase ? ses->slow_phase : INTERNALS_PHASE_STEP;
        if (in.has_scale && upto >= INTERNALS_PHASE_SCALING) {
            const double most = fmax(in.scale[0], in.scale[1]), half = INTERNALS_BOX * s;
            scale_box(c, x, y, half * in.scale[0] / most, half * in.scale[1] / most, s, pal->why_scale, pal->marker_edge);
        }
        /* Screen y grows downwards. Widest first: the step, the gradient step, the momentum
         * on top, so where two coincide (plain SGD's step and gradient step, Adam's m̂ along
         * g) each colour still shows inside the other. */
        if (upto >= INTERNALS_PHASE_STEP)
            arrow(c, x, y, k * in.step[0] * ux, -k * in.step[1] * uy, 6.6 * s, pal->why_step, pal->marker_edge, s);
        arrow(c, x, y, k * in.grad_step[0] * ux, -k * in.grad_step[1] * uy, 4.2 * s, pal->why_grad, pal->marker_edge, s);
        if (in.has_momentum && upto >= INTERNALS_PHASE_MOMENTS)
            arrow(c, x, y, k * in.momentum[0] * ux, -k * in.momentum[1] * uy, 2.2 * s, pal->why_momentum,
                  pal->marker_edge, s);
    }
}

/* Cells along the longer side: the fine grid about one cell per BASIN_PIXELS pixels, the
 * coarse one a quarter of that. */
#define BASIN_PIXELS 4
#define BASIN_COARSE 4

/* Three maps change hands under the lock: the worker computes into `work`, publishes it as
 * `ready`, and the frame takes `ready` as `shown`, so neither ever reads what the other writes. */
struct WhyBasins {
    BasinMap maps[3];
    BasinMap *work, *ready, *shown;
    int threads;
    Worker w;
    int has_ready;
    BasinJob want;               /* the fine job last asked for */
    unsigned long want_gen, version;
};

WhyBasins *why_basins_new(int threads, char *err, size_t errlen)
{
    WhyBasins *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory for the basin map");
        return NULL;
    }
    worker_init(&b->w);
    for (int i = 0; i < 3; i++)
        if (basin_init(&b->maps[i], err, errlen) < 0) {
            why_basins_free(b);
            return NULL;
        }
    b->work = &b->maps[0], b->ready = &b->maps[1], b->shown = &b->maps[2];
    b->threads = threads;
    return b;
}

void why_basins_free(WhyBasins *b)
{
    if (!b)
        return;
    worker_stop(&b->w);
    for (int i = 0; i < 3; i++)
        basin_free(&b->maps[i]);
    free(b);
}

typedef struct {
    WhyBasins *b;
    unsigned long gen;
} Pending;

/* A newer request or quitting makes the work in hand worthless. */
static int superseded(void *ctx)
{
    const Pending *p = ctx;
    pthread_mutex_lock(&p->b->w.lock);
    const int stale = p->b->w.quit || p->b->want_gen != p->gen;
    pthread_mutex_unlock(&p->b->w.lock);
    return stale;
}

static void *worker(void *arg)
{
    WhyBasins *b = arg;
    unsigned long done = 0;
    pthread_mutex_lock(&b->w.lock);
    while (!b->w.quit) {
        if (b->want_gen == done) {
            pthread_cond_wait(&b->w.wake, &b->w.lock);
            continue;
        }
        const BasinJob fine = b->want;
        Pending p = { b, b->want_gen };
        if (fine.nx == 0 || basin_same_job(&fine, &b->shown->job)) { /* nothing wanted, or shown already */
            done = p.gen;
            continue;
        }
        pthread_mutex_unlock(&b->w.lock);
        BasinJob coarse;
        basin_job(&coarse, &fine.func, &fine.opt, &fine.sched, fine.box,
                  (fine.nx > fine.ny ? fine.nx : fine.ny) / BASIN_COARSE);
        const BasinJob *passes[2] = { &coarse, &fine };
        int ok = 1;
        for (int k = 0; k < 2 && ok; k++) {
            ok = basin_compute(b->work, passes[k], b->threads, superseded, &p) == 0;
            pthread_mutex_lock(&b->w.lock);
            if (ok && b->want_gen == p.gen) {
                BasinMap *t = b->ready;
                b->ready = b->work, b->work = t;
                b->has_ready = 1;
            }
            pthread_mutex_unlock(&b->w.lock);
        }
        pthread_mutex_lock(&b->w.lock);
        done = p.gen;
    }
    pthread_mutex_unlock(&b->w.lock);
    return NULL;
}

/* The fine job for the session as it is: the selected run's optimizer and schedule over
 * the view. */
static void wanted_job(const Session *ses, BasinJob *job)
{
    const Run *r = &ses->sim.runs[ses->selected];
    const View *v = &ses->view;
    const double side = (v->pw > v->ph ? v->pw : v->ph) / BASIN_PIXELS;
    basin_job(job, &ses->sim.func, &r->opt, &r->sched, view_box(v), (int)side);
}

const BasinMap *why_basins_update(WhyBasins *b, const Session *ses, int live, unsigned long *version)
{
    if (!(ses->shown & SHOW_BASINS) || ses->sim.nruns == 0) {
        if (b->w.started && b->want.nx != 0) { /* stop the work in hand */
            pthread_mutex_lock(&b->w.lock);
            memset(&b->want, 0, sizeof b->want);
            b->want_gen++;
            pthread_mutex_unlock(&b->w.lock);
        }
        *version = 0;
        return NULL;
    }
    BasinJob job;
    wanted_job(ses, &job);
    if (!live) {
        if (!basin_same_job(&job, &b->shown->job) && basin_compute(b->shown, &job, b->threads, NULL, NULL) == 0)
            b->version++;
        *version = b->version;
        return b->shown;
    }
    pthread_mutex_lock(&b->w.lock);
    if (!basin_same_job(&job, &b->want)) {
        b->want = job;
        b->want_gen++;
        pthread_cond_signal(&b->w.wake);
    }
    if (b->has_ready) {
        BasinMap *t = b->shown;
        b->shown = b->ready, b->ready = t;
        b->has_ready = 0;
        b->version++;
    }
    pthread_mutex_unlock(&b->w.lock);
    /* A thread that cannot start is no reason to fail: the map is then computed here. */
    if (!worker_start(&b->w, worker, b) && !basin_same_job(&job, &b->shown->job) &&
        basin_compute(b->shown, &job, b->threads, NULL, NULL) == 0)
        b->version++;
    *version = b->version;
    return b->shown->job.nx > 0 ? b->shown : NULL;
}

int why_basins_pending(WhyBasins *b)
{
    pthread_mutex_lock(&b->w.lock);
    const int pending = b->has_ready || (b->w.started && b->want.nx != 0 && !basin_same_job(&b->want, &b->shown->job));
    pthread_mutex_unlock(&b->w.lock);
    return pending;
}

static uint32_t blend(uint32_t px, Rgba c, int a)
{
    const int r = (int)(px >> 16 & 255), g = (int)(px >> 8 & 255), bl = (int)(px & 255);
    return 0xff000000u | (uint32_t)((r * (255 - a) + c.r * a) / 255) << 16 |
           (uint32_t)((g * (255 - a) + c.g * a) / 255) << 8 | (uint32_t)((bl * (255 - a) + c.b * a) / 255);
}

static Rgba tint(const Palette *pal, int label)
{
    return label == BASIN_DIVERGED ? pal->basin_diverged
           : label < 0            ? pal->basin_unconverged
                                  : pal->basins[label % THEME_BASINS];
}

/* The cell index of pixel coordinate p along an axis of n cells over [lo, hi) pixels. */
static int cell_of(double p, double lo, double size, int n)
{
    const int k = (int)floor((p - lo) / size * n);
    return k < 0 ? 0 : k >= n ? n - 1 : k;
}

void why_basins_paint(Canvas *c, const BasinMap *m, const View *v, const Palette *pal, int row0, int row1)
{
    const BasinJob *job = &m->job;
    /* The grid's box in pixels (the view may have moved since it was computed). */
    const double gx = view_sx(v, job->box.x0), gw = view_sx(v, job->box.x1) - gx;
    const double gy = view_sy(v, job->box.y1), gh = view_sy(v, job->box.y0) - gy;
    const int x0 = (int)v->px, x1 = (int)(v->px + v->pw) < c->w ? (int)(v->px + v->pw) : c->w;
    const int y0 = (int)v->py > row0 ? (int)v->py : row0, y1 = (int)(v->py + v->ph) < row1 ? (int)(v->py + v->ph) : row1;
    if (!(gw > 0 && gh > 0))
        return;
    for (int y = y0; y < y1; y++) {
        if (y + 0.5 < gy || y + 0.5 >= gy + gh)
            continue;
        const int j = cell_of(y + 0.5, gy, gh, job->ny), up = cell_of(y - 0.5, gy, gh, job->ny);
        const signed char *row = m->label + (size_t)j * (size_t)job->nx;
        const signed char *above = m->label + (size_t)up * (size_t)job->nx;
        uint32_t *px = c->px + (size_t)y * (size_t)c->w;
        int left = -3;
        for (int x = x0 < 0 ? 0 : x0; x < x1; x++) {
            if (x + 0.5 < gx || x + 0.5 >= gx + gw)
                continue;
            const int i = cell_of(x + 0.5, gx, gw, job->nx);
            const int label = row[i];
            const int border = (left != -3 && label != left) || above[i] != label;
            const Rgba t = tint(pal, label);
            px[x] = border ? blend(px[x], pal->marker_edge, 150) : blend(px[x], t, t.a);
            left = label;
        }
    }
}

void why_basins_found(Canvas *c, const BasinMap *m, const View *v, double s, const Palette *pal)
{
    for (int k = m->nknown; k < m->nminima; k++) {
        const double x = view_sx(v, m->minima[k][0]), y = view_sy(v, m->minima[k][1]);
        if (x < v->px || y < v->py || x > v->px + v->pw || y > v->py + v->ph)
            continue;
        canvas_ring(c, x, y, theme_size.found_ring * s, theme_size.found_ring_edge * s, pal->marker_edge);
        canvas_ring(c, x, y, theme_size.found_ring * s, theme_size.found_ring_width * s, pal->minimum);
    }
}

int why_basins_key_rows(const Session *ses)
{
    if (!(ses->shown & SHOW_BASINS) || ses->sim.nruns == 0)
        return 0;
    double known[FUNC_MAX_MINIMA][2];
    const int slots = func_minima(&ses->sim.func, known) + 2; /* and the diverged and unsettled starts */
    return 1 + (slots < WHY_KEY_SLOTS_MIN ? WHY_KEY_SLOTS_MIN : slots > WHY_KEY_SLOTS_MAX ? WHY_KEY_SLOTS_MAX : slots);
}

int why_basins_key_width(Text *tx, double s)
{
    char unsettled[64];
    snprintf(unsettled, sizeof unsettled, "not settled in %d steps", BASIN_STEPS);
    const char *const widest[] = { WHY_KEY_TITLE, "(-3.78, -3.28) loss 0.1", unsettled };
    int w = 0;
    for (int i = 0; i < 3; i++) {
        const int tw = text_width(tx, FONT_SMALL, widest[i]) + (i ? text_height(tx, FONT_SMALL) : 0);
        w = tw > w ? tw : w;
    }
    return w + (int)(2.5 * LAYOUT_PAD * s) + 1;
}

int why_basins_key_entries(const BasinMap *m, const Spec *func, const Palette *pal, WhyKeyEntry *out, int slots)
{
    WhyKeyEntry all[BASIN_MINIMA_MAX + 2];
    int n = 0;
    for (int k = 0; k < m->nminima; k++) {
        if (m->count[k] == 0)
            continue; /* outside the view: no tint of it is on the map */
        /* Three digits: a key is read from the back of the room; a minimum's loss of 1e-30 is 0. */
        const double loss = func_value(func, m->minima[k][0], m->minima[k][1]);
        all[n] = (WhyKeyEntry){ tint(pal, k), 1, "" };
        snprintf(all[n++].text, sizeof all[0].text, "(%.3g, %.3g) loss %.3g", m->minima[k][0] + 0.0,
                 m->minima[k][1] + 0.0, fabs(loss) < 1e-12 ? 0.0 : loss);
    }
    if (m->diverged > 0)
        all[n++] = (WhyKeyEntry){ tint(pal, BASIN_DIVERGED), 1, "diverged" };
    if (m->unconverged > 0) {
        all[n] = (WhyKeyEntry){ tint(pal, BASIN_UNCONVERGED), 1, "" };
        snprintf(all[n++].text, sizeof all[0].text, "not settled in %d steps", m->job.steps);
    }
    if (n > slots && slots > 0) {
        const int more = n - (slots - 1);
        all[slots - 1] = (WhyKeyEntry){ pal->text_dim, 0, "" };
        snprintf(all[slots - 1].text, sizeof all[0].text, "+%d more", more);
        n = slots;
    }
    memcpy(out, all, sizeof all[0] * (size_t)n);
    return n;
}
