/* Two-dimensional test functions: value, analytic gradient and Hessian, default view and start, and
 * known minima. One row of func_rows (func.c) per function. */
#ifndef OPTISCOPE_FUNC_H
#define OPTISCOPE_FUNC_H

#include "box.h"
#include "data.h"
#include "spec.h"

#define FUNC_MAX_MINIMA 8

typedef struct {
    SpecKind kind;
    double (*value)(const double *p, double x, double y);
    void (*grad)(const double *p, double x, double y, double g[2]);
    /* Exact second derivatives: h = { f_xx, f_xy, f_yy } (Newton's method uses them). */
    void (*hessian)(const double *p, double x, double y, double h[3]);
    WorldBox view;
    double start[2];
    /* Writes the known minima for parameters p; returns how many (0 for none). */
    int (*minima)(const double *p, double out[FUNC_MAX_MINIMA][2]);
    /* The same function in expression syntax (core/expr.h), with the row's parameter names,
     * so it can be typed and changed; NULL for the expr row, whose formula is in the spec. */
    const char *formula;
    /* A loss over data (linreg, logreg): value, derivatives, minimum and home come from the
     * data set the spec names (data.h), not from the row's functions. */
    DataLoss data;
} FuncDef;

extern const SpecTable func_table;

const FuncDef *func_def(int kind);
double func_value(const Spec *f, double x, double y);
void func_grad(const Spec *f, double x, double y, double g[2]);
void func_hessian(const Spec *f, double x, double y, double h[3]);
/* f(x, y) with its gradient in g, the same bits as func_value and func_grad give, a formula's
 * in one pass of its program. */
double func_value_grad(const Spec *f, double x, double y, double g[2]);
int func_minima(const Spec *f, double out[FUNC_MAX_MINIMA][2]);

/* out[i] = f(xs[i], y) for i < n: the field samples a row at a time, a formula's program
 * instruction by instruction over the row. */
void func_row(const Spec *f, const double *xs, int n, double y, double *out);
/* Whether f is a typed formula (the expr row), whose minima are found, not known. */
int func_is_expr(const Spec *f);
/* Local minima found numerically in box, lowest first (0 for built-in functions, which
 * know theirs). */
int func_minima_found(const Spec *f, WorldBox box, double out[FUNC_MAX_MINIMA][2]);
/* The default view and start: the row's, or for a formula the ones its spec gives, else a
 * view around the minima found and a start a fixed fraction into it (README), or where f is
 * undefined there, the nearest point of the view where f and its gradient are finite.
 * Returns 0, or -1 when the formula is defined nowhere in the view (the start then stays
 * where f is undefined; the parser refuses such a formula without start=). */
int func_home(const Spec *f, WorldBox *view, double start[2]);
/* The loss over data f is (DATA_NONE for a function of x and y alone). */
DataLoss func_data_loss(const Spec *f);
/* Points a loss over data at its data set, read through the store on first use and checked
 * for the loss (logreg's labels); -1 with "FILE:LINE: ..." when it cannot be. Other
 * functions are left as they are. */
int func_bind_data(Spec *f, DataStore *store, char *err, size_t errlen);
/* Why f has no minimum to show, or NULL when it has one (or is a function of x and y). */
const char *func_no_minimum(const Spec *f);
/* The names of f's two coordinates: "w" and "b" for a loss over data, else "x" and "y". */
const char *func_axis_name(const Spec *f, int axis);

/* f as the text after "expr:", the formula and its parameters: what the input line edits. */
void func_formula_text(const Spec *f, char *buf, size_t len);

#endif
