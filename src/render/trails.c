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

/* Adds what the trails gained since the last frame; redraws them all when needed, and
 * then returns 1: the scene changed all over. */
int trails_update(Draw *d, const Session *ses)
{
    int full = d->scene_runs != ses->sim.nruns || d->scene_selected != ses->selected;
    for (int i = 0; i < ses->sim.nruns && !full; i++)
        full = d->trail_version[i] != ses->trails[i].version || d->trail_hidden[i] != ses->sim.runs[i].hidden ||
               d->trail_drawn[i] > ses->trails[i].n;
    if (full)
        redraw_trails(d, ses);
    int order[SIM_MAX_RUNS];
    const int nruns = trails_order(ses, order);
    for (int k = 0; k < nruns; k++) {
        const int i = order[k], from = d->trail_drawn[i] - 1;
        if (!full && !ses->sim.runs[i].hidden) {
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

/* The piece of path since the last kept point, and the start and current markers. */
void trails_markers(Draw *d, const Session *ses)
{
    const ThemeSizes *ts = &theme_size;
    const Palette *pal = theme_palette(ses->theme);
    const View *v = &ses->view;
    const double s = d->s, r = THEME_MARKER_RADIUS * s;
    const double sx0 = view_sx(v, ses->sim.start[0]), sy0 = view_sy(v, ses->sim.start[1]);
    canvas_disc(&d->frame, sx0, sy0, r * 0.75, pal->marker_edge);
    canvas_ring(&d->frame, sx0, sy0, r * 0.75, ts->start_ring_width * s, pal->minimum);
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
