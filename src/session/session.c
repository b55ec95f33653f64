/* The live session and every action that changes it (see ses.h). */
#include "session.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../core/curvature.h"
#include "../core/func.h"
#include "../core/optim.h"
#include "../core/sched.h"
#include "../core/utf8.h"

#define SPEED_MIN 0.5
#define SPEED_MAX 5000
#define ZOOM_STEP 1.2
/* How far the kept path may stray from the points it stands for, as a fraction of the home
 * view's width: 0.064 pixel on a map 1280 pixels wide. */
#define TRAIL_TOLERANCE 5e-5

static const char *run_name(const Run *r)
{
    return r->label;
}

void session_message(Session *ses, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const int n = vsnprintf(ses->message, sizeof ses->message, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof ses->message) /* cut short: not inside a character */
        ses->message[utf8_cut(ses->message, sizeof ses->message - 1)] = '\0';
    ses->message_serial++;
}

/* The history's entry for the run's current point: loss, lr, and the curvature there. */
static void push_history(Session *ses, int i, double lr)
{
    const Run *r = &ses->sim.runs[i];
    const History *h = &ses->hist[i];
    history_push(&ses->hist[i], r->step, r->loss, lr);
    if (h->n == 0 || h->step[h->n - 1] != r->step)
        return; /* not kept: no Hessian needed */
    CurvEigen e;
    curv_eigen_at(&ses->sim.func, r->x, r->y, &e);
    history_set_curvature(&ses->hist[i], r->step, e.lmax, curv_grad_norm(&ses->sim.func, r->x, r->y));
}

static void reset_trail(Session *ses, int i)
{
    const Run *r = &ses->sim.runs[i];
    trail_reset(&ses->trails[i], TRAIL_TOLERANCE * (ses->home[1] - ses->home[0]), r->x, r->y);
    history_reset(&ses->hist[i]);
    push_history(ses, i, r->lr);
}

/* The past starts over from the state as it is now, step 0. */
static void start_timeline(Session *ses)
{
    ses->tick = 0;
    timeline_reset(&ses->timeline, &ses->sim, ses->trails, ses->hist);
}

static void restart_all(Session *ses)
{
    sim_restart(&ses->sim);
    for (int i = 0; i < ses->sim.nruns; i++)
        reset_trail(ses, i);
    start_timeline(ses);
}

int session_init(Session *ses, const Config *c, double px, double py, double pw, double ph, char *err, size_t errlen)
{
    memset(ses, 0, sizeof *ses);
    if (config_make_sim(c, &ses->sim, err, errlen) < 0)
        return -1;
    memcpy(ses->home, c->view, sizeof ses->home);
    view_fit(&ses->view, ses->home, px, py, pw, ph);
    ses->fit_pending = 1; /* the layout's first map box fits the home view too */
    ses->scene_func = ses->sim.func;
    memcpy(ses->scene_start, ses->sim.start, sizeof ses->scene_start);
    memcpy(ses->scene_home, ses->home, sizeof ses->scene_home);
    ses->speed = c->speed;
    ses->shown = c->shown;
    ses->legend = c->legend;
    ses->theme = c->theme;
    ses->shot_scale = c->scale;
    memcpy(ses->title, c->title, sizeof ses->title);
    ses->typed = ses->sim.func;
    ses->has_typed = func_is_expr(&ses->sim.func);
    ses->nfound = func_minima_found(&ses->sim.func, ses->home, ses->found);
    memcpy(ses->caption, c->caption, sizeof ses->caption);
    memcpy(ses->note, c->note, sizeof ses->note);
    ses->deck_at = c->deck_at;
    ses->deck_count = c->deck_count;
    for (int i = 0; i < ses->sim.nruns; i++)
        reset_trail(ses, i);
    start_timeline(ses);
    return 0;
}

Action session_map_box(double x, double y, double w, double h)
{
    return (Action){ .kind = ACTION_MAP_BOX, .x = x, .y = y, .w = w, .h = h };
}

static int scene_on_screen(const Session *ses)
{
    return memcmp(&ses->sim.func, &ses->scene_func, sizeof ses->scene_func) == 0;
}

const char *session_title(const Session *ses)
{
    return scene_on_screen(ses) ? ses->title : "";
}

const char *session_caption(const Session *ses)
{
    return scene_on_screen(ses) ? ses->caption : "";
}

/* The help opened: the scene's notes for the lecturer, on one line. */
static void show_note(Session *ses)
{
    char line[CONFIG_NOTE_MAX];
    snprintf(line, sizeof line, "%s", ses->note);
    for (char *p = line; *p; p++)
        *p = *p == '\n' && p[1] ? ';' : *p;
    line[strcspn(line, "\n")] = '\0';
    if (line[0])
        session_message(ses, "note: %s", line);
}

long session_last_step(const Session *ses)
{
    long step = 0;
    for (int i = 0; i < ses->sim.nruns; i++)
        step = ses->sim.runs[i].step > step ? ses->sim.runs[i].step : step;
    return step;
}

/* Whether a world point shows on the map. */
static int in_view(const View *v, double x, double y)
{
    return x >= v->x0 && x <= v->x1 && y >= v->y0 && y <= v->y1;
}

/* The home box, grown to take in the start and every live run's point. */
static void fit_all(Session *ses, double px, double py, double pw, double ph)
{
    double box[4];
    memcpy(box, ses->home, sizeof box);
    for (int i = -1; i < ses->sim.nruns; i++) {
        const Run *r = i >= 0 ? &ses->sim.runs[i] : NULL;
        if (r && (r->diverged || r->hidden))
            continue;
        const double x = r ? r->x : ses->sim.start[0], y = r ? r->y : ses->sim.start[1];
        box[0] = fmin(box[0], x), box[1] = fmax(box[1], x);
        box[2] = fmin(box[2], y), box[3] = fmax(box[3], y);
    }
    /* A point on the box's edge would sit on the map's border: a little room around it. */
    const double mx = 0.04 * (box[1] - box[0]), my = 0.04 * (box[3] - box[2]);
    box[0] -= box[0] < ses->home[0] ? mx : 0;
    box[1] += box[1] > ses->home[1] ? mx : 0;
    box[2] -= box[2] < ses->home[2] ? my : 0;
    box[3] += box[3] > ses->home[3] ? my : 0;
    if (!view_box_ok(box))
        memcpy(box, ses->home, sizeof box);
    view_fit(&ses->view, box, px, py, pw, ph);
}

/* The home view: the home box, grown where needed so the start sits a little inside it
 * rather than on the map's border, as scenes tend to start at their box's edge. */
static void fit_home(Session *ses, double px, double py, double pw, double ph)
{
    double box[4];
    memcpy(box, ses->home, sizeof box);
    const double mx = 0.03 * (box[1] - box[0]), my = 0.03 * (box[3] - box[2]);
    const double x = ses->sim.start[0], y = ses->sim.start[1];
    box[0] = fmin(box[0], x - mx), box[1] = fmax(box[1], x + mx);
    box[2] = fmin(box[2], y - my), box[3] = fmax(box[3], y + my);
    view_fit(&ses->view, view_box_ok(box) ? box : ses->home, px, py, pw, ph);
}

/* The layout moved the map: keep centre and scale, unless that loses the start or a run's
 * point that was in sight, or a fit was asked for (a new function). */
static void set_map_box(Session *ses, double px, double py, double pw, double ph)
{
    if (!(pw >= 1 && ph >= 1 && isfinite(px) && isfinite(py) && pw < 1e6 && ph < 1e6))
        return;
    if (ses->fit_pending) {
        ses->fit_pending = 0;
        fit_home(ses, px, py, pw, ph);
        return;
    }
    const View before = ses->view;
    view_resize(&ses->view, px, py, pw, ph);
    int lost = !in_view(&ses->view, ses->sim.start[0], ses->sim.start[1]) &&
               in_view(&before, ses->sim.start[0], ses->sim.start[1]);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const Run *r = &ses->sim.runs[i];
        lost |= !r->diverged && !r->hidden && !in_view(&ses->view, r->x, r->y) && in_view(&before, r->x, r->y);
    }
    const double box[4] = { ses->view.x0, ses->view.x1, ses->view.y0, ses->view.y1 };
    if (lost || !view_box_ok(box))
        fit_all(ses, px, py, pw, ph);
}

/* A recorded state of the runs; whether a run is hidden is how it is shown, not its past. */
static void restore_sim(Session *ses, const Sim *sim)
{
    int hidden[SIM_MAX_RUNS];
    for (int i = 0; i < ses->sim.nruns; i++)
        hidden[i] = ses->sim.runs[i].hidden;
    ses->sim = *sim;
    for (int i = 0; i < ses->sim.nruns; i++)
        ses->sim.runs[i].hidden = hidden[i];
}

/* One step; a replay tells no divergence, as it was told when it happened. Stepping
 * through a step where a live change was made takes that change again. */
static unsigned advance(Session *ses, int quiet)
{
    const unsigned diverged = sim_step(&ses->sim);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const Run *r = &ses->sim.runs[i];
        if (diverged & (1u << i)) {
            char why[SESSION_MESSAGE_MAX];
            sim_stop_text(r, why, sizeof why);
            if (!quiet)
                session_message(ses, "%s", why);
            continue;
        }
        if (r->diverged)
            continue;
        trail_push(&ses->trails[i], r->x, r->y);
        push_history(ses, i, r->lr_used);
    }
    ses->tick++;
    const Checkpoint *change = timeline_change_at(&ses->timeline, ses->tick);
    if (change)
        restore_sim(ses, &change->sim);
    timeline_stepped(&ses->timeline, ses->tick, &ses->sim, ses->trails, ses->hist);
    return diverged;
}

unsigned session_step(Session *ses)
{
    const unsigned diverged = advance(ses, 0);
    if (ses->stop_at > 0 && ses->tick == ses->stop_at && !ses->paused) {
        ses->paused = 1;
        session_message(ses, "step %ld: the scene stops here (Space goes on)", ses->tick);
    }
    return diverged;
}

int session_go_to(Session *ses, long tick)
{
    const Checkpoint *cp = tick >= 0 && tick <= ses->timeline.head ? timeline_before(&ses->timeline, tick) : NULL;
    if (!cp)
        return -1;
    restore_sim(ses, &cp->sim);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const Run *r = &ses->sim.runs[i];
        /* The trail thinned since: it starts again from here rather than show a later path. */
        if (trail_rewind(&ses->trails[i], &cp->trail[i]) < 0)
            trail_reset(&ses->trails[i], ses->trails[i].tol, r->x, r->y);
        history_rewind(&ses->hist[i], &cp->hist[i], cp->tick);
    }
    ses->tick = cp->tick;
    while (ses->tick < tick)
        advance(ses, 1);
    return 0;
}

static void step_back(Session *ses)
{
    ses->paused = 1;
    if (ses->tick == 0 || session_go_to(ses, ses->tick - 1) < 0)
        session_message(ses, "step %ld: nothing recorded before it", ses->tick);
    else
        session_message(ses, "back to step %ld", ses->tick);
}

/* A live change: what was recorded after this step no longer follows from it. */
static void note_change(Session *ses)
{
    timeline_changed(&ses->timeline, ses->tick, &ses->sim, ses->trails, ses->hist);
}

static Run *selected(Session *ses)
{
    return ses->sim.nruns ? &ses->sim.runs[ses->selected] : NULL;
}

/* An lr in a message, to three significant digits shown even when zero ("0.0100"), as a
 * lecture compares one with the next. */
static const char *lr_text(char *buf, size_t len, double v)
{
    snprintf(buf, len, v >= 1e-4 && v < 100 ? "%#.3g" : "%.3g", v);
    return buf;
}

/* The message names the optimizer's lr, as PyTorch's param_group holds it, and also the lr
 * the next update uses when a schedule makes it another. */
static void change_lr(Session *ses, Run *r, double factor)
{
    const double before = sim_base_lr(r), used_before = r->lr;
    sim_scale_lr(r, factor);
    const char *sched = sched_def(r->sched.kind)->kind.name;
    char a[32], b[32], u[32];
    lr_text(a, sizeof a, before);
    lr_text(b, sizeof b, sim_base_lr(r));
    lr_text(u, sizeof u, r->lr);
    if (sim_base_lr(r) == before)
        session_message(ses, "%s: lr stays %s (limit)", run_name(r), a);
    else if (r->lr == used_before)
        session_message(ses, "%s: lr %s \xe2\x86\x92 %s, but %s sets the lr used (%s)", run_name(r), a, b, sched, u);
    else if (r->lr != sim_base_lr(r))
        session_message(ses, "%s: lr %s \xe2\x86\x92 %s (after %s: %s)", run_name(r), a, b, sched, u);
    else
        session_message(ses, "%s: lr %s \xe2\x86\x92 %s", run_name(r), a, b);
}

static void change_all_lr(Session *ses, double factor)
{
    for (int i = 0; i < ses->sim.nruns; i++)
        sim_scale_lr(&ses->sim.runs[i], factor);
    session_message(ses, "every run: lr \xc3\x97 %.2f", factor);
}

static void change_momentum(Session *ses, Run *r, double delta)
{
    const int p = optim_def(r->opt.kind)->momentum;
    const SpecKind *k = spec_kind(&optim_table, r->opt.kind);
    if (p < 0) {
        session_message(ses, "%s: %s has no momentum", run_name(r), k->name);
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
        session_message(ses, "%s: %s stays %s (limit)", run_name(r), k->params[p].name, a);
    else if (sim_set_hyper(r, p, next, err, sizeof err) < 0)
        session_message(ses, "%s", err);
    else
        session_message(ses, "%s: %s %s \xe2\x86\x92 %s", run_name(r), k->params[p].name, a, b);
}

static void change_decay(Session *ses, Run *r, int dir)
{
    const SchedDef *d = sched_def(r->sched.kind);
    if (d->tune < 0) {
        session_message(ses, "%s: %s schedule has no decay (D changes the schedule)", run_name(r), d->kind.name);
        return;
    }
    const char *name = d->kind.params[d->tune].name;
    const double before = r->sched.v[d->tune];
    if (sched_tune(&r->sched, dir) < 0) {
        session_message(ses, "%s: %s stays %.4g (limit)", run_name(r), name, before);
        return;
    }
    sim_refresh_lr(r);
    session_message(ses, "%s: %s %.4g \xe2\x86\x92 %.4g", run_name(r), name, before, r->sched.v[d->tune]);
}

/* Cycles through the schedules that need no list (multistep wants its milestones). */
static void next_schedule(Session *ses, int i)
{
    Run *r = &ses->sim.runs[i];
    int k = r->sched.kind;
    do {
        k = (k + 1) % sched_table.count;
    } while (sched_def(k)->kind.nparams && sched_def(k)->kind.params[0].type == PARAM_LIST);
    Spec s;
    spec_defaults(&sched_table, k, &s);
    sim_set_schedule(&ses->sim, i, &s);
    session_message(ses, "%s: schedule %s", run_name(r), sched_def(k)->kind.name);
}

static void next_optimizer(Session *ses, int i)
{
    Run *r = &ses->sim.runs[i];
    const char *before = spec_kind(&optim_table, r->opt.kind)->name;
    const int labelled = r->opt.label[0] != 0; /* else the label follows the optimizer */
    Spec s;
    spec_defaults(&optim_table, (r->opt.kind + 1) % optim_table.count, &s);
    sim_set_optimizer(&ses->sim, i, &s);
    const char *after = spec_kind(&optim_table, s.kind)->name;
    if (labelled)
        session_message(ses, "%s: optimizer %s \xe2\x86\x92 %s", run_name(r), before, after);
    else
        session_message(ses, "run %d: optimizer %s \xe2\x86\x92 %s", i + 1, before, after);
}

/* A function with its own view and start; the scene's function comes back as the scene set
 * it up (parameters, view, start, title). */
static void set_function(Session *ses, int kind)
{
    const FuncDef *f = func_def(kind);
    if (kind == ses->scene_func.kind) {
        ses->sim.func = ses->scene_func;
        memcpy(ses->sim.start, ses->scene_start, sizeof ses->sim.start);
        memcpy(ses->home, ses->scene_home, sizeof ses->home);
    } else if (!f->formula) { /* the expr row: the formula typed last */
        ses->sim.func = ses->typed;
        func_home(&ses->sim.func, ses->home, ses->sim.start);
    } else {
        spec_defaults(&func_table, kind, &ses->sim.func);
        func_home(&ses->sim.func, ses->home, ses->sim.start);
    }
    ses->nfound = func_minima_found(&ses->sim.func, ses->home, ses->found);
    fit_home(ses, ses->view.px, ses->view.py, ses->view.pw, ses->view.ph);
    ses->fit_pending = 1; /* the title may come or go: fit again in the map's new box */
    restart_all(ses);
    session_message(ses, "function %s", f->kind.name);
}

/* The next function F (step 1) or Shift+F (step count - 1) shows: the expr row only when the
 * scene gave a formula, as it has no formula of its own. */
static int cycle_function(const Session *ses, int step)
{
    int kind = ses->sim.func.kind;
    do
        kind = (kind + step) % func_table.count;
    while (!func_def(kind)->formula && kind != ses->scene_func.kind && !ses->has_typed);
    return kind;
}

static void set_start(Session *ses, double sx, double sy)
{
    const View *v = &ses->view;
    if (sx < v->px || sy < v->py || sx > v->px + v->pw || sy > v->py + v->ph)
        return; /* a click beside the map (on the tick labels) means nothing */
    const double x = view_wx(v, sx), y = view_wy(v, sy);
    if (!(fabs(x) <= SIM_LIMIT && fabs(y) <= SIM_LIMIT)) {
        session_message(ses, "start must lie within |x|, |y| <= 1e6");
        return;
    }
    ses->sim.start[0] = x;
    ses->sim.start[1] = y;
    restart_all(ses);
    session_message(ses, "start (%.4g, %.4g)", x, y);
}

static void toggle(Session *ses, unsigned bit, const char *name)
{
    ses->shown ^= bit;
    session_message(ses, "%s %s", name, ses->shown & bit ? "on" : "off");
}

static void change_speed(Session *ses, double factor)
{
    ses->speed = fmin(SPEED_MAX, fmax(SPEED_MIN, ses->speed * factor));
    if (ses->speed >= 100)
        session_message(ses, "speed %.0f steps/s", ses->speed);
    else
        session_message(ses, "speed %.3g steps/s", ses->speed);
}

static void cycle_legend(Session *ses)
{
    static const char *const names[LEGEND_MODES] = { "full", "compact", "hidden" };
    ses->legend = (LegendMode)((ses->legend + 1) % LEGEND_MODES);
    session_message(ses, "legend %s", names[ses->legend]);
}

/* The selected sgd run to the best constant settings of the quadratic on screen: 2/(L+μ)
 * without momentum, heavy ball's pair with it. */
static void snap_optimal(Session *ses, Run *r)
{
    CurvTheory t;
    const SpecKind *k = spec_kind(&optim_table, r->opt.kind);
    const int m = spec_param_index(k, "momentum");
    char err[160], lr[32];
    if (!curv_theory(&ses->sim.func, ses->home, ses->sim.start, &t)) {
        session_message(ses, "%s: optimal settings are known where the Hessian is constant (a quadratic), not on %s",
                        run_name(r), spec_kind(&func_table, ses->sim.func.kind)->name);
        return;
    }
    if (strcmp(k->name, "sgd") != 0 || m < 0) {
        session_message(ses, "%s: optimal settings are known for sgd (with or without momentum), not %s", run_name(r),
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
                        run_name(r), lr, t.heavy_ball_momentum, t.kappa, t.heavy_ball_rate);
    else
        session_message(ses, "%s: lr %s = 2/(L+\xce\xbc), the best constant step for \xce\xba = %.3g: error \xc3\x97 %.3f a step",
                        run_name(r), lr, t.kappa, t.rate_best);
}

/* The lr range test as paths: the selected run in SESSION_SWEEP_RUNS copies, lr times
 * SESSION_SWEEP_FACTOR^k for k around 0, each labelled by its lr, all from the start. */
static void sweep(Session *ses, int i)
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
        char v[32];
        lr_text(v, sizeof v, opt.v[OPTIM_LR]);
        snprintf(opt.label, sizeof opt.label, "lr %s", v);
        char err[160];
        if (sim_add_run(sim, &opt, &base.sched, err, sizeof err) < 0)
            break;
    }
    restart_all(ses);
    ses->selected = SESSION_SWEEP_RUNS / 2;
    session_message(ses, "%s: %d runs, lr \xc3\x97 %g\xe2\x81\xbb\xc2\xb3 to \xc3\x97 %g\xc2\xb3 (the lr range test as paths)",
                    spec_kind(&optim_table, base.opt.kind)->name, sim->nruns, SESSION_SWEEP_FACTOR, SESSION_SWEEP_FACTOR);
}

/* Actions that concern the selected run; they need at least one run. */
static void apply_to_run(Session *ses, const Action *a)
{
    Run *r = selected(ses);
    if (!r)
        return;
    switch (a->kind) {
    case ACTION_LR_UP: change_lr(ses, r, SESSION_LR_FACTOR); break;
    case ACTION_LR_DOWN: change_lr(ses, r, 1 / SESSION_LR_FACTOR); break;
    case ACTION_DECAY_DOWN: change_decay(ses, r, -1); break;
    case ACTION_DECAY_UP: change_decay(ses, r, +1); break;
    case ACTION_SCHEDULE_NEXT: next_schedule(ses, ses->selected); break;
    case ACTION_MOMENTUM_UP: change_momentum(ses, r, SESSION_MOMENTUM_STEP); break;
    case ACTION_MOMENTUM_DOWN: change_momentum(ses, r, -SESSION_MOMENTUM_STEP); break;
    case ACTION_OPTIMIZER_NEXT: next_optimizer(ses, ses->selected); break;
    case ACTION_SNAP_OPTIMAL: snap_optimal(ses, r); break;
    case ACTION_SWEEP: sweep(ses, ses->selected); break;
    case ACTION_TOGGLE_RUN:
        r->hidden = !r->hidden;
        session_message(ses, "%s %s", run_name(r), r->hidden ? "hidden" : "shown");
        break;
    default: break;
    }
}

static void select_run(Session *ses, int i)
{
    if (i < 0 || i >= ses->sim.nruns)
        return;
    ses->selected = i;
    session_message(ses, "selected %s", run_name(&ses->sim.runs[i]));
}

/* Actions on the session's settings; each returns the effects the shell must carry out. */
static unsigned apply_setting(Session *ses, const Action *a)
{
    switch (a->kind) {
    case ACTION_TOGGLE_CONTOURS: toggle(ses, SHOW_CONTOURS, "isolines"); return 0;
    case ACTION_TOGGLE_ARROWS: toggle(ses, SHOW_ARROWS, "gradient arrows"); return 0;
    case ACTION_TOGGLE_PLOTS: toggle(ses, SHOW_PLOTS, "plots"); return EFFECT_LAYOUT;
    case ACTION_TOGGLE_COLORBAR: toggle(ses, SHOW_COLORBAR, "colour bar"); return EFFECT_LAYOUT;
    case ACTION_TOGGLE_AXIS_LABELS: toggle(ses, SHOW_AXIS_LABELS, "axis labels"); return EFFECT_LAYOUT;
    case ACTION_TOGGLE_CAPTION: toggle(ses, SHOW_CAPTION, "caption on screenshots"); return 0;
    case ACTION_TOGGLE_FLOAT: toggle(ses, SHOW_FLOAT, "map over the whole window"); return EFFECT_LAYOUT;
    case ACTION_LEGEND_CYCLE: cycle_legend(ses); return EFFECT_LAYOUT;
    case ACTION_TOGGLE_CURVATURE: toggle(ses, SHOW_CURVATURE, "curvature at the selected run"); return EFFECT_LAYOUT;
    case ACTION_TOGGLE_BASINS: toggle(ses, SHOW_BASINS, "basin map"); return 0;
    case ACTION_TOGGLE_SHARPNESS:
        ses->shown = ses->shown & SHOW_SHARPNESS ? ses->shown & ~(unsigned)(SHOW_SHARPNESS | SHOW_GRADNORM)
                                                 : ses->shown | SHOW_SHARPNESS | SHOW_GRADNORM;
        session_message(ses, "sharpness and gradient-norm plots %s", ses->shown & SHOW_SHARPNESS ? "on" : "off");
        return EFFECT_LAYOUT;
    case ACTION_TOGGLE_THEME:
        ses->theme = ses->theme == THEME_DARK ? THEME_LIGHT : THEME_DARK;
        session_message(ses, "%s theme", ses->theme == THEME_DARK ? "dark" : "light");
        return 0;
    case ACTION_HELP:
        ses->show_help = !ses->show_help;
        if (ses->show_help)
            show_note(ses);
        return 0;
    case ACTION_SLOWER: change_speed(ses, 1 / 1.5); return 0;
    case ACTION_FASTER: change_speed(ses, 1.5); return 0;
    default: return 0;
    }
}

static int is_setting(ActionKind k)
{
    return (k >= ACTION_TOGGLE_CONTOURS && k <= ACTION_HELP) || k == ACTION_SLOWER || k == ACTION_FASTER ||
           k == ACTION_TOGGLE_CURVATURE || k == ACTION_TOGGLE_BASINS || k == ACTION_TOGGLE_SHARPNESS;
}

/* The input line. Text arrives as UTF-8 from the platform's text events and the clipboard;
 * control characters (a pasted newline) become spaces, and what does not fit is cut at a
 * character boundary. */
static void edit_open(Session *ses)
{
    EditLine *e = &ses->edit;
    func_formula_text(&ses->sim.func, e->text, sizeof e->text);
    e->text[utf8_cut(e->text, sizeof e->text - 1)] = '\0';
    e->cursor = (int)strlen(e->text);
    e->error[0] = '\0';
    e->error_column = 0;
    e->browsing = 0;
    e->open = 1;
}

static void edit_insert(EditLine *e, const char *text)
{
    if (!text || !utf8_valid(text))
        return;
    const size_t len = strlen(e->text), room = sizeof e->text - 1 - len;
    const size_t n = utf8_cut(text, room);
    memmove(e->text + e->cursor + n, e->text + e->cursor, len - (size_t)e->cursor + 1);
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)text[i];
        e->text[e->cursor + (int)i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
    }
    e->cursor += (int)n;
}

static void edit_erase(EditLine *e, int from, int to)
{
    memmove(e->text + from, e->text + to, strlen(e->text + to) + 1);
    e->cursor = from;
}

static void edit_show(EditLine *e, const char *text)
{
    snprintf(e->text, sizeof e->text, "%s", text);
    e->cursor = (int)strlen(e->text);
}

static void edit_history(EditLine *e, int back)
{
    const int to = e->browsing + back;
    if (to < 0 || to > e->nhistory)
        return;
    if (e->browsing == 0)
        memcpy(e->draft, e->text, sizeof e->draft);
    e->browsing = to;
    edit_show(e, to == 0 ? e->draft : e->history[e->nhistory - to]);
}

static void edit_key(EditLine *e, EditKey key)
{
    const int len = (int)strlen(e->text);
    const int step = e->cursor < len ? utf8_length(e->text + e->cursor, (size_t)(len - e->cursor)) : 0;
    const int next = e->cursor < len ? e->cursor + (step ? step : 1) : len;
    const int prev = e->cursor > 0 ? (int)utf8_back(e->text, (size_t)e->cursor) : 0;
    switch (key) {
    case EDIT_LEFT: e->cursor = prev; break;
    case EDIT_RIGHT: e->cursor = next; break;
    case EDIT_HOME: e->cursor = 0; break;
    case EDIT_END: e->cursor = len; break;
    case EDIT_BACKSPACE: edit_erase(e, prev, e->cursor); break;
    case EDIT_DELETE: edit_erase(e, e->cursor, next); break;
    case EDIT_HISTORY_PREV: edit_history(e, 1); break;
    case EDIT_HISTORY_NEXT: edit_history(e, -1); break;
    }
}

static void edit_remember(EditLine *e)
{
    if (e->nhistory > 0 && strcmp(e->history[e->nhistory - 1], e->text) == 0)
        return;
    if (e->nhistory == SESSION_HISTORY) {
        memmove(e->history[0], e->history[1], sizeof e->history[0] * (SESSION_HISTORY - 1));
        e->nhistory--;
    }
    memcpy(e->history[e->nhistory++], e->text, sizeof e->history[0]);
}

/* The share of a grid over box where f is NaN or infinite. */
static double nonfinite_share(const Spec *f, const double box[4])
{
    enum { N = 32 };
    double xs[N], row[N];
    int bad = 0;
    for (int i = 0; i < N; i++)
        xs[i] = box[0] + (box[1] - box[0]) * (i + 0.5) / N;
    for (int j = 0; j < N; j++) {
        func_row(f, xs, N, box[2] + (box[3] - box[2]) * (j + 0.5) / N, row);
        for (int i = 0; i < N; i++)
            bad += !isfinite(row[i]);
    }
    return (double)bad / (N * N);
}

/* Enter: the line as an expr spec. A formula's error reads "expr: 1:COLUMN: reason"; the
 * column counts from the line's start, as the line holds what follows "expr:". */
static unsigned edit_apply(Session *ses)
{
    EditLine *e = &ses->edit;
    char text[SESSION_EDIT_MAX + 8], err[256];
    snprintf(text, sizeof text, "expr:%s", e->text);
    Spec s;
    if (spec_parse(&func_table, text, &s, err, sizeof err) < 0) {
        int column = 0, used = 0;
        if (sscanf(err, "expr: 1:%d: %n", &column, &used) == 1 && used > 0) {
            e->error_column = column;
            snprintf(e->error, sizeof e->error, "%s", err + used);
        } else {
            e->error_column = 0;
            snprintf(e->error, sizeof e->error, "%s", strncmp(err, "expr: ", 6) == 0 ? err + 6 : err);
        }
        return 0;
    }
    edit_remember(e);
    e->open = 0;
    e->error[0] = '\0';
    ses->typed = s;
    ses->has_typed = 1;
    ses->sim.func = s;
    func_home(&s, ses->home, ses->sim.start);
    fit_home(ses, ses->view.px, ses->view.py, ses->view.pw, ses->view.ph);
    ses->fit_pending = 1;
    restart_all(ses);
    ses->nfound = func_minima_found(&s, ses->home, ses->found);
    const double bad = nonfinite_share(&s, ses->home);
    if (bad > 0.25)
        session_message(ses, "f is NaN or infinite over %.0f%% of the view", 100 * bad);
    else
        session_message(ses, "function %s", e->history[e->nhistory - 1]);
    return EFFECT_LAYOUT | EFFECT_EDIT;
}

static unsigned apply_edit(Session *ses, const Action *a)
{
    EditLine *e = &ses->edit;
    if (a->kind == ACTION_EDIT_OPEN) {
        edit_open(ses);
        return EFFECT_LAYOUT | EFFECT_EDIT;
    }
    if (!e->open)
        return 0;
    switch (a->kind) {
    case ACTION_EDIT_TEXT: edit_insert(e, a->text); break;
    case ACTION_EDIT_KEY: edit_key(e, (EditKey)a->arg); break;
    case ACTION_EDIT_APPLY: return edit_apply(ses);
    default: /* ACTION_EDIT_CANCEL */
        e->open = 0;
        return EFFECT_LAYOUT | EFFECT_EDIT;
    }
    e->error[0] = '\0';
    e->error_column = 0;
    return 0;
}

/* Parameter p (called `name`) of spec s set from `value` through the spec parser, so it is
 * checked and told as on the command line; s is changed only when it parses. */
static int typed_param(const SpecTable *t, Spec *s, int p, const char *name, const char *value, char *err, size_t errlen)
{
    char text[SESSION_TYPED_MAX + 64];
    Spec probe;
    snprintf(text, sizeof text, "%s:%s=%s", spec_kind(t, s->kind)->name, name, value);
    if (spec_parse(t, text, &probe, err, errlen) < 0)
        return -1;
    s->v[p] = probe.v[p];
    memcpy(s->list, probe.list, sizeof s->list);
    s->nlist = probe.nlist;
    s->given |= 1u << p;
    return 0;
}

/* "name = value": a hyperparameter of the selected run's optimizer, else a parameter of
 * its schedule. */
static void set_typed(Session *ses, Run *r, const char *line)
{
    char name[SESSION_TYPED_MAX], err[SESSION_MESSAGE_MAX];
    const char *eq = strchr(line, '=');
    const char *v = eq ? eq + 1 : "";
    while (*line == ' ')
        line++;
    int n = eq ? (int)(eq - line) : (int)strlen(line);
    while (n > 0 && line[n - 1] == ' ')
        n--;
    snprintf(name, sizeof name, "%.*s", n, line);
    while (*v == ' ')
        v++;
    const SpecKind *ok = spec_kind(&optim_table, r->opt.kind), *sk = spec_kind(&sched_table, r->sched.kind);
    const int po = spec_param_index(ok, name), ps = po < 0 ? spec_param_index(sk, name) : -1;
    if (!eq || !*v || (po < 0 && ps < 0)) {
        session_message(ses, "write NAME = VALUE, NAME a parameter of %s or of its %s schedule", ok->name, sk->name);
        return;
    }
    if (po >= 0) {
        Spec next = r->opt;
        if (typed_param(&optim_table, &next, po, name, v, err, sizeof err) < 0 ||
            sim_set_hyper(r, po, next.v[po], err, sizeof err) < 0) {
            session_message(ses, "%s", err);
            return;
        }
    } else {
        Spec next = r->sched;
        if (typed_param(&sched_table, &next, ps, name, v, err, sizeof err) < 0 || sched_check(&next, err, sizeof err) < 0) {
            session_message(ses, "%s", err);
            return;
        }
        r->sched = next;
        sim_refresh_lr(r);
    }
    session_message(ses, "%s: %s = %s", run_name(r), name, v);
    note_change(ses);
}

/* The input line: the session holds what is typed; the shell turns text input on and off. */
static unsigned apply_typing(Session *ses, const Action *a)
{
    Run *r = selected(ses);
    const size_t n = strlen(ses->value_text);
    switch (a->kind) {
    case ACTION_TYPE_OPEN:
        if (!r)
            return 0;
        snprintf(ses->value_text, sizeof ses->value_text, "lr = %.10g", sim_base_lr(r));
        ses->typing = 1;
        return EFFECT_TEXT_INPUT;
    case ACTION_TYPE_TEXT:
        if (ses->typing && a->text && n + strlen(a->text) < sizeof ses->value_text && utf8_valid(a->text))
            strcat(ses->value_text, a->text);
        return 0;
    case ACTION_TYPE_ERASE:
        if (ses->typing && n > 0)
            ses->value_text[utf8_back(ses->value_text, n)] = '\0';
        return 0;
    case ACTION_TYPE_ENTER:
        if (!ses->typing)
            return 0;
        ses->typing = 0;
        if (r)
            set_typed(ses, r, ses->value_text);
        return EFFECT_TEXT_INPUT | EFFECT_LAYOUT;
    default:
        ses->typing = 0;
        return EFFECT_TEXT_INPUT;
    }
}

/* The prepared scene again, in the map's box as it is; a config that cannot make its runs
 * leaves the session as it was. */
/* A config loaded into the session. On a deck's page turn (`turn`) the theme, the panels
 * and the legend the lecturer chose stay, unless the new scene sets them itself. */
static unsigned load(Session *ses, const Config *c, const char *from, int turn)
{
    char err[SESSION_MESSAGE_MAX];
    Sim check;
    if (config_make_sim(c, &check, err, sizeof err) < 0) {
        session_message(ses, "%s", err);
        return 0;
    }
    const View v = ses->view;
    const unsigned long serial = ses->message_serial;
    const Theme theme = ses->theme;
    const unsigned shown = ses->shown;
    const LegendMode legend = ses->legend;
    session_init(ses, c, v.px, v.py, v.pw, v.ph, err, sizeof err);
    if (turn) {
        if (!(c->scene_sets & SCENE_SETS_THEME))
            ses->theme = theme;
        if (!(c->scene_sets & SCENE_SETS_PANELS))
            ses->shown = shown;
        if (!(c->scene_sets & SCENE_SETS_LEGEND))
            ses->legend = legend;
    }
    ses->stop_at = c->steps;
    ses->message_serial = serial;
    if (ses->deck_count > 1)
        session_message(ses, "scene %d/%d: %s", ses->deck_at + 1, ses->deck_count, from ? from : "");
    else
        session_message(ses, "reloaded %s", from ? from : "the scene");
    return EFFECT_LAYOUT;
}

static Effects turn_page(Session *ses, int dir)
{
    Effects fx = { 0, 0, 0 };
    const int to = ses->deck_at + dir;
    if (ses->deck_count < 2)
        session_message(ses, "no deck: --scene takes several scene files, a folder or a deck file");
    else if (to < 0 || to >= ses->deck_count)
        session_message(ses, "%s scene of %d", to < 0 ? "first" : "last", ses->deck_count);
    else
        fx = (Effects){ .flags = EFFECT_RELOAD_SCENE, .scene = to };
    return fx;
}

Effects session_apply(Session *ses, const Action *a)
{
    Effects fx = { 0, 0, 0 };
    const int nfunc = func_table.count, nruns = ses->sim.nruns;
    if (is_setting(a->kind)) {
        fx.flags = apply_setting(ses, a);
        return fx;
    }
    if (a->kind >= ACTION_EDIT_OPEN && a->kind <= ACTION_EDIT_CANCEL) {
        fx.flags = apply_edit(ses, a);
        return fx;
    }
    switch (a->kind) {
    case ACTION_NONE: break;
    case ACTION_PAUSE:
        ses->paused = !ses->paused;
        session_message(ses, ses->paused ? "paused" : "running");
        break;
    case ACTION_STEP:
        ses->paused = 1;
        session_step(ses);
        break;
    case ACTION_SELECT_NEXT: select_run(ses, nruns ? (ses->selected + 1) % nruns : 0); break;
    case ACTION_SELECT_PREV: select_run(ses, nruns ? (ses->selected + nruns - 1) % nruns : 0); break;
    case ACTION_SELECT: select_run(ses, a->arg); break;
    case ACTION_LR_UP_ALL:
        change_all_lr(ses, SESSION_LR_FACTOR);
        note_change(ses);
        break;
    case ACTION_LR_DOWN_ALL:
        change_all_lr(ses, 1 / SESSION_LR_FACTOR);
        note_change(ses);
        break;
    case ACTION_STEP_BACK: step_back(ses); break;
    case ACTION_REWIND:
        restart_all(ses);
        ses->paused = 1;
        session_message(ses, "step 0, with the hyperparameters as they are (paused)");
        break;
    case ACTION_STOP_AT: ses->stop_at = a->arg > 0 ? a->arg : 0; break;
    case ACTION_RELOAD:
        fx.flags = EFFECT_RELOAD_SCENE;
        fx.scene = ses->deck_at;
        break;
    case ACTION_SCENE_NEXT:
    case ACTION_SCENE_PREV: fx = turn_page(ses, a->kind == ACTION_SCENE_NEXT ? 1 : -1); break;
    case ACTION_SAVE_SCENE: fx.flags = EFFECT_SAVE_SCENE; break;
    case ACTION_FULLSCREEN: fx.flags = EFFECT_FULLSCREEN; break;
    case ACTION_LOAD:
        if (a->config)
            fx.flags = load(ses, a->config, a->text, a->arg);
        break;
    case ACTION_TYPE_OPEN:
    case ACTION_TYPE_TEXT:
    case ACTION_TYPE_ERASE:
    case ACTION_TYPE_ENTER:
    case ACTION_TYPE_CANCEL: fx.flags = apply_typing(ses, a); break;
    case ACTION_FUNCTION_NEXT:
        set_function(ses, cycle_function(ses, 1));
        fx.flags = EFFECT_LAYOUT;
        break;
    case ACTION_FUNCTION_PREV:
        set_function(ses, cycle_function(ses, nfunc - 1));
        fx.flags = EFFECT_LAYOUT;
        break;
    case ACTION_RESTART:
        restart_all(ses);
        session_message(ses, "restarted from (%.4g, %.4g)", ses->sim.start[0], ses->sim.start[1]);
        break;
    case ACTION_SET_START: set_start(ses, a->x, a->y); break;
    case ACTION_PAN:
        if (view_pan(&ses->view, a->x, a->y) < 0)
            session_message(ses, "pan limit reached: a view lies within 1e15 of the origin, at least 1e-11 of its distance wide");
        break;
    case ACTION_ZOOM:
        if (view_zoom(&ses->view, a->x, a->y, a->factor) < 0)
            session_message(ses, "zoom limit reached");
        break;
    case ACTION_VIEW_RESET:
        fit_home(ses, ses->view.px, ses->view.py, ses->view.pw, ses->view.ph);
        session_message(ses, "view reset");
        break;
    case ACTION_MAP_BOX: set_map_box(ses, a->x, a->y, a->w, a->h); break;
    case ACTION_NOTE: session_message(ses, "%s", a->text ? a->text : ""); break;
    case ACTION_SCREENSHOT:
        fx.flags = EFFECT_SCREENSHOT;
        fx.shot_scale = a->arg == 2 ? 2 : 1;
        break;
    case ACTION_RECORD: fx.flags = EFFECT_RECORD; break;
    case ACTION_QUIT: fx.flags = EFFECT_QUIT; break;
    default:
        apply_to_run(ses, a);
        if (a->kind != ACTION_TOGGLE_RUN)
            note_change(ses);
        fx.flags = EFFECT_LAYOUT; /* the legend's lines may have changed width */
        break;
    }
    return fx;
}

static void json_number(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.17g", v);
    else
        fputs("null", out);
}

/* A JSON string: messages may quote paths, which may hold anything; bytes that are not
 * UTF-8 become U+FFFD. Every string the dump writes goes through here. */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    const unsigned char *end = (const unsigned char *)s + strlen(s);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        const int n = utf8_length((const char *)p, (size_t)(end - p));
        if (n == 0) {
            fputs("\\ufffd", out);
            p++;
        } else if (*p == '"' || *p == '\\') {
            fprintf(out, "\\%c", *p++);
        } else if (*p < 0x20) {
            fprintf(out, "\\u%04x", *p++);
        } else {
            fwrite(p, 1, (size_t)n, out);
            p += n;
        }
    }
    fputc('"', out);
}

/* Curvature, gradient and step at the run's point (see core/curvature.h); for an adaptive
 * rule, its step per unit gradient on each coordinate. */
static void dump_run_curvature(const Spec *func, const Run *r, FILE *out)
{
    CurvEigen e;
    curv_eigen_at(func, r->x, r->y, &e);
    fputs(", \"hessian_eigenvalues\": [", out);
    json_number(out, e.lmin);
    fputs(", ", out);
    json_number(out, e.lmax);
    fputs("], \"grad_norm\": ", out);
    json_number(out, curv_grad_norm(func, r->x, r->y));
    fputs(", \"step_length\": ", out);
    json_number(out, r->step_length);
    CurvStability st;
    curv_stability(r, &e, &st);
    if (st.rule != CURV_RULE_ADAPTIVE)
        return;
    fputs(", \"effective_lr\": [", out);
    json_number(out, st.eff[0]);
    fputs(", ", out);
    json_number(out, st.eff[1]);
    fputc(']', out);
}

/* For a function with a constant Hessian: the optimal settings of gradient descent and heavy ball. */
static void dump_theory(const Session *ses, FILE *out)
{
    CurvTheory t;
    if (!curv_theory(&ses->sim.func, ses->home, ses->sim.start, &t))
        return;
    const struct {
        const char *name;
        double v;
    } rows[] = {
        { "mu", t.mu }, { "L", t.L }, { "kappa", t.kappa }, { "lr_max_stable", t.lr_max_stable },
        { "lr_best", t.lr_best }, { "rate_best", t.rate_best }, { "heavy_ball_lr", t.heavy_ball_lr },
        { "heavy_ball_momentum", t.heavy_ball_momentum }, { "heavy_ball_rate", t.heavy_ball_rate },
    };
    fputs(",\n  \"theory\": {", out);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fprintf(out, "%s\"%s\": ", i ? ", " : "", rows[i].name);
        json_number(out, rows[i].v);
    }
    fputc('}', out);
}

static void dump_run(const Spec *func, const Run *r, const char *colour, FILE *out)
{
    const SpecKind *k = spec_kind(&optim_table, r->opt.kind);
    char sched[256];
    spec_format(&sched_table, &r->sched, sched, sizeof sched);
    fputs("    {\"label\": ", out);
    json_string(out, r->label);
    fputs(", \"optimizer\": ", out);
    json_string(out, k->name);
    fputs(", \"hyper\": {", out);
    for (int p = 0; p < k->nparams; p++) {
        fprintf(out, "%s\"%s\": ", p ? ", " : "", k->params[p].name);
        json_number(out, r->opt.v[p]);
    }
    fputs("}, \"schedule\": ", out);
    json_string(out, sched);
    fprintf(out, ", \"step\": %ld, \"x\": ", r->step);
    json_number(out, r->x);
    fputs(", \"y\": ", out);
    json_number(out, r->y);
    fputs(", \"loss\": ", out);
    json_number(out, r->loss);
    fputs(", \"lr\": ", out);
    json_number(out, r->lr);
    fputs(", \"momentum\": ", out);
    json_number(out, r->momentum);
    fputs(", \"d\": ", out);
    json_number(out, optim_prodigy_d(&r->opt, &r->ost));
    dump_run_curvature(func, r, out);
    OptimMark marks[OPTIM_TRIALS_MAX + 2];
    const int nmarks = optim_marks(&r->opt, &r->ost, marks, OPTIM_TRIALS_MAX + 2);
    static const char *const mark_names[] = { [MARK_SF_Y] = "y", [MARK_SF_Z] = "z", [MARK_LINE_SEARCH] = "trial" };
    fputs(", \"marks\": [", out);
    for (int m = 0; m < nmarks; m++) {
        fprintf(out, "%s[\"%s\", ", m ? ", " : "", mark_names[marks[m].kind]);
        json_number(out, marks[m].x);
        fputs(", ", out);
        json_number(out, marks[m].y);
        fputc(']', out);
    }
    fputs("], \"stopped\": ", out);
    json_string(out, r->ost.halt ? r->ost.halt : "");
    fprintf(out, ", \"diverged\": %s, \"hidden\": %s", r->diverged ? "true" : "false", r->hidden ? "true" : "false");
    /* The update that failed, as stderr, the message and the legend number it. */
    if (r->diverged)
        fprintf(out, ", \"diverged_at\": %ld", r->step + 1);
    if (colour) {
        fputs(", \"colour\": ", out);
        json_string(out, colour);
    }
    fputc('}', out);
}

void session_dump_json(const Session *ses, const SessionDumpExtra *extra, FILE *out)
{
    char func[2048];
    spec_format(&func_table, &ses->sim.func, func, sizeof func);
    fputs("{\n  \"function\": ", out);
    json_string(out, spec_kind(&func_table, ses->sim.func.kind)->name);
    fputs(",\n  \"function_spec\": ", out);
    json_string(out, func);
    fputs(",\n  \"start\": [", out);
    json_number(out, ses->sim.start[0]);
    fputs(", ", out);
    json_number(out, ses->sim.start[1]);
    fputs("],\n  \"view\": [", out);
    const double v[4] = { ses->view.x0, ses->view.x1, ses->view.y0, ses->view.y1 };
    for (int i = 0; i < 4; i++) {
        fputs(i ? ", " : "", out);
        json_number(out, v[i]);
    }
    fprintf(out, "],\n  \"map_pixels\": [%.17g, %.17g, %.17g, %.17g]", ses->view.px, ses->view.py, ses->view.pw,
            ses->view.ph);
    fprintf(out, ",\n  \"paused\": %s,\n  \"speed\": %.17g,\n  \"selected\": %d,\n  \"message\": ",
            ses->paused ? "true" : "false", ses->speed, ses->selected);
    json_string(out, ses->message);
    static const char *const legend[LEGEND_MODES] = { "full", "compact", "hidden" };
    fprintf(out, ",\n  \"shown\": %u,\n  \"legend\": \"%s\"", ses->shown, legend[ses->legend]);
    fprintf(out, ",\n  \"theme\": \"%s\"", ses->theme == THEME_LIGHT ? "light" : "dark");
    if (extra && extra->layout)
        fprintf(out, ",\n  \"layout\": %s", extra->layout);
    fputs(",\n  \"minima_found\": [", out);
    for (int i = 0; i < ses->nfound; i++) {
        fputs(i ? ", [" : "[", out);
        json_number(out, ses->found[i][0]);
        fputs(", ", out);
        json_number(out, ses->found[i][1]);
        fputc(']', out);
    }
    fprintf(out, "],\n  \"edit\": {\"open\": %s, \"cursor\": %d, \"error_column\": %d, \"text\": ",
            ses->edit.open ? "true" : "false", ses->edit.cursor, ses->edit.error_column);
    json_string(out, ses->edit.text);
    fputs(", \"error\": ", out);
    json_string(out, ses->edit.error);
    fputc('}', out);
    if (extra && extra->basins)
        fprintf(out, ",\n  \"basins\": %s", extra->basins);
    if (extra && extra->plot_ranges)
        fprintf(out, ",\n  \"plot_ranges\": %s", extra->plot_ranges);
    dump_theory(ses, out);
    fputs(",\n  \"runs\": [\n", out);
    for (int i = 0; i < ses->sim.nruns; i++) {
        dump_run(&ses->sim.func, &ses->sim.runs[i], extra ? extra->colours[i] : NULL, out);
        fputs(i + 1 < ses->sim.nruns ? ",\n" : "\n", out);
    }
    fputs("  ]\n}\n", out);
}

/* A spec with the run's label, which the spec's own text leaves out. */
static void write_spec(FILE *out, const char *key, const SpecTable *t, const Spec *s)
{
    char text[512];
    spec_format(t, s, text, sizeof text);
    fprintf(out, "%s %s", key, text);
    if (s->label[0])
        fprintf(out, "%clabel=%s", strchr(text, ':') ? ',' : ':', s->label);
    fputc('\n', out);
}

static void write_lines(FILE *out, const char *key, const char *lines)
{
    for (const char *p = lines; *p; p += strcspn(p, "\n") + 1)
        fprintf(out, "%s %.*s\n", key, (int)strcspn(p, "\n"), p);
}

void session_write_scene(const Session *ses, FILE *out)
{
    static const char *const legend[LEGEND_MODES] = { "full", "compact", "hidden" };
    static const struct {
        unsigned bit;
        const char *name;
    } panels[] = { { SHOW_CONTOURS, "contours" }, { SHOW_ARROWS, "arrows" }, { SHOW_PLOTS, "plots" },
                   { SHOW_COLORBAR, "colorbar" }, { SHOW_AXIS_LABELS, "axes" }, { SHOW_CAPTION, "caption" },
                   { SHOW_FLOAT, "float" } };
    const Sim *sim = &ses->sim;
    fprintf(out, "# Saved by optiscope at step %ld; the runs start again from step 0.\n", ses->tick);
    if (session_title(ses)[0])
        fprintf(out, "title %s\n", session_title(ses));
    write_lines(out, "caption", session_caption(ses));
    write_lines(out, "note", ses->note);
    write_spec(out, "function", &func_table, &sim->func);
    fprintf(out, "start %.17g,%.17g\n", sim->start[0], sim->start[1]);
    fprintf(out, "view %.17g,%.17g,%.17g,%.17g\n", ses->view.x0, ses->view.x1, ses->view.y0, ses->view.y1);
    fprintf(out, "noise %.17g\nseed %llu\nspeed %.17g\n", sim->noise, (unsigned long long)sim->seed, ses->speed);
    fprintf(out, "theme %s\nlegend %s\npanels ", ses->theme == THEME_LIGHT ? "light" : "dark", legend[ses->legend]);
    int any = 0;
    for (size_t i = 0; i < sizeof panels / sizeof panels[0]; i++)
        if (ses->shown & panels[i].bit)
            fprintf(out, "%s%s", any++ ? "," : "", panels[i].name);
    fputs(any ? "\n" : "none\n", out);
    if (ses->stop_at > 0)
        fprintf(out, "steps %ld\n", ses->stop_at);
    for (int i = 0; i < sim->nruns; i++) {
        write_spec(out, "optimizer", &optim_table, &sim->runs[i].opt);
        write_spec(out, "schedule", &sched_table, &sim->runs[i].sched);
    }
}

void session_copy_shown(Session *dst, const Session *src)
{
    const size_t at = offsetof(Session, timeline), past = at + sizeof src->timeline;
    memcpy(dst, src, at);
    memcpy((char *)dst + past, (const char *)src + past, sizeof *src - past);
}
