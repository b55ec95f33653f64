/* Bounded path and history buffers (see trail.h). */
#include "trail.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Thinning counts points in cells this many tolerances wide: about two pixels of the
 * view the tolerance was set for (session.c sets it near a twentieth of a pixel). */
#define TRAIL_CELL 40
/* The newest kept point stays within this many tolerances of the run's last point: about
 * two pixels, well inside the run's marker. */
#define TRAIL_REACH 40
/* A cell with this many kept points is covered: more points there change nothing drawn. */
#define TRAIL_CROWDED 16

/* A cell index, held within int64_t's range (a tiny tolerance over a far run would leave
 * it, and converting such a double is undefined). */
static int64_t cell_index(double v)
{
    const double c = floor(v);
    if (isnan(c))
        return 0;
    return c >= 0x1p62 ? INT64_C(1) << 62 : c <= -0x1p62 ? -(INT64_C(1) << 62) : (int64_t)c;
}

/* Cells TRAIL_CELL tolerances wide, by their integer coordinates mixed into one key that
 * is never 0 (the mark of a free slot). */
static uint64_t cell_key(double x, double y, double size)
{
    const uint64_t cx = (uint64_t)cell_index(x / size), cy = (uint64_t)cell_index(y / size);
    return (cx * 0x9e3779b97f4a7c15u ^ cy) | 1;
}

static size_t cell_hash(uint64_t key)
{
    return (size_t)((key * 0xbf58476d1ce4e5b9u) >> 17);
}

void trail_sleeve_start(TrailSleeve *s, double tol, double ax, double ay)
{
    *s = (TrailSleeve){ .ax = ax, .ay = ay, .tol = tol };
}

/* The directions within tol of a point at distance r are those within asin(tol / r) of its
 * own; the wedge keeps what every point allows. A point no farther than tol allows all,
 * and only points beyond tol count towards `far`, so a cluster of points around the anchor
 * smaller than tol always fits. */
int trail_sleeve_add(TrailSleeve *s, double x, double y)
{
    const double vx = x - s->ax, vy = y - s->ay, r = sqrt(vx * vx + vy * vy);
    if (!(r >= s->far))
        return 0;
    if (r <= s->tol)
        return 1; /* within tol of the anchor, so of any segment from it */
    if (s->wedge && (s->lx * vy - s->ly * vx < 0 || vx * s->ry - vy * s->rx < 0))
        return 0;
    s->far = r;
    const double ux = vx / r, uy = vy / r, sn = s->tol / r, cs = sqrt(1 - sn * sn);
    const double lx = ux * cs + uy * sn, ly = uy * cs - ux * sn;
    const double rx = ux * cs - uy * sn, ry = uy * cs + ux * sn;
    if (!s->wedge || s->lx * ly - s->ly * lx > 0) {
        s->lx = lx;
        s->ly = ly;
    }
    if (!s->wedge || rx * s->ry - ry * s->rx > 0) {
        s->rx = rx;
        s->ry = ry;
    }
    s->wedge = 1;
    return 1;
}

void trail_reset(Trail *t, double tol, double x, double y)
{
    t->xy[0] = x;
    t->xy[1] = y;
    t->n = 1;
    t->tol = tol;
    t->last[0] = x;
    t->last[1] = y;
    trail_sleeve_start(&t->sleeve, tol, x, y);
    memset(t->crowd_key, 0, sizeof t->crowd_key);
    t->version++;
}

/* How far the path moves when point i goes: its distance to the segment joining its
 * neighbours a and b. */
static double removal_distance(const double *xy, int a, int i, int b)
{
    const double ax = xy[2 * a], ay = xy[2 * a + 1], dx = xy[2 * b] - ax, dy = xy[2 * b + 1] - ay;
    const double px = xy[2 * i] - ax, py = xy[2 * i + 1] - ay, len2 = dx * dx + dy * dy;
    double u = len2 > 0 ? (px * dx + py * dy) / len2 : 0;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    return hypot(px - u * dx, py - u * dy);
}

/* The crowd table remembers how many kept points fell in recently visited cells, one
 * cell per slot (a newcomer takes the slot over and starts from zero). */
static unsigned short *crowd(Trail *t, double x, double y, int claim)
{
    const uint64_t key = cell_key(x, y, TRAIL_CELL * t->tol);
    const size_t slot = cell_hash(key) & (TRAIL_CROWD_SLOTS - 1);
    if (t->crowd_key[slot] != key) {
        if (!claim)
            return NULL;
        t->crowd_key[slot] = key;
        t->crowd_n[slot] = 0;
    }
    return &t->crowd_n[slot];
}

/* Scratch for thin, about 1 MB, on the stack of the one thread that steps the runs: a
 * min-heap of points by cost with each point's place in it, the points still linked, and
 * how many kept points share each point's cell (open addressing over cell keys). */
#define TRAIL_SLOTS (2 * TRAIL_POINTS)
_Static_assert(TRAIL_POINTS <= UINT16_MAX, "thin indexes points with 16 bits");
typedef struct {
    float cost[TRAIL_POINTS];
    uint16_t heap[TRAIL_POINTS], at[TRAIL_POINTS], prev[TRAIL_POINTS], next[TRAIL_POINTS];
    uint16_t cell[TRAIL_POINTS];
    uint32_t key[TRAIL_SLOTS]; /* 0 marks a free slot */
    uint16_t count[TRAIL_SLOTS];
    int n;
} Queue;

static int cell_slot(Queue *q, double x, double y, double size)
{
    const uint64_t wide = cell_key(x, y, size);
    const uint32_t key = (uint32_t)(wide ^ wide >> 32) | 1;
    size_t h = cell_hash(wide) & (TRAIL_SLOTS - 1);
    while (q->key[h] && q->key[h] != key)
        h = (h + 1) & (TRAIL_SLOTS - 1);
    q->key[h] = key;
    return (int)h;
}

/* Where the path crowds many points into one cell (a run circling a minimum, going back
 * and forth along a ravine), the others cover what one of them draws, so dropping it
 * costs the distance the path moves shared among them. */
static float removal_cost(const Trail *t, const Queue *q, int i)
{
    return (float)(removal_distance(t->xy, q->prev[i], i, q->next[i]) / q->count[q->cell[i]]);
}

static void queue_put(Queue *q, int k, int point)
{
    q->heap[k] = (uint16_t)point;
    q->at[point] = (uint16_t)k;
}

/* Moves the entry at k up or down to its place. */
static void queue_fix(Queue *q, int k)
{
    const int point = q->heap[k];
    const float c = q->cost[point];
    while (k > 0 && c < q->cost[q->heap[(k - 1) / 2]]) {
        queue_put(q, k, q->heap[(k - 1) / 2]);
        k = (k - 1) / 2;
    }
    for (;;) {
        const int l = 2 * k + 1, r = l + 1;
        if (l >= q->n)
            break;
        const int m = r < q->n && q->cost[q->heap[r]] < q->cost[q->heap[l]] ? r : l;
        if (!(q->cost[q->heap[m]] < c))
            break;
        queue_put(q, k, q->heap[m]);
        k = m;
    }
    queue_put(q, k, point);
}

/* Drops `drop` interior points, each time the cheapest to lose as the path now stands
 * (Visvalingam and Whyatt's scheme, with a crowd-weighted distance for area): jitter
 * thins out long before a lone stretch of path loses a point. */
static void thin(Trail *t, Queue *q, int drop)
{
    const int n = t->n;
    memset(q->key, 0, sizeof q->key);
    memset(q->count, 0, sizeof q->count);
    for (int i = 0; i < n; i++) {
        q->prev[i] = (uint16_t)(i - 1);
        q->next[i] = (uint16_t)(i + 1);
        q->cell[i] = (uint16_t)cell_slot(q, t->xy[2 * i], t->xy[2 * i + 1], TRAIL_CELL * t->tol);
        q->count[q->cell[i]] += q->count[q->cell[i]] < UINT16_MAX;
    }
    q->n = n - 2;
    for (int i = 1; i < n - 1; i++) {
        q->cost[i] = removal_cost(t, q, i);
        queue_put(q, i - 1, i);
    }
    for (int k = q->n / 2 - 1; k >= 0; k--)
        queue_fix(q, k);
    for (int d = 0; d < drop && q->n > 0; d++) {
        const int i = q->heap[0];
        queue_put(q, 0, q->heap[--q->n]);
        queue_fix(q, 0);
        q->count[q->cell[i]] -= q->count[q->cell[i]] > 1;
        const int a = q->prev[i], b = q->next[i];
        q->next[a] = (uint16_t)b;
        q->prev[b] = (uint16_t)a;
        if (a > 0) {
            q->cost[a] = removal_cost(t, q, a);
            queue_fix(q, q->at[a]);
        }
        if (b < n - 1) {
            q->cost[b] = removal_cost(t, q, b);
            queue_fix(q, q->at[b]);
        }
    }
    int kept = 0;
    for (int i = 0; i < n; i = q->next[i], kept++) {
        t->xy[2 * kept] = t->xy[2 * i];
        t->xy[2 * kept + 1] = t->xy[2 * i + 1];
    }
    t->n = kept;
}

/* Frees half the buffer. Rare (once per TRAIL_POINTS / 2 kept points); its scratch lives
 * on the stack, so nothing is allocated however often it runs. */
static void compact(Trail *t)
{
    Queue q;
    thin(t, &q, t->n / 2);
    memset(t->crowd_key, 0, sizeof t->crowd_key); /* the counts no longer hold */
    t->version++;
}

static void keep(Trail *t, double x, double y)
{
    if (t->n == TRAIL_POINTS)
        compact(t);
    t->xy[2 * t->n] = x;
    t->xy[2 * t->n + 1] = y;
    t->n++;
    unsigned short *n = crowd(t, x, y, 1);
    *n += *n < USHRT_MAX;
}

static int crowded(Trail *t, double x, double y)
{
    const unsigned short *n = crowd(t, x, y, 0);
    return n && *n >= TRAIL_CROWDED;
}

/* Whether the newest point can go unkept: it lies within a cell's width of the newest
 * kept point, so dropping it moves the path by less than that, and both lie in cells that
 * already hold TRAIL_CROWDED kept points, whose strokes cover them. A run circling a
 * minimum then soon stops adding points. */
static int lost_in_crowd(Trail *t)
{
    const double cell = TRAIL_CELL * t->tol, dx = t->last[0] - t->sleeve.ax, dy = t->last[1] - t->sleeve.ay;
    return dx * dx + dy * dy <= cell * cell && crowded(t, t->last[0], t->last[1]) &&
           crowded(t, t->sleeve.ax, t->sleeve.ay);
}

/* The piece from the newest kept point to the run is drawn over the other trails each
 * frame, so it is kept within TRAIL_REACH tolerances, where the run's marker covers it. */
void trail_push(Trail *t, double x, double y)
{
    const double dx = x - t->sleeve.ax, dy = y - t->sleeve.ay, reach = TRAIL_REACH * t->tol;
    if (dx * dx + dy * dy > reach * reach || !trail_sleeve_add(&t->sleeve, x, y)) {
        if (lost_in_crowd(t)) {
            trail_sleeve_start(&t->sleeve, t->tol, t->sleeve.ax, t->sleeve.ay);
        } else {
            if (t->last[0] != t->sleeve.ax || t->last[1] != t->sleeve.ay)
                keep(t, t->last[0], t->last[1]);
            trail_sleeve_start(&t->sleeve, t->tol, t->last[0], t->last[1]);
        }
        trail_sleeve_add(&t->sleeve, x, y);
    }
    t->last[0] = x;
    t->last[1] = y;
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
            h->sharpness[kept] = h->sharpness[i];
            h->grad_norm[kept] = h->grad_norm[i];
            h->batch_loss[kept] = h->batch_loss[i];
        }
        h->n = kept;
        h->stride *= 2;
        if (step % h->stride != 0)
            return;
    }
    h->step[h->n] = step;
    h->loss[h->n] = loss;
    h->lr[h->n] = lr;
    h->sharpness[h->n] = h->grad_norm[h->n] = h->batch_loss[h->n] = NAN;
    h->n++;
}

void history_set_curvature(History *h, long step, double sharpness, double grad_norm)
{
    if (h->n == 0 || h->step[h->n - 1] != step)
        return;
    h->sharpness[h->n - 1] = sharpness;
    h->grad_norm[h->n - 1] = grad_norm;
}

void history_set_batch_loss(History *h, long step, double batch_loss)
{
    if (h->n > 0 && h->step[h->n - 1] == step)
        h->batch_loss[h->n - 1] = batch_loss;
}

void trail_mark(const Trail *t, TrailMark *m)
{
    m->n = t->n;
    m->version = t->version;
    m->sleeve = t->sleeve;
    memcpy(m->last, t->last, sizeof m->last);
    memcpy(m->crowd_key, t->crowd_key, sizeof m->crowd_key);
    memcpy(m->crowd_n, t->crowd_n, sizeof m->crowd_n);
}

int trail_rewind(Trail *t, const TrailMark *m)
{
    if (m->version != t->version || m->n > t->n)
        return -1;
    t->n = m->n;
    t->sleeve = m->sleeve;
    memcpy(t->last, m->last, sizeof t->last);
    memcpy(t->crowd_key, m->crowd_key, sizeof t->crowd_key);
    memcpy(t->crowd_n, m->crowd_n, sizeof t->crowd_n);
    return 0;
}

void history_mark(const History *h, HistoryMark *m)
{
    m->n = h->n;
    m->stride = h->stride;
}

void history_rewind(History *h, const HistoryMark *m, long step)
{
    if (m->stride == h->stride && m->n <= h->n) {
        h->n = m->n;
        return;
    }
    while (h->n > 0 && h->step[h->n - 1] > step)
        h->n--;
}
