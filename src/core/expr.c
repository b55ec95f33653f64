/* Formulas in x and y (or in named variables alone, a schedule's): a recursive-descent
 * parser with a depth bound writes a postfix program for a small stack machine; three
 * evaluators run it (a point, a row, hyper-dual numbers for exact derivatives). Nothing in a
 * formula can reach anything but arithmetic. */
#include "expr.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;
static const double E = 2.71828182845904523536;

/* The deepest stack a program may need: every level of nesting holds at most one pending
 * operand, plus the operands of a binary call. */
#define STACK_MAX (EXPR_DEPTH_MAX + 8)

enum {
    OP_CONST, OP_X, OP_Y, OP_PARAM,
    OP_NEG, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_POW, OP_POWC, /* POWC: exponent consts[arg] */
    OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, /* comparisons: 1 or 0 */
    /* Calls, unary, binary, then if's three arguments, in the order of calls[] below. */
    OP_SIN, OP_COS, OP_TAN, OP_ASIN, OP_ACOS, OP_ATAN, OP_SINH, OP_COSH, OP_TANH, OP_EXP,
    OP_LOG, OP_LOG2, OP_LOG10, OP_SQRT, OP_ABS, OP_FLOOR, OP_CEIL,
    OP_MIN, OP_MAX, OP_POWF, OP_HYPOT, OP_ATAN2,
    OP_IF,
};

static const struct {
    const char *name;
    int op, nargs;
} calls[] = {
    { "sin", OP_SIN, 1 }, { "cos", OP_COS, 1 }, { "tan", OP_TAN, 1 }, { "asin", OP_ASIN, 1 },
    { "acos", OP_ACOS, 1 }, { "atan", OP_ATAN, 1 }, { "sinh", OP_SINH, 1 }, { "cosh", OP_COSH, 1 },
    { "tanh", OP_TANH, 1 }, { "exp", OP_EXP, 1 }, { "log", OP_LOG, 1 }, { "log2", OP_LOG2, 1 },
    { "log10", OP_LOG10, 1 }, { "sqrt", OP_SQRT, 1 }, { "abs", OP_ABS, 1 }, { "floor", OP_FLOOR, 1 },
    { "ceil", OP_CEIL, 1 }, { "min", OP_MIN, 2 }, { "max", OP_MAX, 2 }, { "pow", OP_POWF, 2 },
    { "hypot", OP_HYPOT, 2 }, { "atan2", OP_ATAN2, 2 }, { "if", OP_IF, 3 },
};

/* The comparisons, two-character ones first so "<=" is not read as "<". */
static const struct {
    const char *text;
    int op;
} comparisons[] = {
    { "<=", OP_LE }, { ">=", OP_GE }, { "==", OP_EQ }, { "!=", OP_NE }, { "<", OP_LT }, { ">", OP_GT },
};
#define NCALLS ((int)(sizeof calls / sizeof calls[0]))

static int find_call(const char *name)
{
    for (int i = 0; i < NCALLS; i++)
        if (strcmp(calls[i].name, name) == 0)
            return i;
    return -1;
}

static int reserved(const char *s)
{
    return !strcmp(s, "x") || !strcmp(s, "y") || !strcmp(s, "pi") || !strcmp(s, "e") || find_call(s) >= 0;
}

void expr_list_calls(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < NCALLS && used < len; i++) {
        const int n = snprintf(buf + used, len - used, "%s%s%s", i ? ", " : "", calls[i].name,
                               calls[i].op == OP_IF ? "(c, a, b)" : "");
        used += n > 0 ? (size_t)n : 0;
    }
}

int expr_param_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= EXPR_NAME_MAX || !isalpha((unsigned char)s[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return 0;
    return !reserved(s);
}

typedef struct {
    const char *text, *at;
    Expr *e;
    const char (*names)[EXPR_NAME_MAX];
    int nnames, depth, stack, failed;
    int no_xy; /* a formula in its named variables alone: x and y are unknown names */
    ExprError *err;
} Parser;

static int fail(Parser *ps, const char *where, const char *fmt, const char *arg)
{
    if (!ps->failed) {
        ps->failed = 1;
        ps->err->column = (int)(where - ps->text) + 1;
        snprintf(ps->err->reason, sizeof ps->err->reason, fmt, arg ? arg : "");
    }
    return -1;
}

static void skip_blanks(Parser *ps)
{
    while (*ps->at == ' ' || *ps->at == '\t')
        ps->at++;
}

/* Appends an op; delta is its effect on the stack's height. */
static int emit(Parser *ps, int op, int arg, int delta)
{
    if (ps->e->nops == EXPR_OPS_MAX)
        return fail(ps, ps->at, "formula too long", NULL);
    ps->e->ops[ps->e->nops++] = (ExprOp){ .op = (unsigned char)op, .arg = (unsigned short)arg };
    ps->stack += delta;
    if (ps->stack > STACK_MAX)
        return fail(ps, ps->at, "too deeply nested", NULL);
    return 0;
}

static int emit_const(Parser *ps, double v)
{
    if (ps->e->nconsts == EXPR_OPS_MAX)
        return fail(ps, ps->at, "formula too long", NULL);
    ps->e->consts[ps->e->nconsts] = v;
    return emit(ps, OP_CONST, ps->e->nconsts++, 1);
}

static int enter(Parser *ps)
{
    if (++ps->depth > EXPR_DEPTH_MAX)
        return fail(ps, ps->at, "too deeply nested", NULL);
    return 0;
}

static int parse_compare(Parser *ps);
static int parse_unary(Parser *ps);

/* Decimal numbers only: digits[.digits][e[+-]digits] or .digits. */
static int parse_number(Parser *ps)
{
    const char *s = ps->at;
    int digits = 0;
    while (isdigit((unsigned char)*s))
        s++, digits++;
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s); s++)
            digits++;
    if (!digits)
        return fail(ps, ps->at, "malformed number", NULL);
    if (*s == 'e' || *s == 'E') {
        const char *t = s + 1;
        t += *t == '+' || *t == '-';
        if (!isdigit((unsigned char)*t))
            return fail(ps, s, "expected digits in the exponent", NULL);
        while (isdigit((unsigned char)*t))
            t++;
        s = t;
    }
    char buf[64];
    if ((size_t)(s - ps->at) >= sizeof buf)
        return fail(ps, ps->at, "number too long", NULL);
    memcpy(buf, ps->at, (size_t)(s - ps->at));
    buf[s - ps->at] = '\0';
    const double v = strtod(buf, NULL);
    if (!isfinite(v))
        return fail(ps, ps->at, "number out of range", NULL);
    ps->at = s;
    return emit_const(ps, v);
}

static int parse_call(Parser *ps, int call, const char *name)
{
    ps->at++; /* '(' */
    if (enter(ps) < 0)
        return -1;
    for (int i = 0; i < calls[call].nargs; i++) {
        skip_blanks(ps);
        if (i > 0) {
            if (*ps->at != ',') {
                char what[48];
                snprintf(what, sizeof what, "%s takes %d arguments", name, calls[call].nargs);
                return fail(ps, ps->at, *ps->at == ')' ? "%s" : "expected ,", what);
            }
            ps->at++;
        }
        if (parse_compare(ps) < 0)
            return -1;
    }
    skip_blanks(ps);
    if (*ps->at == ',') {
        char what[48];
        snprintf(what, sizeof what, "%s takes %d argument%s", name, calls[call].nargs,
                 calls[call].nargs == 1 ? "" : "s");
        return fail(ps, ps->at, "%s", what);
    }
    if (*ps->at != ')')
        return fail(ps, ps->at, "missing )", NULL);
    ps->at++;
    ps->depth--;
    return emit(ps, calls[call].op, 0, 1 - calls[call].nargs);
}

static int param_index(const Parser *ps, const char *name)
{
    for (int i = 0; i < ps->nnames; i++)
        if (!strcmp(name, ps->names[i]))
            return i;
    return -1;
}

static int parse_name(Parser *ps)
{
    const char *start = ps->at;
    char name[EXPR_NAME_MAX + 1];
    size_t n = 0;
    while (isalnum((unsigned char)*ps->at) || *ps->at == '_') {
        if (n < sizeof name - 1)
            name[n] = *ps->at;
        n++;
        ps->at++;
    }
    if (n >= sizeof name)
        return fail(ps, start, "name too long", NULL);
    name[n] = '\0';
    const char *after = ps->at;
    skip_blanks(ps);
    const int call = find_call(name);
    if (call >= 0) {
        if (*ps->at != '(')
            return fail(ps, after, "expected ( after %s", name);
        return parse_call(ps, call, name);
    }
    const int xy = !strcmp(name, "x") || !strcmp(name, "y");
    const int known = (reserved(name) && !(xy && ps->no_xy)) || param_index(ps, name) >= 0;
    if (*ps->at == '(')
        return fail(ps, start, known ? "'%s' is not a function" : "unknown name '%s'", name);
    if (!known)
        return fail(ps, start, "unknown name '%s'", name);
    if (!strcmp(name, "x"))
        return emit(ps, OP_X, 0, 1);
    if (!strcmp(name, "y"))
        return emit(ps, OP_Y, 0, 1);
    if (!strcmp(name, "pi"))
        return emit_const(ps, PI);
    if (!strcmp(name, "e"))
        return emit_const(ps, E);
    return emit(ps, OP_PARAM, param_index(ps, name), 1);
}

static int parse_primary(Parser *ps)
{
    skip_blanks(ps);
    const char c = *ps->at;
    if (c == '(') {
        ps->at++;
        if (enter(ps) < 0 || parse_compare(ps) < 0)
            return -1;
        ps->depth--;
        skip_blanks(ps);
        if (*ps->at != ')')
            return fail(ps, ps->at, "missing )", NULL);
        ps->at++;
        return 0;
    }
    if (isdigit((unsigned char)c) || c == '.')
        return parse_number(ps);
    if (isalpha((unsigned char)c) || c == '_')
        return parse_name(ps);
    if (c == '\0')
        return fail(ps, ps->at, "unexpected end of formula", NULL);
    char what[8] = { c, 0 };
    if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
        return fail(ps, ps->at, "unexpected character", NULL);
    return fail(ps, ps->at, "unexpected '%s'", what);
}

/* power := primary ['^' unary]: right associative through unary, so -x^2 = -(x^2) and
 * x^-2 = x^(-2). A constant exponent becomes POWC, whose derivative needs no log. */
static int parse_power(Parser *ps)
{
    if (parse_primary(ps) < 0)
        return -1;
    skip_blanks(ps);
    if (*ps->at != '^')
        return 0;
    ps->at++;
    skip_blanks(ps);
    const char c = *ps->at;
    if (!(isalnum((unsigned char)c) || c == '.' || c == '(' || c == '-' || c == '+' || c == '_'))
        return fail(ps, ps->at, "expected a number after ^", NULL);
    const int before = ps->e->nops;
    if (enter(ps) < 0 || parse_unary(ps) < 0)
        return -1;
    ps->depth--;
    Expr *e = ps->e;
    if (e->nops == before + 1 && e->ops[before].op == OP_CONST) {
        e->ops[before].op = OP_POWC;
        ps->stack--;
        return 0;
    }
    return emit(ps, OP_POW, 0, -1);
}

static int parse_unary(Parser *ps)
{
    skip_blanks(ps);
    if (*ps->at != '-' && *ps->at != '+')
        return parse_power(ps);
    const int neg = *ps->at == '-';
    ps->at++;
    if (enter(ps) < 0 || parse_unary(ps) < 0)
        return -1;
    ps->depth--;
    return neg ? emit(ps, OP_NEG, 0, 0) : 0;
}

/* One left-associative level: operands by `operand`, joined by ops[0] or ops[1] (written
 * as codes[0] or codes[1]). */
static int parse_left(Parser *ps, int (*operand)(Parser *), const char ops[2], const int codes[2])
{
    if (operand(ps) < 0)
        return -1;
    for (;;) {
        skip_blanks(ps);
        const char c = *ps->at;
        if (c != ops[0] && c != ops[1])
            return 0;
        ps->at++;
        if (operand(ps) < 0 || emit(ps, codes[c == ops[1]], 0, -1) < 0)
            return -1;
    }
}

static int parse_product(Parser *ps)
{
    return parse_left(ps, parse_unary, "*/", (const int[2]){ OP_MUL, OP_DIV });
}

static int parse_sum(Parser *ps)
{
    return parse_left(ps, parse_product, "+-", (const int[2]){ OP_ADD, OP_SUB });
}

/* The comparison at the parser's place, or -1. */
static int comparison_at(const Parser *ps)
{
    for (size_t i = 0; i < sizeof comparisons / sizeof comparisons[0]; i++)
        if (strncmp(ps->at, comparisons[i].text, strlen(comparisons[i].text)) == 0)
            return (int)i;
    return -1;
}

/* compare := sum [op sum]...: the loosest binding, so lr*2 < 1 compares the product. */
static int parse_compare(Parser *ps)
{
    if (parse_sum(ps) < 0)
        return -1;
    for (;;) {
        skip_blanks(ps);
        const int c = comparison_at(ps);
        if (c < 0)
            return 0;
        ps->at += strlen(comparisons[c].text);
        if (parse_sum(ps) < 0 || emit(ps, comparisons[c].op, 0, -1) < 0)
            return -1;
    }
}

static int compile(Expr *e, const char *text, const char (*names)[EXPR_NAME_MAX], int nnames, int no_xy,
                   ExprError *err)
{
    Parser ps = { .text = text, .at = text, .e = e, .names = names, .nnames = nnames, .no_xy = no_xy, .err = err };
    e->nops = e->nconsts = 0;
    err->column = 0;
    err->reason[0] = '\0';
    const size_t n = strlen(text);
    if (n > EXPR_TEXT_MAX) {
        err->column = EXPR_TEXT_MAX + 1;
        snprintf(err->reason, sizeof err->reason, "formula longer than %d characters", EXPR_TEXT_MAX);
        return -1;
    }
    skip_blanks(&ps);
    if (*ps.at == '\0')
        return fail(&ps, ps.at, "empty formula", NULL);
    if (parse_compare(&ps) < 0)
        return -1;
    skip_blanks(&ps);
    if (*ps.at == ')')
        return fail(&ps, ps.at, "unmatched )", NULL);
    if (*ps.at == ',')
        return fail(&ps, ps.at, "unexpected , outside a call", NULL);
    if (*ps.at != '\0') {
        if (isalnum((unsigned char)*ps.at) || *ps.at == '(' || *ps.at == '.')
            return fail(&ps, ps.at, "missing operator before this", NULL);
        return parse_primary(&ps) < 0 ? -1 : fail(&ps, ps.at, "unexpected text", NULL);
    }
    e->var_pow = 0;
    for (int i = 0; i < e->nops; i++)
        e->var_pow |= e->ops[i].op == OP_POW || e->ops[i].op == OP_POWF;
    return 0;
}

int expr_compile(Expr *e, const char *text, const char (*names)[EXPR_NAME_MAX], int nnames, ExprError *err)
{
    return compile(e, text, names, nnames, 0, err);
}

int expr_compile_vars(Expr *e, const char *text, const char (*names)[EXPR_NAME_MAX], int nnames, ExprError *err)
{
    return compile(e, text, names, nnames, 1, err);
}

/* The one table the core keeps across calls, and why: a formula is evaluated millions of
 * times (a basin map runs a trajectory per pixel) from Specs copied by value into sessions,
 * timeline copies and threads. Compiling it once per text and handing out a pointer to the
 * immutable program keeps the Spec plain data; entries live until the process ends, so a
 * pointer held by any copy stays valid. */
typedef struct {
    Expr e;
    char text[EXPR_TEXT_MAX + 1];
    char names[EXPR_PARAMS_MAX][EXPR_NAME_MAX];
    int nnames, vars_only;
} Shared;

static struct {
    pthread_mutex_t lock;
    Shared *at[EXPR_SHARED_MAX];
    int n;
} shared = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int shared_is(const Shared *s, const char *text, const char (*names)[EXPR_NAME_MAX], int nnames,
                     int vars_only)
{
    if (s->nnames != nnames || s->vars_only != vars_only || strcmp(s->text, text) != 0)
        return 0;
    for (int i = 0; i < nnames; i++)
        if (strcmp(s->names[i], names[i]) != 0)
            return 0;
    return 1;
}

const Expr *expr_shared(const char *text, const char (*names)[EXPR_NAME_MAX], int nnames, int vars_only,
                        ExprError *err)
{
    if (nnames < 0 || nnames > EXPR_PARAMS_MAX || strlen(text) > EXPR_TEXT_MAX)
        return compile(&(Expr){ 0 }, text, names, nnames < 0 ? 0 : nnames, vars_only, err), NULL;
    err->column = 0;
    err->reason[0] = '\0';
    pthread_mutex_lock(&shared.lock);
    const Expr *found = NULL;
    for (int i = 0; i < shared.n && !found; i++)
        if (shared_is(shared.at[i], text, names, nnames, vars_only))
            found = &shared.at[i]->e;
    Shared *s = found || shared.n == EXPR_SHARED_MAX ? NULL : calloc(1, sizeof *s);
    if (s && compile(&s->e, text, names, nnames, vars_only, err) == 0) {
        strcpy(s->text, text);
        memcpy(s->names, names, (size_t)nnames * sizeof names[0]);
        s->nnames = nnames;
        s->vars_only = vars_only;
        shared.at[shared.n++] = s;
        found = &s->e;
    } else if (s) {
        free(s);
    } else if (!found) {
        /* Full (or out of memory): say only whether the formula compiles. */
        Expr *scratch = malloc(sizeof *scratch);
        if (scratch && compile(scratch, text, names, nnames, vars_only, err) == 0)
            err->column = 0;
        free(scratch);
    }
    pthread_mutex_unlock(&shared.lock);
    return found;
}

/* The value of a constant-exponent power; x^2 is x*x exactly, as in the built-in functions.
 * u^1 and u^0 skip pow: C's Annex F makes pow(u, 0) 1, and glibc's pow, within 0.52 ulp,
 * returns an exact result such as pow(u, 1) = u exactly, so the bits are pow's. */
static double pow_const(double u, double c)
{
    return c == 2.0 ? u * u : c == 1.0 ? u : c == 0.0 ? 1.0 : pow(u, c);
}

static double unary(int op, double u)
{
    switch (op) {
    case OP_SIN: return sin(u);
    case OP_COS: return cos(u);
    case OP_TAN: return tan(u);
    case OP_ASIN: return asin(u);
    case OP_ACOS: return acos(u);
    case OP_ATAN: return atan(u);
    case OP_SINH: return sinh(u);
    case OP_COSH: return cosh(u);
    case OP_TANH: return tanh(u);
    case OP_EXP: return exp(u);
    case OP_LOG: return log(u);
    case OP_LOG2: return log2(u);
    case OP_LOG10: return log10(u);
    case OP_SQRT: return sqrt(u);
    case OP_ABS: return fabs(u);
    case OP_FLOOR: return floor(u);
    case OP_CEIL: return ceil(u);
    default: return -u; /* OP_NEG */
    }
}

static double binary(int op, double a, double b)
{
    switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    case OP_MIN: return a != a || b != b ? NAN : a < b ? a : b; /* torch.minimum: NaN wins */
    case OP_MAX: return a != a || b != b ? NAN : a > b ? a : b;
    case OP_HYPOT: return hypot(a, b);
    case OP_ATAN2: return atan2(a, b);
    default: return pow(a, b); /* OP_POW, OP_POWF */
    }
}

static int is_binary(int op)
{
    return (op >= OP_ADD && op <= OP_POW) || (op >= OP_LT && op <= OP_NE) || (op >= OP_MIN && op <= OP_ATAN2);
}

/* if(c, a, b): a where c is true (not 0), b where false; NaN where c is NaN, as neither. */
static double choose(double c, double a, double b)
{
    return c != c ? NAN : c != 0 ? a : b;
}

static double leaf(const Expr *e, const ExprOp *o, const double *p, double x, double y)
{
    switch (o->op) {
    case OP_CONST: return e->consts[o->arg];
    case OP_X: return x;
    case OP_Y: return y;
    default: return p[o->arg]; /* OP_PARAM */
    }
}

static int is_leaf(int op)
{
    return op <= OP_PARAM;
}

double expr_value(const Expr *e, const double *p, double x, double y)
{
    double st[STACK_MAX + 1];
    int top = -1;
    for (int i = 0; i < e->nops; i++) {
        const ExprOp *o = &e->ops[i];
        /* The commonest instructions first, without a call: a step evaluates the loss too. */
        switch (o->op) {
        case OP_CONST: st[++top] = e->consts[o->arg]; continue;
        case OP_X: st[++top] = x; continue;
        case OP_Y: st[++top] = y; continue;
        case OP_ADD: top--, st[top] = st[top] + st[top + 1]; continue;
        case OP_SUB: top--, st[top] = st[top] - st[top + 1]; continue;
        case OP_MUL: top--, st[top] = st[top] * st[top + 1]; continue;
        default: break;
        }
        if (is_leaf(o->op)) {
            st[++top] = leaf(e, o, p, x, y);
        } else if (o->op == OP_IF) {
            top -= 2;
            st[top] = choose(st[top], st[top + 1], st[top + 2]);
        } else if (o->op == OP_POWC) {
            st[top] = pow_const(st[top], e->consts[o->arg]);
        } else if (is_binary(o->op)) {
            top--;
            st[top] = binary(o->op, st[top], st[top + 1]);
        } else {
            st[top] = unary(o->op, st[top]);
        }
    }
    return top == 0 ? st[0] : NAN;
}

/* One pass per instruction over a chunk of the row: the switch is taken once per
 * instruction, not once per sample, and the arithmetic loops vectorise. */
static void row_chunk(const Expr *e, const double *p, const double *xs, int n, double y, double *out)
{
    double st[STACK_MAX + 1][EXPR_ROW_CHUNK];
    int top = -1;
    for (int i = 0; i < e->nops; i++) {
        const ExprOp *o = &e->ops[i];
        double *a = st[top >= 0 ? top : 0];
        if (o->op == OP_X) {
            memcpy(st[++top], xs, (size_t)n * sizeof *xs);
        } else if (is_leaf(o->op)) {
            const double v = leaf(e, o, p, 0, y);
            double *d = st[++top];
            for (int k = 0; k < n; k++)
                d[k] = v;
        } else if (o->op == OP_IF) {
            top -= 2;
            double *c = st[top];
            for (int k = 0; k < n; k++)
                c[k] = choose(c[k], st[top + 1][k], st[top + 2][k]);
        } else if (o->op == OP_POWC) {
            const double c = e->consts[o->arg];
            if (c == 2.0)
                for (int k = 0; k < n; k++)
                    a[k] = a[k] * a[k];
            else
                for (int k = 0; k < n; k++)
                    a[k] = pow_const(a[k], c);
        } else if (is_binary(o->op)) {
            double *l = st[--top];
            const double *r = st[top + 1];
            switch (o->op) {
            case OP_ADD: for (int k = 0; k < n; k++) l[k] += r[k]; break;
            case OP_SUB: for (int k = 0; k < n; k++) l[k] -= r[k]; break;
            case OP_MUL: for (int k = 0; k < n; k++) l[k] *= r[k]; break;
            case OP_DIV: for (int k = 0; k < n; k++) l[k] /= r[k]; break;
            default: for (int k = 0; k < n; k++) l[k] = binary(o->op, l[k], r[k]); break;
            }
        } else if (o->op == OP_NEG) {
            for (int k = 0; k < n; k++)
                a[k] = -a[k];
        } else {
            for (int k = 0; k < n; k++)
                a[k] = unary(o->op, a[k]);
        }
    }
    for (int k = 0; k < n; k++)
        out[k] = top == 0 ? st[0][k] : NAN;
}

void expr_row(const Expr *e, const double *p, const double *xs, int n, double y, double *out)
{
    for (int i = 0; i < n; i += EXPR_ROW_CHUNK)
        row_chunk(e, p, xs + i, n - i < EXPR_ROW_CHUNK ? n - i : EXPR_ROW_CHUNK, y, out + i);
}

/* A hyper-dual number: a value with its first and second derivatives in x and y. */
typedef struct {
    double v, x, y, xx, xy, yy;
} Hd;

/* g(u) from g's value and first two derivatives at u.v. */
static Hd hd_chain(Hd u, double g0, double g1, double g2)
{
    return (Hd){
        .v = g0,
        .x = g1 * u.x,
        .y = g1 * u.y,
        .xx = g1 * u.xx + g2 * u.x * u.x,
        .xy = g1 * u.xy + g2 * u.x * u.y,
        .yy = g1 * u.yy + g2 * u.y * u.y,
    };
}

/* g(a, b) from g's value, gradient (fa, fb) and Hessian (faa, fab, fbb) at (a.v, b.v). */
static Hd hd_chain2(Hd a, Hd b, double g, double fa, double fb, double faa, double fab, double fbb)
{
    return (Hd){
        .v = g,
        .x = fa * a.x + fb * b.x,
        .y = fa * a.y + fb * b.y,
        .xx = fa * a.xx + fb * b.xx + faa * a.x * a.x + 2.0 * fab * a.x * b.x + fbb * b.x * b.x,
        .xy = fa * a.xy + fb * b.xy + faa * a.x * a.y + fab * (a.x * b.y + a.y * b.x) + fbb * b.x * b.y,
        .yy = fa * a.yy + fb * b.yy + faa * a.y * a.y + 2.0 * fab * a.y * b.y + fbb * b.y * b.y,
    };
}

static int hd_constant(Hd u)
{
    return u.x == 0 && u.y == 0 && u.xx == 0 && u.xy == 0 && u.yy == 0;
}

/* u^c for a constant c. torch's pow backward gives 0, not 0 * inf, where the factor c or
 * c - 1 is zero, so x^1 and x^0 have finite derivatives at 0. */
static Hd hd_pow_const(Hd u, double c)
{
    const double g1 = c == 0 ? 0 : c * pow_const(u.v, c - 1);
    const double g2 = c == 0 || c == 1 ? 0 : c * (c - 1) * pow_const(u.v, c - 2);
    return hd_chain(u, pow_const(u.v, c), g1, g2);
}

/* Derivatives where the function has none follow torch's autograd: abs'(0) = 0 (sign),
 * sqrt'(0) = +inf, and min/max split the gradient evenly between equal arguments. */
static Hd hd_unary(int op, Hd u)
{
    const double v = u.v;
    switch (op) {
    case OP_NEG: return (Hd){ -u.v, -u.x, -u.y, -u.xx, -u.xy, -u.yy };
    case OP_SIN: return hd_chain(u, sin(v), cos(v), -sin(v));
    case OP_COS: return hd_chain(u, cos(v), -sin(v), -cos(v));
    case OP_TAN: {
        const double t = tan(v), s = 1 + t * t;
        return hd_chain(u, t, s, 2 * t * s);
    }
    case OP_ASIN: {
        const double q = 1 - v * v;
        return hd_chain(u, asin(v), 1 / sqrt(q), v / (q * sqrt(q)));
    }
    case OP_ACOS: {
        const double q = 1 - v * v;
        return hd_chain(u, acos(v), -1 / sqrt(q), -v / (q * sqrt(q)));
    }
    case OP_ATAN: {
        const double q = 1 + v * v;
        return hd_chain(u, atan(v), 1 / q, -2 * v / (q * q));
    }
    case OP_SINH: return hd_chain(u, sinh(v), cosh(v), sinh(v));
    case OP_COSH: return hd_chain(u, cosh(v), sinh(v), cosh(v));
    case OP_TANH: {
        const double t = tanh(v), s = 1 - t * t;
        return hd_chain(u, t, s, -2 * t * s);
    }
    case OP_EXP: {
        const double x = exp(v);
        return hd_chain(u, x, x, x);
    }
    case OP_LOG: return hd_chain(u, log(v), 1 / v, -1 / (v * v));
    case OP_LOG2: return hd_chain(u, log2(v), 1 / (v * log(2.0)), -1 / (v * v * log(2.0)));
    case OP_LOG10: return hd_chain(u, log10(v), 1 / (v * log(10.0)), -1 / (v * v * log(10.0)));
    case OP_SQRT: {
        const double s = sqrt(v);
        return hd_chain(u, s, 0.5 / s, -0.25 / (s * v));
    }
    case OP_FLOOR: return hd_chain(u, floor(v), 0, 0); /* torch: a zero gradient, steps and all */
    case OP_CEIL: return hd_chain(u, ceil(v), 0, 0);
    default: /* OP_ABS */
        return hd_chain(u, fabs(v), v > 0 ? 1 : v < 0 ? -1 : 0, 0);
    }
}

static Hd hd_mean(Hd a, Hd b)
{
    return (Hd){ a.v, (a.x + b.x) / 2, (a.y + b.y) / 2, (a.xx + b.xx) / 2, (a.xy + b.xy) / 2, (a.yy + b.yy) / 2 };
}

static Hd hd_nan(void)
{
    return (Hd){ NAN, NAN, NAN, NAN, NAN, NAN };
}

static Hd hd_binary(int op, Hd a, Hd b)
{
    if (op >= OP_LT && op <= OP_NE)
        return (Hd){ .v = binary(op, a.v, b.v) };
    switch (op) {
    case OP_ADD: return (Hd){ a.v + b.v, a.x + b.x, a.y + b.y, a.xx + b.xx, a.xy + b.xy, a.yy + b.yy };
    case OP_SUB: return (Hd){ a.v - b.v, a.x - b.x, a.y - b.y, a.xx - b.xx, a.xy - b.xy, a.yy - b.yy };
    case OP_MUL: return hd_chain2(a, b, a.v * b.v, b.v, a.v, 0, 1, 0);
    case OP_DIV: {
        const double r = 1 / b.v;
        return hd_chain2(a, b, a.v / b.v, r, -a.v * r * r, 0, -r * r, 2 * a.v * r * r * r);
    }
    case OP_MIN: return a.v < b.v ? a : b.v < a.v ? b : a.v == b.v ? hd_mean(a, b) : hd_nan();
    case OP_MAX: return a.v > b.v ? a : b.v > a.v ? b : a.v == b.v ? hd_mean(a, b) : hd_nan();
    case OP_HYPOT: {
        const double h = hypot(a.v, b.v), h3 = h * h * h;
        return hd_chain2(a, b, h, a.v / h, b.v / h, b.v * b.v / h3, -a.v * b.v / h3, a.v * a.v / h3);
    }
    case OP_ATAN2: { /* atan2(a, b): the angle of (b, a) */
        const double d = a.v * a.v + b.v * b.v, d2 = d * d;
        return hd_chain2(a, b, atan2(a.v, b.v), b.v / d, -a.v / d, -2 * a.v * b.v / d2,
                         (a.v * a.v - b.v * b.v) / d2, 2 * a.v * b.v / d2);
    }
    default: { /* OP_POW, OP_POWF */
        if (hd_constant(b))
            return hd_pow_const(a, b.v);
        const double f = pow(a.v, b.v), l = log(a.v), fa = b.v * pow(a.v, b.v - 1);
        return hd_chain2(a, b, f, fa, f * l, b.v * (b.v - 1) * pow(a.v, b.v - 2),
                         pow(a.v, b.v - 1) * (1 + b.v * l), f * l * l);
    }
    }
}

void expr_derivs(const Expr *e, const double *p, double x, double y, double d[6])
{
    Hd st[STACK_MAX + 1];
    int top = -1;
    for (int i = 0; i < e->nops; i++) {
        const ExprOp *o = &e->ops[i];
        if (is_leaf(o->op)) {
            st[++top] = (Hd){ .v = leaf(e, o, p, x, y), .x = o->op == OP_X, .y = o->op == OP_Y };
        } else if (o->op == OP_IF) {
            top -= 2;
            const double c = st[top].v;
            st[top] = c != c ? hd_nan() : c != 0 ? st[top + 1] : st[top + 2];
        } else if (o->op == OP_POWC) {
            st[top] = hd_pow_const(st[top], e->consts[o->arg]);
        } else if (is_binary(o->op)) {
            top--;
            st[top] = hd_binary(o->op, st[top], st[top + 1]);
        } else {
            st[top] = hd_unary(o->op, st[top]);
        }
    }
    const Hd r = top == 0 ? st[0] : hd_nan();
    d[0] = r.v, d[1] = r.x, d[2] = r.y, d[3] = r.xx, d[4] = r.xy, d[5] = r.yy;
}

/* A dual number: a value with its gradient. Each rule below is hd_'s first-order part, the
 * same expressions in the same order, so the bits agree with expr_derivs'. */
typedef struct {
    double v, x, y;
} Du;

static Du du_chain(Du u, double g0, double g1)
{
    return (Du){ g0, g1 * u.x, g1 * u.y };
}

static Du du_chain2(Du a, Du b, double g, double fa, double fb)
{
    return (Du){ g, fa * a.x + fb * b.x, fa * a.y + fb * b.y };
}

static Du du_pow_const(Du u, double c)
{
    return du_chain(u, pow_const(u.v, c), c == 0 ? 0 : c * pow_const(u.v, c - 1));
}

static Du du_unary(int op, Du u)
{
    const double v = u.v;
    switch (op) {
    case OP_NEG: return (Du){ -u.v, -u.x, -u.y };
    case OP_SIN: return du_chain(u, sin(v), cos(v));
    case OP_COS: return du_chain(u, cos(v), -sin(v));
    case OP_TAN: {
        const double t = tan(v);
        return du_chain(u, t, 1 + t * t);
    }
    case OP_ASIN: return du_chain(u, asin(v), 1 / sqrt(1 - v * v));
    case OP_ACOS: return du_chain(u, acos(v), -1 / sqrt(1 - v * v));
    case OP_ATAN: return du_chain(u, atan(v), 1 / (1 + v * v));
    case OP_SINH: return du_chain(u, sinh(v), cosh(v));
    case OP_COSH: return du_chain(u, cosh(v), sinh(v));
    case OP_TANH: {
        const double t = tanh(v);
        return du_chain(u, t, 1 - t * t);
    }
    case OP_EXP: {
        const double x = exp(v);
        return du_chain(u, x, x);
    }
    case OP_LOG: return du_chain(u, log(v), 1 / v);
    case OP_LOG2: return du_chain(u, log2(v), 1 / (v * log(2.0)));
    case OP_LOG10: return du_chain(u, log10(v), 1 / (v * log(10.0)));
    case OP_SQRT: {
        const double s = sqrt(v);
        return du_chain(u, s, 0.5 / s);
    }
    case OP_FLOOR: return du_chain(u, floor(v), 0);
    case OP_CEIL: return du_chain(u, ceil(v), 0);
    default: /* OP_ABS */
        return du_chain(u, fabs(v), v > 0 ? 1 : v < 0 ? -1 : 0);
    }
}

static Du du_binary(int op, Du a, Du b)
{
    if (op >= OP_LT && op <= OP_NE)
        return (Du){ .v = binary(op, a.v, b.v) };
    switch (op) {
    case OP_ADD: return (Du){ a.v + b.v, a.x + b.x, a.y + b.y };
    case OP_SUB: return (Du){ a.v - b.v, a.x - b.x, a.y - b.y };
    case OP_MUL: return du_chain2(a, b, a.v * b.v, b.v, a.v);
    case OP_DIV: {
        const double r = 1 / b.v;
        return du_chain2(a, b, a.v / b.v, r, -a.v * r * r);
    }
    case OP_MIN:
    case OP_MAX: {
        const int first = op == OP_MIN ? a.v < b.v : a.v > b.v, second = op == OP_MIN ? b.v < a.v : b.v > a.v;
        return first ? a : second ? b : a.v == b.v ? (Du){ a.v, (a.x + b.x) / 2, (a.y + b.y) / 2 } : (Du){ NAN, NAN, NAN };
    }
    case OP_HYPOT: {
        const double h = hypot(a.v, b.v);
        return du_chain2(a, b, h, a.v / h, b.v / h);
    }
    default: { /* OP_ATAN2; powers with a varying exponent take expr_derivs' way */
        const double d = a.v * a.v + b.v * b.v;
        return du_chain2(a, b, atan2(a.v, b.v), b.v / d, -a.v / d);
    }
    }
}

void expr_grad(const Expr *e, const double *p, double x, double y, double d[3])
{
    if (e->var_pow) {
        double full[6];
        expr_derivs(e, p, x, y, full);
        d[0] = full[0], d[1] = full[1], d[2] = full[2];
        return;
    }
    Du st[STACK_MAX + 1];
    int top = -1;
    for (int i = 0; i < e->nops; i++) {
        const ExprOp *o = &e->ops[i];
        if (is_leaf(o->op)) {
            st[++top] = (Du){ .v = leaf(e, o, p, x, y), .x = o->op == OP_X, .y = o->op == OP_Y };
        } else if (o->op == OP_IF) {
            top -= 2;
            const double c = st[top].v;
            st[top] = c != c ? (Du){ NAN, NAN, NAN } : c != 0 ? st[top + 1] : st[top + 2];
        } else if (o->op == OP_POWC) {
            st[top] = du_pow_const(st[top], e->consts[o->arg]);
        } else if (is_binary(o->op)) {
            top--;
            st[top] = du_binary(o->op, st[top], st[top + 1]);
        } else {
            st[top] = du_unary(o->op, st[top]);
        }
    }
    const Du r = top == 0 ? st[0] : (Du){ NAN, NAN, NAN };
    d[0] = r.v, d[1] = r.x, d[2] = r.y;
}

#define MINIMA_GRID 16
#define MINIMA_ITERS 60
#define MINIMA_RING 1e-6 /* the ring a minimum's Hessian is checked on, as a share of the box */

/* The smaller eigenvalue of the Hessian { f_xx, f_xy, f_yy } in d[3..5]. */
static double lambda_min(const double d[6])
{
    return 0.5 * (d[3] + d[5]) - hypot(0.5 * (d[3] - d[5]), d[4]);
}

/* Whether the Hessian at pt is positive definite by more than it changes on a small ring
 * around it. Newton's method creeps towards a degenerate critical point too, and stops
 * just beside it where the Hessian is barely positive: x^3 + y^2 near (1e-12, 0), whose
 * f_xx = 6x turns negative across it, or x^4 + y^2, whose f_xx vanishes there. */
static int hessian_definite(const Expr *e, const double *p, const double pt[2], const double d[6], double size)
{
    static const double dirs[8][2] = { { 1, 0 }, { 0.70710678118654752, 0.70710678118654752 }, { 0, 1 },
                                       { -0.70710678118654752, 0.70710678118654752 }, { -1, 0 },
                                       { -0.70710678118654752, -0.70710678118654752 }, { 0, -1 },
                                       { 0.70710678118654752, -0.70710678118654752 } };
    const double lmin = lambda_min(d), r = MINIMA_RING * size;
    if (!(lmin > 0))
        return 0;
    for (int k = 0; k < 8; k++) {
        double q[6];
        expr_derivs(e, p, pt[0] + r * dirs[k][0], pt[1] + r * dirs[k][1], q);
        /* The change's Frobenius norm bounds how far any eigenvalue can move. */
        const double change = sqrt((q[3] - d[3]) * (q[3] - d[3]) + 2 * (q[4] - d[4]) * (q[4] - d[4]) +
                                   (q[5] - d[5]) * (q[5] - d[5]));
        if (!(change < 0.5 * lmin))
            return 0;
    }
    return 1;
}

/* Newton's method where the Hessian is positive definite, a bounded gradient step where it
 * is not; converged when the step is tiny against the box. */
static int newton(const Expr *e, const double *p, WorldBox box, double pt[2])
{
    const double w = box.x1 - box.x0, h = box.y1 - box.y0, reach = 0.05 * fmax(w, h);
    double d[6];
    for (int it = 0; it < MINIMA_ITERS; it++) {
        expr_derivs(e, p, pt[0], pt[1], d);
        for (int k = 0; k < 6; k++)
            if (!isfinite(d[k]))
                return 0;
        const double det = d[3] * d[5] - d[4] * d[4];
        double sx, sy;
        if (d[3] > 0 && det > 0) {
            sx = -(d[5] * d[1] - d[4] * d[2]) / det;
            sy = -(d[3] * d[2] - d[4] * d[1]) / det;
        } else {
            const double g = hypot(d[1], d[2]);
            if (g == 0)
                return 0; /* a saddle or a maximum: no way down from here */
            sx = -d[1] / g * reach;
            sy = -d[2] / g * reach;
        }
        const double len = hypot(sx, sy);
        if (len > reach)
            sx *= reach / len, sy *= reach / len;
        pt[0] += sx;
        pt[1] += sy;
        if (pt[0] < box.x0 - w || pt[0] > box.x1 + w || pt[1] < box.y0 - h || pt[1] > box.y1 + h)
            return 0;
        if (len < 1e-12 * fmax(w, h) && d[3] > 0 && det > 0)
            break;
    }
    expr_derivs(e, p, pt[0], pt[1], d);
    const double det = d[3] * d[5] - d[4] * d[4];
    const int in_box = pt[0] >= box.x0 && pt[0] <= box.x1 && pt[1] >= box.y0 && pt[1] <= box.y1;
    return in_box && d[3] > 0 && det > 0 && hypot(d[1], d[2]) < 1e-6 * (1 + fabs(d[0])) &&
           hessian_definite(e, p, pt, d, fmax(w, h));
}

int expr_minima(const Expr *e, const double *p, WorldBox box, double (*out)[2], int max)
{
    double found[MINIMA_GRID * MINIMA_GRID][3];
    int n = 0;
    const double w = box.x1 - box.x0, h = box.y1 - box.y0;
    for (int j = 0; j < MINIMA_GRID; j++) {
        for (int i = 0; i < MINIMA_GRID; i++) {
            double pt[2] = { box.x0 + w * (i + 0.5) / MINIMA_GRID, box.y0 + h * (j + 0.5) / MINIMA_GRID };
            if (!newton(e, p, box, pt))
                continue;
            int dup = 0;
            for (int k = 0; k < n && !dup; k++)
                dup = fabs(found[k][0] - pt[0]) < 1e-5 * w && fabs(found[k][1] - pt[1]) < 1e-5 * h;
            if (!dup) {
                found[n][0] = pt[0];
                found[n][1] = pt[1];
                found[n][2] = expr_value(e, p, pt[0], pt[1]);
                n++;
            }
        }
    }
    /* Lowest first, by insertion: n is small. */
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && found[k][2] < found[k - 1][2]; k--)
            for (int c = 0; c < 3; c++) {
                const double t = found[k][c];
                found[k][c] = found[k - 1][c];
                found[k - 1][c] = t;
            }
    n = n < max ? n : max;
    for (int i = 0; i < n; i++)
        out[i][0] = found[i][0], out[i][1] = found[i][1];
    return n;
}
