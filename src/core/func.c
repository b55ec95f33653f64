/* The two-dimensional test functions: one row per function with its parameters, value,
 * analytic gradient and Hessian, default view, start point and known minima, and their
 * evaluation. Everything that lists functions (parser, help, legend) reads func_rows through
 * func_table; the expr row's syntax and home are in func_expr.c. */
#include "func.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "func_expr.h"

/* C11 without POSIX extensions has no M_PI. */
static const double PI = 3.14159265358979323846;

static int put_points(double out[FUNC_MAX_MINIMA][2], const double (*pts)[2], int n)
{
    for (int i = 0; i < n; i++) {
        out[i][0] = pts[i][0];
        out[i][1] = pts[i][1];
    }
    return n;
}

static int put_point(double out[FUNC_MAX_MINIMA][2], double x, double y)
{
    out[0][0] = x;
    out[0][1] = y;
    return 1;
}

static int origin_minimum(const double *p, double out[FUNC_MAX_MINIMA][2])
{
    (void)p;
    return put_point(out, 0, 0);
}

enum { QUAD_A, QUAD_B, QUAD_ANGLE, QUAD_N };
enum { ROSEN_A, ROSEN_B, ROSEN_N };
enum { RASTRIGIN_A, RASTRIGIN_N };

/* A convex bowl with curvatures a and b along axes turned by angle, so a
 * large b/a ratio makes the ravine that separates momentum from plain descent. */
static void quadratic_axes(const double *p, double x, double y, double *u, double *v, double *c,
                           double *s)
{
    const double t = p[QUAD_ANGLE] * PI / 180.0;
    *c = cos(t);
    *s = sin(t);
    *u = x * *c + y * *s;
    *v = -x * *s + y * *c;
}

static double quadratic_value(const double *p, double x, double y)
{
    double u, v, c, s;
    quadratic_axes(p, x, y, &u, &v, &c, &s);
    return 0.5 * (p[QUAD_A] * u * u + p[QUAD_B] * v * v);
}

static void quadratic_grad(const double *p, double x, double y, double g[2])
{
    double u, v, c, s;
    quadratic_axes(p, x, y, &u, &v, &c, &s);
    g[0] = p[QUAD_A] * u * c - p[QUAD_B] * v * s;
    g[1] = p[QUAD_A] * u * s + p[QUAD_B] * v * c;
}

static void quadratic_hessian(const double *p, double x, double y, double h[3])
{
    double u, v, c, s;
    quadratic_axes(p, x, y, &u, &v, &c, &s);
    h[0] = p[QUAD_A] * c * c + p[QUAD_B] * s * s;
    h[1] = (p[QUAD_A] - p[QUAD_B]) * c * s;
    h[2] = p[QUAD_A] * s * s + p[QUAD_B] * c * c;
}

static double rosenbrock_value(const double *p, double x, double y)
{
    const double d = p[ROSEN_A] - x, e = y - x * x;
    return d * d + p[ROSEN_B] * e * e;
}

static void rosenbrock_grad(const double *p, double x, double y, double g[2])
{
    const double e = y - x * x;
    g[0] = -2.0 * (p[ROSEN_A] - x) - 4.0 * p[ROSEN_B] * x * e;
    g[1] = 2.0 * p[ROSEN_B] * e;
}

static void rosenbrock_hessian(const double *p, double x, double y, double h[3])
{
    const double e = y - x * x;
    h[0] = 2.0 - 4.0 * p[ROSEN_B] * e + 8.0 * p[ROSEN_B] * x * x;
    h[1] = -4.0 * p[ROSEN_B] * x;
    h[2] = 2.0 * p[ROSEN_B];
}

static int rosenbrock_minima(const double *p, double out[FUNC_MAX_MINIMA][2])
{
    return put_point(out, p[ROSEN_A], p[ROSEN_A] * p[ROSEN_A]);
}

static double beale_value(const double *p, double x, double y)
{
    (void)p;
    const double t1 = 1.5 - x + x * y, t2 = 2.25 - x + x * y * y, t3 = 2.625 - x + x * y * y * y;
    return t1 * t1 + t2 * t2 + t3 * t3;
}

static void beale_grad(const double *p, double x, double y, double g[2])
{
    (void)p;
    const double y2 = y * y, y3 = y2 * y;
    const double t1 = 1.5 - x + x * y, t2 = 2.25 - x + x * y2, t3 = 2.625 - x + x * y3;
    g[0] = 2.0 * (t1 * (y - 1.0) + t2 * (y2 - 1.0) + t3 * (y3 - 1.0));
    g[1] = 2.0 * x * (t1 + 2.0 * t2 * y + 3.0 * t3 * y2);
}

/* f = sum t_i^2, so H = 2 sum (grad t_i grad t_i^T + t_i hess t_i). */
static void beale_hessian(const double *p, double x, double y, double h[3])
{
    (void)p;
    const double y2 = y * y, y3 = y2 * y;
    const double t1 = 1.5 - x + x * y, t2 = 2.25 - x + x * y2, t3 = 2.625 - x + x * y3;
    const double a1 = y - 1.0, a2 = y2 - 1.0, a3 = y3 - 1.0; /* d t_i / dx */
    const double b1 = x, b2 = 2.0 * x * y, b3 = 3.0 * x * y2; /* d t_i / dy */
    h[0] = 2.0 * (a1 * a1 + a2 * a2 + a3 * a3);
    h[1] = 2.0 * (a1 * b1 + a2 * b2 + a3 * b3 + t1 + 2.0 * y * t2 + 3.0 * y2 * t3);
    h[2] = 2.0 * (b1 * b1 + b2 * b2 + b3 * b3 + 2.0 * x * t2 + 6.0 * x * y * t3);
}

static int beale_minima(const double *p, double out[FUNC_MAX_MINIMA][2])
{
    (void)p;
    return put_point(out, 3.0, 0.5);
}

static double himmelblau_value(const double *p, double x, double y)
{
    (void)p;
    const double a = x * x + y - 11.0, b = x + y * y - 7.0;
    return a * a + b * b;
}

static void himmelblau_grad(const double *p, double x, double y, double g[2])
{
    (void)p;
    const double a = x * x + y - 11.0, b = x + y * y - 7.0;
    g[0] = 4.0 * x * a + 2.0 * b;
    g[1] = 2.0 * a + 4.0 * y * b;
}

static void himmelblau_hessian(const double *p, double x, double y, double h[3])
{
    (void)p;
    const double a = x * x + y - 11.0, b = x + y * y - 7.0;
    h[0] = 2.0 * (4.0 * x * x + 2.0 * a + 1.0);
    h[1] = 4.0 * (x + y);
    h[2] = 2.0 * (1.0 + 4.0 * y * y + 2.0 * b);
}

/* The three irrational minima were polished with Newton's method to full double precision. */
static int himmelblau_minima(const double *p, double out[FUNC_MAX_MINIMA][2])
{
    static const double pts[4][2] = {
        {3.0, 2.0},
        {-2.805118086952745, 3.131312518250573},
        {-3.779310253377747, -3.283185991286169},
        {3.5844283403304917, -1.8481265269644034},
    };
    (void)p;
    return put_points(out, pts, 4);
}

static double booth_value(const double *p, double x, double y)
{
    (void)p;
    const double a = x + 2.0 * y - 7.0, b = 2.0 * x + y - 5.0;
    return a * a + b * b;
}

static void booth_grad(const double *p, double x, double y, double g[2])
{
    (void)p;
    const double a = x + 2.0 * y - 7.0, b = 2.0 * x + y - 5.0;
    g[0] = 2.0 * a + 4.0 * b;
    g[1] = 4.0 * a + 2.0 * b;
}

static void booth_hessian(const double *p, double x, double y, double h[3])
{
    (void)p;
    (void)x;
    (void)y;
    h[0] = 10.0;
    h[1] = 8.0;
    h[2] = 10.0;
}

static int booth_minima(const double *p, double out[FUNC_MAX_MINIMA][2])
{
    (void)p;
    return put_point(out, 1.0, 3.0);
}

static double rastrigin_value(const double *p, double x, double y)
{
    const double A = p[RASTRIGIN_A];
    return 2.0 * A + x * x - A * cos(2.0 * PI * x) + y * y - A * cos(2.0 * PI * y);
}

static void rastrigin_grad(const double *p, double x, double y, double g[2])
{
    const double A = p[RASTRIGIN_A];
    g[0] = 2.0 * x + 2.0 * PI * A * sin(2.0 * PI * x);
    g[1] = 2.0 * y + 2.0 * PI * A * sin(2.0 * PI * y);
}

static void rastrigin_hessian(const double *p, double x, double y, double h[3])
{
    const double A = p[RASTRIGIN_A];
    h[0] = 2.0 + 4.0 * PI * PI * A * cos(2.0 * PI * x);
    h[1] = 0.0;
    h[2] = 2.0 + 4.0 * PI * PI * A * cos(2.0 * PI * y);
}

static double ackley_value(const double *p, double x, double y)
{
    (void)p;
    const double r = sqrt(0.5 * (x * x + y * y));
    const double c = 0.5 * (cos(2.0 * PI * x) + cos(2.0 * PI * y));
    return -20.0 * exp(-0.2 * r) - exp(c) + exp(1.0) + 20.0;
}

/* The radial term is a cone at the origin with no gradient there; 0 is the subgradient an
 * optimizer sitting on the minimum should see, and it keeps NaN out of the runs. */
static void ackley_grad(const double *p, double x, double y, double g[2])
{
    (void)p;
    const double r = sqrt(0.5 * (x * x + y * y));
    const double radial = r > 0.0 ? 2.0 * exp(-0.2 * r) / r : 0.0;
    const double wave = PI * exp(0.5 * (cos(2.0 * PI * x) + cos(2.0 * PI * y)));
    g[0] = radial * x + wave * sin(2.0 * PI * x);
    g[1] = radial * y + wave * sin(2.0 * PI * y);
}

/* The radial term's gradient is phi(r) (x, y) with phi = 2 exp(-0.2 r) / r; at the cone's
 * tip it has no Hessian, and 0 matches the gradient's choice there. */
static void ackley_hessian(const double *p, double x, double y, double h[3])
{
    (void)p;
    const double r = sqrt(0.5 * (x * x + y * y));
    double phi = 0.0, k = 0.0; /* k = phi'(r) / (2r) */
    if (r > 0.0) {
        const double e = exp(-0.2 * r);
        phi = 2.0 * e / r;
        k = -2.0 * e * (0.2 * r + 1.0) / (r * r) / (2.0 * r);
    }
    const double wave = PI * exp(0.5 * (cos(2.0 * PI * x) + cos(2.0 * PI * y)));
    const double sx = sin(2.0 * PI * x), sy = sin(2.0 * PI * y);
    h[0] = phi + k * x * x + wave * (-PI * sx * sx + 2.0 * PI * cos(2.0 * PI * x));
    h[1] = k * x * y - wave * PI * sx * sy;
    h[2] = phi + k * y * y + wave * (-PI * sy * sy + 2.0 * PI * cos(2.0 * PI * y));
}

/* f = A(x,y) B(x,y) with A = 1 + s^2 P, s = x+y+1 and B = 30 + t^2 Q, t = 2x-3y. */
static void goldstein_parts(double x, double y, double ab[2], double da[2], double db[2])
{
    const double s = x + y + 1.0, t = 2.0 * x - 3.0 * y;
    const double P = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y;
    const double Q = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y;
    const double dP = -14.0 + 6.0 * x + 6.0 * y; /* dP/dx and dP/dy coincide */
    ab[0] = 1.0 + s * s * P;
    ab[1] = 30.0 + t * t * Q;
    da[0] = 2.0 * s * P + s * s * dP;
    da[1] = da[0];
    db[0] = 4.0 * t * Q + t * t * (-32.0 + 24.0 * x - 36.0 * y);
    db[1] = -6.0 * t * Q + t * t * (48.0 - 36.0 * x + 54.0 * y);
}

static double goldstein_price_value(const double *p, double x, double y)
{
    double ab[2], da[2], db[2];
    (void)p;
    goldstein_parts(x, y, ab, da, db);
    return ab[0] * ab[1];
}

static void goldstein_price_grad(const double *p, double x, double y, double g[2])
{
    double ab[2], da[2], db[2];
    (void)p;
    goldstein_parts(x, y, ab, da, db);
    g[0] = da[0] * ab[1] + ab[0] * db[0];
    g[1] = da[1] * ab[1] + ab[0] * db[1];
}

/* H = hess A B + grad A grad B^T + grad B grad A^T + A hess B; A's second derivatives
 * coincide because P's first ones do. */
static void goldstein_price_hessian(const double *p, double x, double y, double h[3])
{
    double ab[2], da[2], db[2];
    (void)p;
    goldstein_parts(x, y, ab, da, db);
    const double s = x + y + 1.0, t = 2.0 * x - 3.0 * y;
    const double P = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y;
    const double Q = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y;
    const double dP = -14.0 + 6.0 * x + 6.0 * y;
    const double Qx = -32.0 + 24.0 * x - 36.0 * y, Qy = 48.0 - 36.0 * x + 54.0 * y;
    const double A2 = 2.0 * P + 4.0 * s * dP + 6.0 * s * s;
    const double Bxx = 8.0 * Q + 8.0 * t * Qx + 24.0 * t * t;
    const double Bxy = -12.0 * Q + 4.0 * t * Qy - 6.0 * t * Qx - 36.0 * t * t;
    const double Byy = 18.0 * Q - 12.0 * t * Qy + 54.0 * t * t;
    h[0] = A2 * ab[1] + 2.0 * da[0] * db[0] + ab[0] * Bxx;
    h[1] = A2 * ab[1] + da[0] * db[1] + db[0] * da[1] + ab[0] * Bxy;
    h[2] = A2 * ab[1] + 2.0 * da[1] * db[1] + ab[0] * Byy;
}

static int goldstein_price_minima(const double *p, double out[FUNC_MAX_MINIMA][2])
{
    (void)p;
    return put_point(out, 0.0, -1.0);
}

static double six_hump_camel_value(const double *p, double x, double y)
{
    (void)p;
    const double x2 = x * x, y2 = y * y;
    return (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2;
}

static void six_hump_camel_grad(const double *p, double x, double y, double g[2])
{
    (void)p;
    const double x2 = x * x;
    g[0] = 8.0 * x - 8.4 * x2 * x + 2.0 * x2 * x2 * x + y;
    g[1] = x - 8.0 * y + 16.0 * y * y * y;
}

static void six_hump_camel_hessian(const double *p, double x, double y, double h[3])
{
    (void)p;
    const double x2 = x * x;
    h[0] = 8.0 - 25.2 * x2 + 10.0 * x2 * x2;
    h[1] = 1.0;
    h[2] = -8.0 + 48.0 * y * y;
}

/* Newton-polished; the often quoted 0.08984201368301331 is off in the ninth digit. */
static int six_hump_camel_minima(const double *p, double out[FUNC_MAX_MINIMA][2])
{
    static const double pts[2][2] = {
        {0.08984201310031807, -0.7126564030207396},
        {-0.08984201310031807, 0.7126564030207396},
    };
    (void)p;
    return put_points(out, pts, 2);
}

static double matyas_value(const double *p, double x, double y)
{
    (void)p;
    return 0.26 * (x * x + y * y) - 0.48 * x * y;
}

static void matyas_grad(const double *p, double x, double y, double g[2])
{
    (void)p;
    g[0] = 0.52 * x - 0.48 * y;
    g[1] = 0.52 * y - 0.48 * x;
}

static void matyas_hessian(const double *p, double x, double y, double h[3])
{
    (void)p;
    (void)x;
    (void)y;
    h[0] = 0.52;
    h[1] = -0.48;
    h[2] = 0.52;
}

static double saddle_value(const double *p, double x, double y)
{
    (void)p;
    return x * x - y * y;
}

static void saddle_grad(const double *p, double x, double y, double g[2])
{
    (void)p;
    g[0] = 2.0 * x;
    g[1] = -2.0 * y;
}

static void saddle_hessian(const double *p, double x, double y, double h[3])
{
    (void)p;
    (void)x;
    (void)y;
    h[0] = 2.0;
    h[1] = 0.0;
    h[2] = -2.0;
}

/* Unbounded below: there is nothing to mark. */
static int no_minima(const double *p, double out[FUNC_MAX_MINIMA][2])
{
    (void)p;
    (void)out;
    return 0;
}

/* The losses over data: `linreg:data=FILE` and `logreg:data=FILE`, the file by path or by a
 * shipped data set's name. Everything but the syntax is in data.c. */
static int data_parse_text(const char *name, const char *rest, Spec *out, char *err, size_t errlen)
{
    const size_t n = rest ? strlen(rest) : 0;
    if (n <= 5 || strncmp(rest, "data=", 5) != 0) {
        snprintf(err, errlen, "%s: needs its data, %s:data=FILE (a CSV of feature,target rows, or a shipped "
                 "data set's name such as line)", name, name);
        return -1;
    }
    if (n - 5 >= sizeof out->text.file) {
        snprintf(err, errlen, "%s: data file name longer than %zu bytes", name, sizeof out->text.file - 1);
        return -1;
    }
    memcpy(out->text.file, rest + 5, n - 5 + 1);
    return 0;
}

static int linreg_parse(const char *rest, Spec *out, char *err, size_t errlen)
{
    return data_parse_text("linreg", rest, out, err, errlen);
}

static int logreg_parse(const char *rest, Spec *out, char *err, size_t errlen)
{
    return data_parse_text("logreg", rest, out, err, errlen);
}

static void data_format(const Spec *s, int brief, char *buf, size_t len)
{
    (void)brief;
    snprintf(buf, len, ":data=%s", s->text.file);
}

static int data_unused_minima(const double *p, double out[FUNC_MAX_MINIMA][2])
{
    (void)p;
    (void)out;
    return 0;
}

static double styblinski_tang_value(const double *p, double x, double y)
{
    (void)p;
    const double x2 = x * x, y2 = y * y;
    return 0.5 * (x2 * x2 - 16.0 * x2 + 5.0 * x + y2 * y2 - 16.0 * y2 + 5.0 * y);
}

static void styblinski_tang_grad(const double *p, double x, double y, double g[2])
{
    (void)p;
    g[0] = 2.0 * x * x * x - 16.0 * x + 2.5;
    g[1] = 2.0 * y * y * y - 16.0 * y + 2.5;
}

static void styblinski_tang_hessian(const double *p, double x, double y, double h[3])
{
    (void)p;
    h[0] = 6.0 * x * x - 16.0;
    h[1] = 0.0;
    h[2] = 6.0 * y * y - 16.0;
}

/* The most negative root of 2t^3 - 16t + 2.5 = 0, in each coordinate. */
static int styblinski_tang_minima(const double *p, double out[FUNC_MAX_MINIMA][2])
{
    (void)p;
    return put_point(out, -2.903534027771177, -2.903534027771177);
}

static double mccormick_value(const double *p, double x, double y)
{
    (void)p;
    const double d = x - y;
    return sin(x + y) + d * d - 1.5 * x + 2.5 * y + 1.0;
}

static void mccormick_grad(const double *p, double x, double y, double g[2])
{
    (void)p;
    const double c = cos(x + y), d = x - y;
    g[0] = c + 2.0 * d - 1.5;
    g[1] = c - 2.0 * d + 2.5;
}

static void mccormick_hessian(const double *p, double x, double y, double h[3])
{
    (void)p;
    const double sn = sin(x + y);
    h[0] = 2.0 - sn;
    h[1] = -2.0 - sn;
    h[2] = 2.0 - sn;
}

/* The gradient vanishes where x - y = 1 and cos(x + y) = -1/2; x + y = -2pi/3 is the branch
 * with positive curvature inside the usual domain. */
static int mccormick_minima(const double *p, double out[FUNC_MAX_MINIMA][2])
{
    (void)p;
    return put_point(out, 0.5 - PI / 3.0, -0.5 - PI / 3.0);
}

static const ParamDef quadratic_params[QUAD_N] = {
    [QUAD_A] = REAL("a", 1.0, 0.0, 1e6, PARAM_LO_OPEN),
    [QUAD_B] = REAL("b", 10.0, 0.0, 1e6, PARAM_LO_OPEN),
    [QUAD_ANGLE] = REAL("angle", 0.0, -360.0, 360.0, 0),
};

static const ParamDef rosenbrock_params[ROSEN_N] = {
    [ROSEN_A] = REAL("a", 1.0, -100.0, 100.0, 0),
    [ROSEN_B] = REAL("b", 100.0, 0.0, 1e6, 0),
};

static const ParamDef rastrigin_params[RASTRIGIN_N] = {
    [RASTRIGIN_A] = REAL("A", 10.0, 0.0, 1e3, 0),
};

static const FuncDef func_rows[] = {
    {
        .kind = SPEC_KIND("quadratic", "0.5(a u^2 + b v^2), (u,v) = (x,y) turned by angle degrees", quadratic_params),
        .formula = "0.5*(a*(x*cos(angle*pi/180) + y*sin(angle*pi/180))^2 + b*(y*cos(angle*pi/180) - x*sin(angle*pi/180))^2)",
        .value = quadratic_value,
        .grad = quadratic_grad,
        .hessian = quadratic_hessian,
        .view = {-5.0, 5.0, -3.0, 3.0},
        .start = {-4.0, 1.5},
        .minima = origin_minimum,
    },
    {
        .kind = SPEC_KIND("rosenbrock", "(a-x)^2 + b(y-x^2)^2", rosenbrock_params),
        .formula = "(a-x)^2 + b*(y-x^2)^2",
        .value = rosenbrock_value,
        .grad = rosenbrock_grad,
        .hessian = rosenbrock_hessian,
        .view = {-2.0, 2.0, -1.0, 3.0},
        .start = {-1.5, 2.0},
        .minima = rosenbrock_minima,
    },
    {
        .kind = SPEC_KIND0("beale", "(1.5-x+xy)^2 + (2.25-x+xy^2)^2 + (2.625-x+xy^3)^2"),
        .formula = "(1.5-x+x*y)^2 + (2.25-x+x*y^2)^2 + (2.625-x+x*y^3)^2",
        .value = beale_value,
        .grad = beale_grad,
        .hessian = beale_hessian,
        .view = {-4.5, 4.5, -4.5, 4.5},
        .start = {1.0, 1.5},
        .minima = beale_minima,
    },
    {
        .kind = SPEC_KIND0("himmelblau", "(x^2+y-11)^2 + (x+y^2-7)^2, four minima"),
        .formula = "(x^2+y-11)^2 + (x+y^2-7)^2",
        .value = himmelblau_value,
        .grad = himmelblau_grad,
        .hessian = himmelblau_hessian,
        .view = {-5.0, 5.0, -5.0, 5.0},
        .start = {0.5, -4.0},
        .minima = himmelblau_minima,
    },
    {
        .kind = SPEC_KIND0("booth", "(x+2y-7)^2 + (2x+y-5)^2"),
        .formula = "(x+2*y-7)^2 + (2*x+y-5)^2",
        .value = booth_value,
        .grad = booth_grad,
        .hessian = booth_hessian,
        .view = {-10.0, 10.0, -10.0, 10.0},
        .start = {-6.0, -6.0},
        .minima = booth_minima,
    },
    {
        .kind = SPEC_KIND("rastrigin", "2A + x^2 - A cos(2 pi x) + y^2 - A cos(2 pi y)", rastrigin_params),
        .formula = "2*A + x^2 - A*cos(2*pi*x) + y^2 - A*cos(2*pi*y)",
        .value = rastrigin_value,
        .grad = rastrigin_grad,
        .hessian = rastrigin_hessian,
        .view = {-5.12, 5.12, -5.12, 5.12},
        .start = {-4.5, 3.8},
        .minima = origin_minimum,
    },
    {
        .kind = SPEC_KIND0("ackley", "-20 exp(-0.2 sqrt((x^2+y^2)/2)) - exp((cos 2pi x + cos 2pi y)/2)"
                            " + e + 20"),
        .formula = "-20*exp(-0.2*sqrt(0.5*(x^2+y^2))) - exp(0.5*(cos(2*pi*x)+cos(2*pi*y))) + e + 20",
        .value = ackley_value,
        .grad = ackley_grad,
        .hessian = ackley_hessian,
        .view = {-5.0, 5.0, -5.0, 5.0},
        .start = {-4.0, 3.5},
        .minima = origin_minimum,
    },
    {
        .kind = SPEC_KIND0("goldstein_price", "[1+(x+y+1)^2 P(x,y)] [30+(2x-3y)^2 Q(x,y)], quartic P and Q"),
        .formula = "(1+(x+y+1)^2*(19-14*x+3*x^2-14*y+6*x*y+3*y^2)) * (30+(2*x-3*y)^2*(18-32*x+12*x^2+48*y-36*x*y+27*y^2))",
        .value = goldstein_price_value,
        .grad = goldstein_price_grad,
        .hessian = goldstein_price_hessian,
        .view = {-2.0, 2.0, -3.0, 1.0},
        .start = {-1.5, 0.5},
        .minima = goldstein_price_minima,
    },
    {
        .kind = SPEC_KIND0("six_hump_camel", "(4 - 2.1x^2 + x^4/3)x^2 + xy + (4y^2 - 4)y^2"),
        .formula = "(4-2.1*x^2+x^4/3)*x^2 + x*y + (-4+4*y^2)*y^2",
        .value = six_hump_camel_value,
        .grad = six_hump_camel_grad,
        .hessian = six_hump_camel_hessian,
        .view = {-2.2, 2.2, -1.2, 1.2},
        .start = {-1.5, 1.0},
        .minima = six_hump_camel_minima,
    },
    {
        .kind = SPEC_KIND0("matyas", "0.26(x^2+y^2) - 0.48xy"),
        .formula = "0.26*(x^2+y^2) - 0.48*x*y",
        .value = matyas_value,
        .grad = matyas_grad,
        .hessian = matyas_hessian,
        .view = {-10.0, 10.0, -10.0, 10.0},
        .start = {8.0, -6.0},
        .minima = origin_minimum,
    },
    {
        /* Started just off the ridge y = 0 so the escape along y is visible. */
        .kind = SPEC_KIND0("saddle", "x^2 - y^2, unbounded below"),
        .formula = "x^2 - y^2",
        .value = saddle_value,
        .grad = saddle_grad,
        .hessian = saddle_hessian,
        .view = {-2.0, 2.0, -2.0, 2.0},
        .start = {-1.8, 0.05},
        .minima = no_minima,
    },
    {
        .kind = SPEC_KIND0("styblinski_tang", "(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y)/2"),
        .formula = "0.5*(x^4-16*x^2+5*x+y^4-16*y^2+5*y)",
        .value = styblinski_tang_value,
        .grad = styblinski_tang_grad,
        .hessian = styblinski_tang_hessian,
        .view = {-5.0, 5.0, -5.0, 5.0},
        .start = {0.5, 4.5},
        .minima = styblinski_tang_minima,
    },
    {
        .kind = SPEC_KIND0("mccormick", "sin(x+y) + (x-y)^2 - 1.5x + 2.5y + 1"),
        .formula = "sin(x+y) + (x-y)^2 - 1.5*x + 2.5*y + 1",
        .value = mccormick_value,
        .grad = mccormick_grad,
        .hessian = mccormick_hessian,
        .view = {-1.5, 4.0, -3.0, 4.0},
        .start = {3.0, 3.5},
        .minima = mccormick_minima,
    },
    {
        .kind = { .name = "linreg", .summary = "mean((w*x+b-y)^2) over a data file (torch's F.mse_loss): linreg:data=line", .parse_text = linreg_parse, .format_text = data_format },
        .view = {-5.0, 5.0, -5.0, 5.0},
        .minima = data_unused_minima,
        .data = DATA_MSE,
    },
    {
        .kind = { .name = "logreg", .summary = "mean cross-entropy of logits w*x+b on 0/1 labels (torch's "
                  "binary_cross_entropy_with_logits): logreg:data=classes",
                  .parse_text = logreg_parse, .format_text = data_format },
        .view = {-5.0, 5.0, -5.0, 5.0},
        .minima = data_unused_minima,
        .data = DATA_BCE,
    },
    {
        /* Value, derivatives and view come from the formula in the spec (func_value...). */
        .kind = { .name = "expr", .summary = "a formula in x and y: expr:(1-x)^2 + 100*(y-x^2)^2, or with "
                  "parameters expr:a*x^2 + b*y^2, a=1, b=10 (README: Typed functions)",
                  .parse_text = func_expr_parse, .format_text = func_expr_format },
        .view = {-5.0, 5.0, -5.0, 5.0},
        .minima = no_minima,
    },
};

const SpecTable func_table = {
    .first = &func_rows[0].kind,
    .stride = sizeof func_rows[0],
    .count = (int)(sizeof func_rows / sizeof func_rows[0]),
    .what = "function",
    .allow_label = 0,
};

const FuncDef *func_def(int kind)
{
    if (kind < 0 || kind >= func_table.count)
        return NULL;
    return &func_rows[kind];
}

int func_is_expr(const Spec *f)
{
    return func_rows[f->kind].kind.parse_text == func_expr_parse;
}

DataLoss func_data_loss(const Spec *f)
{
    return func_rows[f->kind].data;
}

int func_bind_data(Spec *f, DataStore *store, char *err, size_t errlen)
{
    const DataLoss loss = func_data_loss(f);
    if (loss == DATA_NONE)
        return 0;
    const Data *d = data_store_get(store, f->text.file, err, errlen);
    if (!d || data_check(d, loss, err, errlen) < 0)
        return -1;
    f->data = d;
    return 0;
}

const char *func_no_minimum(const Spec *f)
{
    double m[2];
    const DataLoss loss = func_data_loss(f);
    if (loss == DATA_NONE || !f->data || data_minimum(f->data, loss, m))
        return NULL;
    return loss == DATA_MSE ? "no minimum: every x is the same, so no one line fits best"
                            : "no minimum: the classes are separable";
}

const char *func_axis_name(const Spec *f, int axis)
{
    if (func_data_loss(f) != DATA_NONE)
        return axis ? "b" : "w";
    return axis ? "y" : "x";
}

/* A formula's program is compiled once, by its parse (expr_shared); a spec whose formula was
 * written in another way is compiled here, at each evaluation, as slow as that is. */
static void expr_derivs_of(const Spec *f, double x, double y, double d[6])
{
    if (f->text.prog) {
        expr_derivs(f->text.prog, f->v, x, y, d);
        return;
    }
    Expr scratch;
    const Expr *e = func_program(f, &scratch);
    if (!e) {
        for (int k = 0; k < 6; k++)
            d[k] = NAN;
        return;
    }
    expr_derivs(e, f->v, x, y, d);
}

static double expr_value_of(const Spec *f, double x, double y)
{
    if (f->text.prog)
        return expr_value(f->text.prog, f->v, x, y);
    Expr scratch;
    const Expr *e = func_program(f, &scratch);
    return e ? expr_value(e, f->v, x, y) : NAN;
}

double func_value(const Spec *f, double x, double y)
{
    if (func_data_loss(f) != DATA_NONE)
        return f->data ? data_value(f->data, func_data_loss(f), x, y, NULL, 0) : NAN;
    if (func_is_expr(f))
        return expr_value_of(f, x, y);
    return func_rows[f->kind].value(f->v, x, y);
}

void func_grad(const Spec *f, double x, double y, double g[2])
{
    if (func_data_loss(f) != DATA_NONE) {
        if (f->data)
            data_grad(f->data, func_data_loss(f), x, y, NULL, 0, g);
        else
            g[0] = g[1] = NAN;
        return;
    }
    if (func_is_expr(f)) {
        double d[6];
        if (f->text.prog)
            expr_grad(f->text.prog, f->v, x, y, d);
        else
            expr_derivs_of(f, x, y, d);
        g[0] = d[1], g[1] = d[2];
        return;
    }
    func_rows[f->kind].grad(f->v, x, y, g);
}

double func_value_grad(const Spec *f, double x, double y, double g[2])
{
    if (!func_is_expr(f) && func_data_loss(f) == DATA_NONE) { /* a row's own functions, asked once each */
        func_rows[f->kind].grad(f->v, x, y, g);
        return func_rows[f->kind].value(f->v, x, y);
    }
    /* A program with a varying power gives its value by pow where the derivatives take
     * u*u for u^2 (see expr_grad): there the value is asked for on its own. */
    if (func_is_expr(f) && f->text.prog && !f->text.prog->var_pow && func_data_loss(f) == DATA_NONE) {
        double d[3];
        expr_grad(f->text.prog, f->v, x, y, d);
        g[0] = d[1], g[1] = d[2];
        return d[0];
    }
    func_grad(f, x, y, g);
    return func_value(f, x, y);
}

void func_hessian(const Spec *f, double x, double y, double h[3])
{
    if (func_data_loss(f) != DATA_NONE) {
        if (f->data)
            data_hessian(f->data, func_data_loss(f), x, y, NULL, 0, h);
        else
            h[0] = h[1] = h[2] = NAN;
        return;
    }
    if (func_is_expr(f)) {
        double d[6];
        expr_derivs_of(f, x, y, d);
        h[0] = d[3], h[1] = d[4], h[2] = d[5];
        return;
    }
    func_rows[f->kind].hessian(f->v, x, y, h);
}

void func_row(const Spec *f, const double *xs, int n, double y, double *out)
{
    if (func_data_loss(f) != DATA_NONE) {
        if (f->data)
            data_row(f->data, func_data_loss(f), xs, n, y, out);
        for (int i = 0; i < n && !f->data; i++)
            out[i] = NAN;
        return;
    }
    if (!func_is_expr(f)) {
        const FuncDef *d = &func_rows[f->kind];
        for (int i = 0; i < n; i++)
            out[i] = d->value(f->v, xs[i], y);
        return;
    }
    Expr scratch;
    const Expr *e = func_program(f, &scratch);
    if (!e) {
        for (int i = 0; i < n; i++)
            out[i] = NAN;
        return;
    }
    expr_row(e, f->v, xs, n, y, out);
}

int func_minima(const Spec *f, double out[FUNC_MAX_MINIMA][2])
{
    if (func_data_loss(f) != DATA_NONE)
        return f->data ? data_minimum(f->data, func_data_loss(f), out[0]) : 0;
    return func_rows[f->kind].minima(f->v, out);
}
