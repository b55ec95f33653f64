/* Tests for src/core/curvature.c: eigenvalues at points with known values, the stability
 * verdict, the quadratic theory and the snap key that applies it, the convergence it
 * promises (through the program's trace), and the state dump's new numbers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/curvature.h"
#include "../src/core/func.h"
#include "../src/session/session.h"
#include "check.h"
#include "layout_check.h"
#include "proc.h"

static Spec func(const char *text)
{
    Spec s;
    char err[256];
    const int ok = spec_parse(&func_table, text, &s, err, sizeof err);
    CHECK(ok == 0, "parse %s: %s", text, err);
    return s;
}

/* H v = λ v for both pairs, and the vectors are unit and orthogonal. */
static void check_vectors(const Spec *f, double x, double y, const CurvEigen *e)
{
    double h[3];
    func_hessian(f, x, y, h);
    const double *v[2] = { e->vmin, e->vmax };
    const double l[2] = { e->lmin, e->lmax };
    for (int i = 0; i < 2; i++) {
        const double hx = h[0] * v[i][0] + h[1] * v[i][1], hy = h[1] * v[i][0] + h[2] * v[i][1];
        const double scale = fmax(1, fabs(e->lmax));
        CHECK(fabs(hx - l[i] * v[i][0]) < 1e-9 * scale && fabs(hy - l[i] * v[i][1]) < 1e-9 * scale,
              "H v = %g v at (%g, %g)", l[i], x, y);
        CHECK(fabs(hypot(v[i][0], v[i][1]) - 1) < 1e-12, "unit eigenvector");
    }
    CHECK(fabs(e->vmin[0] * e->vmax[0] + e->vmin[1] * e->vmax[1]) < 1e-12, "orthogonal eigenvectors");
}

static void check_eigenvalues(void)
{
    const char *quads[] = { "quadratic:a=1,b=10", "quadratic:a=1,b=10,angle=30", "quadratic:a=1,b=10,angle=-75" };
    const double pts[][2] = { { 0, 0 }, { 3, -2 }, { -4.5, 1 }, { 100, 7 } };
    for (size_t q = 0; q < 3; q++) {
        const Spec f = func(quads[q]);
        for (size_t i = 0; i < 4; i++) {
            CurvEigen e;
            curv_eigen_at(&f, pts[i][0], pts[i][1], &e);
            CHECK(fabs(e.lmin - 1) < 1e-12 && fabs(e.lmax - 10) < 1e-12, "%s at (%g, %g): %.17g, %.17g", quads[q],
                  pts[i][0], pts[i][1], e.lmin, e.lmax);
            CHECK(fabs(curv_condition(&e) - 10) < 1e-11, "condition number 10");
            check_vectors(&f, pts[i][0], pts[i][1], &e);
        }
    }
    /* Rosenbrock at its minimum: H = [[802, -400], [-400, 200]], λ = 501 ± √250601. */
    const Spec r = func("rosenbrock");
    CurvEigen e;
    curv_eigen_at(&r, 1, 1, &e);
    CHECK(fabs(e.lmax - 1001.6006) < 1e-4 && fabs(e.lmin - 0.3994) < 1e-4, "rosenbrock (1,1): %.6f %.6f", e.lmax,
          e.lmin);
    CHECK(fabs(e.lmin - (501 - sqrt(250601))) < 1e-12, "small eigenvalue without cancellation: %.17g", e.lmin);
    check_vectors(&r, 1, 1, &e);
    /* A saddle: one negative direction. */
    const Spec s = func("saddle");
    curv_eigen_at(&s, 0.3, 0.2, &e);
    CHECK(e.lmin == -2 && e.lmax == 2, "saddle: %g %g", e.lmin, e.lmax);
    check_vectors(&s, 0.3, 0.2, &e);
}

/* A session as the command line `--function F --optimizer O` sets it up. */
static Session *session(const char *function, const char *optimizer)
{
    char *argv[] = { "optiscope", "--function", (char *)function, "--optimizer", (char *)optimizer, NULL };
    char err[256] = "";
    Config c;
    config_defaults(&c);
    Session *ses = calloc(1, sizeof *ses);
    const int ok = config_parse_args(&c, 5, argv, NULL, err, sizeof err) == 0 && config_finish(&c, err, sizeof err) == 0 &&
                   session_init(ses, &c, 0, 0, 800, 600, err, sizeof err) == 0;
    CHECK(ok, "session %s %s: %s", function, optimizer, err);
    return ses;
}

static void check_stability(void)
{
    Session *ses = session("quadratic:a=1,b=10", "sgd:lr=0.16");
    CurvEigen e;
    CurvStability st;
    const Run *r = &ses->sim.runs[0];
    curv_eigen_at(&ses->sim.func, r->x, r->y, &e);
    curv_stability(r, &e, &st);
    CHECK(st.rule == CURV_RULE_PLAIN && fabs(st.product - 1.6) < 1e-12 && st.limit == 2 && st.stable,
          "sgd lr 0.16 on L = 10: lr·λmax = 1.6, stable below 2");
    session_free(ses);
    ses = session("quadratic:a=1,b=10", "sgd:lr=0.3,momentum=0.9");
    curv_stability(&ses->sim.runs[0], &e, &st);
    CHECK(st.rule == CURV_RULE_MOMENTUM && fabs(st.limit - 3.8) < 1e-12 && st.stable,
          "momentum 0.9: limit 2(1+β) = 3.8, lr·λmax 3 is stable");
    session_free(ses);
    ses = session("quadratic:a=1,b=10", "sgd:lr=0.3,momentum=0.5,nesterov=1");
    curv_stability(&ses->sim.runs[0], &e, &st);
    CHECK(fabs(st.limit - 1.5) < 1e-12 && !st.stable, "nesterov 0.5: limit 2(1+β)/(1+2β) = 1.5, lr·λmax 3 is not");
    session_free(ses);
    ses = session("quadratic:a=1,b=10", "sgd:lr=0.1,momentum=0.5,dampening=0.5");
    curv_stability(&ses->sim.runs[0], &e, &st);
    CHECK(fabs(st.limit - 6) < 1e-12 && st.stable, "dampening 0.5: limit 2(1+β)/(1−d) = 6");
    session_free(ses);
    ses = session("quadratic:a=1,b=10", "sgd:lr=0.19,weight_decay=1");
    curv_stability(&ses->sim.runs[0], &e, &st);
    CHECK(fabs(st.product - 0.19 * 11) < 1e-12 && !st.stable, "weight decay 1 adds to λmax: lr·(10+1) = 2.09");
    session_free(ses);
    ses = session("quadratic:a=1,b=10", "sgd:lr=0.21");
    curv_stability(&ses->sim.runs[0], &e, &st);
    CHECK(!st.stable, "sgd lr 0.21 on L = 10 is unstable");
    session_free(ses);
    ses = session("quadratic:a=1,b=10", "adam:lr=0.1");
    curv_stability(&ses->sim.runs[0], &e, &st);
    CHECK(st.rule == CURV_RULE_ADAPTIVE && isnan(st.eff[0]), "adam before its first step: no denominator yet");
    for (int i = 0; i < 3; i++)
        session_step(ses);
    r = &ses->sim.runs[0];
    curv_stability(r, &e, &st);
    const double bc2 = 1 - pow(0.999, 3);
    CHECK(fabs(st.eff[1] - 0.1 / (sqrt(r->ost.v[1] / bc2) + 1e-8)) < 1e-15 && st.eff[1] > 0,
          "adam's step per coordinate: lr / (√v̂ + eps) = %g", st.eff[1]);
    session_free(ses);
}

static void check_theory(void)
{
    const Spec q = func("quadratic:a=1,b=10,angle=30");
    const WorldBox view = { -5, 5, -3, 3 };
    const double start[2] = { -4.5, 1 };
    CurvTheory t;
    CHECK(curv_theory(&q, view, start, &t) == 1, "a quadratic has a theory");
    CHECK(fabs(t.lr_max_stable - 0.2) < 1e-12 && fabs(t.lr_best - 2.0 / 11) < 1e-12 &&
              fabs(t.rate_best - 9.0 / 11) < 1e-12,
          "2/L, 2/(L+mu), (kappa-1)/(kappa+1)");
    const double sk = sqrt(10), hb = 2 / (sqrt(10) + 1);
    CHECK(fabs(t.heavy_ball_lr - hb * hb) < 1e-12 &&
              fabs(t.heavy_ball_momentum - pow((sk - 1) / (sk + 1), 2)) < 1e-12 &&
              fabs(t.heavy_ball_rate - (sk - 1) / (sk + 1)) < 1e-12,
          "heavy ball's lr, momentum and rate");
    const Spec b = func("booth");
    CHECK(curv_theory(&b, view, start, &t) == 1 && fabs(t.mu - 2) < 1e-12 && fabs(t.L - 18) < 1e-12,
          "booth is a quadratic too: mu 2, L 18");
    const Spec r = func("rosenbrock"), s = func("saddle");
    CHECK(curv_theory(&r, view, start, &t) == 0, "rosenbrock has no constant Hessian");
    CHECK(curv_theory(&s, view, start, &t) == 0, "a saddle's constant Hessian is not positive definite");
}

static void check_snap(void)
{
    Session *ses = session("quadratic:a=1,b=10", "sgd:lr=0.01");
    Action a = { .kind = ACTION_SNAP_OPTIMAL };
    session_apply(ses, &a);
    CHECK(fabs(ses->sim.runs[0].opt.v[0] - 2.0 / 11) < 1e-12, "Y sets lr = 2/11: %.17g", ses->sim.runs[0].opt.v[0]);
    CHECK(strstr(ses->message, "2/(L+") != NULL, "the message says why: '%s'", ses->message);
    session_free(ses);
    ses = session("quadratic:a=1,b=10", "sgd:lr=0.01,momentum=0.5");
    session_apply(ses, &a);
    const double sk = sqrt(10), hb = 2 / (sqrt(10) + 1);
    const int m = spec_param_index(spec_kind(&optim_table, ses->sim.runs[0].opt.kind), "momentum");
    CHECK(fabs(ses->sim.runs[0].opt.v[0] - hb * hb) < 1e-12 &&
              fabs(ses->sim.runs[0].opt.v[m] - pow((sk - 1) / (sk + 1), 2)) < 1e-12,
          "Y with momentum sets heavy ball's pair: %.17g %.17g", ses->sim.runs[0].opt.v[0], ses->sim.runs[0].opt.v[m]);
    CHECK(strstr(ses->message, "heavy ball") != NULL, "message '%s'", ses->message);
    session_free(ses);
    ses = session("rosenbrock", "sgd:lr=0.001");
    session_apply(ses, &a);
    CHECK(ses->sim.runs[0].opt.v[0] == 0.001 && strstr(ses->message, "constant") != NULL,
          "no snap on rosenbrock: '%s'", ses->message);
    session_free(ses);
    ses = session("quadratic", "adam:lr=0.01");
    session_apply(ses, &a);
    CHECK(ses->sim.runs[0].opt.v[0] == 0.01 && strstr(ses->message, "sgd") != NULL, "adam is not snapped: '%s'",
          ses->message);
    session_free(ses);
}

/* The loss of the last row of a headless trace of one sgd run. */
static double traced_loss(double lr)
{
    char line[256];
    snprintf(line, sizeof line, "--headless --function quadratic:a=1,b=10 --start -4.5,1 --optimizer sgd:lr=%.17g "
             "--steps 40 --trace -", lr);
    ProcResult r;
    proc_run_line(line, 20, &r);
    double loss = NAN;
    const char *last = r.out ? strrchr(r.out, ',') : NULL;
    if (r.status == 0 && last) {
        const char *p = last - 1;
        while (p > r.out && *p != ',')
            p--;
        loss = strtod(p + 1, NULL);
    }
    proc_free(&r);
    return loss;
}

static void check_convergence(void)
{
    const double best = traced_loss(2.0 / 11), lower = traced_loss(0.9 * 2 / 11), higher = traced_loss(1.1 * 2 / 11);
    CHECK(best < lower && best < higher, "sgd at 2/(L+mu) ends lower after 40 steps: %g against %g (0.9x) and %g (1.1x)",
          best, lower, higher);
}

static void check_dump(void)
{
    ProcResult r;
    proc_run_line("--headless --function quadratic:a=1,b=10 --optimizer sgd:lr=0.1 --steps 3 --dump-state -", 20, &r);
    const char *o = r.out ? r.out : "";
    CHECK(r.status == 0 && strstr(o, "\"hessian_eigenvalues\": [1, 10]") != NULL, "dump: eigenvalues");
    CHECK(strstr(o, "\"grad_norm\": ") != NULL && strstr(o, "\"step_length\": ") != NULL, "dump: gradient and step");
    const char *keys[] = { "lr_max_stable", "lr_best", "rate_best", "heavy_ball_lr", "heavy_ball_momentum",
                           "heavy_ball_rate" };
    CHECK(strstr(o, "\"theory\": {") != NULL, "dump: theory");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        CHECK(strstr(o, keys[i]) != NULL, "dump: theory has %s", keys[i]);
    CHECK(strstr(o, "\"lr_best\": 0.18181818181818") != NULL, "dump: lr_best = 2/11");
    CHECK(strstr(o, "effective_lr") == NULL, "sgd has no per-coordinate lr");
    proc_free(&r);
    proc_run_line("--headless --function quadratic:a=1,b=10 --optimizer adam:lr=0.1 --steps 3 --dump-state -", 20, &r);
    CHECK(r.status == 0 && r.out && strstr(r.out, "\"effective_lr\": [0.") != NULL, "adam's effective lr per coordinate");
    proc_free(&r);
    proc_run_line("--headless --function rosenbrock --optimizer sgd:lr=0.001 --steps 3 --dump-state -", 20, &r);
    CHECK(r.status == 0 && r.out && strstr(r.out, "\"theory\"") == NULL && strstr(r.out, "hessian_eigenvalues"),
          "no theory on rosenbrock, eigenvalues still");
    proc_free(&r);
}

static void check_sweep(void)
{
    Session *ses = session("quadratic:a=1,b=10", "sgd:lr=0.04,momentum=0.5");
    Action a = { .kind = ACTION_SWEEP };
    session_apply(ses, &a);
    CHECK(ses->sim.nruns == SESSION_SWEEP_RUNS, "P makes %d runs: %d", SESSION_SWEEP_RUNS, ses->sim.nruns);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const double want = 0.04 * pow(SESSION_SWEEP_FACTOR, i - SESSION_SWEEP_RUNS / 2);
        CHECK(fabs(ses->sim.runs[i].opt.v[0] - want) < 1e-15 && ses->sim.runs[i].opt.v[1] == 0.5,
              "run %d: lr %g, momentum kept", i, ses->sim.runs[i].opt.v[0]);
        char label[LABEL_TEXT_MAX];
        sim_label(&ses->sim.runs[i], label, sizeof label);
        CHECK(strcmp(ses->sim.runs[i].opt.label, "lr {lr}") == 0 && strncmp(label, "lr ", 3) == 0,
              "labelled by lr: '%s' from '%s'", label, ses->sim.runs[i].opt.label);
        CHECK(ses->sim.runs[i].step == 0, "every copy starts over");
    }
    char middle[LABEL_TEXT_MAX];
    sim_label(&ses->sim.runs[3], middle, sizeof middle);
    CHECK(strcmp(middle, "lr 0.04") == 0, "the middle run is the original: '%s'", middle);
    session_free(ses);
}

/* The readout grows by the theory's lines on a quadratic: still no overlaps anywhere. */
static void check_layout(void)
{
    static const int sizes[][2] = { { 640, 480 }, { 1280, 720 }, { 1080, 1920 } };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (double font = 1; font <= 2; font += 0.5) {
            char line[512], what[96];
            snprintf(line, sizeof line, "--headless --scene assets/scenes/momentum_ravine.scene --size %dx%d "
                     "--font-scale %g --steps 20 --dump-state - --panels contours,plots,colorbar,axes,curvature,"
                     "sharpness,gradnorm,basins", sizes[i][0], sizes[i][1], font);
            snprintf(what, sizeof what, "ravine with every explanation, %dx%d font %g", sizes[i][0], sizes[i][1], font);
            ProcResult r;
            proc_run_line(line, 60, &r);
            CHECK(r.status == 0, "%s: status %d", what, r.status);
            if (r.status == 0)
                layout_check_dump(r.out, sizes[i][0], sizes[i][1], font, 3, what);
            proc_free(&r);
        }
}

void test_curvature(void)
{
    check_layout();
    check_sweep();
    check_eigenvalues();
    check_stability();
    check_theory();
    check_snap();
    check_convergence();
    check_dump();
}
