/* The moving view (see draw.c's top comment): while a window's view is dragged or zoomed
 * the scene follows at once, shifted by whole pixels with only the strips coming into
 * view computed, or resampled from the base; refine.c computes the exact base meanwhile. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/parallel.h"
#include "draw_parts.h"

RefineJob motion_refine_job(const Draw *d, const Session *ses)
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
    base_minima(d, &d->scene, ses, pal);
    const double reach = trails_reach(d, ses);
    const double near[4] = { r.x - reach, r.y - reach, r.x + r.w + reach, r.y + r.h + reach };
    int order[SIM_MAX_RUNS];
    const int nruns = trails_order(ses, order);
    for (int k = 0; k < nruns; k++) {
        const int i = order[k];
        CanvasStroke s;
        const int n = d->trail_n[i] < d->trail_drawn[i] ? d->trail_n[i] : d->trail_drawn[i];
        canvas_stroke_begin(&s, &d->scene, trails_width(d, ses, i), pal->runs[i], r.y, r.y + r.h);
        canvas_stroke_polyline(&s, d->strip_xy, trails_near_points(d->trail_xy[i], n, near, d->strip_xy));
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
        d->scene_runs = -1; /* trails_update redraws it, resampled */
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
int motion_update(Draw *d, const Session *ses, const DrawOptions *o, char *err, size_t errlen)
{
    BaseKey key;
    const BasinMap *basins = base_key(d, ses, o->live, &key);
    if (!o->progressive || key.basins) {
        if (d->base_valid && base_key_same(&key, &d->key) && !d->approx)
            return 0;
        refine_cancel(d->refine);
        return base_build(d, ses, &key, basins, err, errlen);
    }
    if (refine_reserve(d->refine, d->base.w, d->base.h, err, errlen) < 0)
        return -1;
    const RefineJob job = motion_refine_job(d, ses);
    const int level = refine_take(d->refine, &job, &d->base, &d->field);
    if (level != REFINE_NONE) {
        base_finish(d, ses, &key, NULL);
        d->approx = level != REFINE_EXACT;
        d->base_builds += level == REFINE_EXACT;
        return 0;
    }
    if (!d->base_valid || !base_key_same_but_view(&key, &d->key)) {
        refine_cancel(d->refine);
        return base_build(d, ses, &key, NULL, err, errlen);
    }
    if (!view_same(&ses->view, &d->shown)) {
        if (move_scene(d, ses, err, errlen) < 0)
            return -1;
        axes_refresh(d, ses);
        d->approx = 1;
    }
    d->refine_wanted = d->approx && !o->dragging;
    return 0;
}
