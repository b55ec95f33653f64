/* The action layer without a window: every key's action changes the session as the help
 * says, and the state dump reports it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/func.h"
#include "../src/core/sched.h"
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
    Action a = { kind, arg, 0, 0, 0 };
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
    free(ses);
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
    free(ses);
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
        free(ses);
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
        free(ses);
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

    Action click = { ACTION_SET_START, 0, 50 + 400, 20 + 300, 0 };
    session_apply(ses, &click);
    CHECK(fabs(ses->sim.start[0] - view_wx(&ses->view, 450)) < 1e-12 && ses->sim.runs[0].x == ses->sim.start[0],
          "click sets the start of every run");
    Action outside = { ACTION_SET_START, 0, 10, 10, 0 };
    const double sx = ses->sim.start[0];
    session_apply(ses, &outside);
    CHECK(ses->sim.start[0] == sx, "a click beside the map is ignored");

    const double w = ses->view.x1 - ses->view.x0;
    Action zoom = { ACTION_ZOOM, 0, 450, 320, 2 };
    session_apply(ses, &zoom);
    CHECK(fabs((ses->view.x1 - ses->view.x0) - w / 2) < 1e-12 * w, "wheel zooms");
    CHECK(fabs(view_sx(&ses->view, view_wx(&ses->view, 450)) - 450) < 1e-9, "zoom keeps the cursor point");
    Action pan = { ACTION_PAN, 0, 100, 0, 0 };
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
    const unsigned panels = ses->panels;
    act(ses, ACTION_TOGGLE_PLOTS, 0);
    act(ses, ACTION_TOGGLE_FIELD, 0);
    act(ses, ACTION_TOGGLE_CONTOURS, 0);
    CHECK(ses->panels == (panels ^ (PANEL_PLOTS | PANEL_FIELD | PANEL_CONTOURS)), "C G L toggle");
    const Theme theme = ses->theme;
    act(ses, ACTION_TOGGLE_THEME, 0);
    CHECK(ses->theme != theme, "T switches theme");
    act(ses, ACTION_TOGGLE_RUN, 0);
    CHECK(ses->sim.runs[0].hidden, "V hides");
    const double speed = ses->speed;
    act(ses, ACTION_FASTER, 0);
    CHECK(ses->speed > speed, ". faster");
    act(ses, ACTION_QUIT, 0);
    CHECK(ses->quit, "Q quits");
    free(ses);
}

/* The home view keeps its box whole and left of the panels' room, the 0 key and a new
 * function fit the same way, and a room too wide for the map is not kept. */
static void check_panel_room(void)
{
    const char *runs[] = { "adam" };
    Session *ses = make(runs, 1);
    session_set_panel_room(ses, 300);
    const View *v = &ses->view;
    const double *b = ses->home;
    const double left = view_sx(v, b[0]), right = view_sx(v, b[1]), top = view_sy(v, b[3]), bottom = view_sy(v, b[2]);
    CHECK(left >= 50 - 1e-6 && right <= 50 + 800 - 300 + 1e-6 && top >= 20 - 1e-6 && bottom <= 620 + 1e-6,
          "home box at x %g..%g, y %g..%g: not inside the map left of 300 px of room", left, right, top, bottom);
    CHECK(fabs((left + right) / 2 - (50 + 250)) < 1e-6, "home box not centred beside the room: x %g..%g", left,
          right);
    Action pan = { ACTION_PAN, 0, 40, 10, 0 };
    session_apply(ses, &pan);
    act(ses, ACTION_VIEW_RESET, 0);
    CHECK(fabs(view_sx(v, b[1]) - right) < 1e-6, "0 does not go back to the home view beside the room");
    act(ses, ACTION_FUNCTION_NEXT, 0);
    CHECK(view_sx(v, ses->home[1]) <= 550 + 1e-6, "a new function's box runs under the panels: right edge %g",
          view_sx(v, ses->home[1]));
    session_set_panel_room(ses, 500);
    CHECK(fabs((view_sx(v, ses->home[0]) + view_sx(v, ses->home[1])) / 2 - 450) < 1e-6,
          "a room of more than 60%% of the map is kept anyway");
    free(ses);
}

static void check_momentum_limits(void);
static void check_optimizer_message(void);

void test_session(void)
{
    check_lr_keys();
    check_schedule_keys();
    check_decay_limits();
    check_lr_under_schedule();
    check_session_keys();
    check_panel_room();
    check_momentum_limits();
    check_optimizer_message();
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
    free(ses);
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
    free(ses);
}
