/* The picture of a session (see draw.h): the frame's composition. The map's layers are
 * drawn by base.c, axes.c, trails.c and motion.c, the panels by panels.c.
 *
 * How a frame is made, and what each canvas keeps:
 *
 *   base   the map without runs: heat map, isolines, arrows, minima, axes, colour bar.
 *          Rebuilt only when its key (function, view, theme, layers, layout) changes.
 *     |  copied where the trails must be drawn again (all of it after a rebuild)
 *     v
 *   scene  base + every trail so far. A step redraws only the box around its new segments
 *          (the trails in drawing order, the selected last); a hidden run, a new selection, a
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

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/hash.h"
#include "../core/internals.h"
#include "../core/parallel.h"
#include "draw_parts.h"
#include "panels.h"

/* Room for the panels' drawing calls of a frame (see CanvasLog): a frame whose panels make
 * more draws the changed ones again instead of replaying them. The plots' lines take most:
 * at most four points a pixel column for each run. */
#define PANEL_LOG_CALLS 8192
#define PANEL_LOG_BYTES (4u << 20)

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
    if (d->refine && canvas_log_init(&d->log, PANEL_LOG_CALLS, PANEL_LOG_BYTES) < 0) {
        snprintf(err, errlen, "out of memory for the panels' drawing calls");
        draw_free(d);
        return NULL;
    }
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
    d->surf_valid = 0;
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
    canvas_log_free(&d->log);
    canvas_free(&d->base);
    canvas_free(&d->scene);
    canvas_free(&d->frame);
    field_free(&d->field);
    field_free(&d->strip);
    surface_free(d);
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
    /* The summary, then what the key says of it. */
    basin_json(m, buf, len);
    size_t used = strlen(buf);
    if (used == 0 || used + 1 >= len)
        return 0;
    used--; /* over the summary's closing brace */
    WhyKeyEntry e[BASIN_MINIMA_MAX + 2];
    const int n = why_basins_key_entries(m, &ses->sim.func, theme_palette(ses->theme), e, BASIN_MINIMA_MAX + 2);
    used += (size_t)snprintf(buf + used, len - used, ", \"key\": [");
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s\"%s\"", i ? ", " : "", e[i].text);
    if (used < len)
        snprintf(buf + used, len - used, "]}");
    return 0;
}

void draw_help_fit(Draw *d, const Session *ses, int live, HelpFit *out)
{
    Layout l;
    draw_layout(d, ses, live, &l);
    const Paint paint = { &d->frame, d->text, d->s, theme_palette(ses->theme), d->xy, NULL };
    panels_help_fit(&paint, l.help, ses->help_page, out);
}

int draw_help_pages(Draw *d, const Session *ses, const Layout *l)
{
    const CanvasBox b = l->help, k = d->help_box;
    if (d->help_pages > 0 && d->help_s == d->s && b.x == k.x && b.y == k.y && b.w == k.w && b.h == k.h)
        return d->help_pages;
    const Paint paint = { &d->frame, d->text, d->s, theme_palette(ses->theme), d->xy, NULL };
    HelpFit fit;
    panels_help_fit(&paint, b, 0, &fit);
    d->help_box = b;
    d->help_s = d->s;
    d->help_pages = fit.pages;
    return fit.pages;
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

static size_t json_pair(char *buf, size_t len, const char *name, int on, const double v[2])
{
    if (!on)
        return (size_t)snprintf(buf, len, ", \"%s\": null", name);
    return (size_t)snprintf(buf, len, ", \"%s\": [%.17g, %.17g]", name, v[0], v[1]);
}

int draw_internals_json(Draw *d, const Session *ses, char *buf, size_t len)
{
    if (!(ses->shown & (SHOW_INTERNALS | SHOW_RULE)) || ses->sim.nruns == 0)
        return -1;
    Internals in;
    Rule rule;
    if (internals_of(&ses->sim, &ses->sim.runs[ses->selected], &in, &rule) < 0)
        return -1;
    size_t n = (size_t)snprintf(buf, len, "{\"run\": %d, \"all_runs\": %s, \"t\": %ld", ses->selected,
                                (ses->shown & SHOW_INTERNALS_ALL) ? "true" : "false", in.t);
    n += json_pair(buf + n, n < len ? len - n : 0, "point", 1, in.point);
    n += json_pair(buf + n, n < len ? len - n : 0, "next", 1, in.next);
    n += json_pair(buf + n, n < len ? len - n : 0, "gradient_step", 1, in.grad_step);
    n += json_pair(buf + n, n < len ? len - n : 0, "momentum", in.has_momentum, in.momentum);
    n += json_pair(buf + n, n < len ? len - n : 0, "step", 1, in.step);
    n += json_pair(buf + n, n < len ? len - n : 0, "scale", in.has_scale, in.scale);
    n += (size_t)snprintf(buf + n, n < len ? len - n : 0, ", \"arrow_scale\": %.17g, \"rule\": [",
                          why_internals_scale(ses, d->s));
    for (int k = 0; k < rule.n && n < len; k++) {
        const RuleLine *ln = &rule.line[k];
        n += (size_t)snprintf(buf + n, len - n, "%s{\"formula\": \"%s\", \"values\": ", k ? ", " : "", ln->formula);
        if (ln->values == 0)
            n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "null}");
        else if (ln->values == 1)
            n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%.17g}", ln->v[0]);
        else
            n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "[%.17g, %.17g]}", ln->v[0], ln->v[1]);
    }
    if (n < len)
        snprintf(buf + n, len - n, "]}");
    return n + 2 < len ? 0 : -1;
}

static void lay_out(Draw *d, const Session *ses, int live, int recording, Layout *out)
{
    LayoutIn in = {
        .w = d->frame.w,
        .h = d->frame.h,
        .s = d->s,
        .live = live,
        .shown = session_shows_data(ses) ? ses->shown : ses->shown & ~(unsigned)SHOW_DATA,
        .legend = ses->legend,
        .nruns = ses->sim.nruns,
        .title = session_title(ses)[0] != 0,
        .subtitle = panels_caption_lines(ses),
        .need = panels_legend_need(ses, d->text, d->s),
        .status_width = live ? panels_status_need(ses, d->text) : 0,
        .readout_lines = panels_readout_lines(ses, d->text, d->s, layout_readout_width(d->frame.w, d->s)),
        .input = live && ses->edit.open,
        .palette = live && ses->edit.open && ses->edit.purpose == EDIT_FOR_PALETTE,
        .recording = live && recording,
        .basin_rows = why_basins_key_rows(ses),
        .basin_width = why_basins_key_width(d->text, d->s),
        .rule_lines = panels_rule_lines(ses, d->text, d->s, layout_readout_width(d->frame.w, d->s)),
        .internals_rows = panels_internals_rows(ses),
        .notes_lines = live && ses->show_notes && ses->note[0],
        .views = ses->views,
    };
    layout_compute(out, &in, d->text);
    /* The notes wrap to the width of the rows under the map, which the layout decides. */
    if (in.notes_lines && out->notes.w > 0) {
        /* At most a quarter of the picture: the rest is on the presenter's screen, whole. */
        const int most = d->frame.h / 4 / text_height(d->text, FONT_BODY);
        const int lines = panels_notes_lines(ses, d->text, d->s, out->notes.w);
        in.notes_lines = lines < most ? lines : most > 1 ? most : 1;
        layout_compute(out, &in, d->text);
    }
}

void draw_layout(Draw *d, const Session *ses, int live, Layout *out)
{
    lay_out(d, ses, live, 0, out);
}

void draw_rows(Draw *d, Band proto, void *(*work)(void *))
{
    Band bands[PARALLEL_MAX];
    const int n = d->threads; /* 1..PARALLEL_MAX, set by draw_new */
    const int h = d->base.h;
    for (int w = 0; w < n; w++) {
        bands[w] = proto;
        bands[w].row0 = (int)((long long)h * w / n);
        bands[w].row1 = (int)((long long)h * (w + 1) / n);
    }
    parallel_run(bands, sizeof bands[0], n, work);
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

/* What moves over the scene each frame: the runs' markers, the selected run's Hessian axes,
 * the runs' labels, and over them the next step taken apart (the lecturer asked for it). */
static void draw_markers(Draw *d, const Session *ses)
{
    if (ses->views == VIEWS_SURFACE && d->layout.surface.w > 0) /* the map is not shown: its box is the surface's */
        return;
    trails_markers(d, ses);
    why_axes(&d->frame, ses, d->s, theme_palette(ses->theme));
    trails_labels(d, ses);
    why_internals(&d->frame, ses, d->s, theme_palette(ses->theme));
}

/* The markers' key: their drawing run in the frame's hash mode (see Canvas.hash), so it
 * covers whatever they show. */
static uint64_t markers_key(Draw *d, const Session *ses)
{
    uint64_t h = hash_double(HASH_START, d->s);
    d->frame.hash = &h;
    draw_markers(d, ses);
    surface_markers(d, ses);
    d->frame.hash = NULL;
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
        panels_draw_one(paint, ses, &d->layout, o, now, (PanelId)i);
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
    if (motion_update(d, ses, o, err, errlen) < 0)
        return -1;
    const int full = trails_update(d, ses);
    restore_margins(d, &d->scene, &ses->view);
    /* After the margins: the 3D view's box lies beside the map. */
    if (surface_update(d, ses, err, errlen) < 0)
        return -1;
    const Paint paint = { &d->frame, d->text, d->s, theme_palette(ses->theme), d->xy, &d->log };
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
            draw_rows(d, (Band){ .d = d, .ses = ses }, sync_band);
        else
            canvas_sync(&d->frame, &d->scene);
        draw_markers(d, ses);
        restore_margins(d, &d->frame, &ses->view);
        surface_markers(d, ses);
        reuse_touch(&d->reuse, &d->frame);
        reuse_plan(&d->reuse, &now, d->layout.map, 1, draw, over);
    }
    draw_panels(d, ses, o, &paint, &now, draw, over, full);
    reuse_done(&d->reuse, &now, over, markers);
    if (d->refine_wanted) {
        const RefineJob job = motion_refine_job(d, ses);
        refine_request(d->refine, &job);
        d->refine_wanted = 0;
    }
    return 0;
}

int draw_data_frame(Draw *d, const Session *ses, DataFrame *out)
{
    const Paint paint = { &d->frame, d->text, d->s, theme_palette(ses->theme), d->xy, NULL };
    return dataplot_frame(&paint, ses, d->layout.plot_data, out);
}

int draw_texts(Draw *d, const Session *ses, int id, char *buf, size_t len)
{
    CanvasLog log;
    if (canvas_log_init(&log, PANEL_LOG_CALLS, PANEL_LOG_BYTES) < 0)
        return -1;
    const Palette *pal = theme_palette(ses->theme);
    int from = 0, to = 0;
    if (id < 0) {
        uint64_t h = 0;
        d->base.hash = &h, d->base.log = &log;
        if (id == DRAW_TEXTS_COLORBAR) {
            axes_colorbar(d, pal, d->lut, &d->layout, d->layout.basin_key.w > 0);
        } else {
            unsigned long version;
            axes_basin_key(d, ses, why_basins_update(d->basins, ses, 0, &version), pal, &d->layout);
        }
        d->base.hash = NULL, d->base.log = NULL;
        to = log.ncalls;
    } else {
        const Paint paint = { &d->frame, d->text, d->s, pal, d->xy, &log };
        const DrawOptions o = { .live = 0 };
        PanelKeys keys;
        panels_keys(&paint, ses, &d->layout, &o, &keys);
        from = keys.from[id], to = keys.to[id];
    }
    size_t used = 0;
    int n = 0;
    buf[0] = '\0';
    for (int i = from; i < to; i++)
        if (log.calls[i].kind == CANVAS_CALL_TEXT && used < len) {
            used += (size_t)snprintf(buf + used, len - used, "%s\n", (const char *)(log.pool + log.calls[i].at));
            n++;
        }
    canvas_log_free(&log);
    return n;
}
