/* The action layer without a window: every key's action changes the session as the help
 * says, and the state dump reports it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/func.h"
#include "../src/core/sched.h"
#include "../src/core/utf8.h"
#include "../src/session/session.h"
#include "check.h"

static Session *make(const char *const *runs, int n)
{
    Config c;
    char err[256];
    config_defaults(&c);
    for (int i = 0; i < n; i++)
        config_apply(&c, "optimizer", runs[i], 0, err, sizeof err);
    config_finish(&c, err, sizeof err);
    Session *ses = calloc(1, sizeof *ses);
    session_init(ses, &c, 50, 20, 800, 600, err, sizeof err);
    return ses;
}

/* One run with a schedule. */
static Session *make_scheduled(const char *optimizer, const char *schedule)
{
    Config c;
    char err[256];
    config_defaults(&c);
    config_apply(&c, "optimizer", optimizer, 0, err, sizeof err);
    config_apply(&c, "schedule", schedule, 0, err, sizeof err);
    config_finish(&c, err, sizeof err);
    Session *ses = calloc(1, sizeof *ses);
    session_init(ses, &c, 0, 0, 800, 600, err, sizeof err);
    return ses;
}

static void act(Session *ses, ActionKind kind, int arg)
{
    Action a = { .kind = kind, .arg = arg };
    session_apply(ses, &a);
}

static void check_lr_keys(void)
{
    const char *runs[] = { "adam:lr=0.01", "sgd:lr=0.001,momentum=0.5" };
    Session *ses = make(runs, 2);
    act(ses, ACTION_LR_UP, 0);
    CHECK(ses->sim.runs[0].opt.v[0] == 0.01 * 1.25, "Up multiplies the selected lr: %g", ses->sim.runs[0].opt.v[0]);
    CHECK(strstr(ses->message, "adam: lr 0.0100 \xe2\x86\x92 0.0125") != NULL, "message '%s'", ses->message);
    act(ses, ACTION_SELECT, 1);
    act(ses, ACTION_LR_DOWN, 0);
    CHECK(ses->sim.runs[1].opt.v[0] == 0.001 / 1.25 && ses->sim.runs[0].opt.v[0] == 0.0125, "Down on the second run");
    act(ses, ACTION_LR_UP_ALL, 0);
    CHECK(ses->sim.runs[0].opt.v[0] == 0.0125 * 1.25 && ses->sim.runs[1].opt.v[0] == 0.001 / 1.25 * 1.25,
          "Shift+Up multiplies every run");
    act(ses, ACTION_MOMENTUM_UP, 0);
    CHECK(fabs(ses->sim.runs[1].opt.v[1] - 0.55) < 1e-12, "M raises momentum: %g", ses->sim.runs[1].opt.v[1]);
    act(ses, ACTION_SELECT, 0);
    act(ses, ACTION_MOMENTUM_DOWN, 0);
    CHECK(fabs(ses->sim.runs[0].opt.v[1] - 0.85) < 1e-12, "Shift+M lowers adam's beta1: %g", ses->sim.runs[0].opt.v[1]);
    for (int i = 0; i < 40; i++)
        act(ses, ACTION_MOMENTUM_UP, 0);
    CHECK(ses->sim.runs[0].opt.v[1] == 0.999, "momentum stops at 0.999: %g", ses->sim.runs[0].opt.v[1]);
    session_free(ses);
}

static void check_schedule_keys(void)
{
    const char *runs[] = { "sgd:lr=0.001" };
    Session *ses = make(runs, 1);
    act(ses, ACTION_DECAY_UP, 0);
    CHECK(strstr(ses->message, "no decay") != NULL, "constant has no decay: '%s'", ses->message);
    act(ses, ACTION_SCHEDULE_NEXT, 0);
    CHECK(strcmp(sched_def(ses->sim.runs[0].sched.kind)->kind.name, "step") == 0, "D: constant -> step");
    const double gamma = ses->sim.runs[0].sched.v[1];
    act(ses, ACTION_DECAY_DOWN, 0);
    CHECK(ses->sim.runs[0].sched.v[1] < gamma, "[ lowers gamma: %g", ses->sim.runs[0].sched.v[1]);
    for (int i = 0; i < sched_table.count + 2; i++)
        act(ses, ACTION_SCHEDULE_NEXT, 0);
    CHECK(strcmp(sched_def(ses->sim.runs[0].sched.kind)->kind.name, "multistep") != 0, "D skips multistep");
    act(ses, ACTION_OPTIMIZER_NEXT, 0);
    CHECK(strcmp(spec_kind(&optim_table, ses->sim.runs[0].opt.kind)->name, "adagrad") == 0 &&
              ses->sim.runs[0].opt.v[0] == 0.001,
          "O: sgd -> adagrad keeping lr");
    session_free(ses);
}

/* [ and ] stay within what the command line accepts: onecycle keeps a step in each phase
 * however often [ is pressed, so its lr stays finite, and ] raises a decay that is 0. */
static void check_decay_limits(void)
{
    static const char *const scheds[] = { "onecycle:pct_start=0.5", "inverse_time:decay=0", "loss_scaled:beta=0" };
    for (int k = 0; k < 3; k++) {
        char err[256];
        Session *ses = make_scheduled("sgd:lr=0.01", scheds[k]);
        const Spec *sc = &ses->sim.runs[0].sched;
        if (k == 0) {
            for (int i = 0; i < 60; i++)
                act(ses, ACTION_DECAY_DOWN, 0);
            CHECK(sched_check(sc, err, sizeof err) == 0, "after 60 [ onecycle is one the command line refuses: %s",
                  err);
            act(ses, ACTION_RESTART, 0);
            int finite = 1;
            for (int i = 0; i < 50; i++) {
                session_step(ses);
                finite &= isfinite(ses->sim.runs[0].lr) && !ses->sim.runs[0].diverged;
            }
            CHECK(finite, "onecycle after 60 [: lr %g, diverged %d", ses->sim.runs[0].lr, ses->sim.runs[0].diverged);
        } else {
            act(ses, ACTION_DECAY_UP, 0);
            CHECK(sc->v[0] > 0, "] leaves %s's 0 at %g: '%s'", scheds[k], sc->v[0], ses->message);
        }
        session_free(ses);
    }
}

/* Up under a schedule: the message tells the lr the next update uses when it differs. */
static void check_lr_under_schedule(void)
{
    static const char *const scheds[] = { "onecycle:max_lr=0.05", "exponential:gamma=0.5" };
    static const char *const want[] = { "but onecycle sets the lr used", "(after exponential: " };
    for (int k = 0; k < 2; k++) {
        Session *ses = make_scheduled("sgd:lr=0.01", scheds[k]);
        for (int i = 0; i < 5; i++)
            session_step(ses);
        act(ses, ACTION_LR_UP, 0);
        CHECK(strstr(ses->message, want[k]) != NULL, "Up under %s: '%s'", scheds[k], ses->message);
        session_free(ses);
    }
}

static void check_session_keys(void)
{
    const char *runs[] = { "adam:lr=0.05" };
    Session *ses = make(runs, 1);
    for (int i = 0; i < 10; i++)
        session_step(ses);
    act(ses, ACTION_FUNCTION_NEXT, 0);
    CHECK(strcmp(spec_kind(&func_table, ses->sim.func.kind)->name, "beale") == 0 && ses->sim.runs[0].step == 0,
          "F: next function, runs restart");
    CHECK(ses->sim.start[0] == func_def(ses->sim.func.kind)->start[0], "F uses the function's start");
    act(ses, ACTION_FUNCTION_PREV, 0);
    act(ses, ACTION_FUNCTION_PREV, 0);
    CHECK(strcmp(spec_kind(&func_table, ses->sim.func.kind)->name, "quadratic") == 0, "Shift+F twice: quadratic");

    Action click = { .kind = ACTION_SET_START, .x = 50 + 400, .y = 20 + 300 };
    session_apply(ses, &click);
    CHECK(fabs(ses->sim.start[0] - view_wx(&ses->view, 450)) < 1e-12 && ses->sim.runs[0].x == ses->sim.start[0],
          "click sets the start of every run");
    Action outside = { .kind = ACTION_SET_START, .x = 10, .y = 10 };
    const double sx = ses->sim.start[0];
    session_apply(ses, &outside);
    CHECK(ses->sim.start[0] == sx, "a click beside the map is ignored");

    const double w = ses->view.x1 - ses->view.x0;
    Action zoom = { .kind = ACTION_ZOOM, .x = 450, .y = 320, .factor = 2 };
    session_apply(ses, &zoom);
    CHECK(fabs((ses->view.x1 - ses->view.x0) - w / 2) < 1e-12 * w, "wheel zooms");
    CHECK(fabs(view_sx(&ses->view, view_wx(&ses->view, 450)) - 450) < 1e-9, "zoom keeps the cursor point");
    Action pan = { .kind = ACTION_PAN, .x = 100 };
    const double x0 = ses->view.x0;
    session_apply(ses, &pan);
    CHECK(ses->view.x0 < x0, "drag right moves the view left");
    act(ses, ACTION_VIEW_RESET, 0);
    CHECK(fabs((ses->view.x1 - ses->view.x0) - w) < 1e-9 * w, "0 resets the view");

    act(ses, ACTION_PAUSE, 0);
    CHECK(ses->paused, "Space pauses");
    const long before = ses->sim.runs[0].step;
    act(ses, ACTION_STEP, 0);
    CHECK(ses->sim.runs[0].step == before + 1, "N steps once");
    const unsigned panels = ses->shown;
    act(ses, ACTION_TOGGLE_PLOTS, 0);
    act(ses, ACTION_TOGGLE_ARROWS, 0);
    act(ses, ACTION_TOGGLE_CONTOURS, 0);
    CHECK(ses->shown == (panels ^ (SHOW_PLOTS | SHOW_ARROWS | SHOW_CONTOURS)), "C G L toggle");
    const Theme theme = ses->theme;
    act(ses, ACTION_TOGGLE_THEME, 0);
    CHECK(ses->theme != theme, "T switches theme");
    act(ses, ACTION_TOGGLE_RUN, 0);
    CHECK(ses->sim.runs[0].hidden, "V hides");
    const double speed = ses->speed;
    act(ses, ACTION_FASTER, 0);
    CHECK(ses->speed > speed, ". faster");
    Action quit = { .kind = ACTION_QUIT };
    CHECK(session_apply(ses, &quit).flags == EFFECT_QUIT, "Q asks the shell to quit");
    Action shot = { .kind = ACTION_SCREENSHOT, .arg = 2 };
    const Effects fx = session_apply(ses, &shot);
    CHECK(fx.flags == EFFECT_SCREENSHOT && fx.shot_scale == 2, "Shift+S asks for a 2x screenshot");
    Action note = { .kind = ACTION_NOTE, .text = "saved x.png" };
    session_apply(ses, &note);
    CHECK(strcmp(ses->message, "saved x.png") == 0, "the shell's note becomes the message: '%s'", ses->message);
    session_free(ses);
}

/* The layout's map box: the first fits the home view; later ones keep centre and scale,
 * unless the start would leave the map; a new function fits its box into the next one. */
static void check_map_box(void)
{
    const char *runs[] = { "adam" };
    Session *ses = make(runs, 1);
    const View *v = &ses->view;
    Action box = session_map_box(100, 40, 500, 400);
    session_apply(ses, &box);
    const WorldBox b = ses->home;
    CHECK(view_sx(v, b.x0) >= 100 - 1e-6 && view_sx(v, b.x1) <= 600 + 1e-6 && view_sy(v, b.y1) >= 40 - 1e-6 &&
              view_sy(v, b.y0) <= 440 + 1e-6,
          "the first box fits the home view");
    const double scale = (v->x1 - v->x0) / v->pw, cx = (v->x0 + v->x1) / 2;
    box = session_map_box(100, 40, 520, 420);
    session_apply(ses, &box);
    CHECK(fabs((v->x1 - v->x0) / v->pw - scale) < 1e-12 * scale && fabs((v->x0 + v->x1) / 2 - cx) < 1e-9,
          "a slightly larger box keeps centre and scale");
    box = session_map_box(100, 40, 60, 420);
    session_apply(ses, &box);
    CHECK(ses->sim.start[0] >= v->x0 && ses->sim.start[0] <= v->x1 && ses->sim.start[1] >= v->y0 &&
              ses->sim.start[1] <= v->y1,
          "a box too narrow to keep the start in sight fits again");
    act(ses, ACTION_FUNCTION_NEXT, 0);
    CHECK(ses->fit_pending, "a new function waits for its box");
    box = session_map_box(0, 0, 300, 300);
    session_apply(ses, &box);
    CHECK(view_sx(v, ses->home.x0) >= -1e-6 && view_sx(v, ses->home.x1) <= 300 + 1e-6, "and fits it");
    act(ses, ACTION_SELECT, 0);
    act(ses, ACTION_SELECT_PREV, 0);
    CHECK(ses->selected == 0, "Shift+Tab with one run stays on it");
    session_free(ses);
}

/* F then Shift+F brings back the scene's own function setup, and its title only with it. */
static void check_scene_function(void)
{
    Config c;
    char err[256];
    config_defaults(&c);
    config_apply(&c, "function", "quadratic:a=1,b=25,angle=20", 0, err, sizeof err);
    config_apply(&c, "start", "-4.2,2", 0, err, sizeof err);
    config_apply(&c, "title", "Ravine", 0, err, sizeof err);
    config_finish(&c, err, sizeof err);
    Session *ses = calloc(1, sizeof *ses);
    session_init(ses, &c, 0, 0, 800, 600, err, sizeof err);
    CHECK(strcmp(session_title(ses), "Ravine") == 0, "the scene's title shows");
    act(ses, ACTION_FUNCTION_NEXT, 0);
    CHECK(session_title(ses)[0] == 0, "another function hides the scene's title");
    act(ses, ACTION_FUNCTION_PREV, 0);
    CHECK(ses->sim.func.v[1] == 25 && ses->sim.start[0] == -4.2 && strcmp(session_title(ses), "Ravine") == 0,
          "Shift+F returns to the scene's function with its parameters, start and title");
    session_free(ses);
}

static void check_momentum_limits(void);
static void check_optimizer_message(void);
static void check_add_remove(void);
static void check_label_optimizer(void);
static void check_undo(void);
static void check_reload_runs(void);
static void check_ids_after_step_back(void);
static void check_undo_after_step_back(void);
static void check_undo_new_function(void);
static void check_refused_edits(void);
static void check_last_key_cut(void);

/* Every action has its row in session.c's table, whatever its place in the enum. */
static void check_action_rows(void)
{
    for (int k = 0; k < ACTION_COUNT; k++)
        CHECK(session_action_name((ActionKind)k) != NULL, "action %d (after %s) has no row in the action table", k,
              k ? session_action_name((ActionKind)(k - 1)) : "-");
}

/* Settings and an action without a row leave the recorded past alone: back at step 40 of
 * 50, each keeps all 50 steps (one that was taken for a change of a run cut them to 40). */
static void check_past_kept(void)
{
    const char *runs[] = { "sgd:lr=0.001" };
    Session *ses = make(runs, 1);
    for (int i = 0; i < 50; i++)
        session_step(ses);
    session_go_to(ses, 40);
    static const ActionKind settings[] = { ACTION_TOGGLE_CONTOURS, ACTION_TOGGLE_ARROWS, ACTION_TOGGLE_PLOTS,
                                           ACTION_TOGGLE_COLORBAR, ACTION_TOGGLE_AXIS_LABELS, ACTION_LEGEND_CYCLE,
                                           ACTION_TOGGLE_FLOAT, ACTION_TOGGLE_CAPTION, ACTION_TOGGLE_THEME,
                                           ACTION_HELP, ACTION_SLOWER, ACTION_FASTER, ACTION_TOGGLE_CURVATURE,
                                           ACTION_TOGGLE_BASINS, ACTION_TOGGLE_SHARPNESS, ACTION_TOGGLE_RUN,
                                           ACTION_COUNT };
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        const unsigned long serial = ses->message_serial;
        const Action a = { .kind = settings[i] };
        const Effects fx = session_apply(ses, &a);
        CHECK(ses->timeline->head == 50 && ses->tick == 40, "%s cut the past to step %ld",
              session_action_name(settings[i]) ? session_action_name(settings[i]) : "an action without a row",
              ses->timeline->head);
        if (settings[i] == ACTION_COUNT)
            CHECK(fx.flags == 0 && ses->message_serial == serial, "an action without a row did something: %#x, '%s'",
                  fx.flags, ses->message);
    }
    session_free(ses);
}

/* A toggle turns its bits on and off together and says so; A's pair follows the sharpness plot. */
static void check_toggles(void)
{
    const char *runs[] = { "sgd:lr=0.001" };
    Session *ses = make(runs, 1);
    ses->shown = SHOW_GRADNORM;
    act(ses, ACTION_TOGGLE_SHARPNESS, 0);
    CHECK((ses->shown & (SHOW_SHARPNESS | SHOW_GRADNORM)) == (SHOW_SHARPNESS | SHOW_GRADNORM) &&
              strcmp(ses->message, "sharpness and gradient-norm plots on") == 0,
          "A with only gradnorm shown: %#x '%s'", ses->shown, ses->message);
    act(ses, ACTION_TOGGLE_SHARPNESS, 0);
    CHECK(!(ses->shown & (SHOW_SHARPNESS | SHOW_GRADNORM)), "A again: %#x", ses->shown);
    act(ses, ACTION_TOGGLE_CONTOURS, 0);
    CHECK(ses->shown == SHOW_CONTOURS && strcmp(ses->message, "isolines on") == 0, "C: %#x '%s'", ses->shown,
          ses->message);
    session_free(ses);
}

void test_session(void)
{
    check_action_rows();
    check_past_kept();
    check_toggles();
    check_lr_keys();
    check_schedule_keys();
    check_decay_limits();
    check_lr_under_schedule();
    check_session_keys();
    check_map_box();
    check_scene_function();
    check_momentum_limits();
    check_optimizer_message();
    check_add_remove();
    check_label_optimizer();
    check_undo();
    check_reload_runs();
    check_ids_after_step_back();
    check_undo_after_step_back();
    check_undo_new_function();
    check_refused_edits();
    check_last_key_cut();
}

/* Keys never move a value the wrong way, and say so at a limit, in digits that show it. */
static void check_momentum_limits(void)
{
    const char *runs[] = { "sgd:lr=0.001,momentum=0.9999", "adam:beta1=0.9999", "sgd:momentum=0.999" };
    Session *ses = make(runs, 3);
    for (int i = 0; i < 2; i++) {
        act(ses, ACTION_SELECT, i);
        act(ses, ACTION_MOMENTUM_UP, 0);
        CHECK(ses->sim.runs[i].opt.v[1] == 0.9999, "M lowered run %d's momentum to %.17g", i, ses->sim.runs[i].opt.v[1]);
        CHECK(strstr(ses->message, "stays 0.9999") && strstr(ses->message, "limit"), "at the limit: '%s'", ses->message);
    }
    act(ses, ACTION_SELECT, 0);
    act(ses, ACTION_MOMENTUM_DOWN, 0);
    CHECK(fabs(ses->sim.runs[0].opt.v[1] - 0.95) < 1e-12 && strstr(ses->message, "0.9999 \xe2\x86\x92 0.95"),
          "Shift+M from 0.9999: '%s'", ses->message);
    act(ses, ACTION_SELECT, 2);
    act(ses, ACTION_MOMENTUM_UP, 0);
    CHECK(ses->sim.runs[2].opt.v[1] == 0.999 && strstr(ses->message, "stays 0.999 "), "at 0.999: '%s'", ses->message);
    session_free(ses);
}

/* O on a run labelled by its optimizer: the message does not call the old one by the new name. */
static void check_optimizer_message(void)
{
    const char *runs[] = { "sgd", "sgd:label=mine" };
    Session *ses = make(runs, 2);
    act(ses, ACTION_OPTIMIZER_NEXT, 0);
    CHECK(strncmp(ses->message, "adagrad:", 8) != 0 && strstr(ses->message, "optimizer sgd \xe2\x86\x92 adagrad"),
          "unlabelled run: '%s'", ses->message);
    act(ses, ACTION_SELECT, 1);
    act(ses, ACTION_OPTIMIZER_NEXT, 0);
    CHECK(strcmp(ses->message, "mine: optimizer sgd \xe2\x86\x92 adagrad") == 0, "labelled run: '%s'", ses->message);
    session_free(ses);
}

/* `=` with the prefill erased, `line` typed and Enter. */
static void type_value(Session *ses, const char *line)
{
    const Action open = { .kind = ACTION_EDIT_OPEN, .arg = EDIT_FOR_VALUE }, end = { .kind = ACTION_EDIT_KEY, .arg = EDIT_END };
    const Action back = { .kind = ACTION_EDIT_KEY, .arg = EDIT_BACKSPACE }, enter = { .kind = ACTION_EDIT_APPLY };
    const Action typed = { .kind = ACTION_EDIT_TEXT, .text = line };
    session_apply(ses, &open);
    session_apply(ses, &end);
    while (ses->edit.text[0])
        session_apply(ses, &back);
    session_apply(ses, &typed);
    session_apply(ses, &enter);
}

/* What --optimizer says of `spec` (with `label` as its label=, when given). */
static void cli_error(const char *spec, char *err, size_t len)
{
    Config c;
    config_defaults(&c);
    err[0] = '\0';
    if (config_apply(&c, "optimizer", spec, CONFIG_FROM_ARGS, err, len) == 0)
        config_finish(&c, err, len);
}

static const char *label_of(const Session *ses, int i)
{
    static char buf[LABEL_TEXT_MAX];
    sim_label(&ses->sim.runs[i], buf, sizeof buf);
    return buf;
}

/* The dump's "undo" object and each run's label, as a test reads them. */
static int dump_has(const Session *ses, const char *text)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return 0;
    session_dump_json(ses, NULL, f);
    fclose(f);
    const int found = strstr(buf, text) != NULL;
    free(buf);
    return found;
}

/* + copies the selected run from the start at step 0, with the next free number; up to
 * SIM_MAX_RUNS; Delete removes the selected run but never the last. */
static void check_add_remove(void)
{
    const char *runs[] = { "adam:lr=0.05", "sgd:lr=0.001,momentum=0.9,label=heavy ball" };
    Session *ses = make(runs, 2);
    for (int i = 0; i < 30; i++)
        session_step(ses);
    act(ses, ACTION_RUN_ADD, 0);
    const Run *r = &ses->sim.runs[2];
    CHECK(ses->sim.nruns == 3 && ses->selected == 2 && strcmp(label_of(ses, 2), "adam 2") == 0 && r->step == 0 &&
              r->x == ses->sim.start[0] && r->y == ses->sim.start[1] && r->opt.v[0] == 0.05 &&
              ses->sim.runs[0].step == 30,
          "+ on adam: a third run 'adam 2' at step 0 from the start, the others at 30: %d runs, '%s', step %ld",
          ses->sim.nruns, label_of(ses, 2), r->step);
    CHECK(strstr(ses->message, "added adam 2") != NULL, "+ says what it added: '%s'", ses->message);
    CHECK(dump_has(ses, "\"label\": \"adam 2\", \"label_template\": \"{optimizer} 2\", \"id\": 3") &&
              dump_has(ses, "\"undo\": {\"depth\": 1, \"last\": \"added adam 2"),
          "the dump shows the copy and the undo");
    act(ses, ACTION_RUN_ADD, 0);
    CHECK(strcmp(label_of(ses, 3), "adam 3") == 0, "+ on 'adam 2' gives 'adam 3': '%s'", label_of(ses, 3));
    act(ses, ACTION_SELECT, 1);
    act(ses, ACTION_RUN_ADD, 0);
    CHECK(strcmp(label_of(ses, 4), "heavy ball 2") == 0, "+ on a labelled run: '%s'", label_of(ses, 4));
    while (ses->sim.nruns < SIM_MAX_RUNS)
        act(ses, ACTION_RUN_ADD, 0);
    const int depth = ses->nundo;
    act(ses, ACTION_RUN_ADD, 0);
    CHECK(ses->sim.nruns == SIM_MAX_RUNS && strstr(ses->message, "9 runs, the most") && ses->nundo == depth,
          "+ with 9 runs says so and adds nothing to undo: '%s'", ses->message);
    act(ses, ACTION_SELECT, 0);
    act(ses, ACTION_RUN_REMOVE, 0);
    CHECK(ses->sim.nruns == SIM_MAX_RUNS - 1 && strcmp(label_of(ses, 0), "heavy ball") == 0 && ses->selected == 0 &&
              strstr(ses->message, "removed adam"),
          "Delete on run 1 removes adam; heavy ball moves up: '%s', '%s'", label_of(ses, 0), ses->message);
    while (ses->sim.nruns > 1)
        act(ses, ACTION_RUN_REMOVE, 0);
    act(ses, ACTION_RUN_REMOVE, 0);
    CHECK(ses->sim.nruns == 1 && strstr(ses->message, "the last run stays"), "Delete never removes the last run: '%s'",
          ses->message);
    session_free(ses);
}

/* = label and optimizer: checked as the command line checks them, a bad one leaves the run
 * as it was with the command line's message. */
static void check_label_optimizer(void)
{
    const char *runs[] = { "adam:lr=0.05", "sgd:lr=0.001,momentum=0.9" };
    Session *ses = make(runs, 2);
    for (int i = 0; i < 20; i++)
        session_step(ses);
    act(ses, ACTION_SELECT, 1);
    const Run before = ses->sim.runs[1];
    type_value(ses, "label = fast {lr}");
    CHECK(strcmp(label_of(ses, 1), "fast 0.001") == 0 && strstr(ses->message, "label fast 0.001"),
          "label = fast {lr}: '%s', '%s'", label_of(ses, 1), ses->message);
    char err[256];
    type_value(ses, "label = {beta9}");
    cli_error("sgd:label={beta9}", err, sizeof err);
    /* The command line knows the run's schedule only later: its list of fields says so. */
    CHECK(strcmp(label_of(ses, 1), "fast 0.001") == 0 && err[0] && strncmp(ses->message, err, strcspn(err, "(")) == 0,
          "a bad label changes nothing, with the command line's message: '%s' / '%s'", ses->message, err);
    type_value(ses, "optimizer = adam:lr=0.1");
    const Run *r = &ses->sim.runs[1];
    CHECK(strcmp(spec_kind(&optim_table, r->opt.kind)->name, "adam") == 0 && r->opt.v[0] == 0.1 && r->x == before.x &&
              r->y == before.y && r->step == 20 && strcmp(r->opt.label, "fast {lr}") == 0 &&
              strcmp(label_of(ses, 1), "fast 0.1") == 0,
          "optimizer = adam:lr=0.1: adam at lr 0.1 where the run was, its label kept: '%s'", label_of(ses, 1));
    const Run adam = *r;
    type_value(ses, "optimizer = adam:lr=-1");
    cli_error("adam:lr=-1", err, sizeof err);
    CHECK(memcmp(&r->opt, &adam.opt, sizeof adam.opt) == 0 && err[0] && strcmp(ses->message, err) == 0 &&
              dump_has(ses, "\"hyper\": {\"lr\": 0.10000000000000001"),
          "a bad spec leaves the run as it was, with the command line's message: '%s' / '%s'", ses->message, err);
    type_value(ses, "optimizer = adam:lr=0.1,batch_size=4");
    cli_error("adam:batch_size=4", err, sizeof err);
    CHECK(r->opt.batch == 0 && strcmp(ses->message, err) == 0, "batch_size without data: '%s' / '%s'", ses->message, err);
    type_value(ses, "optimizer = nosuch");
    cli_error("nosuch", err, sizeof err);
    CHECK(strncmp(ses->message, err, strlen(ses->message)) == 0 && strlen(ses->message) > 40,
          "an unknown optimizer, in the command line's words (cut to the message's room): '%s' / '%s'", ses->message, err);
    act(ses, ACTION_SELECT, 0);
    type_value(ses, "optimizer = sgd:lr=0.02,label=plain");
    CHECK(strcmp(label_of(ses, 0), "plain") == 0 && ses->sim.runs[0].opt.v[0] == 0.02,
          "a spec's own label replaces the run's: '%s'", label_of(ses, 0));
    session_free(ses);
}

/* Ctrl+Z undoes the edits of the runs one by one, latest first, and says which. */
static void check_undo(void)
{
    const char *runs[] = { "adam:lr=0.05", "sgd:lr=0.001,momentum=0.9" };
    Session *ses = make(runs, 2);
    Sim start = ses->sim;
    for (int i = 0; i < 10; i++)
        session_step(ses);
    act(ses, ACTION_RUN_ADD, 0);     /* adam 2, selected */
    act(ses, ACTION_SELECT, 1);
    for (int i = 0; i < 5; i++)
        session_step(ses);
    const Run sgd = ses->sim.runs[1];
    act(ses, ACTION_RUN_REMOVE, 0);  /* sgd goes at step 15 */
    act(ses, ACTION_SELECT, 0);
    type_value(ses, "optimizer = rmsprop:lr=0.01");
    type_value(ses, "label = mine");
    act(ses, ACTION_LR_UP, 0);
    type_value(ses, "lr = 0.5x");    /* refused: nothing to undo */
    CHECK(ses->nundo == 5, "five edits to undo: %d", ses->nundo);
    act(ses, ACTION_UNDO, 0);
    CHECK(ses->sim.runs[0].opt.v[0] == 0.01 && strstr(ses->message, "undone: mine: lr"), "undo the lr: '%s'", ses->message);
    act(ses, ACTION_UNDO, 0);
    CHECK(strcmp(label_of(ses, 0), "rmsprop") == 0 && strstr(ses->message, "undone: run 1: label mine"),
          "undo the label: '%s', '%s'", label_of(ses, 0), ses->message);
    act(ses, ACTION_UNDO, 0);
    CHECK(strcmp(label_of(ses, 0), "adam") == 0 && ses->sim.runs[0].opt.v[0] == 0.05 && ses->sim.runs[0].step == 15 &&
              strstr(ses->message, "undone: rmsprop: optimizer rmsprop"),
          "undo the optimizer: adam back at its point: '%s', '%s'", label_of(ses, 0), ses->message);
    act(ses, ACTION_UNDO, 0);
    const Run *back = &ses->sim.runs[1];
    CHECK(ses->sim.nruns == 3 && back->id == sgd.id && back->x == sgd.x && back->step == 15 && ses->selected == 1 &&
              strstr(ses->message, "undone: removed sgd"),
          "undo the removal: sgd back as run 2, as it was: '%s'", ses->message);
    act(ses, ACTION_UNDO, 0);
    CHECK(ses->sim.nruns == 2 && strcmp(ses->message, "undone: added adam 2") == 0, "undo the copy, its aside left out: '%s'",
          ses->message);
    for (int i = 0; i < 2; i++)
        CHECK(ses->sim.runs[i].id == start.runs[i].id && memcmp(&ses->sim.runs[i].opt, &start.runs[i].opt, sizeof start.runs[i].opt) == 0,
              "run %d as it started", i + 1);
    act(ses, ACTION_UNDO, 0);
    CHECK(strstr(ses->message, "nothing to undo") && dump_has(ses, "\"undo\": {\"depth\": 0, \"last\": null}"),
          "and then nothing: '%s'", ses->message);
    session_free(ses);
}

/* The scene again (Ctrl+L sends ACTION_LOAD with it): the scene's own runs, nothing to undo. */
static void check_reload_runs(void)
{
    Config c;
    char err[256];
    config_defaults(&c);
    config_apply(&c, "optimizer", "adam:lr=0.05", 0, err, sizeof err);
    config_apply(&c, "optimizer", "sgd:lr=0.001", 0, err, sizeof err);
    config_finish(&c, err, sizeof err);
    Session *ses = calloc(1, sizeof *ses);
    session_init(ses, &c, 0, 0, 800, 600, err, sizeof err);
    act(ses, ACTION_RUN_ADD, 0);
    type_value(ses, "optimizer = rmsprop");
    act(ses, ACTION_SELECT, 0);
    act(ses, ACTION_RUN_REMOVE, 0);
    const Action load = { .kind = ACTION_LOAD, .config = &c, .text = "lesson.scene" };
    session_apply(ses, &load);
    CHECK(ses->sim.nruns == 2 && strcmp(label_of(ses, 0), "adam") == 0 && strcmp(label_of(ses, 1), "sgd") == 0 &&
              ses->nundo == 0,
          "the scene's runs back: %d runs, '%s'", ses->sim.nruns, label_of(ses, 0));
    session_free(ses);
}

/* A run added, the runs stepped back to before it and one added again: the new one gets an
 * id of its own, so Ctrl+Z, which still holds the first, never brings two runs with one id;
 * and no two trails have one version, so the picture never takes one for another. */
static void check_ids_after_step_back(void)
{
    const char *runs[] = { "adam:lr=0.05", "sgd:lr=0.001" };
    Session *ses = make(runs, 2);
    for (int i = 0; i < 10; i++)
        session_step(ses);
    act(ses, ACTION_RUN_ADD, 0);
    const unsigned first = ses->sim.runs[2].id;
    session_go_to(ses, 5);
    act(ses, ACTION_RUN_ADD, 0);
    CHECK(ses->sim.nruns == 3 && ses->sim.runs[2].id != first, "the second copy's id %u, the first's %u",
          ses->sim.runs[2].id, first);
    act(ses, ACTION_RUN_REMOVE, 0);
    act(ses, ACTION_UNDO, 0);
    act(ses, ACTION_UNDO, 0);
    act(ses, ACTION_UNDO, 0);
    for (int i = 0; i < ses->sim.nruns; i++)
        for (int j = i + 1; j < ses->sim.nruns; j++)
            CHECK(ses->sim.runs[i].id != ses->sim.runs[j].id && ses->trails[i].version != ses->trails[j].version,
                  "runs %d and %d share id %u or their trails a version", i, j, ses->sim.runs[i].id);
    session_free(ses);
}

/* Stepping back before an edit leaves it to the timeline: Ctrl+Z never acts on the runs as
 * a later step had them. */
static void check_undo_after_step_back(void)
{
    const char *runs[] = { "adam:lr=0.05", "sgd:lr=0.001", "rmsprop:lr=0.01" };
    Session *ses = make(runs, 3);
    for (int i = 0; i < 50; i++)
        session_step(ses);
    act(ses, ACTION_RUN_REMOVE, 0); /* run 1 at 50 */
    for (int i = 0; i < 5; i++)
        session_step(ses);
    act(ses, ACTION_LR_UP, 0);      /* at 55 */
    for (int i = 0; i < 5; i++)
        session_step(ses);
    for (int i = 0; i < 15; i++)
        act(ses, ACTION_STEP_BACK, 0);
    CHECK(ses->tick == 45 && ses->sim.nruns == 3, "back at 45, run 1 back: step %ld, %d runs", ses->tick, ses->sim.nruns);
    act(ses, ACTION_UNDO, 0);
    CHECK(ses->sim.nruns == 3 && strstr(ses->message, "nothing to undo") &&
              dump_has(ses, "\"undo\": {\"depth\": 0, \"last\": null}"),
          "Ctrl+Z at 45 leaves the edits of 50 and 55 alone: %d runs, '%s'", ses->sim.nruns, ses->message);
    session_free(ses);

    ses = make(runs, 2);
    for (int i = 0; i < 50; i++)
        session_step(ses);
    act(ses, ACTION_RUN_ADD, 0);
    act(ses, ACTION_REWIND, 0); /* Home */
    act(ses, ACTION_UNDO, 0);
    CHECK(ses->sim.nruns == 3 && strstr(ses->message, "nothing to undo"), "Home, then Ctrl+Z: %d runs, '%s'",
          ses->sim.nruns, ses->message);
    session_free(ses);
}

/* A run Ctrl+Z brings back under another function than it left takes its loss and
 * gradient on the function as it is, as the other runs did when it changed. */
static void check_undo_new_function(void)
{
    static const char *const funcs[] = { NULL, "quadratic:a=1,b=10" };
    for (int k = 0; k < 2; k++) {
        Config c;
        char err[256];
        config_defaults(&c);
        if (funcs[k])
            config_apply(&c, "function", funcs[k], 0, err, sizeof err);
        config_apply(&c, "optimizer", "adam:lr=0.05", 0, err, sizeof err);
        config_apply(&c, "optimizer", "sgd:lr=0.001", 0, err, sizeof err);
        config_finish(&c, err, sizeof err);
        Session *ses = calloc(1, sizeof *ses);
        session_init(ses, &c, 0, 0, 800, 600, err, sizeof err);
        for (int i = 0; i < 50; i++)
            session_step(ses);
        act(ses, ACTION_RUN_REMOVE, 0);
        if (funcs[k])
            type_value(ses, "b = 20");
        else
            act(ses, ACTION_FUNCTION_NEXT, 0);
        act(ses, ACTION_UNDO, 0);
        const Run *r = &ses->sim.runs[0];
        double g[2];
        const double loss = func_value_grad(&ses->sim.func, r->x, r->y, g);
        CHECK(ses->sim.nruns == 2 && strstr(ses->message, "undone: removed adam") && r->loss == loss && r->g[0] == g[0] &&
                  r->g[1] == g[1],
              "%s: adam back with the loss %g and gradient (%g, %g) of the function now: %g (%g, %g), '%s'",
              funcs[k] ? "b = 20" : "F", r->loss, r->g[0], r->g[1], loss, g[0], g[1], ses->message);
        session_free(ses);
    }
}

/* An edit refused, or Ctrl+Z with nothing to undo, changes nothing: the recorded future
 * stays, and the undo stack keeps all it holds. */
static void check_refused_edits(void)
{
    const char *runs[] = { "adam:lr=0.05" };
    Session *ses = make(runs, 1);
    for (int i = 0; i < 70; i++)
        session_step(ses);
    act(ses, ACTION_LR_UP, 0);
    for (int i = 0; i < 30; i++)
        session_step(ses);
    const double lr = ses->sim.runs[0].opt.v[0];
    session_go_to(ses, 40);
    act(ses, ACTION_RUN_REMOVE, 0);
    act(ses, ACTION_UNDO, 0);
    for (int i = 0; i < 60; i++)
        session_step(ses);
    CHECK(ses->sim.runs[0].opt.v[0] == lr && lr == 0.05 * 1.25, "back at 100 after a refused Delete and Ctrl+Z at 40: lr %g, want %g",
          ses->sim.runs[0].opt.v[0], lr);
    session_free(ses);

    ses = make(runs, 1);
    for (int i = 0; i < SESSION_UNDO; i++)
        act(ses, ACTION_LR_UP, 0);
    act(ses, ACTION_RUN_REMOVE, 0);
    CHECK(ses->nundo == SESSION_UNDO, "a refused Delete with %d edits stored keeps them: %d", SESSION_UNDO, ses->nundo);
    for (int i = 0; i < SESSION_UNDO; i++)
        act(ses, ACTION_UNDO, 0);
    CHECK(ses->sim.runs[0].opt.v[0] == 0.05, "and Ctrl+Z undoes all of them: lr %g", ses->sim.runs[0].opt.v[0]);
    session_free(ses);
}

/* The presenter's last key is cut at a character, never inside one. */
static void check_last_key_cut(void)
{
    const char *runs[] = { "adam:lr=0.05" };
    for (int k = 0; k < 4; k++) {
        Session *ses = make(runs, 1);
        char line[SESSION_EDIT_MAX] = "lr = ";
        for (int i = 0; i < k; i++)
            strcat(line, "a");
        for (int i = 0; i < 80; i++)
            strcat(line, "\xc3\xa9");
        type_value(ses, line);
        CHECK(utf8_valid(ses->presenter.last_key), "last key %d cut inside a character: %zu bytes", k, strlen(ses->presenter.last_key));
        session_free(ses);
    }
}
