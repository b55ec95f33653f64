/* Where each start goes: the basin map of one optimizer with fixed settings. Every cell of a
 * grid over the view is a start; the optimizer runs from there for up to `steps` steps
 * without noise, and the cell is labelled by the minimum it reached (a known one, or one it
 * found: a stationary point with a positive definite Hessian), or as diverged, or as not
 * converged. Plain C: the caller owns the threads (parallel_run) and may cancel. */
#ifndef OPTISCOPE_BASIN_H
#define OPTISCOPE_BASIN_H

#include <stddef.h>

#include "box.h"
#include "spec.h"

#define BASIN_DIVERGED (-1)
#define BASIN_UNCONVERGED (-2)
#define BASIN_MINIMA_MAX 16 /* known and found together; more found ones count as not converged */
#define BASIN_STEPS 400     /* the N of "reaches within N steps" */
#define BASIN_SIDE_MAX 256  /* cells along a side at most */

typedef struct {
    Spec func, opt, sched;
    WorldBox box; /* the world the grid covers */
    int nx, ny;    /* cell (i, j) is centred at x0 + (i + ½)·w/nx, y1 − (j + ½)·h/ny: row 0 on top */
    int steps;
} BasinJob;

typedef struct {
    BasinJob job;                /* what the labels below are for */
    signed char *label;          /* nx·ny: a minimum's index, BASIN_DIVERGED or BASIN_UNCONVERGED */
    double *end;                 /* 2·nx·ny: where each start ended (internal) */
    signed char *state;          /* nx·ny: how each start ended (internal) */
    int nminima, nknown;         /* minima[0, nknown) are the function's known ones */
    double minima[BASIN_MINIMA_MAX][2];
    int count[BASIN_MINIMA_MAX]; /* cells per minimum */
    int diverged, unconverged;   /* cells */
} BasinMap;

/* Buffers for grids up to BASIN_SIDE_MAX² cells. -1 with a message when out of memory. */
int basin_init(BasinMap *m, char *err, size_t errlen);
void basin_free(BasinMap *m);

/* A job for the grid of at most `side` cells along the longer side of box. */
void basin_job(BasinJob *job, const Spec *func, const Spec *opt, const Spec *sched, WorldBox box, int side);
int basin_same_job(const BasinJob *a, const BasinJob *b);

/* Computes job into m on `threads` threads (1..PARALLEL_MAX). `cancel`, when not NULL, is
 * asked between rows; once it answers nonzero the work stops and -1 is returned with m
 * incomplete. Otherwise returns 0. */
int basin_compute(BasinMap *m, const BasinJob *job, int threads, int (*cancel)(void *), void *ctx);

/* The label of the cell holding world point (x, y), or BASIN_UNCONVERGED outside. */
int basin_label_at(const BasinMap *m, double x, double y);

/* {"grid": [nx, ny], "steps": N, "minima": [[x, y, cells], ...], "diverged": n, "not_converged": n} */
void basin_json(const BasinMap *m, char *buf, size_t len);

#endif
