/* Typed formulas (src/core/expr.c): precedence, every function's value and derivatives,
 * automatic differentiation against the built-in functions, errors with their places, the
 * expr spec, and trajectories of formulas against the built-ins through the real CLI. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "expr_cases.h"
#include "proc.h"

#include "../src/core/config.h"
#include "../src/core/expr.h"
#include "../src/core/func.h"
#include "../src/session/session.h"

static int compile(Expr *e, const char *text, ExprError *err)
{
    return expr_compile(e, text, NULL, 0, err);
}

/* Compiles text without parameters, or records why not. */
static int compiled(Expr *e, const char *text)
{
    ExprError err;
    const int rc = compile(e, text, &err);
    CHECK(rc == 0, "'%s' does not compile: %d: %s", text, err.column, err.reason);
    return rc;
}

static void check_precedence(void)
{
    static const struct {
        const char *text;
        double x, y, want;
    } cases[] = {
        { "-x^2", 3, 0, -9 },          { "2^3^2", 0, 0, 512 },        { "2*3+4", 0, 0, 10 },
        { "2+3*4", 0, 0, 14 },         { "(2+3)*4", 0, 0, 20 },       { "x^-1", 2, 0, 0.5 },
        { "-2^2", 0, 0, -4 },          { "10-4-3", 0, 0, 3 },         { "8/4/2", 0, 0, 1 },
        { "1e3 + .5 + 2.5E-1", 0, 0, 1000.75 }, { "2*-x", 3, 0, -6 }, { "--x", 3, 0, 3 },
        { "x*y - y/x", 2, 4, 6 },      { "pi", 0, 0, 3.14159265358979323846 },
        { "e", 0, 0, 2.71828182845904523536 }, { "(x)^(y)", 2, 3, 8 }, { "-(x+y)^2", 1, 2, -9 },
        { " x +  y ", 1, 2, 3 },       { "min(x, y) + max(x, y)*10", 1, 2, 21 },
        { "x < y", 1, 2, 1 },          { "x > y", 1, 2, 0 },          { "x <= 1", 1, 2, 1 },
        { "y >= 3", 1, 2, 0 },         { "x == 1", 1, 2, 1 },         { "x != 1", 1, 2, 0 },
        { "x*3 < y+1", 1, 2, 0 },      { "if(x < y, 10, 20)", 1, 2, 10 }, { "if(0, 1, 2) + 1", 0, 0, 3 },
        { "if(x, if(y, 1, 2), 3)", 1, 0, 2 }, { "floor(-x) + ceil(y)", 1.5, 0.2, -1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Expr e;
        if (compiled(&e, cases[i].text) != 0)
            continue;
        const double v = expr_value(&e, NULL, cases[i].x, cases[i].y);
        CHECK(fabs(v - cases[i].want) <= 1e-15 * fmax(1, fabs(cases[i].want)), "'%s' = %.17g, want %.17g",
              cases[i].text, v, cases[i].want);
    }
}

/* One unary function at x (y unused): value, f', f''. */
static void check_unary(const char *name, double x, double f, double f1, double f2)
{
    char text[64];
    snprintf(text, sizeof text, "%s(x)", name);
    Expr e;
    if (compiled(&e, text) != 0)
        return;
    double d[6];
    expr_derivs(&e, NULL, x, 0.25, d);
    const double want[6] = { f, f1, 0, f2, 0, 0 };
    for (int k = 0; k < 6; k++)
        CHECK(fabs(d[k] - want[k]) <= 1e-14 * fmax(1, fabs(want[k])), "%s at %g: d[%d] = %.17g, want %.17g", text, x,
              k, d[k], want[k]);
    CHECK(expr_value(&e, NULL, x, 0.25) == d[0], "%s: value and derivs disagree", text);
}

/* A binary function of (x, y): value, gradient, Hessian. */
static void check_binary(const char *text, double x, double y, const double want[6])
{
    Expr e;
    if (compiled(&e, text) != 0)
        return;
    double d[6];
    expr_derivs(&e, NULL, x, y, d);
    for (int k = 0; k < 6; k++)
        CHECK(fabs(d[k] - want[k]) <= 1e-14 * fmax(1, fabs(want[k])), "%s at (%g, %g): d[%d] = %.17g, want %.17g",
              text, x, y, k, d[k], want[k]);
}

static void check_functions(void)
{
    const double u = 0.3, q = 1 - u * u, r = 1 + u * u;
    check_unary("sin", u, sin(u), cos(u), -sin(u));
    check_unary("cos", u, cos(u), -sin(u), -cos(u));
    check_unary("tan", u, tan(u), 1 / (cos(u) * cos(u)), 2 * tan(u) / (cos(u) * cos(u)));
    check_unary("asin", u, asin(u), 1 / sqrt(q), u / pow(q, 1.5));
    check_unary("acos", u, acos(u), -1 / sqrt(q), -u / pow(q, 1.5));
    check_unary("atan", u, atan(u), 1 / r, -2 * u / (r * r));
    check_unary("sinh", u, sinh(u), cosh(u), sinh(u));
    check_unary("cosh", u, cosh(u), sinh(u), cosh(u));
    check_unary("tanh", u, tanh(u), 1 / (cosh(u) * cosh(u)), -2 * tanh(u) / (cosh(u) * cosh(u)));
    check_unary("exp", u, exp(u), exp(u), exp(u));
    check_unary("log", u, log(u), 1 / u, -1 / (u * u));
    check_unary("log2", u, log2(u), 1 / (u * log(2)), -1 / (u * u * log(2)));
    check_unary("log10", u, log10(u), 1 / (u * log(10)), -1 / (u * u * log(10)));
    check_unary("sqrt", u, sqrt(u), 0.5 / sqrt(u), -0.25 / (u * sqrt(u)));
    check_unary("abs", -u, u, -1, 0);
    /* torch's conventions where there is no derivative: abs'(0) = 0, sqrt'(0) = inf. */
    check_unary("abs", 0, 0, 0, 0);
    Expr e;
    ExprError err;
    double d[6];
    compile(&e, "sqrt(x)", &err);
    expr_derivs(&e, NULL, 0, 0, d);
    CHECK(d[0] == 0 && isinf(d[1]) && d[1] > 0, "sqrt'(0) = %g, want +inf as torch", d[1]);
    compile(&e, "x^0 + x^1", &err);
    expr_derivs(&e, NULL, 0, 0, d);
    CHECK(d[0] == 1 && d[1] == 1 && d[3] == 0, "x^0 + x^1 at 0: %g %g %g, want 1 1 0", d[0], d[1], d[3]);

    /* if() takes the chosen argument's derivatives; comparisons, floor and ceil have none. */
    check_binary("if(x < y, x*y, y^2)", 1, 2, (const double[6]){ 2, 2, 1, 0, 1, 0 });
    check_binary("if(x > y, x*y, y^2)", 1, 2, (const double[6]){ 4, 0, 4, 0, 0, 2 });
    check_binary("(x < y) + floor(x) + ceil(y)", 0.5, 1.5, (const double[6]){ 3, 0, 0, 0, 0, 0 });
    compile(&e, "if(x, 1, 2)", &err);
    expr_derivs(&e, NULL, NAN, 0, d);
    CHECK(isnan(expr_value(&e, NULL, NAN, 0)) && isnan(d[0]), "if(NaN, ...) is NaN");

    const double x = 0.7, y = -1.3, h = hypot(x, y), h3 = h * h * h, s = x * x + y * y;
    check_binary("min(x, y)", x, y, (const double[6]){ y, 0, 1, 0, 0, 0 });
    check_binary("max(x, y)", x, y, (const double[6]){ x, 1, 0, 0, 0, 0 });
    check_binary("max(x, y)", 1, 1, (const double[6]){ 1, 0.5, 0.5, 0, 0, 0 });
    check_binary("hypot(x, y)", x, y, (const double[6]){ h, x / h, y / h, y * y / h3, -x * y / h3, x * x / h3 });
    check_binary("atan2(y, x)", x, y,
                 (const double[6]){ atan2(y, x), -y / s, x / s, 2 * x * y / (s * s), (y * y - x * x) / (s * s),
                                    -2 * x * y / (s * s) });
    const double p = pow(x, -y), l = log(x);
    check_binary("pow(x, -y)", x, y,
                 (const double[6]){ p, -y * pow(x, -y - 1), -p * l, -y * (-y - 1) * pow(x, -y - 2),
                                    -pow(x, -y - 1) * (1 - y * l), p * l * l });
    check_binary("x*y/(1+y^2)", x, y,
                 (const double[6]){ x * y / (1 + y * y), y / (1 + y * y), x * (1 - y * y) / pow(1 + y * y, 2), 0,
                                    (1 - y * y) / pow(1 + y * y, 2), x * (2 * y * y * y - 6 * y) / pow(1 + y * y, 3) });
}

/* Every built-in row's formula against the row's own value, gradient and Hessian. */
static void check_builtins(void)
{
    for (int k = 0; k < func_table.count; k++) {
        const FuncDef *d = func_def(k);
        if (!d->formula)
            continue;
        Spec s;
        spec_defaults(&func_table, k, &s);
        if (k == spec_find(&func_table, "quadratic"))
            s.v[2] = 30; /* turned, so the rotation is tested too */
        char names[EXPR_PARAMS_MAX][EXPR_NAME_MAX] = { { 0 } };
        for (int i = 0; i < d->kind.nparams; i++)
            snprintf(names[i], EXPR_NAME_MAX, "%s", d->kind.params[i].name);
        Expr e;
        ExprError err;
        const int rc = expr_compile(&e, d->formula, (const char (*)[EXPR_NAME_MAX])names, d->kind.nparams, &err);
        CHECK(rc == 0, "%s: formula does not compile: %d: %s", d->kind.name, err.column, err.reason);
        if (rc != 0)
            continue;
        double worst = 0;
        for (int i = 0; i < 50; i++) {
            const double x = d->view.x0 + (d->view.x1 - d->view.x0) * ((i * 37) % 50 + 0.5) / 50;
            const double y = d->view.y0 + (d->view.y1 - d->view.y0) * ((i * 13) % 50 + 0.5) / 50;
            double ad[6], g[2], hh[3];
            expr_derivs(&e, s.v, x, y, ad);
            func_grad(&s, x, y, g);
            func_hessian(&s, x, y, hh);
            const double want[6] = { func_value(&s, x, y), g[0], g[1], hh[0], hh[1], hh[2] };
            const double scale = fabs(want[0]) + fabs(want[1]) + fabs(want[2]) + fabs(want[3]) + fabs(want[5]) + 1;
            for (int c = 0; c < 6; c++)
                worst = fmax(worst, fabs(ad[c] - want[c]) / scale);
        }
        CHECK(worst < 1e-12, "%s: formula's value and derivatives differ from the built-in by %g", d->kind.name, worst);
    }
}

static void check_errors(void)
{
    static const struct {
        const char *text;
        int column;
        const char *reason;
    } cases[] = {
        { "x + sinn(x)", 5, "unknown name 'sinn'" },
        { "sin(x", 6, "missing )" },
        { "(x + y", 7, "missing )" },
        { "x^", 3, "expected a number after ^" },
        { "x^*2", 3, "expected a number after ^" },
        { "x +", 4, "unexpected end of formula" },
        { "", 1, "empty formula" },
        { "x y", 3, "missing operator before this" },
        { "2x", 2, "missing operator before this" },
        { "x)", 2, "unmatched )" },
        { "z", 1, "unknown name 'z'" },
        { "sin x", 4, "expected ( after sin" },
        { "x(2)", 1, "'x' is not a function" },
        { "atan2(x)", 8, "atan2 takes 2 arguments" },
        { "sin(x, y)", 6, "sin takes 1 argument" },
        { "x # y", 3, "unexpected '#'" },
        { "1e", 2, "expected digits in the exponent" },
        { "x, y", 2, "unexpected , outside a call" },
        { "if(x, 1)", 8, "if takes 3 arguments" },
        { "x =< y", 3, "unexpected '='" },
        { "x ! y", 3, "unexpected '!'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Expr e;
        ExprError err;
        const int rc = compile(&e, cases[i].text, &err);
        CHECK(rc < 0 && err.column == cases[i].column && strcmp(err.reason, cases[i].reason) == 0,
              "'%s': got %d %d:'%s', want %d:'%s'", cases[i].text, rc, err.column, err.reason, cases[i].column,
              cases[i].reason);
    }
    /* Bounded: length, nesting, signs and powers cannot exhaust the stack. */
    static char text[4 * EXPR_TEXT_MAX];
    Expr e;
    ExprError err;
    memset(text, '(', 500);
    strcpy(text + 500, "x");
    CHECK(compile(&e, text, &err) < 0 && strstr(err.reason, "nested"), "500 parentheses: %s", err.reason);
    memset(text, '-', 900);
    strcpy(text + 900, "x");
    CHECK(compile(&e, text, &err) < 0 && strstr(err.reason, "nested"), "900 signs: %s", err.reason);
    text[0] = '\0';
    for (int i = 0; i < 300; i++)
        strcat(text, "x^");
    strcat(text, "x");
    CHECK(compile(&e, text, &err) < 0, "a long tower of powers must be refused");
    text[0] = '\0';
    for (int i = 0; i < 400; i++)
        strcat(text, "x+");
    strcat(text, "x");
    CHECK(compile(&e, text, &err) == 0 && expr_value(&e, NULL, 1, 0) == 401, "801 characters of sums compile: %s",
          err.reason);
    for (int i = 0; i < 200; i++)
        strcat(text, "+x");
    CHECK(compile(&e, text, &err) < 0 && strstr(err.reason, "longer than 1000"), "1201 characters: %s", err.reason);
}

static void check_row(void)
{
    static const char *const formulas[] = { "sin(x)*cos(y) + 0.1*(x^2+y^2) + x^3 - hypot(x, y)",
                                            "if(x < 0, floor(x), ceil(x)) + (x >= y)" };
    for (size_t f = 0; f < sizeof formulas / sizeof formulas[0]; f++) {
        Expr e;
        ExprError err;
        compile(&e, formulas[f], &err);
        double xs[150], out[150];
        for (int i = 0; i < 150; i++)
            xs[i] = -3 + 0.04 * i;
        expr_row(&e, NULL, xs, 150, 0.7, out);
        int same = 1;
        for (int i = 0; i < 150; i++)
            same &= out[i] == expr_value(&e, NULL, xs[i], 0.7);
        CHECK(same, "%s: a row differs from its points", formulas[f]);
    }
}

/* A formula in named variables alone (a schedule's): x and y are unknown there. */
static void check_vars(void)
{
    static const char names[2][EXPR_NAME_MAX] = { "t", "lr" };
    const double v[2] = { 3, 0.5 };
    Expr e;
    ExprError err;
    CHECK(expr_compile_vars(&e, "lr*exp(-t) + pi", names, 2, &err) == 0 &&
              expr_value(&e, v, 0, 0) == 0.5 * exp(-3.0) + 3.14159265358979323846,
          "a formula in t and lr: %s", err.reason);
    CHECK(expr_compile_vars(&e, "lr*x", names, 2, &err) < 0 && err.column == 4 &&
              strcmp(err.reason, "unknown name 'x'") == 0,
          "x is unknown in a formula of variables: %d %s", err.column, err.reason);
}

static void check_spec_text(void)
{
    Spec s, again;
    char err[256], out[2048];
    const char *text = "expr:a*x^2 + b*y^2, a=1, b=10, view=-1/1/-2/2.5, start=0.5/-0.25";
    CHECK(spec_parse(&func_table, text, &s, err, sizeof err) == 0, "%s: %s", text, err);
    spec_format(&func_table, &s, out, sizeof out);
    CHECK(strcmp(out, text) == 0, "formatted as '%s'", out);
    CHECK(spec_parse(&func_table, out, &again, err, sizeof err) == 0 && memcmp(&s, &again, sizeof s) == 0,
          "'%s' does not read back the same", out);
    CHECK(func_value(&s, 1, 1) == 11, "a*x^2 + b*y^2 at (1, 1) = %g", func_value(&s, 1, 1));
    WorldBox view;
    double start[2];
    func_home(&s, &view, start);
    CHECK(view.x0 == -1 && view.y1 == 2.5 && start[0] == 0.5 && start[1] == -0.25, "view and start from the spec");
    static const struct {
        const char *text, *says;
    } bad[] = {
        { "expr", "needs a formula" },
        { "expr:", "needs a formula" },
        { "expr:x + sinn(x)", "expr: 1:5: unknown name 'sinn'" },
        { "expr:a*x, a=1, a=2", "a given twice" },
        { "expr:x, sin=1", "cannot name a parameter" },
        { "expr:x, x=1", "cannot name a parameter" },
        { "expr:x, b", "expected NAME=VALUE" },
        { "expr:x, view=1/0/0/1", "expr: view needs X0 < X1 and Y0 < Y1, got '1/0/0/1'" },
        { "expr:x, view=-1e13/1e13/-1/1", "expr: view must be 1e-12 to 1e12 wide, within 1e15 of the origin" },
        { "expr:x, view=1e15/2e15/0/1", "expr: view must be 1e-12 to 1e12 wide" },
        { "expr:x, start=1", "start must be X/Y" },
        { "expr:x, start=1e300/0", "expr: start must lie within |x|, |y| <= 1e6, got '1e300/0'" },
        { "expr:x, start=0/-2e6", "expr: start must lie within |x|, |y| <= 1e6" },
        { "expr:x, a=nan", "not a finite number" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(spec_parse(&func_table, bad[i].text, &s, err, sizeof err) < 0 && strstr(err, bad[i].says),
              "'%s': '%s', want '%s'", bad[i].text, err, bad[i].says);
    /* Without view or start: around the minima found, the start a fifth in from the top left. */
    spec_parse(&func_table, "expr:(x-1)^2 + (y+0.5)^2", &s, err, sizeof err);
    func_home(&s, &view, start);
    CHECK(fabs(view.x0 + 0.5) < 1e-9 && fabs(view.x1 - 2.5) < 1e-9 && fabs(view.y0 + 2) < 1e-9 &&
              fabs(view.y1 - 1) < 1e-9 && fabs(start[0] - 0.1) < 1e-9 && fabs(start[1] - 0.4) < 1e-9,
          "home of a bowl at (1, -0.5): %g %g %g %g, start %g %g", view.x0, view.x1, view.y0, view.y1, start[0],
          start[1]);
}

static void check_minima_found(void)
{
    Spec s;
    char err[256], text[512];
    snprintf(text, sizeof text, "expr:%s", func_def(spec_find(&func_table, "himmelblau"))->formula);
    spec_parse(&func_table, text, &s, err, sizeof err);
    Spec h;
    spec_defaults(&func_table, spec_find(&func_table, "himmelblau"), &h);
    double found[FUNC_MAX_MINIMA][2], known[FUNC_MAX_MINIMA][2];
    static const WorldBox box = { -5, 5, -5, 5 };
    const int n = func_minima_found(&s, box, found), nk = func_minima(&h, known);
    CHECK(n == 4, "himmelblau as a formula: %d minima found, want 4", n);
    for (int k = 0; k < nk; k++) {
        double best = 1e9;
        for (int i = 0; i < n; i++)
            best = fmin(best, hypot(found[i][0] - known[k][0], found[i][1] - known[k][1]));
        CHECK(best < 1e-9, "himmelblau minimum %d (%g, %g) not found (nearest %g away)", k, known[k][0], known[k][1],
              best);
    }
    CHECK(func_minima_found(&h, box, found) == 0, "built-ins know their minima; none are searched for");
    spec_parse(&func_table, "expr:x^2 - y^2", &s, err, sizeof err);
    CHECK(func_minima_found(&s, box, found) == 0, "a saddle has no minimum");
    /* Newton creeps towards a degenerate critical point and stops beside it, where the
     * Hessian is barely positive: no minimum there. */
    static const char *const degenerate[] = { "expr:x^3+y^2", "expr:x^3+y^3", "expr:x^4+y^2", "expr:(x^2+y^2)^2" };
    for (size_t i = 0; i < sizeof degenerate / sizeof degenerate[0]; i++) {
        spec_parse(&func_table, degenerate[i], &s, err, sizeof err);
        const int got = func_minima_found(&s, box, found);
        CHECK(got == 0, "%s: %d minima found, the first at (%g, %g); want none", degenerate[i], got, found[0][0],
              found[0][1]);
        WorldBox view;
        double start[2];
        func_home(&s, &view, start);
        CHECK(view.x0 == -5 && view.x1 == 5 && view.y0 == -5 && view.y1 == 5, "%s: no zoom to a false minimum",
              degenerate[i]);
    }
    spec_parse(&func_table, "expr:x^2 + 1e-4*y^2 + x^3", &s, err, sizeof err);
    CHECK(func_minima_found(&s, box, found) == 1 && hypot(found[0][0], found[0][1]) < 1e-9,
          "a shallow but strict minimum is still found");
}

/* The automatic start lies where f and its gradient are finite; a formula defined nowhere
 * in its view needs a start of its own. */
static void check_defined_start(void)
{
    static const char *const half[] = { "expr:x*log(x)+y^2", "expr:log(x)+y^2", "expr:sqrt(x)+y^2",
                                        "expr:log(x)+log(y)" };
    char err[256];
    for (size_t i = 0; i < sizeof half / sizeof half[0]; i++) {
        Spec s;
        WorldBox view;
        double start[2], g[2];
        const int parsed = spec_parse(&func_table, half[i], &s, err, sizeof err) == 0;
        CHECK(parsed, "%s: %s", half[i], err);
        if (!parsed)
            continue;
        const int rc = func_home(&s, &view, start);
        func_grad(&s, start[0], start[1], g);
        CHECK(rc == 0 && isfinite(func_value(&s, start[0], start[1])) && isfinite(g[0]) && isfinite(g[1]) &&
                  start[0] >= view.x0 && start[0] <= view.x1 && start[1] >= view.y0 && start[1] <= view.y1,
              "%s: start (%g, %g) where f = %g, gradient (%g, %g)", half[i], start[0], start[1],
              func_value(&s, start[0], start[1]), g[0], g[1]);
    }
    Spec s;
    CHECK(spec_parse(&func_table, "expr:sqrt(-1-x^2)+y", &s, err, sizeof err) < 0 &&
              strstr(err, "expr: f or its gradient is NaN or infinite all over the view; give a start"),
          "a formula defined nowhere: '%s'", err);
    CHECK(spec_parse(&func_table, "expr:sqrt(-1-x^2)+y, start=1/1", &s, err, sizeof err) == 0,
          "unless the spec gives the start: '%s'", err);
    ProcResult r;
    proc_run_line("--headless --trace - --steps 3 --function expr:log(x)+y^2", 20, &r);
    CHECK(r.status == 0 && !strstr(r.err, "diverged"), "log(x)+y^2: status %d, '%s'", r.status, r.err);
    proc_free(&r);
}

/* The last line of each run in a trace, by run. */
static int trace_rows(const char *args, double rows[8][3])
{
    ProcResult r;
    proc_run_line(args, 60, &r);
    int n = 0;
    if (r.status == 0) {
        for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
            char name[64];
            long step;
            double x, y, loss;
            if (sscanf(line, "%63[^,],%ld,%lf,%lf,%lf", name, &step, &x, &y, &loss) == 5 && step == 300 && n < 8) {
                rows[n][0] = x, rows[n][1] = y, rows[n][2] = loss;
                n++;
            }
        }
    }
    proc_free(&r);
    return n;
}

static void check_trajectories(void)
{
    static const struct {
        const char *name, *expr, *start;
    } cases[] = {
        { "rosenbrock", "expr:(1-x)^2+100*(y-x^2)^2", "-1.5,2" },
        { "beale", "expr:(1.5-x+x*y)^2+(2.25-x+x*y^2)^2+(2.625-x+x*y^3)^2", "1,1.5" },
        { "himmelblau", "expr:(x^2+y-11)^2+(x+y^2-7)^2", "0.5,-4" },
        { "quadratic:b=10,angle=30",
          "expr:0.5*((x*cos(30*pi/180)+y*sin(30*pi/180))^2+10*(y*cos(30*pi/180)-x*sin(30*pi/180))^2)", "-4,1.5" },
    };
    const char *runs = "--optimizer sgd:lr=0.0005 --optimizer sgd:lr=0.0005,momentum=0.9 --optimizer adam:lr=0.02";
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char line[1024];
        double a[8][3], b[8][3];
        snprintf(line, sizeof line, "--headless --steps 300 --trace - --start %s %s --function %s", cases[i].start,
                 runs, cases[i].name);
        const int na = trace_rows(line, a);
        snprintf(line, sizeof line, "--headless --steps 300 --trace - --start %s %s --function %s", cases[i].start,
                 runs, cases[i].expr);
        const int nb = trace_rows(line, b);
        CHECK(na == 3 && nb == 3, "%s: %d and %d runs traced", cases[i].name, na, nb);
        double worst = 0;
        for (int r = 0; r < na && r < nb; r++)
            for (int c = 0; c < 3; c++)
                worst = fmax(worst, fabs(a[r][c] - b[r][c]) / fmax(1, fabs(a[r][c])));
        CHECK(worst <= 1e-12, "%s: the formula's trajectories differ from the built-in's by %g", cases[i].name, worst);
    }
    ProcResult r;
    proc_run_line("--headless --trace - --function expr:x+sinn(x)", 20, &r);
    CHECK(r.status == 2 && strcmp(r.err, "optiscope: expr: 1:3: unknown name 'sinn'\n") == 0,
          "a malformed formula: status %d, '%s'", r.status, r.err);
    proc_free(&r);
    /* start= and view= in the spec meet the checks --start and --view apply. */
    static const struct {
        const char *args, *says;
    } out_of_range[] = {
        { "--headless --trace - --function expr:x^2+y^2,start=1e300/0",
          "optiscope: expr: start must lie within |x|, |y| <= 1e6, got '1e300/0'\n" },
        { "--headless --trace - --function expr:x^2+y^2,view=-1e13/1e13/-1/1",
          "optiscope: expr: view must be 1e-12 to 1e12 wide, within 1e15 of the origin, and at least 1e-11 of its "
          "distance from 0 wide; got '-1e13/1e13/-1/1'\n" },
    };
    for (size_t i = 0; i < sizeof out_of_range / sizeof out_of_range[0]; i++) {
        proc_run_line(out_of_range[i].args, 20, &r);
        CHECK(r.status == 2 && strcmp(r.err, out_of_range[i].says) == 0, "`%s`: status %d, '%s'", out_of_range[i].args,
              r.status, r.err);
        proc_free(&r);
    }
}

static Effects edit(Session *ses, ActionKind kind, int arg, const char *text)
{
    const Action a = { .kind = kind, .arg = arg, .text = text };
    return session_apply(ses, &a);
}

/* The input line through the session's actions alone, as the window sends them. */
static void check_edit_line(void)
{
    Config c;
    char err[256];
    config_defaults(&c);
    config_apply(&c, "optimizer", "adam:lr=0.05", 0, err, sizeof err);
    config_apply(&c, "optimizer", "sgd:lr=0.001,momentum=0.9", 0, err, sizeof err);
    config_finish(&c, err, sizeof err);
    Session *ses = calloc(1, sizeof *ses);
    session_init(ses, &c, 0, 0, 800, 600, err, sizeof err);
    EditLine *e = &ses->edit;
    Effects fx = edit(ses, ACTION_EDIT_OPEN, 0, NULL);
    CHECK(e->open && (fx.flags & EFFECT_EDIT) && (fx.flags & EFFECT_LAYOUT), "E opens the line");
    CHECK(strcmp(e->text, "(a-x)^2 + b*(y-x^2)^2, a=1, b=100") == 0 && e->cursor == (int)strlen(e->text),
          "the line starts with Rosenbrock's formula: '%s'", e->text);
    edit(ses, ACTION_EDIT_KEY, EDIT_HOME, NULL);
    for (int i = 0; i < 200; i++)
        edit(ses, ACTION_EDIT_KEY, EDIT_DELETE, NULL);
    CHECK(e->text[0] == '\0' && e->cursor == 0, "Delete from Home empties the line");
    edit(ses, ACTION_EDIT_TEXT, 0, "x^2 + 10*y^2 + 3*sinn(3*x)");
    fx = edit(ses, ACTION_EDIT_APPLY, 0, NULL);
    CHECK(e->open && fx.flags == 0 && e->error_column == 18 && strcmp(e->error, "unknown name 'sinn'") == 0,
          "a misspelt name: column %d, '%s'", e->error_column, e->error);
    CHECK(strcmp(spec_kind(&func_table, ses->sim.func.kind)->name, "rosenbrock") == 0, "nothing else changes");
    edit(ses, ACTION_EDIT_TEXT, 0, ", start=1e300/0");
    fx = edit(ses, ACTION_EDIT_APPLY, 0, NULL);
    CHECK(e->open && fx.flags == 0 && strcmp(e->error, "start must lie within |x|, |y| <= 1e6, got '1e300/0'") == 0,
          "a start out of range typed: '%s'", e->error);
    for (int i = 0; i < (int)strlen(", start=1e300/0"); i++)
        edit(ses, ACTION_EDIT_KEY, EDIT_BACKSPACE, NULL);
    for (int i = 0; i < 6; i++)
        edit(ses, ACTION_EDIT_KEY, EDIT_LEFT, NULL);
    edit(ses, ACTION_EDIT_KEY, EDIT_BACKSPACE, NULL);
    CHECK(strcmp(e->text, "x^2 + 10*y^2 + 3*sin(3*x)") == 0 && e->error[0] == '\0', "Backspace: '%s'", e->text);
    edit(ses, ACTION_EDIT_KEY, EDIT_END, NULL);
    edit(ses, ACTION_EDIT_TEXT, 0, "\xc3\xa9");
    CHECK(e->cursor == (int)strlen(e->text), "text inserts at the cursor");
    edit(ses, ACTION_EDIT_KEY, EDIT_BACKSPACE, NULL);
    CHECK(strcmp(e->text, "x^2 + 10*y^2 + 3*sin(3*x)") == 0, "Backspace takes a whole character: '%s'", e->text);
    ses->sim.runs[0].step = 0;
    session_step(ses);
    fx = edit(ses, ACTION_EDIT_APPLY, 0, NULL);
    CHECK(!e->open && (fx.flags & EFFECT_EDIT), "Enter applies and closes");
    CHECK(func_is_expr(&ses->sim.func) && strcmp(ses->sim.func.text.formula, "x^2 + 10*y^2 + 3*sin(3*x)") == 0,
          "the function is the formula");
    CHECK(ses->sim.runs[0].step == 0 && ses->sim.runs[0].opt.v[0] == 0.05, "runs restart with their hyperparameters");
    CHECK(ses->nfound >= 2, "minima found: %d", ses->nfound);
    /* History: Up brings back what was applied; Esc closes without a change. */
    edit(ses, ACTION_EDIT_OPEN, 0, NULL);
    edit(ses, ACTION_EDIT_KEY, EDIT_HOME, NULL);
    edit(ses, ACTION_EDIT_TEXT, 0, "0.5*");
    edit(ses, ACTION_EDIT_KEY, EDIT_HISTORY_PREV, NULL);
    CHECK(strcmp(e->text, "x^2 + 10*y^2 + 3*sin(3*x)") == 0, "Up: '%s'", e->text);
    edit(ses, ACTION_EDIT_KEY, EDIT_HISTORY_NEXT, NULL);
    CHECK(strcmp(e->text, "0.5*x^2 + 10*y^2 + 3*sin(3*x)") == 0, "Down back to the draft: '%s'", e->text);
    fx = edit(ses, ACTION_EDIT_CANCEL, 0, NULL);
    CHECK(!e->open && (fx.flags & EFFECT_EDIT) && strcmp(ses->sim.func.text.formula, "x^2 + 10*y^2 + 3*sin(3*x)") == 0,
          "Esc cancels");
    edit(ses, ACTION_EDIT_TEXT, 0, "ignored");
    CHECK(!e->open, "text while closed is ignored");
    /* F leaves the formula and comes back to it (past the built-ins; the losses over data
     * come only from a scene or the command line, with their file). */
    edit(ses, ACTION_FUNCTION_NEXT, 0, NULL);
    CHECK(!func_is_expr(&ses->sim.func), "F leaves the typed formula");
    for (int i = 0; i < func_table.count && !func_is_expr(&ses->sim.func); i++)
        edit(ses, ACTION_FUNCTION_NEXT, 0, NULL);
    CHECK(func_is_expr(&ses->sim.func), "F cycles back to the typed formula");
    /* A formula undefined over most of the view says so and still applies. */
    edit(ses, ACTION_EDIT_OPEN, 0, NULL);
    edit(ses, ACTION_EDIT_KEY, EDIT_HOME, NULL);
    for (int i = 0; i < 200; i++)
        edit(ses, ACTION_EDIT_KEY, EDIT_DELETE, NULL);
    edit(ses, ACTION_EDIT_TEXT, 0, "log(x) + y^2, view=-4/1/-2/2");
    edit(ses, ACTION_EDIT_APPLY, 0, NULL);
    CHECK(!e->open && strstr(ses->message, "NaN or infinite over 81% of the view"), "message '%s'", ses->message);
    /* Pasted newlines become spaces; the line is bounded. */
    edit(ses, ACTION_EDIT_OPEN, 0, NULL);
    edit(ses, ACTION_EDIT_TEXT, 0, "\n+\t1");
    CHECK(strstr(e->text, "2/2 + 1") != NULL, "control characters become spaces: '%s'", e->text);
    static char big[4000];
    memset(big, 'x', sizeof big - 1);
    edit(ses, ACTION_EDIT_TEXT, 0, big);
    CHECK(strlen(e->text) == SESSION_EDIT_MAX - 1, "the line is bounded: %zu", strlen(e->text));
    session_free(ses);
}

/* Every evaluation of expr_cases hashed by tests/tools/expr_hashes.c with expr.c as it was
 * when a formula was compiled at every evaluation. */
static const uint64_t expr_case_hashes[EXPR_CASES_N] = {
    0x218dd8ce2c07beb6ull,
    0xb0668dba9355f545ull,
    0x212da936eedb8778ull,
    0x296c6d94ebab8f45ull,
    0xc3bbf176cfe86ee5ull,
    0x34f5d847aa281363ull,
    0xf68f79bdd02e0274ull,
    0x9bdd7db00e6a1f23ull,
    0x974b627a43d783e3ull,
    0x9442938b3c909958ull,
    0x590182a2b048ad51ull,
    0x482d8d38441e34fdull,
    0x5d017104fcde8c00ull,
    0xa1b14c2d1caf5f76ull,
    0xb6aac9c3b01a6923ull,
    0xbf8b245b92227558ull,
    0x220d9de8db50971eull,
    0x7441cdf85594197dull,
    0x15d7329896adbffbull,
    0x14e7cb18057f1533ull,
    0xb1026c6edc89ab68ull,
    0xf036da28676e4c74ull,
    0xfc85bc55c3863c5dull,
    0x6fdc5f324e9411adull,
    0x1f3f1419e38649a6ull,
    0x72af446e7821bfe9ull,
};

/* The hash of expr_hashes.c for e; through_spec: the value, gradient, Hessian and row the
 * spec's shared program gives through func.c (f_xx.. by func_hessian, f_x, f_y by func_grad). */
static uint64_t evaluations_hash(const Expr *e, const Spec *f)
{
    uint64_t h = HASH_START;
    double xs[EXPR_GRID], row[EXPR_GRID];
    for (int k = 0; k < EXPR_GRID; k++)
        xs[k] = expr_grid_at(k);
    for (int j = 0; j < EXPR_GRID; j++) {
        const double y = expr_grid_at(j);
        if (f)
            func_row(f, xs, EXPR_GRID, y, row);
        else
            expr_row(e, expr_case_params, xs, EXPR_GRID, y, row);
        for (int k = 0; k < EXPR_GRID; k++) {
            double d[6], g[3];
            expr_derivs(e, expr_case_params, xs[k], y, d);
            expr_grad(e, expr_case_params, xs[k], y, g);
            CHECK(expr_hash_double(HASH_START, g[0]) == expr_hash_double(HASH_START, d[0]) &&
                      expr_hash_double(HASH_START, g[1]) == expr_hash_double(HASH_START, d[1]) &&
                      expr_hash_double(HASH_START, g[2]) == expr_hash_double(HASH_START, d[2]),
                  "expr_grad differs from expr_derivs at (%g, %g)", xs[k], y);
            double v = expr_value(e, expr_case_params, xs[k], y);
            if (f) {
                v = func_value(f, xs[k], y);
                func_grad(f, xs[k], y, d + 1);
                func_hessian(f, xs[k], y, d + 3);
                double both[2];
                const double v2 = func_value_grad(f, xs[k], y, both);
                CHECK(expr_hash_double(HASH_START, v2) == expr_hash_double(HASH_START, v) &&
                          expr_hash_double(HASH_START, both[0]) == expr_hash_double(HASH_START, d[1]) &&
                          expr_hash_double(HASH_START, both[1]) == expr_hash_double(HASH_START, d[2]),
                      "func_value_grad differs from func_value and func_grad at (%g, %g)", xs[k], y);
            }
            h = expr_case_hash(h, v, d, row[k]);
        }
    }
    return h;
}

/* A formula compiled once gives the bits it gave when it was compiled at every evaluation:
 * compiled by hand, shared by a spec's parse, and through func.c. */
static void check_same_bits(void)
{
    for (int i = 0; i < EXPR_CASES_N; i++) {
        Expr e;
        ExprError err;
        CHECK(expr_compile(&e, expr_cases[i], expr_case_names, 2, &err) == 0, "%s: %s", expr_cases[i], err.reason);
        CHECK(evaluations_hash(&e, NULL) == expr_case_hashes[i], "%s: not the bits of before", expr_cases[i]);
        char text[300], msg[256];
        snprintf(text, sizeof text, "expr:%s, a=1.5, b=-0.5, start=1/1", expr_cases[i]);
        Spec f;
        if (spec_parse(&func_table, text, &f, msg, sizeof msg) < 0) {
            CHECK(0, "%s: %s", text, msg);
            continue;
        }
        CHECK(f.text.prog != NULL, "%s: no shared program", text);
        CHECK(f.text.prog && evaluations_hash(f.text.prog, &f) == expr_case_hashes[i], "%s: through the spec, not the bits of before", text);
        Spec again;
        CHECK(spec_parse(&func_table, text, &again, msg, sizeof msg) == 0 && again.text.prog == f.text.prog,
              "%s: compiled twice", text);
        Spec plain = f;
        plain.text.prog = NULL; /* a spec written field by field: compiled where evaluated */
        CHECK(evaluations_hash(&e, &plain) == expr_case_hashes[i], "%s: compiled where evaluated, not the bits of before", text);
    }
}

void test_expr(void)
{
    check_same_bits();
    check_edit_line();
    check_precedence();
    check_functions();
    check_builtins();
    check_errors();
    check_row();
    check_vars();
    check_spec_text();
    check_minima_found();
    check_defined_start();
    check_trajectories();
}
