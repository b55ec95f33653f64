/* The canvas primitives against their formulas (line and disc coverage, blending,
 * clipping of wild input) and the PNG writer: exact round trip and clean failures. */
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../src/render/canvas.h"
#include "../src/platform/output.h"
#include "check.h"
#include "pngio.h"

static const Rgba white = { 255, 255, 255, 255 };
static const Rgba black = { 0, 0, 0, 255 };

/* A black canvas; everything drawn in white then reads back as coverage * 255 in red. */
static int blank(Canvas *c, int w, int h)
{
    char err[256];
    if (canvas_init(c, w, h, err, sizeof err) < 0) {
        CHECK(0, "canvas_init %dx%d: %s", w, h, err);
        return -1;
    }
    return 0;
}

static int red(const Canvas *c, int x, int y)
{
    return canvas_get(c, x, y).r;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int all_black(const Canvas *c)
{
    for (size_t i = 0; i < (size_t)c->w * c->h; i++)
        if (c->px[i] != 0xff000000u)
            return 0;
    return 1;
}

static double segment_distance(double px, double py, double x0, double y0, double x1, double y1)
{
    const double dx = x1 - x0, dy = y1 - y0;
    double t = ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(px - x0 - t * dx, py - y0 - t * dy);
}

static void test_horizontal_lines(void)
{
    Canvas c;
    if (blank(&c, 64, 24) < 0)
        return;
    canvas_line(&c, 5, 10.5, 50, 10.5, 3, white);
    for (int x = 6; x < 50; x++) {
        CHECK(red(&c, x, 9) == 255 && red(&c, x, 10) == 255 && red(&c, x, 11) == 255,
              "width 3 at y=10.5 covers rows 9..11 fully at x=%d", x);
        CHECK(red(&c, x, 7) == 0 && red(&c, x, 8) == 0 && red(&c, x, 12) == 0 && red(&c, x, 13) == 0,
              "width 3 at y=10.5 leaves rows 7, 8, 12, 13 empty at x=%d", x);
    }
    canvas_fill(&c, black);
    canvas_line(&c, 5, 10.25, 50, 10.25, 3, white);
    /* Row 8's centre is 1.75 from the line (coverage 0.25), row 11's 1.25 (0.75). */
    CHECK(red(&c, 20, 8) == 64, "row 8 partly covered: %d, want 64", red(&c, 20, 8));
    CHECK(red(&c, 20, 9) == 255 && red(&c, 20, 10) == 255, "rows 9, 10 full");
    CHECK(red(&c, 20, 11) == 191, "row 11 partly covered: %d, want 191", red(&c, 20, 11));
    CHECK(red(&c, 20, 7) == 0 && red(&c, 20, 12) == 0, "rows 7 and 12 empty");
    canvas_free(&c);
}

static void test_diagonal_coverage(void)
{
    Canvas c;
    if (blank(&c, 100, 80) < 0)
        return;
    const double x0 = 3.3, y0 = 5.1, x1 = 90.7, y1 = 61.9, w = 2.5;
    canvas_line(&c, x0, y0, x1, y1, w, white);
    int worst = 0, wx = 0, wy = 0;
    for (int y = 0; y < c.h; y++)
        for (int x = 0; x < c.w; x++) {
            double cov = w / 2 + 0.5 - segment_distance(x + 0.5, y + 0.5, x0, y0, x1, y1);
            cov = cov < 0 ? 0 : cov > 1 ? 1 : cov;
            const int diff = abs(red(&c, x, y) - (int)lround(cov * 255));
            if (diff > worst) {
                worst = diff;
                wx = x;
                wy = y;
            }
        }
    CHECK(worst <= 1, "diagonal coverage off by %d/255 at (%d, %d)", worst, wx, wy);
    canvas_free(&c);
}

static double uniform(unsigned *state, double lo, double hi)
{
    *state = *state * 1664525u + 1013904223u;
    return lo + (hi - lo) * (*state >> 8) / 16777216.0;
}

/* The colour a pixel should have after a polyline of width w through pts: the coverage
 * of its nearest segment, blended once with the rounding canvas.h promises. */
static int expected_red(const float *pts, int n, double w, int alpha, int x, int y)
{
    double cov = 0;
    for (int k = 0; k + 1 < n; k++) {
        const double q = w / 2 + 0.5 - segment_distance(x + 0.5, y + 0.5, pts[2 * k], pts[2 * k + 1],
                                                        pts[2 * k + 2], pts[2 * k + 3]);
        cov = q > cov ? q : cov;
    }
    const int a = (int)((cov < 1 ? cov : 1) * alpha + 0.5);
    return (200 * a + 40 * (255 - a) + 127) / 255;
}

/* Random lines and polylines, some partly off the canvas, against brute force. */
static void test_random_shapes(void)
{
    Canvas c;
    if (blank(&c, 61, 47) < 0)
        return;
    unsigned seed = 12345;
    int worst = 0, bad_shape = -1;
    for (int shape = 0; shape < 300; shape++) {
        canvas_fill(&c, (Rgba){ 40, 40, 40, 255 });
        const int n = shape % 3 ? 2 : 2 + shape % 7;
        float pts[16];
        for (int k = 0; k < 2 * n; k++)
            pts[k] = (float)uniform(&seed, -15, 75);
        const double w = uniform(&seed, 0.5, shape % 5 ? 6 : 30);
        const Rgba col = { 200, 0, 0, (uint8_t)(shape % 2 ? 255 : uniform(&seed, 1, 255)) };
        if (n == 2)
            canvas_line(&c, pts[0], pts[1], pts[2], pts[3], w, col);
        else
            canvas_polyline(&c, pts, n, w, col);
        for (int y = 0; y < c.h; y++)
            for (int x = 0; x < c.w; x++) {
                const int diff = abs(red(&c, x, y) - expected_red(pts, n, w, col.a, x, y));
                if (diff > worst) {
                    worst = diff;
                    bad_shape = shape;
                }
            }
    }
    CHECK(worst <= 1, "random shapes differ from brute force by %d (shape %d)", worst, bad_shape);
    canvas_free(&c);
}

/* One random mark of any kind, the same on every canvas given the same seed. */
static void random_mark(Canvas *c, unsigned *seed)
{
    const Rgba col = { (uint8_t)uniform(seed, 0, 255), (uint8_t)uniform(seed, 0, 255),
                       (uint8_t)uniform(seed, 0, 255), (uint8_t)uniform(seed, 1, 255) };
    const double x0 = uniform(seed, -10, c->w + 10), y0 = uniform(seed, -10, c->h + 10);
    const double x1 = uniform(seed, -10, c->w + 10), y1 = uniform(seed, -10, c->h + 10);
    switch ((int)uniform(seed, 0, 4)) {
    case 0:
        canvas_line(c, x0, y0, x1, y1, uniform(seed, 0.5, 8), col);
        break;
    case 1:
        canvas_disc(c, x0, y0, uniform(seed, 0.5, 12), col);
        break;
    case 2:
        canvas_rect(c, (int)x0, (int)y0, (int)uniform(seed, 0, 30), (int)uniform(seed, 0, 20), col);
        break;
    default: {
        float pts[10];
        for (int k = 0; k < 10; k++)
            pts[k] = (float)uniform(seed, -10, (k % 2 ? c->h : c->w) + 10);
        canvas_polyline(c, pts, 5, uniform(seed, 0.5, 5), col);
    }
    }
}

/* The window's frame is kept in step with the scene by canvas_sync (here in two bands of
 * rows, canvas_sync_rows), which copies only what changed on either side, then gets its
 * overlays: round after round it must equal a frame copied whole from the scene with the
 * same overlays. */
static void test_sync_equals_copy(void)
{
    Canvas scene, frame, whole;
    if (blank(&scene, 83, 59) < 0 || blank(&frame, 83, 59) < 0 || blank(&whole, 83, 59) < 0)
        return;
    unsigned seed = 777, scene_seed = 4242;
    int bad_round = -1;
    for (int round = 0; round < 300 && bad_round < 0; round++) {
        if (round % 37 == 5)
            canvas_fill(&scene, (Rgba){ (uint8_t)round, 90, 30, 255 });
        for (int k = round % 3; k < 2; k++)
            random_mark(&scene, &scene_seed);
        /* In two bands of rows, as the drawing threads sync a frame drawn again all over. */
        canvas_sync_rows(&frame, &scene, 0, 23);
        canvas_sync_rows(&frame, &scene, 23, 59);
        canvas_copy(&whole, &scene);
        const int marks = round % 4;
        unsigned frame_seed = seed, whole_seed = seed;
        for (int k = 0; k < marks; k++) {
            random_mark(&frame, &frame_seed);
            random_mark(&whole, &whole_seed);
        }
        seed = frame_seed;
        if (memcmp(frame.px, whole.px, (size_t)frame.w * (size_t)frame.h * sizeof *frame.px) != 0)
            bad_round = round;
    }
    CHECK(bad_round < 0, "a frame synced with the scene differs from one copied whole, round %d", bad_round);
    canvas_free(&scene);
    canvas_free(&frame);
    canvas_free(&whole);
}

/* What a window sends the screen: every pixel that changed since the last collection lies
 * in one of the boxes, whatever drew it (marks, a sync with the scene), within the box
 * limit; once collected, nothing is left. */
static void test_changes_cover(void)
{
    Canvas scene, frame, before;
    if (blank(&scene, 90, 64) < 0 || blank(&frame, 90, 64) < 0 || blank(&before, 90, 64) < 0)
        return;
    CanvasBox boxes[6];
    int n = canvas_track_changes(&frame) == 0 ? canvas_take_changes(&frame, boxes, 6) : -1;
    CHECK(n == 1 && boxes[0].w == 90 && boxes[0].h == 64, "tracking starts with the whole canvas: %d boxes", n);
    unsigned seed = 31337, scene_seed = 5;
    int uncovered = -1, too_many = -1;
    for (int round = 0; round < 200 && uncovered < 0 && too_many < 0; round++) {
        canvas_copy(&before, &frame);
        for (int k = round % 3; k < 2; k++)
            random_mark(&scene, &scene_seed);
        canvas_sync(&frame, &scene);
        for (int k = 0; k < round % 5; k++)
            random_mark(&frame, &seed);
        n = canvas_take_changes(&frame, boxes, round % 2 ? 6 : 1);
        too_many = n > (round % 2 ? 6 : 1) ? round : -1;
        for (int y = 0; y < frame.h; y++)
            for (int x = 0; x < frame.w; x++) {
                if (frame.px[y * frame.w + x] == before.px[y * frame.w + x])
                    continue;
                int in = 0;
                for (int b = 0; b < n; b++)
                    in |= x >= boxes[b].x && x < boxes[b].x + boxes[b].w && y >= boxes[b].y && y < boxes[b].y + boxes[b].h;
                if (!in)
                    uncovered = round;
            }
    }
    CHECK(uncovered < 0, "a changed pixel lies outside every box (round %d)", uncovered);
    CHECK(too_many < 0, "more boxes than asked for (round %d)", too_many);
    CHECK(canvas_take_changes(&frame, boxes, 6) == 0, "changes are left after they were collected");
    canvas_free(&scene);
    canvas_free(&frame);
    canvas_free(&before);
}

/* A stroke drawn in bands of rows, as the threads draw isolines and trails, gives the
 * same pixels as the stroke drawn whole, and a band touches no row outside it. */
static void test_banded_stroke(void)
{
    Canvas whole, banded;
    if (blank(&whole, 97, 71) < 0 || blank(&banded, 97, 71) < 0)
        return;
    const Rgba grey = { 40, 40, 40, 255 };
    unsigned seed = 99;
    int bad_shape = -1, strayed = -1;
    for (int shape = 0; shape < 60 && bad_shape < 0 && strayed < 0; shape++) {
        float pts[24];
        const int n = 2 + shape % 11;
        for (int k = 0; k < 2 * n; k++)
            pts[k] = (float)uniform(&seed, -20, (k % 2 ? 71 : 97) + 20);
        const double w = uniform(&seed, 0.5, shape % 4 ? 5 : 25);
        const Rgba col = { 230, 120, 10, (uint8_t)(shape % 2 ? 255 : uniform(&seed, 20, 250)) };
        const int cut[4] = { 0, (int)uniform(&seed, 1, 35), (int)uniform(&seed, 36, 70), 71 };
        CanvasStroke st;
        canvas_fill(&whole, grey);
        canvas_stroke_begin(&st, &whole, w, col, 0, whole.h);
        canvas_stroke_polyline(&st, pts, n);
        canvas_stroke_line(&st, pts[0], pts[1], pts[2 * n - 2], pts[2 * n - 1]);
        canvas_stroke_end(&st);
        canvas_fill(&banded, grey);
        for (int b = 0; b < 3; b++) {
            canvas_stroke_begin(&st, &banded, w, col, cut[b], cut[b + 1]);
            canvas_stroke_polyline(&st, pts, n);
            canvas_stroke_line(&st, pts[0], pts[1], pts[2 * n - 2], pts[2 * n - 1]);
            canvas_stroke_end(&st);
            for (int y = cut[b + 1]; y < banded.h && strayed < 0; y++)
                for (int x = 0; x < banded.w; x++)
                    if (canvas_get(&banded, x, y).r != grey.r || canvas_get(&banded, x, y).g != grey.g)
                        strayed = shape;
        }
        if (memcmp(whole.px, banded.px, (size_t)whole.w * (size_t)whole.h * sizeof *whole.px) != 0)
            bad_shape = shape;
    }
    CHECK(strayed < 0, "a band of a stroke drew below its last row (shape %d)", strayed);
    CHECK(bad_shape < 0, "a stroke drawn in bands differs from the stroke drawn whole (shape %d)", bad_shape);
    canvas_free(&whole);
    canvas_free(&banded);
}

static void test_wild_input(void)
{
    Canvas c;
    if (blank(&c, 100, 80) < 0)
        return;
    const double t0 = seconds();
    canvas_line(&c, -1e9, -1e9, 1e9, 1e9, 2, white);
    canvas_line(&c, -1e300, 3e299, 1e300, 3e299, 2, white);
    canvas_line(&c, 1e308, -1e308, -1e308, 1e308, 1e30, (Rgba){ 0, 0, 0, 0 });
    const double took = seconds() - t0;
    CHECK(took < 1, "lines with far endpoints took %.3f s", took);
    int diagonal = 1;
    for (int i = 0; i < 80; i++)
        diagonal &= red(&c, i, i) == 255;
    CHECK(diagonal, "the line from (-1e9,-1e9) to (1e9,1e9) colours the diagonal");

    canvas_fill(&c, black);
    const float bad[] = { NAN, 5, 10, 10, 20, INFINITY, -INFINITY, NAN };
    canvas_line(&c, NAN, 10, 50, 50, 3, white);
    canvas_line(&c, 10, 10, 50, INFINITY, 3, white);
    canvas_line(&c, 10, 10, 50, 50, NAN, white);
    canvas_disc(&c, 40, NAN, 10, white);
    canvas_disc(&c, 40, 40, NAN, white);
    canvas_ring(&c, NAN, 40, 10, 2, white);
    canvas_ring(&c, 1e300, 40, 10, 2, white);
    canvas_ring(&c, 40, -1e300, 1e300, 2, white);
    canvas_disc(&c, -1e300, 40, 1e300, white);
    canvas_polyline(&c, bad, 1, 3, white);
    canvas_polyline(&c, bad + 4, 2, 3, white);
    CHECK(all_black(&c), "non-finite or far-off shapes draw nothing");
    canvas_polyline(&c, bad, 3, 3, white);
    CHECK(red(&c, 10, 10) == 255 && red(&c, 15, 15) == 0, "a point between non-finite ones is a dot");

    canvas_rect(&c, -5, -5, 1000, 1000, white);
    canvas_blit(&c, -3, 70, c.px, c.w, c.h, c.w * 4, 255);
    canvas_rect_outline(&c, 90, 70, 1 << 30, 1 << 30, 3, white);
    CHECK(red(&c, 0, 0) == 255 && red(&c, 99, 79) == 255, "rectangles clip");
    canvas_free(&c);
}

static void test_disc_and_ring(void)
{
    Canvas c;
    if (blank(&c, 100, 100) < 0)
        return;
    const double r = 20.3;
    canvas_disc(&c, 50.2, 49.7, r, white);
    double area = 0;
    for (int y = 0; y < c.h; y++)
        for (int x = 0; x < c.w; x++)
            area += red(&c, x, y) / 255.0;
    const double want = acos(-1) * r * r;
    CHECK(fabs(area / want - 1) < 0.01, "disc area %.1f, want %.1f", area, want);

    canvas_fill(&c, black);
    canvas_ring(&c, 50, 50.5, 30, 3, white);
    CHECK(red(&c, 80, 50) == 255 && red(&c, 50, 20) == 255, "ring full on its radius");
    CHECK(red(&c, 50, 50) == 0 && red(&c, 50, 75) == 0 && red(&c, 50, 85) == 0, "ring empty off it");
    /* Pixel 81's centre is 1.5 outside the radius: coverage 1.5 + 0.5 - 1.5. */
    CHECK(abs(red(&c, 81, 50) - 128) <= 1, "ring edge partly covered: %d", red(&c, 81, 50));
    canvas_free(&c);
}

static void test_translucent_polyline(void)
{
    Canvas c;
    if (blank(&c, 60, 60) < 0)
        return;
    const float v[] = { 5, 50, 30, 10, 55, 50, 30, 30, 30, 30.5f, 5, 20 };
    const Rgba half = { 255, 255, 255, 128 };
    canvas_polyline(&c, v, 6, 4, half);
    int most = 0;
    for (int y = 0; y < c.h; y++)
        for (int x = 0; x < c.w; x++)
            most = red(&c, x, y) > most ? red(&c, x, y) : most;
    CHECK(most == 128, "joins and crossings of a translucent polyline blend once (max %d, want 128)", most);
    CHECK(red(&c, 30, 10) == 128, "the sharp join at the top has no gap");
    canvas_free(&c);
}

static void test_blend_and_blit(void)
{
    Canvas c;
    if (blank(&c, 8, 8) < 0)
        return;
    canvas_fill(&c, (Rgba){ 0, 0, 255, 255 });
    const uint32_t half_red[4] = { 0x80ff0000u, 0x80ff0000u, 0x80ff0000u, 0x80ff0000u };
    canvas_blit(&c, 2, 3, half_red, 2, 2, 8, 255);
    const Rgba p = canvas_get(&c, 3, 4);
    CHECK(abs(p.r - 128) <= 1 && p.g == 0 && abs(p.b - 127) <= 1, "50%% red over blue: %d,%d,%d", p.r, p.g, p.b);
    CHECK(canvas_get(&c, 1, 3).b == 255 && canvas_get(&c, 4, 4).b == 255, "blit stays in its rectangle");
    canvas_rect(&c, 0, 0, 1, 1, (Rgba){ 255, 0, 0, 128 });
    const Rgba q = canvas_get(&c, 0, 0);
    CHECK(q.r == 128 && q.b == 127 && q.a == 255, "rect blends: %d,%d,%d,%d", q.r, q.g, q.b, q.a);
    canvas_free(&c);
}

/* A coverage mask in one colour must draw what canvas_blit draws of that colour with the
 * mask as alpha, pixel for pixel, at every placement across the edges, damage included. */
static void test_mask_equals_blit(void)
{
    enum { MW = 7, MH = 5, PITCH = 9 };
    uint8_t mask[MH * PITCH];
    uint32_t argb[MW * MH];
    const Rgba col = { 200, 90, 30, 170 };
    for (int j = 0; j < MH; j++)
        for (int i = 0; i < PITCH; i++) {
            mask[j * PITCH + i] = (uint8_t)(i < MW ? (i * 53 + j * 97) % 256 : 77);
            if (i < MW)
                argb[j * MW + i] = (uint32_t)mask[j * PITCH + i] << 24 | 0xc85a1eu;
        }
    const int places[] = { -9, -6, -1, 0, 3, 8, 12 };
    const int np = (int)(sizeof places / sizeof places[0]);
    for (int a = 0; a < np; a++)
        for (int b = 0; b < np; b++) {
            Canvas m, r;
            if (blank(&m, 12, 10) < 0 || blank(&r, 12, 10) < 0)
                return;
            canvas_fill(&m, (Rgba){ 10, 200, 100, 255 });
            canvas_fill(&r, (Rgba){ 10, 200, 100, 255 });
            canvas_sync(&r, &m); /* forgets the fills' damage on both */
            canvas_mask(&m, places[a], places[b], mask, MW, MH, PITCH, col);
            canvas_blit(&r, places[a], places[b], argb, MW, MH, MW * 4, col.a);
            CHECK(memcmp(m.px, r.px, sizeof *m.px * 12 * 10) == 0, "mask and blit differ at (%d, %d)", places[a], places[b]);
            CHECK(memcmp(m.damage, r.damage, sizeof *m.damage * 2 * 10) == 0, "mask and blit damage differ at (%d, %d)",
                  places[a], places[b]);
            canvas_free(&m);
            canvas_free(&r);
        }
}

static void paint_sample(Canvas *c)
{
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++)
            c->px[(size_t)y * c->w + x] = 0xff000000u | (uint32_t)(x * 7 % 256) << 16 |
                                          (uint32_t)(y * 13 % 256) << 8 | (uint32_t)((x ^ y) & 255);
    canvas_line(c, 3, 60, 150, 4, 2.5, (Rgba){ 255, 240, 10, 200 });
    canvas_disc(c, 80, 40, 12, (Rgba){ 10, 20, 250, 160 });
}

/* Temporary files of this process's pictures (output.c names them .NAME.XXXXXX). */
static int count_temporaries(const char *prefix)
{
    char pattern[96];
    snprintf(pattern, sizeof pattern, "%s%ld*", prefix, (long)getpid());
    glob_t g;
    const int n = glob(pattern, GLOB_PERIOD, NULL, &g) == 0 ? (int)g.gl_pathc : 0;
    globfree(&g);
    return n;
}

static void test_png_round_trip(void)
{
    Canvas c;
    char err[256] = "";
    if (blank(&c, 157, 71) < 0)
        return;
    paint_sample(&c);
    char path[64];
    snprintf(path, sizeof path, "/tmp/optiscope-canvas-%ld.png", (long)getpid());
    CHECK(output_png(&c, path, err, sizeof err) == 0, "write %s: %s", path, err);
    int w = 0, h = 0;
    uint32_t *px = NULL;
    CHECK(pngio_read(path, &w, &h, &px) == 0, "read back %s", path);
    CHECK(w == c.w && h == c.h && px && memcmp(px, c.px, (size_t)w * h * 4) == 0, "PNG round trip is exact");
    free(px);
    CHECK(count_temporaries("/tmp/.optiscope-canvas-") == 0, "no temporary file is left behind");
    unlink(path);
    canvas_free(&c);
}

/* A write that runs out of room (a file size limit stands in for a full disk) fails
 * with the reason and leaves neither the file nor its temporary behind. */
static void test_png_full_disk(const Canvas *c, const char *path)
{
    char err[256] = "";
    struct rlimit old;
    if (getrlimit(RLIMIT_FSIZE, &old) < 0)
        return;
    struct rlimit small = { 1000, old.rlim_max };
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &small) == 0) {
        const int rc = output_png(c, path, err, sizeof err);
        setrlimit(RLIMIT_FSIZE, &old);
        CHECK(rc < 0 && strstr(err, path) && strstr(err, strerror(EFBIG)), "full disk reported: %s", err);
        CHECK(access(path, F_OK) != 0 && count_temporaries("/tmp/.optiscope-canvas-full-") == 0,
              "no partial file after a failed write");
    }
    signal(SIGXFSZ, old_handler);
}

static void test_png_failures(void)
{
    Canvas c;
    char err[256] = "";
    if (blank(&c, 400, 300) < 0)
        return;
    paint_sample(&c);
    CHECK(output_png(&c, "/nonexistent/x.png", err, sizeof err) < 0 && strstr(err, "/nonexistent/x.png") &&
              strstr(err, strerror(ENOENT)),
          "missing folder reported: %s", err);
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/optiscope-canvas-dir-%ld", (long)getpid());
    mkdir(dir, 0700);
    err[0] = '\0';
    CHECK(output_png(&c, dir, err, sizeof err) < 0 && strstr(err, dir), "folder path reported: %s", err);
    rmdir(dir);
    CHECK(count_temporaries("/tmp/.optiscope-canvas-dir-") == 0, "writing to a folder leaves no temporary file");
    char path[64];
    snprintf(path, sizeof path, "/tmp/optiscope-canvas-full-%ld.png", (long)getpid());
    test_png_full_disk(&c, path);
    canvas_free(&c);
    CHECK(canvas_init(&c, 0, 10, err, sizeof err) < 0 && strstr(err, "0x10"), "bad canvas size reported: %s", err);
}

/* The same shapes on two canvases, one clipped to a box: inside the box they agree pixel
 * for pixel, outside it the clipped one is untouched. A strip of the map coming into view
 * is drawn this way, and must meet the pixels around it without a seam. */
static void draw_shapes(Canvas *c)
{
    const Rgba half = { 200, 120, 40, 140 };
    canvas_line(c, 5, 7, 90, 60, 6.5, white);
    canvas_line(c, 40, -5, 45, 80, 2.2, half);
    canvas_disc(c, 52, 33, 11.3, half);
    canvas_ring(c, 30, 40, 14, 3, white);
    canvas_rect(c, 20, 25, 50, 9, half);
    const float xy[] = { 3, 70, 30, 10, 61, 52, 95, 8 };
    canvas_polyline(c, xy, 4, 4.2, half);
    CanvasStroke s;
    canvas_stroke_begin(&s, c, 3.1, white, 0, c->h);
    canvas_stroke_line(&s, 0, 40, 100, 45);
    canvas_stroke_polyline(&s, xy, 4);
    canvas_stroke_end(&s);
}

static void test_clip(void)
{
    const CanvasBox boxes[] = { { 33, 12, 17, 40 }, { 0, 0, 100, 3 }, { 90, 0, 30, 80 }, { 40, 30, 0, 5 } };
    for (size_t k = 0; k < sizeof boxes / sizeof boxes[0]; k++) {
        Canvas a, b;
        if (blank(&a, 100, 80) < 0 || blank(&b, 100, 80) < 0)
            return;
        const CanvasBox box = boxes[k];
        canvas_clip(&a, box);
        draw_shapes(&a);
        canvas_unclip(&a);
        draw_shapes(&b);
        long wrong = 0;
        for (int y = 0; y < 80; y++)
            for (int x = 0; x < 100; x++) {
                const int inside = x >= box.x && x < box.x + box.w && y >= box.y && y < box.y + box.h;
                const uint32_t want = inside ? b.px[y * 100 + x] : 0xff000000u;
                wrong += a.px[y * 100 + x] != want;
            }
        CHECK(wrong == 0, "clip box %zu: %ld pixels differ from the unclipped drawing inside it or changed outside",
              k, wrong);
        canvas_free(&a);
        canvas_free(&b);
    }
}

/* A shift moves a box's pixels and nothing else, in every direction, and all of it out. */
static void test_shift(void)
{
    const int moves[][2] = { { 3, 2 }, { -4, 1 }, { 0, -5 }, { 7, 0 }, { -2, -3 }, { 40, 0 }, { 0, -30 } };
    const CanvasBox box = { 5, 4, 30, 20 };
    for (size_t k = 0; k < sizeof moves / sizeof moves[0]; k++) {
        Canvas c;
        if (blank(&c, 40, 30) < 0)
            return;
        for (int i = 0; i < 40 * 30; i++)
            c.px[i] = 0xff000000u | (uint32_t)(i * 2654435761u >> 8);
        uint32_t before[40 * 30];
        memcpy(before, c.px, sizeof before);
        const int dx = moves[k][0], dy = moves[k][1];
        canvas_shift(&c, box, dx, dy, NULL);
        long wrong = 0;
        for (int y = 0; y < 30; y++)
            for (int x = 0; x < 40; x++) {
                const int inside = x >= box.x && x < box.x + box.w && y >= box.y && y < box.y + box.h;
                const int sx = x - dx, sy = y - dy;
                const int from = inside && sx >= box.x && sx < box.x + box.w && sy >= box.y && sy < box.y + box.h;
                wrong += c.px[y * 40 + x] != (from ? before[sy * 40 + sx] : before[y * 40 + x]);
            }
        CHECK(wrong == 0, "shift by (%d, %d): %ld pixels wrong", dx, dy, wrong);
        canvas_free(&c);
    }
}

/* Hash mode: every drawing call folds its arguments into the hash and leaves the pixels,
 * their damage and changes alone; the same calls give the same hash, any other argument
 * another. */
static uint64_t hash_of(Canvas *c, int variant)
{
    uint64_t h = 1;
    const float xy[6] = { 1, 2, 30, 4, 5, variant == 4 ? 61.5f : 60 };
    const uint32_t img[4] = { 0x80ff0000u, 0xff00ff00u, 0, variant == 6 ? 1u : 0u };
    const uint8_t mask[4] = { 1, 2, 3, variant == 7 ? 5 : 4 };
    const Rgba col = { 10, 20, variant == 1 ? 31 : 30, 255 };
    c->hash = &h;
    canvas_rect(c, 1, 2, variant == 2 ? 4 : 3, 4, col);
    canvas_line(c, 0, 0, 10, variant == 3 ? 10.5 : 10, 2, col);
    canvas_polyline(c, xy, 3, 1.5, col);
    canvas_disc(c, 5, 5, variant == 5 ? 3.5 : 3, col);
    canvas_ring(c, 5, 5, 3, 1, col);
    canvas_blit(c, 2, 2, img, 2, 2, 8, 255);
    canvas_mask(c, 3, 3, mask, 2, 2, 2, col);
    CanvasStroke st;
    canvas_stroke_begin(&st, c, 2, col, 0, c->h);
    canvas_stroke_line(&st, 0, 1, 2, variant == 8 ? 4 : 3);
    canvas_stroke_polyline(&st, xy, 3);
    canvas_stroke_end(&st);
    c->hash = NULL;
    return h;
}

static void test_hash_mode(void)
{
    Canvas c;
    char err[256];
    if (canvas_init(&c, 64, 48, err, sizeof err) < 0) {
        CHECK(0, "%s", err);
        return;
    }
    canvas_fill(&c, (Rgba){ 7, 8, 9, 255 });
    CHECK(canvas_track_changes(&c) == 0, "tracking changes");
    CanvasBox boxes[4];
    canvas_take_changes(&c, boxes, 4);
    Canvas plain;
    if (canvas_init(&plain, 64, 48, err, sizeof err) < 0) {
        CHECK(0, "%s", err);
        canvas_free(&c);
        return;
    }
    canvas_copy(&plain, &c);
    canvas_sync(&plain, &c);
    const uint64_t h = hash_of(&c, 0);
    CHECK(h != 1 && h == hash_of(&c, 0), "the same calls, the same hash");
    CHECK(memcmp(c.px, plain.px, (size_t)64 * 48 * sizeof *c.px) == 0, "hash mode drew pixels");
    int lo, hi, damaged = 0;
    for (int y = 0; y < c.h; y++)
        damaged |= canvas_damaged(&c, y, &lo, &hi);
    CHECK(!damaged && canvas_take_changes(&c, boxes, 4) == 0, "hash mode left damage or changes");
    for (int v = 1; v <= 8; v++)
        CHECK(hash_of(&c, v) != h, "variant %d of the calls has the same hash", v);
    canvas_free(&plain);
    canvas_free(&c);
}

/* Hash mode with a log: the calls are noted with their numbers and points; one that
 * cannot be replayed (a stroke) or does not fit loses the log. */
static void test_hash_log(void)
{
    Canvas c;
    CanvasLog log;
    char err[256];
    if (canvas_init(&c, 32, 32, err, sizeof err) < 0 || canvas_log_init(&log, 3, 64) < 0) {
        CHECK(0, "a canvas and a log");
        return;
    }
    uint64_t h = 1;
    const float xy[4] = { 1, 2, 3, 4 };
    const Rgba col = { 1, 2, 3, 255 };
    c.hash = &h, c.log = &log;
    canvas_rect(&c, 1, 2, 3, 4, col);
    canvas_polyline(&c, xy, 2, 1.5, col);
    CHECK(!log.lost && log.ncalls == 2 && log.calls[0].kind == CANVAS_CALL_RECT && log.calls[0].v[2] == 3 &&
              log.calls[1].kind == CANVAS_CALL_POLYLINE && log.calls[1].n == 2 &&
              memcmp(log.pool + log.calls[1].at, xy, sizeof xy) == 0,
          "the log holds a rectangle and a polyline with its points");
    CanvasStroke st;
    canvas_stroke_begin(&st, &c, 1, col, 0, 32);
    canvas_stroke_end(&st);
    CHECK(log.lost, "a stroke cannot be replayed: the log is lost");
    log.lost = 0, log.ncalls = 0, log.used = 0;
    float many[40] = { 0 };
    canvas_polyline(&c, many, 20, 1, col); /* 160 bytes of points: more than the pool */
    CHECK(log.lost, "points past the pool lose the log");
    log.lost = 0, log.ncalls = 0, log.used = 0;
    for (int i = 0; i < 4; i++)
        canvas_disc(&c, i, i, 1, col);
    CHECK(log.lost && log.ncalls == 3, "a fourth call past three places loses the log");
    c.hash = NULL, c.log = NULL;
    canvas_log_free(&log);
    canvas_free(&c);
}

void test_canvas(void)
{
    test_hash_mode();
    test_hash_log();
    test_horizontal_lines();
    test_diagonal_coverage();
    test_random_shapes();
    test_sync_equals_copy();
    test_changes_cover();
    test_banded_stroke();
    test_wild_input();
    test_disc_and_ring();
    test_translucent_polyline();
    test_blend_and_blit();
    test_mask_equals_blit();
    test_png_round_trip();
    test_png_failures();
    test_clip();
    test_shift();
}
