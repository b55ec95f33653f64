/* Images and coverage masks blended into the canvas: SDL_ttf-style ARGB images and the
 * text's glyph masks. */
#include "../core/bytes.h"
#include "canvas_parts.h"

/* An image's or a mask's rows, in hash mode: rows of `row` bytes, `pitch` apart. */
static void hash_rows(const Canvas *c, const void *src, int rows, size_t row, size_t pitch)
{
    for (int j = 0; src && j < rows; j++)
        *c->hash = hash_bytes(*c->hash, (const uint8_t *)src + (size_t)j * pitch, row);
}

void canvas_blit(Canvas *c, int x, int y, const uint32_t *src, int sw, int sh, int pitch_bytes,
                 uint8_t opacity)
{
    if (canvas_hashed(c, CANVAS_CALL_BLIT, (const double[]){ x, y, sw, sh, opacity }, 5, (Rgba){ 0, 0, 0, 0 })) {
        if (sw > 0 && pitch_bytes >= 4 * sw)
            hash_rows(c, src, sh, 4 * (size_t)sw, (size_t)pitch_bytes);
        return;
    }
    int x0, x1, y0, y1;
    const Bounds b = bounds(c);
    if (!src || !opacity || pitch_bytes % 4 || pitch_bytes / 4 < sw ||
        !clip_span(x, sw, b.x0, b.x1, &x0, &x1) || !clip_span(y, sh, b.y0, b.y1, &y0, &y1))
        return;
    for (int j = y0; j < y1; j++) {
        const uint32_t *in = (const uint32_t *)((const uint8_t *)src + (size_t)(j - y) * (size_t)pitch_bytes);
        uint32_t *out = c->px + (size_t)j * c->w;
        for (int i = x0; i < x1; i++) {
            const uint32_t s = in[i - x];
            const uint32_t a = ((s >> 24) * opacity + 127) / 255;
            blend_at(&out[i], s | 0xff000000u, a);
        }
    }
    canvas_damage(c, y0, y1 - 1, x0, x1 - 1);
}

void canvas_mask(Canvas *c, int x, int y, const uint8_t *mask, int mw, int mh, int pitch, Rgba col)
{
    if (canvas_hashed(c, CANVAS_CALL_MASK, (const double[]){ x, y, mw, mh }, 4, col)) {
        if (mw > 0 && pitch >= mw)
            hash_rows(c, mask, mh, (size_t)mw, (size_t)pitch);
        return;
    }
    int x0, x1, y0, y1;
    const Bounds b = bounds(c);
    if (!mask || !col.a || pitch < mw || !clip_span(x, mw, b.x0, b.x1, &x0, &x1) ||
        !clip_span(y, mh, b.y0, b.y1, &y0, &y1))
        return;
    const uint32_t rgb = canvas_pixel(col), alpha = col.a;
    /* Most of a line of text's box is empty: eight clear pixels are passed over at once. */
    for (int j = y0; j < y1; j++) {
        const uint8_t *in = mask + (size_t)(j - y) * (size_t)pitch + (size_t)(x0 - x);
        uint32_t *out = c->px + (size_t)j * c->w;
        for (int i = x0; i < x1; i++) {
            if (i + 8 <= x1 && bytes_load8(in + i - x0) == 0) {
                i += 7;
                continue;
            }
            const uint32_t m = in[i - x0];
            if (m)
                blend_at(&out[i], rgb, alpha == 255 ? m : (m * alpha + 127) / 255);
        }
    }
    canvas_damage(c, y0, y1 - 1, x0, x1 - 1);
}
