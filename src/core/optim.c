/* The optimizer table: each optimizer's parameters (names, defaults, ranges) and its row,
 * read by the parser, --list, the legend and the dump; the rules themselves are in the
 * optim_*.c files by family. */
#include "optim.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "optim_rules.h"

#define LR(def) REAL("lr", def, 0, 1e4, PARAM_LO_OPEN)
#define WEIGHT_DECAY(def) REAL("weight_decay", def, 0, 1e3, 0)
#define EPS_NAMED(name, def) REAL(name, def, 0, 1, 0)
#define EPS(def) EPS_NAMED("eps", def)
#define UNIT_OPEN(name, def) REAL(name, def, 0, 1, PARAM_HI_OPEN)

static const ParamDef sgd_params[SGD_N] = {
    [OPTIM_LR] = LR(1e-3),
    [SGD_MOMENTUM] = UNIT_OPEN("momentum", 0),
    [SGD_DAMPENING] = REAL("dampening", 0, 0, 1, 0),
    [SGD_NESTEROV] = BOOL("nesterov", 0),
    [SGD_WD] = WEIGHT_DECAY(0),
};

static const ParamDef adagrad_params[ADAGRAD_N] = {
    [OPTIM_LR] = LR(1e-2),
    [ADAGRAD_LR_DECAY] = REAL("lr_decay", 0, 0, 1e3, 0),
    [ADAGRAD_EPS] = EPS(1e-10),
    [ADAGRAD_INIT] = REAL("initial_accumulator_value", 0, 0, 1e6, 0),
    [ADAGRAD_WD] = WEIGHT_DECAY(0),
};

static const ParamDef rmsprop_params[RMS_N] = {
    [OPTIM_LR] = LR(1e-2),
    [RMS_ALPHA] = UNIT_OPEN("alpha", 0.99),
    [RMS_EPS] = EPS(1e-8),
    [RMS_MOMENTUM] = UNIT_OPEN("momentum", 0),
    [RMS_CENTERED] = BOOL("centered", 0),
    [RMS_WD] = WEIGHT_DECAY(0),
};

static const ParamDef adadelta_params[ADADELTA_N] = {
    [OPTIM_LR] = LR(1.0),
    [ADADELTA_RHO] = REAL("rho", 0.9, 0, 1, 0),
    [ADADELTA_EPS] = EPS(1e-6),
    [ADADELTA_WD] = WEIGHT_DECAY(0),
};

/* The Adam family shares its first five parameters; each member's own follow them. */
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

static const ParamDef rprop_params[RPROP_N] = {
    [OPTIM_LR] = LR(1e-2),
    [RPROP_ETA_MINUS] = REAL("eta_minus", 0.5, 0, 1, PARAM_LO_OPEN | PARAM_HI_OPEN),
    [RPROP_ETA_PLUS] = REAL("eta_plus", 1.2, 1, 1e3, PARAM_LO_OPEN),
    [RPROP_STEP_MIN] = REAL("step_min", 1e-6, 0, 1e6, 0),
    [RPROP_STEP_MAX] = REAL("step_max", 50, 0, 1e6, PARAM_LO_OPEN),
};

static const ParamDef asgd_params[ASGD_N] = {
    [OPTIM_LR] = LR(1e-2),
    [ASGD_LAMBD] = REAL("lambd", 1e-4, 0, 1e3, 0),
    [ASGD_ALPHA] = REAL("alpha", 0.75, 0, 10, 0),
    [ASGD_T0] = REAL("t0", 1e6, 0, 1e12, 0),
    [ASGD_WD] = WEIGHT_DECAY(0),
};

static const ParamDef adafactor_params[AFAC_N] = {
    [OPTIM_LR] = LR(1e-2),
    [AFAC_BETA2_DECAY] = REAL("beta2_decay", -0.8, -10, 0, 0),
    [AFAC_EPS1] = REAL("eps1", DBL_EPSILON, 0, 1, PARAM_LO_OPEN),
    [AFAC_EPS2] = EPS_NAMED("eps2", 1e-3),
    [AFAC_D] = REAL("d", 1, 1, 1e6, 0),
    [AFAC_WD] = WEIGHT_DECAY(0),
};

/* One optiscope step is one L-BFGS iteration: torch's LBFGS with max_iter=1. */
static const ParamDef lbfgs_params[LBFGS_N] = {
    [OPTIM_LR] = LR(1),
    [LBFGS_HISTORY] = INT("history_size", 100, 1, OPTIM_HISTORY_MAX),
    [LBFGS_LINE_SEARCH] = CHOICE("line_search", "none|strong_wolfe"),
    [LBFGS_TOL_GRAD] = REAL("tolerance_grad", 1e-7, 0, 1e6, 0),
    [LBFGS_TOL_CHANGE] = REAL("tolerance_change", 1e-9, 0, 1e6, 0),
};

static const ParamDef newton_params[NEWTON_N] = {
    [OPTIM_LR] = LR(1),
    [NEWTON_DAMPING] = REAL("damping", 0, 0, 1e6, 0),
};

static const ParamDef lion_params[LION_N] = {
    [OPTIM_LR] = LR(1e-4),
    [LION_BETA1] = REAL("beta1", 0.9, 0, 1, 0),
    [LION_BETA2] = REAL("beta2", 0.99, 0, 1, 0),
    [LION_WD] = WEIGHT_DECAY(0),
};

static const ParamDef qhm_params[QHM_N] = {
    [OPTIM_LR] = LR(1e-3),
    [QHM_MOMENTUM] = UNIT_OPEN("momentum", 0.999),
    [QHM_NU] = REAL("nu", 0.7, 0, 1, 0),
    [QHM_WD] = WEIGHT_DECAY(0),
};

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
static const ParamDef sgd_sf_params[SF_N] = {
    [OPTIM_LR] = LR(1),
    [SF_MOMENTUM] = REAL("momentum", 0.9, 0, 1, PARAM_LO_OPEN | PARAM_HI_OPEN),
    [SF_WD] = WEIGHT_DECAY(0),
    SF_COMMON(SF_WARMUP, SF_R, SF_POWER),
};
static const ParamDef adamw_sf_params[ASF_N] = {
    [OPTIM_LR] = LR(0.0025),
    [ASF_BETA1] = REAL("beta1", 0.9, 0, 1, PARAM_LO_OPEN | PARAM_HI_OPEN),
    [ASF_BETA2] = UNIT_OPEN("beta2", 0.999),
    [ASF_EPS] = EPS(1e-8),
    [ASF_WD] = WEIGHT_DECAY(0),
    SF_COMMON(ASF_WARMUP, ASF_R, ASF_POWER),
};

/* beta3 = 0 means sqrt(beta2), growth_rate = 0 no limit (the authors' None and inf). */
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

static const OptimDef optim_rows[] = {
    { .kind = SPEC_KIND("sgd", "stochastic gradient descent, optional (Nesterov) momentum", sgd_params),
      .check = sgd_check, .update = sgd_step, .state = sgd_state, .momentum = SGD_MOMENTUM },
    { .kind = SPEC_KIND("adagrad", "per-coordinate steps shrinking with the summed squared gradients",
                   adagrad_params),
      .init = adagrad_init, .update = adagrad_step, .state = adagrad_state, .momentum = -1 },
    { .kind = SPEC_KIND("rmsprop", "steps scaled by a running RMS of the gradient", rmsprop_params),
      .update = rmsprop_step, .state = rmsprop_state, .momentum = RMS_MOMENTUM },
    { .kind = SPEC_KIND("adadelta", "RMSprop with unit-corrected steps", adadelta_params),
      .update = adadelta_step, .state = adadelta_state, .momentum = -1 },
    { .kind = SPEC_KIND("adam", "momentum plus RMS scaling, bias-corrected", adam_params),
      .update = adam_step, .state = adam_state, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("adamw", "Adam with decoupled weight decay", adamw_params),
      .update = adamw_step, .state = adam_state, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("adamax", "Adam with an infinity-norm second moment", adamax_params),
      .update = adamax_step, .state = adamax_state, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("nadam", "Adam with Nesterov momentum", nadam_params),
      .init = nadam_init, .update = nadam_step, .state = nadam_state, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("radam", "Adam with a rectified warm-up of the adaptive term", radam_params),
      .update = radam_step, .state = radam_state, .momentum = ADAM_BETA1 },
    { .kind = SPEC_KIND("rprop", "steps of their own size per coordinate, grown or shrunk by the gradient's sign",
                        rprop_params),
      .check = rprop_check, .update = rprop_step, .state = rprop_state, .momentum = -1 },
    { .kind = SPEC_KIND("asgd", "SGD with a decaying step and an average from step t0 on", asgd_params),
      .init = asgd_init, .update = asgd_step, .state = asgd_state, .momentum = -1 },
    { .kind = SPEC_KIND("adafactor", "second moment with a decaying beta2, steps relative to the parameter's size",
                        adafactor_params),
      .update = adafactor_step, .state = adafactor_state, .momentum = -1 },
    { .kind = SPEC_KIND("lbfgs", "quasi-Newton from the last history_size steps, one iteration per step",
                        lbfgs_params),
      .step = lbfgs_step, .state = lbfgs_state, .momentum = -1 },
    { .kind = SPEC_KIND("newton", "x - lr (H + damping I)^-1 grad with the exact Hessian", newton_params),
      .step = newton_step, .momentum = -1 },
    { .kind = SPEC_KIND("lion", "the sign of a momentum blend (lucidrains/lion-pytorch)", lion_params),
      .update = lion_step, .state = lion_state, .momentum = LION_BETA1 },
    { .kind = SPEC_KIND("qhm", "quasi-hyperbolic momentum: nu blends momentum and gradient (qhoptim)", qhm_params),
      .update = qhm_step, .state = qhm_state, .momentum = QHM_MOMENTUM },
    { .kind = SPEC_KIND("qhadam", "QHM's blend in both of Adam's moments (qhoptim)", qhadam_params),
      .update = qhadam_step, .state = qhadam_state, .momentum = QHADAM_BETA1 },
    { .kind = SPEC_KIND("sgd_schedulefree", "SGD averaged without a schedule; shows the average x (schedule_free)",
                        sgd_sf_params),
      .init = sf_init, .update = sgd_sf_step, .state = sgd_sf_state, .probe = sf_probe, .step_lr = sgd_sf_step_lr, .momentum = SF_MOMENTUM },
    { .kind = SPEC_KIND("adamw_schedulefree", "AdamW averaged without a schedule; shows the average x (schedule_free)",
                        adamw_sf_params),
      .init = sf_init, .update = adamw_sf_step, .state = adamw_sf_state, .probe = sf_probe, .step_lr = adamw_sf_step_lr, .momentum = ASF_BETA1 },
    { .kind = SPEC_KIND("prodigy", "Adam with a step size d learned on the way; beta3=0: sqrt(beta2), growth_rate=0: no limit", prodigy_params),
      .init = prodigy_init, .update = prodigy_step, .state = prodigy_state, .step_lr = prodigy_step_lr, .momentum = PRODIGY_BETA1 },
};

const SpecTable optim_table = {
    .first = &optim_rows[0].kind,
    .stride = sizeof optim_rows[0],
    .count = (int)(sizeof optim_rows / sizeof optim_rows[0]),
    .what = "optimizer",
    .allow_label = 1,
    .allow_batch = 1,
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

int optim_state(const Spec *s, const OptimState *st, OptimStateEntry out[OPTIM_STATE_MAX])
{
    const OptimDef *d = optim_def(s->kind);
    return d->state ? d->state(s->v, st, out) : 0;
}
