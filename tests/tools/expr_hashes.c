/* Prints a hash of every evaluation of each formula of tests/expr_cases.h over a grid of
 * points (value, hyper-dual derivatives, a row), from whichever expr.c it is linked with:
 * test_expr checks today's evaluators give the same bits as the ones these hashes were made
 * with. Build: cc -O2 -std=c11 tests/tools/expr_hashes.c src/core/expr.c -lm -lpthread */
#include <inttypes.h>
#include <stdio.h>

#include "../../src/core/expr.h"
#include "../expr_cases.h"

int main(void)
{
    for (int i = 0; i < EXPR_CASES_N; i++) {
        Expr e;
        ExprError err;
        if (expr_compile(&e, expr_cases[i], expr_case_names, 2, &err) < 0) {
            fprintf(stderr, "%s: %d: %s\n", expr_cases[i], err.column, err.reason);
            return 1;
        }
        uint64_t h = HASH_START;
        for (int j = 0; j < EXPR_GRID; j++) {
            double xs[EXPR_GRID], row[EXPR_GRID];
            const double y = expr_grid_at(j);
            for (int k = 0; k < EXPR_GRID; k++)
                xs[k] = expr_grid_at(k);
            expr_row(&e, expr_case_params, xs, EXPR_GRID, y, row);
            for (int k = 0; k < EXPR_GRID; k++) {
                double d[6];
                expr_derivs(&e, expr_case_params, xs[k], y, d);
                h = expr_case_hash(h, expr_value(&e, expr_case_params, xs[k], y), d, row[k]);
            }
        }
        printf("    0x%016" PRIx64 "ull,\n", h);
    }
    return 0;
}
