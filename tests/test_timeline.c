/* Stepping back: the state a step back reaches is, bit for bit, the state the runs first
 * had there, with noise, live changes and thinned copies; and the memory stays bounded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/func.h"
#include "../src/session/session.h"
#include "check.h"

static Session *make(double noise)
{
    Config c;
    char err[256];
    config_defaults(&c);
    c.noise = noise;
    config_finish(&c, err, sizeof err);
    Session *ses = calloc(1, sizeof *ses);
    if (session_init(ses, &c, 0, 0, 800, 600, err, sizeof err) < 0)
        fprintf(stderr, "session_init: %s\n", err);
    return ses;
}

static void act(Session *ses, ActionKind kind)
{
    const Action a = { .kind = kind };
    session_apply(ses, &a);
}

static void steps(Session *ses, long n)
{
    for (long i = 0; i < n; i++)
        session_step(ses);
}

/* x, y, loss, lr, hyperparameters and the noise stream of every run. */
static int same_runs(const Session *a, const Session *b)
{
    if (a->tick != b->tick || a->sim.nruns != b->sim.nruns || memcmp(&a->sim.func, &b->sim.func, sizeof a->sim.func))
        return 0;
    for (int i = 0; i < a->sim.nruns; i++) {
        const Run *p = &a->sim.runs[i], *q = &b->sim.runs[i];
        if (memcmp(&p->x, &q->x, sizeof p->x) || memcmp(&p->y, &q->y, sizeof p->y) ||
            memcmp(&p->loss, &q->loss, sizeof p->loss) || memcmp(&p->lr, &q->lr, sizeof p->lr) ||
            memcmp(&p->lr_used, &q->lr_used, sizeof p->lr_used) || memcmp(p->opt.v, q->opt.v, sizeof p->opt.v) ||
            p->rng != q->rng || p->step != q->step || p->diverged != q->diverged ||
            memcmp(&p->sst, &q->sst, sizeof p->sst) || memcmp(&p->sched, &q->sched, sizeof p->sched))
            return 0;
    }
    return 1;
}

/* The runs, and what the trails and plots hold. */
static int same(const Session *a, const Session *b)
{
    if (!same_runs(a, b))
        return 0;
    for (int i = 0; i < a->sim.nruns; i++) {
        const Trail *s = &a->trails[i], *t = &b->trails[i];
        if (s->n != t->n || memcmp(s->xy, t->xy, sizeof s->xy[0] * 2 * (size_t)s->n) || memcmp(s->last, t->last, sizeof s->last))
            return 0;
        const History *g = &a->hist[i], *h = &b->hist[i];
        if (g->n != h->n || g->stride != h->stride || memcmp(g->loss, h->loss, sizeof g->loss[0] * (size_t)g->n))
            return 0;
    }
    return 1;
}

static void check_back_equals_fresh(double noise)
{
    Session *a = make(noise), *b = make(noise);
    steps(a, 100);
    for (int i = 0; i < 10; i++)
        act(a, ACTION_STEP_BACK);
    steps(b, 90);
    CHECK(a->paused && a->tick == 90, "ten steps back from 100 is step 90, paused: %ld", a->tick);
    CHECK(same(a, b), "noise %g: 100 steps and 10 back equal 90 steps", noise);
    steps(a, 10);
    steps(b, 10);
    CHECK(same(a, b), "noise %g: and forward again to 100", noise);
    session_free(a);
    session_free(b);
}

/* An lr change at step 50: back before it and forward again takes it again. */
static void check_live_change(void)
{
    Session *a = make(0.5), *b = make(0.5);
    steps(a, 50);
    act(a, ACTION_LR_UP);
    steps(a, 50);
    Session *at100 = session_clone(a); /* a's state at 100, its past its own */
    for (int i = 0; i < 10; i++)
        act(a, ACTION_STEP_BACK);
    steps(b, 50);
    act(b, ACTION_LR_UP);
    steps(b, 40);
    CHECK(same(a, b), "back to 90 after an lr change at 50");
    CHECK(session_go_to(a, 45) == 0 && a->sim.runs[0].opt.v[0] == 0.001, "at 45 the lr is the one before the change: %g",
          a->sim.runs[0].opt.v[0]);
    steps(a, 55);
    CHECK(same(a, at100), "forward again from 45 takes the change at 50 again");
    /* A new change at 60 drops the recorded future beyond it. */
    session_go_to(a, 60);
    act(a, ACTION_LR_DOWN);
    CHECK(a->timeline->head == 60 && session_go_to(a, 70) < 0, "a change at 60 makes it the farthest step recorded");
    session_free(a);
    session_free(b);
    session_free(at100);
}

static void check_rewind_and_stop(void)
{
    Session *a = make(0);
    act(a, ACTION_LR_UP);
    const double lr = a->sim.runs[0].opt.v[0];
    steps(a, 30);
    act(a, ACTION_REWIND);
    CHECK(a->tick == 0 && a->paused && a->sim.runs[0].step == 0 && a->sim.runs[0].opt.v[0] == lr,
          "Home: step 0, paused, the lr kept");
    act(a, ACTION_STEP_BACK);
    CHECK(a->tick == 0 && strstr(a->message, "nothing recorded") != NULL, "no step before 0: '%s'", a->message);
    const Action stop = { .kind = ACTION_STOP_AT, .arg = 25 };
    session_apply(a, &stop);
    a->paused = 0;
    for (int i = 0; i < 40 && !a->paused; i++)
        session_step(a);
    CHECK(a->paused && a->tick == 25 && strstr(a->message, "step 25") != NULL, "the scene's steps pause the runs: %ld '%s'",
          a->tick, a->message);
    session_free(a);
}

/* Long runs: the copies stay within their array, the interval grows, and going back far
 * still gives the first pass's state. */
static void check_bounded(void)
{
    Session *a = make(0.3), *b = make(0.3);
    steps(a, 20000);
    CHECK(a->timeline->n <= TIMELINE_CHECKPOINTS && a->timeline->interval > TIMELINE_INTERVAL,
          "copies bounded: %d, interval %ld", a->timeline->n, a->timeline->interval);
    CHECK(session_go_to(a, 12345) == 0, "step 12345 reachable");
    steps(b, 12345);
    for (int i = 0; i < b->sim.nruns; i++)
        CHECK(memcmp(&a->sim.runs[i].x, &b->sim.runs[i].x, sizeof(double)) == 0 && a->sim.runs[i].rng == b->sim.runs[i].rng,
              "run %d at step 12345 as first reached", i);
    session_free(a);
    session_free(b);
}

/* The timeline is the session's own allocation: a copy for a picture is small and has none,
 * so what it does reaches no one's past; a clone has a past of its own. */
static void check_copies(void)
{
    CHECK(sizeof(Session) < 8u << 20 && sizeof(Session) * 3 < sizeof(Timeline),
          "a session is small beside its timeline: %zu bytes, the timeline %zu", sizeof(Session), sizeof(Timeline));
    Session *a = make(0.5), *b = make(0.5);
    steps(a, 100);
    Session *shown = malloc(sizeof *shown);
    session_copy_shown(shown, a);
    CHECK(shown->timeline == NULL && same(shown, a), "a copy for a picture: the runs as they are, no timeline");
    steps(shown, 50);
    act(shown, ACTION_STEP_BACK);
    CHECK(shown->tick == 150 && strstr(shown->message, "nothing recorded") != NULL,
          "a copy steps unrecorded: %ld '%s'", shown->tick, shown->message);
    act(shown, ACTION_LR_UP);
    act(shown, ACTION_REWIND);
    CHECK(shown->tick == 0 && shown->paused, "Home on a copy: step 0");
    free(shown);
    Session *clone = session_clone(a);
    CHECK(clone && clone->timeline && clone->timeline != a->timeline && same(clone, a), "a clone has a past of its own");
    if (clone) {
        act(clone, ACTION_LR_UP);
        steps(clone, 300);
        for (int i = 0; i < 5; i++)
            act(clone, ACTION_STEP_BACK);
        CHECK(clone->tick == 395, "the clone steps back in its own past: %ld", clone->tick);
        session_free(clone);
    }
    for (int i = 0; i < 10; i++)
        act(a, ACTION_STEP_BACK);
    steps(b, 90);
    CHECK(a->timeline->head == 100 && same(a, b), "after its copies stepped and changed, the original's past is as it was");
    session_free(a);
    session_free(b);
}

/* A session from command-line options, NAME and VALUE pairs. */
static Session *make_from(const char *const (*opts)[2], size_t n)
{
    Config c;
    char err[256];
    config_defaults(&c);
    for (size_t i = 0; i < n; i++)
        if (config_apply(&c, opts[i][0], opts[i][1], CONFIG_FROM_ARGS, err, sizeof err) < 0)
            fprintf(stderr, "%s\n", err);
    config_finish(&c, err, sizeof err);
    Session *ses = calloc(1, sizeof *ses);
    if (session_init(ses, &c, 0, 0, 800, 600, err, sizeof err) < 0)
        fprintf(stderr, "session_init: %s\n", err);
    return ses;
}

/* Rosenbrock with noise: sgd under the bold driver typed as a formula (its state: the last
 * lr, the loss before), and adam. */
static Session *make_typed(void)
{
    const char *const opts[][2] = { { "function", "rosenbrock" }, { "noise", "0.3" }, { "optimizer", "sgd:lr=0.001" },
                                    { "schedule", "expr:if(loss<prev_loss, lr*1.05, lr*0.5)" },
                                    { "optimizer", "adam:lr=0.01" } };
    return make_from(opts, sizeof opts / sizeof opts[0]);
}

/* The input line for `purpose` opened, emptied, `text` typed and Enter. */
static void type_line(Session *ses, int purpose, const char *text)
{
    const Action open = { .kind = ACTION_EDIT_OPEN, .arg = purpose }, home = { .kind = ACTION_EDIT_KEY, .arg = EDIT_HOME };
    session_apply(ses, &open);
    session_apply(ses, &home);
    while (ses->edit.text[0]) {
        const Action del = { .kind = ACTION_EDIT_KEY, .arg = EDIT_DELETE };
        session_apply(ses, &del);
    }
    const Action typed = { .kind = ACTION_EDIT_TEXT, .text = text }, enter = { .kind = ACTION_EDIT_APPLY };
    session_apply(ses, &typed);
    session_apply(ses, &enter);
}

/* Shift+D on run 2 (adam) and `formula` typed. */
static void type_schedule(Session *ses, const char *formula)
{
    const Action select = { .kind = ACTION_SELECT, .arg = 1 };
    session_apply(ses, &select);
    type_line(ses, EDIT_FOR_SCHEDULE, formula);
}

/* A typed schedule stepped back over, and one typed in the window at step 40: back and
 * forward again is, bit for bit, what the runs first did. */
static void check_typed_schedule(void)
{
    Session *a = make_typed(), *b = make_typed();
    const Action open = { .kind = ACTION_EDIT_OPEN, .arg = EDIT_FOR_SCHEDULE }, esc = { .kind = ACTION_EDIT_CANCEL };
    act(a, ACTION_SELECT_NEXT);
    session_apply(a, &open);
    CHECK(a->edit.open && strcmp(a->edit.text, "lr") == 0, "Shift+D on a constant run offers 'lr': '%s'", a->edit.text);
    session_apply(a, &esc);
    steps(a, 40);
    type_schedule(a, "lr*x");
    CHECK(a->edit.open && a->edit.error_column == 4 && strncmp(a->edit.error, "unknown name 'x' (valid: t, lr0", 31) == 0,
          "a typed schedule's error: column %d, '%s'", a->edit.error_column, a->edit.error);
    session_apply(a, &esc);
    type_schedule(a, "if(gnorm>1, lr/2, min(lr*1.1, lr0))");
    CHECK(!a->edit.open && strcmp(a->sim.runs[1].sched.text.formula, "if(gnorm>1, lr/2, min(lr*1.1, lr0))") == 0,
          "Enter sets adam's schedule: '%s'", a->sim.runs[1].sched.text.formula);
    steps(a, 60);
    Session *at100 = session_clone(a); /* a's state at 100, its past its own */
    for (int i = 0; i < 10; i++)
        act(a, ACTION_STEP_BACK);
    steps(b, 40);
    type_schedule(b, "if(gnorm>1, lr/2, min(lr*1.1, lr0))");
    steps(b, 50);
    CHECK(same(a, b), "back to 90 over typed schedules equals going there");
    CHECK(session_go_to(a, 20) == 0 && a->sim.runs[1].sched.kind == 0, "at 20 adam's schedule is constant again");
    steps(a, 80);
    CHECK(same(a, at100), "forward again from 20 takes the typed schedule at 40 again");
    session_free(a);
    session_free(b);
    session_free(at100);
}

/* Two runs on `func` with noise. */
static Session *make_on(const char *func)
{
    const char *const opts[][2] = { { "function", func }, { "noise", "0.3" }, { "optimizer", "sgd:lr=0.01" },
                                    { "optimizer", "adam:lr=0.05" } };
    return make_from(opts, sizeof opts / sizeof opts[0]);
}

/* `=` and `line` typed. */
static void type_value(Session *ses, const char *line)
{
    type_line(ses, EDIT_FOR_VALUE, line);
}

/* The function spec as the state dump has it. */
static void dumped_spec(const Session *ses, char *out, size_t len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    out[0] = '\0';
    if (!f)
        return;
    session_dump_json(ses, NULL, f);
    fclose(f);
    const char *at = strstr(buf, "\"function_spec\": \"");
    if (at) {
        at += strlen("\"function_spec\": \"");
        snprintf(out, len, "%.*s", (int)strcspn(at, "\""), at);
    }
    free(buf);
}

/* `b = 20` at step 50 on a built-in and on a formula: the function, the dump and the runs
 * follow (they go on from where they are); a bad value changes nothing; back before it and
 * forward again is, bit for bit, what the runs first did. */
static void check_function_param(const char *func, const char *before, const char *after)
{
    Session *a = make_on(func), *b = make_on(func);
    steps(a, 50);
    const Run r50 = a->sim.runs[0];
    const Spec f50 = a->sim.func;
    type_value(a, "b = x");
    CHECK(memcmp(&a->sim.func, &f50, sizeof f50) == 0 && strstr(a->message, "b"), "%s: b = x changes nothing: '%s'",
          func, a->message);
    type_value(a, "c = 3");
    CHECK(memcmp(&a->sim.func, &f50, sizeof f50) == 0 && strstr(a->message, "of the function"),
          "%s: c is no parameter: '%s'", func, a->message);
    char spec[256];
    dumped_spec(a, spec, sizeof spec);
    CHECK(strcmp(spec, before) == 0, "%s: before: '%s'", func, spec);
    type_value(a, "b = 20");
    dumped_spec(a, spec, sizeof spec);
    CHECK(strcmp(spec, after) == 0, "%s: b = 20 in the dump: '%s'", func, spec);
    const Run *r = &a->sim.runs[0];
    CHECK(r->x == r50.x && r->y == r50.y && r->step == r50.step && r->loss == func_value(&a->sim.func, r->x, r->y) &&
              r->loss != r50.loss,
          "%s: the run stays where it is, its loss the new function's", func);
    steps(a, 50);
    Session *at100 = session_clone(a); /* a's state at 100, its past its own */
    for (int i = 0; i < 10; i++)
        act(a, ACTION_STEP_BACK);
    steps(b, 50);
    type_value(b, "b = 20");
    steps(b, 40);
    CHECK(same(a, b), "%s: back to 90 after b = 20 at 50", func);
    CHECK(session_go_to(a, 45) == 0 && memcmp(&a->sim.func, &f50, sizeof f50) == 0, "%s: at 45, b as before", func);
    steps(a, 55);
    CHECK(same(a, at100), "%s: forward again from 45 takes b = 20 at 50 again", func);
    session_free(a);
    session_free(b);
    session_free(at100);
}

/* The lesson's runs on rosenbrock with noise: adam and sgd with momentum. */
static Session *make_lesson(void)
{
    const char *const opts[][2] = { { "function", "rosenbrock" }, { "noise", "0.5" }, { "optimizer", "adam:lr=0.05" },
                                    { "optimizer", "sgd:lr=0.001,momentum=0.9" } };
    return make_from(opts, sizeof opts / sizeof opts[0]);
}

/* One edit of the runs on run 1 or 2, by name. */
static void edit_runs(Session *ses, const char *edit)
{
    const Action first = { .kind = ACTION_SELECT, .arg = 0 }, second = { .kind = ACTION_SELECT, .arg = 1 };
    session_apply(ses, edit[0] == '2' ? &second : &first);
    edit++;
    if (strcmp(edit, "add") == 0) {
        act(ses, ACTION_RUN_ADD);
    } else if (strcmp(edit, "remove") == 0) {
        act(ses, ACTION_RUN_REMOVE);
    } else if (strcmp(edit, "add+undo") == 0) {
        act(ses, ACTION_RUN_ADD);
        act(ses, ACTION_UNDO);
    } else if (strcmp(edit, "remove+undo") == 0) {
        act(ses, ACTION_RUN_REMOVE);
        act(ses, ACTION_UNDO);
    } else {
        type_value(ses, edit);
    }
}

/* The session as a scene file and loaded again: a fresh session with the edited runs. */
static Session *fresh_from_saved(const Session *ses)
{
    char *text = NULL, err[256] = "";
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    session_write_scene(ses, f);
    fclose(f);
    Config c;
    config_defaults(&c);
    Session *fresh = calloc(1, sizeof *fresh);
    if (config_scene(&c, text, "saved.scene", err, sizeof err) < 0 || config_finish(&c, err, sizeof err) < 0 ||
        session_init(fresh, &c, 0, 0, 800, 600, err, sizeof err) < 0)
        CHECK(0, "the saved scene does not load: %s\n%s", err, text);
    free(text);
    return fresh;
}

/* An edit of the runs at step 50: back over it and forward again is, bit for bit, what the
 * runs first did; and Home then 60 steps is what a fresh session with the edited runs (the
 * scene Ctrl+S saves) does in 60 steps. */
static void check_run_edit(const char *edit, int nruns)
{
    Session *a = make_lesson(), *b = make_lesson();
    steps(a, 50);
    edit_runs(a, edit);
    CHECK(a->sim.nruns == nruns, "%s: %d runs after it, want %d ('%s')", edit, a->sim.nruns, nruns, a->message);
    steps(a, 50);
    Session *at100 = session_clone(a); /* a's state at 100, its past its own */
    for (int i = 0; i < 10; i++)
        act(a, ACTION_STEP_BACK);
    steps(b, 50);
    edit_runs(b, edit);
    steps(b, 40);
    CHECK(same(a, b), "%s at 50: back to 90 equals going there", edit);
    CHECK(session_go_to(a, 45) == 0 && a->sim.nruns == 2, "%s: at 45 the runs are as before it (%d)", edit, a->sim.nruns);
    steps(a, 55);
    CHECK(same(a, at100), "%s: forward again from 45 takes it again at 50", edit);
    act(a, ACTION_STEP_BACK);
    act(a, ACTION_STEP);
    CHECK(same(a, at100), "%s: one step back and one forward at 100", edit);
    act(a, ACTION_REWIND);
    Session *fresh = fresh_from_saved(a);
    steps(a, 60);
    steps(fresh, 60);
    /* The saved view is the one on screen, so the trails' tolerance may differ: the runs. */
    CHECK(same_runs(a, fresh), "%s: Home and 60 steps equal a fresh session with the edited runs", edit);
    session_free(a);
    session_free(b);
    session_free(at100);
    session_free(fresh);
}

/* Back over a Delete the run comes back with its trail and plots from step 0, as a fresh
 * session has them there; and so after Ctrl+Z brought it back and the runs went on. */
static void check_back_over_remove(void)
{
    Session *a = make_lesson(), *b = make_lesson();
    steps(a, 50);
    edit_runs(a, "1remove");
    steps(a, 10);
    edit_runs(a, "2add");
    steps(a, 10);
    CHECK(session_go_to(a, 45) == 0 && a->sim.nruns == 2, "back at 45, the runs before the Delete: %d", a->sim.nruns);
    steps(b, 45);
    CHECK(same(a, b), "back over a Delete: the removed run's trail and plots as they were at 45");
    session_free(a);
    session_free(b);
}

void test_timeline(void)
{
    check_back_over_remove();
    check_run_edit("1add", 3);
    check_run_edit("2add", 3);
    check_run_edit("1remove", 1);
    check_run_edit("1optimizer = rmsprop:lr=0.01", 2);
    check_run_edit("2label = slow {lr}", 2);
    check_run_edit("1add+undo", 2);
    check_run_edit("1remove+undo", 2);
    check_run_edit("2momentum = 0.5", 2);
    check_function_param("quadratic:a=1,b=10", "quadratic:a=1,b=10", "quadratic:a=1,b=20");
    check_function_param("expr:a*x^2 + b*y^2, a=1, b=10", "expr:a*x^2 + b*y^2, a=1, b=10", "expr:a*x^2 + b*y^2, a=1, b=20");
    check_typed_schedule();
    check_back_equals_fresh(0);
    check_back_equals_fresh(0.5);
    check_live_change();
    check_rewind_and_stop();
    check_bounded();
    check_copies();
}
