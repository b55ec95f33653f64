/* Copies of the runs' state along the way, bounded (see timeline.h). */
#include "timeline.h"

#include <string.h>

static void take(Checkpoint *cp, long tick, int change, const Sim *sim, const Trail *trails, const History *hist)
{
    cp->tick = tick;
    cp->change = change;
    cp->sim = *sim;
    for (int i = 0; i < sim->nruns; i++) {
        trail_mark(&trails[i], &cp->trail[i]);
        history_mark(&hist[i], &cp->hist[i]);
    }
}

static Checkpoint *nth(Timeline *tl, int i)
{
    return &tl->cp[tl->at[i]];
}

/* Frees room: every other periodic copy goes and the interval doubles; if the copies are
 * all changes, the oldest goes and the steps before the next can no longer be reached. */
static void thin(Timeline *tl)
{
    const long wider = tl->interval * 2;
    int kept = 1;
    for (int i = 1; i < tl->n; i++) {
        if (!nth(tl, i)->change && nth(tl, i)->tick % wider != 0)
            continue;
        tl->at[kept++] = tl->at[i];
    }
    tl->interval = wider;
    if (kept == tl->n) {
        memmove(&tl->at[0], &tl->at[1], (size_t)(tl->n - 1) * sizeof tl->at[0]);
        kept--;
    }
    tl->n = kept;
}

/* A slot no copy in use holds. */
static int free_slot(const Timeline *tl)
{
    unsigned char used[TIMELINE_CHECKPOINTS] = { 0 };
    for (int i = 0; i < tl->n; i++)
        used[tl->at[i]] = 1;
    int s = 0;
    while (used[s])
        s++;
    return s;
}

static void append(Timeline *tl, long tick, int change, const Sim *sim, const Trail *trails, const History *hist)
{
    if (tl->n == TIMELINE_CHECKPOINTS)
        thin(tl);
    tl->at[tl->n] = free_slot(tl);
    take(nth(tl, tl->n++), tick, change, sim, trails, hist);
}

void timeline_reset(Timeline *tl, const Sim *sim, const Trail *trails, const History *hist)
{
    tl->n = 0;
    tl->interval = TIMELINE_INTERVAL;
    tl->head = 0;
    append(tl, 0, 1, sim, trails, hist);
}

void timeline_stepped(Timeline *tl, long tick, const Sim *sim, const Trail *trails, const History *hist)
{
    if (tick > tl->head)
        tl->head = tick;
    if (tick % tl->interval == 0 && (tl->n == 0 || nth(tl, tl->n - 1)->tick < tick))
        append(tl, tick, 0, sim, trails, hist);
}

void timeline_changed(Timeline *tl, long tick, const Sim *sim, const Trail *trails, const History *hist)
{
    while (tl->n > 1 && nth(tl, tl->n - 1)->tick > tick)
        tl->n--;
    tl->head = tick;
    if (tl->n > 0 && nth(tl, tl->n - 1)->tick == tick)
        take(nth(tl, tl->n - 1), tick, 1, sim, trails, hist);
    else
        append(tl, tick, 1, sim, trails, hist);
}

static int index_before(const Timeline *tl, long tick)
{
    int lo = 0, hi = tl->n; /* the answer is the last index whose tick <= tick */
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (tl->cp[tl->at[mid]].tick <= tick)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - 1;
}

const Checkpoint *timeline_before(const Timeline *tl, long tick)
{
    const int i = index_before(tl, tick);
    return i >= 0 ? &tl->cp[tl->at[i]] : NULL;
}

const Checkpoint *timeline_change_at(const Timeline *tl, long tick)
{
    const Checkpoint *cp = timeline_before(tl, tick);
    return cp && cp->tick == tick && cp->change && tick > 0 ? cp : NULL;
}

/* Whole, the free slots too: the copy's memory is then all in place, so it records at the
 * original's pace from its first step rather than faulting pages in as its slots fill. */
void timeline_copy(Timeline *dst, const Timeline *src)
{
    memcpy(dst, src, sizeof *dst);
}
