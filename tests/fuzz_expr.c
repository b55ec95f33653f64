/* libFuzzer target: the formula parser, and on whatever it accepts the point, row and
 * derivative evaluators and the minima search; the expr spec and its formatter too. Any
 * crash, hang or sanitizer report is a bug. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../src/core/expr.h"
#include "../src/core/func.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char text[4 * EXPR_TEXT_MAX];
    static const char names[2][EXPR_NAME_MAX] = { "a", "b" };
    static const double p[2] = { 1.5, -0.25 };
    if (size >= sizeof text)
        size = sizeof text - 1;
    memcpy(text, data, size);
    text[size] = '\0';
    Expr e;
    ExprError err;
    if (expr_compile(&e, text, names, 2, &err) == 0) {
        static const double xs[70] = { 0, -1, 1, 1e300, -1e-300, NAN, INFINITY, 0.5, 2 };
        double out[70], d[6];
        volatile double sink = expr_value(&e, p, 0.3, -0.7);
        expr_row(&e, p, xs, 70, 0.25, out);
        for (int i = 0; i < 9; i++) {
            expr_derivs(&e, p, xs[i], xs[(i + 3) % 9], d);
            sink += d[0] + d[5];
        }
        double m[FUNC_MAX_MINIMA][2];
        static const WorldBox box = { -2, 2, -2, 2 };
        if (size < 64) /* the search costs 256 Newton runs: short formulas only */
            sink += expr_minima(&e, p, box, m, FUNC_MAX_MINIMA);
        (void)sink;
    } else if (err.column < 1 || err.column > (int)size + 1 || !err.reason[0]) {
        __builtin_trap(); /* an error must point inside the text and say why */
    }
    /* The same text as a spec: what the formatter writes must parse again. */
    static char spec[sizeof text + 8], out[sizeof text + 512];
    char serr[256];
    memcpy(spec, "expr:", 5);
    memcpy(spec + 5, text, size + 1);
    Spec s, again;
    if (spec_parse(&func_table, spec, &s, serr, sizeof serr) == 0) {
        spec_format(&func_table, &s, out, sizeof out);
        if (spec_parse(&func_table, out, &again, serr, sizeof serr) != 0)
            __builtin_trap();
    }
    return 0;
}
