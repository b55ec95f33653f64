/* Optimizers with torch.optim's update rules, hyperparameter names and defaults.
 * One row of optim_rows (optim.c) per optimizer; the update works on a 2-vector. */
#ifndef OPTISCOPE_OPTIM_H
#define OPTISCOPE_OPTIM_H

#include "spec.h"

/* Parameter index 0 is `lr` for every optimizer: each table's enum starts after it. */
enum { OPTIM_LR = 0 };

/* Per-run optimizer state, zeroed at (re)start. The slots mean what each rule says. */
typedef struct {
    long step;
    double m[2], v[2], w[2]; /* moment buffers (exp_avg, exp_avg_sq, max / acc_delta) */
    int started;             /* momentum buffer exists */
    double mu_product;       /* NAdam */
} OptimState;

typedef struct {
    SpecKind kind;
    /* Cross-parameter rules beyond each value's range (e.g. nesterov needs momentum). */
    int (*check)(const double *h, char *err, size_t errlen);
    void (*init)(const double *h, OptimState *st);
    /* One update of x with gradient g at learning rate lr (the schedule's value). */
    void (*step)(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
    int momentum;    /* parameter index turned by the momentum key */
} OptimDef;


extern const SpecTable optim_table;

const OptimDef *optim_def(int kind);
/* Parses a spec and checks the rules between parameters. */
int optim_parse(const char *text, Spec *out, char *err, size_t errlen);
int optim_check(const Spec *s, char *err, size_t errlen);
void optim_init(const Spec *s, OptimState *st);
void optim_step(const Spec *s, OptimState *st, double lr, double x[2], const double g[2]);

#endif
