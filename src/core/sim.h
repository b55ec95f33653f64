/* Side-by-side runs: every run starts from the same point of the same function and takes
 * one optimizer step per sim_step. Runs that blow up are marked diverged and stop. */
#ifndef OPTISCOPE_SIM_H
#define OPTISCOPE_SIM_H

#include <stdint.h>
#include <stdio.h>

#include "label.h"
#include "optim.h"
#include "sched.h"
#include "spec.h"

#define SIM_MAX_RUNS 9
#define SIM_LIMIT 1e6 /* a point beyond |x| or |y| of this has diverged */

typedef struct {
    Spec opt, sched;   /* opt.label is the label's template; sim_label fills it */
    char name[LABEL_TEXT_MAX]; /* the label as it read when the run was added: the trace's
                                  one name for the run over all its rows */
    int twin;          /* n >= 2 when the label read like an earlier run's at that moment:
                          "-n" follows it, so no two runs start with one label */
    OptimState ost;
    SchedState sst;
    double x, y, loss; /* the current point */
    double g[2];       /* gradient at the current point, noise included */
    double group_lr;   /* the schedule's lr for the next update (torch's param_group lr) */
    double lr;         /* step size the next update will use: group_lr, or what the
                          optimizer makes of it (Prodigy's d·lr, schedule-free's warmup) */
    double lr_used;    /* lr the last update used; the initial lr before any */
    double momentum;   /* momentum (or beta1) a cycling schedule sets for the next update;
                          NaN when the optimizer's own applies */
    int lr_still;      /* no schedule nor the optimizer moves the lr from step to step, so a
                          step leaves lr, group_lr and momentum as they are (sim_refresh_lr
                          sets it, and every change of the run's specs calls that) */
    long step;         /* updates done */
    double moved[2];   /* the last update's move (x, y); 0 before any. Its length is taken
                          where it is read (sim_step_length): hypot on every step costs a tenth
                          of the simulation's time */
    int diverged;      /* the update numbered step + 1 left the finite world, or could not
                          be taken (sim_halt_text says why, e.g. newton's singular Hessian) */
    int hidden;
    unsigned id;       /* which run this is over live edits (1, 2, ...; never reused in a Sim):
                          the session's trails follow it when runs are added or removed */
    uint64_t rng;
    /* Minibatches (opt.batch > 0 on a loss over data): the next update's batch is batch k of
     * epoch e, drawn from the scene's seed (data_batch), so the pair is all a copy of the run
     * needs to go on with the same batches; batch_loss is that batch's loss at the point. */
    long epoch, batch;
    double batch_loss;
} Run;

typedef struct {
    Spec func;
    double start[2];
    double noise; /* standard deviation of Gaussian noise added to every gradient */
    uint64_t seed;
    int nruns;
    unsigned last_id; /* the id the newest run was given */
    Run runs[SIM_MAX_RUNS];
} Sim;

void sim_init(Sim *sim, const Spec *func, const double start[2], double noise, uint64_t seed);
/* Adds a run; a label that reads like another run's gets -2, -3, ... Returns -1 with a
 * message when full. */
int sim_add_run(Sim *sim, const Spec *opt, const Spec *sched, char *err, size_t errlen);
/* Every run back to the start point with fresh optimizer and schedule state. */
void sim_restart(Sim *sim);
void sim_restart_run(Sim *sim, int i);
/* One update of every live run. Returns a bit mask of the runs that diverged in it. */
unsigned sim_step(Sim *sim);
int sim_live_runs(const Sim *sim);
/* The run as its next update leaves it, on a copy (its noise stream copied too, so the
 * update is the one sim_step will take); -1 when it diverged or would. */
int sim_next(const Sim *sim, const Run *r, Run *next);

/* How far the last update moved the point; 0 before any. */
double sim_step_length(const Run *r);

/* Whether the run draws minibatches: a batch_size on a loss over data. */
int sim_batched(const Sim *sim, const Run *r);

/* The run's base lr (the optimizer's lr hyperparameter). */
double sim_base_lr(const Run *r);
/* Multiplies the run's lr; it applies from the next update, keeping optimizer state. */
void sim_scale_lr(Run *r, double factor);
/* Sets any optimizer hyperparameter, range-checked; the lr of the next update follows. */
int sim_set_hyper(Run *r, int param, double value, char *err, size_t errlen);
/* Swaps the schedule (it starts over from here) or the optimizer (fresh state, the
 * same lr), without moving the run. A schedule that would cycle the momentum of an
 * optimizer that has none gets cycle_momentum=0 (torch refuses the pair; sim_add_run
 * does too). */
void sim_set_schedule(Sim *sim, int i, const Spec *sched);
void sim_set_optimizer(Sim *sim, int i, const Spec *opt);
/* The optimizer replaced by `opt` as given (its lr, its label, its batch size), fresh state
 * at the run's point, as sim_set_optimizer does. */
void sim_replace_optimizer(Sim *sim, int i, const Spec *opt);
/* The run's label template (checked by the caller, label_check); "-n" is found again. */
void sim_set_label(Sim *sim, int i, const char *label);
/* The function changed under the runs (its parameters): they go on from where they are, each
 * live run's loss and gradient taken again there. */
void sim_set_function(Sim *sim, const Spec *func);
/* Run i's loss and gradient taken again where it stands, on the function as it is. */
void sim_sample_run(Sim *sim, int i);
/* Recomputes the next lr after a hyperparameter or schedule parameter changed. */
void sim_refresh_lr(Run *r);

/* The run's label with the values of the moment (its optimizer's name when it has none);
 * sim_label_widest writes the numbers that move by themselves ({lr} under a schedule, a
 * momentum a schedule cycles) in their widest form, for measuring. */
void sim_label(const Run *r, char *buf, size_t len);
void sim_label_widest(const Run *r, char *buf, size_t len);
/* Whether the run's lr changes from step to step by itself: a schedule, or an optimizer that
 * sets its own step (Prodigy's d·lr, schedule-free's warmup). */
int sim_lr_moves(const Run *r);

/* What to tell when a run stops (stderr, the message on screen): "adam diverged at step
 * 37", or "newton stopped at step 2: singular Hessian". The step is the update that
 * failed, always run->step + 1; the run's point and the dump's step are run->step. */
void sim_stop_text(const Run *r, char *buf, size_t len);
/* Why a stopped run could not take its next update ("singular Hessian", "the schedule gave
 * lr -0.01"); empty when it flew off or has not stopped. */
void sim_halt_text(const Run *r, char *buf, size_t len);

/* CSV trace: header, then one row per run for its current point. */
void sim_trace_header(FILE *out, const Sim *sim);
void sim_trace_row(FILE *out, const Run *r);

#endif
