/* torch.optim's update rules (PyTorch 1.13, single-tensor path) on a 2-vector.
 * The arithmetic follows torch's operation order (addcmul_ is self + v*a*b, addcdiv_ is
 * self + v*a/b), so float64 trajectories agree to the last few bits. */
#include "optim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


#define LR(def) REAL("lr", def, 0, 1e4, PARAM_LO_OPEN)
#define WEIGHT_DECAY(def) REAL("weight_decay", def, 0, 1e3, 0)
#define EPS(def) REAL("eps", def, 0, 1, 0)
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
enum { NADAM_MOMENTUM_DECAY = ADAM_COMMON_N, NADAM_N };
#define ADAM_COMMON(lr, wd)                                                                                 \
    [OPTIM_LR] = LR(lr), [ADAM_BETA1] = UNIT_OPEN("beta1", 0.9), [ADAM_BETA2] = UNIT_OPEN("beta2", 0.999), \
    [ADAM_EPS] = EPS(1e-8), [ADAM_WD] = WEIGHT_DECAY(wd)

static const ParamDef adam_params[ADAM_N] = { ADAM_COMMON(1e-3, 0), [ADAM_AMSGRAD] = BOOL("amsgrad", 0) };
static const ParamDef adamw_params[ADAM_N] = { ADAM_COMMON(1e-3, 1e-2), [ADAM_AMSGRAD] = BOOL("amsgrad", 0) };
static const ParamDef adamax_params[ADAM_COMMON_N] = { ADAM_COMMON(2e-3, 0) };
static const ParamDef nadam_params[NADAM_N] = {
    ADAM_COMMON(2e-3, 0),
    [NADAM_MOMENTUM_DECAY] = REAL("momentum_decay", 4e-3, 0, 1e3, 0),
};
static const ParamDef radam_params[ADAM_COMMON_N] = { ADAM_COMMON(1e-3, 0) };

/* grad + weight_decay * param, as torch's `grad.add(param, alpha=weight_decay)`. */
static void decayed(const double g[2], const double x[2], double wd, double out[2])
{
    for (int i = 0; i < 2; i++)
        out[i] = wd != 0 ? g[i] + wd * x[i] : g[i];
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
        st->m[i] = st->m[i] * b1 + (1 - b1) * d[i];
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
        st->m[i] = st->m[i] * b1 + (1 - b1) * d[i];
        st->v[i] = fmax(st->v[i] * h[ADAM_BETA2], fabs(d[i]) + h[ADAM_EPS]);
        x[i] = x[i] + -clr * st->m[i] / st->v[i];
    }
}

static void nadam_init(const double *h, OptimState *st)
{
    (void)h;
    st->mu_product = 1.0;
}

/* NAdam with torch's momentum schedule mu_t = beta1 (1 - 0.5 * 0.96^(t * momentum_decay)). */
static void nadam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b1 = h[ADAM_BETA1], decay = h[NADAM_MOMENTUM_DECAY];
    double d[2];
    st->step++;
    const double step = (double)st->step;
    const double bc2 = 1 - pow(h[ADAM_BETA2], step);
    decayed(g, x, h[ADAM_WD], d);
    const double mu = b1 * (1. - 0.5 * pow(0.96, step * decay));
    const double mu_next = b1 * (1. - 0.5 * pow(0.96, (step + 1) * decay));
    st->mu_product *= mu;
    /* torch 1.13 multiplies mu in twice here (fixed in later releases); it is the reference. */
    const double mu_product_next = st->mu_product * mu * mu_next;
    adam_moments(h, st, d);
    const double grad_w = -lr * (1. - mu) / (1. - st->mu_product);
    const double avg_w = -lr * mu_next / (1. - mu_product_next);
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
    decayed(g, x, h[ADAM_WD], d);
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

static const OptimDef optim_rows[] = {
    { .kind = SPEC_KIND("sgd", "stochastic gradient descent, optional (Nesterov) momentum", sgd_params),
      .check = sgd_check, .step = sgd_step, .momentum = SGD_MOMENTUM },
    { .kind = SPEC_KIND("adagrad", "per-coordinate steps shrinking with the summed squared gradients",
                   adagrad_params),
      .init = adagrad_init, .step = adagrad_step, .momentum = -1 },
    { .kind = SPEC_KIND("rmsprop", "steps scaled by a running RMS of the gradient", rmsprop_params),
      .step = rmsprop_step, .momentum = RMS_MOMENTUM },
    { .kind = SPEC_KIND("adadelta", "RMSprop with unit-corrected steps", adadelta_params),
      .step = adadelta_step, .momentum = -1 },
    { .kind = SPEC_KIND("adam", "momentum plus RMS scaling, bias-corrected", adam_params),
      .step = adam_step, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("adamw", "Adam with decoupled weight decay", adamw_params),
      .step = adamw_step, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("adamax", "Adam with an infinity-norm second moment", adamax_params),
      .step = adamax_step, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("nadam", "Adam with Nesterov momentum", nadam_params),
      .init = nadam_init, .step = nadam_step, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("radam", "Adam with a rectified warm-up of the adaptive term", radam_params),
      .step = radam_step, .momentum = ADAM_BETA1 },
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

void optim_step(const Spec *s, OptimState *st, double lr, double x[2], const double g[2])
{
    optim_def(s->kind)->step(s->v, st, lr, x, g);
}
