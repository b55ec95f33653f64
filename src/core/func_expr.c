/* The expr row: its spec syntax (a formula, its parameters, view= and start=) and what is
 * found rather than known for a formula: its minima, its home view and a start where it is
 * defined. */
#include "func_expr.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "view.h"

/* The expr row's own syntax, `expr:FORMULA[, NAME=VALUE...][, view=X0/X1/Y0/Y1][, start=X/Y]`:
 * the formula runs to the first comma outside parentheses, as min(x, y) has commas of its own. */
static const char *top_comma(const char *s)
{
    int depth = 0;
    for (; *s; s++) {
        depth += *s == '(';
        depth -= *s == ')' && depth > 0;
        if (*s == ',' && depth == 0)
            return s;
    }
    return NULL;
}

int func_compile(const Spec *f, Expr *e, ExprError *ee)
{
    return expr_compile(e, f->text.formula, (const char (*)[EXPR_NAME_MAX])f->text.names, f->text.nnames, ee);
}

const Expr *func_program(const Spec *f, Expr *scratch)
{
    ExprError ee;
    if (f->text.prog)
        return f->text.prog;
    return func_compile(f, scratch, &ee) < 0 ? NULL : scratch;
}

/* Numbers separated by '/', exactly n of them. */
static int slash_numbers(const char *s, double *out, int n)
{
    char buf[256];
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    int k = 0;
    for (char *save = NULL, *item = strtok_r(buf, "/", &save); item; item = strtok_r(NULL, "/", &save)) {
        if (k == n || spec_number(item, &out[k]) < 0)
            return -1;
        k++;
    }
    return k == n ? 0 : -1;
}

static int expr_pair(char *pair, Spec *out, char *err, size_t errlen)
{
    while (*pair == ' ')
        pair++;
    for (size_t n = strlen(pair); n > 0 && pair[n - 1] == ' '; n--)
        pair[n - 1] = '\0';
    char *eq = strchr(pair, '=');
    if (!eq) {
        snprintf(err, errlen, "expr: expected NAME=VALUE after the formula, got '%.40s'", pair);
        return -1;
    }
    *eq = '\0';
    const char *val = eq + 1;
    SpecText *t = &out->text;
    if (strcmp(pair, "view") == 0) {
        double b[4];
        if (slash_numbers(val, b, 4) < 0) {
            snprintf(err, errlen, "expr: view must be X0/X1/Y0/Y1 with four finite numbers, got '%.40s'", val);
            return -1;
        }
        t->view = (WorldBox){ b[0], b[1], b[2], b[3] };
        if (view_check_box("expr: view", t->view, val, err, errlen) < 0)
            return -1;
        t->has_view = 1;
        return 0;
    }
    if (strcmp(pair, "start") == 0) {
        if (slash_numbers(val, t->start, 2) < 0) {
            snprintf(err, errlen, "expr: start must be X/Y with two finite numbers, got '%.40s'", val);
            return -1;
        }
        if (view_check_start("expr: start", t->start, val, err, errlen) < 0)
            return -1;
        t->has_start = 1;
        return 0;
    }
    if (!expr_param_name_ok(pair)) {
        snprintf(err, errlen, "expr: '%.40s' cannot name a parameter (a letter, then letters, digits or _; "
                 "not x, y, pi, e or a function)", pair);
        return -1;
    }
    for (int i = 0; i < t->nnames; i++)
        if (strcmp(t->names[i], pair) == 0) {
            snprintf(err, errlen, "expr: %s given twice", pair);
            return -1;
        }
    if (t->nnames == EXPR_PARAMS_MAX) {
        snprintf(err, errlen, "expr: at most %d parameters", EXPR_PARAMS_MAX);
        return -1;
    }
    if (spec_number(val, &out->v[t->nnames]) < 0) {
        snprintf(err, errlen, "expr: %s: '%.40s' is not a finite number", pair, val);
        return -1;
    }
    strcpy(t->names[t->nnames], pair);
    out->given |= 1u << t->nnames;
    t->nnames++;
    return 0;
}

int func_expr_parse(const char *rest, Spec *out, char *err, size_t errlen)
{
    if (!rest || !*rest) {
        snprintf(err, errlen, "expr: needs a formula, e.g. expr:x^2 + 10*y^2");
        return -1;
    }
    const char *comma = top_comma(rest);
    const size_t n = comma ? (size_t)(comma - rest) : strlen(rest);
    if (n > EXPR_TEXT_MAX) {
        snprintf(err, errlen, "expr: formula longer than %d characters", EXPR_TEXT_MAX);
        return -1;
    }
    memcpy(out->text.formula, rest, n);
    while (comma) {
        const char *next = strchr(comma + 1, ',');
        char pair[300];
        const size_t w = next ? (size_t)(next - comma - 1) : strlen(comma + 1);
        if (w >= sizeof pair) {
            snprintf(err, errlen, "expr: a NAME=VALUE after the formula is too long");
            return -1;
        }
        memcpy(pair, comma + 1, w);
        pair[w] = '\0';
        if (expr_pair(pair, out, err, errlen) < 0)
            return -1;
        comma = next;
    }
    ExprError ee;
    out->text.prog = expr_shared(out->text.formula, (const char (*)[EXPR_NAME_MAX])out->text.names,
                                 out->text.nnames, 0, &ee);
    if (!out->text.prog && ee.column > 0) {
        snprintf(err, errlen, "expr: 1:%d: %s", ee.column, ee.reason);
        return -1;
    }
    WorldBox view;
    double start[2];
    if (!out->text.has_start && func_home(out, &view, start) < 0) {
        snprintf(err, errlen, "expr: f or its gradient is NaN or infinite all over the view; give a start where "
                 "it is defined, e.g. start=1/1");
        return -1;
    }
    return 0;
}

/* Appends ", NAME=VALUE" (head ", NAME=") or "/VALUE" (head "/"), the value exactly or briefly. */
static size_t put_value(char *buf, size_t len, size_t used, const char *head, double v, int brief)
{
    char num[40];
    spec_format_value(num, sizeof num, v, brief);
    if (used >= len)
        return used;
    const int n = snprintf(buf + used, len - used, "%s%s", head, num);
    return n < 0 ? used : used + (size_t)n;
}

/* ", NAME=" for put_value. */
static const char *name_head(char *head, size_t len, const char *name)
{
    snprintf(head, len, ", %s=", name);
    return head;
}

void func_expr_format(const Spec *s, int brief, char *buf, size_t len)
{
    const SpecText *t = &s->text;
    char head[EXPR_NAME_MAX + 4];
    size_t used = (size_t)snprintf(buf, len, ":%s", t->formula);
    for (int i = 0; i < t->nnames; i++)
        used = put_value(buf, len, used, name_head(head, sizeof head, t->names[i]), s->v[i], brief);
    if (brief)
        return;
    const double view[4] = { t->view.x0, t->view.x1, t->view.y0, t->view.y1 };
    for (int i = 0; t->has_view && i < 4; i++)
        used = put_value(buf, len, used, i ? "/" : ", view=", view[i], 0);
    for (int i = 0; t->has_start && i < 2; i++)
        used = put_value(buf, len, used, i ? "/" : ", start=", t->start[i], 0);
}

int func_minima_found(const Spec *f, WorldBox box, double out[FUNC_MAX_MINIMA][2])
{
    Expr scratch;
    const Expr *e = func_is_expr(f) ? func_program(f, &scratch) : NULL;
    return e ? expr_minima(e, f->v, box, out, FUNC_MAX_MINIMA) : 0;
}

/* Where a formula's minima are looked for when its spec gives no view. */
static const WorldBox SEARCH_BOX = { -5.0, 5.0, -5.0, 5.0 };
#define HOME_MARGIN 1.5  /* at least this much room around the minima found, */
#define HOME_SHARE 0.3   /* or this share of their spread */
#define START_FRACTION 0.2 /* the start: this far in from the view's left and top edges */

#define START_GRID 41 /* where the start is undefined: the points looked at across the view */

/* Whether a run can start at (x, y): f and its gradient finite there. */
static int defined_at(const Spec *f, double x, double y)
{
    double g[2];
    func_grad(f, x, y, g);
    return isfinite(func_value(f, x, y)) && isfinite(g[0]) && isfinite(g[1]);
}

/* The point of a grid over view nearest to start where f and its gradient are finite,
 * preferring one whose four neighbours are too (a run then starts inside the domain,
 * not on its rim). Returns 0, or -1 when f is nowhere defined on the grid. */
static int defined_start(const Spec *f, WorldBox view, double start[2])
{
    unsigned char ok[START_GRID][START_GRID];
    const double w = view.x1 - view.x0, h = view.y1 - view.y0;
    for (int j = 0; j < START_GRID; j++)
        for (int i = 0; i < START_GRID; i++)
            ok[j][i] = (unsigned char)defined_at(f, view.x0 + w * i / (START_GRID - 1), view.y0 + h * j / (START_GRID - 1));
    double best[2] = { INFINITY, INFINITY }, at[2][2] = { { 0, 0 }, { 0, 0 } };
    for (int j = 0; j < START_GRID; j++)
        for (int i = 0; i < START_GRID; i++) {
            if (!ok[j][i])
                continue;
            const double x = view.x0 + w * i / (START_GRID - 1), y = view.y0 + h * j / (START_GRID - 1);
            const double dist = hypot((x - start[0]) / w, (y - start[1]) / h);
            const int inner = i > 0 && j > 0 && i < START_GRID - 1 && j < START_GRID - 1 && ok[j][i - 1] &&
                              ok[j][i + 1] && ok[j - 1][i] && ok[j + 1][i];
            for (int k = inner ? 0 : 1; k < 2; k++)
                if (dist < best[k])
                    best[k] = dist, at[k][0] = x, at[k][1] = y;
        }
    const int k = isfinite(best[0]) ? 0 : 1;
    if (!isfinite(best[k]))
        return -1;
    start[0] = at[k][0], start[1] = at[k][1];
    return 0;
}

int func_home(const Spec *f, WorldBox *view, double start[2])
{
    const FuncDef *d = func_def(f->kind);
    *view = d->view;
    memcpy(start, d->start, sizeof d->start);
    if (d->data != DATA_NONE && f->data) {
        double b[4];
        data_home(f->data, d->data, b, start);
        *view = (WorldBox){ b[0], b[1], b[2], b[3] };
        return 0;
    }
    if (!func_is_expr(f))
        return 0;
    const SpecText *t = &f->text;
    if (t->has_view) {
        *view = t->view;
    } else {
        double m[FUNC_MAX_MINIMA][2];
        const int n = func_minima_found(f, SEARCH_BOX, m);
        if (n > 0) {
            WorldBox box = { m[0][0], m[0][0], m[0][1], m[0][1] };
            for (int i = 1; i < n; i++) {
                box.x0 = fmin(box.x0, m[i][0]), box.x1 = fmax(box.x1, m[i][0]);
                box.y0 = fmin(box.y0, m[i][1]), box.y1 = fmax(box.y1, m[i][1]);
            }
            const double pad = fmax(HOME_MARGIN, HOME_SHARE * fmax(box.x1 - box.x0, box.y1 - box.y0));
            *view = (WorldBox){ box.x0 - pad, box.x1 + pad, box.y0 - pad, box.y1 + pad };
        }
    }
    if (t->has_start) {
        memcpy(start, t->start, sizeof t->start);
    } else {
        start[0] = view->x0 + START_FRACTION * (view->x1 - view->x0);
        start[1] = view->y1 - START_FRACTION * (view->y1 - view->y0);
        if (!defined_at(f, start[0], start[1]))
            return defined_start(f, *view, start);
    }
    return 0;
}

void func_formula_text(const Spec *f, char *buf, size_t len)
{
    const FuncDef *d = func_def(f->kind);
    if (func_is_expr(f)) {
        spec_format(&func_table, f, buf, len);
        const size_t skip = strlen("expr:");
        memmove(buf, buf + skip, strlen(buf + skip) + 1);
        return;
    }
    char head[40];
    size_t used = (size_t)snprintf(buf, len, "%s", d->formula);
    for (int i = 0; i < d->kind.nparams; i++)
        used = put_value(buf, len, used, name_head(head, sizeof head, d->kind.params[i].name), f->v[i], 0);
}
