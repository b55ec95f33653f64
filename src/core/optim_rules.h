/* Inside the optimizers: each rule's parameter indices (named next to its parameter list in
 * optim.c), the helpers the rules share, and the rule functions optim.c's table points to. The
 * arithmetic follows the reference's operation order (addcmul_ is self + v*a*b, addcdiv_ is
 * self + v*a/b, lerp_ as below), so float64 trajectories agree to the last few bits. */
#ifndef OPTISCOPE_OPTIM_RULES_H
#define OPTISCOPE_OPTIM_RULES_H

#include <math.h>
#include <stddef.h>

#include "optim.h"

enum { SGD_MOMENTUM = OPTIM_LR + 1, SGD_DAMPENING, SGD_NESTEROV, SGD_WD, SGD_N };
enum { ADAGRAD_LR_DECAY = OPTIM_LR + 1, ADAGRAD_EPS, ADAGRAD_INIT, ADAGRAD_WD, ADAGRAD_N };
enum { RMS_ALPHA = OPTIM_LR + 1, RMS_EPS, RMS_MOMENTUM, RMS_CENTERED, RMS_WD, RMS_N };
enum { ADADELTA_RHO = OPTIM_LR + 1, ADADELTA_EPS, ADADELTA_WD, ADADELTA_N };
enum { ADAM_BETA1 = OPTIM_LR + 1, ADAM_BETA2, ADAM_EPS, ADAM_WD, ADAM_COMMON_N };
enum { ADAM_AMSGRAD = ADAM_COMMON_N, ADAM_N };
enum { NADAM_MOMENTUM_DECAY = ADAM_COMMON_N, NADAM_DECOUPLED, NADAM_N };
enum { RADAM_DECOUPLED = ADAM_COMMON_N, RADAM_N };
enum { RPROP_ETA_MINUS = OPTIM_LR + 1, RPROP_ETA_PLUS, RPROP_STEP_MIN, RPROP_STEP_MAX, RPROP_N };
enum { ASGD_LAMBD = OPTIM_LR + 1, ASGD_ALPHA, ASGD_T0, ASGD_WD, ASGD_N };
enum { AFAC_BETA2_DECAY = OPTIM_LR + 1, AFAC_EPS1, AFAC_EPS2, AFAC_D, AFAC_WD, AFAC_N };
enum { LBFGS_HISTORY = OPTIM_LR + 1, LBFGS_LINE_SEARCH, LBFGS_TOL_GRAD, LBFGS_TOL_CHANGE, LBFGS_N };
enum { LINE_SEARCH_NONE, LINE_SEARCH_STRONG_WOLFE };
enum { NEWTON_DAMPING = OPTIM_LR + 1, NEWTON_N };
enum { LION_BETA1 = OPTIM_LR + 1, LION_BETA2, LION_WD, LION_N };
enum { QHM_MOMENTUM = OPTIM_LR + 1, QHM_NU, QHM_WD, QHM_N };
enum { QHADAM_BETA1 = OPTIM_LR + 1, QHADAM_BETA2, QHADAM_NU1, QHADAM_NU2, QHADAM_WD, QHADAM_EPS, QHADAM_N };
enum { SF_MOMENTUM = OPTIM_LR + 1, SF_WD, SF_WARMUP, SF_R, SF_POWER, SF_N };
enum { ASF_BETA1 = OPTIM_LR + 1, ASF_BETA2, ASF_EPS, ASF_WD, ASF_WARMUP, ASF_R, ASF_POWER, ASF_N };
enum {
    PRODIGY_BETA1 = OPTIM_LR + 1, PRODIGY_BETA2, PRODIGY_BETA3, PRODIGY_EPS, PRODIGY_WD, PRODIGY_DECOUPLE,
    PRODIGY_BIAS_CORRECTION, PRODIGY_SAFEGUARD, PRODIGY_D0, PRODIGY_D_COEF, PRODIGY_GROWTH, PRODIGY_N
};

/* grad + weight_decay * param, as torch's `grad.add(param, alpha=weight_decay)`. */
static inline void decayed(const double g[2], const double x[2], double wd, double out[2])
{
    for (int i = 0; i < 2; i++)
        out[i] = wd != 0 ? g[i] + wd * x[i] : g[i];
}

/* torch's lerp: start + w (end - start), computed from the nearer end. */
static inline double lerp(double start, double end, double w)
{
    const double diff = end - start;
    return fabs(w) < 0.5 ? start + w * diff : end - diff * (1 - w);
}

static inline double dot(const double a[2], const double b[2])
{
    return a[0] * b[0] + a[1] * b[1];
}

/* Python's min and max, which keep their first argument unless the second compares
 * strictly past it (so a NaN travels as torch's line search lets it). */
static inline double py_min(double a, double b)
{
    return b < a ? b : a;
}

static inline double py_max(double a, double b)
{
    return b > a ? b : a;
}

/* optim_sgd.c */
int sgd_check(const double *h, char *err, size_t errlen);
void sgd_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
void adagrad_init(const double *h, OptimState *st);
void adagrad_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
void rmsprop_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
void adadelta_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
int rprop_check(const double *h, char *err, size_t errlen);
void rprop_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
void asgd_init(const double *h, OptimState *st);
void asgd_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);

/* optim_adam.c */
void adam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
void adamw_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
void adamax_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
void nadam_init(const double *h, OptimState *st);
void nadam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
void radam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
void adafactor_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);

/* optim_newton.c */
int lbfgs_step(const double *h, OptimState *st, double lr, double x[2], const OptimEval *e);
int newton_step(const double *h, OptimState *st, double lr, double x[2], const OptimEval *e);

/* optim_authors.c */
void lion_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
void qhm_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
void qhadam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
void sf_init(const double *h, OptimState *st);
void sf_probe(const OptimState *st, const double x[2], double p[2]);
void sgd_sf_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
double sgd_sf_step_lr(const double *h, const OptimState *st, double lr);
void adamw_sf_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
double adamw_sf_step_lr(const double *h, const OptimState *st, double lr);
void prodigy_init(const double *h, OptimState *st);
double prodigy_step_lr(const double *h, const OptimState *st, double lr);
void prodigy_step(const double *h, OptimState *st, double lr, double x[2], const double g[2]);

#endif
