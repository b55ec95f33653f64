/* torch.optim's update rules (PyTorch 2.6, single-tensor path) on a 2-vector, and Lion,
 * QHM, QHAdam, schedule-free SGD and AdamW, Prodigy as their authors' code has them.
 * The arithmetic follows the reference's operation order (addcmul_ is self + v*a*b,
 * addcdiv_ is self + v*a/b, lerp_ as below), so float64 trajectories agree to the last
 * few bits. */
#include "optim.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>


#define LR(def) REAL("lr", def, 0, 1e4, PARAM_LO_OPEN)
#define WEIGHT_DECAY(def) REAL("weight_decay", def, 0, 1e3, 0)
#define EPS_NAMED(name, def) REAL(name, def, 0, 1, 0)
#define EPS(def) EPS_NAMED("eps", def)
#define UNIT_OPEN(name, def) REAL(name, def, 0, 1, PARAM_HI_OPEN)

enum { SGD_MOMENTUM = OPTIM_LR + 1, SGD_DAMPENING, SGD_NESTEROV, SGD_WD, SGD_N };
static const ParamDef sgd_params[SGD_N] = {
    [OPTIM_LR] = LR(1e-3),
    [SGD_MOMENTUM] = UNIT_OPEN("momentum", 0),
    [SGD_DAMPENING] = REAL("dampening", 0, 0, 1, 0),
    [SGD_NESTEROV] = BOOL("nesterov", 0),
    [SGD_WD] = WEIGHT_DECAY(0),
};

enum { ADAGRAD_LR_DECAY = OPTIM_LR + 1, ADAGRAD_EPS, ADAGRAD_INIT, ADAGRAD_WD, ADAGRAD_N };
static const ParamDef adagrad_params[ADAGRAD_N] = {
    [OPTIM_LR] = LR(1e-2),
    [ADAGRAD_LR_DECAY] = REAL("lr_decay", 0, 0, 1e3, 0),
    [ADAGRAD_EPS] = EPS(1e-10),
    [ADAGRAD_INIT] = REAL("initial_accumulator_value", 0, 0, 1e6, 0),
    [ADAGRAD_WD] = WEIGHT_DECAY(0),
};

enum { RMS_ALPHA = OPTIM_LR + 1, RMS_EPS, RMS_MOMENTUM, RMS_CENTERED, RMS_WD, RMS_N };
static const ParamDef rmsprop_params[RMS_N] = {
    [OPTIM_LR] = LR(1e-2),
    [RMS_ALPHA] = UNIT_OPEN("alpha", 0.99),
    [RMS_EPS] = EPS(1e-8),
    [RMS_MOMENTUM] = UNIT_OPEN("momentum", 0),
    [RMS_CENTERED] = BOOL("centered", 0),
    [RMS_WD] = WEIGHT_DECAY(0),
};

enum { ADADELTA_RHO = OPTIM_LR + 1, ADADELTA_EPS, ADADELTA_WD, ADADELTA_N };
static const ParamDef adadelta_params[ADADELTA_N] = {
    [OPTIM_LR] = LR(1.0),
    [ADADELTA_RHO] = REAL("rho", 0.9, 0, 1, 0),
    [ADADELTA_EPS] = EPS(1e-6),
    [ADADELTA_WD] = WEIGHT_DECAY(0),
};

/* The Adam family shares its first five parameters; each member's own follow them. */
enum { ADAM_BETA1 = OPTIM_LR + 1, ADAM_BETA2, ADAM_EPS, ADAM_WD, ADAM_COMMON_N };
enum { ADAM_AMSGRAD = ADAM_COMMON_N, ADAM_N };
enum { NADAM_MOMENTUM_DECAY = ADAM_COMMON_N, NADAM_DECOUPLED, NADAM_N };
enum { RADAM_DECOUPLED = ADAM_COMMON_N, RADAM_N };
#define ADAM_COMMON(lr, wd)                                                                                 \
    [OPTIM_LR] = LR(lr), [ADAM_BETA1] = UNIT_OPEN("beta1", 0.9), [ADAM_BETA2] = UNIT_OPEN("beta2", 0.999), \
    [ADAM_EPS] = EPS(1e-8), [ADAM_WD] = WEIGHT_DECAY(wd)

static const ParamDef adam_params[ADAM_N] = { ADAM_COMMON(1e-3, 0), [ADAM_AMSGRAD] = BOOL("amsgrad", 0) };
static const ParamDef adamw_params[ADAM_N] = { ADAM_COMMON(1e-3, 1e-2), [ADAM_AMSGRAD] = BOOL("amsgrad", 0) };
static const ParamDef adamax_params[ADAM_COMMON_N] = { ADAM_COMMON(2e-3, 0) };
static const ParamDef nadam_params[NADAM_N] = {
    ADAM_COMMON(2e-3, 0),
    [NADAM_MOMENTUM_DECAY] = REAL("momentum_decay", 4e-3, 0, 1e3, 0),
    [NADAM_DECOUPLED] = BOOL("decoupled_weight_decay", 0),
};
static const ParamDef radam_params[RADAM_N] = {
    ADAM_COMMON(1e-3, 0),
    [RADAM_DECOUPLED] = BOOL("decoupled_weight_decay", 0),
};

enum { RPROP_ETA_MINUS = OPTIM_LR + 1, RPROP_ETA_PLUS, RPROP_STEP_MIN, RPROP_STEP_MAX, RPROP_N };
static const ParamDef rprop_params[RPROP_N] = {
    [OPTIM_LR] = LR(1e-2),
    [RPROP_ETA_MINUS] = REAL("eta_minus", 0.5, 0, 1, PARAM_LO_OPEN | PARAM_HI_OPEN),
    [RPROP_ETA_PLUS] = REAL("eta_plus", 1.2, 1, 1e3, PARAM_LO_OPEN),
    [RPROP_STEP_MIN] = REAL("step_min", 1e-6, 0, 1e6, 0),
    [RPROP_STEP_MAX] = REAL("step_max", 50, 0, 1e6, PARAM_LO_OPEN),
};

enum { ASGD_LAMBD = OPTIM_LR + 1, ASGD_ALPHA, ASGD_T0, ASGD_WD, ASGD_N };
static const ParamDef asgd_params[ASGD_N] = {
    [OPTIM_LR] = LR(1e-2),
    [ASGD_LAMBD] = REAL("lambd", 1e-4, 0, 1e3, 0),
    [ASGD_ALPHA] = REAL("alpha", 0.75, 0, 10, 0),
    [ASGD_T0] = REAL("t0", 1e6, 0, 1e12, 0),
    [ASGD_WD] = WEIGHT_DECAY(0),
};

enum { AFAC_BETA2_DECAY = OPTIM_LR + 1, AFAC_EPS1, AFAC_EPS2, AFAC_D, AFAC_WD, AFAC_N };
static const ParamDef adafactor_params[AFAC_N] = {
    [OPTIM_LR] = LR(1e-2),
    [AFAC_BETA2_DECAY] = REAL("beta2_decay", -0.8, -10, 0, 0),
    [AFAC_EPS1] = REAL("eps1", DBL_EPSILON, 0, 1, PARAM_LO_OPEN),
    [AFAC_EPS2] = EPS_NAMED("eps2", 1e-3),
    [AFAC_D] = REAL("d", 1, 1, 1e6, 0),
    [AFAC_WD] = WEIGHT_DECAY(0),
};

/* One optiscope step is one L-BFGS iteration: torch's LBFGS with max_iter=1. */
enum { LBFGS_HISTORY = OPTIM_LR + 1, LBFGS_LINE_SEARCH, LBFGS_TOL_GRAD, LBFGS_TOL_CHANGE, LBFGS_N };
enum { LINE_SEARCH_NONE, LINE_SEARCH_STRONG_WOLFE };
static const ParamDef lbfgs_params[LBFGS_N] = {
    [OPTIM_LR] = LR(1),
    [LBFGS_HISTORY] = INT("history_size", 100, 1, OPTIM_HISTORY_MAX),
    [LBFGS_LINE_SEARCH] = CHOICE("line_search", "none|strong_wolfe"),
    [LBFGS_TOL_GRAD] = REAL("tolerance_grad", 1e-7, 0, 1e6, 0),
    [LBFGS_TOL_CHANGE] = REAL("tolerance_change", 1e-9, 0, 1e6, 0),
};

enum { NEWTON_DAMPING = OPTIM_LR + 1, NEWTON_N };
static const ParamDef newton_params[NEWTON_N] = {
    [OPTIM_LR] = LR(1),
    [NEWTON_DAMPING] = REAL("damping", 0, 0, 1e6, 0),
};

enum { LION_BETA1 = OPTIM_LR + 1, LION_BETA2, LION_WD, LION_N };
static const ParamDef lion_params[LION_N] = {
    [OPTIM_LR] = LR(1e-4),
    [LION_BETA1] = REAL("beta1", 0.9, 0, 1, 0),
    [LION_BETA2] = REAL("beta2", 0.99, 0, 1, 0),
    [LION_WD] = WEIGHT_DECAY(0),
};

enum { QHM_MOMENTUM = OPTIM_LR + 1, QHM_NU, QHM_WD, QHM_N };
static const ParamDef qhm_params[QHM_N] = {
    [OPTIM_LR] = LR(1e-3),
    [QHM_MOMENTUM] = UNIT_OPEN("momentum", 0.999),
    [QHM_NU] = REAL("nu", 0.7, 0, 1, 0),
    [QHM_WD] = WEIGHT_DECAY(0),
};

enum { QHADAM_BETA1 = OPTIM_LR + 1, QHADAM_BETA2, QHADAM_NU1, QHADAM_NU2, QHADAM_WD, QHADAM_EPS, QHADAM_N };
static const ParamDef qhadam_params[QHADAM_N] = {
    [OPTIM_LR] = LR(1e-3),
    [QHADAM_BETA1] = UNIT_OPEN("beta1", 0.995),
    [QHADAM_BETA2] = UNIT_OPEN("beta2", 0.999),
    [QHADAM_NU1] = REAL("nu1", 0.7, 0, 1, 0),
    [QHADAM_NU2] = REAL("nu2", 1.0, 0, 1, 0),
    [QHADAM_WD] = WEIGHT_DECAY(0),
    [QHADAM_EPS] = EPS(1e-8),
};

/* Schedule-free: the interpolation weight (momentum or beta1) divides, so it stays off 0. */
#define SF_COMMON(warmup, r, power)                                                                      \
    [warmup] = INT("warmup_steps", 0, 0, 1e9), [r] = REAL("r", 0, 0, 100, 0),                                \
    [power] = REAL("weight_lr_power", 2, 0, 100, 0)
enum { SF_MOMENTUM = OPTIM_LR + 1, SF_WD, SF_WARMUP, SF_R, SF_POWER, SF_N };
static const ParamDef sgd_sf_params[SF_N] = {
    [OPTIM_LR] = LR(1),
    [SF_MOMENTUM] = REAL("momentum", 0.9, 0, 1, PARAM_LO_OPEN | PARAM_HI_OPEN),
    [SF_WD] = WEIGHT_DECAY(0),
    SF_COMMON(SF_WARMUP, SF_R, SF_POWER),
};
enum { ASF_BETA1 = OPTIM_LR + 1, ASF_BETA2, ASF_EPS, ASF_WD, ASF_WARMUP, ASF_R, ASF_POWER, ASF_N };
static const ParamDef adamw_sf_params[ASF_N] = {
    [OPTIM_LR] = LR(0.0025),
    [ASF_BETA1] = REAL("beta1", 0.9, 0, 1, PARAM_LO_OPEN | PARAM_HI_OPEN),
    [ASF_BETA2] = UNIT_OPEN("beta2", 0.999),
    [ASF_EPS] = EPS(1e-8),
    [ASF_WD] = WEIGHT_DECAY(0),
    SF_COMMON(ASF_WARMUP, ASF_R, ASF_POWER),
};

/* beta3 = 0 means sqrt(beta2), growth_rate = 0 no limit (the authors' None and inf). */
enum {
    PRODIGY_BETA1 = OPTIM_LR + 1, PRODIGY_BETA2, PRODIGY_BETA3, PRODIGY_EPS, PRODIGY_WD, PRODIGY_DECOUPLE,
    PRODIGY_BIAS_CORRECTION, PRODIGY_SAFEGUARD, PRODIGY_D0, PRODIGY_D_COEF, PRODIGY_GROWTH, PRODIGY_N
};
static const ParamDef prodigy_params[PRODIGY_N] = {
    [OPTIM_LR] = LR(1),
    [PRODIGY_BETA1] = UNIT_OPEN("beta1", 0.9),
    [PRODIGY_BETA2] = UNIT_OPEN("beta2", 0.999),
    [PRODIGY_BETA3] = UNIT_OPEN("beta3", 0),
    [PRODIGY_EPS] = REAL("eps", 1e-8, 0, 1, PARAM_LO_OPEN),
    [PRODIGY_WD] = WEIGHT_DECAY(0),
    [PRODIGY_DECOUPLE] = BOOL("decouple", 1),
    [PRODIGY_BIAS_CORRECTION] = BOOL("use_bias_correction", 0),
    [PRODIGY_SAFEGUARD] = BOOL("safeguard_warmup", 0),
    [PRODIGY_D0] = REAL("d0", 1e-6, 0, 1e6, PARAM_LO_OPEN),
    [PRODIGY_D_COEF] = REAL("d_coef", 1, 0, 1e6, PARAM_LO_OPEN),
    [PRODIGY_GROWTH] = REAL("growth_rate", 0, 0, 1e300, 0),
};

/* grad + weight_decay * param, as torch's `grad.add(param, alpha=weight_decay)`. */
static void decayed(const double g[2], const double x[2], double wd, double out[2])
{
    for (int i = 0; i < 2; i++)
        out[i] = wd != 0 ? g[i] + wd * x[i] : g[i];
}

/* torch's lerp: start + w (end - start), computed from the nearer end. */
static double lerp(double start, double end, double w)
{
    const double diff = end - start;
    return fabs(w) < 0.5 ? start + w * diff : end - diff * (1 - w);
}

static double dot(const double a[2], const double b[2])
{
    return a[0] * b[0] + a[1] * b[1];
}

static int sgd_check(const double *h, char *err, size_t errlen)
{
    if (h[SGD_NESTEROV] != 0 && (h[SGD_MOMENTUM] <= 0 || h[SGD_DAMPENING] != 0)) {
        snprintf(err, errlen, "sgd: nesterov=1 needs momentum > 0 and dampening = 0");
        return -1;
    }
    return 0;
}

static void sgd_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double momentum = h[SGD_MOMENTUM];
    double d[2];
    decayed(g, x, h[SGD_WD], d);
    if (momentum != 0) {
        for (int i = 0; i < 2; i++)
            st->m[i] = st->started ? st->m[i] * momentum + (1 - h[SGD_DAMPENING]) * d[i] : d[i];
        st->started = 1;
        for (int i = 0; i < 2; i++)
            d[i] = h[SGD_NESTEROV] != 0 ? d[i] + momentum * st->m[i] : st->m[i];
    }
    for (int i = 0; i < 2; i++)
        x[i] = x[i] + -lr * d[i];
}

static void adagrad_init(const double *h, OptimState *st)
{
    for (int i = 0; i < 2; i++)
        st->v[i] = h[ADAGRAD_INIT];
}

static void adagrad_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    double d[2];
    st->step++;
    decayed(g, x, h[ADAGRAD_WD], d);
    const double clr = lr / (1 + (double)(st->step - 1) * h[ADAGRAD_LR_DECAY]);
    for (int i = 0; i < 2; i++) {
        st->v[i] = st->v[i] + 1.0 * d[i] * d[i];
        x[i] = x[i] + -clr * d[i] / (sqrt(st->v[i]) + h[ADAGRAD_EPS]);
    }
}

static void rmsprop_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double alpha = h[RMS_ALPHA];
    double d[2];
    decayed(g, x, h[RMS_WD], d);
    for (int i = 0; i < 2; i++) {
        st->v[i] = st->v[i] * alpha + (1 - alpha) * d[i] * d[i];
        double avg;
        if (h[RMS_CENTERED] != 0) {
            st->w[i] = st->w[i] * alpha + (1 - alpha) * d[i];
            avg = sqrt(st->v[i] + -1.0 * st->w[i] * st->w[i]);
        } else {
            avg = sqrt(st->v[i]);
        }
        avg += h[RMS_EPS];
        if (h[RMS_MOMENTUM] > 0) {
            st->m[i] = st->m[i] * h[RMS_MOMENTUM] + 1.0 * d[i] / avg;
            x[i] = x[i] + -lr * st->m[i];
        } else {
            x[i] = x[i] + -lr * d[i] / avg;
        }
    }
}

static void adadelta_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double rho = h[ADADELTA_RHO], eps = h[ADADELTA_EPS];
    double d[2];
    decayed(g, x, h[ADADELTA_WD], d);
    for (int i = 0; i < 2; i++) {
        st->v[i] = st->v[i] * rho + (1 - rho) * d[i] * d[i];
        const double std = sqrt(st->v[i] + eps);
        const double delta = sqrt(st->w[i] + eps) / std * d[i];
        st->w[i] = st->w[i] * rho + (1 - rho) * delta * delta;
        x[i] = x[i] + -lr * delta;
    }
}

/* exp_avg.mul_(beta1).add_(grad, alpha=1-beta1) and exp_avg_sq.mul_(beta2).addcmul_(...) */
static void adam_moments(const double *h, OptimState *st, const double d[2])
{
    const double b1 = h[ADAM_BETA1], b2 = h[ADAM_BETA2];
    for (int i = 0; i < 2; i++) {
        st->m[i] = lerp(st->m[i], d[i], 1 - b1);
        st->v[i] = st->v[i] * b2 + (1 - b2) * d[i] * d[i];
    }
}

/* Adam after the weight-decay choice; AdamW differs only in how it decays. */
static void adam_update(const double *h, OptimState *st, double lr, double x[2], const double d[2])
{
    adam_moments(h, st, d);
    const double step = (double)st->step;
    const double bc1 = 1 - pow(h[ADAM_BETA1], step);
    const double bc2_sqrt = sqrt(1 - pow(h[ADAM_BETA2], step));
    const double step_size = lr / bc1;
    for (int i = 0; i < 2; i++) {
        double second = st->v[i];
        if (h[ADAM_AMSGRAD] != 0) {
            st->w[i] = fmax(st->w[i], st->v[i]);
            second = st->w[i];
        }
        const double denom = sqrt(second) / bc2_sqrt + h[ADAM_EPS];
        x[i] = x[i] + -step_size * st->m[i] / denom;
    }
}

static void adam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    double d[2];
    st->step++;
    decayed(g, x, h[ADAM_WD], d);
    adam_update(h, st, lr, x, d);
}

/* AdamW decays the parameter itself before the Adam step (decoupled weight decay). */
static void adamw_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    st->step++;
    for (int i = 0; i < 2; i++)
        x[i] *= 1 - lr * h[ADAM_WD];
    adam_update(h, st, lr, x, g);
}

/* Adamax keeps an infinity norm: max(beta2 * exp_inf, |grad| + eps). */
static void adamax_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b1 = h[ADAM_BETA1];
    double d[2];
    st->step++;
    decayed(g, x, h[ADAM_WD], d);
    const double clr = lr / (1 - pow(b1, (double)st->step));
    for (int i = 0; i < 2; i++) {
        st->m[i] = lerp(st->m[i], d[i], 1 - b1);
        st->v[i] = fmax(st->v[i] * h[ADAM_BETA2], fabs(d[i]) + h[ADAM_EPS]);
        x[i] = x[i] + -clr * st->m[i] / st->v[i];
    }
}

static void nadam_init(const double *h, OptimState *st)
{
    (void)h;
    st->mu_product = 1.0;
}

/* Weight decay in the gradient (L2), or on the parameter itself when decoupled (as AdamW). */
static void decay_choice(double wd, int decoupled, double lr, double x[2], const double g[2], double d[2])
{
    if (wd != 0 && decoupled) {
        for (int i = 0; i < 2; i++)
            x[i] *= 1 - lr * wd;
        d[0] = g[0], d[1] = g[1];
        return;
    }
    decayed(g, x, wd, d);
}

/* NAdam with torch's momentum schedule mu_t = beta1 (1 - 0.5 * 0.96^(t * momentum_decay));
 * since torch 2.0 mu_product_next is mu_product * mu_next (1.13 multiplied mu in twice). */
static void nadam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b1 = h[ADAM_BETA1], decay = h[NADAM_MOMENTUM_DECAY];
    double d[2];
    st->step++;
    const double step = (double)st->step;
    const double bc2 = 1 - pow(h[ADAM_BETA2], step);
    decay_choice(h[ADAM_WD], h[NADAM_DECOUPLED] != 0, lr, x, g, d);
    const double mu = b1 * (1. - 0.5 * pow(0.96, step * decay));
    const double mu_next = b1 * (1. - 0.5 * pow(0.96, (step + 1) * decay));
    st->mu_product *= mu;
    adam_moments(h, st, d);
    const double mu_product_next = st->mu_product * mu_next;
    const double grad_w = -lr * (1. - mu) / (1. - st->mu_product);
    const double avg_w = (-lr * mu_next) / (1. - mu_product_next);
    for (int i = 0; i < 2; i++) {
        const double denom = sqrt(st->v[i] / bc2) + h[ADAM_EPS];
        x[i] = x[i] + grad_w * d[i] / denom;
        x[i] = x[i] + avg_w * st->m[i] / denom;
    }
}

/* RAdam: plain momentum SGD until the variance estimate is tractable (rho_t > 5). */
static void radam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b2 = h[ADAM_BETA2];
    double d[2];
    st->step++;
    const double step = (double)st->step;
    decay_choice(h[ADAM_WD], h[RADAM_DECOUPLED] != 0, lr, x, g, d);
    adam_moments(h, st, d);
    const double bc1 = 1 - pow(h[ADAM_BETA1], step);
    const double bc2 = 1 - pow(b2, step);
    const double rho_inf = 2 / (1 - b2) - 1;
    const double rho_t = rho_inf - 2 * step * pow(b2, step) / bc2;
    for (int i = 0; i < 2; i++) {
        const double corrected = st->m[i] / bc1;
        if (rho_t > 5.) {
            const double rect =
                sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t));
            const double adaptive_lr = sqrt(bc2) / (sqrt(st->v[i]) + h[ADAM_EPS]);
            x[i] = x[i] + -1.0 * (corrected * lr * adaptive_lr * rect);
        } else {
            x[i] = x[i] + -1.0 * (corrected * lr);
        }
    }
}

static int rprop_check(const double *h, char *err, size_t errlen)
{
    if (h[RPROP_STEP_MIN] > h[RPROP_STEP_MAX]) {
        snprintf(err, errlen, "rprop: step_min must not exceed step_max");
        return -1;
    }
    return 0;
}

/* Rprop: each coordinate's step grows by eta_plus while its gradient keeps its sign and
 * shrinks by eta_minus when it flips (skipping that update). m: prev, v: step sizes,
 * which start at the lr of the first update. */
static void rprop_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double eta_minus = h[RPROP_ETA_MINUS];
    const int first = st->step++ == 0;
    for (int i = 0; i < 2; i++) {
        if (first)
            st->v[i] = lr;
        const double sign = g[i] * st->m[i];
        const double factor = sign > 0 ? h[RPROP_ETA_PLUS] : sign < 0 ? eta_minus : 1;
        st->v[i] = fmin(fmax(st->v[i] * factor, h[RPROP_STEP_MIN]), h[RPROP_STEP_MAX]);
        const double grad = factor == eta_minus ? 0 : g[i];
        const double dir = grad > 0 ? 1 : grad < 0 ? -1 : 0;
        x[i] = x[i] + -1.0 * dir * st->v[i];
        st->m[i] = grad;
    }
}

static void asgd_init(const double *h, OptimState *st)
{
    st->eta = h[OPTIM_LR];
    st->mu = 1;
}

/* ASGD: SGD with a decaying step eta and an average ax (kept in w) from step t0 on; the
 * run shows the iterate itself, as torch's parameter is. */
static void asgd_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    double d[2];
    if (st->step == 0)
        st->eta = lr;
    st->step++;
    decayed(g, x, h[ASGD_WD], d);
    for (int i = 0; i < 2; i++) {
        x[i] *= 1 - h[ASGD_LAMBD] * st->eta;
        x[i] = x[i] + -st->eta * d[i];
        st->w[i] = st->mu != 1 ? st->w[i] + (x[i] - st->w[i]) * st->mu : x[i];
    }
    const double step = (double)st->step;
    st->eta = lr / pow(1 + h[ASGD_LAMBD] * lr * step, h[ASGD_ALPHA]);
    st->mu = 1 / fmax(1, step - h[ASGD_T0]);
}

/* Adafactor on a vector: no factoring, a second moment with a decaying beta2 and a step
 * relative to the parameter's RMS (v: variance). */
static void adafactor_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double eps1 = h[AFAC_EPS1];
    st->step++;
    const double step = (double)st->step;
    const double one_minus_beta2 = pow(step, h[AFAC_BETA2_DECAY]);
    const double rho = fmin(lr, 1 / pow(step, 0.5));
    const double alpha = fmax(h[AFAC_EPS2], sqrt(dot(x, x)) / sqrt(2.0)) * rho;
    if (h[AFAC_WD] != 0)
        for (int i = 0; i < 2; i++)
            x[i] *= 1 - lr * h[AFAC_WD];
    double update[2];
    for (int i = 0; i < 2; i++) {
        st->v[i] = lerp(st->v[i], g[i] * g[i], one_minus_beta2);
        update[i] = 1 / sqrt(fmax(st->v[i], eps1 * eps1)) * g[i];
    }
    const double denom = fmax(1.0, sqrt(dot(update, update)) / (sqrt(2.0) * h[AFAC_D]));
    for (int i = 0; i < 2; i++)
        x[i] = x[i] + (-alpha / denom) * update[i];
}

/* Python's min and max, which keep their first argument unless the second compares
 * strictly past it (so a NaN travels as torch's line search lets it). */
static double py_min(double a, double b)
{
    return b < a ? b : a;
}

static double py_max(double a, double b)
{
    return b > a ? b : a;
}

/* torch.optim.lbfgs._cubic_interpolate: the minimum of the cubic through two points
 * with their slopes, within bounds. */
static double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo,
                                double hi)
{
    const double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
    const double d2_square = d1 * d1 - g1 * g2;
    if (!(d2_square >= 0))
        return (lo + hi) / 2.0;
    const double d2 = sqrt(d2_square);
    const double min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return py_min(py_max(min_pos, lo), hi);
}

/* Loss and directional derivative at x + t d, remembered as a trial point. */
static double line_probe(const OptimEval *e, OptimState *st, const double x[2], double t, const double d[2],
                         double *gtd)
{
    const double p[2] = { x[0] + t * d[0], x[1] + t * d[1] };
    double g[2];
    const double f = e->eval(e, p, g);
    if (st->ntrials < OPTIM_TRIALS_MAX) {
        st->trials[st->ntrials][0] = p[0];
        st->trials[st->ntrials][1] = p[1];
        st->ntrials++;
    }
    *gtd = dot(g, d);
    return f;
}

/* torch.optim.lbfgs._strong_wolfe with its defaults (c1 1e-4, c2 0.9, tolerance_change
 * 1e-9, 25 evaluations): bracket a step meeting the strong Wolfe conditions, then zoom
 * by cubic interpolation. Returns the step length. */
static double strong_wolfe(const OptimEval *e, OptimState *st, const double x[2], double t, const double d[2],
                           double f, double gtd)
{
    const double c1 = 1e-4, c2 = 0.9, tolerance_change = 1e-9;
    const int max_ls = 25;
    const double d_norm = fmax(fabs(d[0]), fabs(d[1]));
    double gtd_new, f_new = line_probe(e, st, x, t, d, &gtd_new);
    double t_prev = 0, f_prev = f, gtd_prev = gtd;
    double br[2] = { t, t }, br_f[2] = { f_new, f_new }, br_gtd[2] = { gtd_new, gtd_new };
    int done = 0, ls_iter = 0;
    while (ls_iter < max_ls) {
        if (f_new > (f + c1 * t * gtd) || (ls_iter > 1 && f_new >= f_prev) || (!(fabs(gtd_new) <= -c2 * gtd) && gtd_new >= 0)) {
            br[0] = t_prev, br[1] = t;
            br_f[0] = f_prev, br_f[1] = f_new;
            br_gtd[0] = gtd_prev, br_gtd[1] = gtd_new;
            break;
        }
        if (fabs(gtd_new) <= -c2 * gtd) {
            br[0] = br[1] = t;
            br_f[0] = br_f[1] = f_new;
            done = 1;
            break;
        }
        const double min_step = t + 0.01 * (t - t_prev), max_step = t * 10, tmp = t;
        t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, min_step, max_step);
        t_prev = tmp;
        f_prev = f_new;
        gtd_prev = gtd_new;
        f_new = line_probe(e, st, x, t, d, &gtd_new);
        ls_iter++;
    }
    if (ls_iter == max_ls) {
        br[0] = 0, br[1] = t;
        br_f[0] = f, br_f[1] = f_new;
    }
    int insuf_progress = 0, low = br_f[0] <= br_f[1] ? 0 : 1;
    while (!done && ls_iter < max_ls) {
        if (fabs(br[1] - br[0]) * d_norm < tolerance_change)
            break;
        const double hi = py_max(br[0], br[1]), lo = py_min(br[0], br[1]);
        t = cubic_interpolate(br[0], br_f[0], br_gtd[0], br[1], br_f[1], br_gtd[1], lo, hi);
        const double eps = 0.1 * (hi - lo);
        if (py_min(hi - t, t - lo) < eps) {
            if (insuf_progress || t >= hi || t <= lo) {
                t = fabs(t - hi) < fabs(t - lo) ? hi - eps : lo + eps;
                insuf_progress = 0;
            } else {
                insuf_progress = 1;
            }
        } else {
            insuf_progress = 0;
        }
        f_new = line_probe(e, st, x, t, d, &gtd_new);
        ls_iter++;
        const int high = 1 - low;
        if (f_new > (f + c1 * t * gtd) || f_new >= br_f[low]) {
            br[high] = t, br_f[high] = f_new, br_gtd[high] = gtd_new;
            low = br_f[0] <= br_f[1] ? 0 : 1;
        } else {
            if (fabs(gtd_new) <= -c2 * gtd) {
                done = 1;
            } else if (gtd_new * (br[high] - br[low]) >= 0) {
                br[high] = br[low], br_f[high] = br_f[low], br_gtd[high] = br_gtd[low];
            }
            br[low] = t, br_f[low] = f_new, br_gtd[low] = gtd_new;
        }
    }
    return br[low];
}

/* The two-loop recursion: the direction -H g from the stored curvature pairs, after
 * taking in the newest pair (y = g - prev_g, s = d t) when it has positive curvature. */
static void lbfgs_direction(LbfgsState *L, int history, const double g[2])
{
    const double y[2] = { g[0] - L->prev_g[0], g[1] - L->prev_g[1] };
    const double s[2] = { L->d[0] * L->t, L->d[1] * L->t };
    const double ys = dot(y, s);
    if (ys > 1e-10) {
        /* torch drops the oldest pair when full; "while" keeps a history_size lowered
         * mid-run (sim_set_hyper) within the arrays. */
        while (L->nold >= history) {
            L->nold--;
            memmove(L->dirs, L->dirs + 1, (size_t)L->nold * sizeof L->dirs[0]);
            memmove(L->stps, L->stps + 1, (size_t)L->nold * sizeof L->stps[0]);
            memmove(L->ro, L->ro + 1, (size_t)L->nold * sizeof L->ro[0]);
        }
        memcpy(L->dirs[L->nold], y, sizeof y);
        memcpy(L->stps[L->nold], s, sizeof s);
        L->ro[L->nold] = 1.0 / ys;
        L->nold++;
        L->h_diag = ys / dot(y, y);
    }
    double al[OPTIM_HISTORY_MAX], q[2] = { -g[0], -g[1] };
    for (int i = L->nold - 1; i >= 0; i--) {
        al[i] = dot(L->stps[i], q) * L->ro[i];
        for (int k = 0; k < 2; k++)
            q[k] = q[k] + -al[i] * L->dirs[i][k];
    }
    for (int k = 0; k < 2; k++)
        L->d[k] = q[k] * L->h_diag;
    for (int i = 0; i < L->nold; i++) {
        const double be_i = dot(L->dirs[i], L->d) * L->ro[i];
        for (int k = 0; k < 2; k++)
            L->d[k] = L->d[k] + (al[i] - be_i) * L->stps[i][k];
    }
}

/* L-BFGS as torch's LBFGS(max_iter=1) runs one step(closure): nothing when the gradient
 * is already below tolerance_grad or the direction does not descend. */
static int lbfgs_step(const double *h, OptimState *st, double lr, double x[2], const OptimEval *e)
{
    LbfgsState *L = &st->lbfgs;
    const double *g = e->g;
    st->ntrials = 0;
    if (fmax(fabs(g[0]), fabs(g[1])) <= h[LBFGS_TOL_GRAD])
        return 0;
    if (++L->n_iter == 1) {
        L->d[0] = -g[0], L->d[1] = -g[1];
        L->nold = 0;
        L->h_diag = 1;
    } else {
        lbfgs_direction(L, (int)h[LBFGS_HISTORY], g);
    }
    memcpy(L->prev_g, g, sizeof L->prev_g);
    L->prev_loss = e->loss;
    L->t = L->n_iter == 1 ? py_min(1.0, 1.0 / (fabs(g[0]) + fabs(g[1]))) * lr : lr;
    const double gtd = dot(g, L->d);
    if (gtd > -h[LBFGS_TOL_CHANGE])
        return 0;
    if (h[LBFGS_LINE_SEARCH] == LINE_SEARCH_STRONG_WOLFE)
        L->t = strong_wolfe(e, st, x, L->t, L->d, e->loss, gtd);
    for (int i = 0; i < 2; i++)
        x[i] = x[i] + L->t * L->d[i];
    return 0;
}

/* Newton: x - lr (H + damping I)^-1 g with the exact Hessian. An indefinite H still gives
 * the step (towards a saddle or a maximum, which is what the method does); a singular one
 * gives none and stops the run. */
static int newton_step(const double *h, OptimState *st, double lr, double x[2], const OptimEval *e)
{
    double H[3];
    e->hessian(e, x, H);
    const double a = H[0] + h[NEWTON_DAMPING], b = H[1], c = H[2] + h[NEWTON_DAMPING];
    const double det = a * c - b * b;
    if (det == 0 || !isfinite(det)) {
        st->halt = "singular Hessian";
        return -1;
    }
    st->indefinite = det < 0 || a < 0;
    const double dx = (c * e->g[0] - b * e->g[1]) / det, dy = (a * e->g[1] - b * e->g[0]) / det;
    x[0] = x[0] - lr * dx;
    x[1] = x[1] - lr * dy;
    st->step++;
    return 0;
}

/* Lion (lucidrains/lion-pytorch): the sign of a beta1 blend of momentum and gradient,
 * the momentum then kept with beta2; weight decay on the parameter. */
static void lion_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b1 = h[LION_BETA1], b2 = h[LION_BETA2];
    for (int i = 0; i < 2; i++) {
        x[i] *= 1. - lr * h[LION_WD];
        const double blend = st->m[i] * b1 + (1. - b1) * g[i];
        const double update = blend > 0 ? 1 : blend < 0 ? -1 : 0;
        x[i] = x[i] + -lr * update;
        st->m[i] = st->m[i] * b2 + (1. - b2) * g[i];
    }
}

/* QHM (facebookresearch/qhoptim): a nu-weighted average of the momentum buffer (an
 * exponential average of gradients) and the plain gradient. */
static void qhm_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double momentum = h[QHM_MOMENTUM], nu = h[QHM_NU];
    double d[2];
    decayed(g, x, h[QHM_WD], d);
    for (int i = 0; i < 2; i++) {
        st->m[i] = st->m[i] * momentum + (1.0 - momentum) * d[i];
        x[i] = x[i] + -lr * nu * st->m[i];
        x[i] = x[i] + -lr * (1.0 - nu) * d[i];
    }
}

/* QHAdam (facebookresearch/qhoptim): QHM's averaging in both Adam moments, with bias
 * correction through the running weights beta_weight = 1 + beta * beta_weight (kept in
 * eta and mu). */
static void qhadam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double nu1 = h[QHADAM_NU1], nu2 = h[QHADAM_NU2], eps = h[QHADAM_EPS];
    double d[2];
    decayed(g, x, h[QHADAM_WD], d);
    st->eta = 1.0 + h[QHADAM_BETA1] * st->eta;
    st->mu = 1.0 + h[QHADAM_BETA2] * st->mu;
    const double b1 = 1.0 - 1.0 / st->eta, b2 = 1.0 - 1.0 / st->mu;
    for (int i = 0; i < 2; i++) {
        const double sq = d[i] * d[i];
        st->m[i] = st->m[i] * b1 + (1.0 - b1) * d[i];
        st->v[i] = st->v[i] * b2 + (1.0 - b2) * sq;
        double avg = st->m[i] * nu1;
        if (nu1 != 1.0)
            avg = avg + (1.0 - nu1) * d[i];
        double rms = st->v[i] * nu2;
        if (nu2 != 1.0)
            rms = rms + (1.0 - nu2) * sq;
        rms = sqrt(rms);
        if (eps != 0.0)
            rms = rms + eps;
        x[i] = x[i] + -lr * avg / rms;
    }
}

/* Schedule-free (facebookresearch/schedule_free): the lr after its linear warmup. */
static double sf_lr(double lr, long k, double warmup)
{
    return (double)k < warmup ? lr * ((double)(k + 1) / warmup) : lr * 1.0;
}

/* The averaging weight c_{k+1} of this step, updating the running sums. */
static double sf_weight(OptimState *st, double lr, double r, double power)
{
    st->lr_max = fmax(lr, st->lr_max);
    const double weight = pow((double)(st->step + 1), r) * pow(st->lr_max, power);
    st->weight_sum += weight;
    return st->weight_sum != 0 ? weight / st->weight_sum : 0;
}

static void sf_init(const double *h, OptimState *st)
{
    (void)h;
    st->lr_max = -1.0;
}

/* y moves towards z and along the gradient, z takes the plain step; the point shown is
 * x = lerp(y, z, 1 - 1/momentum), what `optimizer.eval()` puts in the parameters. */
static void sf_move(OptimState *st, double x[2], const double grad[2], double lr, double ckp1, double momentum)
{
    for (int i = 0; i < 2; i++) {
        st->y[i] = lerp(st->y[i], st->z[i], ckp1);
        st->y[i] = st->y[i] + lr * (momentum * (1 - ckp1) - 1) * grad[i];
        st->z[i] = st->z[i] - lr * grad[i];
        x[i] = lerp(st->y[i], st->z[i], 1 - 1 / momentum);
    }
    st->step++;
}

static void sf_start(OptimState *st, const double x[2])
{
    if (st->started)
        return;
    memcpy(st->y, x, sizeof st->y);
    memcpy(st->z, x, sizeof st->z);
    st->started = 1;
}

static void sf_probe(const OptimState *st, const double x[2], double p[2])
{
    memcpy(p, st->started ? st->y : x, 2 * sizeof p[0]);
}

static void sgd_sf_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    sf_start(st, x);
    lr = sf_lr(lr, st->step, h[SF_WARMUP]);
    const double ckp1 = sf_weight(st, lr, h[SF_R], h[SF_POWER]);
    double grad[2];
    decayed(g, st->y, h[SF_WD], grad);
    sf_move(st, x, grad, lr, ckp1, h[SF_MOMENTUM]);
}

static double sgd_sf_step_lr(const double *h, const OptimState *st, double lr)
{
    return sf_lr(lr, st->step, h[SF_WARMUP]);
}

/* Schedule-free AdamW: the gradient normalised by Adam's second moment (v), then the
 * same y, z and x; weight decay is taken at y. */
static void adamw_sf_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b2 = h[ASF_BETA2];
    sf_start(st, x);
    const double bc2 = 1 - pow(b2, (double)(st->step + 1));
    lr = sf_lr(lr, st->step, h[ASF_WARMUP]);
    const double ckp1 = sf_weight(st, lr, h[ASF_R], h[ASF_POWER]);
    double grad[2];
    for (int i = 0; i < 2; i++) {
        st->v[i] = st->v[i] * b2 + (1 - b2) * g[i] * g[i];
        grad[i] = g[i] / (sqrt(st->v[i] / bc2) + h[ASF_EPS]);
        if (h[ASF_WD] != 0)
            grad[i] = grad[i] + h[ASF_WD] * st->y[i];
    }
    sf_move(st, x, grad, lr, ckp1, h[ASF_BETA1]);
}

static double adamw_sf_step_lr(const double *h, const OptimState *st, double lr)
{
    return sf_lr(lr, st->step, h[ASF_WARMUP]);
}

static void prodigy_init(const double *h, OptimState *st)
{
    st->d = st->d_max = h[PRODIGY_D0];
}

/* Prodigy's step size d * lr, times Adam's bias correction when asked for. */
static double prodigy_step_lr(const double *h, const OptimState *st, double lr)
{
    const double k = (double)st->step;
    const double bias = h[PRODIGY_BIAS_CORRECTION] != 0
                            ? pow(1 - pow(h[PRODIGY_BETA2], k + 1), 0.5) / (1 - pow(h[PRODIGY_BETA1], k + 1))
                            : 1;
    return st->d * lr * bias;
}

/* Prodigy (konstmish/prodigy): Adam whose step size d grows to an estimate of the
 * distance from the start to the solution, made from the gradients seen along the way. */
static void prodigy_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b1 = h[PRODIGY_BETA1], b2 = h[PRODIGY_BETA2], d0 = h[PRODIGY_D0];
    const double b3 = h[PRODIGY_BETA3] > 0 ? h[PRODIGY_BETA3] : sqrt(b2);
    const double wd = h[PRODIGY_WD], d = st->d;
    const int decouple = h[PRODIGY_DECOUPLE] != 0;
    const double dlr = prodigy_step_lr(h, st, lr);
    double grad[2];
    decayed(g, x, decouple ? 0 : wd, grad);
    if (!st->started) {
        memcpy(st->p0, x, sizeof st->p0);
        st->started = 1;
    }
    const double to_start[2] = { st->p0[0] - x[0], st->p0[1] - x[1] };
    const double delta_numerator = (d / d0) * dlr * dot(grad, to_start);
    const double s_rate = h[PRODIGY_SAFEGUARD] != 0 ? (d / d0) * d : (d / d0) * dlr;
    for (int i = 0; i < 2; i++) {
        if (b1 > 0)
            st->m[i] = st->m[i] * b1 + d * (1 - b1) * grad[i];
        st->v[i] = st->v[i] * b2 + d * d * (1 - b2) * grad[i] * grad[i];
        st->s[i] = st->s[i] * b3 + s_rate * grad[i];
    }
    const double d_denom = fabs(st->s[0]) + fabs(st->s[1]);
    if (d_denom == 0)
        return; /* no gradient yet: the authors' code returns before moving */
    st->d_numerator = st->d_numerator * b3 + delta_numerator;
    const double d_hat = h[PRODIGY_D_COEF] * st->d_numerator / d_denom;
    double d_new = d;
    if (d == d0)
        d_new = py_max(d, d_hat);
    st->d_max = py_max(st->d_max, d_hat);
    d_new = h[PRODIGY_GROWTH] > 0 ? py_min(st->d_max, d_new * h[PRODIGY_GROWTH]) : st->d_max;
    st->d = d_new;
    for (int i = 0; i < 2; i++) {
        const double denom = sqrt(st->v[i]) + d_new * h[PRODIGY_EPS];
        if (wd != 0 && decouple)
            x[i] = x[i] + -wd * dlr * x[i];
        x[i] = b1 > 0 ? x[i] + -dlr * st->m[i] / denom : x[i] + -dlr * d_new * grad[i] / denom;
    }
    st->step++;
}

static const OptimDef optim_rows[] = {
    { .kind = SPEC_KIND("sgd", "stochastic gradient descent, optional (Nesterov) momentum", sgd_params),
      .check = sgd_check, .update = sgd_step, .momentum = SGD_MOMENTUM },
    { .kind = SPEC_KIND("adagrad", "per-coordinate steps shrinking with the summed squared gradients",
                   adagrad_params),
      .init = adagrad_init, .update = adagrad_step, .momentum = -1 },
    { .kind = SPEC_KIND("rmsprop", "steps scaled by a running RMS of the gradient", rmsprop_params),
      .update = rmsprop_step, .momentum = RMS_MOMENTUM },
    { .kind = SPEC_KIND("adadelta", "RMSprop with unit-corrected steps", adadelta_params),
      .update = adadelta_step, .momentum = -1 },
    { .kind = SPEC_KIND("adam", "momentum plus RMS scaling, bias-corrected", adam_params),
      .update = adam_step, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("adamw", "Adam with decoupled weight decay", adamw_params),
      .update = adamw_step, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("adamax", "Adam with an infinity-norm second moment", adamax_params),
      .update = adamax_step, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("nadam", "Adam with Nesterov momentum", nadam_params),
      .init = nadam_init, .update = nadam_step, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("radam", "Adam with a rectified warm-up of the adaptive term", radam_params),
      .update = radam_step, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("rprop", "steps of their own size per coordinate, grown or shrunk by the gradient's sign",
                        rprop_params),
      .check = rprop_check, .update = rprop_step, .momentum = -1 },
    { .kind = SPEC_KIND("asgd", "SGD with a decaying step and an average from step t0 on", asgd_params),
      .init = asgd_init, .update = asgd_step, .momentum = -1 },
    { .kind = SPEC_KIND("adafactor", "second moment with a decaying beta2, steps relative to the parameter's size",
                        adafactor_params),
      .update = adafactor_step, .momentum = -1 },
    { .kind = SPEC_KIND("lbfgs", "quasi-Newton from the last history_size steps, one iteration per step",
                        lbfgs_params),
      .step = lbfgs_step, .momentum = -1 },
    { .kind = SPEC_KIND("newton", "x - lr (H + damping I)^-1 grad with the exact Hessian", newton_params),
      .step = newton_step, .momentum = -1 },
    { .kind = SPEC_KIND("lion", "the sign of a momentum blend (lucidrains/lion-pytorch)", lion_params),
      .update = lion_step, .momentum = LION_BETA1 },
    { .kind = SPEC_KIND("qhm", "quasi-hyperbolic momentum: nu blends momentum and gradient (qhoptim)", qhm_params),
      .update = qhm_step, .momentum = QHM_MOMENTUM },
    { .kind = SPEC_KIND("qhadam", "QHM's blend in both of Adam's moments (qhoptim)", qhadam_params),
      .update = qhadam_step, .momentum = QHADAM_BETA1 },
    { .kind = SPEC_KIND("sgd_schedulefree", "SGD averaged without a schedule; shows the average x (schedule_free)",
                        sgd_sf_params),
      .init = sf_init, .update = sgd_sf_step, .probe = sf_probe, .step_lr = sgd_sf_step_lr, .momentum = SF_MOMENTUM },
    { .kind = SPEC_KIND("adamw_schedulefree", "AdamW averaged without a schedule; shows the average x (schedule_free)",
                        adamw_sf_params),
      .init = sf_init, .update = adamw_sf_step, .probe = sf_probe, .step_lr = adamw_sf_step_lr, .momentum = ASF_BETA1 },
    { .kind = SPEC_KIND("prodigy", "Adam with a step size d learned on the way; beta3=0: sqrt(beta2), growth_rate=0: no limit", prodigy_params),
      .init = prodigy_init, .update = prodigy_step, .step_lr = prodigy_step_lr, .momentum = PRODIGY_BETA1 },
};

const SpecTable optim_table = {
    .first = &optim_rows[0].kind,
    .stride = sizeof optim_rows[0],
    .count = (int)(sizeof optim_rows / sizeof optim_rows[0]),
    .what = "optimizer",
    .allow_label = 1,
};

const OptimDef *optim_def(int kind)
{
    return &optim_rows[kind];
}

int optim_check(const Spec *s, char *err, size_t errlen)
{
    const OptimDef *d = optim_def(s->kind);
    return d->check ? d->check(s->v, err, errlen) : 0;
}

int optim_parse(const char *text, Spec *out, char *err, size_t errlen)
{
    if (spec_parse(&optim_table, text, out, err, errlen) < 0)
        return -1;
    return optim_check(out, err, errlen);
}

void optim_init(const Spec *s, OptimState *st)
{
    const OptimDef *d = optim_def(s->kind);
    memset(st, 0, sizeof *st);
    if (d->init)
        d->init(s->v, st);
}

int optim_step(const Spec *s, OptimState *st, double lr, double momentum, double x[2], const OptimEval *e)
{
    const OptimDef *d = optim_def(s->kind);
    double h[SPEC_MAX_PARAMS];
    memcpy(h, s->v, sizeof h);
    if (d->momentum >= 0 && !isnan(momentum))
        h[d->momentum] = momentum;
    st->halt = NULL;
    if (d->step)
        return d->step(h, st, lr, x, e);
    d->update(h, st, lr, x, e->g);
    return 0;
}

void optim_probe(const Spec *s, const OptimState *st, const double x[2], double p[2])
{
    const OptimDef *d = optim_def(s->kind);
    if (d->probe) {
        d->probe(st, x, p);
        return;
    }
    p[0] = x[0];
    p[1] = x[1];
}

double optim_step_lr(const Spec *s, const OptimState *st, double lr)
{
    const OptimDef *d = optim_def(s->kind);
    return d->step_lr ? d->step_lr(s->v, st, lr) : lr;
}

double optim_prodigy_d(const Spec *s, const OptimState *st)
{
    return optim_def(s->kind)->init == prodigy_init ? st->d : NAN;
}

int optim_marks(const Spec *s, const OptimState *st, OptimMark *out, int max)
{
    int n = 0;
    if (optim_def(s->kind)->probe == sf_probe && st->started && max >= 2) {
        out[n++] = (OptimMark){ MARK_SF_Y, st->y[0], st->y[1] };
        out[n++] = (OptimMark){ MARK_SF_Z, st->z[0], st->z[1] };
    }
    for (int i = 0; i < st->ntrials && n < max; i++)
        out[n++] = (OptimMark){ MARK_LINE_SEARCH, st->trials[i][0], st->trials[i][1] };
    return n;
}
