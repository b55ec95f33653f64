/* The live session: made from a config, stepped by the clock, fitted to the map's box, and
 * changed by actions, one row each in the action table at the end (see session.h). */
#include "../core/internals.h"
#include "intern.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/curvature.h"
#include "../core/func.h"
#include "../core/utf8.h"
#include "keys.h"

#define SPEED_MIN 0.5
#define SPEED_MAX 5000
/* How far the kept path may stray from the points it stands for, as a fraction of the home
 * view's width: 0.064 pixel on a map 1280 pixels wide. */
#define TRAIL_TOLERANCE 5e-5
#define TRAIL_VERSIONS_APART 1000000L

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
    if (sim_batched(&ses->sim, r))
        history_set_batch_loss(&ses->hist[i], r->step, r->batch_loss);
    CurvEigen e;
    curv_eigen_at(&ses->sim.func, r->x, r->y, &e);
    history_set_curvature(&ses->hist[i], r->step, e.lmax, curv_grad_norm(&ses->sim.func, r->x, r->y));
}

void session_reset_trail(Session *ses, int i)
{
    const Run *r = &ses->sim.runs[i];
    trail_reset(&ses->trails[i], TRAIL_TOLERANCE * (ses->home.x1 - ses->home.x0), r->x, r->y);
    ses->slot_run[i] = r->id;
    /* Each trail started gets versions of its own (thinning adds one at a time), so a trail
     * that moves to another run's place, a run before it removed, is never taken for the
     * trail the picture drew there. */
    ses->trails[i].version = ++ses->trails_started * TRAIL_VERSIONS_APART;
    history_reset(&ses->hist[i]);
    push_history(ses, i, r->lr);
}

/* The past starts over from the state as it is now, step 0. */
static void start_timeline(Session *ses)
{
    ses->tick = 0;
    if (ses->timeline)
        timeline_reset(ses->timeline, &ses->sim, ses->trails, ses->hist);
}

void session_restart(Session *ses)
{
    sim_restart(&ses->sim);
    for (int i = 0; i < ses->sim.nruns; i++)
        session_reset_trail(ses, i);
    start_timeline(ses);
}

/* The session a config describes, recording into `tl` (NULL: unrecorded). */
static int setup(Session *ses, Timeline *tl, RunsEdit *undo, const Config *c, double px, double py, double pw,
                 double ph, char *err, size_t errlen)
{
    memset(ses, 0, sizeof *ses);
    ses->timeline = tl;
    ses->undo = undo;
    if (config_make_sim(c, &ses->sim, err, errlen) < 0)
        return -1;
    ses->home = c->view;
    view_fit(&ses->view, ses->home, px, py, pw, ph);
    ses->fit_pending = 1; /* the layout's first map box fits the home view too */
    ses->scene_func = ses->sim.func;
    memcpy(ses->scene_start, ses->sim.start, sizeof ses->scene_start);
    ses->scene_home = ses->home;
    ses->speed = c->speed;
    ses->shown = c->shown;
    ses->legend = c->legend;
    ses->theme = c->theme;
    ses->shot_scale = c->scale;
    memcpy(ses->title, c->title, sizeof ses->title);
    ses->typed = ses->sim.func;
    ses->has_typed = func_is_expr(&ses->sim.func);
    ses->nfound = func_minima_found(&ses->sim.func, ses->home, ses->found);
    const char *why = func_no_minimum(&ses->sim.func); /* separable classes, say */
    if (why)
        session_message(ses, "%s", why);
    memcpy(ses->caption, c->caption, sizeof ses->caption);
    memcpy(ses->note, c->note, sizeof ses->note);
    ses->deck_at = c->deck_at;
    ses->deck_count = c->deck_count;
    ses->presenter.started = (long)time(NULL);
    ses->views = c->view3d;
    ses->camera = ses->home_camera = c->camera;
    for (int i = 0; i < ses->sim.nruns; i++)
        session_reset_trail(ses, i);
    start_timeline(ses);
    return 0;
}

int session_init(Session *ses, const Config *c, double px, double py, double pw, double ph, char *err, size_t errlen)
{
    Timeline *tl = malloc(sizeof *tl);
    RunsEdit *undo = malloc((SESSION_UNDO + 1) * sizeof *undo);
    if (!tl || !undo) {
        free(tl);
        free(undo);
        memset(ses, 0, sizeof *ses);
        snprintf(err, errlen, "out of memory for the timeline");
        return -1;
    }
    if (setup(ses, tl, undo, c, px, py, pw, ph, err, errlen) < 0) {
        free(tl);
        free(undo);
        ses->timeline = NULL;
        ses->undo = NULL;
        return -1;
    }
    return 0;
}

void session_release(Session *ses)
{
    free(ses->timeline);
    free(ses->undo);
    ses->timeline = NULL;
    ses->undo = NULL;
}

void session_free(Session *ses)
{
    if (ses)
        session_release(ses);
    free(ses);
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

int session_shows_data(const Session *ses)
{
    return (ses->shown & SHOW_DATA) && func_data_loss(&ses->sim.func) != DATA_NONE && ses->sim.func.data;
}

const char *session_caption(const Session *ses)
{
    return scene_on_screen(ses) ? ses->caption : "";
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
    WorldBox box = ses->home;
    for (int i = -1; i < ses->sim.nruns; i++) {
        const Run *r = i >= 0 ? &ses->sim.runs[i] : NULL;
        if (r && (r->diverged || r->hidden))
            continue;
        const double x = r ? r->x : ses->sim.start[0], y = r ? r->y : ses->sim.start[1];
        box.x0 = fmin(box.x0, x), box.x1 = fmax(box.x1, x);
        box.y0 = fmin(box.y0, y), box.y1 = fmax(box.y1, y);
    }
    /* A point on the box's edge would sit on the map's border: a little room around it. */
    const double mx = 0.04 * (box.x1 - box.x0), my = 0.04 * (box.y1 - box.y0);
    box.x0 -= box.x0 < ses->home.x0 ? mx : 0;
    box.x1 += box.x1 > ses->home.x1 ? mx : 0;
    box.y0 -= box.y0 < ses->home.y0 ? my : 0;
    box.y1 += box.y1 > ses->home.y1 ? my : 0;
    if (!view_box_ok(box))
        box = ses->home;
    view_fit(&ses->view, box, px, py, pw, ph);
}

/* The home view: the home box, grown where needed so the start sits a little inside it
 * rather than on the map's border, as scenes tend to start at their box's edge. */
static void fit_home(Session *ses, double px, double py, double pw, double ph)
{
    WorldBox box = ses->home;
    const double mx = 0.03 * (box.x1 - box.x0), my = 0.03 * (box.y1 - box.y0);
    const double x = ses->sim.start[0], y = ses->sim.start[1];
    box.x0 = fmin(box.x0, x - mx), box.x1 = fmax(box.x1, x + mx);
    box.y0 = fmin(box.y0, y - my), box.y1 = fmax(box.y1, y + my);
    view_fit(&ses->view, view_box_ok(box) ? box : ses->home, px, py, pw, ph);
}

void session_fit_view(Session *ses)
{
    fit_home(ses, ses->view.px, ses->view.py, ses->view.pw, ses->view.ph);
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
    if (lost || !view_box_ok(view_box(&ses->view)))
        fit_all(ses, px, py, pw, ph);
}

/* A recorded state of the runs; their trails follow them (a run added or removed lies
 * between), and whether a run is hidden is how it is shown, not its past. */
static void restore_sim(Session *ses, const Sim *sim)
{
    /* A live change of the function's parameters lies between: its minima found follow it. */
    const int func_changed = memcmp(&ses->sim.func, &sim->func, sizeof sim->func) != 0;
    session_set_runs(ses, sim);
    if (func_changed)
        ses->nfound = func_minima_found(&ses->sim.func, ses->home, ses->found);
}

/* Each trail and history as a live change left it (one the run had before being removed
 * comes back longer). One the change started anew (a run added, or one brought back by
 * Ctrl+Z whose trail was not kept) starts anew again, under the version the copies taken
 * after it know it by, so stepping back to them finds it. */
static void retake_trails(Session *ses, const Checkpoint *cp)
{
    for (int i = 0; i < ses->sim.nruns; i++) {
        history_rewind(&ses->hist[i], &cp->hist[i], cp->tick);
        if (trail_rewind(&ses->trails[i], &cp->trail[i]) == 0)
            continue;
        session_reset_trail(ses, i);
        ses->trails[i].version = cp->trail[i].version;
    }
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
    if (!ses->timeline)
        return diverged;
    const Checkpoint *change = timeline_change_at(ses->timeline, ses->tick);
    if (change) {
        restore_sim(ses, &change->sim);
        retake_trails(ses, change);
    }
    timeline_stepped(ses->timeline, ses->tick, &ses->sim, ses->trails, ses->hist);
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
    const Timeline *tl = ses->timeline;
    const Checkpoint *cp = tl && tick >= 0 && tick <= tl->head ? timeline_before(tl, tick) : NULL;
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
    runs_undo_forget_after(ses);
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
void session_note_change(Session *ses)
{
    if (ses->timeline)
        timeline_changed(ses->timeline, ses->tick, &ses->sim, ses->trails, ses->hist);
}

Run *session_selected(Session *ses)
{
    return ses->sim.nruns ? &ses->sim.runs[ses->selected] : NULL;
}

/* A function with its own view and start; the scene's function comes back as the scene set
 * it up (parameters, view, start, title). */
static void set_function(Session *ses, int kind)
{
    const FuncDef *f = func_def(kind);
    if (kind == ses->scene_func.kind) {
        ses->sim.func = ses->scene_func;
        memcpy(ses->sim.start, ses->scene_start, sizeof ses->sim.start);
        ses->home = ses->scene_home;
    } else if (!f->formula && f->data == DATA_NONE) { /* the expr row: the formula typed last */
        ses->sim.func = ses->typed;
        func_home(&ses->sim.func, &ses->home, ses->sim.start);
    } else {
        spec_defaults(&func_table, kind, &ses->sim.func);
        func_home(&ses->sim.func, &ses->home, ses->sim.start);
    }
    ses->nfound = func_minima_found(&ses->sim.func, ses->home, ses->found);
    session_fit_view(ses);
    ses->fit_pending = 1; /* the title may come or go: fit again in the map's new box */
    session_restart(ses);
    session_message(ses, "function %s", f->kind.name);
}

/* Whether F can show the row: one with a formula of its own, the scene's, the expr row once a
 * formula was typed; a loss over data only as the scene gave it, with its data. */
static int can_show(const Session *ses, int kind)
{
    const FuncDef *f = func_def(kind);
    return f->formula || kind == ses->scene_func.kind || (f->data == DATA_NONE && ses->has_typed);
}

/* The next function F (step 1) or Shift+F (step count - 1) shows: the expr row only when the
 * scene gave a formula, as it has no formula of its own. */
static int cycle_function(const Session *ses, int step)
{
    int kind = ses->sim.func.kind;
    do
        kind = (kind + step) % func_table.count;
    while (!can_show(ses, kind));
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
    session_restart(ses);
    session_message(ses, "start (%.4g, %.4g)", x, y);
}

/* Turns `bits` on or off together; the lowest decides which (A follows the sharpness plot). */
static void toggle(Session *ses, unsigned bits, const char *name)
{
    const int on = !(ses->shown & (bits & (~bits + 1)));
    ses->shown = on ? ses->shown | bits : ses->shown & ~bits;
    session_message(ses, "%s %s", name, on ? "on" : "off");
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
    ses->legend = (LegendMode)((ses->legend + 1) % LEGEND_MODES);
    session_message(ses, "legend %s", show_legend_name(ses->legend));
}

static void select_run(Session *ses, int i)
{
    if (i < 0 || i >= ses->sim.nruns)
        return;
    ses->selected = i;
    session_message(ses, "selected %s", session_run_label(&ses->sim.runs[i]));
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
    const Presenter presenter = ses->presenter; /* the lecture goes on: its clock, its window */
    setup(ses, ses->timeline, ses->undo, c, v.px, v.py, v.pw, v.ph, err, sizeof err);
    ses->presenter = presenter;
    ses->presenter.next_title[0] = '\0'; /* the shell tells the new one */
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
    /* A page names the scene by its title, which the class reads, or else by its file's name. */
    const char *slash = from ? strrchr(from, '/') : NULL, *name = ses->title[0] ? ses->title : slash ? slash + 1 : from;
    if (ses->deck_count > 1)
        session_message(ses, "scene %d/%d: %s", ses->deck_at + 1, ses->deck_count, name ? name : "");
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

/* What an action is given: the session, the action, its row, the selected run (never NULL
 * for a row with ACT_RUN) and the effects so far. */
typedef struct ActionRow ActionRow;
typedef struct {
    Session *ses;
    const Action *a;
    const ActionRow *row;
    Run *run;
    Effects fx;
    int unchanged; /* the action was refused or changed nothing: the timeline keeps its future */
} Call;

enum {
    ACT_RUN = 1,    /* acts on the selected run: nothing happens without one */
    ACT_CHANGE = 2, /* a live change, which the timeline records */
    ACT_EDIT = 4,   /* an edit of the runs, which Ctrl+Z undoes */
    ACT_TUNE = ACT_RUN | ACT_CHANGE | ACT_EDIT,
    ACT_SHELL = 8,  /* the shell's or the mouse's, not a key: the presenter's last key is not it */
};

/* One action: what it does (a handler, or the SHOW_* bits it turns on and off), whether it
 * needs a run, whether the timeline records it, the effects the shell always carries out
 * after it, and its message (a toggle's adds "on" or "off"). */
struct ActionRow {
    const char *name; /* for the tests: an action without a row is found */
    void (*run)(Call *c);
    unsigned shows;
    unsigned flags;   /* ACT_* */
    unsigned effects; /* EFFECT_* */
    const char *message;
    double by;        /* the factor, step or direction its handler takes */
};

/* Space, N, ← and Home end a slow motion before doing their own. */
static void pause_key(Call *c)
{
    c->ses->slow_phase = 0;
    c->ses->paused = !c->ses->paused;
    session_message(c->ses, c->ses->paused ? "paused" : "running");
}

static void step_key(Call *c)
{
    c->ses->slow_phase = 0;
    c->ses->paused = 1;
    session_step(c->ses);
}

/* Shift+N: the next update shown in phases (the shell's clock sends ACTION_SLOW_NEXT every
 * SESSION_SLOW_PHASE_SECONDS), with the internals and the rule on; then the step, as N takes it. */
static void slow_step_key(Call *c)
{
    Session *ses = c->ses;
    const Run *r = ses->sim.nruns ? &ses->sim.runs[ses->selected] : NULL;
    if (!r || r->diverged) {
        session_message(ses, "slow motion: no run to step");
        return;
    }
    if (!ses->slow_phase)
        ses->slow_was_paused = ses->paused;
    ses->paused = 1;
    ses->slow_phase = INTERNALS_PHASE_GRADIENT;
    ses->shown |= SHOW_INTERNALS | SHOW_RULE;
    session_message(ses, "slow motion: the gradient");
}

static void slow_next(Call *c)
{
    Session *ses = c->ses;
    static const char *const said[] = { [INTERNALS_PHASE_MOMENTS] = "the moments",
                                        [INTERNALS_PHASE_SCALING] = "the scaling", [INTERNALS_PHASE_STEP] = "the step" };
    if (!ses->slow_phase)
        return;
    if (ses->slow_phase < INTERNALS_PHASE_STEP) {
        ses->slow_phase++;
        session_message(ses, "slow motion: %s", said[ses->slow_phase]);
        return;
    }
    ses->slow_phase = 0;
    session_step(ses);
    ses->paused = ses->slow_was_paused;
}

static void speed_key(Call *c) { change_speed(c->ses, c->row->by); }

/* The next (by +1) or previous (-1) run, or the one the action names (by 0). */
static void select_key(Call *c)
{
    const int n = c->ses->sim.nruns, step = (int)c->row->by;
    select_run(c->ses, step && n ? (c->ses->selected + step + n) % n : c->a->arg);
}

static void lr_key(Call *c) { tune_lr(c->ses, c->run, c->row->by); }
static void lr_all_key(Call *c) { tune_all_lr(c->ses, c->row->by); }
static void decay_key(Call *c) { tune_decay(c->ses, c->run, (int)c->row->by); }
static void schedule_key(Call *c) { tune_next_schedule(c->ses, c->ses->selected); }
static void momentum_key(Call *c) { tune_momentum(c->ses, c->run, c->row->by); }
static void optimizer_key(Call *c) { tune_next_optimizer(c->ses, c->ses->selected); }
static void optimal_key(Call *c) { tune_optimal(c->ses, c->run); }
static void sweep_key(Call *c) { tune_sweep(c->ses, c->ses->selected); }

static void hide_key(Call *c)
{
    c->run->hidden = !c->run->hidden;
    session_message(c->ses, "%s %s", session_run_label(c->run), c->run->hidden ? "hidden" : "shown");
}

static void function_key(Call *c)
{
    set_function(c->ses, cycle_function(c->ses, c->row->by > 0 ? 1 : func_table.count - 1));
}

static void restart_key(Call *c)
{
    session_restart(c->ses);
    session_message(c->ses, "restarted from (%.4g, %.4g)", c->ses->sim.start[0], c->ses->sim.start[1]);
}

static void start_key(Call *c) { set_start(c->ses, c->a->x, c->a->y); }

static void pan_key(Call *c)
{
    if (view_pan(&c->ses->view, c->a->x, c->a->y) < 0)
        session_message(c->ses, "pan limit reached: a view lies within 1e15 of the origin, "
                                "at least 1e-11 of its distance wide");
}

static void zoom_key(Call *c)
{
    if (view_zoom(&c->ses->view, c->a->x, c->a->y, c->a->factor) < 0)
        session_message(c->ses, "zoom limit reached");
}

/* 0 resets the 3D view's camera too (its height scale stays: a choice, not a place). */
static void view_reset_key(Call *c)
{
    const int linear = c->ses->camera.linear;
    session_fit_view(c->ses);
    c->ses->camera = c->ses->home_camera;
    c->ses->camera.linear = linear;
}

static void legend_key(Call *c) { cycle_legend(c->ses); }

/* Shift+J: the next step taken apart at the selected run's point, then at every run's,
 * then off. */
static void internals_runs_key(Call *c)
{
    Session *ses = c->ses;
    const unsigned both = SHOW_INTERNALS | SHOW_INTERNALS_ALL;
    const unsigned now = ses->shown & both;
    const unsigned next = !(now & SHOW_INTERNALS) ? SHOW_INTERNALS : now == SHOW_INTERNALS ? both : 0;
    ses->shown = (ses->shown & ~both) | next;
    session_message(ses, "the next step taken apart: %s",
                    next == SHOW_INTERNALS ? "the selected run" : next ? "every run" : "off");
}

static void theme_key(Call *c)
{
    c->ses->theme = c->ses->theme == THEME_DARK ? THEME_LIGHT : THEME_DARK;
    session_message(c->ses, "%s theme", c->ses->theme == THEME_DARK ? "dark" : "light");
}

/* H opens the help, then pages it, and closes it after its last page. */
/* Shift+L turns the data panel on and off; on a function without data it says where it shows. */
static void data_key(Call *c)
{
    Session *ses = c->ses;
    ses->shown ^= SHOW_DATA;
    const char *state = ses->shown & SHOW_DATA ? "on" : "off";
    if (func_data_loss(&ses->sim.func) == DATA_NONE)
        session_message(ses, "data panel %s: it shows on a loss over data (linreg, logreg), not on %s", state,
                        func_def(ses->sim.func.kind)->kind.name);
    else
        session_message(ses, "data and model %s", state);
}

static void help_key(Call *c)
{
    Session *ses = c->ses;
    if (ses->show_help && ses->help_page + 1 < ses->help_pages) {
        ses->help_page++;
        return;
    }
    ses->show_help = !ses->show_help;
    ses->help_page = 0;
}

static void help_pages(Call *c)
{
    Session *ses = c->ses;
    ses->help_pages = c->a->arg > 0 ? c->a->arg : 1;
    if (ses->help_page >= ses->help_pages)
        ses->help_page = ses->help_pages - 1;
}

/* Esc (or Q) with the help or the notes open closes them; closing the window (arg 1) always quits. */
static void quit_key(Call *c)
{
    if ((c->ses->show_help || c->ses->show_notes) && c->a->arg == 0) {
        c->ses->show_help = 0;
        c->ses->help_page = 0;
        c->ses->show_notes = 0;
        return;
    }
    c->fx.flags = EFFECT_QUIT;
}

static void screenshot_key(Call *c) { c->fx.shot_scale = c->a->arg == 2 ? 2 : 1; }
static void map_box(Call *c) { set_map_box(c->ses, c->a->x, c->a->y, c->a->w, c->a->h); }
static void note(Call *c) { session_message(c->ses, "%s", c->a->text ? c->a->text : ""); }
/* Enter in the palette: the chosen action, run as if its key were pressed. */
static Effects palette_run(Session *ses)
{
    EditLine *e = &ses->edit;
    const int line = keys_palette_find(e->text, e->chosen);
    e->open = 0;
    Effects fx = { 0, 0, 0 };
    if (line >= 0) {
        const Action run = keys_line_action(line);
        fx = session_apply(ses, &run);
    }
    fx.flags |= EFFECT_LAYOUT | EFFECT_EDIT;
    return fx;
}

static void edit_line(Call *c)
{
    if (c->a->kind == ACTION_EDIT_APPLY && c->ses->edit.open && c->ses->edit.purpose == EDIT_FOR_PALETTE)
        c->fx = palette_run(c->ses);
    else
        c->fx.flags = lines_edit(c->ses, c->a);
}
static void step_back_key(Call *c)
{
    c->ses->slow_phase = 0;
    step_back(c->ses);
}

static void rewind_key(Call *c)
{
    c->ses->slow_phase = 0;
    session_restart(c->ses);
    runs_undo_forget_after(c->ses);
    c->ses->paused = 1;
}

/* Shift+H: the scene's notes for the lecturer, whole, in the message box until the key
 * again; with the presenter's window open they are on that screen instead, never here. */
static void notes_key(Call *c)
{
    Session *ses = c->ses;
    if (!ses->note[0])
        session_message(ses, "this scene has no notes (a scene file's note lines)");
    else if (ses->presenter.open && !ses->show_notes)
        session_message(ses, "the notes are on the presenter's screen (F5 closes it)");
    else
        ses->show_notes = !ses->show_notes;
}

static void presenter_shown(Call *c)
{
    c->ses->presenter.open = c->a->arg != 0;
    if (c->ses->presenter.open)
        c->ses->show_notes = 0; /* they go to the lecturer's screen */
}

static void next_title(Call *c)
{
    snprintf(c->ses->presenter.next_title, sizeof c->ses->presenter.next_title, "%s", c->a->text ? c->a->text : "");
}

static void stop_at(Call *c) { c->ses->stop_at = c->a->arg > 0 ? c->a->arg : 0; }
static void reload_key(Call *c) { c->fx.scene = c->ses->deck_at; }

static void load_config(Call *c)
{
    if (c->a->config)
        c->fx.flags = load(c->ses, c->a->config, c->a->text, c->a->arg);
}

/* Page Down and Page Up turn the deck's scene, or with the help open the help's page. */
static void page_key(Call *c)
{
    Session *ses = c->ses;
    if (!ses->show_help) {
        c->fx = turn_page(ses, (int)c->row->by);
        return;
    }
    const int to = ses->help_page + (int)c->row->by;
    ses->help_page = to < 0 ? 0 : to >= ses->help_pages ? ses->help_pages - 1 : to;
}

static void add_key(Call *c) { runs_add_copy(c->ses); }
static void remove_key(Call *c) { runs_remove(c->ses); }
static void undo_key(Call *c) { c->unchanged = !runs_undo(c->ses); }
static void views_key(Call *c)
{
    static const char *const said[VIEWS_COUNT] = { [VIEWS_MAP] = "the map", [VIEWS_SURFACE] = "the 3D surface",
                                                   [VIEWS_BOTH] = "the map and the 3D surface side by side" };
    c->ses->views = (c->ses->views + 1) % VIEWS_COUNT;
    session_message(c->ses, "%s", said[c->ses->views]);
}

static void height_key(Call *c)
{
    c->ses->camera.linear = !c->ses->camera.linear;
    session_message(c->ses, "3D height: %s", c->ses->camera.linear ? "linear" : "log, as the colour bar");
}

static void orbit_key(Call *c)
{
    const int az = c->a->kind == ACTION_ORBIT_LEFT || c->a->kind == ACTION_ORBIT_RIGHT;
    camera_orbit(&c->ses->camera, az ? c->row->by : 0, az ? 0 : c->row->by);
}

static void orbit_drag(Call *c) { camera_orbit(&c->ses->camera, -c->a->x * CAMERA_DRAG, c->a->y * CAMERA_DRAG); }
static void camera_zoom_key(Call *c) { camera_zoom(&c->ses->camera, c->a->factor); }

static void camera_set(Call *c)
{
    Camera *cam = &c->ses->camera;
    camera_orbit(cam, c->a->x - cam->azimuth, c->a->y - cam->elevation);
}

/* Every action, by name; `session_apply` reads one row and nothing depends on the enum's order.
 * The legend's lines may change width with a run's settings: those rows lay out again. */
static const ActionRow action_rows[ACTION_COUNT] = {
    [ACTION_NONE] = { .name = "none" },
    [ACTION_PAUSE] = { .name = "pause", .run = pause_key },
    [ACTION_STEP] = { .name = "step", .run = step_key },
    [ACTION_SLOW_STEP] = { .name = "slow step", .run = slow_step_key, .effects = EFFECT_LAYOUT },
    [ACTION_SLOW_NEXT] = { .name = "slow next", .run = slow_next, .flags = ACT_SHELL },
    [ACTION_SLOWER] = { .name = "slower", .run = speed_key, .by = 1 / 1.5 },
    [ACTION_FASTER] = { .name = "faster", .run = speed_key, .by = 1.5 },
    [ACTION_SELECT_NEXT] = { .name = "select next", .run = select_key, .by = +1 },
    [ACTION_SELECT_PREV] = { .name = "select previous", .run = select_key, .by = -1 },
    [ACTION_SELECT] = { .name = "select", .run = select_key },
    [ACTION_LR_UP] = { .name = "lr up", .run = lr_key, .flags = ACT_TUNE, .effects = EFFECT_LAYOUT,
      .by = SESSION_LR_FACTOR },
    [ACTION_LR_DOWN] = { .name = "lr down", .run = lr_key, .flags = ACT_TUNE, .effects = EFFECT_LAYOUT,
      .by = 1 / SESSION_LR_FACTOR },
    [ACTION_LR_UP_ALL] = { .name = "every lr up", .run = lr_all_key, .flags = ACT_CHANGE | ACT_EDIT,
      .by = SESSION_LR_FACTOR },
    [ACTION_LR_DOWN_ALL] = { .name = "every lr down", .run = lr_all_key, .flags = ACT_CHANGE | ACT_EDIT,
      .by = 1 / SESSION_LR_FACTOR },
    [ACTION_DECAY_DOWN] = { .name = "decay down", .run = decay_key, .flags = ACT_TUNE, .effects = EFFECT_LAYOUT,
      .by = -1 },
    [ACTION_DECAY_UP] = { .name = "decay up", .run = decay_key, .flags = ACT_TUNE, .effects = EFFECT_LAYOUT,
      .by = +1 },
    [ACTION_SCHEDULE_NEXT] = { .name = "next schedule", .run = schedule_key, .flags = ACT_TUNE,
      .effects = EFFECT_LAYOUT },
    [ACTION_MOMENTUM_UP] = { .name = "momentum up", .run = momentum_key, .flags = ACT_TUNE,
      .effects = EFFECT_LAYOUT, .by = SESSION_MOMENTUM_STEP },
    [ACTION_MOMENTUM_DOWN] = { .name = "momentum down", .run = momentum_key, .flags = ACT_TUNE,
      .effects = EFFECT_LAYOUT, .by = -SESSION_MOMENTUM_STEP },
    [ACTION_OPTIMIZER_NEXT] = { .name = "next optimizer", .run = optimizer_key, .flags = ACT_TUNE,
      .effects = EFFECT_LAYOUT },
    [ACTION_TOGGLE_RUN] = { .name = "hide run", .run = hide_key, .flags = ACT_RUN, .effects = EFFECT_LAYOUT },
    [ACTION_FUNCTION_NEXT] = { .name = "next function", .run = function_key, .effects = EFFECT_LAYOUT, .by = +1 },
    [ACTION_FUNCTION_PREV] = { .name = "previous function", .run = function_key, .effects = EFFECT_LAYOUT, .by = -1 },
    [ACTION_RESTART] = { .name = "restart", .run = restart_key },
    [ACTION_SET_START] = { .name = "set start", .run = start_key, .flags = ACT_SHELL },
    [ACTION_PAN] = { .name = "pan", .run = pan_key, .flags = ACT_SHELL },
    [ACTION_ZOOM] = { .name = "zoom", .run = zoom_key, .flags = ACT_SHELL },
    [ACTION_VIEW_RESET] = { .name = "reset view", .run = view_reset_key, .message = "view reset" },
    [ACTION_TOGGLE_CONTOURS] = { .name = "isolines", .shows = SHOW_CONTOURS, .message = "isolines" },
    [ACTION_TOGGLE_ARROWS] = { .name = "arrows", .shows = SHOW_ARROWS, .message = "gradient arrows" },
    [ACTION_TOGGLE_PLOTS] = { .name = "plots", .shows = SHOW_PLOTS, .effects = EFFECT_LAYOUT, .message = "plots" },
    [ACTION_TOGGLE_COLORBAR] = { .name = "colour bar", .shows = SHOW_COLORBAR, .effects = EFFECT_LAYOUT,
      .message = "colour bar" },
    [ACTION_TOGGLE_AXIS_LABELS] = { .name = "axis labels", .shows = SHOW_AXIS_LABELS, .effects = EFFECT_LAYOUT,
      .message = "axis labels" },
    [ACTION_LEGEND_CYCLE] = { .name = "legend", .run = legend_key, .effects = EFFECT_LAYOUT },
    [ACTION_TOGGLE_FLOAT] = { .name = "float", .shows = SHOW_FLOAT, .effects = EFFECT_LAYOUT,
      .message = "map over the whole window" },
    [ACTION_TOGGLE_CAPTION] = { .name = "caption", .shows = SHOW_CAPTION, .message = "caption on screenshots" },
    [ACTION_TOGGLE_THEME] = { .name = "theme", .run = theme_key },
    [ACTION_HELP] = { .name = "help", .run = help_key },
    [ACTION_SCREENSHOT] = { .name = "screenshot", .run = screenshot_key, .effects = EFFECT_SCREENSHOT },
    [ACTION_RECORD] = { .name = "record", .effects = EFFECT_RECORD },
    [ACTION_QUIT] = { .name = "quit", .run = quit_key },
    [ACTION_SNAP_OPTIMAL] = { .name = "optimal lr", .run = optimal_key, .flags = ACT_TUNE, .effects = EFFECT_LAYOUT },
    [ACTION_TOGGLE_CURVATURE] = { .name = "curvature", .shows = SHOW_CURVATURE, .effects = EFFECT_LAYOUT,
      .message = "curvature at the selected run" },
    [ACTION_TOGGLE_BASINS] = { .name = "basins", .shows = SHOW_BASINS, .message = "basin map" },
    [ACTION_TOGGLE_INTERNALS] = { .name = "internals", .shows = SHOW_INTERNALS, .effects = EFFECT_LAYOUT,
      .message = "the next step taken apart" },
    [ACTION_INTERNALS_RUNS] = { .name = "internals runs", .run = internals_runs_key, .effects = EFFECT_LAYOUT },
    [ACTION_TOGGLE_RULE] = { .name = "rule", .shows = SHOW_RULE, .effects = EFFECT_LAYOUT,
      .message = "the update rule with this step's numbers" },
    [ACTION_SWEEP] = { .name = "lr sweep", .run = sweep_key, .flags = ACT_TUNE, .effects = EFFECT_LAYOUT },
    [ACTION_TOGGLE_SHARPNESS] = { .name = "sharpness", .shows = SHOW_SHARPNESS | SHOW_GRADNORM,
      .effects = EFFECT_LAYOUT, .message = "sharpness and gradient-norm plots" },
    [ACTION_TOGGLE_DATA] = { .name = "data panel", .run = data_key, .effects = EFFECT_LAYOUT },
    [ACTION_MAP_BOX] = { .name = "map box", .run = map_box, .flags = ACT_SHELL },
    [ACTION_HELP_PAGES] = { .name = "help pages", .run = help_pages, .flags = ACT_SHELL },
    [ACTION_NOTE] = { .name = "note", .run = note, .flags = ACT_SHELL },
    [ACTION_EDIT_OPEN] = { .name = "edit open", .run = edit_line },
    [ACTION_EDIT_TEXT] = { .name = "edit text", .run = edit_line, .flags = ACT_SHELL },
    [ACTION_EDIT_KEY] = { .name = "edit key", .run = edit_line, .flags = ACT_SHELL },
    [ACTION_EDIT_APPLY] = { .name = "edit apply", .run = edit_line },
    [ACTION_EDIT_CANCEL] = { .name = "edit cancel", .run = edit_line },
    [ACTION_STEP_BACK] = { .name = "step back", .run = step_back_key },
    [ACTION_REWIND] = { .name = "rewind", .run = rewind_key,
      .message = "step 0, with the hyperparameters as they are (paused)" },
    [ACTION_STOP_AT] = { .name = "stop at", .run = stop_at, .flags = ACT_SHELL },
    [ACTION_RELOAD] = { .name = "reload", .run = reload_key, .effects = EFFECT_RELOAD_SCENE },
    [ACTION_SAVE_SCENE] = { .name = "save scene", .effects = EFFECT_SAVE_SCENE },
    [ACTION_FULLSCREEN] = { .name = "fullscreen", .effects = EFFECT_FULLSCREEN },
    [ACTION_LOAD] = { .name = "load", .run = load_config, .flags = ACT_SHELL },
    [ACTION_SCENE_NEXT] = { .name = "next scene", .run = page_key, .by = +1 },
    [ACTION_SCENE_PREV] = { .name = "previous scene", .run = page_key, .by = -1 },
    [ACTION_RUN_ADD] = { .name = "add run", .run = add_key, .flags = ACT_TUNE, .effects = EFFECT_LAYOUT },
    [ACTION_RUN_REMOVE] = { .name = "remove run", .run = remove_key, .flags = ACT_TUNE, .effects = EFFECT_LAYOUT },
    [ACTION_UNDO] = { .name = "undo", .run = undo_key, .flags = ACT_CHANGE, .effects = EFFECT_LAYOUT },
    [ACTION_TOGGLE_BIGPLOT] = { .name = "big plot", .shows = SHOW_BIGPLOT, .effects = EFFECT_LAYOUT,
      .message = "big plot (loss and lr large, the map small)" },
    [ACTION_NOTES] = { .name = "notes", .run = notes_key, .effects = EFFECT_LAYOUT },
    [ACTION_PRESENTER] = { .name = "presenter", .effects = EFFECT_PRESENTER },
    [ACTION_PRESENTER_SHOWN] = { .name = "presenter shown", .run = presenter_shown, .flags = ACT_SHELL,
      .effects = EFFECT_LAYOUT },
    [ACTION_NEXT_TITLE] = { .name = "next title", .run = next_title, .flags = ACT_SHELL },
    [ACTION_VIEWS_NEXT] = { .name = "3D view", .run = views_key, .effects = EFFECT_LAYOUT },
    [ACTION_HEIGHT_SCALE] = { .name = "3D height scale", .run = height_key },
    [ACTION_ORBIT_LEFT] = { .name = "orbit left", .run = orbit_key, .by = -CAMERA_KEY_AZIMUTH },
    [ACTION_ORBIT_RIGHT] = { .name = "orbit right", .run = orbit_key, .by = CAMERA_KEY_AZIMUTH },
    [ACTION_ORBIT_UP] = { .name = "orbit up", .run = orbit_key, .by = CAMERA_KEY_ELEVATION },
    [ACTION_ORBIT_DOWN] = { .name = "orbit down", .run = orbit_key, .by = -CAMERA_KEY_ELEVATION },
    [ACTION_ORBIT] = { .name = "orbit", .run = orbit_drag, .flags = ACT_SHELL },
    [ACTION_CAMERA_ZOOM] = { .name = "3D zoom", .run = camera_zoom_key, .flags = ACT_SHELL },
    [ACTION_CAMERA_SET] = { .name = "camera", .run = camera_set, .flags = ACT_SHELL },
};

const char *session_action_name(ActionKind kind)
{
    return kind >= 0 && kind < ACTION_COUNT ? action_rows[kind].name : NULL;
}

/* What the last key did, for the presenter's screen: its action, and what it said. */
static void last_key(Session *ses, const char *name, unsigned long serial)
{
    Presenter *p = &ses->presenter;
    const int n = ses->message_serial != serial && ses->message[0]
                      ? snprintf(p->last_key, sizeof p->last_key, "%s: %s", name, ses->message)
                      : snprintf(p->last_key, sizeof p->last_key, "%s", name);
    if (n >= (int)sizeof p->last_key) /* cut short: not inside a character */
        p->last_key[utf8_cut(p->last_key, sizeof p->last_key - 1)] = '\0';
}

Effects session_apply(Session *ses, const Action *a)
{
    const char *name = session_action_name(a->kind);
    const ActionRow *row = name ? &action_rows[a->kind] : NULL;
    Call c = { .ses = ses, .a = a, .row = row, .run = session_selected(ses) };
    const unsigned long serial = ses->message_serial;
    if (!row || ((row->flags & ACT_RUN) && !c.run))
        return c.fx;
    if (row->flags & ACT_EDIT)
        runs_edit_begin(ses);
    if (row->run)
        row->run(&c);
    if (row->flags & ACT_EDIT)
        c.unchanged = !runs_edit_end(ses);
    if (row->shows)
        toggle(ses, row->shows, row->message);
    else if (row->message)
        session_message(ses, "%s", row->message);
    if ((row->flags & ACT_CHANGE) && !c.unchanged)
        session_note_change(ses);
    c.fx.flags |= row->effects;
    if (!(row->flags & ACT_SHELL) && a->kind != ACTION_NONE)
        last_key(ses, row->name, serial);
    return c.fx;
}

void session_copy_shown(Session *dst, const Session *src)
{
    *dst = *src;
    dst->timeline = NULL;
    dst->undo = NULL;
    dst->nundo = 0;
}

Session *session_clone(const Session *src)
{
    Session *dst = malloc(sizeof *dst);
    Timeline *tl = src->timeline ? malloc(sizeof *tl) : NULL;
    RunsEdit *undo = src->undo ? malloc((SESSION_UNDO + 1) * sizeof *undo) : NULL;
    if (!dst || (src->timeline && !tl) || (src->undo && !undo)) {
        free(dst);
        free(tl);
        free(undo);
        return NULL;
    }
    session_copy_shown(dst, src);
    if (tl) {
        timeline_copy(tl, src->timeline);
        dst->timeline = tl;
    }
    if (undo) {
        memcpy(undo, src->undo, (SESSION_UNDO + 1) * sizeof *undo);
        dst->undo = undo;
        dst->nundo = src->nundo;
    }
    return dst;
}

const char *session_fill_label(const Run *r, char *buf)
{
    sim_label(r, buf, LABEL_TEXT_MAX);
    return buf;
}
