/* Moving the view as a window does, through the window's own translation of SDL events:
 * a drag moves what is there and computes only the strips coming into view, a wheel step
 * shows the picture scaled at once, and once the refinement in the background ends, the
 * picture equals a fresh render of the same view pixel for pixel. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/platform/app.h"
#include "../src/platform/input.h"
#include "check.h"

#define W 900
#define H 560
#define SETTLE_SECONDS 10.0

typedef struct {
    Session *ses;
    Draw *d;
    Mouse mouse;
    double scale; /* canvas pixels per window coordinate */
} Rig;

static int rig_open(Rig *r, const char *theme, double scale)
{
    Config c;
    char err[256];
    memset(r, 0, sizeof *r);
    r->scale = scale;
    config_defaults(&c);
    if ((theme && config_apply(&c, "theme", theme, 0, err, sizeof err) < 0) || config_finish(&c, err, sizeof err) < 0) {
        CHECK(0, "%s", err);
        return -1;
    }
    r->ses = calloc(1, sizeof *r->ses); /* megabytes: never on the stack */
    r->d = r->ses ? app_prepare(r->ses, &c, W, H, 1, 1, err, sizeof err) : NULL;
    CHECK(r->d != NULL, "a live picture: %s", err);
    if (!r->d)
        return -1;
    for (int i = 0; i < 150; i++)
        session_step(r->ses);
    return 0;
}

static void rig_close(Rig *r)
{
    draw_free(r->d);
    session_free(r->ses);
}

static void feed(Rig *r, SDL_Event e)
{
    const Action a = input_translate(&e, &r->mouse, r->scale, r->scale);
    if (a.kind != ACTION_NONE)
        session_apply(r->ses, &a);
}

static int frame(Rig *r)
{
    char err[256];
    const DrawOptions o = { .live = 1, .progressive = 1, .dragging = input_dragging(&r->mouse) };
    const int rc = draw_frame(r->d, r->ses, &o, err, sizeof err);
    CHECK(rc == 0, "a window's frame: %s", err);
    return rc;
}

/* Frames, a few milliseconds apart, until the refinement has been swapped in. */
static int settle(Rig *r)
{
    const struct timespec nap = { 0, 2000000 };
    for (int i = 0; i < SETTLE_SECONDS * 500; i++) {
        if (frame(r) < 0)
            return 0;
        if (draw_settled(r->d))
            return 1;
        nanosleep(&nap, NULL);
    }
    return 0;
}

/* The picture against one drawn from nothing, by a Draw of its own, for the same session. */
static void check_fresh(Rig *r, const char *what)
{
    char err[256];
    const int w = draw_picture(r->d)->w, h = draw_picture(r->d)->h;
    Draw *fresh = draw_new(w, h, 1, err, sizeof err);
    CHECK(fresh != NULL, "%s", err);
    if (!fresh)
        return;
    const DrawOptions o = { .live = 1 };
    CHECK(draw_frame(fresh, r->ses, &o, err, sizeof err) == 0, "%s", err);
    const Canvas *a = draw_picture(r->d), *b = draw_picture(fresh);
    long differ = 0, first = -1;
    for (long i = 0; i < (long)w * h; i++)
        if (a->px[i] != b->px[i] && differ++ == 0)
            first = i;
    CHECK(differ == 0, "%s: %ld pixels differ from a fresh render, the first at (%ld, %ld)", what, differ,
          first % w, first / w);
    draw_free(fresh);
}

static SDL_Event button(Uint32 type, int x, int y)
{
    return (SDL_Event){ .button = { .type = type, .button = SDL_BUTTON_LEFT, .x = x, .y = y } };
}

static SDL_Event motion(int x, int y)
{
    return (SDL_Event){ .motion = { .type = SDL_MOUSEMOTION, .x = x, .y = y } };
}

static SDL_Event wheel(int x, int y, int dy)
{
    return (SDL_Event){ .wheel = { .type = SDL_MOUSEWHEEL, .y = dy, .mouseX = x, .mouseY = y } };
}

/* While dragging, the map's pixels that stay in view are those of the frame before, moved
 * by the drag (the runs paused, so nothing else moves); what comes in is computed. */
static void check_drag(const char *theme)
{
    Rig r;
    if (rig_open(&r, theme, 1) < 0)
        return;
    const Action pause = { .kind = ACTION_PAUSE };
    if (!r.ses->paused)
        session_apply(r.ses, &pause);
    frame(&r);
    const View v = r.ses->view;
    int x = (int)(v.px + v.pw / 2), y = (int)(v.py + v.ph / 2);
    feed(&r, button(SDL_MOUSEBUTTONDOWN, x, y));
    feed(&r, motion(x += 9, y += 2)); /* past the click threshold: a drag from here */
    frame(&r);
    uint32_t *before = malloc((size_t)W * H * sizeof *before);
    const int moves[][2] = { { 7, 3 }, { 7, 3 }, { -20, 11 }, { 3, -15 } };
    for (size_t k = 0; before && k < sizeof moves / sizeof moves[0]; k++) {
        memcpy(before, draw_picture(r.d)->px, (size_t)W * H * sizeof *before);
        const int dx = moves[k][0], dy = moves[k][1];
        feed(&r, motion(x += dx, y += dy));
        frame(&r);
        CHECK(!draw_settled(r.d), "%s: a drag's frame is not yet the exact picture", theme);
        const Canvas *c = draw_picture(r.d);
        long moved = 0, kept = 0;
        for (int j = (int)v.py; j < (int)(v.py + v.ph); j++)
            for (int i = (int)v.px; i < (int)(v.px + v.pw); i++) {
                const int si = i - dx, sj = j - dy;
                if (si < v.px || sj < v.py || si >= v.px + v.pw || sj >= v.py + v.ph)
                    continue;
                moved++;
                kept += c->px[(size_t)j * W + i] == before[(size_t)sj * W + si];
            }
        CHECK(moved > 0 && kept == moved, "%s: drag by (%d, %d): %ld of %ld map pixels moved unchanged", theme, dx,
              dy, kept, moved);
    }
    free(before);
    feed(&r, button(SDL_MOUSEBUTTONUP, x, y));
    CHECK(settle(&r), "%s: the refinement after a drag ends", theme);
    CHECK(r.ses->view.x0 < v.x0 && r.ses->view.y0 > v.y0,
          "%s: dragging right and down shows what lies left of and above the view", theme);
    check_fresh(&r, "after a drag");
    rig_close(&r);
}

/* Several wheel steps in a row, frames between them, the runs stepping: each step shows a
 * picture at once, and the refinement restarts rather than queues. */
static void check_zoom(void)
{
    Rig r;
    if (rig_open(&r, NULL, 1) < 0)
        return;
    frame(&r);
    const View v = r.ses->view;
    const int x = (int)(v.px + v.pw * 0.3), y = (int)(v.py + v.ph * 0.6);
    const double wx = view_wx(&v, x + 0.5), wy = view_wy(&v, y + 0.5);
    for (int k = 0; k < 4; k++) {
        feed(&r, wheel(x, y, k == 3 ? -1 : 1));
        session_step(r.ses);
        frame(&r);
        CHECK(!draw_settled(r.d), "the frame after wheel step %d is shown before the exact picture", k);
    }
    CHECK(fabs(view_wx(&r.ses->view, x + 0.5) - wx) < 1e-9 * (v.x1 - v.x0) &&
              fabs(view_wy(&r.ses->view, y + 0.5) - wy) < 1e-9 * (v.y1 - v.y0),
          "the point under the pointer stays there");
    CHECK(r.ses->view.x1 - r.ses->view.x0 < (v.x1 - v.x0) * 0.9, "three steps in and one out zoom in");
    CHECK(settle(&r), "the refinement after wheel steps ends");
    check_fresh(&r, "after wheel steps");
    rig_close(&r);
}

/* On a display whose pixels are not whole window coordinates (a scale of 1.5) a drag moves
 * by fractions of a pixel: the picture is resampled at once and refined all the same. */
static void check_fractional_drag(void)
{
    Rig r;
    if (rig_open(&r, NULL, 1.5) < 0)
        return;
    frame(&r);
    const View v = r.ses->view;
    int x = (int)((v.px + v.pw / 2) / 1.5), y = (int)((v.py + v.ph / 2) / 1.5);
    feed(&r, button(SDL_MOUSEBUTTONDOWN, x, y));
    for (int k = 0; k < 6; k++) {
        feed(&r, motion(x += 5, y -= 3));
        session_step(r.ses);
        frame(&r);
    }
    feed(&r, button(SDL_MOUSEBUTTONUP, x, y));
    CHECK(settle(&r), "the refinement after a fractional drag ends");
    check_fresh(&r, "after a fractional drag");
    rig_close(&r);
}

/* The window changes size while the refinement of a zoom is running: the work in hand is
 * dropped, not painted into what was freed, and the picture at the new size is exact. */
static void check_resize_while_refining(void)
{
    Rig r;
    if (rig_open(&r, NULL, 1) < 0)
        return;
    frame(&r);
    const View v = r.ses->view;
    for (int k = 0; k < 3; k++) {
        feed(&r, wheel((int)(v.px + v.pw / 2), (int)(v.py + v.ph / 2), 1));
        frame(&r); /* the refinement starts once this frame is drawn */
        char err[256];
        const int w = k % 2 ? W : W - 100, h = k % 2 ? H : H - 60;
        CHECK(draw_resize(r.d, w, h, 1, err, sizeof err) == 0, "resize: %s", err);
        app_relayout(r.d, r.ses, 1);
        frame(&r);
    }
    CHECK(settle(&r), "the refinement after a resize ends");
    check_fresh(&r, "after a resize during a refinement");
    rig_close(&r);
}

void test_motion(void)
{
    check_drag("dark");
    check_drag("light");
    check_zoom();
    check_fractional_drag();
    check_resize_while_refining();
}
