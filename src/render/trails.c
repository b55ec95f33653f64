/* The runs on the picture: every trail in the scene, added a step's segments at a time or
 * redrawn whole on every core, and on the frame each run's current marker, its optimizer's
 * marks and the start. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/optim.h"
#include "draw_parts.h"

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
 * (restore_margins keeps it so, and axes_refresh copied the new ticks), and the frame needs
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

int trails_order(const Session *ses, int order[SIM_MAX_RUNS])
{
    const int n = ses->sim.nruns, sel = ses->selected >= 0 && ses->selected < n ? ses->selected : n - 1;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (i != sel)
            order[k++] = i;
    if (n > 0)
        order[k++] = sel;
    return k;
}

double trails_width(const Draw *d, const Session *ses, int run)
{
    int order[SIM_MAX_RUNS], below = 0;
    const int n = trails_order(ses, order);
    for (int k = n - 1; k >= 0 && order[k] != run; k--)
        below += !ses->sim.runs[order[k]].hidden;
    return (THEME_TRAIL_WIDTH + THEME_TRAIL_CASING * below) * d->s;
}

double trails_reach(const Draw *d, const Session *ses)
{
    return (THEME_TRAIL_WIDTH + THEME_TRAIL_CASING * ses->sim.nruns) * d->s / 2 + 2;
}

int trails_near_points(const float *xy, int n, const double box[4], float *out)
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

/* A trail's n pixel points xy into rows [row0, row1) of c, in colour col. */
static void stroke_trail(Canvas *c, const float *xy, int n, double width, Rgba col, int row0, int row1)
{
    CanvasStroke s;
    canvas_stroke_begin(&s, c, width, col, row0, row1);
    canvas_stroke_polyline(&s, xy, n);
    canvas_stroke_end(&s);
}

/* A band's rows of the scene: the map, then every visible trail, the selected one last. */
static void *paint_trails_band(void *arg)
{
    const Band *b = arg;
    Draw *d = b->d;
    const Session *ses = b->ses;
    scene_from_base(b);
    int order[SIM_MAX_RUNS];
    const int n = trails_order(ses, order);
    for (int k = 0; k < n; k++)
        if (!ses->sim.runs[order[k]].hidden)
            stroke_trail(&d->scene, d->trail_xy[order[k]], d->trail_n[order[k]], trails_width(d, ses, order[k]),
                         b->pal->runs[order[k]], b->row0, b->row1);
    return NULL;
}

void trails_in_pixels(Draw *d, const Session *ses)
{
    d->trail_view = ses->view;
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
    draw_rows(d, (Band){ .d = d, .ses = ses, .pal = theme_palette(ses->theme), .resample = resample },
                  paint_trails_band);
    d->shown = ses->view;
}

/* The box around the segments the visible trails gained since the last frame, widened by
 * the widest trail's reach and cut to the map; empty when none gained a segment. */
static CanvasBox new_segments_box(const Draw *d, const Session *ses, double reach)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int i = 0; i < ses->sim.nruns; i++) {
        const Trail *t = &ses->trails[i];
        const int from = d->trail_drawn[i] - 1 < 0 ? 0 : d->trail_drawn[i] - 1;
        if (ses->sim.runs[i].hidden || t->n - from < 2)
            continue;
        for (int k = from; k < t->n; k++) {
            const double x = view_sx(&ses->view, t->xy[2 * k]), y = view_sy(&ses->view, t->xy[2 * k + 1]);
            x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
        }
    }
    const CanvasBox m = map_pixels(&ses->view, &d->scene);
    if (!(x0 <= x1))
        return (CanvasBox){ m.x, m.y, 0, 0 };
    const int bx0 = clamp_int((int)floor(fmax(x0 - reach, -1e7)), m.x, m.x + m.w);
    const int bx1 = clamp_int((int)ceil(fmin(x1 + reach, 1e7)), bx0, m.x + m.w);
    const int by0 = clamp_int((int)floor(fmax(y0 - reach, -1e7)), m.y, m.y + m.h);
    const int by1 = clamp_int((int)ceil(fmin(y1 + reach, 1e7)), by0, m.y + m.h);
    return (CanvasBox){ bx0, by0, bx1 - bx0, by1 - by0 };
}

/* What the trails gained, drawn so that the picture is what a full redraw gives: the box
 * around the new segments goes back to the base, and every trail is stroked again inside
 * it in drawing order, so a new piece of a lower trail never covers an older piece of one
 * drawn over it. Returns 0 when done; -1 when the scene is not the base's map plus the
 * trails (the view is moving), and the caller draws the new segments over the scene; 1
 * when the box is over a quarter of the map, and the caller draws all again. */
static int add_segments(Draw *d, const Session *ses)
{
    if (!view_same(&d->key.view, &ses->view) || !view_same(&d->shown, &ses->view) || d->approx)
        return -1;
    const double reach = trails_reach(d, ses);
    const CanvasBox box = new_segments_box(d, ses, reach);
    const CanvasBox m = map_pixels(&ses->view, &d->scene);
    if ((long)box.w * box.h * 4 > (long)m.w * m.h)
        return 1;
    /* Every trail in pixels: the new points after those at hand, or all again when those
     * are of another view or not all of the scene's. */
    int again = !view_same(&d->trail_view, &ses->view);
    for (int i = 0; i < ses->sim.nruns && !again; i++)
        again = !ses->sim.runs[i].hidden && d->trail_n[i] != d->trail_drawn[i];
    if (again)
        trails_in_pixels(d, ses);
    for (int i = 0; i < ses->sim.nruns && !again; i++) {
        const int from = d->trail_drawn[i] > 0 ? d->trail_drawn[i] - 1 : 0;
        if (!ses->sim.runs[i].hidden)
            d->trail_n[i] = from + trail_pixels(&ses->view, &ses->trails[i], from, d->trail_xy[i] + 2 * from);
    }
    if (box.w <= 0 || box.h <= 0)
        return 0;
    canvas_copy_rect(&d->scene, &d->base, box.x, box.y, box.w, box.h);
    const double near[4] = { box.x - reach, box.y - reach, box.x + box.w + reach, box.y + box.h + reach };
    const Palette *pal = theme_palette(ses->theme);
    int order[SIM_MAX_RUNS];
    const int n = trails_order(ses, order);
    canvas_clip(&d->scene, box);
    for (int k = 0; k < n; k++) {
        const int i = order[k];
        if (ses->sim.runs[i].hidden)
            continue;
        const int np = trails_near_points(d->trail_xy[i], d->trail_n[i], near, d->strip_xy);
        stroke_trail(&d->scene, d->strip_xy, np, trails_width(d, ses, i), pal->runs[i], box.y, box.y + box.h);
    }
    canvas_unclip(&d->scene);
    return 0;
}

/* Adds what the trails gained since the last frame; redraws them all when needed, and
 * then returns 1: the scene changed all over. */
int trails_update(Draw *d, const Session *ses)
{
    int full = d->scene_runs != ses->sim.nruns || d->scene_selected != ses->selected;
    for (int i = 0; i < ses->sim.nruns && !full; i++)
        full = d->trail_version[i] != ses->trails[i].version || d->trail_hidden[i] != ses->sim.runs[i].hidden ||
               d->trail_drawn[i] > ses->trails[i].n;
    int added = full ? 0 : add_segments(d, ses);
    if (added == 1)
        full = 1, added = 0;
    if (full)
        redraw_trails(d, ses);
    const int exact = added == 0;
    int order[SIM_MAX_RUNS];
    const int nruns = trails_order(ses, order);
    for (int k = 0; k < nruns; k++) {
        const int i = order[k], from = d->trail_drawn[i] - 1;
        if (!exact && !ses->sim.runs[i].hidden) {
            /* Only new segments: a lone point is the end already drawn, and drawing its dot
             * again every frame would thicken its rim. */
            const int n = trail_pixels(&ses->view, &ses->trails[i], from < 0 ? 0 : from, d->xy);
            if (n >= 2)
                canvas_polyline(&d->scene, d->xy, n, trails_width(d, ses, i), theme_palette(ses->theme)->runs[i]);
        }
        d->trail_version[i] = ses->trails[i].version;
        d->trail_drawn[i] = ses->trails[i].n;
        d->trail_hidden[i] = ses->sim.runs[i].hidden;
    }
    d->scene_runs = ses->sim.nruns;
    d->scene_selected = ses->selected;
    return full;
}

void draw_start(Canvas *c, double cx, double cy, double s, const Palette *pal)
{
    const double r = THEME_MARKER_RADIUS * s * 0.75;
    canvas_disc(c, cx, cy, r, pal->marker_edge);
    canvas_ring(c, cx, cy, r, theme_size.start_ring_width * s, pal->minimum);
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
    faint.a = theme_size.optim_mark_alpha;
    for (int k = 0; k < n; k++) {
        const double mx = view_sx(v, marks[k].x), my = view_sy(v, marks[k].y);
        if (!(fabs(mx) < 1e7 && fabs(my) < 1e7))
            continue;
        if (marks[k].kind == MARK_SF_Y)
            canvas_ring(&d->frame, mx, my, theme_size.optim_ring * s, theme_size.optim_ring_width * s, faint);
        else if (marks[k].kind == MARK_SF_Z)
            canvas_disc(&d->frame, mx, my, theme_size.optim_dot * s, faint);
        else
            canvas_disc(&d->frame, mx, my, theme_size.optim_trial * s, faint);
    }
}

static int boxes_overlap(CanvasBox a, CanvasBox b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Each run's label goes at the first place around its marker that stays inside the map
 * and clear of the labels placed and of every marker, or nowhere; the selected run's is
 * placed first. */
void trails_labels(Draw *d, const Session *ses)
{
    int order[SIM_MAX_RUNS];
    const int n = trails_order(ses, order);
    const ThemeSizes *ts = &theme_size;
    const Palette *pal = theme_palette(ses->theme);
    const View *v = &ses->view;
    const CanvasBox map = map_pixels(v, &d->frame);
    const double s = d->s, r = THEME_MARKER_RADIUS * s + ts->marker_edge * s;
    const int pad = (int)lround(ts->run_label_pad * s), gap = (int)lround(ts->run_label_gap * s);
    CanvasBox taken[2 * SIM_MAX_RUNS];
    int ntaken = 0;
    for (int k = 0; k < n; k++) { /* the markers */
        const Run *run = &ses->sim.runs[order[k]];
        const double cx = view_sx(v, run->x), cy = view_sy(v, run->y);
        if (!run->hidden && fabs(cx) < 1e7 && fabs(cy) < 1e7)
            taken[ntaken++] = (CanvasBox){ (int)floor(cx - r), (int)floor(cy - r), (int)ceil(2 * r) + 1,
                                           (int)ceil(2 * r) + 1 };
    }
    const int th = text_height(d->text, FONT_SMALL);
    for (int k = n - 1; k >= 0; k--) {
        const Run *run = &ses->sim.runs[order[k]];
        const double cx = view_sx(v, run->x), cy = view_sy(v, run->y);
        char label[LABEL_TEXT_MAX];
        sim_label(run, label, sizeof label);
        if (run->hidden || !label[0] || !(fabs(cx) < 1e7 && fabs(cy) < 1e7))
            continue;
        const int w = text_width(d->text, FONT_SMALL, label) + 2 * pad, h = th + pad;
        const int right = (int)lround(cx + r) + gap, left = (int)lround(cx - r) - gap - w;
        const int mid = (int)lround(cy - h / 2.0), above = (int)lround(cy - r) - gap - h, below = (int)lround(cy + r) + gap;
        const int centre = (int)lround(cx - w / 2.0);
        const int places[8][2] = { { right, mid },     { left, mid },     { centre, above }, { centre, below },
                                   { right, above },   { right, below },  { left, above },   { left, below } };
        for (int p = 0; p < 8; p++) {
            const CanvasBox b = { places[p][0], places[p][1], w, h };
            int clear = b.x >= map.x && b.y >= map.y && b.x + b.w <= map.x + map.w && b.y + b.h <= map.y + map.h;
            for (int t = 0; t < ntaken && clear; t++)
                clear = !boxes_overlap(b, taken[t]);
            if (!clear)
                continue;
            canvas_rect(&d->frame, b.x, b.y, b.w, b.h, pal->panel);
            text_draw(d->text, &d->frame, FONT_SMALL, b.x + pad, b.y + pad / 2, pal->runs[order[k]], label);
            taken[ntaken++] = b;
            break;
        }
    }
}

/* The piece of path since the last kept point, and the start and current markers. */
void trails_markers(Draw *d, const Session *ses)
{
    const ThemeSizes *ts = &theme_size;
    const Palette *pal = theme_palette(ses->theme);
    const View *v = &ses->view;
    const double s = d->s, r = THEME_MARKER_RADIUS * s;
    const double sx0 = view_sx(v, ses->sim.start[0]), sy0 = view_sy(v, ses->sim.start[1]);
    draw_start(&d->frame, sx0, sy0, s, pal);
    int order[SIM_MAX_RUNS];
    const int nruns = trails_order(ses, order);
    for (int k = 0; k < nruns; k++) {
        const int i = order[k];
        const Run *run = &ses->sim.runs[i];
        if (run->hidden)
            continue;
        const Trail *t = &ses->trails[i];
        const double lx = view_sx(v, t->xy[2 * (t->n - 1)]), ly = view_sy(v, t->xy[2 * (t->n - 1) + 1]);
        const double cx = view_sx(v, run->x), cy = view_sy(v, run->y);
        if (fabs(cx) > 1e7 || fabs(cy) > 1e7)
            continue;
        canvas_line(&d->frame, lx, ly, cx, cy, trails_width(d, ses, i), pal->runs[i]);
        draw_optim_marks(d, v, run, pal->runs[i]);
        if (run->diverged) {
            for (int edge = 1; edge >= 0; edge--) {
                const double w = (edge ? ts->diverged_edge : ts->diverged_width) * s;
                const Rgba col = edge ? pal->marker_edge : pal->runs[i];
                canvas_line(&d->frame, cx - r, cy - r, cx + r, cy + r, w, col);
                canvas_line(&d->frame, cx - r, cy + r, cx + r, cy - r, w, col);
            }
            continue;
        }
        draw_mark(&d->frame, theme_run_style[i].mark, cx, cy, r, ts->marker_edge * s, pal->runs[i], pal->marker_edge);
    }
}

/* The owner of each map pixel, as the trails are stroked in drawing order: a pixel a run's
 * stroke covers at least half belongs to it, until a later run's covers it. Drawn in white
 * on black into a scratch canvas of the picture's size, one run at a time. */
int draw_visible_fractions(Draw *d, const Session *ses, double out[SIM_MAX_RUNS], char *err, size_t errlen)
{
    Canvas c;
    memset(&c, 0, sizeof c);
    const int w = d->frame.w, h = d->frame.h;
    unsigned char *owner = malloc((size_t)w * h);
    long mine[SIM_MAX_RUNS] = { 0 }, top[SIM_MAX_RUNS] = { 0 };
    if (!owner) {
        snprintf(err, errlen, "out of memory for the trails' owners");
        return -1;
    }
    if (canvas_init(&c, w, h, err, errlen) < 0) {
        free(owner);
        return -1;
    }
    memset(owner, 255, (size_t)w * h);
    const CanvasBox m = map_pixels(&ses->view, &c);
    const uint32_t black = canvas_pixel((Rgba){ 0, 0, 0, 255 });
    int order[SIM_MAX_RUNS];
    const int n = trails_order(ses, order);
    for (int k = 0; k < n; k++) {
        const int i = order[k];
        if (ses->sim.runs[i].hidden)
            continue;
        for (int y = m.y; y < m.y + m.h; y++)
            for (int x = m.x; x < m.x + m.w; x++)
                c.px[(size_t)y * w + x] = black;
        const int np = trail_pixels(&ses->view, &ses->trails[i], 0, d->xy);
        stroke_trail(&c, d->xy, np, trails_width(d, ses, i), (Rgba){ 255, 255, 255, 255 }, 0, h);
        for (int y = m.y; y < m.y + m.h; y++)
            for (int x = m.x; x < m.x + m.w; x++)
                if (((c.px[(size_t)y * w + x] >> 16) & 255) >= 128) {
                    owner[(size_t)y * w + x] = (unsigned char)i;
                    mine[i]++;
                }
    }
    for (size_t p = 0; p < (size_t)w * h; p++)
        if (owner[p] != 255)
            top[owner[p]]++;
    for (int i = 0; i < ses->sim.nruns; i++)
        out[i] = mine[i] ? (double)top[i] / (double)mine[i] : -1;
    canvas_free(&c);
    free(owner);
    return 0;
}
