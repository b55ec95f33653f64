/* Each run's optimizer state under torch's names: the dump's `state` against torch.optim's
 * optimizer.state for every case in tests/data/reference_state (to 1e-9 relative to
 * max(1, |value|)), and the keys each optimizer lists for its settings. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/func.h"
#include "../src/core/optim.h"
#include "../src/core/sched.h"
#include "../src/core/sim.h"
#include "check.h"
#include "proc.h"

#define STATE_TOL 1e-9
#define STATE_DIR "tests/data/reference_state"
/* Cases whose state holds torch's None (L-BFGS's al before it fills), which
 * ../shared/tools/check_state.py cannot compare. */
#define STATE_NONE_DIR "tests/data/reference_state_none"

/* The text after `"key":` in s, white space skipped; NULL when absent. */
static const char *after_key(const char *s, const char *key)
{
    char quoted[128];
    snprintf(quoted, sizeof quoted, "\"%s\":", key);
    const char *p = strstr(s, quoted);
    if (!p)
        return NULL;
    p += strlen(quoted);
    while (*p == ' ' || *p == '\n')
        p++;
    return p;
}

#define STATE_VALUES_MAX 256 /* numbers in one value: L-BFGS's lists hold history_size */

/* A number, null, or a list of them nested to any depth ([x, y], L-BFGS's lists) at p,
 * flattened into v (null as NaN): how many numbers were read, -1 when malformed. */
static int read_value(const char *p, double v[STATE_VALUES_MAX])
{
    int n = 0, depth = 0;
    do {
        while (*p == ' ' || *p == '\n' || *p == ',')
            p++;
        if (*p == '[') {
            depth++, p++;
        } else if (*p == ']') {
            depth--, p++;
        } else if (strncmp(p, "null", 4) == 0 && n < STATE_VALUES_MAX) {
            v[n++] = NAN, p += 4;
        } else {
            char *end;
            const double x = strtod(p, &end);
            if (end == p || n == STATE_VALUES_MAX)
                return -1;
            v[n++] = x, p = end;
        }
    } while (depth > 0);
    return n;
}

static int close_to(double got, double want)
{
    if (isnan(want))
        return isnan(got); /* torch's None */
    return fabs(got - want) <= STATE_TOL * fmax(1.0, fabs(want));
}

/* The body of the first `"state": {...}` in s (copied, without nesting of objects). */
static int state_object(const char *s, char *out, size_t len)
{
    const char *p = after_key(s, "state");
    if (!p || *p != '{')
        return -1;
    const char *end = strchr(p, '}');
    if (!end || (size_t)(end - p) >= len)
        return -1;
    memcpy(out, p + 1, (size_t)(end - p - 1));
    out[end - p - 1] = '\0';
    return 0;
}

static void check_case(const char *dir, const char *name)
{
    char path[512], line[1024], dump[] = "build/test-state-dump.json";
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *ref = proc_read_file(path);
    CHECK(ref != NULL, "%s: unreadable", path);
    if (!ref)
        return;
    const char *args = after_key(ref, "args"), *steps = after_key(ref, "steps");
    CHECK(args && *args == '"' && steps, "%s: no args or steps", name);
    if (!args || *args != '"' || !steps) {
        free(ref);
        return;
    }
    snprintf(line, sizeof line, "--headless %.*s --steps %ld --dump-state %s", (int)strcspn(args + 1, "\""),
             args + 1, strtol(steps, NULL, 10), dump);
    ProcResult r;
    proc_run_line(line, 60, &r);
    CHECK(r.status == 0, "%s: exit %d: %s", name, r.status, r.err);
    proc_free(&r);
    char *got = proc_read_file(dump);
    char want_state[16384], got_state[16384];
    CHECK(got && state_object(got, got_state, sizeof got_state) == 0, "%s: no state object in the dump", name);
    CHECK(state_object(ref, want_state, sizeof want_state) == 0, "%s: no state in the reference", name);
    if (got && state_object(got, got_state, sizeof got_state) == 0 &&
        state_object(ref, want_state, sizeof want_state) == 0) {
        int keys = 0;
        for (const char *k = strchr(want_state, '"'); k; k = strchr(k, '"')) {
            char key[64];
            const size_t n = strcspn(k + 1, "\"");
            snprintf(key, sizeof key, "%.*s", (int)n, k + 1);
            double want[STATE_VALUES_MAX], have[STATE_VALUES_MAX];
            const int nw = read_value(after_key(k, key), want);
            const char *g = after_key(got_state, key);
            const int ng = g ? read_value(g, have) : 0;
            CHECK(nw > 0 && ng == nw, "%s: %s has %d values, torch %d", name, key, ng, nw);
            for (int i = 0; i < nw && ng == nw; i++)
                CHECK(close_to(have[i], want[i]), "%s: %s[%d] = %.17g, torch has %.17g", name, key, i, have[i],
                      want[i]);
            keys++;
            k += n + 2; /* values hold no quotes: the next quote opens the next key */
        }
        int got_keys = 0;
        for (const char *k = got_state; (k = strstr(k, "\":")); k += 2)
            got_keys++;
        CHECK(got_keys == keys, "%s: %d keys in the dump's state, torch has %d", name, got_keys, keys);
    }
    free(got);
    free(ref);
    remove(dump);
}

/* Checks every case in dir: how many there were. */
static int check_folder(const char *dir)
{
    DIR *d = opendir(dir);
    CHECK(d != NULL, "%s: missing", dir);
    if (!d)
        return 0;
    int cases = 0;
    for (struct dirent *e; (e = readdir(d));) {
        const size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0) {
            check_case(dir, e->d_name);
            cases++;
        }
    }
    closedir(d);
    return cases;
}

static void check_references(void)
{
    const int cases = check_folder(STATE_DIR), none_cases = check_folder(STATE_NONE_DIR);
    CHECK(cases >= 32, "%d reference state cases, expected at least 32", cases);
    CHECK(none_cases >= 2, "%d reference state cases holding None, expected at least 2", none_cases);
}

/* The state's key names, space separated, after `steps` steps of spec (under schedule
 * sched) on Rosenbrock. */
static int run_sched_state(const char *spec, const char *sched, int steps, OptimStateEntry e[OPTIM_STATE_MAX], char *keys, size_t len)
{
    static Sim sim;
    Spec f, o, s;
    char err[256];
    keys[0] = '\0';
    if (spec_parse(&func_table, "rosenbrock", &f, err, sizeof err) < 0 || optim_parse(spec, &o, err, sizeof err) < 0 ||
        sched_parse(sched, &s, err, sizeof err) < 0) {
        CHECK(0, "%s: %s", spec, err);
        return -1;
    }
    sim_init(&sim, &f, (const double[2]){ -1.2, 1.0 }, 0, 1);
    if (sim_add_run(&sim, &o, &s, err, sizeof err) < 0) {
        CHECK(0, "%s: %s", spec, err);
        return -1;
    }
    for (int i = 0; i < steps; i++)
        sim_step(&sim);
    const int n = optim_state(&sim.runs[0].opt, &sim.runs[0].ost, e);
    for (int i = 0; i < n; i++) {
        strncat(keys, i ? " " : "", len - strlen(keys) - 1);
        strncat(keys, e[i].name, len - strlen(keys) - 1);
    }
    return n;
}

static int run_state(const char *spec, int steps, OptimStateEntry e[OPTIM_STATE_MAX], char *keys, size_t len)
{
    return run_sched_state(spec, "constant", steps, e, keys, len);
}

static int entry_finite(const OptimStateEntry *e)
{
    if (e->kind == OPTIM_VALUE_NUMBER || e->kind == OPTIM_VALUE_VECTOR)
        return isfinite(e->v[0]) && isfinite(e->v[1]);
    const int width = e->kind == OPTIM_VALUE_VECTORS ? 2 : 1;
    /* L-BFGS's al holds NaN for torch's None in the slots no recursion has filled yet */
    const int none_ok = strcmp(e->name, "al") == 0;
    for (int i = 0; i < e->count * width; i++)
        if (!isfinite(e->list[i]) && !(none_ok && isnan(e->list[i])))
            return 0;
    return 1;
}

/* Every optimizer in the table has its state after a few steps, with finite values; only
 * Newton keeps none. */
static void check_every_optimizer(void)
{
    for (int k = 0; k < optim_table.count; k++) {
        const char *name = spec_kind(&optim_table, k)->name;
        char spec[128], keys[512];
        /* sgd keeps state only with momentum (check_keys covers momentum 0) */
        snprintf(spec, sizeof spec, "%s:lr=0.0001%s", name, strcmp(name, "sgd") == 0 ? ",momentum=0.9" : "");
        OptimStateEntry e[OPTIM_STATE_MAX];
        const int n = run_state(spec, 5, e, keys, sizeof keys);
        if (strcmp(name, "newton") == 0) {
            CHECK(n == 0, "newton lists state: %s", keys);
            continue;
        }
        CHECK(n > 0, "%s: no state after 5 steps", name);
        for (int i = 0; i < n; i++)
            CHECK(entry_finite(&e[i]), "%s: %s is not finite", name, e[i].name);
    }
}

/* The keys follow the settings as torch's do. */
static void check_keys(void)
{
    static const struct {
        const char *spec;
        int steps;
        const char *keys;
    } cases[] = {
        { "sgd:lr=0.0001", 3, "" }, /* momentum 0: torch 2.6 stores no momentum_buffer */
        { "sgd:lr=0.0001,momentum=0.9", 0, "" },
        { "sgd:lr=0.0001,momentum=0.9", 3, "momentum_buffer" },
        { "adam", 0, "" },
        { "adam", 2, "step exp_avg exp_avg_sq" },
        { "adam:amsgrad=1", 2, "step exp_avg exp_avg_sq max_exp_avg_sq" },
        { "adamw:amsgrad=1", 2, "step exp_avg exp_avg_sq max_exp_avg_sq" },
        { "adamax", 2, "step exp_avg exp_inf" },
        { "nadam", 2, "step mu_product exp_avg exp_avg_sq" },
        { "radam", 2, "step exp_avg exp_avg_sq" },
        { "adagrad", 0, "step sum" },
        { "rmsprop", 2, "step square_avg" },
        { "rmsprop:momentum=0.5,centered=1", 2, "step square_avg momentum_buffer grad_avg" },
        { "adadelta", 2, "step square_avg acc_delta" },
        { "rprop", 2, "step prev step_size" },
        { "asgd", 2, "step eta mu ax" },
        { "adafactor", 2, "step variance" },
        { "lbfgs:lr=0.001", 1, "func_evals n_iter d t old_dirs old_stps ro H_diag prev_flat_grad prev_loss" },
        { "lbfgs:lr=0.001", 2, "func_evals n_iter d t old_dirs old_stps ro H_diag prev_flat_grad prev_loss al" },
        { "lbfgs:tolerance_grad=1000", 2, "func_evals n_iter" }, /* returned before its first iteration */
        { "lion", 2, "exp_avg" },
        { "qhm", 2, "momentum_buffer" },
        { "qhadam", 2, "beta1_weight beta2_weight exp_avg exp_avg_sq" },
        { "sgd_schedulefree", 2, "z" },
        { "adamw_schedulefree", 2, "z exp_avg_sq" },
        { "prodigy", 2, "step s p0 exp_avg exp_avg_sq" },
        { "prodigy:beta1=0", 2, "step s p0 exp_avg_sq" },
        { "newton", 2, "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char keys[512];
        OptimStateEntry e[OPTIM_STATE_MAX];
        run_state(cases[i].spec, cases[i].steps, e, keys, sizeof keys);
        CHECK(strcmp(keys, cases[i].keys) == 0, "%s after %d steps: state '%s', torch keeps '%s'", cases[i].spec,
              cases[i].steps, keys, cases[i].keys);
    }
}

/* The counters count: Adam's step is the number of updates, RMSprop's too. */
static void check_counters(void)
{
    char keys[512];
    OptimStateEntry e[OPTIM_STATE_MAX];
    CHECK(run_state("rmsprop:lr=0.0001", 7, e, keys, sizeof keys) > 0 && e[0].v[0] == 7, "rmsprop step %g, want 7",
          e[0].v[0]);
    CHECK(run_state("adam:lr=0.0001", 4, e, keys, sizeof keys) > 0 && e[0].v[0] == 4, "adam step %g, want 4",
          e[0].v[0]);
}

/* sgd at momentum 0 under a schedule that cycles momentum steps with momentum, so torch
 * keeps a momentum_buffer although the spec says 0. */
static void check_cycled_momentum(void)
{
    char keys[512];
    OptimStateEntry e[OPTIM_STATE_MAX];
    run_sched_state("sgd:lr=0.0001", "onecycle:total_steps=100", 3, e, keys, sizeof keys);
    CHECK(strcmp(keys, "momentum_buffer") == 0, "sgd at momentum 0 with onecycle's cycled momentum: state '%s'", keys);
}

void test_state(void)
{
    check_cycled_momentum();
    check_every_optimizer();
    check_keys();
    check_counters();
    check_references();
}
