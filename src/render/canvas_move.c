/* A box of the canvas moved within itself (a drag) or remapped from another canvas (a
 * zoom's first frame), written into a second canvas in the same pass when asked. */
#include <string.h>

#include "canvas_parts.h"

/* Whether a box moved within c is written into `also` too (see canvas_shift). */
static int writes_also(const Canvas *c, const Canvas *also)
{
    return also && also->w == c->w && also->h == c->h && also->px != c->px;
}

/* Rows y0..y1 - 1, columns x0..x1 - 1 of c were written: changed in `also` when it got them
 * too (neither needs syncing there), else damaged in c. */
static void moved(Canvas *c, Canvas *also, int y0, int y1, int x0, int x1)
{
    if (!writes_also(c, also))
        canvas_damage(c, y0, y1 - 1, x0, x1 - 1);
    else if (also->changed)
        canvas_widen(also->changed, y0, y1 - 1, x0, x1 - 1);
}

void canvas_remap(Canvas *dst, const Canvas *src, CanvasBox box, const int *xmap, const int *ymap, int block,
                  Rgba fill, Canvas *also)
{
    int x0, x1, y0, y1;
    if (dst->w != src->w || dst->h != src->h || !clip_span(box.x, box.w, 0, dst->w, &x0, &x1) ||
        !clip_span(box.y, box.h, 0, dst->h, &y0, &y1))
        return;
    const int copy = writes_also(dst, also);
    const uint32_t background = canvas_pixel(fill);
    const int n = block < 1 ? 1 : block;
    for (int j = y0; j < y1; j++) {
        uint32_t *out = dst->px + (size_t)j * dst->w;
        if ((j - y0) % n) {
            memcpy(out + x0, out - dst->w + x0, (size_t)(x1 - x0) * sizeof *out); /* a block's later row */
        } else if ((unsigned)ymap[j] >= (unsigned)src->h) {
            for (int i = x0; i < x1; i++)
                out[i] = background;
        } else {
            /* One unsigned comparison takes -1 and indices past the edge alike. */
            const uint32_t *in = src->px + (size_t)ymap[j] * src->w;
            const unsigned w = (unsigned)src->w;
            for (int i = x0; i < x1; i += n) {
                const uint32_t v = (unsigned)xmap[i] < w ? in[xmap[i]] : background;
                for (int k = i; k < i + n && k < x1; k++)
                    out[k] = v;
            }
        }
        if (copy)
            memcpy(also->px + (size_t)j * also->w + x0, out + x0, (size_t)(x1 - x0) * sizeof *out);
    }
    moved(dst, also, y0, y1, x0, x1);
}

/* Rows are visited away from where they move, so each is read before it is overwritten,
 * and copied on into `also` while still in the cache. */
void canvas_shift(Canvas *c, CanvasBox box, int dx, int dy, Canvas *also)
{
    int x0, x1, y0, y1;
    if (!clip_span(box.x, box.w, 0, c->w, &x0, &x1) || !clip_span(box.y, box.h, 0, c->h, &y0, &y1))
        return;
    const int w = x1 - x0, h = y1 - y0;
    const int copy = writes_also(c, also);
    if (dx >= w || -dx >= w || dy >= h || -dy >= h)
        return; /* everything moves out: all of it is the caller's to paint */
    const int from = dx > 0 ? x0 : x0 - dx, to = dx > 0 ? x0 + dx : x0, n = w - (dx > 0 ? dx : -dx);
    for (int k = 0; k < h - (dy > 0 ? dy : -dy); k++) {
        const int j = dy > 0 ? y1 - 1 - k : y0 + k;
        uint32_t *dst = c->px + (size_t)j * c->w, *src = c->px + (size_t)(j - dy) * c->w;
        memmove(dst + to, src + from, (size_t)n * sizeof *dst);
        if (copy)
            memcpy(also->px + (size_t)j * also->w + to, dst + to, (size_t)n * sizeof *dst);
    }
    moved(c, also, y0, y1, x0, x1);
}
