/* Why a run moves as it does, from the exact Hessian: its eigenvalues and directions at a
 * point, whether the run's step is stable there (lr·λmax against 2, or 2(1+β) with heavy-ball
 * momentum), the per-coordinate step of adaptive rules, and for a function whose Hessian is
 * constant and positive definite (a quadratic) the textbook optimal settings. */
#ifndef OPTISCOPE_CURVATURE_H
#define OPTISCOPE_CURVATURE_H

#include "box.h"
#include "sim.h"
#include "spec.h"

/* The eigen-decomposition of a symmetric 2x2 Hessian h = { hxx, hxy, hyy }: lmin <= lmax,
 * with unit eigenvectors. */
typedef struct {
    double lmin, lmax;
    double vmin[2], vmax[2];
} CurvEigen;

void curv_eigen(const double h[3], CurvEigen *out);
/* At a point of a function. */
void curv_eigen_at(const Spec *func, double x, double y, CurvEigen *out);
/* |λ|max / |λ|min: infinite where a curvature vanishes. */
double curv_condition(const CurvEigen *e);

/* What limits a run's step on the local quadratic model. */
typedef enum {
    CURV_RULE_PLAIN,    /* gradient descent: lr·λmax < 2 */
    CURV_RULE_MOMENTUM, /* heavy ball: lr·λmax < 2(1+β); Nesterov: < 2(1+β)/(1+2β);
                           dampening d: < 2(1+β)/(1−d) */
    CURV_RULE_ADAPTIVE, /* a per-coordinate step: eff[] instead of one lr */
    CURV_RULE_OTHER,    /* a rule no single lr describes (Newton, L-BFGS, sign methods) */
} CurvRule;

typedef struct {
    CurvRule rule;
    double lr;       /* the step size the next update uses */
    double beta;     /* momentum (CURV_RULE_MOMENTUM) */
    double product;  /* lr·λmax (sgd with weight decay wd: lr·(λmax + wd)) */
    double limit;    /* what product must stay below ... */
    const char *limit_text; /* ... as a formula: "2", "2(1+β)", ... */
    int stable;      /* product < limit; also 1 where λmax <= 0 (no curvature to overshoot) */
    double eff[2];   /* CURV_RULE_ADAPTIVE: the step per unit gradient on x and on y */
    const char *denominator; /* CURV_RULE_ADAPTIVE: what eff divides lr by, for the readout */
} CurvStability;

void curv_stability(const Run *r, const CurvEigen *e, CurvStability *out);

/* The readout's words, shared by the curvature panel and the presenter's screen: the
 * eigenvalues ("λmax 2 · λmin 1 · κ 2", or a saddle's pair) and the verdict (lr·λmax
 * against the rule's limit, or the adaptive step per coordinate). */
void curv_eigen_text(const CurvEigen *e, char *buf, size_t len);
void curv_stability_text(const Run *r, const CurvStability *st, char *buf, size_t len);

/* Gradient descent and heavy ball on a quadratic with curvatures mu <= L. */
typedef struct {
    double mu, L, kappa;
    double lr_max_stable;               /* 2/L */
    double lr_best, rate_best;          /* 2/(L+mu), (kappa-1)/(kappa+1) */
    double heavy_ball_lr, heavy_ball_momentum, heavy_ball_rate; /* (2/(√L+√mu))², ((√κ-1)/(√κ+1))², (√κ-1)/(√κ+1) */
} CurvTheory;

/* Returns 1 and fills out when the function's Hessian is the same everywhere (checked at
 * the corners and centre of its view and at start) and positive definite, else 0. Any
 * function with a constant Hessian qualifies: quadratic, booth, matyas, a typed expression. */
int curv_theory(const Spec *func, WorldBox view, const double start[2], CurvTheory *out);
/* The theory for given curvatures (0 < mu <= L). */
void curv_theory_of(double mu, double L, CurvTheory *out);

/* The gradient's norm at a point, without noise. */
double curv_grad_norm(const Spec *func, double x, double y);

#endif
