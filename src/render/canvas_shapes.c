/* Drawing shapes into the canvas: rectangles, and capsules (lines, polylines, strokes,
 * discs) and rings anti-aliased from exact distances, blended once per pixel through the
 * cover buffer where shapes overlap themselves. */
#include <math.h>
#include <string.h>

#include "../core/bytes.h"
#include "../core/trail.h"
#include "canvas_parts.h"

/* Pixels per batch in the inner loops: alphas are computed into a buffer this long. */
#define CANVAS_CHUNK 64
/* A polyline skips points while the segment that replaces them stays this close (in
 * pixels) to all of them. The drawn shape moves by at most this much, and a pixel's
 * coverage with it, so 1/256 changes no alpha by more than one step of 255. */
#define CANVAS_MERGE (1.0 / 256)
/* Capsules whose bounding box is at most this many pixels a side are drawn whole. */
#define CANVAS_SMALL 8

/* Where drawing goes: straight onto the pixels, or (for a polyline or a stroke) into the
 * cover buffer, keeping each pixel's largest alpha until pen_flush blends it once. A pen
 * that owns the whole canvas lists the pixels it covers, so the flush visits only them;
 * one limited to some rows (a thread's share) touches nothing outside them and its flush
 * goes through the runs of columns it marked on each of its rows. The public
 * CanvasStroke is this pen. */
enum { PEN_DIRECT, PEN_LIST, PEN_ROWS };
typedef CanvasStroke Pen;

/* A segment swept by a disc: points within r_out of it get some coverage, and full
 * coverage from a pixel inside r_out - 1. (ux, uy) is its unit direction, (1, 0) for a
 * dot; ux_inv and uy_inv are 0 where the component is 0. */
typedef struct {
    double ax, ay, len;
    double ux, uy, ux_inv, uy_inv;
    double r_out;
} Capsule;

void canvas_rect(Canvas *c, int x, int y, int w, int h, Rgba col)
{
    if (canvas_hashed(c, CANVAS_CALL_RECT, (const double[]){ x, y, w, h }, 4, col))
        return;
    int x0, x1, y0, y1;
    const Bounds b = bounds(c);
    if (!col.a || !clip_span(x, w, b.x0, b.x1, &x0, &x1) || !clip_span(y, h, b.y0, b.y1, &y0, &y1))
        return;
    const uint32_t rgb = canvas_pixel(col), a = col.a;
    for (int j = y0; j < y1; j++) {
        uint32_t *row = c->px + (size_t)j * c->w;
        if (a == 255)
            for (int i = x0; i < x1; i++)
                row[i] = rgb;
        else
            for (int i = x0; i < x1; i++)
                row[i] = blend(row[i], rgb, a);
    }
    canvas_damage(c, y0, y1 - 1, x0, x1 - 1);
}

void canvas_rect_outline(Canvas *c, int x, int y, int w, int h, int thick, Rgba col)
{
    if (thick <= 0 || w <= 0 || h <= 0)
        return;
    if (thick >= (w + 1) / 2 || thick >= (h + 1) / 2) {
        canvas_rect(c, x, y, w, h, col);
        return;
    }
    canvas_rect(c, x, y, w, thick, col);
    canvas_rect(c, x, y + h - thick, w, thick, col);
    canvas_rect(c, x, y + thick, thick, h - 2 * thick, col);
    canvas_rect(c, x + w - thick, y + thick, thick, h - 2 * thick, col);
}

static Pen pen_make(Canvas *c, Rgba col, int mode)
{
    const Bounds b = bounds(c);
    return (Pen){ .c = c, .rgb = canvas_pixel(col), .alpha = col.a, .mode = mode, .row0 = b.y0, .row1 = b.y1,
                  .col0 = b.x0, .col1 = b.x1 };
}

static int has_cover(const Canvas *c)
{
    const CanvasCover *k = &c->cover;
    return k->alpha && k->list && k->dirty && k->cap > 0;
}

static void flush_list(Pen *pen)
{
    CanvasCover *k = &pen->c->cover;
    for (int n = 0; n < k->nlist; n++) {
        const uint32_t i = k->list[n];
        blend_at(&pen->c->px[i], pen->rgb, k->alpha[i]);
        k->alpha[i] = 0;
    }
}

/* Blends the alphas gathered in one run of row j and clears them; eight clean pixels at
 * a time are passed over with one test. */
static void flush_run(Pen *pen, size_t row, int from, int to)
{
    uint8_t *const alpha = pen->c->cover.alpha + row;
    uint32_t *const px = pen->c->px + row;
    for (int i = from; i < to; i++) {
        if (i + 8 <= to && bytes_load8(alpha + i) == 0) {
            i += 7;
            continue;
        }
        if (alpha[i]) {
            blend_at(&px[i], pen->rgb, alpha[i]);
            alpha[i] = 0;
        }
    }
}

static void flush_row(Pen *pen, int j)
{
    const CanvasCover *k = &pen->c->cover;
    uint64_t *dirty = cover_dirty_row(k, j);
    const size_t row = (size_t)j * (size_t)pen->c->w;
    for (int w = 0; w < k->words; w++) {
        for (uint64_t bits = dirty[w]; bits; bits &= bits - 1) {
            const int from = (w * 64 + __builtin_ctzll(bits)) * CANVAS_COVER_RUN;
            const int to = from + CANVAS_COVER_RUN < pen->c->w ? from + CANVAS_COVER_RUN : pen->c->w;
            flush_run(pen, row, from, to);
        }
        dirty[w] = 0;
    }
}

static void pen_flush(Pen *pen)
{
    CanvasCover *k = &pen->c->cover;
    if (pen->mode == PEN_ROWS) {
        for (int j = pen->row0; j < pen->row1; j++)
            flush_row(pen, j);
        return;
    }
    if (k->overflow) {
        for (int j = k->top; j <= k->bottom; j++)
            flush_row(pen, j);
    } else {
        flush_list(pen);
        if (k->bottom >= k->top)
            memset(cover_dirty_row(k, k->top), 0,
                   (size_t)(k->bottom - k->top + 1) * (size_t)k->words * sizeof *k->dirty);
    }
    k->top = pen->c->h;
    k->bottom = -1;
    k->nlist = 0;
    k->overflow = 0;
}

/* Keeps the larger alpha per pixel and marks the runs of row j it touched. A listing
 * pen also notes the pixels that were clean in the list (or, when it is full, that the
 * flush must go through the marked runs), and the rows it visited. */
static void cover_span(Pen *pen, int j, int i0, size_t at, const uint32_t *a, int m)
{
    CanvasCover *k = &pen->c->cover;
    canvas_damage(pen->c, j, j, i0, i0 + m - 1);
    uint64_t *dirty = cover_dirty_row(k, j);
    for (int r = i0 / CANVAS_COVER_RUN; r <= (i0 + m - 1) / CANVAS_COVER_RUN; r++)
        dirty[r / 64] |= (uint64_t)1 << (r % 64);
    if (pen->mode == PEN_ROWS) {
        for (int n = 0; n < m; n++) {
            uint8_t *const p = &k->alpha[at + (size_t)n];
            *p = a[n] > *p ? (uint8_t)a[n] : *p;
        }
        return;
    }
    k->top = j < k->top ? j : k->top;
    k->bottom = j > k->bottom ? j : k->bottom;
    for (int n = 0; n < m; n++) {
        uint8_t *const p = &k->alpha[at + (size_t)n];
        if (a[n] <= *p)
            continue;
        if (*p == 0) {
            if (k->nlist < k->cap)
                k->list[k->nlist++] = (uint32_t)(at + (size_t)n);
            else
                k->overflow = 1;
        }
        *p = (uint8_t)a[n];
    }
}

/* Applies alphas a[0..m) to the pixels of row j from column i0 on. */
static void pen_span(Pen *pen, int j, int i0, const uint32_t *a, int m)
{
    const size_t at = (size_t)j * (size_t)pen->c->w + (size_t)i0;
    if (pen->mode != PEN_DIRECT) {
        cover_span(pen, j, i0, at, a, m);
        return;
    }
    uint32_t *const px = pen->c->px + at;
    const uint32_t rgb = pen->rgb;
    canvas_damage(pen->c, j, j, i0, i0 + m - 1);
    /* blend() is exact for a = 0 and a = 255 too, so no pixel needs a branch. */
    for (int n = 0; n < m; n++)
        px[n] = blend(px[n], rgb, a[n]);
}

/* round(cov * alpha) for cov clamped to [0, 1]. The clamp is on integers, which
 * compiles to conditional moves: partial, full and empty pixels alternate too
 * irregularly for branches to be predicted. cov is bounded (coordinates are clipped and
 * sizes capped), so the conversion cannot overflow. */
static inline uint32_t alpha_of(double cov, double alpha)
{
    const long long a = (long long)(cov * alpha + 0.5), top = (long long)alpha;
    return (uint32_t)(a < 0 ? 0 : a > top ? top : a);
}

/* The first of n pixels whose centre i + 0.5 is at or after x (n when none is), and
 * the last at or before x (-1 when none is). Compared in double first, so huge or NaN
 * values cannot overflow the conversion to int. */
static int first_pixel(double x, int n)
{
    x -= 0.5;
    if (!(x > 0))
        return 0;
    if (x >= n)
        return n;
    const int i = (int)x;
    return i + (i < x);
}

static int last_pixel(double x, int n)
{
    x -= 0.5;
    if (!(x >= 0))
        return -1;
    if (x >= n - 1)
        return n - 1;
    return (int)x;
}

/* Narrows [*lo, *hi] to the dx where vmin <= k*dx + b <= vmax (k_inv = 1/k, or 0 when
 * k is 0 and the condition does not depend on dx). Returns 0 when nothing is left. */
static int narrow(double k, double k_inv, double b, double vmin, double vmax, double *lo, double *hi)
{
    if (k_inv == 0)
        return b >= vmin && b <= vmax;
    double a = (vmin - b) * k_inv, z = (vmax - b) * k_inv;
    if (k < 0) {
        const double t = a;
        a = z;
        z = t;
    }
    if (a > *lo)
        *lo = a;
    if (z < *hi)
        *hi = z;
    return *lo <= *hi;
}

/* On row j, t runs along the segment and s across it; the distance is |s| beside the
 * segment and grows by how far t overshoots its ends past them. The alphas of a chunk
 * are computed first and blended after: two plain loops ran 20% faster than one that
 * mixes floating-point and integer work. */
static void capsule_row(Pen *pen, const Capsule *k, int j, double dy, int i0, int i1)
{
    const double ux = k->ux, uy = k->uy, len = k->len, r_out = k->r_out, alpha = pen->alpha;
    const double dx0 = i0 + 0.5 - k->ax;
    double t = dx0 * ux + dy * uy, s = dy * ux - dx0 * uy;
    uint32_t a[CANVAS_CHUNK];
    for (int i = i0; i <= i1; i += CANVAS_CHUNK) {
        const int m = i1 - i + 1 < CANVAS_CHUNK ? i1 - i + 1 : CANVAS_CHUNK;
        for (int n = 0; n < m; n++, t += ux, s -= uy) {
            const double over = -t > t - len ? -t : t - len;
            const double e = (over + fabs(over)) * 0.5;
            a[n] = alpha_of(r_out - sqrt(s * s + e * e), alpha);
        }
        pen_span(pen, j, i, a, m);
    }
}

/* A capsule a few pixels across (an isoline through one cell, a step of a dense path):
 * most of what is drawn, and too small for capsule_draw's per-row set-up to pay off, so
 * its whole bounding box is evaluated, each pixel's distance taken from its projection
 * onto the segment clamped to the ends. */
static void capsule_draw_small(Pen *pen, const Capsule *k, int i0, int i1, int j0, int j1)
{
    const double ux = k->ux, uy = k->uy, len = k->len, r_out = k->r_out, alpha = pen->alpha;
    uint32_t a[CANVAS_SMALL];
    for (int j = j0; j <= j1; j++) {
        const double dy = j + 0.5 - k->ay;
        for (int i = i0; i <= i1; i++) {
            const double dx = i + 0.5 - k->ax, along = dx * ux + dy * uy;
            const double t = along < 0 ? 0 : along > len ? len : along;
            const double ex = dx - t * ux, ey = dy - t * uy;
            a[i - i0] = alpha_of(r_out - sqrt(ex * ex + ey * ey), alpha);
        }
        pen_span(pen, j, i0, a, i1 - i0 + 1);
    }
}

/* Visits only the capsule's bounding rectangle aligned with the segment: on each row the
 * span where both the along (t) and across (s) distances are in reach. */
static void capsule_draw(Pen *pen, const Capsule *k)
{
    const Canvas *c = pen->c;
    const double bx = k->ax + k->ux * k->len, by = k->ay + k->uy * k->len;
    const double top = k->ay < by ? k->ay : by, bottom = k->ay < by ? by : k->ay;
    int j0 = first_pixel(top - k->r_out, c->h), j1 = last_pixel(bottom + k->r_out, c->h);
    j0 = j0 > pen->row0 ? j0 : pen->row0;
    j1 = j1 < pen->row1 - 1 ? j1 : pen->row1 - 1;
    if (j1 - j0 < CANVAS_SMALL) {
        const double left = k->ax < bx ? k->ax : bx, right = k->ax < bx ? bx : k->ax;
        const int i0 = first_pixel(left - k->r_out, c->w), i1 = last_pixel(right + k->r_out, c->w);
        if (i1 - i0 < CANVAS_SMALL) {
            const int a = i0 > pen->col0 ? i0 : pen->col0, z = i1 < pen->col1 - 1 ? i1 : pen->col1 - 1;
            if (a <= z && j0 <= j1)
                capsule_draw_small(pen, k, a, z, j0, j1);
            return;
        }
    }
    for (int j = j0; j <= j1; j++) {
        const double dy = j + 0.5 - k->ay;
        double lo = -HUGE_VAL, hi = HUGE_VAL;
        if (!narrow(k->ux, k->ux_inv, dy * k->uy, -k->r_out, k->len + k->r_out, &lo, &hi) ||
            !narrow(-k->uy, -k->uy_inv, dy * k->ux, -k->r_out, k->r_out, &lo, &hi))
            continue;
        int i0 = first_pixel(k->ax + lo, c->w), i1 = last_pixel(k->ax + hi, c->w);
        i0 = i0 > pen->col0 ? i0 : pen->col0;
        i1 = i1 < pen->col1 - 1 ? i1 : pen->col1 - 1;
        if (i0 <= i1)
            capsule_row(pen, k, j, dy, i0, i1);
    }
}

static int clip_edge(double p, double q, double *t0, double *t1)
{
    if (p == 0)
        return q >= 0;
    const double t = q / p;
    if (p < 0) {
        if (t > *t1)
            return 0;
        if (t > *t0)
            *t0 = t;
    } else {
        if (t < *t0)
            return 0;
        if (t < *t1)
            *t1 = t;
    }
    return 1;
}

/* Liang–Barsky on p(t) = m + t*h, t in [-1, 1]. Written from the midpoint so that
 * endpoints near the largest doubles cannot overflow x1 - x0. */
static int clip_segment(double p[4], double xmin, double ymin, double xmax, double ymax)
{
    if (p[0] >= xmin && p[0] <= xmax && p[2] >= xmin && p[2] <= xmax && p[1] >= ymin && p[1] <= ymax &&
        p[3] >= ymin && p[3] <= ymax)
        return 1;
    const double mx = p[0] * 0.5 + p[2] * 0.5, my = p[1] * 0.5 + p[3] * 0.5;
    const double hx = p[2] * 0.5 - p[0] * 0.5, hy = p[3] * 0.5 - p[1] * 0.5;
    double t0 = -1, t1 = 1;
    if (!clip_edge(-hx, mx - xmin, &t0, &t1) || !clip_edge(hx, xmax - mx, &t0, &t1) ||
        !clip_edge(-hy, my - ymin, &t0, &t1) || !clip_edge(hy, ymax - my, &t0, &t1))
        return 0;
    p[0] = mx + t0 * hx;
    p[1] = my + t0 * hy;
    p[2] = mx + t1 * hx;
    p[3] = my + t1 * hy;
    return 1;
}

/* The drawn half width for a requested width, or -1 when nothing should be drawn. */
static double half_width(double width)
{
    if (!(width > 0))
        return -1;
    if (width < 0.5)
        return 0.25;
    return width < CANVAS_MAX_EXTENT ? width / 2 : CANVAS_MAX_EXTENT / 2;
}

static void capsule_set_direction(Capsule *k, double dx, double dy)
{
    k->len = sqrt(dx * dx + dy * dy); /* clipped, so no overflow for hypot to guard */
    if (!(k->len > 1e-9)) {
        k->len = 0;
        dx = 1;
        dy = 0;
    } else {
        dx /= k->len;
        dy /= k->len;
    }
    k->ux = dx;
    k->uy = dy;
    k->ux_inv = fabs(dx) > 1e-12 ? 1 / dx : 0;
    k->uy_inv = fabs(dy) > 1e-12 ? 1 / dy : 0;
}

/* Draws a capsule of half width hw; points far outside the canvas are first clipped
 * to it, grown by the reach of the coverage so the caps left behind are off-canvas. */
static void segment_draw(Pen *pen, double x0, double y0, double x1, double y1, double hw)
{
    double p[4] = { x0, y0, x1, y1 };
    if (!pen->c->px || !isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1))
        return;
    const double reach = hw + 1.5;
    if (!clip_segment(p, -reach, -reach, pen->c->w + reach, pen->c->h + reach))
        return;
    if ((p[1] > p[3] ? p[1] : p[3]) + reach < pen->row0 || (p[1] < p[3] ? p[1] : p[3]) - reach > pen->row1)
        return; /* beyond the pen's rows */
    Capsule k = { .ax = p[0], .ay = p[1], .r_out = hw + 0.5 };
    capsule_set_direction(&k, p[2] - p[0], p[3] - p[1]);
    capsule_draw(pen, &k);
}

void canvas_line(Canvas *c, double x0, double y0, double x1, double y1, double width, Rgba col)
{
    if (canvas_hashed(c, CANVAS_CALL_LINE, (const double[]){ x0, y0, x1, y1, width }, 5, col))
        return;
    const double hw = half_width(width);
    if (hw < 0 || !col.a)
        return;
    Pen pen = pen_make(c, col, PEN_DIRECT);
    segment_draw(&pen, x0, y0, x1, y1, hw);
}

static int point_ok(const float *xy, int i, int n)
{
    return i >= 0 && i < n && isfinite(xy[2 * (size_t)i]) && isfinite(xy[2 * (size_t)i + 1]);
}

/* The finite points first..last, drawn through as few of them as the tolerance allows. */
static void polyline_run(Pen *pen, const float *xy, int first, int last, double hw)
{
    const float *p = xy + 2 * (size_t)first;
    if (first == last) {
        segment_draw(pen, p[0], p[1], p[0], p[1], hw);
        return;
    }
    TrailSleeve s;
    trail_sleeve_start(&s, CANVAS_MERGE, p[0], p[1]);
    double bx = p[0], by = p[1]; /* the segment's end so far */
    for (int i = first + 1; i <= last; i++) {
        const double x = xy[2 * (size_t)i], y = xy[2 * (size_t)i + 1];
        if (!trail_sleeve_add(&s, x, y)) {
            segment_draw(pen, s.ax, s.ay, bx, by, hw);
            trail_sleeve_start(&s, CANVAS_MERGE, bx, by);
            trail_sleeve_add(&s, x, y);
        }
        bx = x;
        by = y;
    }
    segment_draw(pen, s.ax, s.ay, bx, by, hw);
}

static void pen_polyline(Pen *pen, const float *xy, int n, double hw)
{
    for (int i = 0; i < n; i++) {
        if (!point_ok(xy, i, n))
            continue;
        int last = i;
        while (point_ok(xy, last + 1, n))
            last++;
        polyline_run(pen, xy, i, last, hw);
        i = last;
    }
}

/* A polyline's points, in hash mode, and in the log with the call just noted. */
static void hash_points(const Canvas *c, const float *xy, int n)
{
    if (!xy || n <= 0)
        return;
    *c->hash = hash_bytes(*c->hash, xy, 2 * (size_t)n * sizeof *xy);
    if (c->log && c->log->ncalls > 0)
        canvas_log_bytes(c, &c->log->calls[c->log->ncalls - 1], xy, 2 * (size_t)n * sizeof *xy, n);
}

void canvas_polyline(Canvas *c, const float *xy, int n, double width, Rgba col)
{
    if (canvas_hashed(c, CANVAS_CALL_POLYLINE, (const double[]){ n, width }, 2, col)) {
        hash_points(c, xy, n);
        return;
    }
    const double hw = half_width(width);
    if (hw < 0 || !col.a || !xy || n <= 0)
        return;
    Pen pen = pen_make(c, col, has_cover(c) ? PEN_LIST : PEN_DIRECT);
    pen_polyline(&pen, xy, n, hw);
    if (pen.mode != PEN_DIRECT)
        pen_flush(&pen);
}

void canvas_stroke_begin(CanvasStroke *s, Canvas *c, double width, Rgba col, int row0, int row1)
{
    *s = pen_make(c, col, has_cover(c) ? PEN_ROWS : PEN_DIRECT);
    if (canvas_hashed(c, CANVAS_CALL_STROKE, (const double[]){ width, row0, row1 }, 3, col))
        return;
    s->hw = half_width(width);
    s->row0 = row0 > s->row0 ? row0 : s->row0;
    s->row1 = row1 < s->row1 ? row1 : s->row1;
    if (s->hw < 0 || !col.a || !c->px)
        s->row1 = s->row0; /* nothing to draw */
}

void canvas_stroke_line(CanvasStroke *s, double x0, double y0, double x1, double y1)
{
    if (canvas_hashed(s->c, CANVAS_CALL_STROKE_LINE, (const double[]){ x0, y0, x1, y1 }, 4, (Rgba){ 0, 0, 0, 0 }))
        return;
    if (s->row0 < s->row1)
        segment_draw(s, x0, y0, x1, y1, s->hw);
}

void canvas_stroke_polyline(CanvasStroke *s, const float *xy, int n)
{
    if (canvas_hashed(s->c, CANVAS_CALL_STROKE_POLYLINE, (const double[]){ n }, 1, (Rgba){ 0, 0, 0, 0 })) {
        hash_points(s->c, xy, n);
        return;
    }
    if (s->row0 < s->row1 && xy && n > 0)
        pen_polyline(s, xy, n, s->hw);
}

void canvas_stroke_end(CanvasStroke *s)
{
    if (s->c->hash)
        return;
    if (s->mode != PEN_DIRECT && s->row0 < s->row1)
        pen_flush(s);
}

void canvas_disc(Canvas *c, double cx, double cy, double r, Rgba col)
{
    if (canvas_hashed(c, CANVAS_CALL_DISC, (const double[]){ cx, cy, r }, 3, col))
        return;
    if (!(r > 0) || !col.a)
        return;
    Pen pen = pen_make(c, col, PEN_DIRECT);
    segment_draw(&pen, cx, cy, cx, cy, r < CANVAS_MAX_EXTENT ? r : CANVAS_MAX_EXTENT);
}

static void ring_span(Pen *pen, int j, double dy, double cx, double r, double reach, int from, int to)
{
    const int i0 = from > pen->col0 ? from : pen->col0, i1 = to < pen->col1 - 1 ? to : pen->col1 - 1;
    uint32_t a[CANVAS_CHUNK];
    for (int i = i0; i <= i1; i += CANVAS_CHUNK) {
        const int m = i1 - i + 1 < CANVAS_CHUNK ? i1 - i + 1 : CANVAS_CHUNK;
        for (int n = 0; n < m; n++) {
            const double dx = i + n + 0.5 - cx;
            a[n] = alpha_of(reach - fabs(sqrt(dx * dx + dy * dy) - r), pen->alpha);
        }
        pen_span(pen, j, i, a, m);
    }
}

/* One row of a ring: the outer circle's chord minus the hole's, as two spans, or one
 * when they meet. Spans are widened by a pixel against rounding in the square roots;
 * the per-pixel test decides. */
static void ring_row(Pen *pen, int j, double cx, double cy, double r, double reach)
{
    const int w = pen->c->w;
    const double dy = j + 0.5 - cy, ro = r + reach, ri = r - reach;
    if (fabs(dy) >= ro)
        return;
    const double xo = sqrt(ro * ro - dy * dy);
    const double xi = ri > 0 && fabs(dy) < ri ? sqrt(ri * ri - dy * dy) : 0;
    const int left0 = first_pixel(cx - xo, w) - 1, left1 = last_pixel(cx - xi, w) + 1;
    const int right0 = first_pixel(cx + xi, w) - 1, right1 = last_pixel(cx + xo, w) + 1;
    if (left1 + 1 >= right0) {
        ring_span(pen, j, dy, cx, r, reach, left0, right1);
        return;
    }
    ring_span(pen, j, dy, cx, r, reach, left0, left1);
    ring_span(pen, j, dy, cx, r, reach, right0, right1);
}

void canvas_ring(Canvas *c, double cx, double cy, double r, double width, Rgba col)
{
    if (canvas_hashed(c, CANVAS_CALL_RING, (const double[]){ cx, cy, r, width }, 4, col))
        return;
    const double hw = half_width(width);
    if (hw < 0 || !col.a || !c->px || !isfinite(cx) || !isfinite(cy) || !(r >= 0))
        return;
    if (r > CANVAS_MAX_EXTENT)
        r = CANVAS_MAX_EXTENT;
    const double reach = hw + 0.5, ro = r + reach;
    /* Off-canvas rings stop here, which also keeps every distance below finite bounds. */
    if (cx + ro < 0 || cy + ro < 0 || cx - ro > c->w || cy - ro > c->h)
        return;
    Pen pen = pen_make(c, col, PEN_DIRECT);
    int j0 = first_pixel(cy - ro, c->h), j1 = last_pixel(cy + ro, c->h);
    j0 = j0 > pen.row0 ? j0 : pen.row0;
    j1 = j1 < pen.row1 - 1 ? j1 : pen.row1 - 1;
    for (int j = j0; j <= j1; j++)
        ring_row(&pen, j, cx, cy, r, reach);
}
