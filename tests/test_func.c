/* Tests for src/core/func.c: every row's analytic gradient and Hessian against central differences,
 * its listed minima against the gradient and their neighbourhood, and its view and start. */
#include "../src/core/func.h"
#include "check.h"

#include <math.h>
#include <string.h>

#define GRAD_SAMPLES 200
#define NEAR_SAMPLES 100
#define NEAR_RADIUS 1e-2

/* A fixed LCG (Knuth's MMIX constants) so a failure names the same point on every run. */
static double lcg_unit(unsigned long long *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) / 9007199254740992.0; /* 2^53: [0, 1) */
}

static double lerp(double a, double b, double t)
{
    return a + (b - a) * t;
}

static double max3(double a, double b, double c)
{
    const double m = a > b ? a : b;
    return m > c ? m : c;
}

static double central_difference(const Spec *s, double x, double y, int axis)
{
    const double h = 1e-6 * fmax(1.0, fabs(axis == 0 ? x : y));
    const double dx = axis == 0 ? h : 0.0, dy = axis == 0 ? 0.0 : h;
    return (func_value(s, x + dx, y + dy) - func_value(s, x - dx, y - dy)) / (2.0 * h);
}

/* The worst of got against want over n values, each over its tolerance; NaN-safe:
 * anything not finite counts as infinitely wrong. */
static double worst_ratio(const double *got, const double *want, const double *tol, int n)
{
    double worst = 0.0;
    for (int i = 0; i < n; i++) {
        const double ratio = fabs(got[i] - want[i]) / tol[i];
        if (!(ratio <= worst))
            worst = isfinite(ratio) ? ratio : INFINITY;
    }
    return worst;
}

/* Differencing f subtracts two values of size |f|, so its rounding error grows with |f|
 * (goldstein_price reaches 1e6 in its view); a tolerance relative to |g| alone would fail
 * there, while |f|*1e-3 still leaves a wrong sign or factor far outside it. Returns the
 * error over the tolerance; got and want get the gradient and the differences. */
static double gradient_error(const Spec *s, double x, double y, double got[3], double want[3])
{
    const double f = func_value(s, x, y);
    double tol[2];
    func_grad(s, x, y, got);
    for (int axis = 0; axis < 2; axis++) {
        want[axis] = central_difference(s, x, y, axis);
        tol[axis] = 1e-5 * max3(1.0, fabs(got[axis]), fabs(f) * 1e-3);
    }
    got[2] = want[2] = 0.0;
    return worst_ratio(got, want, tol, 2);
}

/* The Hessian against central differences of the analytic gradient (itself checked
 * against the function); f_xy is compared with both d g_x / dy and d g_y / dx. The
 * differenced gradient loses about |g| * 1e-10 to rounding, hence the |g| term. */
static double hessian_error(const Spec *s, double x, double y, double got[3], double want[3])
{
    double gp[2], gm[2], g[2], d[2][2];
    func_hessian(s, x, y, got);
    func_grad(s, x, y, g);
    for (int axis = 0; axis < 2; axis++) {
        const double step = 1e-6 * fmax(1.0, fabs(axis == 0 ? x : y));
        const double dx = axis == 0 ? step : 0.0, dy = axis == 0 ? 0.0 : step;
        func_grad(s, x + dx, y + dy, gp);
        func_grad(s, x - dx, y - dy, gm);
        d[axis][0] = (gp[0] - gm[0]) / (2.0 * step);
        d[axis][1] = (gp[1] - gm[1]) / (2.0 * step);
    }
    want[0] = d[0][0], want[1] = d[1][0], want[2] = d[1][1];
    const double h4[4] = { got[0], got[1], got[1], got[2] }, d4[4] = { d[0][0], d[1][0], d[0][1], d[1][1] };
    double tol[4];
    for (int i = 0; i < 4; i++)
        tol[i] = 1e-5 * max3(1.0, fabs(h4[i]), 1e-3 * (fabs(g[0]) + fabs(g[1])));
    return worst_ratio(h4, d4, tol, 4);
}

typedef double (*DerivativeError)(const Spec *s, double x, double y, double got[3], double want[3]);

/* The worst error over GRAD_SAMPLES points of the function's view, fixed by seed. */
static double worst_sample(const Spec *s, unsigned long long seed, DerivativeError error, double at[2],
                           double got[3], double want[3])
{
    const WorldBox v = func_def(s->kind)->view;
    unsigned long long state = seed + (unsigned long long)s->kind;
    double worst = -1.0;
    for (int i = 0; i < GRAD_SAMPLES; i++) {
        const double x = lerp(v.x0, v.x1, lcg_unit(&state));
        const double y = lerp(v.y0, v.y1, lcg_unit(&state));
        double gi[3], wi[3];
        const double e = error(s, x, y, gi, wi);
        if (e > worst) {
            worst = e;
            at[0] = x, at[1] = y;
            memcpy(got, gi, sizeof gi);
            memcpy(want, wi, sizeof wi);
        }
    }
    return worst;
}

/* n values of got and want as "(a, b, c)". */
static void format_values(char *buf, size_t len, const double *v, int n)
{
    size_t used = (size_t)snprintf(buf, len, "(");
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%.10g", i ? ", " : "", v[i]);
    if (used < len)
        snprintf(buf + used, len - used, ")");
}

/* what: "gradient" (2 values) or "Hessian" (f_xx, f_xy, f_yy). */
static void check_derivative(const Spec *s, const char *name, const char *what, unsigned long long seed,
                             DerivativeError error, int n)
{
    double at[2] = { 0, 0 }, got[3] = { 0, 0, 0 }, want[3] = { 0, 0, 0 };
    char a[128], b[128];
    const double worst = worst_sample(s, seed, error, at, got, want);
    format_values(a, sizeof a, got, n);
    format_values(b, sizeof b, want, n);
    CHECK(worst <= 1.0, "%s: %s at (%.6g, %.6g) is %s, central differences give %s (%.3g x tolerance)", name, what,
          at[0], at[1], a, b, worst);
}

static void check_minima_flat(const Spec *s, const char *name, double m[][2], int n)
{
    for (int i = 0; i < n; i++) {
        double g[2];
        const double f = func_value(s, m[i][0], m[i][1]);
        func_grad(s, m[i][0], m[i][1], g);
        const double norm = hypot(g[0], g[1]);
        if (!(norm <= 1e-6 * fmax(1.0, fabs(f)))) {
            CHECK(0, "%s: gradient at listed minimum (%.17g, %.17g) is (%.3g, %.3g)", name, m[i][0],
                  m[i][1], g[0], g[1]);
            return;
        }
    }
    CHECK(1, "%s", name);
}

/* Returns the index of the first nearby sample lower than minimum m, or -1; q gets it. */
static int beaten_near(const Spec *s, const double m[2], unsigned long long *state, double q[2])
{
    const double fm = func_value(s, m[0], m[1]);
    const double slack = 1e-12 * fmax(1.0, fabs(fm));
    for (int j = 0; j < NEAR_SAMPLES; j++) {
        q[0] = m[0] + NEAR_RADIUS * (2.0 * lcg_unit(state) - 1.0);
        q[1] = m[1] + NEAR_RADIUS * (2.0 * lcg_unit(state) - 1.0);
        if (!(fm <= func_value(s, q[0], q[1]) + slack))
            return j;
    }
    return -1;
}

static void check_minima_lowest(const Spec *s, const char *name, double m[][2], int n)
{
    unsigned long long state = 0xa11ce000ULL + (unsigned long long)s->kind;
    for (int i = 0; i < n; i++) {
        double q[2];
        if (beaten_near(s, m[i], &state, q) >= 0) {
            CHECK(0, "%s: f(%.6g, %.6g) = %.17g is below f at listed minimum (%.6g, %.6g) = %.17g",
                  name, q[0], q[1], func_value(s, q[0], q[1]), m[i][0], m[i][1],
                  func_value(s, m[i][0], m[i][1]));
            return;
        }
    }
    CHECK(1, "%s", name);
}

static void check_minima(const Spec *s, const char *name)
{
    double m[FUNC_MAX_MINIMA][2];
    const int n = func_minima(s, m);
    CHECK(n >= 0 && n <= FUNC_MAX_MINIMA, "%s: %d minima listed, at most %d fit", name, n,
          FUNC_MAX_MINIMA);
    if (n < 0 || n > FUNC_MAX_MINIMA)
        return;
    check_minima_flat(s, name, m, n);
    check_minima_lowest(s, name, m, n);
}

static int inside(WorldBox v, double x, double y)
{
    return x >= v.x0 && x <= v.x1 && y >= v.y0 && y <= v.y1;
}

/* Defaults only: the view is chosen for the default parameters, so a changed parameter
 * may move a minimum out of it (rosenbrock:a=2). */
static void check_row_layout(const Spec *s, const char *name)
{
    const FuncDef *d = func_def(s->kind);
    const WorldBox v = d->view;
    double m[FUNC_MAX_MINIMA][2];
    int n = func_minima(s, m), outside = -1;
    CHECK(v.x0 < v.x1 && v.y0 < v.y1 && inside(v, d->start[0], d->start[1]),
          "%s: start (%g, %g) is not inside view [%g, %g] x [%g, %g]", name, d->start[0],
          d->start[1], v.x0, v.x1, v.y0, v.y1);
    for (int i = 0; i < n && i < FUNC_MAX_MINIMA; i++)
        if (!inside(v, m[i][0], m[i][1]))
            outside = i;
    CHECK(outside < 0, "%s: minimum (%g, %g) is outside view [%g, %g] x [%g, %g]", name,
          outside < 0 ? 0.0 : m[outside][0], outside < 0 ? 0.0 : m[outside][1], v.x0, v.x1, v.y0,
          v.y1);
    CHECK(d->kind.name && d->kind.name[0] && d->kind.summary && d->kind.summary[0] &&
              spec_find(&func_table, d->kind.name) == s->kind,
          "row %d (%s): needs a unique name and a summary", s->kind, name);
}

static void check_spec(const Spec *s)
{
    char name[128];
    spec_format(&func_table, s, name, sizeof name);
    check_derivative(s, name, "gradient", 0x5eed0000ULL, gradient_error, 2);
    check_derivative(s, name, "Hessian", 0x4e55000ULL, hessian_error, 3);
    check_minima(s, name);
}

static int parse_or_fail(const char *text, Spec *s)
{
    char err[256];
    const int rc = spec_parse(&func_table, text, s, err, sizeof err);
    CHECK(rc == 0, "spec_parse(\"%s\"): %s", text, err);
    return rc;
}

/* Parameters must reach the formulas in ParamDef order, not merely parse. */
static void check_parameters(void)
{
    const double c = cos(30.0 * 3.14159265358979323846 / 180.0);
    Spec s;
    if (parse_or_fail("quadratic:angle=30", &s) == 0) {
        const double along = func_value(&s, c, 0.5), across = func_value(&s, -0.5, c);
        CHECK(fabs(along - 0.5) < 1e-12 && fabs(across - 5.0) < 1e-12,
              "quadratic:angle=30: f on the turned axes is %.17g and %.17g, want 0.5 and 5", along,
              across);
        check_spec(&s);
    }
    if (parse_or_fail("rosenbrock:a=2,b=50", &s) == 0) {
        const double f = func_value(&s, 0.0, 1.0);
        CHECK(fabs(f - 54.0) < 1e-12, "rosenbrock:a=2,b=50: f(0, 1) = %.17g, want 54", f);
        check_spec(&s);
    }
    if (parse_or_fail("rastrigin:A=3", &s) == 0)
        check_spec(&s);
}

static void check_special_points(void)
{
    Spec s;
    double g[2];
    spec_defaults(&func_table, spec_find(&func_table, "ackley"), &s);
    func_grad(&s, 0.0, 0.0, g);
    CHECK(g[0] == 0.0 && g[1] == 0.0, "ackley: gradient at the origin is (%g, %g), want (0, 0)",
          g[0], g[1]);
    spec_defaults(&func_table, spec_find(&func_table, "saddle"), &s);
    double m[FUNC_MAX_MINIMA][2];
    CHECK(func_minima(&s, m) == 0, "saddle: lists minima but is unbounded below");
    CHECK(func_def(-1) == NULL && func_def(func_table.count) == NULL,
          "func_def: out-of-range kinds must give NULL");
}

void test_func(void)
{
    for (int k = 0; k < func_table.count; k++) {
        if (!func_def(k)->formula)
            continue; /* the expr row has no function of its own: tests/test_expr.c */
        Spec s;
        spec_defaults(&func_table, k, &s);
        check_spec(&s);
        check_row_layout(&s, spec_kind(&func_table, k)->name);
    }
    check_parameters();
    check_special_points();
}
