/* The runs' past, so a lecture can step back: a copy of the whole simulation (optimizer
 * state, schedule state, noise streams) every `interval` steps and wherever a live change
 * was made, with marks of the trails and plots. Going back restores the latest copy at or
 * before the step wanted and steps forward from it, so what shows at step t is what showed
 * when the runs first reached it. The copies live in a fixed array: when it fills, every
 * other periodic copy goes and the interval doubles, so a million steps cost no more
 * memory than a thousand and a step back replays at most `interval` steps. */
#ifndef OPTISCOPE_TIMELINE_H
#define OPTISCOPE_TIMELINE_H

#include "../core/sim.h"
#include "../core/trail.h"

#define TIMELINE_CHECKPOINTS 160
#define TIMELINE_INTERVAL 32

typedef struct {
    long tick;  /* steps since the runs (re)started */
    int change; /* taken just after a live change: never thinned, and stepping forward
                   through this step again takes the change again */
    Sim sim;
    TrailMark trail[SIM_MAX_RUNS];
    HistoryMark hist[SIM_MAX_RUNS];
} Checkpoint;

typedef struct {
    /* The copies stay in their slots, in no order, and at[] orders them: thinning moves
     * indices, not copies of a hundred kilobytes each. */
    Checkpoint cp[TIMELINE_CHECKPOINTS];
    int at[TIMELINE_CHECKPOINTS]; /* the slot of each copy, in order of tick, one per tick at most */
    int n;
    long interval;
    long head; /* the farthest step reached since the last change */
} Timeline;

/* Forgets the past; the state given is step 0. */
void timeline_reset(Timeline *tl, const Sim *sim, const Trail *trails, const History *hist);
/* After every step: keeps a copy when the step is due one. */
void timeline_stepped(Timeline *tl, long tick, const Sim *sim, const Trail *trails, const History *hist);
/* A live change at `tick`: the future recorded beyond it is dropped and this state kept. */
void timeline_changed(Timeline *tl, long tick, const Sim *sim, const Trail *trails, const History *hist);
/* The latest copy at or before `tick`, or NULL. */
const Checkpoint *timeline_before(const Timeline *tl, long tick);
/* The change made at exactly `tick` that is still ahead of the state, or NULL. */
const Checkpoint *timeline_change_at(const Timeline *tl, long tick);
/* dst becomes a copy of src. */
void timeline_copy(Timeline *dst, const Timeline *src);

#endif
