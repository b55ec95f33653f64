/* Stepping back: the state a step back reaches is, bit for bit, the state the runs first
 * had there, with noise, live changes and thinned copies; and the memory stays bounded. */
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
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

/* x, y, loss, lr, hyperparameters and the noise stream of every run, and what the trails
 * and plots hold. */
static int same(const Session *a, const Session *b)
{
    if (a->tick != b->tick || a->sim.nruns != b->sim.nruns)
        return 0;
    for (int i = 0; i < a->sim.nruns; i++) {
        const Run *p = &a->sim.runs[i], *q = &b->sim.runs[i];
        if (memcmp(&p->x, &q->x, sizeof p->x) || memcmp(&p->y, &q->y, sizeof p->y) ||
            memcmp(&p->loss, &q->loss, sizeof p->loss) || memcmp(&p->lr, &q->lr, sizeof p->lr) ||
            memcmp(&p->lr_used, &q->lr_used, sizeof p->lr_used) || memcmp(p->opt.v, q->opt.v, sizeof p->opt.v) ||
            p->rng != q->rng || p->step != q->step || p->diverged != q->diverged)
            return 0;
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
    free(a);
    free(b);
}

/* An lr change at step 50: back before it and forward again takes it again. */
static void check_live_change(void)
{
    Session *a = make(0.5), *b = make(0.5), *at100 = make(0.5);
    steps(a, 50);
    act(a, ACTION_LR_UP);
    steps(a, 50);
    memcpy(at100, a, sizeof *a);
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
    CHECK(a->timeline.head == 60 && session_go_to(a, 70) < 0, "a change at 60 makes it the farthest step recorded");
    free(a);
    free(b);
    free(at100);
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
    free(a);
}

/* Long runs: the copies stay within their array, the interval grows, and going back far
 * still gives the first pass's state. */
static void check_bounded(void)
{
    Session *a = make(0.3), *b = make(0.3);
    steps(a, 20000);
    CHECK(a->timeline.n <= TIMELINE_CHECKPOINTS && a->timeline.interval > TIMELINE_INTERVAL,
          "copies bounded: %d, interval %ld", a->timeline.n, a->timeline.interval);
    CHECK(session_go_to(a, 12345) == 0, "step 12345 reachable");
    steps(b, 12345);
    for (int i = 0; i < b->sim.nruns; i++)
        CHECK(memcmp(&a->sim.runs[i].x, &b->sim.runs[i].x, sizeof(double)) == 0 && a->sim.runs[i].rng == b->sim.runs[i].rng,
              "run %d at step 12345 as first reached", i);
    free(a);
    free(b);
}

void test_timeline(void)
{
    check_back_equals_fresh(0);
    check_back_equals_fresh(0.5);
    check_live_change();
    check_rewind_and_stop();
    check_bounded();
}
