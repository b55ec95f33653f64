/* What a run leaves behind, in bounded memory however long it goes: the path, kept as
 * few points that stay within a tolerance of every point it went through and thinned
 * where it matters least when full, and the loss and lr history for the plots (every
 * stride-th step; when full, every other entry goes and the stride doubles). */
#ifndef OPTISCOPE_TRAIL_H
#define OPTISCOPE_TRAIL_H

#include <stddef.h>
#include <stdint.h>

#define TRAIL_POINTS 32768
#define TRAIL_CROWD_SLOTS 512
#define HISTORY_ENTRIES 4096

/* Sleeve fitting (Zhao and Saalfeld, 1997) of points arriving one by one: from the anchor,
 * the directions that pass within tol of every point added since form a wedge, narrowed
 * by each point. While a point can be added, one straight segment from the anchor to it
 * stays within tol of all the points in between, which need not be kept. Trails use it in
 * world units, canvas polylines in pixels. */
typedef struct {
    double ax, ay;         /* the anchor */
    double lx, ly, rx, ry; /* the wedge's clockwise and counter-clockwise edges, unit vectors */
    double far;            /* the farthest distance beyond tol from the anchor so far, else 0 */
    double tol;
    int wedge;             /* 0 until a point farther than tol sets the wedge */
} TrailSleeve;

void trail_sleeve_start(TrailSleeve *s, double tol, double ax, double ay);
/* Adds (x, y) and returns 1 when the segment from the anchor to it passes within tol of
 * every point added so far (and it is no nearer the anchor than those beyond tol are);
 * otherwise returns 0 and leaves the sleeve as it was. The first point always fits. */
int trail_sleeve_add(TrailSleeve *s, double x, double y);

/* The kept points xy[0..n) and the newest point, which is kept only once a later one no
 * longer fits one segment with it: the path drawn is the kept points followed by the
 * segment to the run's current point, within tol of every point the run went through,
 * except where the run keeps coming back to a cell a few pixels wide (at the view tol
 * was set for) that its earlier points already cover, as when it circles a minimum.
 * When the buffer is full, half of it is freed by dropping, one at a time, the point
 * whose removal moves the path least, counted as less where many points crowd one cell:
 * such jitter goes first, and the path that led there keeps its shape. */
typedef struct {
    double xy[2 * TRAIL_POINTS];
    int n;
    double tol;    /* world distance the kept path may stray from the points it stands for */
    long version;  /* changes whenever kept points are dropped or reset */
    TrailSleeve sleeve; /* the points since the last kept one */
    double last[2];     /* the newest point */
    uint64_t crowd_key[TRAIL_CROWD_SLOTS]; /* cells recently kept points fell in ... */
    unsigned short crowd_n[TRAIL_CROWD_SLOTS]; /* ... and how many */
} Trail;

typedef struct {
    long step[HISTORY_ENTRIES];
    double loss[HISTORY_ENTRIES], lr[HISTORY_ENTRIES];
    double sharpness[HISTORY_ENTRIES], grad_norm[HISTORY_ENTRIES]; /* λmax and ‖∇f‖ at the point; NaN unset */
    double batch_loss[HISTORY_ENTRIES]; /* a minibatched run's batch loss at the point; NaN unset */
    int n;
    long stride;
} History;

void trail_reset(Trail *t, double tol, double x, double y);
void trail_push(Trail *t, double x, double y);

void history_reset(History *h);
void history_push(History *h, long step, double loss, double lr);
/* The curvature at the point of the entry history_push just kept for `step` (none when it
 * was not kept). */
void history_set_curvature(History *h, long step, double sharpness, double grad_norm);
/* The batch loss at the point of that entry (a run drawing minibatches). */
void history_set_batch_loss(History *h, long step, double batch_loss);

/* Where a trail and a history stood, to go back there later: both only append between
 * thinnings, so a mark is their counts and small state, not their points. */
typedef struct {
    int n;
    long version;
    TrailSleeve sleeve;
    double last[2];
    uint64_t crowd_key[TRAIL_CROWD_SLOTS];
    unsigned short crowd_n[TRAIL_CROWD_SLOTS];
} TrailMark;

typedef struct {
    int n;
    long stride;
} HistoryMark;

void trail_mark(const Trail *t, TrailMark *m);
/* Back to the mark; returns -1, changing nothing, when points were dropped since. */
int trail_rewind(Trail *t, const TrailMark *m);
void history_mark(const History *h, HistoryMark *m);
/* Back to the mark, exactly unless entries were thinned since: then the entries after
 * `step` go and the coarser stride stays. */
void history_rewind(History *h, const HistoryMark *m, long step);

#endif
