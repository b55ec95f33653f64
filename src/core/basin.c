/* The basin map (see basin.h): every start run on its own, in rows shared among threads,
 * then labelled in one pass in raster order so found minima get the same numbers however
 * many threads there were. */
#include "basin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curvature.h"
#include "func.h"
#include "parallel.h"
#include "sim.h"

/* A start has settled when its steps stayed this small, as a share of the view's larger
 * side, for BASIN_STILL steps in a row. */
#define BASIN_SETTLED 1e-7
#define BASIN_STILL 5
/* An end this near a minimum, as a share of the view's larger side, has reached it. */
#define BASIN_NEAR 0.01

enum { END_DIVERGED, END_MOVING, END_SETTLED };

int basin_init(BasinMap *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    const size_t cells = (size_t)BASIN_SIDE_MAX * BASIN_SIDE_MAX;
    m->label = calloc(cells, 1);
    m->state = calloc(cells, 1);
    m->end = calloc(2 * cells, sizeof *m->end);
    if (!m->label || !m->state || !m->end) {
        basin_free(m);
        snprintf(err, errlen, "out of memory for the basin map");
        return -1;
    }
    return 0;
}

void basin_free(BasinMap *m)
{
    free(m->label);
    free(m->state);
    free(m->end);
    memset(m, 0, sizeof *m);
}

void basin_job(BasinJob *job, const Spec *func, const Spec *opt, const Spec *sched, WorldBox box, int side)
{
    memset(job, 0, sizeof *job);
    job->func = *func;
    job->opt = *opt;
    /* Full-batch gradients: a basin is where the mean descent leads, and the threads would
     * otherwise share the data set's one shuffled order (data_batch). */
    job->opt.batch = 0;
    job->sched = *sched;
    job->box = box;
    const double w = box.x1 - box.x0, h = box.y1 - box.y0;
    side = side < 2 ? 2 : side > BASIN_SIDE_MAX ? BASIN_SIDE_MAX : side;
    job->nx = w >= h ? side : (int)fmax(2, round(side * w / h));
    job->ny = h >= w ? side : (int)fmax(2, round(side * h / w));
    job->steps = BASIN_STEPS;
}

int basin_same_job(const BasinJob *a, const BasinJob *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

typedef struct {
    BasinMap *m;
    const BasinJob *job;
    int part, parts;
    int (*cancel)(void *);
    void *ctx;
    int cancelled;
} Band;

/* One start: its end point and how it ended. */
static int run_start(Sim *sim, const BasinJob *job, double x, double y, double end[2])
{
    const double settled = BASIN_SETTLED * fmax(job->box.x1 - job->box.x0, job->box.y1 - job->box.y0);
    sim->start[0] = x;
    sim->start[1] = y;
    sim_restart_run(sim, 0);
    const Run *r = &sim->runs[0];
    int still = 0;
    for (int k = 0; k < job->steps && still < BASIN_STILL; k++) {
        if (sim_step(sim))
            return END_DIVERGED;
        still = sim_step_length(r) <= settled ? still + 1 : 0;
    }
    end[0] = r->x;
    end[1] = r->y;
    return still >= BASIN_STILL ? END_SETTLED : END_MOVING;
}

/* Rows part, part + parts, ...: neighbouring rows on different threads share the work
 * evenly whatever the map looks like. */
static void *compute_band(void *arg)
{
    Band *b = arg;
    const BasinJob *job = b->job;
    Sim sim;
    char err[160];
    sim_init(&sim, &job->func, (const double[2]){ 0, 0 }, 0, 1);
    if (sim_add_run(&sim, &job->opt, &job->sched, err, sizeof err) < 0) {
        b->cancelled = 1;
        return NULL;
    }
    const double cw = (job->box.x1 - job->box.x0) / job->nx, ch = (job->box.y1 - job->box.y0) / job->ny;
    for (int j = b->part; j < job->ny; j += b->parts) {
        if (b->cancel && b->cancel(b->ctx)) {
            b->cancelled = 1;
            return NULL;
        }
        for (int i = 0; i < job->nx; i++) {
            const size_t c = (size_t)j * (size_t)job->nx + (size_t)i;
            b->m->state[c] = (signed char)run_start(&sim, job, job->box.x0 + (i + 0.5) * cw, job->box.y1 - (j + 0.5) * ch,
                                                    &b->m->end[2 * c]);
        }
    }
    return NULL;
}

/* A settled end with a positive definite Hessian is a minimum. */
static int is_minimum(const Spec *func, const double p[2])
{
    CurvEigen e;
    curv_eigen_at(func, p[0], p[1], &e);
    return e.lmin > 0;
}

static int nearest(const BasinMap *m, const double p[2], int from, int to, double radius)
{
    int best = -1;
    double best_d = radius;
    for (int k = from; k < to; k++) {
        const double d = hypot(p[0] - m->minima[k][0], p[1] - m->minima[k][1]);
        if (d <= best_d)
            best = k, best_d = d;
    }
    return best;
}

static int label_end(BasinMap *m, int state, const double end[2])
{
    if (state == END_DIVERGED)
        return BASIN_DIVERGED;
    const BasinJob *job = &m->job;
    const double radius = BASIN_NEAR * fmax(job->box.x1 - job->box.x0, job->box.y1 - job->box.y0);
    const int known = nearest(m, end, 0, m->nknown, radius);
    if (known >= 0)
        return known;
    if (state != END_SETTLED || !is_minimum(&job->func, end))
        return BASIN_UNCONVERGED;
    const int found = nearest(m, end, m->nknown, m->nminima, radius);
    if (found >= 0)
        return found;
    if (m->nminima == BASIN_MINIMA_MAX)
        return BASIN_UNCONVERGED;
    m->minima[m->nminima][0] = end[0];
    m->minima[m->nminima][1] = end[1];
    return m->nminima++;
}

int basin_compute(BasinMap *m, const BasinJob *job, int threads, int (*cancel)(void *), void *ctx)
{
    threads = threads < 1 ? 1 : threads > PARALLEL_MAX ? PARALLEL_MAX : threads;
    m->job = *job;
    Band bands[PARALLEL_MAX];
    for (int k = 0; k < threads; k++)
        bands[k] = (Band){ .m = m, .job = &m->job, .part = k, .parts = threads, .cancel = cancel, .ctx = ctx };
    parallel_run(bands, sizeof bands[0], threads, compute_band);
    for (int k = 0; k < threads; k++)
        if (bands[k].cancelled)
            return -1;
    double known[FUNC_MAX_MINIMA][2];
    m->nknown = m->nminima = func_minima(&job->func, known);
    memcpy(m->minima, known, sizeof known[0] * (size_t)m->nknown);
    memset(m->count, 0, sizeof m->count);
    m->diverged = m->unconverged = 0;
    const size_t cells = (size_t)job->nx * (size_t)job->ny;
    for (size_t c = 0; c < cells; c++) {
        const int l = label_end(m, m->state[c], &m->end[2 * c]);
        m->label[c] = (signed char)l;
        if (l >= 0)
            m->count[l]++;
        else if (l == BASIN_DIVERGED)
            m->diverged++;
        else
            m->unconverged++;
    }
    return 0;
}

int basin_label_at(const BasinMap *m, double x, double y)
{
    const BasinJob *job = &m->job;
    if (job->nx <= 0 || !(x >= job->box.x0 && x <= job->box.x1 && y >= job->box.y0 && y <= job->box.y1))
        return BASIN_UNCONVERGED;
    int i = (int)((x - job->box.x0) / (job->box.x1 - job->box.x0) * job->nx);
    int j = (int)((job->box.y1 - y) / (job->box.y1 - job->box.y0) * job->ny);
    i = i >= job->nx ? job->nx - 1 : i;
    j = j >= job->ny ? job->ny - 1 : j;
    return m->label[(size_t)j * (size_t)job->nx + (size_t)i];
}

void basin_json(const BasinMap *m, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "{\"grid\": [%d, %d], \"steps\": %d, \"minima\": [", m->job.nx, m->job.ny,
                                   m->job.steps);
    for (int k = 0; k < m->nminima && used < len; k++)
        used += (size_t)snprintf(buf + used, len - used, "%s[%.9g, %.9g, %d]", k ? ", " : "", m->minima[k][0],
                                 m->minima[k][1], m->count[k]);
    if (used < len)
        snprintf(buf + used, len - used, "], \"diverged\": %d, \"not_converged\": %d}", m->diverged, m->unconverged);
}
