/* Bounded path and history buffers (see trail.h). */
#include "trail.h"

#include <math.h>

void trail_reset(Trail *t, double tol, double x, double y)
{
    t->xy[0] = x;
    t->xy[1] = y;
    t->n = 1;
    t->tol = tol;
    t->version++;
}

static void trail_halve(Trail *t)
{
    /* Keep the first point, every second one after it, and the newest. */
    int kept = 1;
    for (int i = 2; i < t->n - 1; i += 2, kept++) {
        t->xy[2 * kept] = t->xy[2 * i];
        t->xy[2 * kept + 1] = t->xy[2 * i + 1];
    }
    t->xy[2 * kept] = t->xy[2 * (t->n - 1)];
    t->xy[2 * kept + 1] = t->xy[2 * (t->n - 1) + 1];
    t->n = kept + 1;
    t->tol *= 2;
    t->version++;
}

void trail_push(Trail *t, double x, double y)
{
    const double dx = x - t->xy[2 * (t->n - 1)], dy = y - t->xy[2 * (t->n - 1) + 1];
    if (dx * dx + dy * dy < t->tol * t->tol)
        return;
    if (t->n == TRAIL_POINTS)
        trail_halve(t);
    t->xy[2 * t->n] = x;
    t->xy[2 * t->n + 1] = y;
    t->n++;
}

void history_reset(History *h)
{
    h->n = 0;
    h->stride = 1;
}

void history_push(History *h, long step, double loss, double lr)
{
    if (step % h->stride != 0)
        return;
    if (h->n == HISTORY_ENTRIES) {
        int kept = 0;
        for (int i = 0; i < h->n; i += 2, kept++) {
            h->step[kept] = h->step[i];
            h->loss[kept] = h->loss[i];
            h->lr[kept] = h->lr[i];
        }
        h->n = kept;
        h->stride *= 2;
        if (step % h->stride != 0)
            return;
    }
    h->step[h->n] = step;
    h->loss[h->n] = loss;
    h->lr[h->n] = lr;
    h->n++;
}
