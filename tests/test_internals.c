/* Why this step (core/internals.c, render/rule.c): the next step taken apart agrees with the
 * step the simulation then takes; the rule panel's numbers, as drawn, are the dumped state's
 * after that step to 3 significant digits (adam, sgd with momentum); every optimizer has a
 * rule; the rule and the internals' key fit classroom pictures without a cut line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/func.h"
#include "../src/core/internals.h"
#include "../src/core/optim.h"
#include "../src/core/sched.h"
#include "../src/render/draw.h"
#include "../src/render/panels.h"
#include "../src/session/session.h"
#include "check.h"
#include "layout_check.h"
#include "proc.h"

static int near(double got, double want, double tol)
{
    return fabs(got - want) <= tol * fmax(1.0, fabs(want));
}

/* A one-run simulation on an elongated quadratic, stepped `steps` times. */
static void sim_with(Sim *sim, const char *optimizer, int steps)
{
    char err[256];
    Spec f, o, s;
    CHECK(spec_parse(&func_table, "quadratic:b=20", &f, err, sizeof err) == 0, "%s", err);
    CHECK(optim_parse(optimizer, &o, err, sizeof err) == 0, "%s", err);
    CHECK(spec_parse(&sched_table, "constant", &s, err, sizeof err) == 0, "%s", err);
    const double start[2] = { -4, 1.5 };
    sim_init(sim, &f, start, 0, 1);
    CHECK(sim_add_run(sim, &o, &s, err, sizeof err) == 0, "%s", err);
    for (int i = 0; i < steps; i++)
        sim_step(sim);
}

/* The value of state entry `name` of run r: how many numbers (0 when absent). */
static int state_of(const Run *r, const char *name, double v[2])
{
    OptimStateEntry e[OPTIM_STATE_MAX];
    const int n = optim_state(&r->opt, &r->ost, e);
    for (int i = 0; i < n; i++)
        if (strcmp(e[i].name, name) == 0) {
            v[0] = e[i].v[0], v[1] = e[i].v[1];
            return e[i].kind == OPTIM_VALUE_NUMBER ? 1 : 2;
        }
    return 0;
}

/* The step taken apart is the step sim_step takes; its parts add up as each rule says. */
static void check_vectors(void)
{
    static const char *const cases[] = { "sgd:lr=0.02,momentum=0.9", "adam:lr=0.1", "sgd:lr=0.02",
                                         "adagrad:lr=0.5", "rmsprop:lr=0.05,momentum=0.5,centered=1" };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (int steps = 0; steps <= 6; steps += 3) {
            Sim *sim = calloc(1, sizeof *sim);
            sim_with(sim, cases[c], steps);
            Internals in;
            Rule rule;
            const Run *r = &sim->runs[0];
            const double lr = r->lr, g[2] = { r->g[0], r->g[1] };
            const double m_before[2] = { r->ost.m[0], r->ost.m[1] };
            const int started = r->ost.started;
            CHECK(internals_of(sim, r, &in, &rule) == 0, "%s: no next step at %d", cases[c], steps);
            const double x0 = r->x, y0 = r->y;
            sim_step(sim);
            CHECK(near(in.step[0], r->x - x0, 1e-12) && near(in.step[1], r->y - y0, 1e-12),
                  "%s at %d: step (%g, %g), the simulation's (%g, %g)", cases[c], steps, in.step[0], in.step[1],
                  r->x - x0, r->y - y0);
            CHECK(near(in.next[0], r->x, 1e-12) && near(in.next[1], r->y, 1e-12), "%s: next point", cases[c]);
            CHECK(near(in.grad_step[0], -lr * g[0], 1e-12) && near(in.grad_step[1], -lr * g[1], 1e-12),
                  "%s: the gradient step is not -lr*g", cases[c]);
            CHECK(rule.n >= 1 && rule.line[rule.n - 1].values == 2 && near(rule.line[rule.n - 1].v[0], r->x, 1e-12),
                  "%s: the rule's last line is not the new point", cases[c]);
            if (strcmp(cases[c], "sgd:lr=0.02,momentum=0.9") == 0) {
                /* b <- 0.9 b + g, step -lr b: the gradient step plus the carried momentum. */
                const double carried[2] = { started ? -lr * 0.9 * m_before[0] : 0, started ? -lr * 0.9 * m_before[1] : 0 };
                CHECK(in.has_momentum && !in.has_scale, "sgd momentum: parts");
                for (int i = 0; i < 2; i++) {
                    CHECK(near(in.momentum[i], carried[i], 1e-12), "sgd momentum %d: %g, want %g", i, in.momentum[i],
                          carried[i]);
                    CHECK(near(in.step[i], in.grad_step[i] + in.momentum[i], 1e-12), "sgd: step != gradient step + momentum");
                }
                double b[2];
                CHECK(state_of(r, "momentum_buffer", b) == 2 && near(rule.line[0].v[0], b[0], 1e-15) &&
                      near(rule.line[0].v[1], b[1], 1e-15), "sgd: the rule's b is not the state's momentum_buffer");
            }
            if (strcmp(cases[c], "adam:lr=0.1") == 0) {
                /* momentum = -lr m̂, scale = lr/(√v̂+ε): the step is -m̂·scale. */
                CHECK(in.has_momentum && in.has_scale, "adam: parts");
                for (int i = 0; i < 2; i++)
                    CHECK(near(in.step[i], in.momentum[i] / lr * in.scale[i], 1e-10), "adam %d: step %g, -m̂·scale %g", i,
                          in.step[i], in.momentum[i] / lr * in.scale[i]);
                double m[2], v[2];
                CHECK(state_of(r, "exp_avg", m) == 2 && state_of(r, "exp_avg_sq", v) == 2, "adam: state");
                CHECK(near(rule.line[0].v[0], m[0], 1e-15) && near(rule.line[1].v[1], v[1], 1e-15),
                      "adam: the rule's m and v are not the state's");
            }
            if (strncmp(cases[c], "adagrad", 7) == 0)
                /* The steep axis (y, b = 20) gets the smaller step size. */
                CHECK(in.has_scale && in.scale[1] < in.scale[0], "adagrad: scale (%g, %g)", in.scale[0], in.scale[1]);
            free(sim);
        }
}

/* Every optimizer has a rule of its own, and each takes its next step apart. */
static void check_every_rule(void)
{
    for (int k = 0; k < optim_table.count; k++) {
        const char *name = spec_kind(&optim_table, k)->name;
        CHECK(internals_has_rule(name), "%s has no rule in core/internals.c", name);
        char spec[64];
        snprintf(spec, sizeof spec, "%s:lr=0.01", name);
        Sim *sim = calloc(1, sizeof *sim);
        sim_with(sim, spec, 3);
        Internals in;
        Rule rule;
        CHECK(internals_of(sim, &sim->runs[0], &in, &rule) == 0 && rule.n >= 1, "%s: no rule lines", name);
        for (int i = 0; i < rule.n; i++)
            CHECK(rule.line[i].formula && rule.line[i].formula[0] && isfinite(rule.line[i].v[0]) &&
                  isfinite(rule.line[i].v[1]), "%s: line %d", name, i);
        free(sim);
    }
}

/* A session of the options given (name/value pairs), laid out and stepped, with its picture. */
static int open_session(Session **ses, Draw **d, const char *const *opts, int w, int h, double font)
{
    char err[512];
    Config c;
    config_defaults(&c);
    int ok = 1;
    for (int i = 0; ok && opts[i]; i += 2)
        ok = config_apply(&c, opts[i], opts[i + 1], 0, err, sizeof err) == 0;
    ok = ok && config_finish(&c, err, sizeof err) == 0;
    *ses = calloc(1, sizeof **ses);
    *d = ok ? draw_new(w, h, font, err, sizeof err) : NULL;
    if (!*ses || !*d || session_init(*ses, &c, 0, 0, w, h, err, sizeof err) < 0) {
        CHECK(0, "a session: %s", err);
        return -1;
    }
    Layout l;
    draw_layout(*d, *ses, 0, &l);
    const Action a = session_map_box(l.map.x, l.map.y, l.map.w, l.map.h);
    session_apply(*ses, &a);
    for (long i = 0; i < c.steps; i++)
        session_step(*ses);
    const DrawOptions o = { .live = 0 };
    if (draw_frame(*d, *ses, &o, err, sizeof err) < 0) {
        CHECK(0, "drawing: %s", err);
        return -1;
    }
    return 0;
}

static void close_session(Session *ses, Draw *d)
{
    if (d)
        draw_free(d);
    session_free(ses);
}

/* The dump's "state" object of run 0, as text. */
static char *dumped_state(const Session *ses)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    session_dump_json(ses, NULL, f);
    fclose(f);
    return buf;
}

/* The [x, y] or number after "name": in s. */
static int json_values(const char *s, const char *name, double v[2])
{
    char key[96];
    snprintf(key, sizeof key, "\"%s\": ", name);
    const char *p = s ? strstr(s, key) : NULL;
    if (!p)
        return 0;
    p += strlen(key);
    if (*p == '[')
        return sscanf(p, "[%lf, %lf]", &v[0], &v[1]) == 2 ? 2 : 0;
    return sscanf(p, "%lf", &v[0]) == 1;
}

/* The rule panel as drawn: each line's numbers are the dumped state's after the step, to 3
 * significant digits. */
static void check_panel_numbers(const char *optimizer, const char *const pairs[][2], int npairs)
{
    const char *opts[] = { "function", "quadratic:b=20", "optimizer", optimizer, "steps", "7", "panels",
                           "contours,colorbar,axes,rule,internals", "size", "1280x720", NULL };
    Session *ses;
    Draw *d;
    if (open_session(&ses, &d, opts, 1280, 720, 1.5) < 0)
        return;
    char texts[8192];
    const int n = draw_texts(d, ses, PANEL_RULE, texts, sizeof texts);
    CHECK(n >= 3 && !strstr(texts, "\xe2\x80\xa6"), "%s: the rule panel drew %d strings, or cut one:\n%s", optimizer, n,
          texts);
    session_step(ses);
    char *state = dumped_state(ses);
    const char *runs = state ? strstr(state, "\"state\": {") : NULL;
    CHECK(runs != NULL, "%s: no state in the dump", optimizer);
    for (int i = 0; i < npairs && runs; i++) {
        double v[2];
        const int k = json_values(runs, pairs[i][1], v);
        CHECK(k == 2, "%s: no %s in the dump's state", optimizer, pairs[i][1]);
        char want[96];
        snprintf(want, sizeof want, "(%.3g, %.3g)", v[0], v[1]);
        /* The formula's line, then its values beside it or on the next line. */
        const char *at = strstr(texts, pairs[i][0]);
        const char *eol = at ? strchr(at, '\n') : NULL;
        const char *values = eol ? eol + 1 : NULL;
        CHECK(values && strncmp(values, want, strlen(want)) == 0,
              "%s: after \"%s\" the panel says %.40s, the dump's %s is %s", optimizer, pairs[i][0], values ? values : "-",
              pairs[i][1], want);
    }
    free(state);
    close_session(ses, d);
}

static void check_numbers(void)
{
    const char *const adam[][2] = { { "m ← β₁m + (1−β₁)g", "exp_avg" }, { "v ← β₂v + (1−β₂)g²", "exp_avg_sq" } };
    check_panel_numbers("adam:lr=0.1", adam, 2);
    const char *const sgd[][2] = { { "b ← μb + g", "momentum_buffer" } };
    check_panel_numbers("sgd:lr=0.02,momentum=0.9", sgd, 1);
}

/* The rule and the internals' key at classroom sizes: no boxes overlap, both are there,
 * and no line of the rule is cut. */
static void check_fit(void)
{
    static const int sizes[][2] = { { 1280, 720 }, { 1024, 768 } };
    static const char *const optimizers[] = { "adam:lr=0.1,amsgrad=1,weight_decay=0.01", "nadam:lr=0.05",
                                              "sgd:lr=0.02,momentum=0.9,nesterov=1,weight_decay=0.1",
                                              "rmsprop:lr=0.05,centered=1,momentum=0.5", "radam:lr=0.1" };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (size_t k = 0; k < sizeof optimizers / sizeof optimizers[0]; k++) {
            char line[512], what[160], size[32];
            snprintf(size, sizeof size, "%dx%d", sizes[i][0], sizes[i][1]);
            snprintf(line, sizeof line, "--headless --function quadratic:b=20 --optimizer %s --optimizer sgd:lr=0.01 "
                     "--size %s --font-scale 1.5 --steps 10 --dump-state - --panels contours,colorbar,axes,rule,internals",
                     optimizers[k], size);
            snprintf(what, sizeof what, "%s with rule and internals, %s font 1.5", optimizers[k], size);
            ProcResult r;
            proc_run_line(line, 60, &r);
            CHECK(r.status == 0, "%s: status %d", what, r.status);
            if (r.status == 0) {
                layout_check_dump(r.out, sizes[i][0], sizes[i][1], 1.5, 2, what);
                CHECK(strstr(r.out, "\"rule\": [") && strstr(r.out, "\"internals_key\": ["), "%s: no rule or key box", what);
            }
            proc_free(&r);
            const char *opts[] = { "function", "quadratic:b=20", "optimizer", optimizers[k], "optimizer", "sgd:lr=0.01",
                                   "steps", "10", "panels", "contours,colorbar,axes,rule,internals", "size", size, NULL };
            Session *ses;
            Draw *d;
            if (open_session(&ses, &d, opts, sizes[i][0], sizes[i][1], 1.5) < 0)
                continue;
            char texts[8192];
            const int n = draw_texts(d, ses, PANEL_RULE, texts, sizeof texts);
            CHECK(n >= 4 && !strstr(texts, "\xe2\x80\xa6"), "%s: %d strings, or one cut:\n%s", what, n, texts);
            const int keys = draw_texts(d, ses, PANEL_INTERNALS_KEY, texts, sizeof texts);
            CHECK(keys == 5 && !strstr(texts, "\xe2\x80\xa6"), "%s: the key drew %d strings, or cut one:\n%s", what, keys,
                  texts);
            close_session(ses, d);
        }
}

/* The dump's internals: the step is the next point less this one, and it says its scale. */
static void check_dump(void)
{
    ProcResult r;
    proc_run_line("--headless --function quadratic:b=20 --optimizer adam:lr=0.1 --steps 5 --dump-state - "
                  "--panels internals", 60, &r);
    const char *in = r.out ? strstr(r.out, "\"internals\": {") : NULL;
    double point[2], next[2], step[2], k[2];
    CHECK(r.status == 0 && in && json_values(in, "point", point) == 2 && json_values(in, "next", next) == 2 &&
              json_values(in, "step", step) == 2 && json_values(in, "arrow_scale", k) == 1,
          "the dump has no internals: %d %s", r.status, r.err);
    if (in)
        CHECK(near(step[0], next[0] - point[0], 1e-12) && near(step[1], next[1] - point[1], 1e-12) && k[0] >= 1,
              "the dump's step is not next - point, or its scale %g < 1", k[0]);
    proc_free(&r);
}

/* Shift+N: four phases on the shell's clock, then exactly N's step, the timeline kept; the
 * rule panel marks the phase's lines; the runs go on as they were. */
static void check_slow_motion(void)
{
    const char *opts[] = { "function", "quadratic:b=20", "optimizer", "adam:lr=0.1", "steps", "4", "panels",
                           "contours,colorbar,axes", "size", "1280x720", NULL };
    Session *ses, *plain;
    Draw *d, *d2;
    if (open_session(&ses, &d, opts, 1280, 720, 1.5) < 0 || open_session(&plain, &d2, opts, 1280, 720, 1.5) < 0)
        return;
    const int was_paused = ses->paused;
    const long tick = ses->tick;
    const double x0 = ses->sim.runs[0].x, y0 = ses->sim.runs[0].y;
    session_apply(ses, &(Action){ .kind = ACTION_SLOW_STEP });
    CHECK(ses->slow_phase == INTERNALS_PHASE_GRADIENT && ses->paused && (ses->shown & SHOW_INTERNALS) &&
              (ses->shown & SHOW_RULE), "Shift+N: phase %d, paused %d, shown %#x", ses->slow_phase, ses->paused, ses->shown);
    for (int phase = INTERNALS_PHASE_GRADIENT; phase <= INTERNALS_PHASE_STEP; phase++) {
        CHECK(ses->slow_phase == phase && ses->tick == tick, "slow motion: phase %d at tick %ld, want %d at %ld",
              ses->slow_phase, ses->tick, phase, tick);
        session_apply(ses, &(Action){ .kind = ACTION_SLOW_NEXT });
    }
    session_apply(plain, &(Action){ .kind = ACTION_STEP });
    CHECK(ses->slow_phase == 0 && ses->tick == tick + 1 && ses->paused == was_paused,
          "after the last phase: phase %d, tick %ld, paused %d", ses->slow_phase, ses->tick, ses->paused);
    CHECK(ses->sim.runs[0].x == plain->sim.runs[0].x && ses->sim.runs[0].y == plain->sim.runs[0].y,
          "the slow step is not N's step");
    session_apply(ses, &(Action){ .kind = ACTION_STEP_BACK });
    CHECK(ses->tick == tick && ses->sim.runs[0].x == x0 && ses->sim.runs[0].y == y0, "← after the slow step is not exact");
    close_session(ses, d);
    close_session(plain, d2);
}

void test_internals(void)
{
    check_slow_motion();
    check_vectors();
    check_every_rule();
    check_numbers();
    check_dump();
    check_fit();
}
