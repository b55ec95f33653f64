/* The map layers and the frame's composition (see draw.h). The overlays (legend, plots,
 * status, help) live in overlay.c. */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../core/func.h"
#include "../core/parallel.h"
#include "overlay.h"
#include "theme.h"

#define HEAT_LUT 1024
#define DRAW_MAX_SAMPLES 1e6

int draw_init(Draw *d, int w, int h, double s, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    field_init(&d->field);
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    d->threads = cores < 1 ? 1 : cores > PARALLEL_MAX ? PARALLEL_MAX : (int)cores;
    d->text = text_open(s, err, errlen);
    if (!d->text)
        return -1;
    return draw_resize(d, w, h, s, err, errlen);
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
    if (canvas_init(&d->base, w, h, err, errlen) < 0 || canvas_init(&d->scene, w, h, err, errlen) < 0 ||
        canvas_init(&d->frame, w, h, err, errlen) < 0)
        return -1;
    return 0;
}

void draw_free(Draw *d)
{
    canvas_free(&d->base);
    canvas_free(&d->scene);
    canvas_free(&d->frame);
    field_free(&d->field);
    text_close(d->text);
    d->text = NULL;
}

/* Room for the tick labels left of and below the map, the status line, and a title. */
void draw_map_rect(Draw *d, int has_title, double rect[4])
{
    const double s = d->s;
    const double left = LAYOUT_MARGIN * s + text_width(d->text, FONT_SMALL, "-0.0000") + LAYOUT_TICK * s + 4 * s;
    const double top = LAYOUT_MARGIN * s + (has_title ? text_height(d->text, FONT_TITLE) + LAYOUT_PAD * s : 0);
    const double bottom = LAYOUT_TICK * s + text_height(d->text, FONT_SMALL) + LAYOUT_PAD * s +
                          text_height(d->text, FONT_BODY) + LAYOUT_MARGIN * s;
    const double right = LAYOUT_MARGIN * s;
    rect[0] = floor(left);
    rect[1] = floor(top);
    rect[2] = fmax(16, floor(d->frame.w - left - right));
    rect[3] = fmax(16, floor(d->frame.h - top - bottom));
}

static Rgba mix(Rgba a, Rgba b, double t)
{
    Rgba c = { (unsigned char)(a.r + (b.r - a.r) * t + 0.5), (unsigned char)(a.g + (b.g - a.g) * t + 0.5),
               (unsigned char)(a.b + (b.b - a.b) * t + 0.5), 255 };
    return c;
}

/* One thread's share of a layer: whole rows of the canvas, so no two threads ever touch
 * one pixel and the picture does not depend on how many there are. */
typedef struct {
    Draw *d;
    const Session *ses;
    const Palette *pal;
    const uint32_t *lut; /* the heat map's colours */
    int step;            /* pixels per field sample */
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

/* Samples the field at pixel centres, one sample per `step` pixels each way: every pixel
 * of a map up to DRAW_MAX_SAMPLES pixels, every other beyond (every third at 4K). Between
 * samples two pixels apart the heat map interpolates t and the isolines run straight, which changes no pixel
 * visibly (on the benchmark scene at 1920x1080, by at most 10 of 255 on a few dozen);
 * sampling every pixel there (a function value and a log each) costs more than a frame. */
static int sample_field(Draw *d, const Session *ses, int *step_out, char *err, size_t errlen)
{
    const View *v = &ses->view;
    const int step = (int)ceil(sqrt(v->pw * v->ph / DRAW_MAX_SAMPLES));
    /* The last sample lies on or past the last pixel, so that heat map and isolines reach
     * the map's edges. */
    const int nx = (int)ceil((v->pw - 1) / step) + 1, ny = (int)ceil((v->ph - 1) / step) + 1;
    const double box[4] = { view_wx(v, v->px + 0.5), view_wx(v, v->px + 0.5 + (nx - 1) * step),
                            view_wy(v, v->py + 0.5 + (ny - 1) * step), view_wy(v, v->py + 0.5) };
    *step_out = step;
    return field_sample(&d->field, &ses->sim.func, box, nx, ny, THEME_ISOLINES, d->threads, err, errlen);
}

static void set_heat_lut(uint32_t lut[HEAT_LUT], const Palette *pal)
{
    for (int i = 0; i < HEAT_LUT; i++) {
        const Rgba c = mix(theme_colormap(i / (double)(HEAT_LUT - 1)), pal->heat_toward, pal->heat_mix);
        lut[i] = 0xff000000u | (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
    }
}

/* One row of the heat map: t between the field's rows, then between its columns, step
 * pixels per sample; pixels past the last sample keep its colour. */
static void heat_row(const Field *f, const uint32_t *lut, int step, int y, uint32_t *row, int w)
{
    int j = y / step;
    if (j > f->ny - 2)
        j = f->ny - 2;
    const float fy = fminf(1.0f, (float)(y - j * step) / (float)step), scale = HEAT_LUT - 1;
    const float *r0 = f->t + (size_t)j * (size_t)f->nx, *r1 = r0 + f->nx;
    float left = r0[0] + (r1[0] - r0[0]) * fy;
    int x = 0;
    for (int i = 0; i + 1 < f->nx && x < w; i++) {
        const float right = r0[i + 1] + (r1[i + 1] - r0[i + 1]) * fy, d = (right - left) / (float)step;
        for (int k = 0; k < step && x < w; k++, x++)
            row[x] = lut[(int)((left + d * (float)k) * scale + 0.5f)];
        left = right;
    }
    for (; x < w; x++)
        row[x] = lut[(int)(left * scale + 0.5f)];
}

static void fill_pixels(uint32_t *p, int n, uint32_t v)
{
    for (int i = 0; i < n; i++)
        p[i] = v;
}

/* The band's rows: background beside the map, the heat map on it. */
static void paint_heat(const Band *b)
{
    const View *v = &b->ses->view;
    Canvas *c = &b->d->base;
    const int x0 = (int)v->px, y0 = (int)v->py, w = (int)v->pw, h = (int)v->ph;
    const uint32_t bg = 0xff000000u | (uint32_t)b->pal->background.r << 16 | (uint32_t)b->pal->background.g << 8 |
                        b->pal->background.b;
    for (int y = b->row0; y < b->row1; y++) {
        uint32_t *row = c->px + (size_t)y * (size_t)c->w;
        if (y < y0 || y >= y0 + h) {
            fill_pixels(row, c->w, bg);
            continue;
        }
        /* A map pushed past the canvas's edge by huge text is cut there. */
        const int left = x0 < c->w ? x0 : c->w, end = x0 + w < c->w ? x0 + w : c->w;
        const int right = end > left ? end : left;
        fill_pixels(row, left, bg);
        if (right > left)
            heat_row(&b->d->field, b->lut, b->step, y - y0, row + left, right - left);
        fill_pixels(row + right, c->w - right, bg);
    }
}

typedef struct {
    CanvasStroke stroke;
    double ox, oy, step;
} IsoCtx;

static void emit_segment(void *ctx, int level, float ax, float ay, float bx, float by)
{
    IsoCtx *k = ctx;
    (void)level;
    canvas_stroke_line(&k->stroke, k->ox + ax * k->step, k->oy + ay * k->step, k->ox + bx * k->step,
                       k->oy + by * k->step);
}

/* The isolines crossing the band's rows, as one shape: where two meet, a pixel is
 * blended once. Cells a little above and below the band can reach into it. */
static void paint_isolines(const Band *b)
{
    const View *v = &b->ses->view;
    const double width = THEME_ISOLINE_WIDTH * b->d->s;
    IsoCtx k = { .ox = v->px + 0.5, .oy = v->py + 0.5, .step = b->step };
    canvas_stroke_begin(&k.stroke, &b->d->base, width, b->pal->isoline, b->row0, b->row1);
    const double reach = width / 2 + 2;
    const int j0 = (int)floor((b->row0 - reach - k.oy) / b->step) - 1;
    const int j1 = (int)ceil((b->row1 + reach - k.oy) / b->step) + 1;
    field_isolines_rows(&b->d->field, j0 < 0 ? 0 : j0, j1, emit_segment, &k);
    canvas_stroke_end(&k.stroke);
}

static void *paint_map_band(void *arg)
{
    const Band *b = arg;
    paint_heat(b);
    if (b->ses->panels & PANEL_CONTOURS)
        paint_isolines(b);
    return NULL;
}

/* Arrows along the descent direction, their length growing with the log of |grad f|. */
static void paint_arrows(Draw *d, const Session *ses, const Palette *pal)
{
    const View *v = &ses->view;
    const double gap = LAYOUT_ARROW_SPACING * d->s, len = 0.42 * gap;
    double lo = INFINITY, hi = -INFINITY;
    for (int pass = 0; pass < 2; pass++) {
        for (double sy = v->py + gap / 2; sy < v->py + v->ph; sy += gap) {
            for (double sx = v->px + gap / 2; sx < v->px + v->pw; sx += gap) {
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

static void paint_minima(Draw *d, const Session *ses, const Palette *pal)
{
    double m[FUNC_MAX_MINIMA][2];
    const int n = func_minima(&ses->sim.func, m);
    const double r = 5.5 * d->s;
    for (int i = 0; i < n; i++) {
        const double sx = view_sx(&ses->view, m[i][0]), sy = view_sy(&ses->view, m[i][1]);
        if (sx < ses->view.px || sy < ses->view.py || sx > ses->view.px + ses->view.pw || sy > ses->view.py + ses->view.ph)
            continue;
        for (int edge = 1; edge >= 0; edge--) {
            const Rgba col = edge ? pal->marker_edge : pal->minimum;
            const double w = (edge ? 3.6 : 1.6) * d->s;
            canvas_line(&d->base, sx - r, sy - r, sx + r, sy + r, w, col);
            canvas_line(&d->base, sx - r, sy + r, sx + r, sy - r, w, col);
        }
    }
}

/* Tick spacing: 1, 2 or 5 times a power of ten, at least `min_world` apart. */
static double nice_step(double min_world)
{
    const double p = pow(10, floor(log10(min_world)));
    const double m = min_world / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* Enough digits to tell neighbouring ticks apart. */
static void tick_label(char *buf, size_t len, double v, double step, int relative)
{
    if (fabs(v) < step * 1e-6)
        v = 0;
    const double mag = fmax(fabs(v), step);
    int digits = (int)ceil(log10(mag / step)) + 1;
    if (digits < 1)
        digits = 1;
    if (digits > 17)
        digits = 17;
    snprintf(buf, len, relative && v > 0 ? "+%.*g" : "%.*g", digits, v);
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
    const int w = text_width(d->text, FONT_SMALL, note), h = text_height(d->text, FONT_SMALL);
    canvas_rect(&d->base, (int)v->px, (int)v->py, w + 2 * pad, h + pad, pal->panel);
    text_draw(d->text, &d->base, FONT_SMALL, (int)v->px + pad, (int)v->py + pad / 2, pal->text, note);
}

static void paint_axes(Draw *d, const View *v, const Palette *pal)
{
    Canvas *c = &d->base;
    const double s = d->s, tick = LAYOUT_TICK * s;
    const int th = text_height(d->text, FONT_SMALL);
    char label[48];
    canvas_rect_outline(c, (int)v->px - 1, (int)v->py - 1, (int)v->pw + 2, (int)v->ph + 2, (int)fmax(1, d->s), pal->axis);
    const double xstep = nice_step(LAYOUT_TICK_SPACING * s * (v->x1 - v->x0) / v->pw);
    const double xoff = axis_offset(v->x0, v->x1, xstep);
    for (double k = ceil((v->x0 - xoff) / xstep); xoff + k * xstep <= v->x1; k++) {
        const double x = xoff + k * xstep, sx = view_sx(v, x);
        canvas_line(c, sx, v->py + v->ph, sx, v->py + v->ph + tick, 1.2 * s, pal->axis);
        tick_label(label, sizeof label, xoff == 0 ? x : k * xstep, xstep, xoff != 0);
        const int w = text_width(d->text, FONT_SMALL, label);
        text_draw(d->text, c, FONT_SMALL, (int)(sx - w / 2.0), (int)(v->py + v->ph + tick + 2 * s), pal->text_dim,
                  label);
    }
    const double ystep = nice_step(LAYOUT_TICK_SPACING * 0.7 * s * (v->y1 - v->y0) / v->ph);
    const double yoff = axis_offset(v->y0, v->y1, ystep);
    for (double k = ceil((v->y0 - yoff) / ystep); yoff + k * ystep <= v->y1; k++) {
        const double y = yoff + k * ystep, sy = view_sy(v, y);
        canvas_line(c, v->px - tick, sy, v->px, sy, 1.2 * s, pal->axis);
        tick_label(label, sizeof label, yoff == 0 ? y : k * ystep, ystep, yoff != 0);
        const int w = text_width(d->text, FONT_SMALL, label);
        text_draw(d->text, c, FONT_SMALL, (int)(v->px - tick - 3 * s - w), (int)(sy - th / 2.0), pal->text_dim, label);
    }
    paint_offsets(d, v, pal, xoff, yoff);
}

static int base_key_same(const BaseKey *a, const BaseKey *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

static int build_base(Draw *d, const Session *ses, char *err, size_t errlen)
{
    BaseKey key;
    memset(&key, 0, sizeof key);
    key.func = ses->sim.func;
    key.view = ses->view;
    key.theme = ses->theme;
    key.panels = ses->panels & (PANEL_CONTOURS | PANEL_FIELD);
    key.w = d->base.w;
    key.h = d->base.h;
    if (d->base_valid && base_key_same(&key, &d->key))
        return 0;
    const Palette *pal = theme_palette(ses->theme);
    int step;
    if (sample_field(d, ses, &step, err, errlen) < 0)
        return -1;
    uint32_t lut[HEAT_LUT];
    set_heat_lut(lut, pal);
    parallel_rows(d, (Band){ .d = d, .ses = ses, .pal = pal, .lut = lut, .step = step }, paint_map_band);
    if (ses->panels & PANEL_FIELD)
        paint_arrows(d, ses, pal);
    paint_minima(d, ses, pal);
    paint_axes(d, &ses->view, pal);
    d->key = key;
    d->base_valid = 1;
    d->base_builds++;
    d->scene_runs = -1; /* the trails must be drawn again */
    return 0;
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

/* A band's rows of the scene: the map, then every visible trail, in run order. */
static void *paint_trails_band(void *arg)
{
    const Band *b = arg;
    Draw *d = b->d;
    const Session *ses = b->ses;
    canvas_copy_rect(&d->scene, &d->base, 0, b->row0, d->scene.w, b->row1 - b->row0);
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

/* Every trail from its start, when the map under them changed or a trail was cut. */
static void redraw_trails(Draw *d, const Session *ses)
{
    for (int i = 0; i < ses->sim.nruns; i++)
        d->trail_n[i] = ses->sim.runs[i].hidden ? 0 : trail_pixels(&ses->view, &ses->trails[i], 0, d->trail_xy[i]);
    parallel_rows(d, (Band){ .d = d, .ses = ses, .pal = theme_palette(ses->theme) }, paint_trails_band);
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
        if (run->diverged) {
            for (int edge = 1; edge >= 0; edge--) {
                const double w = (edge ? 5.0 : 2.6) * s;
                const Rgba col = edge ? pal->marker_edge : pal->runs[i];
                canvas_line(&d->frame, cx - r, cy - r, cx + r, cy + r, w, col);
                canvas_line(&d->frame, cx - r, cy + r, cx + r, cy - r, w, col);
            }
            continue;
        }
        canvas_disc(&d->frame, cx, cy, r + 1.6 * s, pal->marker_edge);
        canvas_disc(&d->frame, cx, cy, r, pal->runs[i]);
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

int draw_frame(Draw *d, const Session *ses, double message_alpha, char *err, size_t errlen)
{
    if (build_base(d, ses, err, errlen) < 0)
        return -1;
    const int full = update_scene(d, ses);
    restore_margins(d, &d->scene, &ses->view);
    if (full) /* the whole picture to copy: on every core */
        parallel_rows(d, (Band){ .d = d, .ses = ses }, sync_band);
    else
        canvas_sync(&d->frame, &d->scene);
    draw_markers(d, ses);
    restore_margins(d, &d->frame, &ses->view);
    overlay_draw(d, ses, message_alpha);
    return 0;
}
