/* Headless jobs: step the runs and write the trace; render a screenshot; benchmark. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../core/sim.h"
#include "app.h"
#include "files.h"

#define HEADLESS_DEFAULT_STEPS 500

static void report_divergence(const Sim *sim, unsigned diverged)
{
    for (int i = 0; i < sim->nruns; i++)
        if (diverged & (1u << i))
            fprintf(stderr, "%s diverged at step %ld\n", sim->runs[i].label, sim->runs[i].step + 1);
}

/* Steps every run `steps` times, writing each new point to trace when it is given. */
static void run_steps(Sim *sim, long steps, FILE *trace)
{
    if (trace) {
        sim_trace_header(trace);
        for (int i = 0; i < sim->nruns; i++)
            sim_trace_row(trace, &sim->runs[i]);
    }
    for (long k = 0; k < steps && sim_live_runs(sim) > 0; k++) {
        unsigned diverged = sim_step(sim);
        report_divergence(sim, diverged);
        if (!trace)
            continue;
        for (int i = 0; i < sim->nruns; i++)
            if (!(sim->runs[i].diverged) && sim->runs[i].step == k + 1)
                sim_trace_row(trace, &sim->runs[i]);
    }
}

static FILE *open_trace(const char *path, char *err, size_t errlen)
{
    if (strcmp(path, "-") == 0)
        return stdout;
    if (files_check_writable("trace", path, err, errlen) < 0)
        return NULL;
    FILE *f = fopen(path, "w");
    if (!f)
        snprintf(err, errlen, "cannot write trace '%.200s': %s", path, strerror(errno));
    return f;
}

static int close_trace(FILE *f, const char *path, char *err, size_t errlen)
{
    int bad = ferror(f) | (f == stdout ? fflush(f) : fclose(f));
    if (bad) {
        snprintf(err, errlen, "writing trace '%.200s' failed", path);
        return 1;
    }
    return 0;
}

int headless_run(const Config *c, char *err, size_t errlen)
{
    Sim sim;
    if (config_make_sim(c, &sim, err, errlen) < 0)
        return 2;
    FILE *trace = NULL;
    if (c->trace && !(trace = open_trace(c->trace, err, errlen)))
        return 2;
    run_steps(&sim, c->steps ? c->steps : HEADLESS_DEFAULT_STEPS, trace);
    if (trace && close_trace(trace, c->trace, err, errlen))
        return 1;
    return 0;
}
