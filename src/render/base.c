/* The base layer (see draw.c's diagram): the map without runs. The heat map and isolines
 * painted on every core, then the gradient arrows, the minima, the basin map's finds and
 * the axes over them; redrawn only when its key changes. */
#include <math.h>
#include <string.h>

#include "../core/func.h"
#include "draw_parts.h"

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
    const ThemeSizes *ts = &theme_size;
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
                canvas_line(&d->base, sx - ux * r * 0.5, sy - uy * r * 0.5, tx, ty, ts->arrow_width * d->s, pal->arrow);
                canvas_line(&d->base, tx, ty, tx - head * (ux - 0.5 * uy), ty - head * (uy + 0.5 * ux), ts->arrow_width * d->s,
                            pal->arrow);
                canvas_line(&d->base, tx, ty, tx - head * (ux + 0.5 * uy), ty - head * (uy - 0.5 * ux), ts->arrow_width * d->s,
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
    const double r = theme_size.cross_half * d->s;
    if (sx < v->px || sy < v->py || sx > v->px + v->pw || sy > v->py + v->ph)
        return 0;
    for (int edge = 1; edge >= 0; edge--) {
        const Rgba col = edge ? outer : inner;
        const double w = (edge ? theme_size.cross_edge : inner_w) * d->s;
        canvas_line(c, sx - r, sy - r, sx + r, sy + r, w, col);
        canvas_line(c, sx - r, sy + r, sx + r, sy - r, w, col);
    }
    return 1;
}

/* Minima found numerically for a typed formula: a hollow cross (the known minimum's colours
 * swapped) with a small "found", as they are found, not known. */
static void paint_found_minima(Draw *d, Canvas *c, const Session *ses, const Palette *pal)
{
    const double r = theme_size.cross_half * d->s;
    for (int i = 0; i < ses->nfound; i++) {
        const double sx = view_sx(&ses->view, ses->found[i][0]), sy = view_sy(&ses->view, ses->found[i][1]);
        if (paint_cross(d, c, &ses->view, sx, sy, pal->minimum, pal->marker_edge, 1.4))
            text_draw(d->text, c, FONT_SMALL, (int)(sx + r), (int)(sy - r) - text_height(d->text, FONT_SMALL),
                      pal->minimum, "found");
    }
}

/* Onto c: the base, or a strip of the scene coming into view. */
void base_minima(Draw *d, Canvas *c, const Session *ses, const Palette *pal)
{
    double m[FUNC_MAX_MINIMA][2];
    const int n = func_minima(&ses->sim.func, m);
    for (int i = 0; i < n; i++)
        paint_cross(d, c, &ses->view, view_sx(&ses->view, m[i][0]), view_sy(&ses->view, m[i][1]), pal->marker_edge,
                    pal->minimum, 1.6);
    paint_found_minima(d, c, ses, pal);
}

int base_key_same(const BaseKey *a, const BaseKey *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

/* The same but for where the view looks: a drag or zoom can move the picture there. */
int base_key_same_but_view(const BaseKey *a, const BaseKey *b)
{
    BaseKey x = *a, y = *b;
    if (x.view.px != y.view.px || x.view.py != y.view.py || x.view.pw != y.view.pw || x.view.ph != y.view.ph)
        return 0;
    memset(&x.view, 0, sizeof x.view);
    memset(&y.view, 0, sizeof y.view);
    return base_key_same(&x, &y);
}

/* What the session asks of the base layer now. */
const BasinMap *base_key(Draw *d, const Session *ses, int live, BaseKey *key)
{
    memset(key, 0, sizeof *key);
    key->func = ses->sim.func;
    key->view = ses->view;
    key->theme = ses->theme;
    key->shown = ses->shown & (SHOW_CONTOURS | SHOW_ARROWS | SHOW_BASINS);
    key->w = d->base.w;
    key->h = d->base.h;
    key->xticks = d->layout.xticks, key->yticks = d->layout.yticks;
    key->xlabel = d->layout.xlabel, key->ylabel = d->layout.ylabel, key->colorbar = d->layout.colorbar;
    key->basin_key = d->layout.basin_key;
    return why_basins_update(d->basins, ses, live, &key->basins);
}

/* What goes over the map's heat and isolines on the base, on the main thread (text is
 * drawn here): arrows, minima, the basin map's finds, the axes. The base then holds key. */
void base_finish(Draw *d, const Session *ses, const BaseKey *key, const BasinMap *basins)
{
    const Palette *pal = theme_palette(ses->theme);
    map_lut(d->lut, pal);
    if (ses->shown & SHOW_ARROWS)
        paint_arrows(d, ses, pal);
    base_minima(d, &d->base, ses, pal);
    if (basins)
        why_basins_found(&d->base, basins, &ses->view, d->s, pal);
    axes_paint(d, &ses->view, pal, d->lut, &d->layout, &ses->sim.func);
    axes_basin_key(d, ses, basins, pal, &d->layout);
    d->key = *key;
    d->base_valid = 1;
    d->shown = key->view;
    d->scene_runs = -1; /* the trails must be drawn again */
}

/* The base for key, drawn now on every core. */
int base_build(Draw *d, const Session *ses, const BaseKey *key, const BasinMap *basins, char *err,
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
    draw_rows(d, (Band){ .d = d, .ses = ses, .pal = pal, .map = &map, .basins = basins }, paint_map_band);
    base_finish(d, ses, key, basins);
    d->approx = 0;
    d->base_builds++;
    return 0;
}
