/* What the keys change in the selected run (lr, momentum, decay, schedule, optimizer, the
 * optimal settings, an lr sweep), each saying in the message what it did. */
#include "intern.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/curvature.h"
#include "../core/label.h"
#include "../core/optim.h"
#include "../core/sched.h"

/* An lr in a message, to three significant digits shown even when zero ("0.0100"), as a
 * lecture compares one with the next. */
static const char *lr_text(char *buf, size_t len, double v)
{
    snprintf(buf, len, v >= 1e-4 && v < 100 ? "%#.3g" : "%.3g", v);
    return buf;
}

/* The message names the optimizer's lr, as PyTorch's param_group holds it, and also the lr
 * the next update uses when a schedule makes it another. */
void tune_lr(Session *ses, Run *r, double factor)
{
    const double before = sim_base_lr(r), used_before = r->lr;
    sim_scale_lr(r, factor);
    const char *sched = sched_def(r->sched.kind)->kind.name;
    char a[32], b[32], u[32];
    lr_text(a, sizeof a, before);
    lr_text(b, sizeof b, sim_base_lr(r));
    lr_text(u, sizeof u, r->lr);
    if (sim_base_lr(r) == before)
        session_message(ses, "%s: lr stays %s (limit)", session_run_label(r), a);
    else if (r->lr == used_before)
        session_message(ses, "%s: lr %s \xe2\x86\x92 %s, but %s sets the lr used (%s)", session_run_label(r), a, b, sched, u);
    else if (r->lr != sim_base_lr(r))
        session_message(ses, "%s: lr %s \xe2\x86\x92 %s (after %s: %s)", session_run_label(r), a, b, sched, u);
    else
        session_message(ses, "%s: lr %s \xe2\x86\x92 %s", session_run_label(r), a, b);
}

void tune_all_lr(Session *ses, double factor)
{
    for (int i = 0; i < ses->sim.nruns; i++)
        sim_scale_lr(&ses->sim.runs[i], factor);
    session_message(ses, "every run: lr \xc3\x97 %.2f", factor);
}

void tune_momentum(Session *ses, Run *r, double delta)
{
    const int p = optim_def(r->opt.kind)->momentum;
    const SpecKind *k = spec_kind(&optim_table, r->opt.kind);
    if (p < 0) {
        session_message(ses, "%s: %s has no momentum", session_run_label(r), k->name);
        return;
    }
    const double before = r->opt.v[p];
    const double v = fmin(SESSION_MOMENTUM_MAX, fmax(0, round((before + delta) / SESSION_MOMENTUM_STEP) * SESSION_MOMENTUM_STEP));
    const double next = delta > 0 && v <= before ? SESSION_MOMENTUM_MAX : v;
    /* Values are printed exactly (0.9999, not 1), and a key never moves one the wrong way:
     * M on a momentum set above the keys' limit on the command line leaves it there. */
    char err[160], a[40], b[40];
    spec_format_number(a, sizeof a, before);
    spec_format_number(b, sizeof b, next);
    if (next == before || (delta > 0) != (next > before))
        session_message(ses, "%s: %s stays %s (limit)", session_run_label(r), k->params[p].name, a);
    else if (sim_set_hyper(r, p, next, err, sizeof err) < 0)
        session_message(ses, "%s", err);
    else
        session_message(ses, "%s: %s %s \xe2\x86\x92 %s", session_run_label(r), k->params[p].name, a, b);
}

void tune_decay(Session *ses, Run *r, int dir)
{
    const SchedDef *d = sched_def(r->sched.kind);
    if (d->tune < 0) {
        session_message(ses, "%s: %s schedule has no decay (D changes the schedule)", session_run_label(r), d->kind.name);
        return;
    }
    const char *name = d->kind.params[d->tune].name;
    const double before = r->sched.v[d->tune];
    if (sched_tune(&r->sched, dir) < 0) {
        session_message(ses, "%s: %s stays %.4g (limit)", session_run_label(r), name, before);
        return;
    }
    sim_refresh_lr(r);
    session_message(ses, "%s: %s %.4g \xe2\x86\x92 %.4g", session_run_label(r), name, before, r->sched.v[d->tune]);
}

/* Cycles through the schedules that need no list (multistep wants its milestones) nor
 * text (expr wants a formula: Shift+D types one). */
void tune_next_schedule(Session *ses, int i)
{
    Run *r = &ses->sim.runs[i];
    int k = r->sched.kind;
    do {
        k = (k + 1) % sched_table.count;
    } while ((sched_def(k)->kind.nparams && sched_def(k)->kind.params[0].type == PARAM_LIST) ||
             sched_def(k)->kind.parse_text);
    Spec s;
    spec_defaults(&sched_table, k, &s);
    sim_set_schedule(&ses->sim, i, &s);
    session_message(ses, "%s: schedule %s", session_run_label(r), sched_def(k)->kind.name);
}

void tune_next_optimizer(Session *ses, int i)
{
    Run *r = &ses->sim.runs[i];
    const char *before = spec_kind(&optim_table, r->opt.kind)->name;
    const int labelled = r->opt.label[0] != 0; /* else the label follows the optimizer */
    Spec s;
    spec_defaults(&optim_table, (r->opt.kind + 1) % optim_table.count, &s);
    sim_set_optimizer(&ses->sim, i, &s);
    const char *after = spec_kind(&optim_table, s.kind)->name;
    if (labelled)
        session_message(ses, "%s: optimizer %s \xe2\x86\x92 %s", session_run_label(r), before, after);
    else
        session_message(ses, "run %d: optimizer %s \xe2\x86\x92 %s", i + 1, before, after);
}

/* The selected sgd run to the best constant settings of the quadratic on screen: 2/(L+μ)
 * without momentum, heavy ball's pair with it. */
void tune_optimal(Session *ses, Run *r)
{
    CurvTheory t;
    const SpecKind *k = spec_kind(&optim_table, r->opt.kind);
    const int m = spec_param_index(k, "momentum");
    char err[160], lr[32];
    if (!curv_theory(&ses->sim.func, ses->home, ses->sim.start, &t)) {
        session_message(ses, "%s: optimal settings are known where the Hessian is constant (a quadratic), not on %s",
                        session_run_label(r), spec_kind(&func_table, ses->sim.func.kind)->name);
        return;
    }
    if (strcmp(k->name, "sgd") != 0 || m < 0) {
        session_message(ses, "%s: optimal settings are known for sgd (with or without momentum), not %s", session_run_label(r),
                        k->name);
        return;
    }
    const int heavy = r->opt.v[m] > 0;
    if ((heavy && sim_set_hyper(r, m, t.heavy_ball_momentum, err, sizeof err) < 0) ||
        sim_set_hyper(r, OPTIM_LR, heavy ? t.heavy_ball_lr : t.lr_best, err, sizeof err) < 0) {
        session_message(ses, "%s", err);
        return;
    }
    lr_text(lr, sizeof lr, sim_base_lr(r));
    if (heavy)
        session_message(ses, "%s: lr %s, momentum %.3f: heavy ball's optimum for \xce\xba = %.3g, error \xc3\x97 %.3f a step",
                        session_run_label(r), lr, t.heavy_ball_momentum, t.kappa, t.heavy_ball_rate);
    else
        session_message(ses, "%s: lr %s = 2/(L+\xce\xbc), the best constant step for \xce\xba = %.3g: error \xc3\x97 %.3f a step",
                        session_run_label(r), lr, t.kappa, t.rate_best);
}

/* The lr range test as paths: the selected run in SESSION_SWEEP_RUNS copies, lr times
 * SESSION_SWEEP_FACTOR^k for k around 0, each labelled by its lr (its own label when that
 * shows the lr, else `lr {lr}`), all from the start. */
void tune_sweep(Session *ses, int i)
{
    const Run base = ses->sim.runs[i];
    const double lr = sim_base_lr(&base);
    const ParamDef *p = &spec_kind(&optim_table, base.opt.kind)->params[OPTIM_LR];
    Sim *sim = &ses->sim;
    sim->nruns = 0;
    for (int k = 0; k < SESSION_SWEEP_RUNS; k++) {
        Spec opt = base.opt;
        opt.v[OPTIM_LR] = fmin(p->hi, lr * pow(SESSION_SWEEP_FACTOR, k - SESSION_SWEEP_RUNS / 2));
        opt.given |= 1u << OPTIM_LR;
        if (!label_has_field(opt.label, "lr")) /* a label that shows the lr tells them apart */
            snprintf(opt.label, sizeof opt.label, "lr {lr}");
        char err[160];
        if (sim_add_run(sim, &opt, &base.sched, err, sizeof err) < 0)
            break;
    }
    session_restart(ses);
    ses->selected = SESSION_SWEEP_RUNS / 2;
    session_message(ses, "%s: %d runs, lr \xc3\x97 %g\xe2\x81\xbb\xc2\xb3 to \xc3\x97 %g\xc2\xb3 (the lr range test as paths)",
                    spec_kind(&optim_table, base.opt.kind)->name, sim->nruns, SESSION_SWEEP_FACTOR, SESSION_SWEEP_FACTOR);
}
