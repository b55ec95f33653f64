/* A live frame draws and sends only what changed: paused with nothing changing, nothing;
 * a panel whose content changes, that panel's box. And the picture is always the one a new
 * picture of the same session shows, so no panel is kept stale or drawn over its
 * neighbours, with the map's panels floating over it (W) or a marker far off the map. */
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/view.h"
#include "../src/render/draw.h"
#include "../src/session/session.h"
#include "check.h"

#define W 800
#define H 500

typedef struct {
    Session *ses;
    Draw *d;
    DrawOptions o;
    Canvas before;  /* the picture before the last frame */
    CanvasBox boxes[64];
    int nboxes;
} Live;

/* Lays the picture out as the window does, telling the session where its map went. */
static void relayout(Draw *d, Session *ses)
{
    Layout l;
    draw_layout(d, ses, 1, &l);
    const View *v = &ses->view;
    if (l.map.x != v->px || l.map.y != v->py || l.map.w != v->pw || l.map.h != v->ph || ses->fit_pending) {
        const Action a = session_map_box(l.map.x, l.map.y, l.map.w, l.map.h);
        session_apply(ses, &a);
    }
}

/* A live session of `args` (option, value pairs, NULL-ended) after `steps` steps, paused,
 * with its first frame drawn. */
static int live_open(Live *lv, const char *const *args, int steps)
{
    char err[256];
    Config c;
    memset(lv, 0, sizeof *lv);
    config_defaults(&c);
    for (int i = 0; args[i]; i += 2)
        if (config_apply(&c, args[i], args[i + 1], 0, err, sizeof err) < 0) {
            CHECK(0, "%s", err);
            return -1;
        }
    if (config_finish(&c, err, sizeof err) < 0) {
        CHECK(0, "%s", err);
        return -1;
    }
    lv->ses = calloc(1, sizeof *lv->ses); /* megabytes: its trails */
    lv->d = draw_new(W, H, 1, err, sizeof err);
    if (!lv->ses || !lv->d || session_init(lv->ses, &c, 0, 0, W, H, err, sizeof err) < 0 ||
        canvas_init(&lv->before, W, H, err, sizeof err) < 0) {
        CHECK(0, "a live session: %s", err);
        return -1;
    }
    relayout(lv->d, lv->ses);
    for (int i = 0; i < steps; i++)
        session_step(lv->ses);
    if (!lv->ses->paused) {
        const Action pause = { .kind = ACTION_PAUSE };
        session_apply(lv->ses, &pause);
    }
    lv->o = (DrawOptions){ .live = 1 };
    CHECK(canvas_track_changes(draw_picture(lv->d)) == 0, "tracking changes");
    return 0;
}

static void live_close(Live *lv)
{
    draw_free(lv->d);
    session_free(lv->ses);
    canvas_free(&lv->before);
}

/* One frame; returns the pixels in the boxes it says changed. */
static long live_frame(Live *lv)
{
    char err[256];
    Canvas *pic = draw_picture(lv->d);
    memcpy(lv->before.px, pic->px, (size_t)W * H * sizeof *pic->px);
    relayout(lv->d, lv->ses);
    CHECK(draw_frame(lv->d, lv->ses, &lv->o, err, sizeof err) == 0, "a frame: %s", err);
    lv->nboxes = canvas_take_changes(pic, lv->boxes, 64);
    long px = 0;
    for (int i = 0; i < lv->nboxes; i++)
        px += (long)lv->boxes[i].w * lv->boxes[i].h;
    return px;
}

static int inside(CanvasBox b, int x, int y)
{
    return x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h;
}

/* Every pixel the last frame changed was sent (it lies in a changed box): the screen shows
 * the picture. */
static void check_sent(const Live *lv, const char *what)
{
    const Canvas *pic = draw_picture(lv->d);
    long missed = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            if (pic->px[(size_t)y * W + x] == lv->before.px[(size_t)y * W + x])
                continue;
            int sent = 0;
            for (int i = 0; i < lv->nboxes && !sent; i++)
                sent = inside(lv->boxes[i], x, y);
            missed += !sent;
        }
    CHECK(missed == 0, "%s: %ld changed pixels were not sent", what, missed);
}

/* The boxes sent lie within `allowed`. */
static void check_within(const Live *lv, CanvasBox allowed, const char *what)
{
    for (int i = 0; i < lv->nboxes; i++) {
        const CanvasBox b = lv->boxes[i];
        CHECK(b.x >= allowed.x && b.y >= allowed.y && b.x + b.w <= allowed.x + allowed.w &&
                  b.y + b.h <= allowed.y + allowed.h,
              "%s: sent %dx%d at (%d, %d) outside the panel's %dx%d at (%d, %d)", what, b.w, b.h, b.x, b.y,
              allowed.w, allowed.h, allowed.x, allowed.y);
    }
}

/* The picture equals a new picture's of the session as it is, everywhere or (after steps,
 * whose trails are drawn piece by piece rather than whole) outside the map. */
static void check_fresh(const Live *lv, int map_too, const char *what)
{
    char err[256];
    Draw *fresh = draw_new(W, H, 1, err, sizeof err);
    if (!fresh) {
        CHECK(0, "%s", err);
        return;
    }
    CHECK(draw_frame(fresh, lv->ses, &lv->o, err, sizeof err) == 0, "a fresh frame: %s", err);
    const Canvas *a = draw_picture(lv->d), *b = draw_picture(fresh);
    const CanvasBox map = draw_last_layout(lv->d)->map;
    long differ = 0;
    int fx = -1, fy = -1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if ((map_too || !inside(map, x, y)) && a->px[(size_t)y * W + x] != b->px[(size_t)y * W + x] && !differ++)
                fx = x, fy = y;
    CHECK(differ == 0, "%s: %ld pixels differ from a new picture's, the first at (%d, %d)", what, differ, fx, fy);
    draw_free(fresh);
}

static void check_idle(Live *lv, const char *what)
{
    for (int i = 0; i < 3; i++) {
        const long px = live_frame(lv);
        CHECK(px == 0 && lv->nboxes == 0, "%s: an idle frame sent %ld pixels in %d boxes", what, px, lv->nboxes);
    }
}

static void apply(Live *lv, ActionKind kind)
{
    const Action a = { .kind = kind };
    session_apply(lv->ses, &a);
}

/* Beside the map: a message fading, the help, a step while paused. */
static void check_panels(void)
{
    Live lv;
    const char *const args[] = { "size", "800x500", NULL };
    if (live_open(&lv, args, 120) == 0) {
        live_frame(&lv);
        check_fresh(&lv, 1, "first frame");
        check_idle(&lv, "paused");
        const Layout *l = draw_last_layout(lv.d);
        const double fade[] = { 1, 0.5, 0.25, 0 };
        for (int i = 0; i < 4; i++) {
            lv.o.message_alpha = fade[i];
            CHECK(live_frame(&lv) > 0, "the message at alpha %g was not sent", fade[i]);
            check_within(&lv, l->message, "message");
            check_sent(&lv, "message");
            check_fresh(&lv, 1, "message");
        }
        check_idle(&lv, "message gone");
        apply(&lv, ACTION_HELP);
        live_frame(&lv);
        check_within(&lv, l->help, "help");
        check_sent(&lv, "help");
        check_fresh(&lv, 1, "help open");
        check_idle(&lv, "help open");
        apply(&lv, ACTION_FASTER); /* the status line under the help changes */
        live_frame(&lv);
        check_sent(&lv, "status under the help");
        check_fresh(&lv, 1, "status under the help");
        apply(&lv, ACTION_HELP);
        live_frame(&lv);
        check_sent(&lv, "help closed");
        check_fresh(&lv, 1, "help closed");
        check_idle(&lv, "help closed");
        apply(&lv, ACTION_SELECT_NEXT);
        live_frame(&lv);
        check_sent(&lv, "next run");
        check_fresh(&lv, 1, "next run");
        apply(&lv, ACTION_STEP);
        CHECK(live_frame(&lv) > 0, "a step while paused was not sent");
        check_sent(&lv, "a step while paused");
        check_fresh(&lv, 0, "a step while paused");
        check_idle(&lv, "after a step");
        /* Back a step, another lr, the step again: the plots' histories are as long as
         * before, with other numbers at their end. */
        apply(&lv, ACTION_STEP_BACK);
        live_frame(&lv);
        apply(&lv, ACTION_LR_UP);
        apply(&lv, ACTION_STEP);
        live_frame(&lv);
        check_sent(&lv, "a step again with another lr");
        check_fresh(&lv, 0, "a step again with another lr");
    }
    live_close(&lv);
}

/* W: the panels float over the map, and are drawn again whenever the map under them is. */
static void check_floating(void)
{
    Live lv;
    const char *const args[] = { "size", "800x500", NULL };
    if (live_open(&lv, args, 80) == 0) {
        apply(&lv, ACTION_TOGGLE_FLOAT);
        live_frame(&lv);
        CHECK(draw_last_layout(lv.d)->floating, "W floats the panels");
        check_fresh(&lv, 1, "floating");
        check_idle(&lv, "floating");
        lv.o.message_alpha = 1;
        live_frame(&lv);
        check_sent(&lv, "floating message");
        check_fresh(&lv, 1, "floating message");
        lv.o.message_alpha = 0;
        apply(&lv, ACTION_SELECT_NEXT);
        live_frame(&lv);
        check_sent(&lv, "floating, next run");
        check_fresh(&lv, 1, "floating, next run");
        check_idle(&lv, "floating, next run");
        apply(&lv, ACTION_STEP);
        live_frame(&lv);
        check_sent(&lv, "floating, a step");
        check_idle(&lv, "floating, after a step");
        apply(&lv, ACTION_TOGGLE_FLOAT);
        live_frame(&lv);
        check_sent(&lv, "beside again");
        check_fresh(&lv, 0, "beside again");
    }
    live_close(&lv);
}

/* A diverged run's marker stays where it left the view, here in the legend's column: the
 * margins put back under it must not leave the legend torn. */
static void check_far_marker(void)
{
    Live lv;
    const char *const args[] = { "size", "800x500", "function", "rosenbrock", "optimizer", "sgd:lr=1",
                                 "optimizer", "adam:lr=0.05", "start", "-1.5,2", "view", "120,150,40,64", NULL };
    if (live_open(&lv, args, 30) == 0) {
        live_frame(&lv);
        const Layout *l = draw_last_layout(lv.d);
        const Run *r = &lv.ses->sim.runs[0];
        CHECK(r->diverged, "sgd with lr 1 diverges on Rosenbrock");
        /* Drag the map until the marker sits in the legend's row of its first run. */
        const double sx = view_sx(&lv.ses->view, r->x), sy = view_sy(&lv.ses->view, r->y);
        const Action drag = { .kind = ACTION_PAN, .x = l->legend.x + l->legend.w / 3 - sx,
                              .y = l->legend.y + l->legend_row_height / 2 - sy };
        session_apply(lv.ses, &drag);
        live_frame(&lv);
        const double mx = view_sx(&lv.ses->view, r->x), my = view_sy(&lv.ses->view, r->y);
        CHECK(!inside(l->map, (int)mx, (int)my) && inside(l->legend, (int)mx, (int)my),
              "the diverged run's marker at (%.0f, %.0f) lies in the legend", mx, my);
        check_fresh(&lv, 1, "a marker off the map");
        check_idle(&lv, "a marker off the map");
        apply(&lv, ACTION_STEP);
        live_frame(&lv);
        check_sent(&lv, "a marker off the map, a step");
        check_fresh(&lv, 0, "a marker off the map, a step");
        lv.o.message_alpha = 1;
        live_frame(&lv);
        check_sent(&lv, "a marker off the map, a message");
        check_fresh(&lv, 0, "a marker off the map, a message");
        check_idle(&lv, "a marker off the map, after a step");
    }
    live_close(&lv);
}

/* A run going straight up, out of the map and into the title: no point of its path is kept
 * (they stand on a line), so the scene does not change there; only the marker does, and the
 * margins put back under it. The title, whose text stays, must be drawn again over them.
 * A step is about 24 pixels, more than a marker across: the step into the title's glyphs
 * meets nothing the last frame drew there. */
static void check_marker_entering(void)
{
    Live lv;
    const char *const args[] = { "size", "800x500", "function", "expr:-y", "optimizer", "sgd:lr=0.12",
                                 "start", "-0.9,0.8", "view", "-1,1,-1,1", "title", "WWWWWWWWWWWWWWWWWWWW", NULL };
    if (live_open(&lv, args, 0) == 0) {
        live_frame(&lv);
        int entered = 0;
        for (int i = 0; i < 4; i++) {
            session_step(lv.ses);
            live_frame(&lv);
            const Layout *l = draw_last_layout(lv.d);
            const Run *r = &lv.ses->sim.runs[0];
            entered |= inside(l->title, (int)view_sx(&lv.ses->view, r->x), (int)view_sy(&lv.ses->view, r->y));
            check_sent(&lv, "a marker entering the title");
            check_fresh(&lv, 0, "a marker entering the title");
        }
        CHECK(entered, "the run never reached the title");
    }
    live_close(&lv);
}

/* A panel's key is its drawing: a change only the drawing sees is caught. Here one loss
 * in the middle of a run's history, far from its newest entries and off any sampling
 * stride a key written by hand might take (that key hashed every 16th entry and the last
 * 32): the loss plot's line must jump there at once, as a new picture's does. */
static void check_history_entry(void)
{
    Live lv;
    const char *const args[] = { "size", "800x500", "panels", "contours,plots", NULL };
    if (live_open(&lv, args, 150) == 0) {
        live_frame(&lv);
        check_idle(&lv, "before the history changes");
        History *hs = &lv.ses->hist[0];
        const int k = 41;
        CHECK(hs->n > k + 40, "the history holds %d entries", hs->n);
        hs->loss[k] = hs->loss[0]; /* up to where it started: within the plot's range, so no tick moves */
        CHECK(live_frame(&lv) > 0, "a history entry changed, nothing was sent");
        CHECK(draw_last_layout(lv.d)->plot_loss.w > 0, "the loss plot is shown");
        check_within(&lv, draw_last_layout(lv.d)->plot_loss, "a history entry");
        check_sent(&lv, "a history entry");
        check_fresh(&lv, 1, "a history entry");
        check_idle(&lv, "after the history changed");
    }
    live_close(&lv);
}

/* The map differs from a new picture's in no pixel by more than 2 in any channel (a trail
 * drawn piece by piece may round a pixel's alpha otherwise). */
static void check_map_fresh(const Live *lv, const char *what)
{
    char err[256];
    Draw *fresh = draw_new(W, H, 1, err, sizeof err);
    if (!fresh) {
        CHECK(0, "%s", err);
        return;
    }
    CHECK(draw_frame(fresh, lv->ses, &lv->o, err, sizeof err) == 0, "a fresh frame: %s", err);
    const Canvas *a = draw_picture(lv->d), *b = draw_picture(fresh);
    long differ = 0;
    for (size_t p = 0; p < (size_t)W * H; p++)
        for (int sh = 0; sh < 24; sh += 8)
            differ += abs((int)((a->px[p] >> sh) & 255) - (int)((b->px[p] >> sh) & 255)) > 2;
    CHECK(differ == 0, "%s: %ld channels differ from a new picture's by more than 2", what, differ);
    draw_free(fresh);
}

/* Two runs on one path, drawn a step at a time: the selected one stays on top of the wider
 * one under it all along, as in a new picture, and selecting the other swaps them. */
static void check_coinciding(void)
{
    Live lv;
    const char *const args[] = { "size", "800x500", "function", "quadratic:a=1,b=5", "optimizer", "sgd:lr=0.02,label=a",
                                 "optimizer", "sgd:lr=0.02,label=b", NULL };
    if (live_open(&lv, args, 0) == 0) {
        live_frame(&lv);
        for (int i = 0; i < 40; i++) {
            session_step(lv.ses);
            live_frame(&lv);
        }
        check_map_fresh(&lv, "coinciding runs stepped");
        const Action second = { .kind = ACTION_SELECT, .arg = 1 };
        session_apply(lv.ses, &second);
        live_frame(&lv);
        check_map_fresh(&lv, "the second run selected");
        for (int i = 0; i < 20; i++) {
            session_step(lv.ses);
            live_frame(&lv);
        }
        check_map_fresh(&lv, "the second run selected, stepped");
    }
    live_close(&lv);
}

void test_reuse(void)
{
    check_coinciding();
    check_panels();
    check_history_entry();
    check_floating();
    check_far_marker();
    check_marker_entering();
}
