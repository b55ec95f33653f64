/* Curvature from the exact Hessian, the stability of a run's step on the local quadratic,
 * and the optimal settings of gradient descent and heavy ball on a quadratic (see
 * curvature.h). The formulas are the classical ones: Polyak (1964), and Goh, "Why Momentum
 * Really Works", Distill 2017. */
#include "curvature.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "func.h"
#include "label.h"
#include "optim.h"

/* Relative tolerance within which two Hessians count as the same (a quadratic's Hessian
 * is computed from cos and sin of its angle at every point, exact to rounding). */
#define CURV_CONSTANT_TOL 1e-9

void curv_eigen(const double h[3], CurvEigen *out)
{
    const double a = h[0], b = h[1], c = h[2];
    const double m = 0.5 * (a + c), d = hypot(0.5 * (a - c), b), det = a * c - b * b;
    /* The eigenvalue nearer zero from det / the other one: m - d would cancel (Rosenbrock's
     * 0.3994 beside 1001.6). */
    if (m >= 0) {
        out->lmax = m + d;
        out->lmin = out->lmax != 0 ? det / out->lmax : m - d;
    } else {
        out->lmin = m - d;
        out->lmax = det / out->lmin;
    }
    double v[2];
    if (b == 0) {
        v[0] = a >= c ? 1 : 0;
        v[1] = a >= c ? 0 : 1;
    } else {
        /* Two forms of the same eigenvector; the longer is the better conditioned. */
        const double p[2] = { out->lmax - c, b }, q[2] = { b, out->lmax - a };
        const int use_p = hypot(p[0], p[1]) >= hypot(q[0], q[1]);
        v[0] = use_p ? p[0] : q[0];
        v[1] = use_p ? p[1] : q[1];
        const double n = hypot(v[0], v[1]);
        v[0] /= n;
        v[1] /= n;
    }
    out->vmax[0] = v[0];
    out->vmax[1] = v[1];
    out->vmin[0] = -v[1];
    out->vmin[1] = v[0];
}

void curv_eigen_at(const Spec *func, double x, double y, CurvEigen *out)
{
    double h[3];
    func_hessian(func, x, y, h);
    curv_eigen(h, out);
}

double curv_condition(const CurvEigen *e)
{
    const double hi = fmax(fabs(e->lmax), fabs(e->lmin)), lo = fmin(fabs(e->lmax), fabs(e->lmin));
    return lo > 0 ? hi / lo : INFINITY;
}

double curv_grad_norm(const Spec *func, double x, double y)
{
    double g[2];
    func_grad(func, x, y, g);
    return hypot(g[0], g[1]);
}

/* How an adaptive rule divides its lr, per coordinate. */
typedef enum { DENOM_ADAM, DENOM_RMSPROP, DENOM_ADAGRAD } Denominator;

#define ROOT "\xe2\x88\x9a"
static const struct {
    const char *optimizer;
    Denominator denom;
    const char *written; /* the denominator as the readout writes it */
} adaptive_rows[] = {
    { "adam", DENOM_ADAM, ROOT "v\xcc\x82 + eps" },  { "adamw", DENOM_ADAM, ROOT "v\xcc\x82 + eps" },
    { "nadam", DENOM_ADAM, ROOT "v\xcc\x82 + eps" }, { "radam", DENOM_ADAM, ROOT "v\xcc\x82 + eps" },
    { "rmsprop", DENOM_RMSPROP, ROOT "v + eps" },   { "adagrad", DENOM_ADAGRAD, ROOT "\xce\xa3g\xc2\xb2 + eps" },
};

static double param(const Run *r, const char *name, double otherwise)
{
    const int i = spec_param_index(spec_kind(&optim_table, r->opt.kind), name);
    return i >= 0 ? r->opt.v[i] : otherwise;
}

/* lr / (√v̂ + eps) for the Adam family (v̂ bias-corrected, or its running max with
 * amsgrad), lr / (√v + eps) for RMSprop (centred: √(v − m²)), and AdaGrad's decayed lr
 * over √(Σg²) + eps. NaN before the first step, when no denominator exists yet. */
static void adaptive_steps(const Run *r, Denominator k, CurvStability *out)
{
    const OptimState *st = &r->ost;
    const double eps = param(r, "eps", 0);
    for (int i = 0; i < 2; i++) {
        double denom = NAN, lr = r->lr;
        if (k == DENOM_ADAM && st->step > 0) {
            const double second = param(r, "amsgrad", 0) != 0 ? st->w[i] : st->v[i];
            denom = sqrt(second / (1 - pow(param(r, "beta2", 0.999), (double)st->step))) + eps;
        } else if (k == DENOM_RMSPROP && r->step > 0) {
            denom = sqrt(param(r, "centered", 0) != 0 ? st->v[i] - st->w[i] * st->w[i] : st->v[i]) + eps;
        } else if (k == DENOM_ADAGRAD && st->step > 0) {
            lr /= 1 + (double)(st->step - 1) * param(r, "lr_decay", 0);
            denom = sqrt(st->v[i]) + eps;
        }
        out->eff[i] = lr / denom;
    }
}

void curv_stability(const Run *r, const CurvEigen *e, CurvStability *out)
{
    memset(out, 0, sizeof *out);
    const char *name = spec_kind(&optim_table, r->opt.kind)->name;
    out->lr = r->lr;
    out->product = r->lr * e->lmax;
    out->eff[0] = out->eff[1] = NAN;
    for (size_t i = 0; i < sizeof adaptive_rows / sizeof adaptive_rows[0]; i++)
        if (strcmp(name, adaptive_rows[i].optimizer) == 0) {
            out->rule = CURV_RULE_ADAPTIVE;
            out->denominator = adaptive_rows[i].written;
            adaptive_steps(r, adaptive_rows[i].denom, out);
            return;
        }
    /* Only SGD's step is lr times a gradient (or a heavy-ball sum of them); Newton, L-BFGS,
     * sign methods and the rest follow no single lr. */
    if (strcmp(name, "sgd") != 0) {
        out->rule = CURV_RULE_OTHER;
        return;
    }
    /* Heavy ball when momentum is on; a cycling schedule's momentum wins. Weight decay adds
     * wd to every curvature torch's step sees; dampening d scales the step by 1 − d. */
    const double beta = isnan(r->momentum) ? param(r, "momentum", 0) : r->momentum;
    const double wd = param(r, "weight_decay", 0), damp = param(r, "dampening", 0);
    out->rule = beta > 0 ? CURV_RULE_MOMENTUM : CURV_RULE_PLAIN;
    out->beta = beta;
    out->product = r->lr * (e->lmax + wd);
    out->limit = 2;
    out->limit_text = "2";
    if (beta > 0 && param(r, "nesterov", 0) != 0) {
        out->limit = 2 * (1 + beta) / (1 + 2 * beta);
        out->limit_text = "2(1+\xce\xb2)/(1+2\xce\xb2)";
    } else if (beta > 0 && damp > 0) {
        out->limit = 2 * (1 + beta) / (1 - damp);
        out->limit_text = "2(1+\xce\xb2)/(1\xe2\x88\x92" "d)";
    } else if (beta > 0) {
        out->limit = 2 * (1 + beta);
        out->limit_text = "2(1+\xce\xb2)";
    }
    out->stable = !(e->lmax + wd > 0) || out->product < out->limit;
}

void curv_theory_of(double mu, double L, CurvTheory *out)
{
    const double kappa = L / mu, sk = sqrt(kappa);
    out->mu = mu;
    out->L = L;
    out->kappa = kappa;
    out->lr_max_stable = 2 / L;
    out->lr_best = 2 / (L + mu);
    out->rate_best = (kappa - 1) / (kappa + 1);
    const double root = 2 / (sqrt(L) + sqrt(mu));
    out->heavy_ball_lr = root * root;
    out->heavy_ball_rate = (sk - 1) / (sk + 1);
    out->heavy_ball_momentum = out->heavy_ball_rate * out->heavy_ball_rate;
}

static int same_hessian(const double a[3], const double b[3])
{
    const double scale = fmax(fabs(a[0]), fmax(fabs(a[1]), fabs(a[2])));
    for (int i = 0; i < 3; i++)
        if (!(fabs(a[i] - b[i]) <= CURV_CONSTANT_TOL * scale))
            return 0;
    return 1;
}

int curv_theory(const Spec *func, WorldBox view, const double start[2], CurvTheory *out)
{
    const double pts[6][2] = {
        { view.x0, view.y0 }, { view.x1, view.y0 }, { view.x0, view.y1 }, { view.x1, view.y1 },
        { 0.5 * (view.x0 + view.x1), 0.5 * (view.y0 + view.y1) }, { start[0], start[1] },
    };
    double h0[3];
    func_hessian(func, pts[0][0], pts[0][1], h0);
    for (int i = 1; i < 6; i++) {
        double h[3];
        func_hessian(func, pts[i][0], pts[i][1], h);
        if (!same_hessian(h0, h))
            return 0;
    }
    CurvEigen e;
    curv_eigen(h0, &e);
    if (!(e.lmin > 0) || !isfinite(e.lmax))
        return 0;
    curv_theory_of(e.lmin, e.lmax, out);
    return 1;
}

void curv_eigen_text(const CurvEigen *e, char *buf, size_t len)
{
    char v[3][32];
    label_number(v[0], sizeof v[0], e->lmax);
    label_number(v[1], sizeof v[1], e->lmin);
    label_number(v[2], sizeof v[2], curv_condition(e));
    /* A condition number says how fast descent goes only where both curvatures are positive. */
    if (e->lmin < 0)
        snprintf(buf, len, "saddle: \xce\xbb %s and %s", v[0], v[1]);
    else
        snprintf(buf, len, "\xce\xbbmax %s \xc2\xb7 \xce\xbbmin %s \xc2\xb7 \xce\xba %s", v[0], v[1], v[2]);
}

/* The verdict line: lr·λmax against the rule's limit, or the adaptive step per coordinate. */
void curv_stability_text(const Run *r, const CurvStability *st, char *buf, size_t len)
{
    char a[32], b[32], lim[32];
    label_number(a, sizeof a, st->product);
    label_number(lim, sizeof lim, st->limit);
    if (st->rule == CURV_RULE_PLAIN)
        snprintf(buf, len, "lr\xc2\xb7\xce\xbbmax = %s (%s below 2)", a, st->stable ? "stable" : "UNSTABLE: not");
    else if (st->rule == CURV_RULE_MOMENTUM)
        snprintf(buf, len, "lr\xc2\xb7\xce\xbbmax = %s %s %s = %s: %s", a, st->stable ? "<" : "\xe2\x89\xa5",
                 st->limit_text, lim, st->stable ? "stable" : "UNSTABLE");
    else if (st->rule == CURV_RULE_ADAPTIVE && isfinite(st->eff[0])) {
        label_number(a, sizeof a, st->eff[0]);
        label_number(b, sizeof b, st->eff[1]);
        snprintf(buf, len, "lr/(%s): x %s \xc2\xb7 y %s", st->denominator, a, b);
    } else if (st->rule == CURV_RULE_ADAPTIVE)
        snprintf(buf, len, "lr/(%s): after the first step", st->denominator);
    else
        snprintf(buf, len, "%s: no single lr to hold against 2/\xce\xbbmax", spec_kind(&optim_table, r->opt.kind)->name);
}
