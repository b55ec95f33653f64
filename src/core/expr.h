/* Formulas in x and y typed by a user: parsed once into a compact stack program, then
 * evaluated for one point, for a whole row of points, or with exact first and second
 * derivatives (forward-mode automatic differentiation with hyper-dual numbers). */
#ifndef OPTISCOPE_EXPR_H
#define OPTISCOPE_EXPR_H

#include <stddef.h>

#include "box.h"

#define EXPR_TEXT_MAX 1000 /* characters of a formula */
#define EXPR_OPS_MAX 1024  /* a formula of EXPR_TEXT_MAX characters cannot need more */
#define EXPR_DEPTH_MAX 64  /* nesting of parentheses, calls, signs and powers */
#define EXPR_PARAMS_MAX 8
#define EXPR_NAME_MAX 16   /* a parameter's name, with its terminating zero */
#define EXPR_ROW_CHUNK 64  /* samples evaluated together, instruction by instruction */
#define EXPR_SHARED_MAX 512 /* formulas compiled once and kept (expr_shared) */

typedef struct {
    unsigned char op;
    unsigned short arg; /* a constant's or a parameter's index */
} ExprOp;

typedef struct {
    ExprOp ops[EXPR_OPS_MAX];
    double consts[EXPR_OPS_MAX];
    int nops, nconsts;
    int var_pow; /* a power whose exponent is not a literal: expr_grad takes expr_derivs' way */
} Expr;

/* Where a formula went wrong: a 1-based column and a short reason. */
typedef struct {
    int column;
    char reason[96];
} ExprError;

/* Compiles text against the parameter names given (besides x, y, pi and e). Returns 0, or -1
 * with err filled in. */
int expr_compile(Expr *e, const char *text, const char (*names)[EXPR_NAME_MAX], int nnames, ExprError *err);
/* The same for a formula in the named variables alone (and pi, e): x and y are unknown
 * names. Evaluate it with expr_value at any x and y. */
int expr_compile_vars(Expr *e, const char *text, const char (*names)[EXPR_NAME_MAX], int nnames, ExprError *err);

/* The program for text compiled once and kept for the rest of the process, shared by every
 * copy of a spec that names it: a Spec stays plain data that copies by value and holds only a
 * pointer to it. vars_only: a formula in the named variables alone (expr_compile_vars). A
 * program never changes once made, so threads read it without a lock. Returns NULL with err
 * filled (column > 0) when text does not compile, or NULL with column 0 when the table is
 * full (EXPR_SHARED_MAX formulas): the caller then compiles where it evaluates. */
const Expr *expr_shared(const char *text, const char (*names)[EXPR_NAME_MAX], int nnames, int vars_only,
                        ExprError *err);

double expr_value(const Expr *e, const double *p, double x, double y);
/* out[i] = f(xs[i], y) for i < n. */
void expr_row(const Expr *e, const double *p, const double *xs, int n, double y, double *out);
/* d = { f, f_x, f_y, f_xx, f_xy, f_yy }, exact up to rounding. */
void expr_derivs(const Expr *e, const double *p, double x, double y, double d[6]);
/* d = { f, f_x, f_y }: the same bits as expr_derivs gives, at about half its cost (what a
 * step needs). */
void expr_grad(const Expr *e, const double *p, double x, double y, double d[3]);

/* Local minima found by Newton's method from a grid of starts in box,
 * deduplicated, lowest value first; returns how many (at most max). */
int expr_minima(const Expr *e, const double *p, WorldBox box, double (*out)[2], int max);

/* "sin, cos, ..., if(c, a, b)": every function a formula may call, for messages. */
void expr_list_calls(char *buf, size_t len);

/* Whether s is a name a parameter may take: a letter, then letters, digits or '_', not
 * taken by x, y, pi, e or a function. */
int expr_param_name_ok(const char *s);

#endif
