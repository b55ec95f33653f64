/* What a run leaves behind: the kept path stays within its tolerance of every point the
 * run went through, memory stays bounded however long it goes, and the plots' history
 * thins evenly. */
#include <math.h>
#include <stdlib.h>

#include "../src/core/trail.h"
#include "check.h"

static double segment_distance(double px, double py, double ax, double ay, double bx, double by)
{
    const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    double u = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    return hypot(px - ax - u * dx, py - ay - u * dy);
}

/* The path drawn: the kept points, then the segment to the newest point. */
static double path_distance(const Trail *t, double px, double py)
{
    double best = hypot(px - t->last[0], py - t->last[1]);
    for (int i = 0; i < t->n; i++) {
        const double *a = &t->xy[2 * i];
        const double *b = i + 1 < t->n ? &t->xy[2 * i + 2] : t->last;
        const double d = segment_distance(px, py, a[0], a[1], b[0], b[1]);
        best = d < best ? d : best;
    }
    return best;
}

/* An outward spiral never comes back to where it was: every point it went through lies
 * within tol of the path drawn, while far fewer points are kept. */
static void test_spiral_within_tolerance(Trail *t)
{
    enum { STEPS = 20000 };
    static double xy[2 * STEPS];
    const double tol = 1e-3;
    for (int i = 0; i < STEPS; i++) {
        const double a = i * 0.002, r = 0.1 + a * 0.04;
        xy[2 * i] = 3 + r * cos(a);
        xy[2 * i + 1] = -2 + r * sin(a);
    }
    trail_reset(t, tol, xy[0], xy[1]);
    for (int i = 1; i < STEPS; i++)
        trail_push(t, xy[2 * i], xy[2 * i + 1]);
    double worst = 0;
    for (int i = 0; i < STEPS; i++) {
        const double d = path_distance(t, xy[2 * i], xy[2 * i + 1]);
        worst = d > worst ? d : worst;
    }
    CHECK(worst <= tol * (1 + 1e-9), "a spiral's points lie up to %g from the kept path, tolerance %g", worst, tol);
    CHECK(t->n > 10 && t->n < STEPS / 4, "a spiral of %d points kept %d of them", STEPS, t->n);
    CHECK(t->xy[0] == xy[0] && t->xy[1] == xy[1], "the kept path does not begin at the start");
}

/* A million steps of a walk that keeps finding new ground: the buffer never overflows,
 * the start stays, and the newest point is the run's. */
static void test_bounded(Trail *t)
{
    unsigned long long s = 88172645463325252ull;
    double x = 0, y = 0, worst_n = 0;
    trail_reset(t, 1e-4, x, y);
    long versions = t->version;
    for (long i = 0; i < 1000000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        const double a = (double)(s >> 11) / 9007199254740992.0 * 6.283185307179586;
        x += 0.01 * cos(a) + 1e-4;
        y += 0.01 * sin(a);
        trail_push(t, x, y);
        worst_n = t->n > worst_n ? t->n : worst_n;
    }
    CHECK(worst_n <= TRAIL_POINTS, "the trail held %g points, room for %d", worst_n, TRAIL_POINTS);
    CHECK(t->n > TRAIL_POINTS / 4, "after a million new places only %d points are kept", t->n);
    CHECK(t->version > versions, "thinning a full trail did not change its version");
    CHECK(t->xy[0] == 0 && t->xy[1] == 0, "thinning dropped the start (%g, %g)", t->xy[0], t->xy[1]);
    CHECK(t->last[0] == x && t->last[1] == y, "the newest point is (%g, %g), not the run's", t->last[0], t->last[1]);
}

/* A run circling its minimum, a pixel or two across, for a million steps (16000 laps)
 * keeps a few laps' worth of points, not one per lap. */
static void test_circling(Trail *t)
{
    trail_reset(t, 1e-3, 0.015, 0);
    for (long i = 1; i <= 1000000; i++)
        trail_push(t, 0.015 * cos(i * 0.1), 0.015 * sin(i * 0.1));
    CHECK(t->n < 1000, "a million steps round one circle kept %d points", t->n);
}

static void test_history(void)
{
    static History h;
    history_reset(&h);
    for (long step = 0; step <= 1000000; step++)
        history_push(&h, step, 1.0 / (1 + step), 0.5);
    int ordered = 1, spaced = 1;
    for (int i = 1; i < h.n; i++) {
        ordered &= h.step[i] > h.step[i - 1];
        spaced &= h.step[i] - h.step[i - 1] == h.stride;
    }
    CHECK(h.n <= HISTORY_ENTRIES && h.n > HISTORY_ENTRIES / 2, "history holds %d entries of %d", h.n,
          HISTORY_ENTRIES);
    CHECK(h.step[0] == 0 && ordered && spaced, "history steps are not 0, stride, 2 stride, ... (stride %ld)",
          h.stride);
    CHECK(1000000 - h.step[h.n - 1] < h.stride, "the newest history entry is step %ld of 1000000",
          h.step[h.n - 1]);
    CHECK(h.loss[h.n - 1] == 1.0 / (1 + h.step[h.n - 1]), "history keeps the loss of another step");
}

void test_trail(void)
{
    Trail *t = calloc(1, sizeof *t);
    if (!t) {
        CHECK(0, "out of memory for a trail");
        return;
    }
    test_spiral_within_tolerance(t);
    test_bounded(t);
    test_circling(t);
    free(t);
    test_history();
}
