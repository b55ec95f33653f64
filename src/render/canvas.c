/* The canvas's pixels and their bookkeeping: allocation, copies, the damage a sync reads,
 * the changes a window sends, clip boxes. Drawing is canvas_shapes.c's and canvas_blit.c's. */
#include "canvas.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canvas_parts.h"

uint32_t canvas_pixel(Rgba col)
{
    return 0xff000000u | (uint32_t)col.r << 16 | (uint32_t)col.g << 8 | col.b;
}

static int cover_init(CanvasCover *k, int w, int h)
{
    const size_t n = (size_t)w * (size_t)h;
    /* The list makes blending a polyline cost what it covers. An eighth of the canvas is
     * more than a polyline covers in practice; one that covers more is blended through
     * the dirty bits of the rows it visited instead. */
    k->cap = (int)(n / 8) + 1024;
    k->words = (w + 64 * CANVAS_COVER_RUN - 1) / (64 * CANVAS_COVER_RUN);
    k->alpha = calloc(n, 1);
    k->list = malloc((size_t)k->cap * sizeof *k->list);
    k->dirty = calloc((size_t)h * (size_t)k->words, sizeof *k->dirty);
    if (!k->alpha || !k->list || !k->dirty)
        return -1;
    k->top = h;
    k->bottom = -1;
    return 0;
}

/* See canvas_parts.h. */
void canvas_widen(int *d, int j0, int j1, int i0, int i1)
{
    for (int j = j0; j <= j1; j++) {
        d[2 * j] = i0 < d[2 * j] ? i0 : d[2 * j];
        d[2 * j + 1] = i1 > d[2 * j + 1] ? i1 : d[2 * j + 1];
    }
}

void canvas_damage(Canvas *c, int j0, int j1, int i0, int i1)
{
    if (c->damage && !c->quiet)
        canvas_widen(c->damage, j0, j1, i0, i1);
    if (c->changed)
        canvas_widen(c->changed, j0, j1, i0, i1);
}

/* Row j of a per-row span record back to no change (first > last). */
static void span_clear(int *d, int j)
{
    d[2 * j] = INT_MAX;
    d[2 * j + 1] = -1;
}

static void damage_clear_row(Canvas *c, int j)
{
    span_clear(c->damage, j);
}

int canvas_init(Canvas *c, int w, int h, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    if (w < 1 || h < 1 || w > CANVAS_MAX_SIDE || h > CANVAS_MAX_SIDE) {
        snprintf(err, errlen, "canvas size %dx%d is outside 1..%d on a side", w, h, CANVAS_MAX_SIDE);
        return -1;
    }
    c->px = malloc((size_t)w * (size_t)h * sizeof *c->px);
    c->damage = malloc(2 * (size_t)h * sizeof *c->damage);
    if (!c->px || !c->damage || cover_init(&c->cover, w, h) < 0) {
        canvas_free(c);
        snprintf(err, errlen, "out of memory for a %dx%d canvas", w, h);
        return -1;
    }
    c->w = w;
    c->h = h;
    for (int j = 0; j < h; j++)
        damage_clear_row(c, j);
    canvas_fill(c, (Rgba){ 0, 0, 0, 255 });
    return 0;
}

void canvas_free(Canvas *c)
{
    free(c->px);
    free(c->cover.alpha);
    free(c->cover.list);
    free(c->cover.dirty);
    free(c->damage);
    free(c->changed);
    memset(c, 0, sizeof *c);
}

void canvas_fill(Canvas *c, Rgba col)
{
    const uint32_t v = canvas_pixel(col);
    const size_t n = (size_t)c->w * (size_t)c->h;
    for (size_t i = 0; i < n; i++)
        c->px[i] = v;
    canvas_damage(c, 0, c->h - 1, 0, c->w - 1);
}

void canvas_copy(Canvas *dst, const Canvas *src)
{
    if (dst->w != src->w || dst->h != src->h || dst->px == src->px)
        return;
    memcpy(dst->px, src->px, (size_t)src->w * (size_t)src->h * sizeof *src->px);
    canvas_damage(dst, 0, dst->h - 1, 0, dst->w - 1);
}

void canvas_copy_rect(Canvas *dst, const Canvas *src, int x, int y, int w, int h)
{
    if (dst->w != src->w || dst->h != src->h)
        return;
    const int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    const int x1 = x + w > dst->w ? dst->w : x + w, y1 = y + h > dst->h ? dst->h : y + h;
    if (x0 >= x1 || y0 >= y1)
        return;
    for (int row = y0; row < y1; row++)
        memcpy(dst->px + (size_t)row * dst->w + x0, src->px + (size_t)row * src->w + x0,
               (size_t)(x1 - x0) * sizeof *src->px);
    canvas_damage(dst, y0, y1 - 1, x0, x1 - 1);
}

int canvas_track_changes(Canvas *c)
{
    if (!c->changed) {
        c->changed = malloc(2 * (size_t)c->h * sizeof *c->changed);
        if (!c->changed)
            return -1;
    }
    for (int j = 0; j < c->h; j++) {
        c->changed[2 * j] = 0;
        c->changed[2 * j + 1] = c->w - 1;
    }
    return 0;
}

int canvas_take_changes(Canvas *c, CanvasBox *boxes, int max)
{
    if (max < 1)
        return 0;
    if (!c->changed) {
        boxes[0] = (CanvasBox){ 0, 0, c->w, c->h };
        return 1;
    }
    int n = 0, open = 0;
    for (int j = 0; j < c->h; j++) {
        int *d = c->changed + 2 * j;
        if (d[0] > d[1]) {
            open = 0;
            continue;
        }
        if (open || n == max) {
            CanvasBox *b = &boxes[n - 1];
            const int x0 = d[0] < b->x ? d[0] : b->x, x1 = d[1] > b->x + b->w - 1 ? d[1] : b->x + b->w - 1;
            b->x = x0;
            b->w = x1 - x0 + 1;
            b->h = j - b->y + 1;
        } else {
            boxes[n++] = (CanvasBox){ d[0], j, d[1] - d[0] + 1, 1 };
        }
        open = 1;
        span_clear(c->changed, j);
    }
    return n;
}

int canvas_damaged(const Canvas *c, int y, int *x0, int *x1)
{
    if (!c->damage || y < 0 || y >= c->h || c->damage[2 * y] > c->damage[2 * y + 1])
        return 0;
    *x0 = c->damage[2 * y];
    *x1 = c->damage[2 * y + 1];
    return 1;
}

void canvas_sync(Canvas *dst, Canvas *src)
{
    canvas_sync_rows(dst, src, 0, dst->h);
}

void canvas_sync_rows(Canvas *dst, Canvas *src, int row0, int row1)
{
    if (dst->w != src->w || dst->h != src->h || dst->px == src->px)
        return;
    if (!dst->damage || !src->damage) {
        canvas_copy_rect(dst, src, 0, row0, dst->w, row1 - row0);
        return;
    }
    row0 = row0 < 0 ? 0 : row0;
    row1 = row1 > dst->h ? dst->h : row1;
    for (int j = row0; j < row1; j++) {
        const int *a = dst->damage + 2 * j, *b = src->damage + 2 * j;
        const int lo = a[0] < b[0] ? a[0] : b[0], hi = a[1] > b[1] ? a[1] : b[1];
        if (lo <= hi) {
            memcpy(dst->px + (size_t)j * dst->w + lo, src->px + (size_t)j * src->w + lo,
                   (size_t)(hi - lo + 1) * sizeof *src->px);
            if (dst->changed)
                canvas_widen(dst->changed, j, j, lo, hi);
        }
        damage_clear_row(dst, j);
        damage_clear_row(src, j);
    }
}

Rgba canvas_get(const Canvas *c, int x, int y)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return (Rgba){ 0, 0, 0, 0 };
    const uint32_t v = c->px[(size_t)y * c->w + x];
    return (Rgba){ (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v, 255 };
}

void canvas_clip(Canvas *c, CanvasBox box)
{
    canvas_hashed(c, CANVAS_CALL_CLIP, (const double[]){ box.x, box.y, box.w, box.h }, 4, (Rgba){ 0, 0, 0, 0 });
    c->clipped = 1;
    c->clip.x = box.x, c->clip.y = box.y, c->clip.w = box.w, c->clip.h = box.h;
}

void canvas_unclip(Canvas *c)
{
    canvas_hashed(c, CANVAS_CALL_CLIP, (const double[]){ 0, 0, -1, -1 }, 4, (Rgba){ 0, 0, 0, 0 });
    c->clipped = 0;
}

void canvas_touch(Canvas *c, CanvasBox box)
{
    int x0, x1, y0, y1;
    if (clip_span(box.x, box.w, 0, c->w, &x0, &x1) && clip_span(box.y, box.h, 0, c->h, &y0, &y1))
        canvas_damage(c, y0, y1 - 1, x0, x1 - 1);
}

int canvas_log_init(CanvasLog *log, int calls, size_t bytes)
{
    memset(log, 0, sizeof *log);
    log->calls = malloc((size_t)calls * sizeof *log->calls);
    log->pool = malloc(bytes);
    if (!log->calls || !log->pool) {
        canvas_log_free(log);
        return -1;
    }
    log->cap = calls;
    log->pool_cap = bytes;
    return 0;
}

void canvas_log_free(CanvasLog *log)
{
    free(log->calls);
    free(log->pool);
    memset(log, 0, sizeof *log);
}

CanvasCall *canvas_log_call(const Canvas *c, CanvasCallKind kind, const double *v, int n, Rgba col)
{
    CanvasLog *log = c->log;
    /* Only what panels.c can draw again is kept; anything else makes the log lost. */
    const int replayable = kind == CANVAS_CALL_RECT || kind == CANVAS_CALL_LINE || kind == CANVAS_CALL_POLYLINE ||
                           kind == CANVAS_CALL_DISC || kind == CANVAS_CALL_RING || kind == CANVAS_CALL_TEXT;
    if (!log || log->lost || !replayable || log->ncalls >= log->cap || n > 6) {
        if (log)
            log->lost = 1;
        return NULL;
    }
    CanvasCall *call = &log->calls[log->ncalls++];
    call->kind = kind;
    call->n = 0;
    call->col = col;
    call->at = 0;
    for (int i = 0; i < n; i++)
        call->v[i] = v[i];
    return call;
}

void canvas_log_bytes(const Canvas *c, CanvasCall *call, const void *p, size_t bytes, int n)
{
    CanvasLog *log = c->log;
    if (!log || !call || log->lost)
        return;
    const size_t at = (log->used + 7) & ~(size_t)7; /* points are read back as floats */
    if (at + bytes > log->pool_cap) {
        log->lost = 1;
        return;
    }
    memcpy(log->pool + at, p, bytes);
    log->used = at + bytes;
    call->at = at;
    call->n = n;
}
