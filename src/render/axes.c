/* The map's axes on the base layer: its border, tick marks and labels (1-2-5 steps, one
 * format an axis, an offset note far from the origin), the axis labels and the colour bar. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/func.h"
#include "draw_parts.h"
#include "ticks.h"

#define COLORBAR_DECADES 16 /* powers of ten from 1e-15 to 1e16 are tick candidates */
#define COLORBAR_LABELS 24

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
    const int pad = (int)(theme_size.note_pad * d->s);
    text_fit(d->text, FONT_SMALL, note, sizeof note, (int)v->pw - 2 * pad);
    const int w = text_width(d->text, FONT_SMALL, note), h = text_height(d->text, FONT_SMALL);
    canvas_rect(&d->base, (int)v->px, (int)v->py, w + 2 * pad, h + pad, pal->panel);
    text_draw(d->text, &d->base, FONT_SMALL, (int)v->px + pad, (int)v->py + pad / 2, pal->text, note);
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
    const ThemeSizes *ts = &theme_size;
    Canvas *c = &d->base;
    const double s = d->s, tick = LAYOUT_TICK * s;
    const int mark = (int)fmax(1, lround(ts->tick_width * s)), mark_len = (int)lround(tick);
    const int th = text_height(d->text, FONT_SMALL);
    char label[48];
    const CanvasBox xb = l->xticks, yb = l->yticks;
    if (l->big_plot)
        return; /* the small map beside the big plot: a border, no ticks */
    const double xstep = ticks_step(LAYOUT_TICK_SPACING * s * (v->x1 - v->x0) / v->pw);
    const double xoff = axis_offset(v->x0, v->x1, xstep);
    const TickFormat xf = tick_format(xoff ? 0 : v->x0, xoff ? xstep : v->x1, xstep);
    int last_right = INT_MIN / 2;
    for (double k = ceil((v->x0 - xoff) / xstep); xoff + k * xstep <= v->x1; k++) {
        const double x = xoff + k * xstep, sx = view_sx(v, x);
        canvas_rect(c, (int)lround(sx - mark / 2.0), (int)(v->py + v->ph), mark, mark_len, pal->axis);
        tick_label(label, sizeof label, xoff == 0 ? x : k * xstep, xstep, xf, xoff != 0);
        const int w = text_width(d->text, FONT_SMALL, label);
        const int lx = clamp_int((int)(sx - w / 2.0), xb.x, xb.x + xb.w - w);
        if (lx < last_right + (int)(ts->tick_label_apart * s) || w > xb.w)
            continue; /* slid against the x label: no room beside its neighbour */
        text_draw(d->text, c, FONT_SMALL, lx, (int)(v->py + v->ph + tick + ts->tick_label_below * s), pal->text_dim,
                  label);
        last_right = lx + w;
    }
    const double ystep = ticks_step(LAYOUT_TICK_SPACING * 0.7 * s * (v->y1 - v->y0) / v->ph);
    const double yoff = axis_offset(v->y0, v->y1, ystep);
    const TickFormat yf = tick_format(yoff ? 0 : v->y0, yoff ? ystep : v->y1, ystep);
    for (double k = ceil((v->y0 - yoff) / ystep); yoff + k * ystep <= v->y1; k++) {
        const double y = yoff + k * ystep, sy = view_sy(v, y);
        canvas_rect(c, (int)v->px - mark_len, (int)lround(sy - mark / 2.0), mark_len, mark, pal->axis);
        if (yb.w <= 0)
            continue; /* the labels gave way to the map */
        tick_label(label, sizeof label, yoff == 0 ? y : k * ystep, ystep, yf, yoff != 0);
        const int room = yb.w - (int)(tick + ts->tick_label_beside * s);
        text_fit(d->text, FONT_SMALL, label, sizeof label, room);
        const int w = text_width(d->text, FONT_SMALL, label);
        const int ly = clamp_int((int)(sy - th / 2.0), yb.y, yb.y + yb.h - th);
        text_draw(d->text, c, FONT_SMALL, (int)(v->px - tick - ts->tick_label_beside * s - w), ly, pal->text_dim,
                  label);
    }
    if (notes)
        paint_offsets(d, v, pal, xoff, yoff);
}

/* The coordinates' names: x and y, or a fit's w and b (func_axis_name). */
static void paint_axis_labels(Draw *d, const Palette *pal, const Layout *l, const Spec *func)
{
    const char *xn = func_axis_name(func, 0), *yn = func_axis_name(func, 1);
    if (l->xlabel.w > 0) {
        const int w = text_width(d->text, FONT_BODY, xn);
        text_draw(d->text, &d->base, FONT_BODY, l->xlabel.x + (l->xlabel.w - w) / 2, l->xlabel.y, pal->text, xn);
    }
    if (l->ylabel.w > 0) {
        const int h = text_height(d->text, FONT_BODY), w = text_width(d->text, FONT_BODY, yn);
        text_draw(d->text, &d->base, FONT_BODY, l->ylabel.x + l->ylabel.w - w, l->ylabel.y + (l->ylabel.h - h) / 2,
                  pal->text, yn);
    }
}

static void fit_and_draw(Draw *d, FontId font, int x, int y, int room, Rgba col, const char *text)
{
    char buf[160];
    snprintf(buf, sizeof buf, "%s", text);
    text_fit(d->text, font, buf, sizeof buf, room);
    text_draw(d->text, &d->base, font, x, y, col, buf);
}

/* The heat map's scale: a bar of the colours, and the losses they stand for at round values
 * (signed 1, 2 and 5 times powers of ten), as many as fit without crowding. The scale is
 * logarithmic only from the data's least value plus the field's shift up (below that it
 * squeezes everything into the bar's first pixels), and a value smaller than the shift is
 * no value the colours can tell from 0: no label goes there, so never 0, nor 1e-15. */
void axes_colorbar(Draw *d, const Palette *pal, const uint32_t *lut, const Layout *l, int basins)
{
    const ThemeSizes *ts = &theme_size;
    const CanvasBox b = l->colorbar;
    if (b.w <= 0)
        return;
    Canvas *c = &d->base;
    const Field *f = &d->field;
    const double s = d->s;
    const int sh = text_height(d->text, FONT_SMALL), bar_y = b.y + sh + (int)(ts->colorbar_title_gap * s);
    const int bar_h = (int)(LAYOUT_COLORBAR_THICK * s + 0.5);
    /* Under the basin tints the heat map's colours are only its shade. */
    const char *title = f->flat ? "loss (flat)" : basins ? WHY_COLORBAR_TITLE : "loss, log scale";
    fit_and_draw(d, FONT_SMALL, b.x, b.y, b.w, pal->text_dim, title);
    for (int x = 0; x < b.w; x++) {
        const uint32_t px = lut[(int)((b.w > 1 ? x / (double)(b.w - 1) : 0.5) * (MAP_LUT - 1))];
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
                const double v = e == -COLORBAR_DECADES ? NAN : (k % 2 ? -1 : 1) * m * pow(10, e);
                if (!(v >= f->lo + f->shift && v <= f->hi && fabs(v) >= f->shift))
                    continue;
                char label[32];
                snprintf(label, sizeof label, "%g", v);
                const int w = text_width(d->text, FONT_SMALL, label), gap = (int)(ts->colorbar_label_apart * s);
                const double x = b.x + field_t(f, v) * (b.w - 1);
                const int lx = clamp_int((int)(x - w / 2.0), b.x, b.x + b.w - w);
                int clear = 1;
                for (int i = 0; i < placed && clear; i++)
                    clear = lx + w + gap <= spans[i][0] || lx >= spans[i][1] + gap;
                if (!clear)
                    continue;
                canvas_line(c, x, bar_y + bar_h, x, bar_y + bar_h + LAYOUT_TICK * s * 0.8, ts->tick_width * s,
                            pal->axis);
                text_draw(d->text, c, FONT_SMALL, lx, bar_y + bar_h + (int)(LAYOUT_TICK * s), pal->text_dim, label);
                spans[placed][0] = lx, spans[placed][1] = lx + w;
                placed++;
            }
        }
    }
}

/* Which tint is which end: the basin map's key (why.h), in its box above the colour bar.
 * Live, until the map is computed, it says so. */
void axes_basin_key(Draw *d, const Session *ses, const BasinMap *m, const Palette *pal, const Layout *l)
{
    const CanvasBox b = l->basin_key;
    if (b.w <= 0)
        return;
    Canvas *c = &d->base;
    const int pad = (int)(LAYOUT_PAD * d->s), sh = text_height(d->text, FONT_SMALL);
    const int x = b.x + pad, room = b.w - 2 * pad, swatch = sh * 2 / 3;
    canvas_rect(c, b.x, b.y, b.w, b.h, pal->panel);
    canvas_rect_outline(c, b.x, b.y, b.w, b.h, (int)fmax(1, d->s), pal->panel_edge);
    int y = b.y + pad / 2;
    fit_and_draw(d, FONT_SMALL, x, y, room, pal->text, WHY_KEY_TITLE);
    y += sh;
    if (!m) {
        fit_and_draw(d, FONT_SMALL, x, y, room, pal->text_dim, "computing\xe2\x80\xa6");
        return;
    }
    WhyKeyEntry e[WHY_KEY_SLOTS_MAX];
    const int slots = (b.h - pad) / sh - 1;
    const int n = why_basins_key_entries(m, &ses->sim.func, pal, e, slots < WHY_KEY_SLOTS_MAX ? slots : WHY_KEY_SLOTS_MAX);
    for (int i = 0; i < n; i++, y += sh) {
        int tx = x;
        if (e[i].swatch) {
            const Rgba solid = { e[i].tint.r, e[i].tint.g, e[i].tint.b, 255 };
            canvas_rect(c, x, y + (sh - swatch) / 2, swatch, swatch, solid);
            canvas_rect_outline(c, x, y + (sh - swatch) / 2, swatch, swatch, (int)fmax(1, d->s / 2), pal->marker_edge);
            tx += swatch + pad / 2;
        }
        fit_and_draw(d, FONT_SMALL, tx, y, room - (tx - x), e[i].swatch ? pal->text : pal->text_dim, e[i].text);
    }
}

void axes_paint(Draw *d, const View *v, const Palette *pal, const uint32_t *lut, const Layout *l, const Spec *func)
{
    const int t = border_width(d);
    canvas_rect_outline(&d->base, (int)v->px - t, (int)v->py - t, (int)v->pw + 2 * t, (int)v->ph + 2 * t, t,
                        pal->axis);
    paint_ticks(d, v, pal, l, 1);
    paint_axis_labels(d, pal, l, func);
    axes_colorbar(d, pal, lut, l, l->basin_key.w > 0);
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
void axes_refresh(Draw *d, const Session *ses)
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
