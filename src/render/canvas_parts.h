/* What the canvas's files share (canvas.c: the buffer, its damage and sync; canvas_shapes.c;
 * canvas_blit.c; canvas_move.c): blending, clipping and noting what changed. Not for use
 * outside them. */
#ifndef OPTISCOPE_CANVAS_PARTS_H
#define OPTISCOPE_CANVAS_PARTS_H

#include <stddef.h>

#include "../core/hash.h"
#include "canvas.h"

/* The cover buffer marks the pixels it holds in runs of this many columns of a row. */
#define CANVAS_COVER_RUN 32

/* In hash mode, folds a call's kind, its numbers and its colour into c's hash, notes the
 * call in c's log if it has one, and returns 1: the call then draws nothing. Returns 0
 * otherwise. */
static inline int canvas_hashed(const Canvas *c, CanvasCallKind kind, const double *v, size_t n, Rgba col)
{
    if (!c->hash)
        return 0;
    uint64_t h = hash_bytes(hash_int(*c->hash, kind), v, n * sizeof *v);
    *c->hash = hash_bytes(h, &col, sizeof col);
    if (c->log)
        canvas_log_call(c, kind, v, (int)n, col);
    return 1;
}

/* Rows j0..j1, columns i0..i1 of c were drawn: damage (unless quiet) and changes. */
void canvas_damage(Canvas *c, int j0, int j1, int i0, int i1);
/* Widens the spans of rows j0..j1 in a per-row span record to take in columns i0..i1. */
void canvas_widen(int *d, int j0, int j1, int i0, int i1);

/* (src*a + dst*(255-a) + 127) / 255 per channel, red and blue together in two 16-bit
 * lanes of one word. For x <= 65152, x / 255 == (x + 1 + (x >> 8)) >> 8; the whole
 * function was checked against the plain formula for every src, dst and a. */
static inline uint32_t blend(uint32_t dst, uint32_t rgb, uint32_t a)
{
    const uint32_t na = 255 - a;
    uint32_t rb = (rgb & 0xff00ff) * a + (dst & 0xff00ff) * na + 0x7f007f;
    uint32_t g = (rgb & 0xff00) * a + (dst & 0xff00) * na + 0x7f00;
    rb = ((rb + 0x10001 + ((rb >> 8) & 0xff00ff)) >> 8) & 0xff00ff;
    g = ((g + 0x100 + ((g >> 8) & 0xff00)) >> 8) & 0xff00;
    return 0xff000000u | rb | g;
}

static inline void blend_at(uint32_t *p, uint32_t rgb, uint32_t a)
{
    if (a >= 255)
        *p = rgb;
    else if (a)
        *p = blend(*p, rgb, a);
}

/* Dirty bits for the pixels of row j whose alpha may be set: one per CANVAS_COVER_RUN
 * columns, `words` words per row. */
static inline uint64_t *cover_dirty_row(const CanvasCover *k, int j)
{
    return k->dirty + (size_t)j * (size_t)k->words;
}

/* Clips [x, x + len) to [from, to) in wide arithmetic so x + len cannot overflow. */
static inline int clip_span(int x, int len, int from, int to, int *lo, int *hi)
{
    const long long a = x < from ? from : x, b = (long long)x + len;
    *lo = (int)a;
    *hi = (int)(b > to ? to : b);
    return *lo < *hi;
}

/* The pixels drawing may touch: [x0, x1) x [y0, y1), the canvas cut to its clip box. */
typedef struct {
    int x0, y0, x1, y1;
} Bounds;

static inline Bounds bounds(const Canvas *c)
{
    Bounds b = { 0, 0, c->w, c->h };
    if (c->clipped) {
        b.x0 = c->clip.x > 0 ? c->clip.x : 0;
        b.y0 = c->clip.y > 0 ? c->clip.y : 0;
        b.x1 = c->clip.x + c->clip.w < c->w ? c->clip.x + c->clip.w : c->w;
        b.y1 = c->clip.y + c->clip.h < c->h ? c->clip.y + c->clip.h : c->h;
        b.x1 = b.x1 > b.x0 ? b.x1 : b.x0;
        b.y1 = b.y1 > b.y0 ? b.y1 : b.y0;
    }
    return b;
}

#endif
