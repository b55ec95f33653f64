/* The side-by-side runs: live changes keep optimizer state, divergence stops one run
 * only, restarts reproduce the same path. */
#include <math.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/sim.h"
#include "check.h"

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

void test_sim(void)
{
    check_live_lr_change();
    check_divergence_isolated();
    check_restart_reproduces();
    check_hyper_changes();
}
