/* Tests for src/core/field.c: the log scaling on every function's default view and on
 * extreme views, isolines against the sampled grid, thread independence and buffer reuse. */
#include <math.h>
#include <string.h>

#include "../src/core/field.h"
#include "../src/core/func.h"
#include "check.h"

#define DEFAULT_NX 160
#define DEFAULT_NY 120
#define DEFAULT_LEVELS 16

static Spec spec_of(const char *text)
{
    Spec s;
    char err[256];
    if (spec_parse(&func_table, text, &s, err, sizeof err) != 0) {
        CHECK(0, "spec '%s': %s", text, err);
        spec_defaults(&func_table, 0, &s);
    }
    return s;
}

static int sample(Field *fd, const char *func, WorldBox view, int nx, int ny, int threads)
{
    const Spec s = spec_of(func);
    char err[256] = "";
    const int rc = field_sample(fd, &s, view, nx, ny, DEFAULT_LEVELS, threads, err, sizeof err);
    CHECK(rc == 0, "%s on %g,%g,%g,%g: field_sample failed: %s", func, view.x0, view.x1, view.y0,
          view.y1, err);
    return rc;
}

static size_t points(const Field *fd)
{
    return (size_t)fd->nx * (size_t)fd->ny;
}

/* One check for the whole grid: every t finite and in [0, 1]. */
static void check_t_range(const Field *fd, const char *name)
{
    size_t bad = 0, first = 0;
    for (size_t k = 0; k < points(fd); k++)
        if (!(fd->t[k] >= 0.0f && fd->t[k] <= 1.0f) && bad++ == 0)
            first = k;
    CHECK(bad == 0, "%s: %zu of %zu t values outside [0,1], first t[%zu] = %g (f = %g)", name, bad,
          points(fd), first, bad ? fd->t[first] : 0.0, bad ? fd->f[first] : 0.0);
}

static void check_levels(const Field *fd, const char *name, int want)
{
    int increasing = 1;
    for (int k = 1; k < fd->nlevels; k++)
        increasing &= fd->levels[k] > fd->levels[k - 1] && fd->level_t[k] > fd->level_t[k - 1];
    CHECK(fd->nlevels == want && increasing, "%s: %d levels (want %d), increasing %d", name,
          fd->nlevels, want, increasing);
    /* A level is a double within half an ulp of the exact one; where the range is a sliver
     * of the magnitude (styblinski_tang at 1e14) that ulp alone moves t by ~1e-5. */
    double worst = 0.0;
    for (int k = 0; k < fd->nlevels; k++) {
        const double v = fd->levels[k], dtdv = 1.0 / ((v - fd->lo + fd->shift) * fd->logspan);
        const double tol = 1e-6 + 2.0 * fabs(nextafter(v, HUGE_VAL) - v) * dtdv;
        worst = fmax(worst, fabs(field_t(fd, v) - fd->level_t[k]) / tol);
    }
    CHECK(worst <= 1.0, "%s: field_t(levels[k]) is off level_t[k] by up to %g x tolerance", name, worst);
}

/* Every sample's t is exactly what field_t gives for its raw value. */
static void check_t_agrees(const Field *fd, const char *name)
{
    size_t bad = 0;
    for (size_t k = 0; k < points(fd); k++)
        bad += field_t(fd, fd->f[k]) != fd->t[k];
    CHECK(bad == 0, "%s: field_t(f) differs from t at %zu of %zu samples", name, bad, points(fd));
}

/* t against the formula in field.h, computed the plain way. */
static void check_t_formula(const Field *fd, const char *name)
{
    const double floor = log(fd->shift), top = log(fd->hi - fd->lo + fd->shift);
    double worst = 0.0;
    size_t at = 0;
    for (size_t k = 0; k < points(fd); k++) {
        const double want = (log(fd->f[k] - fd->lo + fd->shift) - floor) / (top - floor);
        const double off = fabs(fd->t[k] - want);
        if (!(off <= worst))
            worst = off, at = k;
    }
    CHECK(worst <= 1e-6, "%s: t[%zu] = %.9g is %g off the formula (f = %.17g, lo %.17g, shift %g)", name, at,
          fd->t[at], worst, fd->f[at], fd->lo, fd->shift);
}

/* shift stays within its bounds, and it is where the brief for each function wants it:
 * four decades for the narrow valleys, higher where the lowest values are a sliver. */
static void check_shift(const Field *fd, const char *name)
{
    const double span = fd->hi - fd->lo;
    CHECK(fd->shift >= span * 1e-4 * (1 - 1e-12) && fd->shift <= span, "%s: shift %g for range %g", name,
          fd->shift, span);
    static const char *const valleys[] = {"rosenbrock", "beale", "goldstein_price"};
    static const char *const slivers[] = {"rastrigin", "ackley", "saddle", "styblinski_tang"};
    for (size_t k = 0; k < sizeof valleys / sizeof valleys[0]; k++)
        if (strcmp(name, valleys[k]) == 0)
            CHECK(fabs(fd->shift / (span * 1e-4) - 1) < 1e-9, "%s: shift %g is not 1e-4 of the range %g",
                  name, fd->shift, span);
    for (size_t k = 0; k < sizeof slivers / sizeof slivers[0]; k++) {
        if (strcmp(name, slivers[k]) != 0)
            continue;
        size_t below = 0;
        for (size_t i = 0; i < points(fd); i++)
            below += fd->f[i] - fd->lo < fd->shift;
        CHECK(fd->shift > span * 1e-4 * 1.5 && below <= points(fd) / 100,
              "%s: shift %g (%.3g of the range) with %zu of %zu samples below lo + shift", name, fd->shift,
              fd->shift / span, below, points(fd));
    }
}

static void check_minimum_low(const Field *fd, const Spec *s, const char *name)
{
    double m[FUNC_MAX_MINIMA][2];
    if (func_minima(s, m) < 1)
        return;
    const int i = (int)lrint((m[0][0] - fd->x0) / (fd->x1 - fd->x0) * (fd->nx - 1));
    const int j = (int)lrint((fd->y1 - m[0][1]) / (fd->y1 - fd->y0) * (fd->ny - 1));
    const float tm = fd->t[(size_t)j * (size_t)fd->nx + (size_t)i];
    size_t below = 0;
    for (size_t k = 0; k < points(fd); k++)
        below += fd->t[k] < tm;
    CHECK(below <= points(fd) / 20, "%s: t = %g at sample (%d, %d) nearest the minimum, but %zu of %zu"
          " samples are lower", name, tm, i, j, below, points(fd));
}

static void check_default_views(void)
{
    for (int kind = 0; kind < func_table.count; kind++) {
        if (!func_def(kind)->formula)
            continue; /* the expr row: tests/test_expr.c */
        const char *name = spec_kind(&func_table, kind)->name;
        Field fd;
        field_init(&fd);
        if (sample(&fd, name, func_def(kind)->view, DEFAULT_NX, DEFAULT_NY, 2) == 0) {
            const Spec s = spec_of(name);
            check_t_range(&fd, name);
            CHECK(fd.lo <= fd.hi && !fd.flat, "%s: lo %g, hi %g, flat %d", name, fd.lo, fd.hi, fd.flat);
            check_levels(&fd, name, DEFAULT_LEVELS);
            check_t_agrees(&fd, name);
            check_t_formula(&fd, name);
            check_shift(&fd, name);
            check_minimum_low(&fd, &s, name);
        }
        field_free(&fd);
    }
}

/* Checks each isoline endpoint against the grid edge it lies on. */
typedef struct {
    const Field *fd;
    float level;
    int segments, bad;
    float at[2];
    double error;
} EdgeCheck;

/* How far linear interpolation along the edge from grid point (i, j) one step along
 * `axis` (0 right, 1 down) misses the level at fraction frac; INFINITY when the edge is
 * off the grid or its end values do not bracket the level. */
static double edge_error(const Field *fd, int i, int j, int axis, double frac, float level)
{
    const int i1 = i + (axis == 0), j1 = j + (axis == 1);
    if (i < 0 || j < 0 || i1 >= fd->nx || j1 >= fd->ny)
        return INFINITY;
    const float ta = fd->t[(size_t)j * (size_t)fd->nx + (size_t)i];
    const float tb = fd->t[(size_t)j1 * (size_t)fd->nx + (size_t)i1];
    if (!(fminf(ta, tb) <= level && level <= fmaxf(ta, tb)))
        return INFINITY;
    return fabs(ta + frac * (tb - ta) - level);
}

/* The best of the edges holding grid point (gx, gy): an endpoint on a grid point (a level
 * crossing at a corner) lies on up to four. */
static double endpoint_error(const Field *fd, float gx, float gy, float level)
{
    const double g[2] = {gx, gy};
    double best = INFINITY;
    for (int fixed = 0; fixed < 2; fixed++) {
        if (!(fabs(g[fixed] - rint(g[fixed])) <= 1e-4))
            continue;
        const int axis = !fixed, at = (int)rint(g[fixed]);
        const double along = g[axis];
        for (int start = (int)floor(along) - 1; start <= (int)floor(along); start++) {
            const double frac = along - start;
            if (frac < -1e-4 || frac > 1.0 + 1e-4)
                continue;
            const double e = axis == 0 ? edge_error(fd, start, at, 0, frac, level)
                                       : edge_error(fd, at, start, 1, frac, level);
            best = fmin(best, e);
        }
    }
    return best;
}

static void check_endpoint(EdgeCheck *c, float gx, float gy)
{
    const double error = endpoint_error(c->fd, gx, gy, c->level);
    c->bad += !(error <= 1e-4);
    if (!(error <= c->error)) {
        c->error = error;
        c->at[0] = gx;
        c->at[1] = gy;
    }
}

static void on_edge_segment(void *ctx, float ax, float ay, float bx, float by)
{
    EdgeCheck *c = ctx;
    c->segments++;
    check_endpoint(c, ax, ay);
    check_endpoint(c, bx, by);
}

static void check_isolines_on_edges(const char *func)
{
    const Spec s = spec_of(func);
    Field fd;
    field_init(&fd);
    if (sample(&fd, func, func_def(s.kind)->view, DEFAULT_NX, DEFAULT_NY, 1) == 0) {
        int empty = 0, bad = 0, returned_wrong = 0;
        double worst = 0.0;
        float at[2] = {0, 0};
        for (int k = 0; k < fd.nlevels; k++) {
            EdgeCheck c = {.fd = &fd, .level = fd.level_t[k], .error = -1.0};
            const int n = field_isoline(&fd, k, on_edge_segment, &c);
            empty += c.segments == 0;
            returned_wrong += n != c.segments;
            bad += c.bad;
            if (!(c.error <= worst)) {
                worst = c.error;
                at[0] = c.at[0], at[1] = c.at[1];
            }
        }
        CHECK(empty == 0 && returned_wrong == 0, "%s: %d of %d levels have no segment, %d counts wrong",
              func, empty, fd.nlevels, returned_wrong);
        CHECK(bad == 0 && worst <= 1e-4, "%s: %d endpoints off their edge's interpolated level, worst %g at"
              " grid (%g, %g)", func, bad, worst, at[0], at[1]);
    }
    field_free(&fd);
}

/* Segments summarised per level, independent of their order: a count and the wrapping sum
 * of the coordinates' bit patterns. */
typedef struct {
    int count[FIELD_MAX_LEVELS];
    unsigned long long sum[FIELD_MAX_LEVELS];
    int k;
} Tally;

static unsigned long long bits_of(float v)
{
    unsigned u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static void tally(Tally *t, int k, float ax, float ay, float bx, float by)
{
    t->count[k]++;
    t->sum[k] += bits_of(ax) + 3 * bits_of(ay) + 5 * bits_of(bx) + 7 * bits_of(by);
}

static void on_level_segment(void *ctx, float ax, float ay, float bx, float by)
{
    Tally *t = ctx;
    tally(t, t->k, ax, ay, bx, by);
}

static void on_any_segment(void *ctx, int k, float ax, float ay, float bx, float by)
{
    tally(ctx, k, ax, ay, bx, by);
}

/* field_isolines emits exactly what field_isoline does, level by level, and so do bands of
 * rows from field_isolines_rows taken together. */
static void check_isolines_sweep(const char *func, WorldBox view)
{
    Field fd;
    field_init(&fd);
    if (sample(&fd, func, view, DEFAULT_NX, DEFAULT_NY, 2) == 0) {
        Tally each = {{0}, {0}, 0}, all = {{0}, {0}, 0};
        int total = 0, differ = 0;
        for (int k = 0; k < fd.nlevels; k++) {
            each.k = k;
            total += field_isoline(&fd, k, on_level_segment, &each);
        }
        const int swept = field_isolines(&fd, on_any_segment, &all);
        for (int k = 0; k < fd.nlevels; k++)
            differ += each.count[k] != all.count[k] || each.sum[k] != all.sum[k];
        CHECK(swept == total && differ == 0 && total > 0,
              "%s on %g,%g,%g,%g: one sweep gives %d segments, level by level %d; %d levels differ", func,
              view.x0, view.x1, view.y0, view.y1, swept, total, differ);
        /* In bands of rows, as the drawing threads take them: together the same segments. */
        Tally banded = {{0}, {0}, 0};
        const int cut[5] = { 0, 1, fd.ny / 3, fd.ny - 2, fd.ny - 1 };
        int in_bands = 0, band_differ = 0;
        for (int b = 0; b < 4; b++)
            in_bands += field_isolines_rows(&fd, cut[b], cut[b + 1], on_any_segment, &banded);
        for (int k = 0; k < fd.nlevels; k++)
            band_differ += banded.count[k] != all.count[k] || banded.sum[k] != all.sum[k];
        CHECK(in_bands == swept && band_differ == 0, "%s: in bands of rows %d segments, in one sweep %d; %d levels differ",
              func, in_bands, swept, band_differ);
    }
    field_free(&fd);
}

/* f = r^2 / 2, so level v is the circle of radius sqrt(2 v). */
typedef struct {
    const Field *fd;
    double radius, worst;
    int segments;
} CircleCheck;

static void circle_endpoint(CircleCheck *c, float gx, float gy)
{
    const Field *fd = c->fd;
    const double x = fd->x0 + (fd->x1 - fd->x0) * gx / (fd->nx - 1);
    const double y = fd->y1 - (fd->y1 - fd->y0) * gy / (fd->ny - 1);
    const double off = fabs(hypot(x, y) - c->radius);
    c->worst = off > c->worst || isnan(off) ? off : c->worst;
}

static void on_circle_segment(void *ctx, float ax, float ay, float bx, float by)
{
    CircleCheck *c = ctx;
    c->segments++;
    circle_endpoint(c, ax, ay);
    circle_endpoint(c, bx, by);
}

static void check_circle(void)
{
    const WorldBox view = {-2.0, 2.0, -2.0, 2.0};
    const double spacing = 4.0 / 200;
    Field fd;
    field_init(&fd);
    if (sample(&fd, "quadratic:a=1,b=1", view, 201, 201, 3) == 0) {
        double worst = 0.0;
        int worst_k = -1, empty = 0;
        for (int k = 0; k < fd.nlevels; k++) {
            CircleCheck c = {.fd = &fd, .radius = sqrt(2.0 * fd.levels[k])};
            field_isoline(&fd, k, on_circle_segment, &c);
            empty += c.segments == 0;
            if (!(c.worst <= worst))
                worst = c.worst, worst_k = k;
        }
        CHECK(empty == 0 && worst <= spacing, "circle: %d empty levels; endpoints up to %g off the radius"
              " (level %d), grid spacing %g", empty, worst, worst_k, spacing);
    }
    field_free(&fd);
}

/* Segment ends on the cell's four edges (0 top, 1 right, 2 bottom, 3 left), as a mask. */
static void on_saddle_segment(void *ctx, float ax, float ay, float bx, float by)
{
    int *masks = ctx;
    const float p[2][2] = {{ax, ay}, {bx, by}};
    int mask = 0;
    for (int e = 0; e < 2; e++)
        mask |= p[e][1] == 0.0f ? 1 : p[e][0] == 1.0f ? 2 : p[e][1] == 1.0f ? 4 : p[e][0] == 0.0f ? 8 : 0;
    masks[masks[0] + 1] = mask;
    masks[0]++;
}

/* One cell whose diagonal corners sit on opposite sides of 0.5: the corner average decides
 * which pair is joined through the middle, so the lines cut off the other pair. */
static void check_saddle_cells(void)
{
    static const struct {
        float t[4]; /* top left, top right, bottom left, bottom right (row-major) */
        int cut[2]; /* the two expected segments as edge masks, either order */
    } cases[] = {
        {{0.9f, 0.1f, 0.2f, 0.9f}, {1 | 2, 4 | 8}}, /* average 0.525: below corners cut off */
        {{0.6f, 0.1f, 0.2f, 0.6f}, {8 | 1, 2 | 4}}, /* average 0.375: above corners cut off */
        {{0.1f, 0.9f, 0.9f, 0.2f}, {8 | 1, 2 | 4}}, /* mirrored, average above */
        {{0.4f, 0.6f, 0.6f, 0.1f}, {1 | 2, 4 | 8}}, /* mirrored, average below */
    };
    int wrong = 0;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        float t[4];
        memcpy(t, cases[c].t, sizeof t);
        Field fd;
        field_init(&fd);
        fd.nx = fd.ny = 2;
        fd.t = t;
        fd.nlevels = 1;
        fd.level_t[0] = 0.5f;
        int masks[3] = {0};
        const int n = field_isoline(&fd, 0, on_saddle_segment, masks);
        const int a = cases[c].cut[0], b = cases[c].cut[1];
        if (n != 2 || masks[0] != 2 || !((masks[1] == a && masks[2] == b) || (masks[1] == b && masks[2] == a))) {
            wrong++;
            CHECK(0, "saddle cell %zu: %d segments with edge masks %d, %d; want %d, %d", c, n, masks[1],
                  masks[2], a, b);
        }
    }
    CHECK(wrong == 0, "%d saddle cells resolved wrongly", wrong);
}

static void check_extreme_views(void)
{
    static const struct {
        const char *func;
        WorldBox view;
    } cases[] = {
        {"rosenbrock", {1e6, 1e6 + 1e-3, 1e6, 1e6 + 1e-3}},
        {"saddle", {-1e12, 1e12, -1e12, 1e12}},
        {"goldstein_price", {-1e12, 1e12, -1e12, 1e12}},
        {"styblinski_tang", {1e14, 1e14 + 1e3, 0, 1e3}},
        {"ackley", {-1e-12, 1e-12, -1e-12, 1e-12}},
        {"quadratic", {-1e-12, 1e-12, -1e-12, 1e-12}},
        {"rastrigin", {1e15 - 1e6, 1e15, -1e15, -1e15 + 1e6}},
        {"beale", {-1e15, -1e15 + 1e12, 1e15 - 1e12, 1e15}},
        {"mccormick", {1e15, 1e15 + 1.0, 1e15, 1e15 + 1.0}},
        /* Overflow: goldstein_price is +inf; saddle mixes +inf, -inf and inf - inf. */
        {"goldstein_price", {-1e40, 1e40, -1e40, 1e40}},
        {"saddle", {-1e160, 1e160, -1e160, 1e160}},
        /* Finite but hi - lo > DBL_MAX. */
        {"saddle", {-1.3e154, 1.3e154, -1.3e154, 1.3e154}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char name[96];
        snprintf(name, sizeof name, "%s on %g,%g,%g,%g", cases[c].func, cases[c].view.x0, cases[c].view.x1,
                 cases[c].view.y0, cases[c].view.y1);
        Field fd;
        field_init(&fd);
        if (sample(&fd, cases[c].func, cases[c].view, DEFAULT_NX, DEFAULT_NY, 4) == 0) {
            check_t_range(&fd, name);
            CHECK(fd.flat || (isfinite(fd.lo) && isfinite(fd.hi) && fd.lo < fd.hi && fd.shift > 0),
                  "%s: lo %g, hi %g, shift %g", name, fd.lo, fd.hi, fd.shift);
            check_levels(&fd, name, fd.flat ? 0 : DEFAULT_LEVELS);
            check_t_agrees(&fd, name);
            for (int k = 0; k < fd.nlevels; k++)
                field_isoline(&fd, k, NULL, NULL);
        }
        field_free(&fd);
    }
}

/* Counts samples whose stored value or t breaks the non-finite rules. */
static size_t wrong_non_finite(const Field *fd, size_t *up, size_t *down)
{
    size_t wrong = 0;
    *up = *down = 0;
    for (size_t k = 0; k < points(fd); k++) {
        *up += fd->f[k] == HUGE_VAL;
        *down += fd->f[k] == -HUGE_VAL;
        wrong += (fd->f[k] == HUGE_VAL && fd->t[k] != 1.0f) || (fd->f[k] == -HUGE_VAL && fd->t[k] != 0.0f)
                 || isnan(fd->f[k]) || (isfinite(fd->f[k]) && (fd->f[k] < fd->lo || fd->f[k] > fd->hi));
    }
    return wrong;
}

/* saddle far out: +inf where |x| > |y|, -inf the other way, inf - inf (NaN) between. On
 * [-1e155, 1e155] the middle samples stay finite; on [-1e160, 1e160] only the origin does,
 * a flat field whose rim still shows. */
static void check_non_finite(void)
{
    static const double wide[2] = {1e155, 1e160};
    for (int w = 0; w < 2; w++) {
        const WorldBox view = {-wide[w], wide[w], -wide[w], wide[w]};
        Field fd;
        field_init(&fd);
        if (sample(&fd, "saddle", view, 41, 41, 1) == 0) {
            size_t up, down;
            const size_t wrong = wrong_non_finite(&fd, &up, &down);
            CHECK(up > 0 && down > 0 && wrong == 0 && fd.flat == (w == 1),
                  "saddle on +-%g: %zu +inf, %zu -inf, %zu with wrong t, NaN or out of [lo,hi]; flat %d",
                  wide[w], up, down, wrong, fd.flat);
            CHECK(field_t(&fd, NAN) == 1.0f && field_t(&fd, HUGE_VAL) == 1.0f
                      && field_t(&fd, -HUGE_VAL) == 0.0f,
                  "saddle on +-%g: field_t of NaN, +inf, -inf: %g %g %g", wide[w], field_t(&fd, NAN),
                  field_t(&fd, HUGE_VAL), field_t(&fd, -HUGE_VAL));
        }
        field_free(&fd);
    }
}

static void check_flat(void)
{
    const WorldBox point = {1.0, 1.0, 2.0, 2.0};
    Field fd;
    field_init(&fd);
    if (sample(&fd, "rosenbrock", point, 8, 6, 2) == 0) {
        size_t off = 0;
        for (size_t k = 0; k < points(&fd); k++)
            off += fd.t[k] != 0.5f;
        CHECK(fd.flat && fd.nlevels == 0 && off == 0 && field_t(&fd, 3.0) == 0.5f,
              "degenerate view: flat %d, %d levels, %zu t not 0.5", fd.flat, fd.nlevels, off);
        CHECK(field_isoline(&fd, 0, NULL, NULL) == 0, "flat field has no isoline");
    }
    field_free(&fd);
}

static void check_endpoints_of_scale(void)
{
    Field fd;
    field_init(&fd);
    if (sample(&fd, "rosenbrock", func_def(1)->view, 81, 81, 1) == 0)
        CHECK(field_t(&fd, fd.lo) == 0.0f && fabsf(field_t(&fd, fd.hi) - 1.0f) <= 1e-6f
                  && field_t(&fd, fd.lo - 1.0) == 0.0f && field_t(&fd, fd.hi * 2) == 1.0f,
              "rosenbrock: t(lo) %g, t(hi) %g, below lo %g, above hi %g", field_t(&fd, fd.lo),
              field_t(&fd, fd.hi), field_t(&fd, fd.lo - 1.0), field_t(&fd, fd.hi * 2));
    field_free(&fd);
}

static int same_field(const Field *a, const Field *b)
{
    const size_t n = points(a);
    return a->nx == b->nx && a->ny == b->ny && memcmp(a->f, b->f, n * sizeof *a->f) == 0
           && memcmp(a->t, b->t, n * sizeof *a->t) == 0 && a->lo == b->lo && a->hi == b->hi
           && a->shift == b->shift && a->nlevels == b->nlevels
           && memcmp(a->levels, b->levels, sizeof a->levels) == 0;
}

static void check_threads(void)
{
    static const char *const funcs[] = {"rosenbrock", "goldstein_price", "ackley"};
    static const int counts[] = {2, 4, 7, 16, 100, 0};
    for (size_t f = 0; f < sizeof funcs / sizeof funcs[0]; f++) {
        const WorldBox view = func_def(spec_of(funcs[f]).kind)->view;
        Field one, many;
        field_init(&one);
        field_init(&many);
        int differ = 0, failed = sample(&one, funcs[f], view, 203, 101, 1) != 0;
        for (size_t c = 0; c < sizeof counts / sizeof counts[0] && !failed; c++) {
            failed |= sample(&many, funcs[f], view, 203, 101, counts[c]) != 0;
            differ += !failed && !same_field(&one, &many);
        }
        CHECK(!failed && differ == 0, "%s: %d thread counts give a field different from one thread",
              funcs[f], differ);
        field_free(&one);
        field_free(&many);
    }
}

static void check_reuse(void)
{
    const WorldBox view = func_def(spec_of("himmelblau").kind)->view;
    Field fd, fresh;
    field_init(&fd);
    field_init(&fresh);
    if (sample(&fd, "himmelblau", view, 200, 150, 2) == 0) {
        const size_t capacity = fd.capacity;
        const double *f = fd.f;
        const float *t = fd.t;
        const int ok = sample(&fd, "himmelblau", view, 100, 80, 2) == 0
                       && sample(&fresh, "himmelblau", view, 100, 80, 1) == 0;
        CHECK(ok && fd.capacity == capacity && fd.f == f && fd.t == t,
              "smaller grid: capacity %zu -> %zu, buffers moved %d", capacity, fd.capacity,
              fd.f != f || fd.t != t);
        CHECK(ok && same_field(&fd, &fresh), "smaller grid into a used field differs from a fresh one");
    }
    field_free(&fd);
    field_free(&fresh);
}

static void check_errors(void)
{
    const Spec s = spec_of("rosenbrock");
    const WorldBox good = {-2, 2, -1, 3}, nan_view = {-2, NAN, -1, 3}, wide = {-1e308, 1e308, 0, 1};
    Field fd;
    field_init(&fd);
    char err[256];
    if (sample(&fd, "rosenbrock", good, 30, 20, 1) == 0) {
        Field before;
        memcpy(&before, &fd, sizeof fd);
        int rejected = 0, kept = 1;
        const struct {
            WorldBox view;
            int nx, ny;
        } bad[] = {{good, 1, 20}, {good, 30, 0}, {nan_view, 30, 20}, {wide, 30, 20}};
        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
            err[0] = '\0';
            rejected += field_sample(&fd, &s, bad[b].view, bad[b].nx, bad[b].ny, 8, 1, err, sizeof err) == -1
                        && err[0] != '\0';
            kept &= memcmp(&before, &fd, sizeof fd) == 0;
        }
        CHECK(rejected == 4 && kept, "%d of 4 bad requests rejected with a message; field kept %d", rejected,
              kept);
    }
    field_free(&fd);
}

/* A part of the view sampled on the whole view's scaling gets the very t and levels the
 * whole field has at the same points: a strip dragged into view matches the map around it.
 * A part alone would be scaled to its own range. */
static void check_sample_like(void)
{
    const Spec s = spec_of("rosenbrock");
    const WorldBox whole = { -2, 2, -1, 3 }, part = { -1, 0, 1, 2 }; /* grid points of whole */
    char err[256] = "";
    Field w, p, alone;
    field_init(&w);
    field_init(&p);
    field_init(&alone);
    const int ok = field_sample(&w, &s, whole, 81, 81, DEFAULT_LEVELS, 2, err, sizeof err) == 0 &&
                   field_sample_like(&p, &w, &s, part, 21, 21, 1, err, sizeof err) == 0 &&
                   field_sample(&alone, &s, part, 21, 21, DEFAULT_LEVELS, 1, err, sizeof err) == 0;
    CHECK(ok, "sampling: %s", err);
    int same = ok && p.nlevels == w.nlevels && p.lo == w.lo && p.hi == w.hi;
    for (int k = 0; same && k < w.nlevels; k++)
        same = p.levels[k] == w.levels[k];
    CHECK(same, "the part's scaling and levels are not the whole field's");
    int agree = ok;
    for (int j = 0; agree && j < 21; j++)
        for (int i = 0; agree && i < 21; i++)
            agree = p.t[j * 21 + i] == w.t[(20 + j) * 81 + 20 + i] && p.band[j * 21 + i] == w.band[(20 + j) * 81 + 20 + i];
    CHECK(agree, "the part's t differs from the whole field's at the same point");
    CHECK(!ok || alone.lo != w.lo || alone.hi != w.hi, "the part alone should have a range of its own");
    field_free(&w);
    field_free(&p);
    field_free(&alone);
}

void test_field(void)
{
    check_default_views();
    check_isolines_on_edges("rosenbrock");
    check_isolines_on_edges("quadratic:angle=30");
    check_isolines_on_edges("himmelblau");
    for (int kind = 0; kind < func_table.count; kind++)
        if (func_def(kind)->formula)
            check_isolines_sweep(spec_kind(&func_table, kind)->name, func_def(kind)->view);
    static const WorldBox far = {-1e155, 1e155, -1e155, 1e155};
    check_isolines_sweep("saddle", far);
    check_circle();
    check_saddle_cells();
    check_extreme_views();
    check_non_finite();
    check_flat();
    check_endpoints_of_scale();
    check_threads();
    check_reuse();
    check_errors();
    check_sample_like();
}
