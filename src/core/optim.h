/* Optimizers with torch.optim's update rules (PyTorch 2.6), hyperparameter names and
 * defaults, and the few torch lacks as their authors' code has them. One row of
 * optim_rows (optim.c) per optimizer; the update works on a 2-vector. */
#ifndef OPTISCOPE_OPTIM_H
#define OPTISCOPE_OPTIM_H

#include "spec.h"

/* Parameter index 0 is `lr` for every optimizer: each table's enum starts after it. */
enum { OPTIM_LR = 0 };

#define OPTIM_HISTORY_MAX 100 /* lbfgs: the largest history_size */
#define OPTIM_TRIALS_MAX 32   /* lbfgs: points one strong-Wolfe line search may try (25 + 1) */

/* L-BFGS's memory between steps, as torch keeps it in optimizer.state. */
typedef struct {
    long func_evals;                 /* closure calls: one a step, plus the line search's */
    long n_iter;
    double d[2], t;                  /* last direction and step length */
    double prev_g[2], prev_loss;
    double h_diag;
    double dirs[OPTIM_HISTORY_MAX][2], stps[OPTIM_HISTORY_MAX][2], ro[OPTIM_HISTORY_MAX];
    int nold;
    /* The two-loop recursion's coefficients, kept as torch keeps them: history_size slots
     * from the first recursion on, NaN (torch's None) where none was computed yet. */
    double al[OPTIM_HISTORY_MAX];
    int nal;
} LbfgsState;

/* Per-run optimizer state, zeroed at (re)start. The slots mean what each rule says. */
typedef struct {
    long step;
    double m[2], v[2], w[2]; /* moment buffers (exp_avg, exp_avg_sq, max / acc_delta) */
    int started;             /* momentum buffer (or schedule-free's y and z) exists */
    double mu_product;       /* NAdam */
    double eta, mu;          /* ASGD's step size and averaging rate */
    /* Schedule-free: y, where the gradient is taken, and z, the base sequence; the run's
     * point is the average x between them. */
    double y[2], z[2];
    double weight_sum, lr_max;
    /* Prodigy: d, its estimate of the distance to the solution, and what makes it. */
    double d, d_max, d_numerator, s[2], p0[2];
    LbfgsState lbfgs;
    /* Points the last strong-Wolfe line search evaluated, in order (the last is where
     * the step went, unless the search moved back to an earlier one). */
    double trials[OPTIM_TRIALS_MAX][2];
    int ntrials;
    int indefinite; /* newton: the last Hessian (plus damping) was not positive definite */
    const char *halt; /* why the run could not step (newton: singular Hessian), or NULL */
} OptimState;

/* What a step may know of the function besides the gradient: the loss at the point, and
 * callbacks for rules that look again (L-BFGS's line search) or at curvature (Newton). */
typedef struct OptimEval {
    double loss;  /* at the run's point */
    double g[2];  /* gradient where optim_probe said, noise included */
    /* Loss and gradient at p; the gradient draws noise from the run's own stream, as
     * every gradient does, so a noisy run stays reproducible. */
    double (*eval)(const struct OptimEval *e, const double p[2], double g[2]);
    /* Exact Hessian at p: hxx, hxy, hyy. */
    void (*hessian)(const struct OptimEval *e, const double p[2], double h[3]);
    void *ctx;
} OptimEval;

/* Points a run shows besides its own, faintly. */
typedef enum { MARK_SF_Y, MARK_SF_Z, MARK_LINE_SEARCH } OptimMarkKind;
typedef struct {
    OptimMarkKind kind;
    double x, y;
} OptimMark;

/* One entry of a run's state as torch keeps it in optimizer.state[p] (or the authors' code
 * in its state): a number (counters included), a vector [x, y], or L-BFGS's lists. */
typedef enum { OPTIM_VALUE_NUMBER, OPTIM_VALUE_VECTOR, OPTIM_VALUE_VECTORS, OPTIM_VALUE_NUMBERS } OptimValueKind;
typedef struct {
    const char *name;
    OptimValueKind kind;
    double v[2];        /* a number or a vector */
    const double *list; /* the list kinds: count numbers, or count [x, y] pairs */
    int count;
} OptimStateEntry;

#define OPTIM_STATE_MAX 12 /* the most entries one rule's state has */

typedef struct {
    SpecKind kind;
    /* Cross-parameter rules beyond each value's range (e.g. nesterov needs momentum). */
    int (*check)(const double *h, char *err, size_t errlen);
    void (*init)(const double *h, OptimState *st);
    /* A rule that needs only the gradient: one update of x at learning rate lr. */
    void (*update)(const double *h, OptimState *st, double lr, double x[2], const double g[2]);
    /* A rule that evaluates more (or may refuse): returns 0, or -1 with st->halt set. */
    int (*step)(const double *h, OptimState *st, double lr, double x[2], const OptimEval *e);
    /* Where the gradient is taken when not at the run's point (schedule-free's y). */
    void (*probe)(const OptimState *st, const double x[2], double p[2]);
    /* The step size the next update takes, when it is not the lr given (Prodigy's d·lr,
     * schedule-free's warmup). */
    double (*step_lr)(const double *h, const OptimState *st, double lr);
    /* The state's entries under torch's names for these settings; NULL: none (Newton). */
    int (*state)(const double *h, const OptimState *st, OptimStateEntry *out);
    int momentum; /* parameter index turned by the momentum key and cycled by schedules; -1 none */
} OptimDef;

extern const SpecTable optim_table;

const OptimDef *optim_def(int kind);
/* Parses a spec and checks the rules between parameters. */
int optim_parse(const char *text, Spec *out, char *err, size_t errlen);
int optim_check(const Spec *s, char *err, size_t errlen);
void optim_init(const Spec *s, OptimState *st);
/* One update at learning rate lr. momentum, when not NaN, replaces the momentum (or beta1)
 * hyperparameter for this update, as a schedule that cycles it sets the param_group.
 * Returns 0, or -1 when the rule cannot step (st->halt says why). */
int optim_step(const Spec *s, OptimState *st, double lr, double momentum, double x[2], const OptimEval *e);
/* Where the next gradient must be taken for a run at x (x itself for most rules). */
void optim_probe(const Spec *s, const OptimState *st, const double x[2], double p[2]);
/* The step size the next update takes for schedule lr `lr` (lr itself for most rules):
 * what the trace's lr column and the legend show. */
double optim_step_lr(const Spec *s, const OptimState *st, double lr);
/* Prodigy's d (its distance estimate), or NaN for the other rules. */
double optim_prodigy_d(const Spec *s, const OptimState *st);
/* Points to draw faintly beside the run's own: schedule-free's y and z, the points the
 * last line search tried. Returns how many were written (at most max). */
int optim_marks(const Spec *s, const OptimState *st, OptimMark *out, int max);

/* The run's state as torch.optim keeps it in optimizer.state[p] for these settings, under
 * torch's names (the authors' names for the rules torch lacks), read from the rule's own
 * buffers: empty before the state exists, and a key torch stores as None is left out.
 * Returns how many entries were written (at most OPTIM_STATE_MAX). */
int optim_state(const Spec *s, const OptimState *st, OptimStateEntry out[OPTIM_STATE_MAX]);

#endif
