/* Learning-rate schedules. PyTorch's are written in closed form where torch's chained
 * form is the same function of the step; stateful ones (plateau, restarts, the textbook
 * rules that look at the loss, a typed formula) keep what they need in SchedState. */
#include "sched.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const double PI = 3.14159265358979323846;

#define STEPS_MAX 1e9
#define DECAY_GAMMA(def) REAL("gamma", def, 0, 1, PARAM_LO_OPEN)
/* Warmup before a torch-style schedule: torch's SequentialLR of LinearLR(start_factor=
 * warmup_factor, total_iters=warmup) and the schedule, milestone warmup. Its two
 * parameters close every list that has them, flagged, where warmup_steps finds them on
 * every step without looking them up by name (tests/test_sched.c checks every row). */
#define WARMUP(w, f)                                                                                             \
    [w] = { .name = "warmup", .type = PARAM_INT, .def = 0, .lo = 0, .hi = STEPS_MAX, .flags = PARAM_WARMUP }, \
    [f] = REAL("warmup_factor", 0.1, 0, 1, PARAM_LO_OPEN)
#define MOMENTUM(name, def) REAL(name, def, 0, 1, PARAM_HI_OPEN)

/* Only a warmup: SequentialLR of LinearLR and ConstantLR(factor=1), the optimizer's lr after it. */
enum { CONST_WARMUP, CONST_WARMUP_FACTOR, CONST_N };
static const ParamDef constant_params[CONST_N] = { WARMUP(CONST_WARMUP, CONST_WARMUP_FACTOR) };

enum { STEP_SIZE, STEP_GAMMA, STEP_WARMUP, STEP_WARMUP_FACTOR, STEP_N };
static const ParamDef step_params[STEP_N] = {
    [STEP_SIZE] = INT("step_size", 30, 1, STEPS_MAX),
    [STEP_GAMMA] = DECAY_GAMMA(0.1),
    WARMUP(STEP_WARMUP, STEP_WARMUP_FACTOR),
};

/* The milestones come first: the session skips schedules whose first parameter is a list. */
enum { MULTI_MILESTONES, MULTI_GAMMA, MULTI_WARMUP, MULTI_WARMUP_FACTOR, MULTI_N };
static const ParamDef multistep_params[MULTI_N] = {
    [MULTI_MILESTONES] = LIST("milestones", 1, STEPS_MAX),
    [MULTI_GAMMA] = DECAY_GAMMA(0.1),
    WARMUP(MULTI_WARMUP, MULTI_WARMUP_FACTOR),
};

enum { EXP_GAMMA, EXP_WARMUP, EXP_WARMUP_FACTOR, EXP_N };
static const ParamDef exponential_params[EXP_N] = {
    [EXP_GAMMA] = DECAY_GAMMA(0.99),
    WARMUP(EXP_WARMUP, EXP_WARMUP_FACTOR),
};

enum { COS_T_MAX, COS_ETA_MIN, COS_WARMUP, COS_WARMUP_FACTOR, COS_N };
static const ParamDef cosine_params[COS_N] = {
    [COS_T_MAX] = INT("t_max", 100, 1, STEPS_MAX),
    [COS_ETA_MIN] = REAL("eta_min", 0, 0, 1e4, 0),
    WARMUP(COS_WARMUP, COS_WARMUP_FACTOR),
};

enum { RESTART_T_0, RESTART_T_MULT, RESTART_ETA_MIN, RESTART_WARMUP, RESTART_WARMUP_FACTOR, RESTART_N };
static const ParamDef restarts_params[RESTART_N] = {
    [RESTART_T_0] = INT("t_0", 50, 1, STEPS_MAX),
    [RESTART_T_MULT] = INT("t_mult", 1, 1, 100),
    [RESTART_ETA_MIN] = REAL("eta_min", 0, 0, 1e4, 0),
    WARMUP(RESTART_WARMUP, RESTART_WARMUP_FACTOR),
};

enum { LINEAR_START, LINEAR_END, LINEAR_ITERS, LINEAR_WARMUP, LINEAR_WARMUP_FACTOR, LINEAR_N };
static const ParamDef linear_params[LINEAR_N] = {
    [LINEAR_START] = REAL("start_factor", 1.0 / 3, 0, 1, PARAM_LO_OPEN),
    [LINEAR_END] = REAL("end_factor", 1.0, 0, 1, 0),
    [LINEAR_ITERS] = INT("total_iters", 5, 1, STEPS_MAX),
    WARMUP(LINEAR_WARMUP, LINEAR_WARMUP_FACTOR),
};

enum { POLY_ITERS, POLY_POWER, POLY_WARMUP, POLY_WARMUP_FACTOR, POLY_N };
static const ParamDef polynomial_params[POLY_N] = {
    [POLY_ITERS] = INT("total_iters", 5, 1, STEPS_MAX),
    [POLY_POWER] = REAL("power", 1.0, 0, 100, 0),
    WARMUP(POLY_WARMUP, POLY_WARMUP_FACTOR),
};

/* max_lr = 0 means the optimizer's lr. */
enum {
    ONECYCLE_MAX_LR, ONECYCLE_TOTAL, ONECYCLE_PCT, ONECYCLE_ANNEAL, ONECYCLE_DIV, ONECYCLE_FINAL_DIV,
    ONECYCLE_CYCLE_MOMENTUM, ONECYCLE_BASE_MOMENTUM, ONECYCLE_MAX_MOMENTUM, ONECYCLE_WARMUP, ONECYCLE_WARMUP_FACTOR,
    ONECYCLE_N
};
static const ParamDef onecycle_params[ONECYCLE_N] = {
    [ONECYCLE_MAX_LR] = REAL("max_lr", 0, 0, 1e4, 0),
    [ONECYCLE_TOTAL] = INT("total_steps", 1000, 2, STEPS_MAX),
    [ONECYCLE_PCT] = REAL("pct_start", 0.3, 0, 1, PARAM_HI_OPEN),
    [ONECYCLE_ANNEAL] = CHOICE("anneal", "cos|linear"),
    [ONECYCLE_DIV] = REAL("div_factor", 25, DBL_MIN, 1e9, 0),
    [ONECYCLE_FINAL_DIV] = REAL("final_div_factor", 1e4, DBL_MIN, 1e12, 0),
    [ONECYCLE_CYCLE_MOMENTUM] = BOOL("cycle_momentum", 1),
    [ONECYCLE_BASE_MOMENTUM] = MOMENTUM("base_momentum", 0.85),
    [ONECYCLE_MAX_MOMENTUM] = MOMENTUM("max_momentum", 0.95),
    WARMUP(ONECYCLE_WARMUP, ONECYCLE_WARMUP_FACTOR),
};

/* base_lr = 0 means the optimizer's lr; max_lr = 0 means CYCLIC_MAX_LR_TIMES base_lr;
 * step_size_down = 0 means step_size_up (torch's None). */
#define CYCLIC_MAX_LR_TIMES 4.0
enum {
    CYCLIC_BASE_LR, CYCLIC_MAX_LR, CYCLIC_UP, CYCLIC_DOWN, CYCLIC_MODE, CYCLIC_GAMMA, CYCLIC_CYCLE_MOMENTUM,
    CYCLIC_BASE_MOMENTUM, CYCLIC_MAX_MOMENTUM, CYCLIC_WARMUP, CYCLIC_WARMUP_FACTOR, CYCLIC_N
};
enum { CYCLIC_TRIANGULAR, CYCLIC_TRIANGULAR2, CYCLIC_EXP_RANGE };
static const ParamDef cyclic_params[CYCLIC_N] = {
    [CYCLIC_BASE_LR] = REAL("base_lr", 0, 0, 1e4, 0),
    [CYCLIC_MAX_LR] = REAL("max_lr", 0, 0, 1e4, 0),
    [CYCLIC_UP] = INT("step_size_up", 2000, 1, STEPS_MAX),
    [CYCLIC_DOWN] = INT("step_size_down", 0, 0, STEPS_MAX),
    [CYCLIC_MODE] = CHOICE("mode", "triangular|triangular2|exp_range"),
    [CYCLIC_GAMMA] = REAL("gamma", 1.0, 0, 1, PARAM_LO_OPEN),
    [CYCLIC_CYCLE_MOMENTUM] = BOOL("cycle_momentum", 1),
    [CYCLIC_BASE_MOMENTUM] = MOMENTUM("base_momentum", 0.8),
    [CYCLIC_MAX_MOMENTUM] = MOMENTUM("max_momentum", 0.9),
    WARMUP(CYCLIC_WARMUP, CYCLIC_WARMUP_FACTOR),
};

enum { PLATEAU_FACTOR, PLATEAU_PATIENCE, PLATEAU_THRESHOLD, PLATEAU_MODE, PLATEAU_COOLDOWN, PLATEAU_MIN_LR, PLATEAU_N };
static const ParamDef plateau_params[PLATEAU_N] = {
    [PLATEAU_FACTOR] = REAL("factor", 0.1, 0, 1, PARAM_LO_OPEN | PARAM_HI_OPEN),
    [PLATEAU_PATIENCE] = INT("patience", 10, 0, STEPS_MAX),
    [PLATEAU_THRESHOLD] = REAL("threshold", 1e-4, 0, 1e9, 0),
    [PLATEAU_MODE] = CHOICE("threshold_mode", "rel|abs"),
    [PLATEAU_COOLDOWN] = INT("cooldown", 0, 0, STEPS_MAX),
    [PLATEAU_MIN_LR] = REAL("min_lr", 0, 0, 1e4, 0),
};

enum { INVTIME_DECAY, INVTIME_N };
static const ParamDef inverse_time_params[INVTIME_N] = { [INVTIME_DECAY] = REAL("decay", 0.01, 0, 1e6, 0) };

enum { SCALED_BETA, SCALED_N };
static const ParamDef beta_params[SCALED_N] = { [SCALED_BETA] = REAL("beta", 0.1, 0, 1e6, 0) };

enum { BOLD_INCREASE, BOLD_DECREASE, BOLD_N };
static const ParamDef bold_driver_params[BOLD_N] = {
    [BOLD_INCREASE] = REAL("increase", 1.05, 1, 10, 0),
    [BOLD_DECREASE] = REAL("decrease", 0.5, 0, 1, PARAM_LO_OPEN),
};

static double constant_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)s, (void)st, (void)t;
    return base;
}

/* StepLR: gamma^floor(t / step_size). */
static double step_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)st;
    return base * pow(s->v[STEP_GAMMA], floor((double)t / s->v[STEP_SIZE]));
}

/* MultiStepLR: gamma to the number of milestones already reached. */
static double multistep_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)st;
    int reached = 0;
    while (reached < s->nlist && s->list[reached] <= (double)t)
        reached++;
    return base * pow(s->v[MULTI_GAMMA], reached);
}

static double exponential_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)st;
    return base * pow(s->v[EXP_GAMMA], (double)t);
}

static double cosine_between(double hi, double lo, double t, double period)
{
    return lo + (hi - lo) * (1 + cos(PI * t / period)) / 2;
}

/* CosineAnnealingLR; past t_max torch's chained form keeps following the cosine back up. */
static double cosine_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)st;
    return cosine_between(base, s->v[COS_ETA_MIN], (double)t, s->v[COS_T_MAX]);
}

/* CosineAnnealingWarmRestarts: cycles of t_0, t_0 t_mult, ...; the position is worked out
 * from t in whole steps, as torch's step() counts them, so a t_0 changed mid-run applies at
 * once (the run is where it would be had t_0 been that from the start). */
static double restarts_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)st;
    const long long mult = (long long)s->v[RESTART_T_MULT];
    long long t_i = (long long)s->v[RESTART_T_0], t_cur = t;
    if (mult == 1) {
        t_cur %= t_i;
    } else {
        while (t_cur >= t_i) {
            t_cur -= t_i;
            t_i *= mult;
        }
    }
    return cosine_between(base, s->v[RESTART_ETA_MIN], (double)t_cur, (double)t_i);
}

/* LinearLR: the factor moves from start_factor to end_factor over total_iters. */
static double linear_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)st;
    const double total = s->v[LINEAR_ITERS], done = fmin((double)t, total);
    return base * (s->v[LINEAR_START] + (s->v[LINEAR_END] - s->v[LINEAR_START]) * done / total);
}

static double polynomial_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)st;
    const double total = s->v[POLY_ITERS], done = fmin((double)t, total);
    return base * pow(1.0 - done / total, s->v[POLY_POWER]);
}

/* OneCycleLR's anneal from start to end as pct goes from 0 to 1. */
static double anneal(const Spec *s, double start, double end, double pct)
{
    if (s->v[ONECYCLE_ANNEAL] == 0)
        return end + (start - end) / 2.0 * (cos(PI * pct) + 1);
    return (end - start) * pct + start;
}

static double onecycle_max_lr(const Spec *s, double base)
{
    return s->v[ONECYCLE_MAX_LR] > 0 ? s->v[ONECYCLE_MAX_LR] : base;
}

/* OneCycleLR's two phases: which one t is in and how far through it. torch refuses steps
 * past total_steps; a live run keeps the final values instead. */
static double onecycle_phase(const Spec *s, long t, int *second)
{
    const double total = s->v[ONECYCLE_TOTAL];
    const double warm_end = s->v[ONECYCLE_PCT] * total - 1, end = total - 1;
    const double at = fmin((double)t, end);
    *second = at > warm_end;
    return *second ? (at - warm_end) / (end - warm_end) : at / warm_end;
}

static double onecycle_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)st;
    const double max_lr = onecycle_max_lr(s, base);
    const double initial = max_lr / s->v[ONECYCLE_DIV], final = initial / s->v[ONECYCLE_FINAL_DIV];
    int second;
    const double pct = onecycle_phase(s, t, &second);
    return second ? anneal(s, max_lr, final, pct) : anneal(s, initial, max_lr, pct);
}

/* The momentum runs against the lr: from max_momentum down to base_momentum and back. */
static double onecycle_momentum(const Spec *s, long t)
{
    if (s->v[ONECYCLE_CYCLE_MOMENTUM] == 0)
        return NAN;
    const double lo = s->v[ONECYCLE_BASE_MOMENTUM], hi = s->v[ONECYCLE_MAX_MOMENTUM];
    int second;
    const double pct = onecycle_phase(s, t, &second);
    return second ? anneal(s, lo, hi, pct) : anneal(s, hi, lo, pct);
}

/* Warmup before OneCycleLR climbs to its initial lr: OneCycleLR sets the param group's
 * initial_lr to max_lr / div_factor, and SequentialLR starts the warmup from there. */
static double onecycle_warm_target(const Spec *s, double base)
{
    return onecycle_max_lr(s, base) / s->v[ONECYCLE_DIV];
}

/* CyclicLR: where t falls in its cycle (scale 0 at base, 1 at the peak) and the cycle's
 * amplitude factor of the mode. */
static double cyclic_scale(const Spec *s, long t, double *amplitude)
{
    const double up = s->v[CYCLIC_UP], down = s->v[CYCLIC_DOWN] > 0 ? s->v[CYCLIC_DOWN] : up;
    const double total = up + down, ratio = up / total, epoch = (double)t;
    const double cycle = floor(1 + epoch / total);
    const double x = 1.0 + epoch / total - cycle;
    const double scale = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
    switch ((int)s->v[CYCLIC_MODE]) {
    case CYCLIC_TRIANGULAR2: *amplitude = 1 / pow(2.0, cycle - 1); break;
    case CYCLIC_EXP_RANGE: *amplitude = pow(s->v[CYCLIC_GAMMA], epoch); break;
    default: *amplitude = 1.0; break;
    }
    return scale;
}

static double cyclic_base_lr(const Spec *s, double base)
{
    return s->v[CYCLIC_BASE_LR] > 0 ? s->v[CYCLIC_BASE_LR] : base;
}

static double cyclic_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)st;
    const double lo = cyclic_base_lr(s, base);
    const double hi = s->v[CYCLIC_MAX_LR] > 0 ? s->v[CYCLIC_MAX_LR] : CYCLIC_MAX_LR_TIMES * lo;
    double amplitude;
    const double scale = cyclic_scale(s, t, &amplitude);
    return lo + (hi - lo) * scale * amplitude;
}

static double cyclic_momentum(const Spec *s, long t)
{
    if (s->v[CYCLIC_CYCLE_MOMENTUM] == 0)
        return NAN;
    const double lo = s->v[CYCLIC_BASE_MOMENTUM], hi = s->v[CYCLIC_MAX_MOMENTUM];
    double amplitude;
    const double scale = cyclic_scale(s, t, &amplitude);
    return hi - (hi - lo) * scale * amplitude;
}

/* MultiStepLR has no default milestones. */
static int multistep_check(const Spec *s, char *err, size_t errlen)
{
    if (s->nlist == 0) {
        snprintf(err, errlen, "multistep: milestones are required, e.g. multistep:milestones=100/200");
        return -1;
    }
    return 0;
}

static int onecycle_check(const Spec *s, char *err, size_t errlen)
{
    const double warm_end = s->v[ONECYCLE_PCT] * s->v[ONECYCLE_TOTAL] - 1;
    if (warm_end <= 0 || warm_end >= s->v[ONECYCLE_TOTAL] - 1) {
        snprintf(err, errlen, "onecycle: pct_start * total_steps must fall between 1 and total_steps - 1");
        return -1;
    }
    return 0;
}

static double scaled_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)s, (void)t;
    return base * st->scale;
}

/* ReduceLROnPlateau in mode 'min', stepped with the loss of the point each update
 * started from, as a training loop calls scheduler.step(loss) after optimizer.step(). */
static void plateau_observe(const Spec *s, SchedState *st, double base, double loss, double grad_norm2)
{
    (void)grad_norm2;
    const double metric = st->last_loss;
    st->last_loss = loss;
    if (st->t == 0)
        return;
    const double threshold = s->v[PLATEAU_THRESHOLD];
    const int better = s->v[PLATEAU_MODE] == 0 ? metric < st->best * (1 - threshold) : metric < st->best - threshold;
    if (better) {
        st->best = metric;
        st->bad = 0;
    } else {
        st->bad++;
    }
    if (st->cooldown > 0) {
        st->cooldown--;
        st->bad = 0;
    }
    if (st->bad > (long)s->v[PLATEAU_PATIENCE]) {
        /* torch skips reductions smaller than its eps (1e-8), so the lr floors there. */
        const double old = base * st->scale, reduced = fmax(old * s->v[PLATEAU_FACTOR], s->v[PLATEAU_MIN_LR]);
        if (old - reduced > 1e-8)
            st->scale = reduced / base;
        st->cooldown = (long)s->v[PLATEAU_COOLDOWN];
        st->bad = 0;
    }
}

static double inverse_time_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)st;
    return base / (1 + s->v[INVTIME_DECAY] * (double)t);
}

static double inverse_sqrt_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)s, (void)st;
    return base / sqrt(1 + (double)t);
}

static void loss_observe(const Spec *s, SchedState *st, double base, double loss, double grad_norm2)
{
    (void)s;
    (void)base;
    (void)grad_norm2;
    st->last_loss = loss;
}

/* lr / (1 + beta * loss here); a loss below zero would raise the lr, so it counts as 0. */
static double loss_scaled_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)t;
    return base / (1 + s->v[SCALED_BETA] * fmax(st->last_loss, 0));
}

static void grad_observe(const Spec *s, SchedState *st, double base, double loss, double grad_norm2)
{
    (void)s;
    (void)base;
    (void)loss;
    st->grad_sum += grad_norm2;
}

static double grad_scaled_lr(const Spec *s, const SchedState *st, long t, double base)
{
    (void)t;
    return base / sqrt(1 + s->v[SCALED_BETA] * st->grad_sum);
}

static void bold_driver_observe(const Spec *s, SchedState *st, double base, double loss, double grad_norm2)
{
    (void)base;
    (void)grad_norm2;
    if (st->t > 0)
        st->scale *= loss < st->last_loss ? s->v[BOLD_INCREASE] : s->v[BOLD_DECREASE];
    st->last_loss = loss;
}

/* expr:FORMULA, the lr of each update typed as a formula of what a training loop knows
 * when it sets the lr before optimizer.step(). */
enum { VAR_T, VAR_LR0, VAR_LR, VAR_LOSS, VAR_PREV_LOSS, VAR_GNORM, VAR_N };
static const char expr_vars[VAR_N][EXPR_NAME_MAX] = {
    [VAR_T] = "t",       [VAR_LR0] = "lr0",           [VAR_LR] = "lr",
    [VAR_LOSS] = "loss", [VAR_PREV_LOSS] = "prev_loss", [VAR_GNORM] = "gnorm",
};

/* The spec's program: the shared one its parse made, else compiled into *scratch (a spec
 * whose formula was written in another way); NULL when it does not compile. */
static const Expr *sched_program(const Spec *s, Expr *scratch)
{
    ExprError ee;
    if (s->text.prog)
        return s->text.prog;
    return expr_compile_vars(scratch, s->text.formula, expr_vars, VAR_N, &ee) < 0 ? NULL : scratch;
}

int sched_expr_parse(const char *rest, Spec *out, char *err, size_t errlen)
{
    char vars[128] = "", calls[256];
    for (int i = 0; i < VAR_N; i++)
        snprintf(vars + strlen(vars), sizeof vars - strlen(vars), "%s%s", i ? ", " : "", expr_vars[i]);
    if (!rest || !*rest) {
        snprintf(err, errlen, "expr: needs a formula of %s, e.g. expr:lr0*exp(-0.02*t)", vars);
        return -1;
    }
    if (strlen(rest) > EXPR_TEXT_MAX) {
        snprintf(err, errlen, "expr: formula longer than %d characters", EXPR_TEXT_MAX);
        return -1;
    }
    snprintf(out->text.formula, sizeof out->text.formula, "%s", rest);
    ExprError ee;
    out->text.prog = expr_shared(out->text.formula, expr_vars, VAR_N, 1, &ee);
    if (!out->text.prog && ee.column > 0) {
        expr_list_calls(calls, sizeof calls);
        snprintf(err, errlen, "expr: 1:%d: %s (valid: %s, pi, e; %s)", ee.column, ee.reason, vars, calls);
        return -1;
    }
    return 0;
}

void sched_expr_format(const Spec *s, int brief, char *buf, size_t len)
{
    (void)brief;
    snprintf(buf, len, ":%s", s->text.formula);
}

/* The loss and gradient norm at the current point; the loss before it; and the lr the last
 * update used, kept as a share of the base lr so that a live change of the lr scales it, as
 * it scales every other schedule's. */
static double expr_lr(const Spec *s, const SchedState *st, long t, double base)
{
    Expr scratch;
    const Expr *e = sched_program(s, &scratch);
    if (!e)
        return NAN;
    const double v[VAR_N] = {
        [VAR_T] = (double)t,           [VAR_LR0] = base,     [VAR_LR] = base * st->scale,
        [VAR_LOSS] = st->last_loss,    [VAR_PREV_LOSS] = st->prev_loss, [VAR_GNORM] = st->gnorm,
    };
    return expr_value(e, v, 0, 0);
}

static void expr_observe(const Spec *s, SchedState *st, double base, double loss, double grad_norm2)
{
    if (st->t > 0) {
        SchedState before = *st;
        before.t--;
        st->scale = expr_lr(s, &before, before.t, base) / base;
    }
    st->prev_loss = st->t > 0 ? st->last_loss : loss;
    st->last_loss = loss;
    st->gnorm = sqrt(grad_norm2);
}

static const SchedDef sched_rows[] = {
    { .kind = SPEC_KIND("constant", "the optimizer's lr throughout (after a warmup, if any)", constant_params),
      .lr = constant_lr, .tune = -1 },
    { .kind = SPEC_KIND("step", "lr * gamma every step_size steps", step_params), .lr = step_lr,
      .tune = STEP_GAMMA, .tune_kind = TUNE_ADD, .tune_step = 0.05 },
    { .kind = SPEC_KIND("multistep", "lr * gamma at each milestone", multistep_params), .check = multistep_check,
      .lr = multistep_lr,
      .tune = MULTI_GAMMA, .tune_kind = TUNE_ADD, .tune_step = 0.05 },
    { .kind = SPEC_KIND("exponential", "lr * gamma^t", exponential_params), .lr = exponential_lr,
      .tune = EXP_GAMMA, .tune_kind = TUNE_ADD, .tune_step = 0.005 },
    { .kind = SPEC_KIND("cosine", "cosine from lr down to eta_min over t_max steps", cosine_params),
      .lr = cosine_lr, .tune = COS_T_MAX, .tune_kind = TUNE_MUL, .tune_step = 1.25 },
    { .kind = SPEC_KIND("cosine_restarts", "cosine restarting after t_0, t_0*t_mult, ... steps",
                   restarts_params),
      .lr = restarts_lr, .tune = RESTART_T_0, .tune_kind = TUNE_MUL, .tune_step = 1.25 },
    { .kind = SPEC_KIND("linear", "factor from start_factor to end_factor over total_iters", linear_params),
      .lr = linear_lr, .tune = LINEAR_ITERS, .tune_kind = TUNE_MUL, .tune_step = 1.25 },
    { .kind = SPEC_KIND("polynomial", "lr * (1 - t/total_iters)^power", polynomial_params), .lr = polynomial_lr,
      .tune = POLY_POWER, .tune_kind = TUNE_ADD, .tune_step = 0.25 },
    { .kind = SPEC_KIND("onecycle", "warm up to max_lr (0: the optimizer's lr), then anneal far below; momentum cycles against it", onecycle_params),
      .check = onecycle_check, .lr = onecycle_lr, .momentum = onecycle_momentum, .warm_target = onecycle_warm_target,
      .tune = ONECYCLE_TOTAL, .tune_kind = TUNE_MUL, .tune_step = 1.25 },
    { .kind = SPEC_KIND("cyclic", "lr up and down, momentum against it; base_lr=0: the optimizer's lr, max_lr=0: 4 base_lr, step_size_down=0: step_size_up", cyclic_params),
      .lr = cyclic_lr, .momentum = cyclic_momentum, .tune = CYCLIC_UP, .tune_kind = TUNE_MUL, .tune_step = 1.25 },
    { .kind = SPEC_KIND("plateau", "lr * factor when the loss stops improving", plateau_params),
      .observe = plateau_observe, .lr = scaled_lr, .tune = PLATEAU_FACTOR, .tune_kind = TUNE_ADD, .tune_step = 0.05 },
    { .kind = SPEC_KIND("inverse_time", "lr / (1 + decay * t)", inverse_time_params), .lr = inverse_time_lr,
      .tune = INVTIME_DECAY, .tune_kind = TUNE_MUL, .tune_step = 1.25 },
    { .kind = SPEC_KIND0("inverse_sqrt", "lr / sqrt(1 + t)"), .lr = inverse_sqrt_lr, .tune = -1 },
    { .kind = SPEC_KIND("loss_scaled", "lr / (1 + beta * loss here)", beta_params), .observe = loss_observe,
      .lr = loss_scaled_lr, .tune = SCALED_BETA, .tune_kind = TUNE_MUL, .tune_step = 1.25 },
    { .kind = SPEC_KIND("grad_scaled", "lr / sqrt(1 + beta * sum of |g|^2)", beta_params),
      .observe = grad_observe, .lr = grad_scaled_lr, .tune = SCALED_BETA, .tune_kind = TUNE_MUL, .tune_step = 1.25 },
    { .kind = SPEC_KIND("bold_driver", "lr * increase after a better step, * decrease after a worse one",
                   bold_driver_params),
      .observe = bold_driver_observe, .lr = scaled_lr, .tune = BOLD_DECREASE, .tune_kind = TUNE_ADD, .tune_step = 0.05 },
    { .kind = { .name = "expr",
                .summary = "a formula of t, lr0, lr, loss, prev_loss, gnorm: expr:lr0*exp(-0.02*t) (README: Typed schedules)",
                .parse_text = sched_expr_parse, .format_text = sched_expr_format },
      .observe = expr_observe, .lr = expr_lr, .tune = -1 },
};

const SpecTable sched_table = {
    .first = &sched_rows[0].kind,
    .stride = sizeof sched_rows[0],
    .count = (int)(sizeof sched_rows / sizeof sched_rows[0]),
    .what = "schedule",
    .allow_label = 0,
};

const SchedDef *sched_def(int kind)
{
    return &sched_rows[kind];
}

int sched_check(const Spec *s, char *err, size_t errlen)
{
    const SchedDef *d = sched_def(s->kind);
    return d->check ? d->check(s, err, errlen) : 0;
}

int sched_parse(const char *text, Spec *out, char *err, size_t errlen)
{
    if (spec_parse(&sched_table, text, out, err, errlen) < 0)
        return -1;
    return sched_check(out, err, errlen);
}

static void observe(const Spec *s, SchedState *st, double base, double loss, double grad_norm2)
{
    const SchedDef *d = sched_def(s->kind);
    if (d->observe)
        d->observe(s, st, base, loss, grad_norm2);
}

void sched_start(const Spec *s, SchedState *st, double base, double loss, double grad_norm2)
{
    memset(st, 0, sizeof *st);
    st->scale = 1.0;
    st->best = INFINITY;
    observe(s, st, base, loss, grad_norm2);
}

void sched_carry(const Spec *s, SchedState *st, double base, double lr)
{
    if (sched_def(s->kind)->observe == expr_observe && base > 0 && isfinite(lr) && lr >= 0)
        st->scale = lr / base;
}

void sched_advance(const Spec *s, SchedState *st, double base, double loss, double grad_norm2)
{
    st->t++;
    observe(s, st, base, loss, grad_norm2);
}

/* Steps of warmup and its starting factor; 0 when the schedule has none. */
static long warmup_steps(const Spec *s, double *factor)
{
    const SpecKind *k = &sched_def(s->kind)->kind;
    const int w = k->nparams - 2;
    if (w < 0 || !(k->params[w].flags & PARAM_WARMUP))
        return 0;
    *factor = s->v[w + 1];
    return (long)s->v[w];
}

/* Under warmup=N, SequentialLR runs LinearLR for t < N, then the schedule from its own
 * step 0 (scheduler.step(0) at the milestone): the schedule lags N steps behind. */
double sched_lr(const Spec *s, const SchedState *st, double base)
{
    const SchedDef *d = sched_def(s->kind);
    double factor = 1;
    const long n = warmup_steps(s, &factor);
    if (st->t < n) {
        const double target = d->warm_target ? d->warm_target(s, base) : base;
        return target * (factor + (1.0 - factor) * (double)st->t / (double)n);
    }
    return d->lr(s, st, st->t - n, base);
}

int sched_lr_moves(const Spec *s)
{
    double factor;
    return sched_def(s->kind)->lr != constant_lr || warmup_steps(s, &factor) > 0;
}

double sched_momentum(const Spec *s, const SchedState *st)
{
    const SchedDef *d = sched_def(s->kind);
    if (!d->momentum)
        return NAN;
    double factor;
    const long n = warmup_steps(s, &factor);
    return d->momentum(s, st->t < n ? 0 : st->t - n);
}

int sched_cycle_param(const Spec *s)
{
    const SchedDef *d = sched_def(s->kind);
    return d->momentum ? spec_param_index(&d->kind, "cycle_momentum") : -1;
}

int sched_tune(Spec *s, int dir)
{
    const SchedDef *d = sched_def(s->kind);
    if (d->tune < 0)
        return -1;
    const ParamDef *p = &d->kind.params[d->tune];
    const double old = s->v[d->tune];
    double v = d->tune_kind == TUNE_MUL ? (dir > 0 ? old * d->tune_step : old / d->tune_step)
                                        : old + dir * d->tune_step;
    /* Nothing multiplies up from 0 (decay=0, beta=0): start again from the default. */
    if (d->tune_kind == TUNE_MUL && old == 0 && dir > 0)
        v = p->def > 0 ? p->def : d->tune_step - 1;
    if (p->type == PARAM_INT)
        v = dir > 0 ? fmax(ceil(v), old + 1) : fmin(floor(v), old - 1);
    /* Snap additive steps to the grid so repeated presses stay on round values. */
    if (d->tune_kind == TUNE_ADD)
        v = round(v / d->tune_step) * d->tune_step;
    v = fmax(p->lo, fmin(p->hi, v));
    char err[128];
    Spec tuned = *s;
    tuned.v[d->tune] = v;
    tuned.given |= 1u << d->tune;
    /* The same rules as on the command line: onecycle's phases must keep a step each. */
    if (v == old || spec_check_value(&d->kind, d->tune, v, err, sizeof err) < 0 ||
        sched_check(&tuned, err, sizeof err) < 0)
        return -1;
    *s = tuned;
    return 0;
}
