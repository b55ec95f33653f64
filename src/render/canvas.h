/* The picture optiscope shows: a 32-bit pixel buffer with anti-aliased drawing primitives.
 * The window uploads it to a texture and screenshots write it to PNG, so both are
 * pixel-identical. No SDL here: it all runs in headless tests. */
#ifndef OPTISCOPE_CANVAS_H
#define OPTISCOPE_CANVAS_H

#include <stddef.h>
#include <stdint.h>

#define CANVAS_MAX_SIDE 16384

/* Straight (non-premultiplied) alpha; a = 255 is opaque. */
typedef struct {
    uint8_t r, g, b, a;
} Rgba;

/* Scratch for canvas_polyline and strokes, which gather each pixel's largest alpha here
 * before blending the whole shape once. Owned by canvas_init; all zero between calls. */
typedef struct {
    uint8_t *alpha;     /* w*h */
    uint32_t *list;     /* the pixels whose alpha became non-zero, while there is room */
    int nlist, cap, overflow;
    uint64_t *dirty;    /* per row, `words` words of bits: which runs of columns were touched */
    int words;
    int top, bottom;    /* the rows visited; top > bottom when clean */
} CanvasCover;

/* The drawing calls hash mode can note down (see Canvas.hash and CanvasLog). */
typedef enum {
    CANVAS_CALL_RECT = 1,
    CANVAS_CALL_LINE,
    CANVAS_CALL_POLYLINE,
    CANVAS_CALL_STROKE,
    CANVAS_CALL_STROKE_LINE,
    CANVAS_CALL_STROKE_POLYLINE,
    CANVAS_CALL_DISC,
    CANVAS_CALL_RING,
    CANVAS_CALL_BLIT,
    CANVAS_CALL_MASK,
    CANVAS_CALL_CLIP,
    CANVAS_CALL_TEXT, /* text_draw's: v = font, x, y; the string in the pool */
} CanvasCallKind;

/* One call as hash mode saw it: its numbers in the order of its arguments, its colour, and
 * its points (polylines) or string (text) at `at` in the log's pool, n of them. */
typedef struct {
    CanvasCallKind kind;
    int n;
    double v[6];
    Rgba col;
    size_t at;
} CanvasCall;

/* The calls a drawing made in hash mode, kept so that they can be drawn as they were
 * without running the drawing again (panels.c replays a changed panel). Sized once;
 * `lost` is set when a call did not fit or is not one that can be replayed (strokes,
 * blits, masks, clips): then the drawing must run again instead. */
typedef struct {
    CanvasCall *calls;
    int ncalls, cap;
    unsigned char *pool;
    size_t used, pool_cap;
    int lost;
} CanvasLog;

/* Room for `calls` calls and `bytes` of points and strings; -1 when out of memory. */
int canvas_log_init(CanvasLog *log, int calls, size_t bytes);
void canvas_log_free(CanvasLog *log);

/* Pixels are 0xAARRGGBB (SDL_PIXELFORMAT_ARGB8888), rows top to bottom, pitch = w
 * pixels. The canvas itself is opaque: every pixel keeps A = 255. Pixel (i, j) covers
 * [i, i+1) x [j, j+1), so its centre is (i + 0.5, j + 0.5). A Canvas set up by hand
 * around someone else's pixels may leave cover and damage zeroed; its polylines are then
 * drawn one capsule per segment, slightly darker where translucent segments overlap, and
 * canvas_sync copies it whole. */
typedef struct {
    int w, h;
    uint32_t *px;
    CanvasCover cover;
    int *damage; /* per row, the first and last column changed since canvas_sync; first > last when none */
    int *changed; /* the same since canvas_take_changes, once canvas_track_changes asked for it */
    int clipped;  /* drawing stays inside clip (see canvas_clip) */
    struct {
        int x, y, w, h;
    } clip;
    int quiet;    /* while set, drawing records changes but no damage: what is drawn stays through the
                   * next canvas_sync (a panel kept across frames) and still goes to the screen */
    uint64_t *hash; /* while set, hash mode: each drawing call below (and text_draw) folds what it
                     * would draw, its kind and arguments, into *hash (FNV-1a) and touches no pixel,
                     * so a key of a drawing is the drawing itself run this way. Filling, copying,
                     * moving and syncing are not drawing calls: they are not for hash mode. */
    CanvasLog *log;  /* in hash mode, where the calls are also noted down, or NULL */
} Canvas;

/* In hash mode with a log (Canvas.log): notes a call and returns it, or NULL when it did
 * not fit or cannot be replayed (the log is then lost). canvas_log_bytes keeps its points or string. */
CanvasCall *canvas_log_call(const Canvas *c, CanvasCallKind kind, const double *v, int n, Rgba col);
void canvas_log_bytes(const Canvas *c, CanvasCall *call, const void *p, size_t bytes, int n);

/* A rectangle of whole pixels. */
typedef struct {
    int x, y, w, h;
} CanvasBox;

/* A colour as the canvas stores it: 0xAARRGGBB with A = 255 (its alpha is not kept). */
uint32_t canvas_pixel(Rgba col);

/* Allocates a w x h canvas (1..CANVAS_MAX_SIDE each side), filled opaque black.
 * On failure returns -1 with a message and leaves c empty. */
int canvas_init(Canvas *c, int w, int h, char *err, size_t errlen);
/* Frees what canvas_init allocated and empties c; freeing an empty canvas is fine. */
void canvas_free(Canvas *c);

/* From now on every drawing call below (rectangles, lines, strokes, discs, rings, blits)
 * touches only pixels inside the box, as if the canvas ended there; canvas_unclip lifts
 * it. Filling, copying and syncing ignore it. A strip of the map coming into view is
 * drawn this way, with the lines that cross its edges cut exactly there. */
void canvas_clip(Canvas *c, CanvasBox box);
void canvas_unclip(Canvas *c);
/* Counts the box as changed (damage and changes), after writing its pixels by hand. */
void canvas_touch(Canvas *c, CanvasBox box);
/* Moves the pixels of the box by (dx, dy) within it; what moves out is lost, and what
 * comes in at the other edges keeps the old pixels until the caller paints it. The box
 * counts as changed, unless `also` (a canvas of the same size, or NULL) gets the moved
 * pixels as well, in the same pass: then they count as changes of `also` (what a window
 * sends) and neither canvas needs syncing there. */
void canvas_shift(Canvas *c, CanvasBox box, int dx, int dy, Canvas *also);

/* Fills the box of dst from src, pixel (i, j) from src's (xmap[i], ymap[j]), or `fill`
 * where either is -1: the nearest pixels of another view's picture, as a zoom's first
 * frame shows it. A block of n fills n x n pixels from their top left's source, for a
 * fraction of the cost. With `also`, as canvas_shift: written there too in the same pass. */
void canvas_remap(Canvas *dst, const Canvas *src, CanvasBox box, const int *xmap, const int *ymap, int block,
                  Rgba fill, Canvas *also);

/* Sets every pixel to col, ignoring its alpha. */
void canvas_fill(Canvas *c, Rgba col);
/* Copies src's pixels into dst; does nothing unless both have the same size. */
void canvas_copy(Canvas *dst, const Canvas *src);
/* Copies a rectangle (clipped) between canvases of one size. */
void canvas_copy_rect(Canvas *dst, const Canvas *src, int x, int y, int w, int h);
/* Every drawing call notes the columns it touched on each row. canvas_sync makes dst equal
 * to src where either changed since they were last synced, and forgets those changes: a
 * frame rebuilt each time from a scene plus a few overlays costs what they cover, not the
 * whole picture. After canvas_init everything counts as changed; canvases of different
 * sizes are left alone, and one without damage records (set up by hand) is copied whole. */
void canvas_sync(Canvas *dst, Canvas *src);
/* The same for rows [row0, row1) only: threads may sync disjoint rows of one pair at once. */
void canvas_sync_rows(Canvas *dst, Canvas *src, int row0, int row1);
/* Also keep, from now on, what changed until canvas_take_changes collects it, for a window
 * that sends the screen only the pixels that changed. Everything counts as changed at
 * first. Returns -1 when out of memory. */
int canvas_track_changes(Canvas *c);
/* Collects and forgets what changed since the last call: consecutive changed rows make
 * one box as wide as their changes together, at most max boxes (the last takes in the
 * rest). Returns the number of boxes; without tracking, one box, the whole canvas. */
int canvas_take_changes(Canvas *c, CanvasBox *boxes, int max);
/* Whether row y changed since the last sync, and from which column to which. */
int canvas_damaged(const Canvas *c, int y, int *x0, int *x1);
/* The pixel at (x, y) with a = 255, or all zero outside the canvas. */
Rgba canvas_get(const Canvas *c, int x, int y);

/* All drawing below blends col over the canvas with weight alpha * coverage, rounded
 * as (src*a + dst*(255-a) + 127) / 255, and clips to the canvas. Non-finite coordinates
 * or sizes draw nothing; sizes above CANVAS_MAX_EXTENT are drawn at that size. */
#define CANVAS_MAX_EXTENT 1e7

/* Filled rectangle of whole pixels [x, x+w) x [y, y+h); w or h <= 0 draws nothing. */
void canvas_rect(Canvas *c, int x, int y, int w, int h, Rgba col);
/* The rectangle's border, `thick` pixels wide inside its edges; each pixel is blended
 * once, so translucent outlines have even corners. */
void canvas_rect_outline(Canvas *c, int x, int y, int w, int h, int thick, Rgba col);

/* Anti-aliased thick line with round caps (a capsule) from (x0, y0) to (x1, y1).
 * A pixel's coverage is clamp(width/2 + 0.5 - d, 0, 1), d the exact distance from its
 * centre to the segment. Widths below 0.5 are drawn as 0.5, width <= 0 draws nothing.
 * The cost follows the pixels covered, and far-away endpoints (1e9, 1e300) are clipped
 * before drawing, so any finite input is safe and quick. Each call blends on its own:
 * consecutive lines overlap at shared ends, which canvas_polyline avoids. */
void canvas_line(Canvas *c, double x0, double y0, double x1, double y1, double width, Rgba col);
/* Line through n points (x, y interleaved) with round joins. The whole polyline is one
 * shape: each pixel takes the coverage of its nearest segment, so joins and
 * self-crossings of translucent lines are not darkened. A non-finite point breaks the
 * line there; a lone point draws a dot of diameter width. Points are skipped while the
 * segment that replaces them passes within 1/256 pixel of them all, which moves no
 * pixel's alpha by more than one step and spares a dense path (thousands of points a
 * fraction of a pixel apart) most of its segments. */
void canvas_polyline(Canvas *c, const float *xy, int n, double width, Rgba col);
/* Many lines and polylines as one shape, as canvas_polyline draws one: each pixel takes
 * the coverage of its nearest segment and is blended once, at canvas_stroke_end. Only
 * rows [row0, row1) are drawn, and nothing outside them is touched (not even the cover
 * buffer's bookkeeping), so threads may stroke disjoint rows of one canvas at once; a
 * stroke of rows [0, h) is drawn exactly as a whole. The fields are private. On a canvas
 * without cover each segment is blended as it comes. */
typedef struct {
    Canvas *c;
    uint32_t rgb;
    int alpha, mode, row0, row1, col0, col1;
    double hw;
} CanvasStroke;
void canvas_stroke_begin(CanvasStroke *s, Canvas *c, double width, Rgba col, int row0, int row1);
void canvas_stroke_line(CanvasStroke *s, double x0, double y0, double x1, double y1);
void canvas_stroke_polyline(CanvasStroke *s, const float *xy, int n);
void canvas_stroke_end(CanvasStroke *s);
/* Filled circle, anti-aliased like a line: coverage clamp(r + 0.5 - d, 0, 1), d the
 * distance from the centre; r <= 0 draws nothing. */
void canvas_disc(Canvas *c, double cx, double cy, double r, Rgba col);
/* Circle outline: coverage clamp(width/2 + 0.5 - |d - r|, 0, 1) for r >= 0, widths
 * treated as for lines. */
void canvas_ring(Canvas *c, double cx, double cy, double r, double width, Rgba col);

/* Blends an ARGB8888 image with straight alpha (what SDL_ttf's TTF_RenderUTF8_Blended
 * makes) with its top-left corner at (x, y); opacity 0..255 scales its alpha as
 * (a * opacity + 127) / 255. pitch_bytes is the distance between its rows, a multiple
 * of 4 of at least 4 * sw (as SDL surfaces have); anything else draws nothing. */
void canvas_blit(Canvas *c, int x, int y, const uint32_t *src, int sw, int sh, int pitch_bytes,
                 uint8_t opacity);
/* Blends col through an 8-bit coverage mask (text's) with its top-left corner at (x, y):
 * weight (m * col.a + 127) / 255, the weight canvas_blit gives an image of col with alpha
 * m, so text drawn either way is the same. pitch is the distance between the mask's rows
 * in bytes, at least mw; anything else draws nothing. */
void canvas_mask(Canvas *c, int x, int y, const uint8_t *mask, int mw, int mh, int pitch, Rgba col);

#endif
