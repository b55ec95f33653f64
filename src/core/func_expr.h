/* Inside the functions: the expr row's hooks and the compiled formula of a spec, shared by
 * func.c (the table, evaluation) and func_expr.c (syntax, minima found, home). */
#ifndef OPTISCOPE_FUNC_EXPR_H
#define OPTISCOPE_FUNC_EXPR_H

#include <stddef.h>

#include "expr.h"
#include "func.h"

/* The spec's formula compiled with its parameter names; -1 with the error in ee. */
int func_compile(const Spec *f, Expr *e, ExprError *ee);
/* The spec's program: the shared one its parse made (SpecText.prog), else compiled into
 * *scratch (a spec whose formula was written in another way); NULL when it does not compile. */
const Expr *func_program(const Spec *f, Expr *scratch);
/* The expr row's parse_text and format_text (SpecKind). */
int func_expr_parse(const char *rest, Spec *out, char *err, size_t errlen);
void func_expr_format(const Spec *s, int brief, char *buf, size_t len);

#endif
