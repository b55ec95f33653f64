/* Learning-rate schedules: torch.optim.lr_scheduler's rules (PyTorch 2.6) plus the classic textbook
 * ones. A schedule sees each point the run arrives at (sched_observe) and then says what
 * lr the next update uses (sched_lr), so changing the base lr live needs no replay. */
#ifndef OPTISCOPE_SCHED_H
#define OPTISCOPE_SCHED_H

#include "spec.h"

typedef struct {
    long t;          /* updates done so far (PyTorch's last_epoch) */
    double scale;    /* plateau, bold_driver: current lr over the base lr; expr: the last
                        update's lr over the base lr */
    double best;     /* plateau: best loss seen */
    long bad;        /* plateau: steps without improvement */
    long cooldown;   /* plateau: steps left in cooldown */
    double last_loss;
    double grad_sum; /* grad_scaled: sum of squared gradient norms */
    double prev_loss; /* expr: the loss before last_loss (last_loss at the start) */
    double gnorm;    /* expr: the norm of the gradient at the current point */
} SchedState;

typedef enum { TUNE_NONE, TUNE_ADD, TUNE_MUL } TuneKind;

typedef struct {
    SpecKind kind;
    int (*check)(const Spec *s, char *err, size_t errlen);
    void (*observe)(const Spec *s, SchedState *st, double base, double loss, double grad_norm2);
    /* The lr after t of the schedule's own steps (t lags st->t under warmup). */
    double (*lr)(const Spec *s, const SchedState *st, long t, double base);
    /* The momentum (or beta1) it sets after t steps, NaN when it does not cycle it. */
    double (*momentum)(const Spec *s, long t);
    /* Where a warmup climbs to, when not the optimizer's lr (onecycle: its initial lr). */
    double (*warm_target)(const Spec *s, double base);
    /* What the decay keys turn: a parameter index, and a step added or multiplied. */
    int tune;
    TuneKind tune_kind;
    double tune_step;
} SchedDef;

extern const SpecTable sched_table;

const SchedDef *sched_def(int kind);
int sched_parse(const char *text, Spec *out, char *err, size_t errlen);
int sched_check(const Spec *s, char *err, size_t errlen);
/* The expr row's parse_text and format_text (SpecKind): `expr:FORMULA`, a formula of t
 * (updates done), lr0 (the base lr), lr (the last update's lr, lr0 at first), loss and
 * gnorm (at the current point) and prev_loss (at the point before; loss at first). */
int sched_expr_parse(const char *rest, Spec *out, char *err, size_t errlen);
void sched_expr_format(const Spec *s, int brief, char *buf, size_t len);

/* Starts at the run's first point (loss and squared gradient norm there). */
void sched_start(const Spec *s, SchedState *st, double base, double loss, double grad_norm2);
/* After each update: the point the run arrived at. */
/* A typed schedule set on a run that has moved starts from the lr the run has (its `lr`
 * is that at the first update, not lr0); other schedules start from their beginning. */
void sched_carry(const Spec *s, SchedState *st, double base, double lr);
void sched_advance(const Spec *s, SchedState *st, double base, double loss, double grad_norm2);
/* The lr of the next update, for base lr `base` (the optimizer's lr). */
double sched_lr(const Spec *s, const SchedState *st, double base);

/* Whether the lr changes by itself from step to step: any schedule but constant without
 * warmup. */
int sched_lr_moves(const Spec *s);

/* The momentum (or beta1) the next update uses when the schedule cycles it (onecycle and
 * cyclic with cycle_momentum=1, as torch's OneCycleLR and CyclicLR do by default); NaN
 * when the optimizer's own applies. */
double sched_momentum(const Spec *s, const SchedState *st);
/* The index of cycle_momentum for schedules that can cycle it, else -1. */
int sched_cycle_param(const Spec *s);

/* Turns the main decay parameter one notch (dir = +1 or -1), kept in its valid range.
 * Returns 0 when it changed, -1 when the schedule has nothing to turn or is at a limit. */
int sched_tune(Spec *s, int dir);

#endif
