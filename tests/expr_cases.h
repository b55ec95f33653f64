/* Formulas and points whose every evaluation was hashed before formulas were compiled once
 * (tests/tools/expr_hashes.c): test_expr checks the bits have not changed. */
#ifndef OPTISCOPE_TEST_EXPR_CASES_H
#define OPTISCOPE_TEST_EXPR_CASES_H

#include <math.h>
#include <stdint.h>

#include "../src/core/expr.h"
#include "../src/core/hash.h"

static const char *const expr_cases[] = {
    "(x^2+y-11)^2+(x+y^2-7)^2", "(1-x)^2 + 100*(y-x^2)^2", "a*x^2 + b*y^2", "x^3 - 3*x*y^2",
    "x^1 + y^0 + x^-1 + y^-2 + x^0.5", "x^y", "pow(x, y) + pow(x, 2) + pow(2, x)", "a^x + x^b",
    "sin(x)*cos(y) + tan(x/3)", "asin(x/3) + acos(y/3) + atan(x*y)", "sinh(x) + cosh(y) + tanh(x*y)",
    "exp(-(x^2+y^2)) + log(x^2+1) + log2(abs(y)+1) + log10(x*x+y*y)", "sqrt(x^2+y^2) + sqrt(abs(x))",
    "abs(x) + abs(y - 1) + floor(x) + ceil(y)", "min(x, y) + max(x^2, y)", "hypot(x, y) + atan2(y, x)",
    "if(x < y, x^2, y^3) + (x >= 0) + (y != 0) * x", "x/y + y/(x+1)", "-x^2 - -y + --x",
    "2^(x^2)", "x^(y^2)", "(x*y)^(1+x)", "min(x, x) + max(y, y)", "exp(a*x)*sin(b*y) + pi + e",
    "x^4 + y^4 - 2*x^2*y + 0.5*x", "log(1 + exp(x - y)) + (x - 2)^2/4",
};
#define EXPR_CASES_N ((int)(sizeof expr_cases / sizeof expr_cases[0]))

static const char expr_case_names[2][EXPR_NAME_MAX] = { "a", "b" };
static const double expr_case_params[2] = { 1.5, -0.5 };

/* Points from -3 to 3 by 0.25: zeros, integers, halves and where functions are undefined. */
#define EXPR_GRID 25
static inline double expr_grid_at(int k)
{
    return -3.0 + 0.25 * k;
}

/* NaNs hash as one NaN: their payloads say nothing about a formula. */
static inline uint64_t expr_hash_double(uint64_t h, double v)
{
    return hash_double(h, isnan(v) ? NAN : v);
}

static inline uint64_t expr_case_hash(uint64_t h, double value, const double d[6], double row)
{
    h = expr_hash_double(h, value);
    for (int k = 0; k < 6; k++)
        h = expr_hash_double(h, d[k]);
    return expr_hash_double(h, row);
}

#endif
