/* Why this step: a run's next update taken apart (the plain gradient step, the momentum or
 * first-moment term, an adaptive rule's per-coordinate step size, the step itself) and its
 * rule written as torch's documentation writes it, each line with this update's values.
 * The update is the one sim_step takes next (sim_next, on a copy); the rule's buffers are
 * read from the state it leaves, by the names optim_state gives them, so the panel's
 * numbers are those the dump reports once the step is taken. */
#ifndef OPTISCOPE_INTERNALS_H
#define OPTISCOPE_INTERNALS_H

#include "sim.h"

typedef struct {
    long t;               /* the update's number: the run's step + 1 */
    double point[2];      /* where the run is */
    double next[2];       /* where the update takes it */
    double grad_step[2];  /* -lr·g: the plain gradient step at this lr (g as the rule sees it, noise included) */
    double step[2];       /* next - point: the step actually taken */
    int has_momentum;
    double momentum[2];   /* the momentum (SGD, RMSprop, QHM: what the buffer carries) or the
                             first-moment term (the Adam family: -lr·m̂) */
    int has_scale;
    double scale[2];      /* per coordinate: the step one unit of gradient buys, lr/(√v̂+ε) or
                             its analogue; Rprop: its step sizes themselves */
} Internals;

/* The phases of an update, as the slow motion shows them and the rule's lines belong to them. */
enum {
    INTERNALS_PHASE_GRADIENT = 1, /* the gradient, weight decay in */
    INTERNALS_PHASE_MOMENTS,      /* the buffers: momentum, moments, sums */
    INTERNALS_PHASE_SCALING,      /* what the buffers make of it: corrections, per-coordinate sizes */
    INTERNALS_PHASE_STEP,         /* the step itself */
};

#define INTERNALS_LINES_MAX 8

/* One line of the rule: the formula, and this update's values (none, one number, or x and y). */
typedef struct {
    const char *formula;
    int values; /* 0, 1 or 2 */
    double v[2];
    int phase;  /* INTERNALS_PHASE_* */
} RuleLine;

typedef struct {
    int n;
    RuleLine line[INTERNALS_LINES_MAX];
} Rule;

/* Run r's next update taken apart, and (rule not NULL) its rule's lines; -1 when the run
 * cannot take one (it diverged, or would in this update). */
int internals_of(const Sim *sim, const Run *r, Internals *out, Rule *rule);

/* The factor the arrows are drawn at: 1, or the smallest of 2, 5, 10, 20, ... (up to 1e6)
 * that makes the longest of them at least `least` pixels, where a world unit is `ux`
 * pixels along x and `uy` along y. */
double internals_arrow_scale(const Internals *in, double ux, double uy, double least);

/* Whether the optimizer named has a rule of its own here (the others list their state). */
int internals_has_rule(const char *optimizer);

#endif
