/* The side-by-side runs: live changes keep optimizer state, divergence stops one run
 * only and is told with the same step everywhere, restarts reproduce the same path,
 * Newton's method and the pairing of cycling schedules with optimizers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/core/config.h"
#include "../src/core/func.h"
#include "../src/core/sim.h"
#include "check.h"
#include "proc.h"

static void make(Sim *sim, const char *const *runs, int n)
{
    Config c;
    char err[256];
    config_defaults(&c);
    for (int i = 0; i < n; i++)
        config_apply(&c, "optimizer", runs[i], 0, err, sizeof err);
    config_finish(&c, err, sizeof err);
    config_make_sim(&c, sim, err, sizeof err);
}

static void check_live_lr_change(void)
{
    static Sim a, b;
    const char *runs[] = { "sgd:lr=0.0005,momentum=0.9" };
    make(&a, runs, 1);
    make(&b, runs, 1);
    for (int i = 0; i < 20; i++) {
        sim_step(&a);
        sim_step(&b);
    }
    sim_scale_lr(&a.runs[0], 1.25);
    CHECK(a.runs[0].lr == 0.0005 * 1.25, "lr scaled: %g", a.runs[0].lr);
    CHECK(memcmp(a.runs[0].ost.m, b.runs[0].ost.m, sizeof a.runs[0].ost.m) == 0, "momentum buffer kept");
    double buf[2] = { b.runs[0].ost.m[0], b.runs[0].ost.m[1] }, g[2] = { a.runs[0].g[0], a.runs[0].g[1] };
    double x0 = a.runs[0].x;
    sim_step(&a);
    double want = x0 - 0.0005 * 1.25 * (0.9 * buf[0] + g[0]);
    CHECK(fabs(a.runs[0].x - want) < 1e-15, "next step uses new lr and old buffer: %.17g vs %.17g", a.runs[0].x,
          want);
}

static void check_divergence_isolated(void)
{
    static Sim sim;
    const char *runs[] = { "sgd:lr=1", "adam:lr=0.01" };
    make(&sim, runs, 2);
    unsigned all = 0;
    for (int i = 0; i < 100; i++)
        all |= sim_step(&sim);
    CHECK(all == 1u && sim.runs[0].diverged && !sim.runs[1].diverged, "only sgd diverged (%x)", all);
    CHECK(sim.runs[1].step == 100, "adam went on: %ld steps", sim.runs[1].step);
    CHECK(isfinite(sim.runs[0].x) && isfinite(sim.runs[0].y) && isfinite(sim.runs[0].loss) &&
              fabs(sim.runs[0].x) <= SIM_LIMIT,
          "a diverged run keeps its last finite point");
}

static void check_restart_reproduces(void)
{
    static Sim sim;
    const char *runs[] = { "adam:lr=0.05" };
    make(&sim, runs, 1);
    sim.noise = 0.3;
    sim_restart(&sim);
    for (int i = 0; i < 50; i++)
        sim_step(&sim);
    double x = sim.runs[0].x, y = sim.runs[0].y;
    sim_restart(&sim);
    CHECK(sim.runs[0].step == 0 && sim.runs[0].x == -1.5 && sim.runs[0].y == 2, "restart returns to start");
    for (int i = 0; i < 50; i++)
        sim_step(&sim);
    CHECK(sim.runs[0].x == x && sim.runs[0].y == y, "restart reproduces the noisy path");
}

static void check_hyper_changes(void)
{
    static Sim sim;
    const char *runs[] = { "sgd:lr=0.001" };
    char err[256];
    make(&sim, runs, 1);
    CHECK(sim_set_hyper(&sim.runs[0], 1, 0.5, err, sizeof err) == 0 && sim.runs[0].opt.v[1] == 0.5, "momentum set");
    CHECK(sim_set_hyper(&sim.runs[0], 1, 1.5, err, sizeof err) < 0 && strstr(err, "momentum"), "range: %s", err);
    CHECK(sim_set_hyper(&sim.runs[0], 3, 1, err, sizeof err) == 0, "nesterov with momentum");
    CHECK(sim_set_hyper(&sim.runs[0], 1, 0, err, sizeof err) < 0 && strstr(err, "nesterov"),
          "momentum 0 refused under nesterov: %s", err);
}

/* The step of the last trace row, the N of "diverged at step N" on stderr and the dump's
 * step must tell one story: the update numbered N failed, the run rests at step N - 1. */
static void check_divergence_agrees(const char *args, long want_n)
{
    char dump[64], line[512];
    snprintf(dump, sizeof dump, "/tmp/optiscope-test-sim-%ld.json", (long)getpid());
    snprintf(line, sizeof line, "--headless %s --trace - --dump-state %s", args, dump);
    ProcResult r;
    proc_run_line(line, 20, &r);
    long last = -1, said = -1, dumped = -1;
    for (char *save = NULL, *row = strtok_r(r.out, "\n", &save); row; row = strtok_r(NULL, "\n", &save)) {
        const char *comma = strchr(row, ',');
        if (comma && comma[1] >= '0' && comma[1] <= '9')
            last = strtol(comma + 1, NULL, 10);
    }
    const char *at = strstr(r.err, " at step ");
    if (at)
        said = strtol(at + strlen(" at step "), NULL, 10);
    FILE *f = fopen(dump, "r");
    char text[8192] = "";
    if (f) {
        text[fread(text, 1, sizeof text - 1, f)] = '\0';
        fclose(f);
    }
    remove(dump);
    const char *step = strstr(text, "\"step\": ");
    if (step)
        dumped = strtol(step + strlen("\"step\": "), NULL, 10);
    CHECK(r.status == 0 && said == want_n && last == want_n - 1 && dumped == want_n - 1,
          "%s: exit %d, stderr says %ld, trace ends at %ld, dump says %ld (want %ld, %ld, %ld)", args, r.status, said,
          last, dumped, want_n, want_n - 1, want_n - 1);
    proc_free(&r);
}

static void check_divergence_reports(void)
{
    /* The point flies off during update 2 (past 1e6). */
    check_divergence_agrees("--function quadratic --optimizer sgd:lr=1e4 --steps 20", 2);
    /* The point stays at the minimum while onecycle's lr turns NaN in its second phase
     * (final lr = 100 / 2.2e-308 overflows): update 6 cannot start. */
    check_divergence_agrees("--function quadratic --start 0,0 --optimizer sgd:lr=1 --schedule "
                            "onecycle:max_lr=100,div_factor=1,final_div_factor=2.3e-308,total_steps=10,pct_start=0.5 "
                            "--steps 300",
                            6);
    /* Newton with a singular Hessian (rosenbrock with b = 0 is flat in y). */
    check_divergence_agrees("--function rosenbrock:b=0 --optimizer newton --steps 5", 1);
    static Sim sim;
    const char *runs[] = { "newton" };
    make(&sim, runs, 1);
    sim.func.v[1] = 0; /* rosenbrock's b */
    sim_restart(&sim);
    sim_step(&sim);
    char text[128];
    sim_stop_text(&sim.runs[0], text, sizeof text);
    CHECK(sim.runs[0].diverged && strcmp(text, "newton stopped at step 1: singular Hessian") == 0, "'%s'", text);
}

static void run_newton(Sim *sim, const char *func, double x, double y)
{
    Config c;
    char err[256];
    config_defaults(&c);
    config_apply(&c, "function", func, 0, err, sizeof err);
    config_apply(&c, "optimizer", "newton", 0, err, sizeof err);
    config_finish(&c, err, sizeof err);
    c.start[0] = x, c.start[1] = y;
    config_make_sim(&c, sim, err, sizeof err);
}

static void check_newton(void)
{
    static Sim sim;
    run_newton(&sim, "rosenbrock", -1.5, 2);
    int steps = 0;
    while (steps < 30 && !(fabs(sim.runs[0].x - 1) < 1e-10 && fabs(sim.runs[0].y - 1) < 1e-10)) {
        sim_step(&sim);
        steps++;
    }
    CHECK(steps < 30 && !sim.runs[0].diverged, "newton reaches rosenbrock's minimum in %d steps", steps);
    run_newton(&sim, "saddle", -1.8, 0.05);
    for (int i = 0; i < 20; i++)
        sim_step(&sim);
    CHECK(!sim.runs[0].diverged && sim.runs[0].x == 0 && sim.runs[0].y == 0 && sim.runs[0].ost.indefinite,
          "newton stops at the saddle (%g, %g), its Hessian indefinite", sim.runs[0].x, sim.runs[0].y);
}

/* torch refuses cycle_momentum with an optimizer that has no momentum; the D and O keys
 * switch the cycling off instead. */
static void check_cycling_pairs(void)
{
    Config c;
    char err[256];
    static Sim sim;
    config_defaults(&c);
    config_apply(&c, "optimizer", "adagrad", 0, err, sizeof err);
    config_apply(&c, "schedule", "cyclic", 0, err, sizeof err);
    config_finish(&c, err, sizeof err);
    CHECK(config_make_sim(&c, &sim, err, sizeof err) < 0 && strstr(err, "cycle_momentum=0"), "refused: %s", err);
    const char *runs[] = { "sgd:lr=0.001" };
    make(&sim, runs, 1);
    Spec s;
    sched_parse("onecycle:total_steps=100", &s, err, sizeof err);
    sim_set_schedule(&sim, 0, &s);
    CHECK(sim.runs[0].momentum == 0.95, "onecycle starts sgd's momentum at max_momentum: %g", sim.runs[0].momentum);
    optim_parse("rprop", &s, err, sizeof err);
    sim_set_optimizer(&sim, 0, &s);
    CHECK(isnan(sim.runs[0].momentum) && sim.runs[0].sched.v[sched_cycle_param(&sim.runs[0].sched)] == 0,
          "rprop under onecycle: cycling off");
}

/* What the O and D keys do: every optimizer with its defaults (keeping the run's lr) and
 * every schedule without a required list or formula, paired with an optimizer without momentum too,
 * runs 300 steps with finite lrs or stops with a reason. */
static void check_every_row_runs(void)
{
    static Sim sim;
    const char *runs[] = { "sgd:lr=0.001", "adagrad:lr=0.01" };
    for (int k = 0; k < optim_table.count; k++) {
        make(&sim, runs, 1);
        Spec s;
        spec_defaults(&optim_table, k, &s);
        sim_set_optimizer(&sim, 0, &s);
        for (int i = 0; i < 300; i++)
            sim_step(&sim);
        const Run *r = &sim.runs[0];
        CHECK(r->diverged || (isfinite(r->x) && isfinite(r->lr) && r->step == 300), "O to %s: step %ld",
              spec_kind(&optim_table, k)->name, r->step);
    }
    for (int k = 0; k < sched_table.count; k++) {
        if ((sched_def(k)->kind.nparams && sched_def(k)->kind.params[0].type == PARAM_LIST) ||
            sched_def(k)->kind.parse_text)
            continue;
        make(&sim, runs, 2);
        Spec s;
        spec_defaults(&sched_table, k, &s);
        for (int i = 0; i < 2; i++)
            sim_set_schedule(&sim, i, &s);
        for (int i = 0; i < 300; i++)
            sim_step(&sim);
        CHECK(sim_live_runs(&sim) == 2 && isfinite(sim.runs[0].lr) && isfinite(sim.runs[1].lr), "D to %s",
              sched_def(k)->kind.name);
    }
}

/* Schedule-free runs show x and take the gradient at y; y and z are marks to draw. */
static void check_schedulefree_points(void)
{
    static Sim sim;
    const char *runs[] = { "sgd_schedulefree:lr=0.001" };
    make(&sim, runs, 1);
    for (int i = 0; i < 5; i++)
        sim_step(&sim);
    const Run *r = &sim.runs[0];
    OptimMark m[4];
    const int n = optim_marks(&r->opt, &r->ost, m, 4);
    const double w = 1 - 1 / 0.9; /* x = lerp(y, z, 1 - 1/momentum) */
    CHECK(n == 2 && m[0].kind == MARK_SF_Y && m[1].kind == MARK_SF_Z &&
              fabs(r->x - (m[0].x + w * (m[1].x - m[0].x))) < 1e-12,
          "x lies on the line from y to z (%d marks)", n);
    CHECK(r->loss == func_value(&sim.func, r->x, r->y), "the loss is taken at x");
}

/* A history_size lowered mid-run keeps L-BFGS's memory within it. */
static void check_lbfgs_history_lowered(void)
{
    static Sim sim;
    const char *runs[] = { "lbfgs:lr=0.1" };
    char err[256];
    make(&sim, runs, 1);
    for (int i = 0; i < 20; i++)
        sim_step(&sim);
    Run *r = &sim.runs[0];
    const int before = r->ost.lbfgs.nold;
    const int p = spec_param_index(spec_kind(&optim_table, r->opt.kind), "history_size");
    CHECK(sim_set_hyper(r, p, 2, err, sizeof err) == 0, "%s", err);
    for (int i = 0; i < 20; i++)
        sim_step(&sim);
    CHECK(before > 2 && r->ost.lbfgs.nold <= 2, "history %d pairs, then %d", before, r->ost.lbfgs.nold);
}

/* A typed schedule set mid-run (Shift+D) starts from the lr the run has: `lr` is that lr,
 * not lr0, so the prefilled formula "lr" keeps a decayed run where it is. */
static void check_typed_carries_lr(void)
{
    static Sim sim;
    char err[256];
    const char *runs[] = { "sgd:lr=0.001" };
    make(&sim, runs, 1);
    Spec s;
    sched_parse("exponential:gamma=0.9", &s, err, sizeof err);
    sim_set_schedule(&sim, 0, &s);
    for (int k = 0; k < 10; k++)
        sim_step(&sim);
    const double before = sim.runs[0].group_lr;
    CHECK(!sim.runs[0].diverged && before < 0.0005, "exponential decayed the lr to %g", before);
    CHECK(sched_parse("expr:lr", &s, err, sizeof err) == 0, "expr:lr parses: %s", err);
    sim_set_schedule(&sim, 0, &s);
    CHECK(sim.runs[0].group_lr == before, "expr:lr set at step 10 keeps the lr: %.17g, was %.17g",
          sim.runs[0].group_lr, before);
    sim_step(&sim);
    CHECK(sim.runs[0].lr_used == before, "the next update uses it: %.17g", sim.runs[0].lr_used);
}

void test_sim(void)
{
    check_lbfgs_history_lowered();
    check_typed_carries_lr();
    check_every_row_runs();
    check_schedulefree_points();
    check_divergence_reports();
    check_newton();
    check_cycling_pairs();
    check_live_lr_change();
    check_divergence_isolated();
    check_restart_reproduces();
    check_hyper_changes();
}
