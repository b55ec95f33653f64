/* The picture of a session (see draw.h): the map layers and the frame's composition. The
 * panels (legend, plots, title, status, message, help) are drawn by panels.c.
 *
 * How a frame is made, and what each canvas keeps:
 *
 *   base   the map without runs: heat map, isolines, arrows, minima, axes, colour bar.
 *          Rebuilt only when its key (function, view, theme, layers, layout) changes.
 *     |  copied where the trails must be drawn again (all of it after a rebuild)
 *     v
 *   scene  base + every trail so far. A step adds only the new segments; a hidden run, a
 *          cut trail or a new base redraws all trails, in bands of rows on every core.
 *     |  canvas_sync: only rows and columns where scene or the last frame changed
 *     v
 *   frame  scene + current markers + panels: what the window shows and S writes.
 *
 * Every drawing call notes the columns it touched per row (canvas damage), so a steady
 * frame copies back only what the markers and panels covered last time. Paths and markers
 * may run past the map; restore_margins puts the base back there, on the scene after its
 * trails and on the frame after its markers, before the panels are drawn on top. The
 * window then sends the screen only what changed since it last did (canvas changes).
 *
 * While the view moves in a window (progressive frames) the scene does not wait for a new
 * base. A drag shifts the scene's map by whole pixels and paints only the strips coming
 * into view, on the base's colours and isoline levels; any other move (a wheel step)
 * resamples the base's map into the scene and draws the trails again. The ticks follow on
 * the base's margins. refine.c computes the exact base meanwhile (a coarse level first) and
 * it replaces the base when ready, after which the picture is what a fresh render gives. */
#include "draw.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/field.h"
#include "../core/func.h"
#include "../core/hash.h"
#include "../core/optim.h"
#include "../core/parallel.h"
#include "map.h"
#include "panels.h"
#include "refine.h"
#include "reuse.h"
#include "text.h"
#include "theme.h"
#include "why.h"

#define HEAT_LUT 1024
#define DRAW_MAX_SAMPLES 1e6
#define COLORBAR_DECADES 16 /* powers of ten from 1e-15 to 1e16 are tick candidates */
#define COLORBAR_LABELS 24
#define SHIFT_SAVED_ROWS 64 /* a drag frame moving the map further up or down goes on one thread */

/* What the base layer depends on: when any of it changes, the map is drawn again. */
typedef struct {
    Spec func;
    View view;
    Theme theme;
    unsigned shown;
    int w, h;
    CanvasBox xticks, yticks, xlabel, ylabel, colorbar;
    unsigned long basins; /* the basin map's version; 0 when none is drawn */
} BaseKey;

struct Draw {
    Canvas base, scene, frame; /* see the diagram above */
    Field field;
    Text *text;
    double s;     /* pixels per point */
    int threads;  /* the map and a full redraw of the trails are painted in this many bands of rows at once */
    int base_valid;
    BaseKey key;
    Layout layout; /* of the frame being drawn */
    long trail_version[SIM_MAX_RUNS];
    int trail_drawn[SIM_MAX_RUNS];
    int trail_hidden[SIM_MAX_RUNS];
    int scene_runs;
    float xy[2 * TRAIL_POINTS]; /* scratch for polylines */
    float trail_xy[SIM_MAX_RUNS][2 * TRAIL_POINTS]; /* every trail in pixels, shared by the bands of a full redraw */
    int trail_n[SIM_MAX_RUNS];
    unsigned long base_builds;  /* counts map recomputes (for the benchmark) */
    WhyBasins *basins;          /* the basin map and its worker */
    uint32_t lut[MAP_LUT];      /* the heat map's colours, of the base's palette */
    /* While the view moves (frames marked progressive): */
    View shown;                 /* what the scene shows: the base's view, or where a drag or zoom took it */
    int approx;                 /* the scene is not yet exactly the picture of `shown` */
    Field strip;                /* a strip coming into view, on the scaling of `field` */
    float strip_xy[4 * TRAIL_POINTS]; /* the pieces of a trail near the strip (see near_points) */
    int *xmap, *ymap;           /* the scene's pixels from the base's, per column and row */
    uint32_t *shift_saved;      /* threads x SHIFT_SAVED_ROWS rows: see shift_scene */
    Refine *refine;             /* the exact map, computed in the background */
    int refine_wanted;          /* asked for once the frame is drawn, not to slow it down */
    Reuse reuse;                /* what the frame keeps: panels and markers as last drawn */
};

Draw *draw_new(int w, int h, double s, char *err, size_t errlen)
{
    Draw *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory for the picture");
        return NULL;
    }
    field_init(&d->field);
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    d->threads = cores < 1 ? 1 : cores > PARALLEL_MAX ? PARALLEL_MAX : (int)cores;
    d->text = text_open(s, err, errlen);
    field_init(&d->strip);
    d->basins = d->text ? why_basins_new(d->threads, err, errlen) : NULL;
    d->refine = d->basins ? refine_new(d->threads, err, errlen) : NULL;
    if (!d->text || !d->basins || !d->refine || draw_resize(d, w, h, s, err, errlen) < 0) {
        draw_free(d);
        return NULL;
    }
    return d;
}

int draw_resize(Draw *d, int w, int h, double s, char *err, size_t errlen)
{
    if (d->s != s && d->s != 0 && text_resize(d->text, s, err, errlen) < 0)
        return -1;
    d->s = s;
    canvas_free(&d->base);
    canvas_free(&d->scene);
    canvas_free(&d->frame);
    d->base_valid = 0;
    free(d->xmap);
    free(d->ymap);
    free(d->shift_saved);
    d->xmap = malloc((size_t)w * sizeof *d->xmap);
    d->ymap = malloc((size_t)h * sizeof *d->ymap);
    d->shift_saved = malloc((size_t)d->threads * SHIFT_SAVED_ROWS * (size_t)w * sizeof *d->shift_saved);
    if (!d->xmap || !d->ymap || !d->shift_saved) {
        snprintf(err, errlen, "out of memory for a %dx%d picture", w, h);
        return -1;
    }
    reuse_forget(&d->reuse);
    if (canvas_init(&d->base, w, h, err, errlen) < 0 || canvas_init(&d->scene, w, h, err, errlen) < 0 ||
        canvas_init(&d->frame, w, h, err, errlen) < 0)
        return -1;
    return 0;
}

void draw_free(Draw *d)
{
    if (!d)
        return;
    refine_free(d->refine); /* first: its thread stops */
    canvas_free(&d->base);
    canvas_free(&d->scene);
    canvas_free(&d->frame);
    field_free(&d->field);
    field_free(&d->strip);
    free(d->xmap);
    free(d->ymap);
    free(d->shift_saved);
    why_basins_free(d->basins);
    text_close(d->text);
    free(d);
}

Canvas *draw_picture(Draw *d)
{
    return &d->frame;
}

void draw_invalidate(Draw *d)
{
    d->base_valid = 0;
}

int draw_settled(Draw *d)
{
    return !d->approx;
}

int draw_basins_json(Draw *d, const Session *ses, int live, char *buf, size_t len)
{
    unsigned long version;
    const BasinMap *m = why_basins_update(d->basins, ses, live, &version);
    if (!m)
        return -1;
    basin_json(m, buf, len);
    return 0;
}

int draw_busy(const Draw *d)
{
    return d->approx || why_basins_pending(d->basins);
}

unsigned long draw_map_builds(const Draw *d)
{
    return d->base_builds;
}

size_t draw_text_bytes(const Draw *d)
{
    return text_atlas_bytes(d->text);
}

const Layout *draw_last_layout(const Draw *d)
{
    return &d->layout;
}

void draw_run_colour(const Session *ses, int run, char out[8])
{
    const Rgba c = theme_palette(ses->theme)->runs[run];
    snprintf(out, 8, "#%02x%02x%02x", c.r, c.g, c.b);
}

static void lay_out(Draw *d, const Session *ses, int live, int recording, Layout *out)
{
    const LayoutIn in = {
        .w = d->frame.w,
        .h = d->frame.h,
        .s = d->s,
        .live = live,
        .shown = ses->shown,
        .legend = ses->legend,
        .nruns = ses->sim.nruns,
        .title = session_title(ses)[0] != 0,
        .subtitle = panels_caption_lines(ses),
        .need = panels_legend_need(ses, d->text, d->s),
        .status_width = live ? panels_status_need(ses, d->text) : 0,
        .readout_lines = panels_readout_lines(ses),
        .input = live && ses->edit.open,
        .recording = live && recording,
    };
    layout_compute(out, &in, d->text);
}

void draw_layout(Draw *d, const Session *ses, int live, Layout *out)
{
    lay_out(d, ses, live, 0, out);
}

/* One thread's share of a layer: whole rows of the canvas, so no two threads ever touch
 * one pixel and the picture does not depend on how many there are. */
typedef struct {
    Draw *d;
    const Session *ses;
    const Palette *pal;
    const MapPaint *map;    /* the map layer's paint */
    const BasinMap *basins; /* tints over the heat map, or NULL */
    int resample;           /* the scene's map comes from the base's through xmap and ymap */
    int row0, row1;
} Band;

static void parallel_rows(Draw *d, Band proto, void *(*work)(void *))
{
    Band bands[PARALLEL_MAX];
    const int n = d->threads; /* 1..PARALLEL_MAX, set by draw_init */
    const int h = d->base.h;
    for (int w = 0; w < n; w++) {
        bands[w] = proto;
        bands[w].row0 = (int)((long long)h * w / n);
        bands[w].row1 = (int)((long long)h * (w + 1) / n);
    }
    parallel_run(bands, sizeof bands[0], n, work);
}

static void *paint_map_band(void *arg)
{
    const Band *b = arg;
    map_heat(&b->d->base, b->map, b->row0, b->row1);
    if (b->basins)
        why_basins_paint(&b->d->base, b->basins, &b->ses->view, b->pal, b->row0, b->row1);
    if (b->ses->shown & SHOW_CONTOURS)
        map_isolines(&b->d->base, b->map, b->row0, b->row1);
    return NULL;
}

/* Arrows along the descent direction, their length growing with the log of |grad f|. */
static void paint_arrows(Draw *d, const Session *ses, const Palette *pal)
{
    const View *v = &ses->view;
    const double gap = LAYOUT_ARROW_SPACING * d->s, len = 0.42 * gap;
    double lo = INFINITY, hi = -INFINITY;
    for (int pass = 0; pass < 2; pass++) {
        /* Every arrow reaches at most 0.42 gap from its centre: centres at least gap / 2
         * inside the border keep them all on the map. */
        for (double sy = v->py + gap / 2; sy + gap / 2 <= v->py + v->ph; sy += gap) {
            for (double sx = v->px + gap / 2; sx + gap / 2 <= v->px + v->pw; sx += gap) {
                double g[2];
                func_grad(&ses->sim.func, view_wx(v, sx), view_wy(v, sy), g);
                const double n = hypot(g[0], g[1]);
                if (!isfinite(n) || n == 0)
                    continue;
                const double m = log(n);
                if (pass == 0) {
                    lo = fmin(lo, m), hi = fmax(hi, m);
                    continue;
                }
                const double r = len * (0.35 + 0.65 * (hi > lo ? (m - lo) / (hi - lo) : 1));
                /* Screen y grows downwards, so the y component flips. */
                const double ux = -g[0] / n, uy = g[1] / n;
                const double tx = sx + ux * r, ty = sy + uy * r, head = 0.3 * len;
                canvas_line(&d->base, sx - ux * r * 0.5, sy - uy * r * 0.5, tx, ty, 1.3 * d->s, pal->arrow);
                canvas_line(&d->base, tx, ty, tx - head * (ux - 0.5 * uy), ty - head * (uy + 0.5 * ux), 1.3 * d->s,
                            pal->arrow);
                canvas_line(&d->base, tx, ty, tx - head * (ux + 0.5 * uy), ty - head * (uy - 0.5 * ux), 1.3 * d->s,
                            pal->arrow);
            }
        }
    }
}

/* An × of half-size r at (sx, sy) if it is on the map: a wide stroke in `outer`, a narrow
 * one in `inner` over it. */
static int paint_cross(Draw *d, Canvas *c, const View *v, double sx, double sy, Rgba outer, Rgba inner,
                       double inner_w)
{
    const double r = 5.5 * d->s;
    if (sx < v->px || sy < v->py || sx > v->px + v->pw || sy > v->py + v->ph)
        return 0;
    for (int edge = 1; edge >= 0; edge--) {
        const Rgba col = edge ? outer : inner;
        const double w = (edge ? 3.6 : inner_w) * d->s;
        canvas_line(c, sx - r, sy - r, sx + r, sy + r, w, col);
        canvas_line(c, sx - r, sy + r, sx + r, sy - r, w, col);
    }
    return 1;
}

/* Minima found numerically for a typed formula: a hollow cross (the known minimum's colours
 * swapped) with a small "found", as they are found, not known. */
static void paint_found_minima(Draw *d, Canvas *c, const Session *ses, const Palette *pal)
{
    const double r = 5.5 * d->s;
    for (int i = 0; i < ses->nfound; i++) {
        const double sx = view_sx(&ses->view, ses->found[i][0]), sy = view_sy(&ses->view, ses->found[i][1]);
        if (paint_cross(d, c, &ses->view, sx, sy, pal->minimum, pal->marker_edge, 1.4))
            text_draw(d->text, c, FONT_SMALL, (int)(sx + r), (int)(sy - r) - text_height(d->text, FONT_SMALL),
                      pal->minimum, "found");
    }
}

/* Onto c: the base, or a strip of the scene coming into view. */
static void paint_minima(Draw *d, Canvas *c, const Session *ses, const Palette *pal)
{
    double m[FUNC_MAX_MINIMA][2];
    const int n = func_minima(&ses->sim.func, m);
    for (int i = 0; i < n; i++)
        paint_cross(d, c, &ses->view, view_sx(&ses->view, m[i][0]), view_sy(&ses->view, m[i][1]), pal->marker_edge,
                    pal->minimum, 1.6);
    paint_found_minima(d, c, ses, pal);
}

/* Tick spacing: 1, 2 or 5 times a power of ten, at least `min_world` apart. */
static double nice_step(double min_world)
{
    const double p = pow(10, floor(log10(min_world)));
    const double m = min_world / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* One format for every label of an axis: as many decimals as the step needs ("0.25",
 * "0.50"), or, for very large or very small numbers, one exponent form ("2.5e+14"). */
typedef struct {
    int scientific, digits;
} TickFormat;

static TickFormat tick_format(double lo, double hi, double step)
{
    const double mag = fmax(fabs(lo), fabs(hi));
    const int e_step = (int)floor(log10(step) + 1e-9);
    if (mag >= 1e6 || (step < 1e-4 && mag > 0)) {
        const int e_mag = (int)floor(log10(fmax(mag, step)));
        const int d = e_mag - e_step;
        return (TickFormat){ 1, d < 0 ? 0 : d > 15 ? 15 : d };
    }
    return (TickFormat){ 0, e_step >= 0 ? 0 : -e_step };
}

static void tick_label(char *buf, size_t len, double v, double step, TickFormat f, int relative)
{
    if (fabs(v) < step * 1e-6)
        v = 0;
    const char *fmt = f.scientific ? (relative && v > 0 ? "+%.*e" : "%.*e") : (relative && v > 0 ? "+%.*f" : "%.*f");
    snprintf(buf, len, fmt, f.digits, v);
}

/* Far from the origin, ticks would need a dozen digits: they show the distance from a
 * round offset instead, and a note in the map's corner gives the offset. */
static double axis_offset(double lo, double hi, double step)
{
    if (fmax(fabs(lo), fabs(hi)) / step < 1e5)
        return 0;
    return round(0.5 * (lo + hi) / step) * step;
}

static void paint_offsets(Draw *d, const View *v, const Palette *pal, double xoff, double yoff)
{
    if (xoff == 0 && yoff == 0)
        return;
    char note[128];
    snprintf(note, sizeof note, "ticks: x = %.15g + tick, y = %.15g + tick", xoff, yoff);
    const int pad = (int)(4 * d->s);
    text_fit(d->text, FONT_SMALL, note, sizeof note, (int)v->pw - 2 * pad);
    const int w = text_width(d->text, FONT_SMALL, note), h = text_height(d->text, FONT_SMALL);
    canvas_rect(&d->base, (int)v->px, (int)v->py, w + 2 * pad, h + pad, pal->panel);
    text_draw(d->text, &d->base, FONT_SMALL, (int)v->px + pad, (int)v->py + pad / 2, pal->text, note);
}

static int clamp_int(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The map's border: as thick as a point, all of it outside the map's pixels, which a drag
 * moves on their own. */
static int border_width(const Draw *d)
{
    return (int)fmax(1, d->s);
}

/* Tick marks on the map's border and their labels, each label kept inside its axis's box
 * (the first and last slide inward rather than stick out); with `notes`, the offset note
 * when ticks count from one. Marks are whole pixels, wholly outside the map. */
static void paint_ticks(Draw *d, const View *v, const Palette *pal, const Layout *l, int notes)
{
    Canvas *c = &d->base;
    const double s = d->s, tick = LAYOUT_TICK * s;
    const int mark = (int)fmax(1, lround(1.2 * s)), mark_len = (int)lround(tick);
    const int th = text_height(d->text, FONT_SMALL);
    char label[48];
    const CanvasBox xb = l->xticks, yb = l->yticks;
    const double xstep = nice_step(LAYOUT_TICK_SPACING * s * (v->x1 - v->x0) / v->pw);
    const double xoff = axis_offset(v->x0, v->x1, xstep);
    const TickFormat xf = tick_format(xoff ? 0 : v->x0, xoff ? xstep : v->x1, xstep);
    int last_right = INT_MIN / 2;
    for (double k = ceil((v->x0 - xoff) / xstep); xoff + k * xstep <= v->x1; k++) {
        const double x = xoff + k * xstep, sx = view_sx(v, x);
        canvas_rect(c, (int)lround(sx - mark / 2.0), (int)(v->py + v->ph), mark, mark_len, pal->axis);
        tick_label(label, sizeof label, xoff == 0 ? x : k * xstep, xstep, xf, xoff != 0);
        const int w = text_width(d->text, FONT_SMALL, label);
        const int lx = clamp_int((int)(sx - w / 2.0), xb.x, xb.x + xb.w - w);
        if (lx < last_right + (int)(4 * s) || w > xb.w)
            continue; /* slid against the x label: no room beside its neighbour */
        text_draw(d->text, c, FONT_SMALL, lx, (int)(v->py + v->ph + tick + 2 * s), pal->text_dim, label);
        last_right = lx + w;
    }
    const double ystep = nice_step(LAYOUT_TICK_SPACING * 0.7 * s * (v->y1 - v->y0) / v->ph);
    const double yoff = axis_offset(v->y0, v->y1, ystep);
    const TickFormat yf = tick_format(yoff ? 0 : v->y0, yoff ? ystep : v->y1, ystep);
    for (double k = ceil((v->y0 - yoff) / ystep); yoff + k * ystep <= v->y1; k++) {
        const double y = yoff + k * ystep, sy = view_sy(v, y);
        canvas_rect(c, (int)v->px - mark_len, (int)lround(sy - mark / 2.0), mark_len, mark, pal->axis);
        tick_label(label, sizeof label, yoff == 0 ? y : k * ystep, ystep, yf, yoff != 0);
        const int room = yb.w - (int)(tick + 3 * s);
        text_fit(d->text, FONT_SMALL, label, sizeof label, room);
        const int w = text_width(d->text, FONT_SMALL, label);
        const int ly = clamp_int((int)(sy - th / 2.0), yb.y, yb.y + yb.h - th);
        text_draw(d->text, c, FONT_SMALL, (int)(v->px - tick - 3 * s - w), ly, pal->text_dim, label);
    }
    if (notes)
        paint_offsets(d, v, pal, xoff, yoff);
}

static void paint_axis_labels(Draw *d, const Palette *pal, const Layout *l)
{
    if (l->xlabel.w > 0) {
        const int w = text_width(d->text, FONT_BODY, "x");
        text_draw(d->text, &d->base, FONT_BODY, l->xlabel.x + (l->xlabel.w - w) / 2, l->xlabel.y, pal->text, "x");
    }
    if (l->ylabel.w > 0) {
        const int h = text_height(d->text, FONT_BODY), w = text_width(d->text, FONT_BODY, "y");
        text_draw(d->text, &d->base, FONT_BODY, l->ylabel.x + l->ylabel.w - w, l->ylabel.y + (l->ylabel.h - h) / 2,
                  pal->text, "y");
    }
}

/* The heat map's scale: a bar of the colours, and the losses they stand for at round values
 * (0 and signed powers of ten), as many as fit without crowding. */
static void paint_colorbar(Draw *d, const Palette *pal, const uint32_t *lut, const Layout *l)
{
    const CanvasBox b = l->colorbar;
    if (b.w <= 0)
        return;
    Canvas *c = &d->base;
    const Field *f = &d->field;
    const double s = d->s;
    const int sh = text_height(d->text, FONT_SMALL), bar_y = b.y + sh + (int)(2 * s);
    const int bar_h = (int)(LAYOUT_COLORBAR_THICK * s + 0.5);
    text_draw(d->text, c, FONT_SMALL, b.x, b.y, pal->text_dim, f->flat ? "loss (flat)" : "loss, log scale");
    for (int x = 0; x < b.w; x++) {
        const uint32_t px = lut[(int)((b.w > 1 ? x / (double)(b.w - 1) : 0.5) * (HEAT_LUT - 1))];
        canvas_rect(c, b.x + x, bar_y, 1, bar_h, (Rgba){ (uint8_t)(px >> 16), (uint8_t)(px >> 8), (uint8_t)px, 255 });
    }
    canvas_rect_outline(c, b.x, bar_y, b.w, bar_h, 1, pal->axis);
    if (f->flat || !(f->logspan > 0))
        return;
    /* Candidates: 0 and ±1, 2, 5 times the powers of ten; the powers of ten (and 0) first
     * where they fit, then the twos and fives between them, none crowding another. */
    int spans[COLORBAR_LABELS][2], placed = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int e = -COLORBAR_DECADES; e <= COLORBAR_DECADES && placed < COLORBAR_LABELS; e++) {
            for (int k = 0; k < 6 && placed < COLORBAR_LABELS; k++) {
                const int m = k / 2 == 0 ? 1 : k / 2 == 1 ? 2 : 5;
                if ((pass == 0) != (m == 1))
                    continue;
                const double v = e == -COLORBAR_DECADES ? (k == 0 && pass == 0 ? 0 : NAN)
                                                        : (k % 2 ? -1 : 1) * m * pow(10, e);
                if (!(v >= f->lo && v <= f->hi))
                    continue;
                char label[32];
                snprintf(label, sizeof label, "%g", v);
                const int w = text_width(d->text, FONT_SMALL, label), gap = (int)(6 * s);
                const double x = b.x + field_t(f, v) * (b.w - 1);
                const int lx = clamp_int((int)(x - w / 2.0), b.x, b.x + b.w - w);
                int clear = 1;
                for (int i = 0; i < placed && clear; i++)
                    clear = lx + w + gap <= spans[i][0] || lx >= spans[i][1] + gap;
                if (!clear)
                    continue;
                canvas_line(c, x, bar_y + bar_h, x, bar_y + bar_h + LAYOUT_TICK * s * 0.8, 1.2 * s, pal->axis);
                text_draw(d->text, c, FONT_SMALL, lx, bar_y + bar_h + (int)(LAYOUT_TICK * s), pal->text_dim, label);
                spans[placed][0] = lx, spans[placed][1] = lx + w;
                placed++;
            }
        }
    }
}

static void paint_axes(Draw *d, const View *v, const Palette *pal, const uint32_t *lut, const Layout *l)
{
    const int t = border_width(d);
    canvas_rect_outline(&d->base, (int)v->px - t, (int)v->py - t, (int)v->pw + 2 * t, (int)v->ph + 2 * t, t,
                        pal->axis);
    paint_ticks(d, v, pal, l, 1);
    paint_axis_labels(d, pal, l);
    paint_colorbar(d, pal, lut, l);
}

/* Where the axes' ticks go, outside the border: the marks below it, the x labels' box, and
 * the y marks and labels left of it. */
#define TICK_BOXES 3
static void tick_boxes(const Draw *d, const View *v, CanvasBox box[TICK_BOXES])
{
    const Layout *l = &d->layout;
    const int t = border_width(d), tick = (int)lround(LAYOUT_TICK * d->s);
    const int x0 = (int)v->px, y0 = (int)v->py, x1 = x0 + (int)v->pw, y1 = y0 + (int)v->ph;
    box[0] = (CanvasBox){ x0 - t, y1 + t, x1 - x0 + 2 * t, tick - t };
    box[1] = (CanvasBox){ l->xticks.x, y1 + t, l->xticks.w, l->xticks.y + l->xticks.h - y1 - t };
    const int left = l->yticks.x < x0 - tick ? l->yticks.x : x0 - tick;
    const int top = l->yticks.y < y0 - t ? l->yticks.y : y0 - t;
    const int bottom = l->yticks.y + l->yticks.h > y1 + t ? l->yticks.y + l->yticks.h : y1 + t;
    box[2] = (CanvasBox){ left, top, x0 - t - left, bottom - top };
}

/* While the scene shows a view the base's map is not drawn for (a drag, a zoom waiting for
 * its exact map), the ticks follow the view: drawn again on the base and copied into the
 * scene. */
static void refresh_ticks(Draw *d, const Session *ses)
{
    const Palette *pal = theme_palette(ses->theme);
    CanvasBox box[TICK_BOXES];
    tick_boxes(d, &ses->view, box);
    for (int i = 0; i < TICK_BOXES; i++)
        canvas_rect(&d->base, box[i].x, box[i].y, box[i].w, box[i].h, pal->background);
    paint_ticks(d, &ses->view, pal, &d->layout, 0);
    for (int i = 0; i < TICK_BOXES; i++)
        canvas_copy_rect(&d->scene, &d->base, box[i].x, box[i].y, box[i].w, box[i].h);
}

static int base_key_same(const BaseKey *a, const BaseKey *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

/* The same but for where the view looks: a drag or zoom can move the picture there. */
static int base_key_same_but_view(const BaseKey *a, const BaseKey *b)
{
    BaseKey x = *a, y = *b;
    if (x.view.px != y.view.px || x.view.py != y.view.py || x.view.pw != y.view.pw || x.view.ph != y.view.ph)
        return 0;
    memset(&x.view, 0, sizeof x.view);
    memset(&y.view, 0, sizeof y.view);
    return base_key_same(&x, &y);
}

static int view_same(const View *a, const View *b)
{
    return a->x0 == b->x0 && a->x1 == b->x1 && a->y0 == b->y0 && a->y1 == b->y1 && a->px == b->px &&
           a->py == b->py && a->pw == b->pw && a->ph == b->ph;
}

/* What the session asks of the base layer now. */
static const BasinMap *base_key(Draw *d, const Session *ses, int live, BaseKey *key)
{
    memset(key, 0, sizeof *key);
    key->func = ses->sim.func;
    key->view = ses->view;
    key->theme = ses->theme;
    key->shown = ses->shown & (SHOW_CONTOURS | SHOW_ARROWS);
    key->w = d->base.w;
    key->h = d->base.h;
    key->xticks = d->layout.xticks, key->yticks = d->layout.yticks;
    key->xlabel = d->layout.xlabel, key->ylabel = d->layout.ylabel, key->colorbar = d->layout.colorbar;
    return why_basins_update(d->basins, ses, live, &key->basins);
}

/* What goes over the map's heat and isolines on the base, on the main thread (text is
 * drawn here): arrows, minima, the basin map's finds, the axes. The base then holds key. */
static void finish_base(Draw *d, const Session *ses, const BaseKey *key, const BasinMap *basins)
{
    const Palette *pal = theme_palette(ses->theme);
    map_lut(d->lut, pal);
    if (ses->shown & SHOW_ARROWS)
        paint_arrows(d, ses, pal);
    paint_minima(d, &d->base, ses, pal);
    if (basins)
        why_basins_found(&d->base, basins, &ses->view, d->s, pal);
    paint_axes(d, &ses->view, pal, d->lut, &d->layout);
    d->key = *key;
    d->base_valid = 1;
    d->shown = key->view;
    d->scene_runs = -1; /* the trails must be drawn again */
}

/* The base for key, drawn now on every core. */
static int build_base(Draw *d, const Session *ses, const BaseKey *key, const BasinMap *basins, char *err,
                      size_t errlen)
{
    const Palette *pal = theme_palette(ses->theme);
    const View *v = &ses->view;
    const int step = map_step(v);
    const CanvasBox pixels = { (int)v->px, (int)v->py, (int)v->pw, (int)v->ph };
    if (map_sample(&d->field, &ses->sim.func, v, pixels, step, NULL, d->threads, err, errlen) < 0)
        return -1;
    map_lut(d->lut, pal);
    const MapPaint map = map_paint_of(v, &d->field, d->lut, step, pal, d->s);
    parallel_rows(d, (Band){ .d = d, .ses = ses, .pal = pal, .map = &map, .basins = basins }, paint_map_band);
    finish_base(d, ses, key, basins);
    d->approx = 0;
    d->base_builds++;
    return 0;
}

static RefineJob refine_job(const Draw *d, const Session *ses)
{
    RefineJob job;
    memset(&job, 0, sizeof job);
    job.func = ses->sim.func;
    job.view = ses->view;
    job.theme = ses->theme;
    job.contours = (ses->shown & SHOW_CONTOURS) != 0;
    job.s = d->s;
    job.w = d->base.w;
    job.h = d->base.h;
    return job;
}

/* Pixel positions of trail points [from, n) into xy, clipped to a sane range so that a
 * far-away point cannot overflow a float. */
static int trail_pixels(const View *v, const Trail *t, int from, float *xy)
{
    int k = 0;
    for (int i = from; i < t->n; i++, k++) {
        xy[2 * k] = (float)fmax(-1e7, fmin(1e7, view_sx(v, t->xy[2 * i])));
        xy[2 * k + 1] = (float)fmax(-1e7, fmin(1e7, view_sy(v, t->xy[2 * i + 1])));
    }
    return k;
}

/* The map's pixels in view v, cut to the picture (huge text can push the map past its edge). */
static CanvasBox map_pixels(const View *v, const Canvas *c)
{
    const int x0 = clamp_int((int)v->px, 0, c->w), x1 = clamp_int((int)(v->px + v->pw), x0, c->w);
    const int y0 = clamp_int((int)v->py, 0, c->h), y1 = clamp_int((int)(v->py + v->ph), y0, c->h);
    return (CanvasBox){ x0, y0, x1 - x0, y1 - y0 };
}

/* Where each of the scene's map pixels comes from in the base's map when the scene shows
 * another view than the base was drawn for: the nearest pixel, or -1 where the base's map
 * does not reach (a zoom out), which shows the background until the map is computed. A
 * whole pixel's pan copies exactly. */
static void set_resample(Draw *d, const View *to)
{
    const View *from = &d->key.view;
    const CanvasBox b = map_pixels(to, &d->scene);
    const int x0 = b.x, x1 = b.x + b.w, y0 = b.y, y1 = b.y + b.h;
    for (int x = x0; x < x1; x++) {
        const double sx = floor(view_sx(from, view_wx(to, x + 0.5)));
        d->xmap[x] = sx >= x0 && sx < x1 ? (int)sx : -1;
    }
    for (int y = y0; y < y1; y++) {
        const double sy = floor(view_sy(from, view_wy(to, y + 0.5)));
        d->ymap[y] = sy >= y0 && sy < y1 ? (int)sy : -1;
    }
}

/* A band's rows of the base copied into the scene, or when the scene shows another view,
 * only its map resampled, into the frame as well: around it the scene is the base already
 * (restore_margins keeps it so, and refresh_ticks copied the new ticks), and the frame needs
 * no sync there but for the trails. */
static void scene_from_base(const Band *b)
{
    Draw *d = b->d;
    Canvas *sc = &d->scene;
    if (!b->resample) {
        canvas_copy_rect(sc, &d->base, 0, b->row0, sc->w, b->row1 - b->row0);
        return;
    }
    const View *v = &b->ses->view;
    const int y0 = clamp_int((int)v->py, b->row0, b->row1), y1 = clamp_int((int)(v->py + v->ph), y0, b->row1);
    const CanvasBox box = { (int)v->px, y0, (int)v->pw, y1 - y0 };
    /* The map is sampled every step pixels (every third at 4K), and so is its first frame. */
    canvas_remap(sc, &d->base, box, d->xmap, d->ymap, map_step(v), b->pal->background, &d->frame);
}

/* A band's rows of the scene: the map, then every visible trail, in run order. */
static void *paint_trails_band(void *arg)
{
    const Band *b = arg;
    Draw *d = b->d;
    const Session *ses = b->ses;
    scene_from_base(b);
    for (int i = 0; i < ses->sim.nruns; i++) {
        if (ses->sim.runs[i].hidden)
            continue;
        CanvasStroke s;
        canvas_stroke_begin(&s, &d->scene, THEME_TRAIL_WIDTH * d->s, b->pal->runs[i], b->row0, b->row1);
        canvas_stroke_polyline(&s, d->trail_xy[i], d->trail_n[i]);
        canvas_stroke_end(&s);
    }
    return NULL;
}

static void trails_in_pixels(Draw *d, const Session *ses)
{
    for (int i = 0; i < ses->sim.nruns; i++)
        d->trail_n[i] = ses->sim.runs[i].hidden ? 0 : trail_pixels(&ses->view, &ses->trails[i], 0, d->trail_xy[i]);
}

/* Every trail from its start, when the map under them changed or a trail was cut. */
static void redraw_trails(Draw *d, const Session *ses)
{
    trails_in_pixels(d, ses);
    const int resample = !view_same(&d->key.view, &ses->view);
    if (resample)
        set_resample(d, &ses->view);
    parallel_rows(d, (Band){ .d = d, .ses = ses, .pal = theme_palette(ses->theme), .resample = resample },
                  paint_trails_band);
    d->shown = ses->view;
}

/* Adds what the trails gained since the last frame; redraws them all when needed, and
 * then returns 1: the scene changed all over. */
static int update_scene(Draw *d, const Session *ses)
{
    int full = d->scene_runs != ses->sim.nruns;
    for (int i = 0; i < ses->sim.nruns && !full; i++)
        full = d->trail_version[i] != ses->trails[i].version || d->trail_hidden[i] != ses->sim.runs[i].hidden ||
               d->trail_drawn[i] > ses->trails[i].n;
    if (full)
        redraw_trails(d, ses);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const int from = d->trail_drawn[i] - 1;
        if (!full && !ses->sim.runs[i].hidden) {
            /* Only new segments: a lone point is the end already drawn, and drawing its dot
             * again every frame would thicken its rim. */
            const int n = trail_pixels(&ses->view, &ses->trails[i], from < 0 ? 0 : from, d->xy);
            if (n >= 2)
                canvas_polyline(&d->scene, d->xy, n, THEME_TRAIL_WIDTH * d->s, theme_palette(ses->theme)->runs[i]);
        }
        d->trail_version[i] = ses->trails[i].version;
        d->trail_drawn[i] = ses->trails[i].n;
        d->trail_hidden[i] = ses->sim.runs[i].hidden;
    }
    d->scene_runs = ses->sim.nruns;
    return full;
}

/* The pieces of a polyline whose segments come near box = {x0, y0, x1, y1}, the pieces
 * parted by a NaN point: a strip then strokes a few segments, not a whole trail. Returns
 * how many points went to out, which has room for 2n. */
static int near_points(const float *xy, int n, const double box[4], float *out)
{
    int k = 0, open = 0;
    for (int i = 0; i + 1 < n; i++) {
        const float *a = xy + 2 * i, *b = a + 2;
        const int near = fmax(a[0], b[0]) >= box[0] && fmin(a[0], b[0]) <= box[2] && fmax(a[1], b[1]) >= box[1] &&
                         fmin(a[1], b[1]) <= box[3];
        if (!near) {
            if (open)
                out[k++] = NAN, out[k++] = NAN;
            open = 0;
            continue;
        }
        if (!open)
            out[k++] = a[0], out[k++] = a[1];
        out[k++] = b[0], out[k++] = b[1];
        open = 1;
    }
    if (n == 1 && xy[0] >= box[0] && xy[0] <= box[2] && xy[1] >= box[1] && xy[1] <= box[3])
        out[k++] = xy[0], out[k++] = xy[1];
    return k / 2;
}

/* A strip of the map coming into view during a drag, drawn into the scene alone: its
 * samples (and a margin, so isolines cross its edges) on the colours and levels of the map
 * around it, then the minima and the trails so far, cut at its edges. */
static int paint_strip(Draw *d, const Session *ses, CanvasBox r, char *err, size_t errlen)
{
    const View *v = &ses->view;
    const int step = map_step(v), m = 2 * step;
    const CanvasBox around = { r.x - m, r.y - m, r.w + 2 * m, r.h + 2 * m };
    const int threads = (long)around.w * around.h > 200000 ? d->threads : 1;
    if (map_sample(&d->strip, &ses->sim.func, v, around, step, &d->field, threads, err, errlen) < 0)
        return -1;
    const Palette *pal = theme_palette(ses->theme);
    MapPaint map = map_paint_of(v, &d->strip, d->lut, step, pal, d->s);
    map.box = r, map.fx = around.x, map.fy = around.y, map.surround = 0;
    map_heat(&d->scene, &map, r.y, r.y + r.h);
    canvas_touch(&d->scene, r);
    canvas_clip(&d->scene, r);
    if (ses->shown & SHOW_CONTOURS)
        map_isolines(&d->scene, &map, r.y, r.y + r.h);
    paint_minima(d, &d->scene, ses, pal);
    const double reach = THEME_TRAIL_WIDTH * d->s / 2 + 2;
    const double near[4] = { r.x - reach, r.y - reach, r.x + r.w + reach, r.y + r.h + reach };
    for (int i = 0; i < ses->sim.nruns; i++) {
        CanvasStroke s;
        const int n = d->trail_n[i] < d->trail_drawn[i] ? d->trail_n[i] : d->trail_drawn[i];
        canvas_stroke_begin(&s, &d->scene, THEME_TRAIL_WIDTH * d->s, pal->runs[i], r.y, r.y + r.h);
        canvas_stroke_polyline(&s, d->strip_xy, near_points(d->trail_xy[i], n, near, d->strip_xy));
        canvas_stroke_end(&s);
    }
    canvas_unclip(&d->scene);
    return 0;
}

/* A band of the map's rows moved within itself, then the rows whose pixels come from the
 * next band up (or down), saved before any band began. */
typedef struct {
    Draw *d;
    CanvasBox box;
    int dx, dy, row0, row1;
    uint32_t *saved; /* |dy| rows of the box's width */
} ShiftBand;

static void *shift_band(void *arg)
{
    const ShiftBand *b = arg;
    Canvas *sc = &b->d->scene, *fr = &b->d->frame;
    const CanvasBox part = { b->box.x, b->row0, b->box.w, b->row1 - b->row0 };
    canvas_shift(sc, part, b->dx, b->dy, fr); /* the frame too: no sync of the whole map */
    if (!b->saved)
        return NULL;
    const int n = abs(b->dy), w = b->box.w, from = b->dx > 0 ? 0 : -b->dx, to = b->dx > 0 ? b->dx : 0;
    const int first = b->dy > 0 ? b->row0 : b->row1 - n;
    for (int k = 0; k < n; k++) {
        const size_t at = (size_t)(first + k) * sc->w + b->box.x + to;
        memcpy(sc->px + at, b->saved + (size_t)k * w + from, (size_t)(w - abs(b->dx)) * sizeof *sc->px);
        memcpy(fr->px + at, sc->px + at, (size_t)(w - abs(b->dx)) * sizeof *sc->px);
    }
    return NULL;
}

/* The scene's map (and the frame's) moved by whole pixels, in bands of rows on every core:
 * moving memory is most of a drag's frame at 4K. A band's rows whose pixels lie in the
 * neighbouring band are saved first, since that band may overwrite them before they are
 * read. A move of many rows at once goes on one thread. */
static void shift_scene(Draw *d, CanvasBox box, int dx, int dy)
{
    const int n = d->threads, rows = abs(dy);
    if (n < 2 || rows > SHIFT_SAVED_ROWS || abs(dx) >= box.w || box.h < 2 * n * (rows + 1)) {
        canvas_shift(&d->scene, box, dx, dy, &d->frame);
        return;
    }
    ShiftBand bands[PARALLEL_MAX];
    for (int k = 0; k < n; k++) {
        bands[k] = (ShiftBand){ d, box, dx, dy, box.y + (int)((long long)box.h * k / n),
                                box.y + (int)((long long)box.h * (k + 1) / n), NULL };
        const int neighbour = dy > 0 ? k > 0 : k < n - 1;
        if (!rows || !neighbour)
            continue;
        bands[k].saved = d->shift_saved + (size_t)k * SHIFT_SAVED_ROWS * d->scene.w;
        const int src = dy > 0 ? bands[k].row0 - rows : bands[k].row1;
        for (int j = 0; j < rows; j++)
            memcpy(bands[k].saved + (size_t)j * box.w, d->scene.px + (size_t)(src + j) * d->scene.w + box.x,
                   (size_t)box.w * sizeof *d->scene.px);
    }
    parallel_run(bands, sizeof bands[0], n, shift_band);
}

/* The scene follows a view that moved by whole pixels at one scale (a drag): its map moves
 * along, and only the strips coming into view are computed. Any other move redraws the
 * scene from the base's map, resampled (a zoom's first frame). */
static int move_scene(Draw *d, const Session *ses, char *err, size_t errlen)
{
    const View *from = &d->shown, *to = &ses->view;
    const double unit = (to->x1 - to->x0) / to->pw, dx = (from->x0 - to->x0) / unit, dy = (to->y1 - from->y1) / unit;
    const int same_scale = fabs((from->x1 - from->x0) - (to->x1 - to->x0)) <= 1e-9 * (to->x1 - to->x0) &&
                           fabs((from->y1 - from->y0) - (to->y1 - to->y0)) <= 1e-9 * (to->y1 - to->y0);
    const int whole = same_scale && fabs(dx) < 1e6 && fabs(dy) < 1e6 && fabs(dx - round(dx)) < 1e-6 &&
                      fabs(dy - round(dy)) < 1e-6;
    if (!whole || d->scene_runs != ses->sim.nruns) {
        d->scene_runs = -1; /* update_scene redraws it, resampled */
        return 0;
    }
    const CanvasBox box = map_pixels(to, &d->scene);
    const int sx = (int)lround(dx), sy = (int)lround(dy), ax = abs(sx), ay = abs(sy);
    shift_scene(d, box, sx, sy);
    CanvasBox strips[2];
    int n = 0;
    if (ax >= box.w || ay >= box.h) {
        strips[n++] = box;
    } else {
        if (sy)
            strips[n++] = (CanvasBox){ box.x, sy > 0 ? box.y : box.y + box.h - ay, box.w, ay };
        if (sx)
            strips[n++] = (CanvasBox){ sx > 0 ? box.x : box.x + box.w - ax, sy > 0 ? box.y + ay : box.y, ax, box.h - ay };
    }
    trails_in_pixels(d, ses);
    for (int k = 0; k < n; k++)
        if (strips[k].w > 0 && strips[k].h > 0 && paint_strip(d, ses, strips[k], err, errlen) < 0)
            return -1;
    d->shown = *to;
    return 0;
}

/* The base for the frame, and the scene moved along when the view did. Pictures (and
 * frames not marked progressive) get the exact map at once. A window's frame gets it at
 * once too when what changed is not where the view looks; when only that changed, the
 * scene moves with the view (shifted or resampled), the ticks follow, and the exact map is
 * refined in the background once the button is up, swapped in when ready. */
static int update_map(Draw *d, const Session *ses, const DrawOptions *o, char *err, size_t errlen)
{
    BaseKey key;
    const BasinMap *basins = base_key(d, ses, o->live, &key);
    if (!o->progressive || key.basins) {
        if (d->base_valid && base_key_same(&key, &d->key) && !d->approx)
            return 0;
        refine_cancel(d->refine);
        return build_base(d, ses, &key, basins, err, errlen);
    }
    if (refine_reserve(d->refine, d->base.w, d->base.h, err, errlen) < 0)
        return -1;
    const RefineJob job = refine_job(d, ses);
    const int level = refine_take(d->refine, &job, &d->base, &d->field);
    if (level != REFINE_NONE) {
        finish_base(d, ses, &key, NULL);
        d->approx = level != REFINE_EXACT;
        d->base_builds += level == REFINE_EXACT;
        return 0;
    }
    if (!d->base_valid || !base_key_same_but_view(&key, &d->key)) {
        refine_cancel(d->refine);
        return build_base(d, ses, &key, NULL, err, errlen);
    }
    if (!view_same(&ses->view, &d->shown)) {
        if (move_scene(d, ses, err, errlen) < 0)
            return -1;
        refresh_ticks(d, ses);
        d->approx = 1;
    }
    d->refine_wanted = d->approx && !o->dragging;
    return 0;
}

void draw_mark(Canvas *c, int mark, double cx, double cy, double r, double edge, Rgba col, Rgba edge_col)
{
    if (mark == MARK_SQUARE) {
        const double h = r * 0.9; /* a square as heavy as the disc */
        canvas_rect(c, (int)lround(cx - h - edge), (int)lround(cy - h - edge), (int)lround(2 * (h + edge)),
                    (int)lround(2 * (h + edge)), edge_col);
        canvas_rect(c, (int)lround(cx - h), (int)lround(cy - h), (int)lround(2 * h), (int)lround(2 * h), col);
        return;
    }
    if (edge > 0)
        canvas_disc(c, cx, cy, r + edge, edge_col);
    canvas_disc(c, cx, cy, r, col);
}

/* What an optimizer keeps besides its point, drawn faintly in the run's colour:
 * schedule-free's gradient point y (a ring) and base point z (a small dot), and the points
 * L-BFGS's last line search tried (tiny dots). */
static void draw_optim_marks(Draw *d, const View *v, const Run *run, Rgba col)
{
    OptimMark marks[OPTIM_TRIALS_MAX + 2];
    const int n = optim_marks(&run->opt, &run->ost, marks, OPTIM_TRIALS_MAX + 2);
    const double s = d->s;
    Rgba faint = col;
    faint.a = 150;
    for (int k = 0; k < n; k++) {
        const double mx = view_sx(v, marks[k].x), my = view_sy(v, marks[k].y);
        if (!(fabs(mx) < 1e7 && fabs(my) < 1e7))
            continue;
        if (marks[k].kind == MARK_SF_Y)
            canvas_ring(&d->frame, mx, my, 4.5 * s, 1.6 * s, faint);
        else if (marks[k].kind == MARK_SF_Z)
            canvas_disc(&d->frame, mx, my, 3.2 * s, faint);
        else
            canvas_disc(&d->frame, mx, my, 2.0 * s, faint);
    }
}

/* The piece of path since the last kept point, and the start and current markers. */
static void draw_markers(Draw *d, const Session *ses)
{
    const Palette *pal = theme_palette(ses->theme);
    const View *v = &ses->view;
    const double s = d->s, r = THEME_MARKER_RADIUS * s;
    const double sx0 = view_sx(v, ses->sim.start[0]), sy0 = view_sy(v, ses->sim.start[1]);
    canvas_disc(&d->frame, sx0, sy0, r * 0.75, pal->marker_edge);
    canvas_ring(&d->frame, sx0, sy0, r * 0.75, 1.5 * s, pal->minimum);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const Run *run = &ses->sim.runs[i];
        if (run->hidden)
            continue;
        const Trail *t = &ses->trails[i];
        const double lx = view_sx(v, t->xy[2 * (t->n - 1)]), ly = view_sy(v, t->xy[2 * (t->n - 1) + 1]);
        const double cx = view_sx(v, run->x), cy = view_sy(v, run->y);
        if (fabs(cx) > 1e7 || fabs(cy) > 1e7)
            continue;
        canvas_line(&d->frame, lx, ly, cx, cy, THEME_TRAIL_WIDTH * s, pal->runs[i]);
        draw_optim_marks(d, v, run, pal->runs[i]);
        if (run->diverged) {
            for (int edge = 1; edge >= 0; edge--) {
                const double w = (edge ? 5.0 : 2.6) * s;
                const Rgba col = edge ? pal->marker_edge : pal->runs[i];
                canvas_line(&d->frame, cx - r, cy - r, cx + r, cy + r, w, col);
                canvas_line(&d->frame, cx - r, cy + r, cx + r, cy - r, w, col);
            }
            continue;
        }
        draw_mark(&d->frame, theme_run_style[i].mark, cx, cy, r, 1.6 * s, pal->runs[i], pal->marker_edge);
    }
}

/* Paths and markers may run past the map; the margins (ticks, labels) come back from the
 * base wherever c changed since its last sync. */
static void restore_margins(Draw *d, Canvas *c, const View *v)
{
    const int x0 = (int)v->px, y0 = (int)v->py, x1 = (int)(v->px + v->pw), y1 = (int)(v->py + v->ph);
    for (int y = 0; y < c->h; y++) {
        int lo, hi;
        if (!canvas_damaged(c, y, &lo, &hi))
            continue;
        if (y < y0 || y >= y1) {
            canvas_copy_rect(c, &d->base, lo, y, hi - lo + 1, 1);
            continue;
        }
        if (lo < x0)
            canvas_copy_rect(c, &d->base, lo, y, (hi < x0 ? hi + 1 : x0) - lo, 1);
        if (hi >= x1)
            canvas_copy_rect(c, &d->base, lo > x1 ? lo : x1, y, hi + 1 - (lo > x1 ? lo : x1), 1);
    }
}

static void *sync_band(void *arg)
{
    Band *b = arg;
    canvas_sync_rows(&b->d->frame, &b->d->scene, b->row0, b->row1);
    return NULL;
}

/* Everything draw_markers and why_axes read: where the markers are in pixels, how each run
 * is drawn, the optimizers' marks, the selected run's Hessian axes. */
static uint64_t markers_key(const Draw *d, const Session *ses)
{
    const View *v = &ses->view;
    uint64_t h = hash_double(hash_int(HASH_START, ses->theme), d->s);
    h = hash_bytes(h, v, sizeof *v);
    h = hash_double(hash_double(h, ses->sim.start[0]), ses->sim.start[1]);
    h = hash_int(hash_int(hash_int(h, ses->sim.nruns), ses->selected), ses->shown & SHOW_CURVATURE);
    h = hash_bytes(h, &ses->sim.func, sizeof ses->sim.func);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const Run *run = &ses->sim.runs[i];
        const Trail *t = &ses->trails[i];
        h = hash_int(hash_int(h, run->hidden), run->diverged);
        h = hash_double(hash_double(h, run->x), run->y);
        h = hash_int(h, t->n);
        if (t->n > 0)
            h = hash_bytes(h, &t->xy[2 * (t->n - 1)], 2 * sizeof *t->xy);
        OptimMark marks[OPTIM_TRIALS_MAX + 2];
        const int n = optim_marks(&run->opt, &run->ost, marks, OPTIM_TRIALS_MAX + 2);
        for (int k = 0; k < n; k++)
            h = hash_double(hash_double(hash_int(h, marks[k].kind), marks[k].x), marks[k].y);
    }
    return h;
}

static int any_damage(const Canvas *c)
{
    int lo, hi;
    for (int y = 0; y < c->h; y++)
        if (canvas_damaged(c, y, &lo, &hi))
            return 1;
    return 0;
}

/* The panels this frame must draw again (see reuse.c), over the scene put back under them. */
static void draw_panels(Draw *d, const Session *ses, const DrawOptions *o, const Paint *paint, const PanelKeys *now,
                        const int draw[PANEL_COUNT], const int over[PANEL_COUNT], int full)
{
    reuse_clear(&d->reuse, now, draw, over, &d->frame, &d->scene, !full);
    for (int i = 0; i < PANEL_COUNT; i++) {
        if (!draw[i])
            continue;
        d->frame.quiet = !over[i]; /* kept: the next sync must not take it away */
        panels_draw_one(paint, ses, &d->layout, o, (PanelId)i);
    }
    d->frame.quiet = 0;
}

/* The frame keeps what did not change (reuse.c): a panel whose key holds is not drawn
 * again, and with nothing new in the scene and the markers still, the frame is not
 * composed at all. Panels beside the map are drawn quietly (changes, no damage), so the
 * next sync leaves them; panels over the map are drawn with damage, again each composed
 * frame, as the markers under them move. */
int draw_frame(Draw *d, const Session *ses, const DrawOptions *o, char *err, size_t errlen)
{
    lay_out(d, ses, o->live, o->recording, &d->layout);
    if (update_map(d, ses, o, err, errlen) < 0)
        return -1;
    const int full = update_scene(d, ses);
    restore_margins(d, &d->scene, &ses->view);
    const Paint paint = { &d->frame, d->text, d->s, theme_palette(ses->theme), d->xy };
    PanelKeys now;
    panels_keys(&paint, ses, &d->layout, o, &now);
    const uint64_t markers = markers_key(d, ses);
    int draw[PANEL_COUNT], over[PANEL_COUNT];
    /* Nothing new in the scene and the markers where they were: the frame stays as it is
     * but for the panels that changed. */
    const int compose = full || !d->reuse.valid || markers != d->reuse.markers || any_damage(&d->scene) ||
                        reuse_plan(&d->reuse, &now, d->layout.map, 0, draw, over) < 0;
    if (compose) {
        reuse_touch(&d->reuse, &d->frame);
        reuse_touch(&d->reuse, &d->scene);
        if (full) /* the whole picture to copy: on every core */
            parallel_rows(d, (Band){ .d = d, .ses = ses }, sync_band);
        else
            canvas_sync(&d->frame, &d->scene);
        draw_markers(d, ses);
        why_axes(&d->frame, ses, d->s, theme_palette(ses->theme));
        restore_margins(d, &d->frame, &ses->view);
        reuse_touch(&d->reuse, &d->frame);
        reuse_plan(&d->reuse, &now, d->layout.map, 1, draw, over);
    }
    draw_panels(d, ses, o, &paint, &now, draw, over, full);
    reuse_done(&d->reuse, &now, over, markers);
    if (d->refine_wanted) {
        const RefineJob job = refine_job(d, ses);
        refine_request(d->refine, &job);
        d->refine_wanted = 0;
    }
    return 0;
}
