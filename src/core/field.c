/* Sampling a test function for the heat map and its isolines (see field.h). Rows are split
 * into contiguous bands, one per thread: first the raw values and each band's range, then,
 * once the whole range is known, the log-scaled t. */
#include "field.h"

#include "sort.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "func.h"
#include "parallel.h"

/* shift is this fraction of the range: about four decades between the valley floor and
 * the top of the colormap. */
#define FIELD_SHIFT_FRACTION 1e-4
/* ... unless the lowest values cover less of the view than this share: then shift rises to
 * where that share begins, since colour spent below it would show a handful of pixels while
 * the rest of the view is crammed into the top of the scale (a saddle, whose lowest values
 * are a sliver at the border, or any view zoomed into a slope). */
#define FIELD_FLOOR_SHARE 0.001
/* The share is estimated on this many samples spread over the grid. */
#define FIELD_PROBES 4096
/* Relative to the values' magnitude: differences below this are rounding noise (double
 * noise is ~2e-16), so shift never resolves them and a range below it is flat. */
#define FIELD_NOISE 1e-12

/* The scaling in the units the arithmetic runs in: values beyond DBL_MAX/4 are scaled by
 * 1/4 (exact, a power of two) so f - lo cannot overflow when lo and hi have opposite signs. */
typedef struct {
    double scale, lo_s, shift_s, log_shift, inv_logspan;
} Scaling;

typedef struct {
    Field *fd;
    const Spec *func;
    int row0, row1;
    double lo, hi; /* the band's finite range; lo > hi when it had no finite sample */
    Scaling s;
} Band;

static double magnitude_scale(double lo, double hi)
{
    return fmax(fabs(lo), fabs(hi)) > DBL_MAX / 4 ? 0.25 : 1.0;
}

static Scaling scaling_of(const Field *fd)
{
    const double scale = magnitude_scale(fd->lo, fd->hi);
    return (Scaling){
        .scale = scale,
        .lo_s = fd->lo * scale,
        .shift_s = fd->shift * scale,
        .log_shift = log(fd->shift * scale),
        .inv_logspan = 1.0 / fd->logspan,
    };
}

/* log(f - lo + shift) - log(shift) rather than log1p((f - lo) / shift): log is cheaper than
 * log1p and needs no division, and near the floor both lose only rounding of shift. The
 * stored infinities need no test of their own: +inf gives t = +inf, clamped to 1, and
 * -inf the log of a negative number, NaN, which the first comparison sends to 0. */
static float scaled_t(const Scaling *s, double f)
{
    const double t = (log(f * s->scale - s->lo_s + s->shift_s) - s->log_shift) * s->inv_logspan;
    if (!(t > 0.0))
        return 0.0f;
    return t < 1.0 ? (float)t : 1.0f;
}

void field_init(Field *fd)
{
    *fd = (Field){0};
}

void field_free(Field *fd)
{
    free(fd->f);
    free(fd->t);
    free(fd->band);
    free(fd->xs);
    field_init(fd);
}

/* x and y follow the formula in field.h exactly, so a caller can map grid units back to
 * the same world points; computing them from the ends, not by accumulating a step, keeps
 * narrow views far from the origin exact at both edges. The columns' x are computed once
 * (set_columns), not per row. */
static void *sample_band(void *arg)
{
    Band *b = arg;
    const Field *fd = b->fd;
    const double *xs = fd->xs;
    const double h = fd->y1 - fd->y0, rows = fd->ny - 1;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (int j = b->row0; j < b->row1; j++) {
        const double y = fd->y1 - h * j / rows;
        double *row = fd->f + (size_t)j * (size_t)fd->nx;
        func_row(b->func, xs, fd->nx, y, row);
        for (int i = 0; i < fd->nx; i++) {
            double v = row[i];
            if (isfinite(v)) {
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            } else {
                v = v < 0 ? -HUGE_VAL : HUGE_VAL;
            }
            row[i] = v;
        }
    }
    b->lo = lo;
    b->hi = hi;
    return NULL;
}

/* How many levels lie below each t of [from, to), which is the first level at or above
 * it. Levels are (k + 0.5) / n, so round(t * n) is that count but where float rounding put
 * t a hair to the wrong side of a level; one step either way corrects it. The levels sit
 * in a local copy between -1 and 2, so neither step needs a bounds test: the loop runs
 * for every sample, and branches on those rare corrections could not be predicted. */
static void count_levels_below(const Field *fd, size_t from, size_t to)
{
    const int n = fd->nlevels;
    float level[FIELD_MAX_LEVELS + 2]; /* level[k + 1] is level k */
    level[0] = -1.0f;
    for (int k = 0; k < n; k++)
        level[k + 1] = fd->level_t[k];
    level[n + 1] = 2.0f;
    const float *t = fd->t, scale = (float)n;
    unsigned char *band = fd->band;
    for (size_t i = from; i < to; i++) {
        const float v = t[i];
        int k = (int)(v * scale + 0.5f);
        k = k > n ? n : k;
        k -= level[k] >= v;
        k += level[k + 1] < v;
        band[i] = (unsigned char)k;
    }
}

/* t, and how many levels lie below it: field_isolines then finds the cells a level
 * crosses by comparing four small integers. */
static void *scale_band(void *arg)
{
    Band *b = arg;
    const Field *fd = b->fd;
    const Scaling s = b->s;
    const size_t from = (size_t)b->row0 * (size_t)fd->nx, to = (size_t)b->row1 * (size_t)fd->nx;
    const double *f = fd->f;
    float *t = fd->t;
    for (size_t k = from; k < to; k++)
        t[k] = scaled_t(&s, f[k]);
    count_levels_below(fd, from, to);
    return NULL;
}

/* Non-finite samples keep their ends of the scale: an overflowing rim stays visible around
 * a region too small to scale. */
static float flat_t(double f)
{
    return !(f < HUGE_VAL) ? 1.0f : f == -HUGE_VAL ? 0.0f : 0.5f;
}

static void set_flat(Field *fd)
{
    const size_t n = (size_t)fd->nx * (size_t)fd->ny;
    fd->flat = 1;
    fd->shift = 0.0;
    fd->logspan = 0.0;
    fd->nlevels = 0;
    for (size_t k = 0; k < n; k++) {
        fd->t[k] = flat_t(fd->f[k]);
        fd->band[k] = 0;
    }
}

/* The finite value that FIELD_FLOOR_SHARE of FIELD_PROBES samples lie below; lo if none.
 * The samples follow the R2 sequence (Roberts 2018), whose points all have different
 * columns and rows, so a ramp along one axis is measured as finely as a bowl; a regular
 * lattice would see a ramp in steps of whole lattice columns. */
static double floor_value(const Field *fd)
{
    static const double a1 = 0.7548776662466927, a2 = 0.5698402909980532; /* 1/g, 1/g^2 */
    double v[FIELD_PROBES], u = 0.5, w = 0.5;
    int n = 0;
    for (int k = 0; k < FIELD_PROBES; k++, u = u + a1 < 1.0 ? u + a1 : u + a1 - 1.0,
             w = w + a2 < 1.0 ? w + a2 : w + a2 - 1.0) {
        const size_t i = (size_t)(u * fd->nx), j = (size_t)(w * fd->ny);
        const double f = fd->f[j * (size_t)fd->nx + i];
        if (isfinite(f))
            v[n++] = f;
    }
    if (n == 0)
        return fd->lo;
    sort_doubles(v, (size_t)n);
    return v[(int)(n * FIELD_FLOOR_SHARE)];
}

/* Sets shift and logspan from lo, hi and the samples; returns 0 when the range is too small
 * to scale. */
static int set_scaling(Field *fd)
{
    const double scale = magnitude_scale(fd->lo, fd->hi);
    const double mag = fmax(fabs(fd->lo), fabs(fd->hi)) * scale;
    const double span = fd->hi * scale - fd->lo * scale;
    if (!(span > FIELD_NOISE * mag))
        return 0;
    const double floor = fmin(floor_value(fd) * scale - fd->lo * scale, span);
    /* DBL_TRUE_MIN only matters when every value is subnormal; it keeps shift positive. */
    const double least = fmax(span * FIELD_SHIFT_FRACTION, fmax(mag * FIELD_NOISE, DBL_TRUE_MIN));
    const double shift = fmax(least, floor);
    fd->logspan = log1p(span / shift);
    fd->shift = shift / scale;
    return fd->logspan > 0.0;
}

/* Level k sits at t = (k + 0.5) / n, inverting t = log1p((f - lo) / shift) / logspan. */
static void set_levels(Field *fd, int nlevels)
{
    const Scaling s = scaling_of(fd);
    const int n = nlevels < 0 ? 0 : nlevels > FIELD_MAX_LEVELS ? FIELD_MAX_LEVELS : nlevels;
    fd->nlevels = n;
    for (int k = 0; k < n; k++) {
        const double t = (k + 0.5) / n;
        fd->levels[k] = (s.lo_s + s.shift_s * expm1(t * fd->logspan)) / s.scale;
        fd->level_t[k] = (float)t;
    }
}

static int check_request(const Spec *func, WorldBox view, int nx, int ny, char *err, size_t errlen)
{
    if (nx < 2 || ny < 2) {
        snprintf(err, errlen, "field grid must be at least 2 by 2 points, got %d by %d", nx, ny);
        return -1;
    }
    if ((size_t)nx * (size_t)ny > SIZE_MAX / sizeof(double)) {
        snprintf(err, errlen, "field grid of %d by %d points is too large", nx, ny);
        return -1;
    }
    if (!isfinite(view.x0) || !isfinite(view.x1) || !isfinite(view.y0) || !isfinite(view.y1)) {
        snprintf(err, errlen, "field view must be four finite numbers, got %g,%g,%g,%g", view.x0, view.x1,
                 view.y0, view.y1);
        return -1;
    }
    if (!isfinite(view.x1 - view.x0) || !isfinite(view.y1 - view.y0)) {
        snprintf(err, errlen, "field view %g,%g,%g,%g is too wide to sample", view.x0, view.x1, view.y0,
                 view.y1);
        return -1;
    }
    if (!func_def(func->kind)) {
        snprintf(err, errlen, "field: unknown function index %d", func->kind);
        return -1;
    }
    return 0;
}

/* Fresh buffers replace the old ones only once all exist, so a failure leaves fd intact. */
static int reserve(Field *fd, size_t n, size_t nx, char *err, size_t errlen)
{
    if (n <= fd->capacity && nx <= fd->xs_capacity)
        return 0;
    const size_t cap = n > fd->capacity ? n : fd->capacity, xcap = nx > fd->xs_capacity ? nx : fd->xs_capacity;
    double *f = malloc(cap * sizeof *f);
    float *t = malloc(cap * sizeof *t);
    unsigned char *band = malloc(cap);
    double *xs = malloc(xcap * sizeof *xs);
    if (!f || !t || !band || !xs) {
        free(f);
        free(t);
        free(band);
        free(xs);
        snprintf(err, errlen, "out of memory for a field of %zu points", n);
        return -1;
    }
    free(fd->f);
    free(fd->t);
    free(fd->band);
    free(fd->xs);
    fd->f = f;
    fd->t = t;
    fd->band = band;
    fd->xs = xs;
    fd->capacity = cap;
    fd->xs_capacity = xcap;
    return 0;
}

static void set_columns(Field *fd)
{
    const double w = fd->x1 - fd->x0, cols = fd->nx - 1;
    for (int i = 0; i < fd->nx; i++)
        fd->xs[i] = fd->x0 + w * i / cols;
}

static int clamp_threads(int threads, int rows)
{
    if (threads > PARALLEL_MAX)
        threads = PARALLEL_MAX;
    if (threads > rows)
        threads = rows;
    return threads < 1 ? 1 : threads;
}

/* The samples of func over view into fd, in n bands of rows; returns n, or -1 with a
 * message. Scaling and levels are left to the caller. */
static int sample_points(Field *fd, const Spec *func, WorldBox view, int nx, int ny, int threads,
                         Band bands[PARALLEL_MAX], char *err, size_t errlen)
{
    if (check_request(func, view, nx, ny, err, errlen) != 0)
        return -1;
    if (reserve(fd, (size_t)nx * (size_t)ny, (size_t)nx, err, errlen) != 0)
        return -1;
    fd->nx = nx;
    fd->ny = ny;
    fd->x0 = view.x0;
    fd->x1 = view.x1;
    fd->y0 = view.y0;
    fd->y1 = view.y1;
    set_columns(fd);

    const int n = clamp_threads(threads, ny);
    for (int w = 0; w < n; w++)
        bands[w] = (Band){
            .fd = fd,
            .func = func,
            .row0 = (int)((long long)ny * w / n),
            .row1 = (int)((long long)ny * (w + 1) / n),
        };
    parallel_run(bands, sizeof bands[0], n, sample_band);
    return n;
}

static void scale_bands(Field *fd, Band *bands, int n)
{
    const Scaling s = scaling_of(fd);
    for (int w = 0; w < n; w++)
        bands[w].s = s;
    parallel_run(bands, sizeof bands[0], n, scale_band);
}

int field_sample(Field *fd, const Spec *func, WorldBox view, int nx, int ny, int nlevels,
                 int threads, char *err, size_t errlen)
{
    Band bands[PARALLEL_MAX];
    const int n = sample_points(fd, func, view, nx, ny, threads, bands, err, errlen);
    if (n < 0)
        return -1;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (int w = 0; w < n; w++) {
        lo = fmin(lo, bands[w].lo);
        hi = fmax(hi, bands[w].hi);
    }
    const int any_finite = lo <= hi;
    fd->lo = any_finite ? lo : 0.0;
    fd->hi = any_finite ? hi : 0.0;
    fd->flat = 0;
    if (!any_finite || !set_scaling(fd)) {
        set_flat(fd);
        return 0;
    }
    set_levels(fd, nlevels);
    scale_bands(fd, bands, n);
    return 0;
}

int field_sample_like(Field *fd, const Field *like, const Spec *func, WorldBox view, int nx, int ny,
                      int threads, char *err, size_t errlen)
{
    Band bands[PARALLEL_MAX];
    const int n = sample_points(fd, func, view, nx, ny, threads, bands, err, errlen);
    if (n < 0)
        return -1;
    fd->lo = like->lo;
    fd->hi = like->hi;
    fd->flat = 0;
    if (like->flat || !(like->logspan > 0.0)) {
        set_flat(fd);
        return 0;
    }
    fd->shift = like->shift;
    fd->logspan = like->logspan;
    fd->nlevels = like->nlevels;
    memcpy(fd->levels, like->levels, sizeof fd->levels);
    memcpy(fd->level_t, like->level_t, sizeof fd->level_t);
    scale_bands(fd, bands, n);
    return 0;
}

/* NaN is stored as +inf, so it reads as the top of the scale here too. */
float field_t(const Field *fd, double v)
{
    if (isnan(v))
        return 1.0f;
    if (fd->flat || !(fd->logspan > 0.0))
        return flat_t(v);
    const Scaling s = scaling_of(fd);
    return scaled_t(&s, v);
}

/* Corners of a cell, clockwise from the top left: 0 (i, j), 1 (i+1, j), 2 (i+1, j+1),
 * 3 (i, j+1). Edge e joins corner e and corner (e+1) % 4: 0 top, 1 right, 2 bottom,
 * 3 left. A case sets bit c when corner c is above the level. */
static const int corner_dx[4] = {0, 1, 1, 0};
static const int corner_dy[4] = {0, 0, 1, 1};

/* Edge pairs per case, -1 for none. The two saddle cases (5, 10) have a second row for a
 * centre above the level: then the above corners join through the middle and the lines
 * cut off the two below corners instead. */
static const signed char cell_segments[2][16][4] = {
    {
        {-1, -1, -1, -1}, {3, 0, -1, -1}, {0, 1, -1, -1}, {3, 1, -1, -1},
        {1, 2, -1, -1},   {3, 0, 1, 2},   {0, 2, -1, -1}, {2, 3, -1, -1},
        {2, 3, -1, -1},   {0, 2, -1, -1}, {0, 1, 2, 3},   {1, 2, -1, -1},
        {1, 3, -1, -1},   {0, 1, -1, -1}, {3, 0, -1, -1}, {-1, -1, -1, -1},
    },
    {
        {-1, -1, -1, -1}, {3, 0, -1, -1}, {0, 1, -1, -1}, {3, 1, -1, -1},
        {1, 2, -1, -1},   {0, 1, 2, 3},   {0, 2, -1, -1}, {2, 3, -1, -1},
        {2, 3, -1, -1},   {0, 2, -1, -1}, {3, 0, 1, 2},   {1, 2, -1, -1},
        {1, 3, -1, -1},   {0, 1, -1, -1}, {3, 0, -1, -1}, {-1, -1, -1, -1},
    },
};

/* Where the level crosses edge e; one corner is above and one is not, so the two t
 * values differ. */
static void edge_point(int e, const float c[4], float level, int i, int j, float *x, float *y)
{
    const int a = e, b = (e + 1) & 3;
    const float s = (level - c[a]) / (c[b] - c[a]);
    *x = (float)(i + corner_dx[a]) + s * (float)(corner_dx[b] - corner_dx[a]);
    *y = (float)(j + corner_dy[a]) + s * (float)(corner_dy[b] - corner_dy[a]);
}

/* The segments of one cell (corners c, top-left grid point (i, j)) as ax, ay, bx, by;
 * returns how many, 0 to 2. */
static int cell_segments_at(const float c[4], float level, int i, int j, float seg[2][4])
{
    const int cell = (c[0] > level) | (c[1] > level) << 1 | (c[2] > level) << 2 | (c[3] > level) << 3;
    if (cell == 0 || cell == 15)
        return 0;
    const int saddle = cell == 5 || cell == 10;
    const int centre_above = saddle && 0.25f * (c[0] + c[1] + c[2] + c[3]) > level;
    const signed char *edges = cell_segments[centre_above][cell];
    int n = 0;
    for (int p = 0; p < 4 && edges[p] >= 0; p += 2, n++) {
        edge_point(edges[p], c, level, i, j, &seg[n][0], &seg[n][1]);
        edge_point(edges[p + 1], c, level, i, j, &seg[n][2], &seg[n][3]);
    }
    return n;
}

static void cell_corners(const Field *fd, int i, int j, float c[4])
{
    const float *top = fd->t + (size_t)j * (size_t)fd->nx + (size_t)i, *bottom = top + fd->nx;
    c[0] = top[0];
    c[1] = top[1];
    c[2] = bottom[1];
    c[3] = bottom[0];
}

/* t holds no NaN, so plain comparisons do; fminf must also handle NaN and costs more. */
static float min4(const float c[4])
{
    const float a = c[0] < c[1] ? c[0] : c[1], b = c[2] < c[3] ? c[2] : c[3];
    return a < b ? a : b;
}

static float max4(const float c[4])
{
    const float a = c[0] > c[1] ? c[0] : c[1], b = c[2] > c[3] ? c[2] : c[3];
    return a > b ? a : b;
}

int field_isoline(const Field *fd, int k, void (*emit)(void *ctx, float ax, float ay, float bx, float by),
                  void *ctx)
{
    if (k < 0 || k >= fd->nlevels || !fd->t)
        return 0;
    const float level = fd->level_t[k];
    int count = 0;
    for (int j = 0; j + 1 < fd->ny; j++)
        for (int i = 0; i + 1 < fd->nx; i++) {
            float c[4], seg[2][4];
            cell_corners(fd, i, j, c);
            if (min4(c) > level || max4(c) <= level)
                continue;
            const int n = cell_segments_at(c, level, i, j, seg);
            for (int s = 0; s < n && emit; s++)
                emit(ctx, seg[s][0], seg[s][1], seg[s][2], seg[s][3]);
            count += n;
        }
    return count;
}

/* The levels crossing cell (i, j) are those from the smallest to below the largest of its
 * corners' bands (a level crosses when lo <= level < hi, above meaning strictly above). */
static int cell_levels(const Field *fd, int i, int j,
                       void (*emit)(void *ctx, int k, float ax, float ay, float bx, float by), void *ctx)
{
    const unsigned char *top = fd->band + (size_t)j * (size_t)fd->nx + (size_t)i, *bottom = top + fd->nx;
    const int a = top[0] < top[1] ? top[0] : top[1], b = bottom[0] < bottom[1] ? bottom[0] : bottom[1];
    const int c = top[0] > top[1] ? top[0] : top[1], d = bottom[0] > bottom[1] ? bottom[0] : bottom[1];
    const int lo = a < b ? a : b, hi = c > d ? c : d;
    float corners[4];
    cell_corners(fd, i, j, corners);
    int count = 0;
    for (int k = lo; k < hi; k++) {
        float seg[2][4];
        const int n = cell_segments_at(corners, fd->level_t[k], i, j, seg);
        for (int s = 0; s < n && emit; s++)
            emit(ctx, k, seg[s][0], seg[s][1], seg[s][2], seg[s][3]);
        count += n;
    }
    return count;
}

/* Most cells lie between two levels, their four corners in one band: eight such cells in a
 * row are passed over with one comparison of each of the four corners' byte rows. */
static int row_levels(const Field *fd, int j, void (*emit)(void *ctx, int k, float ax, float ay, float bx, float by),
                      void *ctx)
{
    const unsigned char *top = fd->band + (size_t)j * (size_t)fd->nx, *bottom = top + fd->nx;
    const int cells = fd->nx - 1;
    int count = 0, i = 0;
    for (; i + 9 <= fd->nx; i += 8) {
        const uint64_t a = bytes_load8(top + i);
        if (a == bytes_load8(top + i + 1) && a == bytes_load8(bottom + i) && a == bytes_load8(bottom + i + 1))
            continue;
        for (int c = i; c < i + 8; c++)
            if (top[c] != top[c + 1] || top[c] != bottom[c] || top[c] != bottom[c + 1])
                count += cell_levels(fd, c, j, emit, ctx);
    }
    for (; i < cells; i++)
        if (top[i] != top[i + 1] || top[i] != bottom[i] || top[i] != bottom[i + 1])
            count += cell_levels(fd, i, j, emit, ctx);
    return count;
}

int field_isolines_rows(const Field *fd, int row0, int row1,
                        void (*emit)(void *ctx, int k, float ax, float ay, float bx, float by), void *ctx)
{
    if (fd->nlevels <= 0 || !fd->t || !fd->band)
        return 0;
    row0 = row0 < 0 ? 0 : row0;
    row1 = row1 > fd->ny - 1 ? fd->ny - 1 : row1;
    int count = 0;
    for (int j = row0; j < row1; j++)
        count += row_levels(fd, j, emit, ctx);
    return count;
}

int field_isolines(const Field *fd, void (*emit)(void *ctx, int k, float ax, float ay, float bx, float by),
                   void *ctx)
{
    return field_isolines_rows(fd, 0, fd->ny - 1, emit, ctx);
}
