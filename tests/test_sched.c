/* Schedules outside what the reference covers: live tuning, onecycle past its end,
 * restart cycle lengths, and that no schedule yields a non-finite lr. */
#include <math.h>
#include <string.h>

#include "../src/core/sched.h"
#include "check.h"

static double lr_after(const char *text, long steps, double base)
{
    Spec s;
    SchedState st;
    char err[128];
    if (sched_parse(text, &s, err, sizeof err) < 0)
        return NAN;
    sched_start(&s, &st, base, 1.0, 1.0);
    for (long t = 0; t < steps; t++)
        sched_advance(&s, &st, base, 1.0, 1.0);
    return sched_lr(&s, &st, base);
}

/* ] and [ on cosine_restarts change t_0 and the lr follows at once: a change shown is the
 * change applied (it used to take effect only at t = 0). */
static void check_restarts_tune(void)
{
    Spec s, fresh;
    SchedState st, st2;
    char err[128];
    sched_parse("cosine_restarts:t_0=50", &s, err, sizeof err);
    sched_start(&s, &st, 1.0, 1.0, 1.0);
    for (int t = 0; t < 70; t++)
        sched_advance(&s, &st, 1.0, 1.0, 1.0);
    const double before = sched_lr(&s, &st, 1.0);
    CHECK(sched_tune(&s, +1) == 0 && s.v[0] > 50, "t_0 raised to %g", s.v[0]);
    char text[128];
    spec_format(&sched_table, &s, text, sizeof text);
    sched_parse(text, &fresh, err, sizeof err);
    sched_start(&fresh, &st2, 1.0, 1.0, 1.0);
    for (int t = 0; t < 70; t++)
        sched_advance(&fresh, &st2, 1.0, 1.0, 1.0);
    CHECK(sched_lr(&s, &st, 1.0) != before && sched_lr(&s, &st, 1.0) == sched_lr(&fresh, &st2, 1.0),
          "%s: the tuned lr %g is the lr of a run started with it, %g (was %g)", text, sched_lr(&s, &st, 1.0),
          sched_lr(&fresh, &st2, 1.0), before);
}

/* warmup=N: LinearLR from warmup_factor to 1 over N steps, then the schedule from its own
 * step 0; onecycle's warmup climbs to its initial lr, max_lr / div_factor. */
static void check_warmup(void)
{
    CHECK(fabs(lr_after("cosine:t_max=100,warmup=10", 0, 1.0) - 0.1) < 1e-15, "warmup starts at 0.1 lr");
    CHECK(fabs(lr_after("cosine:t_max=100,warmup=10", 5, 1.0) - 0.55) < 1e-15, "warmup halfway");
    CHECK(lr_after("cosine:t_max=100,warmup=10", 10, 1.0) == 1.0, "the cosine starts at the milestone");
    CHECK(lr_after("cosine:t_max=100,warmup=10", 110, 1.0) == lr_after("cosine:t_max=100", 100, 1.0),
          "the cosine lags by the warmup");
    CHECK(fabs(lr_after("onecycle:total_steps=100,warmup=10,warmup_factor=0.5", 0, 1.0) - 0.5 / 25) < 1e-15,
          "onecycle's warmup starts from its initial lr");
}

/* constant:warmup=N against torch's own recurrences: LinearLR's chained form (lr_t = lr_{t-1}
 * (1 + (end - start) / (N start + (t - 1)(end - start))), lr_0 = start lr) for t < N, then
 * SequentialLR's ConstantLR(factor=1).step(0) at the milestone: the lr itself from there. */
static void check_constant_warmup(void)
{
    static const struct {
        const char *spec;
        double start;
        long n;
    } cases[] = { { "constant:warmup=4,warmup_factor=0.25", 0.25, 4 }, { "constant:warmup=10", 0.1, 10 } };
    const double base = 0.2;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const double start = cases[c].start, end = 1.0;
        const long n = cases[c].n;
        double torch = base * start;
        for (long t = 0; t <= n + 3; t++) {
            if (t > 0 && t < n)
                torch *= 1 + (end - start) / (n * start + (t - 1) * (end - start));
            else if (t >= n)
                torch = base;
            const double got = lr_after(cases[c].spec, t, base);
            CHECK(fabs(got - torch) <= 1e-15 * torch, "%s: lr at t=%ld is %.17g, torch's %.17g", cases[c].spec, t,
                  got, torch);
        }
    }
    Spec s;
    char err[128];
    CHECK(sched_parse("constant", &s, err, sizeof err) == 0 && !sched_lr_moves(&s), "constant: the lr stays");
    CHECK(sched_parse("constant:warmup=5", &s, err, sizeof err) == 0 && sched_lr_moves(&s),
          "constant:warmup=5: the lr moves");
}

/* A typed schedule's variables: t and lr0; lr the last update's lr, lr0 at first; loss and
 * gnorm where the update starts, prev_loss one point before (loss at first). */
static void check_typed(void)
{
    static const double losses[] = { 5, 4, 6, 3 };
    Spec s;
    SchedState st;
    char err[256];
    CHECK(sched_parse("expr:1000*t + lr0 + if(t == 0, 0, lr)", &s, err, sizeof err) == 0, "%s", err);
    sched_start(&s, &st, 0.5, losses[0], 9);
    CHECK(sched_lr(&s, &st, 0.5) == 0.5, "t=0: lr0 alone");
    sched_advance(&s, &st, 0.5, losses[1], 9);
    CHECK(sched_lr(&s, &st, 0.5) == 1001, "t=1: 1000 + lr0 + the last lr (0.5)");
    sched_advance(&s, &st, 0.5, losses[2], 9);
    CHECK(sched_lr(&s, &st, 0.5) == 3001.5, "t=2: 2000 + lr0 + 1001: %.17g", sched_lr(&s, &st, 0.5));

    sched_parse("expr:100*prev_loss + loss + gnorm/1000", &s, err, sizeof err);
    sched_start(&s, &st, 0.1, losses[0], 9);
    CHECK(sched_lr(&s, &st, 0.1) == 505.003, "at first prev_loss is loss: %.17g", sched_lr(&s, &st, 0.1));
    for (int t = 1; t < 4; t++) {
        sched_advance(&s, &st, 0.1, losses[t], 16);
        const double want = 100 * losses[t - 1] + losses[t] + 0.004;
        CHECK(sched_lr(&s, &st, 0.1) == want, "t=%d: %.17g, want %.17g", t, sched_lr(&s, &st, 0.1), want);
    }

    /* lr is the last lr's share of lr0: a live change of lr0 scales it, as other schedules'. */
    sched_parse("expr:lr*2", &s, err, sizeof err);
    sched_start(&s, &st, 0.125, 1, 1);
    sched_advance(&s, &st, 0.125, 1, 1);
    sched_advance(&s, &st, 0.125, 1, 1);
    CHECK(sched_lr(&s, &st, 0.125) == 1 && sched_lr(&s, &st, 0.25) == 2, "lr*2 after two updates: %g, with lr0 doubled %g",
          sched_lr(&s, &st, 0.125), sched_lr(&s, &st, 0.25));
    char text[128];
    spec_format(&sched_table, &s, text, sizeof text);
    CHECK(strcmp(text, "expr:lr*2") == 0, "written back as typed: '%s'", text);
    CHECK(sched_parse("expr:lr*y", &s, err, sizeof err) < 0 && strstr(err, "expr: 1:4: unknown name 'y' (valid: t, lr0, lr"),
          "y is no schedule's variable: %s", err);
}

void test_sched(void)
{
    check_typed();
    check_restarts_tune();
    check_warmup();
    check_constant_warmup();
    for (int k = 0; k < sched_table.count; k++) { /* where sched.c finds the warmup without its name */
        const SpecKind *sk = &sched_def(k)->kind;
        const int w = spec_param_index(sk, "warmup"), f = spec_param_index(sk, "warmup_factor");
        CHECK((w < 0 && f < 0) || (w == sk->nparams - 2 && f == sk->nparams - 1 && (sk->params[w].flags & PARAM_WARMUP)),
              "%s: warmup and warmup_factor close its parameters (%d, %d of %d)", sk->name, w, f, sk->nparams);
    }
    CHECK(lr_after("onecycle:total_steps=100", 99, 0.1) == lr_after("onecycle:total_steps=100", 5000, 0.1),
          "onecycle holds its final lr past total_steps");
    CHECK(fabs(lr_after("onecycle:total_steps=100", 29, 0.1) - 0.1) < 1e-15, "onecycle peaks at max_lr");
    CHECK(lr_after("cosine_restarts:t_0=10,t_mult=2", 10, 1.0) == 1.0, "first restart after t_0");
    CHECK(lr_after("cosine_restarts:t_0=10,t_mult=2", 30, 1.0) == 1.0, "second restart after t_0 + 2 t_0");
    CHECK(lr_after("cosine_restarts:t_0=10,t_mult=2", 20, 1.0) < 1.0, "no restart mid-cycle");
    CHECK(lr_after("polynomial:total_iters=10", 50, 1.0) == 0, "polynomial reaches zero and stays");
    CHECK(lr_after("step:step_size=10,gamma=0.5", 25, 1.0) == 0.25, "step");

    for (int k = 0; k < sched_table.count; k++) {
        Spec s;
        SchedState st;
        spec_defaults(&sched_table, k, &s);
        if (sched_def(k)->kind.nparams && s.kind == spec_find(&sched_table, "multistep")) {
            s.list[0] = 10;
            s.nlist = 1;
        }
        if (sched_def(k)->kind.parse_text)
            sched_parse("expr:lr0*exp(-0.01*t)", &s, (char[128]){ 0 }, 128);
        sched_start(&s, &st, 0.1, 5.0, 2.0);
        int finite = 1;
        for (int t = 0; t < 3000; t++) {
            sched_advance(&s, &st, 0.1, 5.0 - t * 1e-3, 2.0);
            double lr = sched_lr(&s, &st, 0.1);
            finite &= isfinite(lr) && lr >= 0;
        }
        CHECK(finite, "%s: lr stays finite and non-negative", sched_def(k)->kind.name);

        /* The decay keys move the main parameter and keep it valid. */
        if (sched_def(k)->tune >= 0) {
            const double before = s.v[sched_def(k)->tune];
            int moved = sched_tune(&s, -1) == 0 || sched_tune(&s, +1) == 0;
            char err[128];
            CHECK(moved && s.v[sched_def(k)->tune] != before &&
                      spec_check_value(&sched_def(k)->kind, sched_def(k)->tune, s.v[sched_def(k)->tune], err,
                                       sizeof err) == 0,
                  "%s: tuning moves %s within range", sched_def(k)->kind.name,
                  sched_def(k)->kind.params[sched_def(k)->tune].name);
            for (int i = 0; i < 200; i++)
                sched_tune(&s, +1);
            CHECK(spec_check_value(&sched_def(k)->kind, sched_def(k)->tune, s.v[sched_def(k)->tune], err,
                                   sizeof err) == 0,
                  "%s: many presses stay in range: %s", sched_def(k)->kind.name, err);
        }
    }
}
