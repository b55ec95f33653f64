/* What a run leaves behind, in bounded memory however long it goes: the path (points
 * closer than a tolerance to the last kept one are skipped; when full, every other point
 * goes and the tolerance doubles) and the loss and lr history for the plots (every
 * stride-th step; when full, every other entry goes and the stride doubles). */
#ifndef OPTISCOPE_TRAIL_H
#define OPTISCOPE_TRAIL_H

#include <stddef.h>

#define TRAIL_POINTS 32768
#define HISTORY_ENTRIES 4096

typedef struct {
    double xy[2 * TRAIL_POINTS];
    int n;
    double tol;    /* world distance below which a new point is skipped */
    long version;  /* changes whenever kept points are dropped or reset */
} Trail;

typedef struct {
    long step[HISTORY_ENTRIES];
    double loss[HISTORY_ENTRIES], lr[HISTORY_ENTRIES];
    int n;
    long stride;
} History;

void trail_reset(Trail *t, double tol, double x, double y);
void trail_push(Trail *t, double x, double y);

void history_reset(History *h);
void history_push(History *h, long step, double loss, double lr);

#endif
