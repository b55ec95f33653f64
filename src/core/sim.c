/* The runs stepping side by side, with gradient noise and divergence detection. */
#include "sim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "func.h"

static const double TWO_PI = 6.28318530717958647692;

/* splitmix64: small, fast, and good enough to drive Box-Muller. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in (0, 1]: never 0, so the logarithm below is finite. */
static double rng_unit(uint64_t *s)
{
    return ((double)(rng_next(s) >> 11) + 1.0) * 0x1.0p-53;
}

static void rng_gauss2(uint64_t *s, double out[2])
{
    const double r = sqrt(-2.0 * log(rng_unit(s))), a = TWO_PI * rng_unit(s);
    out[0] = r * cos(a);
    out[1] = r * sin(a);
}

void sim_init(Sim *sim, const Spec *func, const double start[2], double noise, uint64_t seed)
{
    memset(sim, 0, sizeof *sim);
    sim->func = *func;
    sim->start[0] = start[0];
    sim->start[1] = start[1];
    sim->noise = noise;
    sim->seed = seed;
}

double sim_base_lr(const Run *r)
{
    return r->opt.v[OPTIM_LR];
}

/* The schedule's lr for the next update, the step size the optimizer makes of it, and the
 * momentum a cycling schedule sets. */
static void refresh_lr(Run *r)
{
    r->group_lr = sched_lr(&r->sched, &r->sst, sim_base_lr(r));
    r->momentum = sched_momentum(&r->sched, &r->sst);
    r->lr = optim_step_lr(&r->opt, &r->ost, r->group_lr);
    if (r->step == 0)
        r->lr_used = r->lr;
}

void sim_refresh_lr(Run *r)
{
    refresh_lr(r);
    r->lr_still = !sim_lr_moves(r);
}

double sim_step_length(const Run *r)
{
    return hypot(r->moved[0], r->moved[1]);
}

int sim_batched(const Sim *sim, const Run *r)
{
    return r->opt.batch > 0 && sim->func.data && func_data_loss(&sim->func) != DATA_NONE;
}

/* The rows of the run's next batch; 0 when it takes all of them. */
static long batch_rows(const Sim *sim, const Run *r, const uint32_t **rows)
{
    if (!sim_batched(sim, r))
        return 0;
    return data_batch(sim->func.data, sim->seed, r->epoch, r->batch, r->opt.batch, rows);
}

/* The loss the optimizer sees at p: its batch's, as a torch closure over the batch returns. */
static double step_loss(const Sim *sim, const Run *r, const double p[2])
{
    const uint32_t *rows;
    const long m = batch_rows(sim, r, &rows);
    if (m == 0)
        return func_value(&sim->func, p[0], p[1]);
    return data_value(sim->func.data, func_data_loss(&sim->func), p[0], p[1], rows, m);
}

static void add_noise(const Sim *sim, Run *r, double g[2])
{
    if (sim->noise > 0) {
        double n[2];
        rng_gauss2(&r->rng, n);
        g[0] += sim->noise * n[0];
        g[1] += sim->noise * n[1];
    }
}

/* The gradient at p (its batch's mean), noise included: every gradient a run sees draws
 * from its stream. */
static void noisy_grad(const Sim *sim, Run *r, const double p[2], double g[2])
{
    const uint32_t *rows;
    const long m = batch_rows(sim, r, &rows);
    if (m > 0)
        data_grad(sim->func.data, func_data_loss(&sim->func), p[0], p[1], rows, m, g);
    else
        func_grad(&sim->func, p[0], p[1], g);
    add_noise(sim, r, g);
}

/* Whether the optimizer takes the whole function's gradient at x itself (most rules, not
 * schedule-free's y nor a minibatch): then one pass of a formula gives loss and gradient. */
static int sampled_at(const Sim *sim, const Run *r, const double x[2])
{
    double p[2];
    optim_probe(&r->opt, &r->ost, x, p);
    return !sim_batched(sim, r) && memcmp(p, x, sizeof p) == 0;
}

/* The loss and gradient at x, found together, taken as the run's own (noise added). */
static void take_sample(const Sim *sim, Run *r, double loss, const double g[2])
{
    r->loss = r->batch_loss = loss;
    r->g[0] = g[0], r->g[1] = g[1];
    add_noise(sim, r, r->g);
}

/* Evaluates the loss at the run's point and the (noisy) gradient where the optimizer
 * takes it (the point itself, or schedule-free's y). */
static void sample_point(const Sim *sim, Run *r)
{
    const double x[2] = { r->x, r->y };
    if (sampled_at(sim, r, x)) {
        double g[2];
        const double loss = func_value_grad(&sim->func, x[0], x[1], g);
        take_sample(sim, r, loss, g);
        return;
    }
    double p[2];
    optim_probe(&r->opt, &r->ost, x, p);
    r->loss = func_value(&sim->func, r->x, r->y);
    r->batch_loss = sim_batched(sim, r) ? step_loss(sim, r, x) : r->loss;
    noisy_grad(sim, r, p, r->g);
}

typedef struct {
    const Sim *sim;
    Run *run;
} EvalContext;

static double eval_at(const OptimEval *e, const double p[2], double g[2])
{
    const EvalContext *c = e->ctx;
    noisy_grad(c->sim, c->run, p, g);
    return step_loss(c->sim, c->run, p);
}

/* The Hessian of the loss the gradient comes from: a minibatched run's, over its batch. */
static void hessian_at(const OptimEval *e, const double p[2], double h[3])
{
    const EvalContext *c = e->ctx;
    const uint32_t *rows;
    const long m = batch_rows(c->sim, c->run, &rows);
    if (m > 0)
        data_hessian(c->sim->func.data, func_data_loss(&c->sim->func), p[0], p[1], rows, m, h);
    else
        func_hessian(&c->sim->func, p[0], p[1], h);
}

static double norm2(const double g[2])
{
    return g[0] * g[0] + g[1] * g[1];
}

void sim_restart_run(Sim *sim, int i)
{
    Run *r = &sim->runs[i];
    r->x = sim->start[0];
    r->y = sim->start[1];
    r->step = 0;
    r->epoch = 0;
    r->batch = 0;
    r->moved[0] = r->moved[1] = 0;
    r->diverged = 0;
    /* Each run draws its own noise stream, so adding a run leaves the others as they were. */
    r->rng = sim->seed * 0x2545f4914f6cdd1dull + (uint64_t)(i + 1) * 0x9e3779b97f4a7c15ull;
    optim_init(&r->opt, &r->ost);
    sample_point(sim, r);
    sched_start(&r->sched, &r->sst, sim_base_lr(r), r->batch_loss, norm2(r->g));
    sim_refresh_lr(r);
}

void sim_restart(Sim *sim)
{
    for (int i = 0; i < sim->nruns; i++)
        sim_restart_run(sim, i);
}

int sim_lr_moves(const Run *r)
{
    return sched_lr_moves(&r->sched) || optim_def(r->opt.kind)->step_lr;
}

static void fill_label(const Run *r, unsigned widest, char *buf, size_t len)
{
    const LabelValues v = { .opt = &r->opt, .sched = &r->sched, .lr = r->lr, .momentum = r->momentum };
    label_fill(r->opt.label[0] ? r->opt.label : "{optimizer}", &v, widest, buf, len);
    const size_t used = strlen(buf);
    if (r->twin && used < len)
        snprintf(buf + used, len - used, "-%d", r->twin);
}

void sim_label(const Run *r, char *buf, size_t len)
{
    fill_label(r, 0, buf, len);
}

void sim_label_widest(const Run *r, char *buf, size_t len)
{
    fill_label(r, (sim_lr_moves(r) ? LABEL_WIDEST_LR : 0) | (!isnan(r->momentum) ? LABEL_WIDEST_MOMENTUM : 0), buf, len);
}

/* A label that reads like another run's gets the first free -2, -3, ...; the run's name
 * for the trace is then what its label reads. */
static void name_run(const Sim *sim, Run *r)
{
    char other[LABEL_TEXT_MAX];
    for (r->twin = 0;; r->twin = r->twin ? r->twin + 1 : 2) {
        sim_label(r, r->name, sizeof r->name);
        int clash = 0;
        for (int j = 0; j < sim->nruns && !clash; j++) {
            if (&sim->runs[j] == r)
                continue;
            sim_label(&sim->runs[j], other, sizeof other);
            clash = strcmp(other, r->name) == 0;
        }
        if (!clash)
            return;
    }
}

/* torch's OneCycleLR and CyclicLR refuse cycle_momentum=True for an optimizer with
 * neither momentum nor betas; returns the index of that flag when it is so set, else -1. */
static int cycling_without_momentum(const Spec *opt, const Spec *sched)
{
    const int c = sched_cycle_param(sched);
    return c >= 0 && sched->v[c] != 0 && optim_def(opt->kind)->momentum < 0 ? c : -1;
}

/* Where the window pairs a schedule and an optimizer (the D and O keys) the cycling that
 * torch would refuse is turned off, in the spec, where the legend shows it. */
static void fit_cycling(Run *r)
{
    const int c = cycling_without_momentum(&r->opt, &r->sched);
    if (c < 0)
        return;
    r->sched.v[c] = 0;
    r->sched.given |= 1u << c;
}

int sim_add_run(Sim *sim, const Spec *opt, const Spec *sched, char *err, size_t errlen)
{
    if (sim->nruns == SIM_MAX_RUNS) {
        snprintf(err, errlen, "too many runs: at most %d optimizers side by side", SIM_MAX_RUNS);
        return -1;
    }
    if (cycling_without_momentum(opt, sched) >= 0) {
        snprintf(err, errlen, "%s: cycle_momentum=1 needs momentum or beta1, which %s has not (add cycle_momentum=0)",
                 spec_kind(&sched_table, sched->kind)->name, spec_kind(&optim_table, opt->kind)->name);
        return -1;
    }
    Run *r = &sim->runs[sim->nruns];
    memset(r, 0, sizeof *r);
    r->opt = *opt;
    r->sched = *sched;
    r->id = ++sim->last_id;
    sim->nruns++;
    sim_restart_run(sim, sim->nruns - 1);
    name_run(sim, r);
    return 0;
}

static int escaped(double x, double y, double loss)
{
    return !isfinite(x) || !isfinite(y) || !isfinite(loss) || fabs(x) > SIM_LIMIT || fabs(y) > SIM_LIMIT;
}

/* Whether the schedule's lr for the next update is one no update can take (a typed formula
 * may give any number), while the gradient is fine: the schedule's fault, not the run's. */
static int schedule_failed(const Run *r)
{
    return !(isfinite(r->group_lr) && r->group_lr >= 0) && isfinite(r->g[0]) && isfinite(r->g[1]);
}

/* One update; returns 1 when it diverged (the run keeps its last good point). An update
 * that cannot start (a schedule's lr negative or non-finite, or the gradient non-finite at
 * the point reached) fails like one that flies off: either way the update numbered
 * step + 1 is the one that diverged. */
static int step_run(const Sim *sim, Run *r)
{
    if (!(isfinite(r->group_lr) && r->group_lr >= 0) || !isfinite(r->lr) || !isfinite(r->g[0]) || !isfinite(r->g[1])) {
        r->diverged = 1;
        return 1;
    }
    EvalContext ctx = { sim, r };
    OptimEval e = { .loss = r->batch_loss, .g = { r->g[0], r->g[1] }, .eval = eval_at, .hessian = hessian_at, .ctx = &ctx };
    double p[2] = { r->x, r->y };
    const double lr = r->lr;
    if (optim_step(&r->opt, &r->ost, r->group_lr, r->momentum, p, &e) < 0) {
        r->diverged = 1;
        return 1;
    }
    /* The loss at the point reached tells whether it escaped; where the gradient comes with
     * it in the same pass, it is the run's next sample. */
    const int together = sampled_at(sim, r, p);
    double g[2];
    const double loss = together ? func_value_grad(&sim->func, p[0], p[1], g) : func_value(&sim->func, p[0], p[1]);
    if (escaped(p[0], p[1], loss)) {
        r->diverged = 1;
        return 1;
    }
    r->moved[0] = p[0] - r->x;
    r->moved[1] = p[1] - r->y;
    r->x = p[0];
    r->y = p[1];
    r->step++;
    r->lr_used = lr;
    if (sim_batched(sim, r) && ++r->batch == data_batches(sim->func.data, r->opt.batch))
        r->epoch++, r->batch = 0;
    if (together)
        take_sample(sim, r, loss, g);
    else
        sample_point(sim, r);
    sched_advance(&r->sched, &r->sst, sim_base_lr(r), r->batch_loss, norm2(r->g)); /* the loss the gradient came from */
    if (!r->lr_still)
        refresh_lr(r);
    return 0;
}

int sim_next(const Sim *sim, const Run *r, Run *next)
{
    *next = *r;
    return next->diverged || step_run(sim, next) ? -1 : 0;
}

unsigned sim_step(Sim *sim)
{
    unsigned diverged = 0;
    for (int i = 0; i < sim->nruns; i++) {
        Run *r = &sim->runs[i];
        if (!r->diverged && step_run(sim, r))
            diverged |= 1u << i;
    }
    return diverged;
}

int sim_live_runs(const Sim *sim)
{
    int n = 0;
    for (int i = 0; i < sim->nruns; i++)
        n += !sim->runs[i].diverged;
    return n;
}

void sim_scale_lr(Run *r, double factor)
{
    const double lr = r->opt.v[OPTIM_LR] * factor;
    const ParamDef *p = &spec_kind(&optim_table, r->opt.kind)->params[OPTIM_LR];
    if (lr > p->lo && lr <= p->hi)
        r->opt.v[OPTIM_LR] = lr;
    sim_refresh_lr(r);
}

int sim_set_hyper(Run *r, int param, double value, char *err, size_t errlen)
{
    const SpecKind *k = spec_kind(&optim_table, r->opt.kind);
    if (spec_check_value(k, param, value, err, errlen) < 0)
        return -1;
    Spec next = r->opt;
    next.v[param] = value;
    next.given |= 1u << param;
    if (optim_check(&next, err, errlen) < 0)
        return -1;
    r->opt = next;
    sim_refresh_lr(r);
    return 0;
}

void sim_set_schedule(Sim *sim, int i, const Spec *sched)
{
    Run *r = &sim->runs[i];
    r->sched = *sched;
    fit_cycling(r);
    const double lr = r->group_lr;
    sched_start(&r->sched, &r->sst, sim_base_lr(r), r->batch_loss, norm2(r->g));
    if (r->step > 0)
        sched_carry(&r->sched, &r->sst, sim_base_lr(r), lr);
    sim_refresh_lr(r);
}

void sim_set_function(Sim *sim, const Spec *func)
{
    sim->func = *func;
    for (int i = 0; i < sim->nruns; i++)
        if (!sim->runs[i].diverged)
            sample_point(sim, &sim->runs[i]);
}

void sim_sample_run(Sim *sim, int i)
{
    sample_point(sim, &sim->runs[i]);
}

void sim_replace_optimizer(Sim *sim, int i, const Spec *opt)
{
    Run *r = &sim->runs[i];
    /* A run keeps the name it was added with while its label says the same; one that is
     * the optimizer's name follows it. */
    const int renamed = !opt->label[0] || strcmp(opt->label, r->opt.label) != 0;
    r->opt = *opt;
    optim_init(&r->opt, &r->ost);
    fit_cycling(r);
    sample_point(sim, r); /* the gradient where the new rule takes it */
    sim_refresh_lr(r);
    if (renamed)
        name_run(sim, r);
}

void sim_set_optimizer(Sim *sim, int i, const Spec *opt)
{
    const Run *r = &sim->runs[i];
    Spec next = *opt;
    memcpy(next.label, r->opt.label, sizeof next.label);
    next.batch = r->opt.batch; /* the data's batches go on under the new rule */
    next.v[OPTIM_LR] = sim_base_lr(r);
    sim_replace_optimizer(sim, i, &next);
}

void sim_set_label(Sim *sim, int i, const char *label)
{
    Run *r = &sim->runs[i];
    snprintf(r->opt.label, sizeof r->opt.label, "%s", label);
    name_run(sim, r);
}

void sim_halt_text(const Run *r, char *buf, size_t len)
{
    if (r->ost.halt)
        snprintf(buf, len, "%s", r->ost.halt);
    else if (r->diverged && schedule_failed(r))
        snprintf(buf, len, "the schedule gave lr %.6g", r->group_lr);
    else if (len > 0)
        buf[0] = '\0';
}

void sim_stop_text(const Run *r, char *buf, size_t len)
{
    char label[LABEL_TEXT_MAX], why[64];
    sim_label(r, label, sizeof label);
    sim_halt_text(r, why, sizeof why);
    if (why[0])
        snprintf(buf, len, "%s stopped at step %ld: %s", label, r->step + 1, why);
    else
        snprintf(buf, len, "%s diverged at step %ld", label, r->step + 1);
}

void sim_trace_header(FILE *out, const Sim *sim)
{
    /* The columns keep their names for every function; a loss over data says what they are. */
    if (func_data_loss(&sim->func) != DATA_NONE && sim->func.data)
        fprintf(out, "# x is w and y is b: %s over %s\n", spec_kind(&func_table, sim->func.kind)->name,
                sim->func.data->path);
    fputs("run,step,x,y,loss,lr\n", out);
}

void sim_trace_row(FILE *out, const Run *r)
{
    fprintf(out, "%s,%ld,%.17g,%.17g,%.17g,%.17g\n", r->name, r->step, r->x, r->y, r->loss, r->lr_used);
}
