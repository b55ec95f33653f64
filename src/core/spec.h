/* Specs: `NAME[:KEY=VALUE[,KEY=VALUE...]]`, checked against a table of kinds whose rows
 * describe every parameter (type, default, valid range). Functions, optimizers and
 * schedules share this one parser, so their error messages and help read alike. */
#ifndef OPTISCOPE_SPEC_H
#define OPTISCOPE_SPEC_H

#include <stddef.h>

#include "box.h"
#include "expr.h"

#define SPEC_MAX_PARAMS 16
#define SPEC_MAX_LIST 16
#define SPEC_LABEL_CHARS 31
#define SPEC_LABEL_MAX (4 * SPEC_LABEL_CHARS + 1) /* bytes: UTF-8 takes up to 4 a character */
#define SPEC_FILE_MAX 256

typedef enum { PARAM_REAL, PARAM_INT, PARAM_BOOL, PARAM_LIST, PARAM_CHOICE } ParamType;

enum { PARAM_LO_OPEN = 1, PARAM_HI_OPEN = 2, PARAM_WARMUP = 4 /* a schedule's warmup (sched.c) */ };

typedef struct {
    const char *name;
    ParamType type;
    double def;
    double lo, hi;       /* valid range, inclusive unless flagged open */
    unsigned flags;
    const char *choices; /* PARAM_CHOICE: "cos|linear"; the value is the index */
} ParamDef;

/* The one way to write a parameter row, for functions, optimizers and schedules alike.
 * Each table names its indices in an enum and fills the array with designated
 * initializers, `[ONECYCLE_DIV] = REAL("div_factor", 25, 0, 1e9, PARAM_LO_OPEN)`, so adding
 * a parameter cannot shift another; a forgotten index leaves a row without a name, which
 * the tests catch. */
#define REAL(n, d, l, h, fl) { .name = (n), .type = PARAM_REAL, .def = (d), .lo = (l), .hi = (h), .flags = (fl) }
#define INT(n, d, l, h) { .name = (n), .type = PARAM_INT, .def = (d), .lo = (l), .hi = (h) }
#define BOOL(n, d) { .name = (n), .type = PARAM_BOOL, .def = (d), .lo = 0, .hi = 1 }
#define CHOICE(n, list) { .name = (n), .type = PARAM_CHOICE, .lo = 0, .hi = 0, .choices = (list) }
#define LIST(n, l, h) { .name = (n), .type = PARAM_LIST, .lo = (l), .hi = (h) }

struct Spec;

/* The first member of every table row (FuncDef, OptimDef, SchedDef). A kind with a syntax
 * of its own (the expr function) parses and writes back everything after its "NAME:"
 * through the two hooks; other kinds leave them NULL. */
typedef struct {
    const char *name;
    const char *summary;
    const ParamDef *params;
    int nparams;
    int (*parse_text)(const char *rest, struct Spec *out, char *err, size_t errlen);
    void (*format_text)(const struct Spec *s, int brief, char *buf, size_t len);
} SpecKind;

/* A SpecKind from a parameter array (sized by its enum's count) or from none. */
#define SPEC_KIND(n, sum, p) { .name = (n), .summary = (sum), .params = (p), .nparams = (int)(sizeof(p) / sizeof((p)[0])) }
#define SPEC_KIND0(n, sum) { .name = (n), .summary = (sum), .params = NULL, .nparams = 0 }

/* What a kind with its own syntax keeps: a formula and the parameters it names (values in
 * Spec.v), its view and start if given. Plain zero-filled arrays, so a Spec still copies
 * by value and compares with memcmp; prog points at the formula's one shared program
 * (expr_shared), the same for every spec with the same formula and names. */
typedef struct {
    char formula[EXPR_TEXT_MAX + 1];
    char names[EXPR_PARAMS_MAX][EXPR_NAME_MAX];
    int nnames;
    int has_view, has_start;
    WorldBox view;
    double start[2];
    char file[SPEC_FILE_MAX]; /* a loss over data (linreg, logreg): the data file named */
    const Expr *prog;         /* the formula compiled by its parse; NULL: compiled where evaluated */
} SpecText;

typedef struct Spec {
    int kind;                  /* row index in the table it was parsed against */
    double v[SPEC_MAX_PARAMS]; /* by parameter index; defaults filled in */
    unsigned given;            /* bit i set: parameter i was written explicitly */
    double list[SPEC_MAX_LIST];
    int nlist;
    char label[SPEC_LABEL_MAX]; /* only where allowed; empty otherwise */
    SpecText text;              /* only for kinds with parse_text; zero otherwise */
    long batch;                 /* an optimizer's batch_size=B: rows a step's gradient averages;
                                   0: all of them (tables with allow_batch) */
    /* A loss over data: the data set text.file names, borrowed from the DataStore that read
     * it (config.c binds it); NULL before that. */
    const struct Data *data;
} Spec;

/* A table is seen through its first row and its stride, so each module keeps its own
 * row type. */
typedef struct {
    const SpecKind *first;
    size_t stride;
    int count;
    const char *what; /* "function", "optimizer", "schedule" */
    int allow_label;
    int allow_batch; /* batch_size=B, a run's minibatches (optimizers) */
} SpecTable;

const SpecKind *spec_kind(const SpecTable *t, int i);
int spec_find(const SpecTable *t, const char *name);
int spec_param_index(const SpecKind *k, const char *name);

/* Fills every parameter with its default. */
void spec_defaults(const SpecTable *t, int kind, Spec *out);

/* Returns 0 on success; otherwise -1 and a one-line message in err. */
int spec_parse(const SpecTable *t, const char *text, Spec *out, char *err, size_t errlen);

/* Checks one value against its parameter's range; message names the kind and key. */
int spec_check_value(const SpecKind *k, int param, double v, char *err, size_t errlen);

/* Writes the spec back in the same syntax, with every non-default parameter, each value
 * exactly (it parses back the same). */
void spec_format(const SpecTable *t, const Spec *s, char *buf, size_t len);
/* The same with values to 6 digits, for the screen. */
void spec_format_brief(const SpecTable *t, const Spec *s, char *buf, size_t len);

/* One value as spec_format (exact: the shortest of 10 or 17 digits that reads back the
 * same) or spec_format_brief (6 digits) writes it. */
void spec_format_value(char *out, size_t len, double v, int brief);

/* "sgd, adam, ..." */
void spec_list_names(const SpecTable *t, char *buf, size_t len);

/* Strict number parsing shared with the command line: the whole string, finite. */
int spec_number(const char *text, double *out);

/* Text for the screen and the dump (a label, a title): 1 to max_chars characters of valid
 * UTF-8, without control characters, quotes or backslashes. Messages start with `what`. */
int spec_check_text(const char *what, const char *text, int max_chars, char *err, size_t errlen);

/* A value exactly: the shortest of 10 or 17 significant digits that reads back the same. */
void spec_format_number(char *out, size_t len, double v);

#endif
