/* Two-dimensional test functions: value, analytic gradient and Hessian, default view and start, and
 * known minima. One row of func_rows (func.c) per function. */
#ifndef OPTISCOPE_FUNC_H
#define OPTISCOPE_FUNC_H

#include "spec.h"

#define FUNC_MAX_MINIMA 8

typedef struct {
    SpecKind kind;
    double (*value)(const double *p, double x, double y);
    void (*grad)(const double *p, double x, double y, double g[2]);
    /* Exact second derivatives: h = { f_xx, f_xy, f_yy } (Newton's method uses them). */
    void (*hessian)(const double *p, double x, double y, double h[3]);
    double view[4];  /* x0, x1, y0, y1 */
    double start[2];
    /* Writes the known minima for parameters p; returns how many (0 for none). */
    int (*minima)(const double *p, double out[FUNC_MAX_MINIMA][2]);
} FuncDef;

extern const SpecTable func_table;

const FuncDef *func_def(int kind);
double func_value(const Spec *f, double x, double y);
void func_grad(const Spec *f, double x, double y, double g[2]);
void func_hessian(const Spec *f, double x, double y, double h[3]);
int func_minima(const Spec *f, double out[FUNC_MAX_MINIMA][2]);

#endif
