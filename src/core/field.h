/* A test function sampled over the visible region: raw values, their log-scaled colormap
 * input t, isoline levels equally spaced in t, and marching squares over the t grid.
 * Rebuilt when the function or the view changes, never per frame. */
#ifndef OPTISCOPE_FIELD_H
#define OPTISCOPE_FIELD_H

#include <stddef.h>

#include "box.h"
#include "spec.h"

#define FIELD_MAX_LEVELS 32

/* Grid: column i lies at x = x0 + (x1-x0)*i/(nx-1), row j at y = y1 - (y1-y0)*j/(ny-1), so
 * row 0 is the TOP, like an image; sample (i, j) is at index j*nx + i.
 *
 * Scaling: t = log((f - lo + shift) / shift) / logspan, which is the normalised
 * log(f - lo + shift) with logspan = log((hi - lo + shift) / shift). shift is 1e-4 of the
 * range, so a valley floor gets four decades of colour, except that it rises to the value
 * below which only 0.1% of the view lies (estimated from 4096 spread samples; at most the
 * range) when the lowest values are a sliver, as on a saddle or a slope, and it never
 * resolves the rounding noise of large values (1e-12 of their magnitude). Non-finite
 * samples do not count towards lo and hi; +inf and NaN are stored as +HUGE_VAL with t = 1,
 * -inf as -HUGE_VAL with t = 0. */
typedef struct {
    int nx, ny;
    double x0, x1, y0, y1;
    double *f;      /* nx*ny raw values, row-major */
    float *t;       /* nx*ny in [0, 1] */
    double lo, hi;  /* smallest and largest finite sample */
    double shift;
    double logspan;
    int flat;       /* no finite sample, or all (almost) equal: finite ones get t = 0.5, no levels */
    int nlevels;
    double levels[FIELD_MAX_LEVELS]; /* raw isoline values, increasing */
    float level_t[FIELD_MAX_LEVELS]; /* their t: (k + 0.5) / nlevels */
    unsigned char *band;             /* nx*ny: how many levels lie below each t (for field_isolines) */
    double *xs;                      /* nx: the columns' x */
    size_t capacity, xs_capacity;    /* allocated points and columns; grow only when needed */
} Field;

/* Zeroes the field without allocating; field_free releases what field_sample allocated. */
void field_init(Field *fd);
void field_free(Field *fd);

/* Samples func over view on an nx-by-ny grid with `threads` worker
 * threads (clamped to 1..PARALLEL_MAX; 1 runs inline), then sets lo, hi, shift, t and
 * min(nlevels, FIELD_MAX_LEVELS) levels. Results do not depend on the thread count.
 * Returns 0, or -1 with a message in err (nx or ny < 2, a view that is not finite or
 * whose width is not, an unknown function, no memory); on failure fd is unchanged. */
int field_sample(Field *fd, const Spec *func, WorldBox view, int nx, int ny, int nlevels,
                 int threads, char *err, size_t errlen);

/* The same samples on the scaling and levels of `like` (a field sampled before), so that a
 * strip of the map coming into view during a drag matches the colours and isolines of the
 * map around it. */
int field_sample_like(Field *fd, const Field *like, const Spec *func, WorldBox view, int nx, int ny,
                      int threads, char *err, size_t errlen);

/* The t of a raw value by the field's scaling, clamped to [0, 1]; NaN gives 1, like a
 * stored sample, and a finite value gives 0.5 when the field is flat. */
float field_t(const Field *fd, double v);

/* Marching squares for level k on the t grid: linear interpolation in t, the log-scaled
 * values, places lines better than raw values that vary over decades. Saddle cells are
 * resolved by the average of their corners. Calls emit(ctx, ax, ay, bx, by) per segment in
 * grid units (fractional column, fractional row); emit may be NULL to only count. Returns
 * the number of segments; 0 for a k out of range. Allocates nothing. */
int field_isoline(const Field *fd, int k, void (*emit)(void *ctx, float ax, float ay, float bx, float by),
                  void *ctx);

/* Every level in one sweep, the same segments as field_isoline for k = 0 .. nlevels-1 (in
 * cell order rather than level order): a cell is visited once and only levels between its
 * lowest and highest corner are tried, which is many times faster than nlevels sweeps.
 * It reads the level counts of `band`, so it needs a field made by field_sample. */
int field_isolines(const Field *fd, void (*emit)(void *ctx, int k, float ax, float ay, float bx, float by),
                   void *ctx);
/* The same for the cells of rows [row0, row1) only (row j's cells lie between grid rows j
 * and j + 1), so that threads can share the work. */
int field_isolines_rows(const Field *fd, int row0, int row1,
                        void (*emit)(void *ctx, int k, float ax, float ay, float bx, float by), void *ctx);

#endif
