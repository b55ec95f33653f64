/* The view keeps within its limits whatever fits, resizes, zooms and pans do, and from any
 * valid view a zoom out, a zoom in and a pan each either move it or say why. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/view.h"
#include "../src/session/session.h"
#include "check.h"

static int view_ok(const View *v)
{
    return view_box_ok(view_box(v));
}

/* The boxes of the issue, and the widest and farthest that --view accepts. */
static void check_fit(void)
{
    const WorldBox boxes[] = {
        { -5e11, 5e11, -5e11, 5e11 },
        { 999000000000000, 1e15, 999000000000000, 1e15 },
        { -1e15, -1e15 + 2e4, 0, 1 },
        { 0, 1e-12, 0, 1e-12 },
        { 1e14, 1e14 + 2e3, -1, 1 },
        { -1, 1, -5e11, 5e11 },
    };
    const double sizes[][2] = { { 800, 600 }, { 500, 600 }, { 400, 300 }, { 1, 1 }, { 9000, 40 }, { 40, 9000 } };
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++) {
        CHECK(view_box_ok(boxes[i]), "box %zu should be a valid --view", i);
        for (size_t j = 0; j < sizeof sizes / sizeof sizes[0]; j++) {
            View v;
            view_fit(&v, boxes[i], 10, 20, sizes[j][0], sizes[j][1]);
            CHECK(view_ok(&v), "box %zu fitted to %gx%g: [%.17g, %.17g] x [%.17g, %.17g]", i, sizes[j][0],
                  sizes[j][1], v.x0, v.x1, v.y0, v.y1);
            view_resize(&v, 0, 0, 400, 300);
            CHECK(view_ok(&v), "box %zu resized to 400x300: [%.17g, %.17g] x [%.17g, %.17g]", i, v.x0, v.x1, v.y0,
                  v.y1);
        }
    }
}

static Session *make_session(const char *view, double w, double h)
{
    Config c;
    char err[256];
    config_defaults(&c);
    if (view && config_apply(&c, "view", view, 0, err, sizeof err) < 0) {
        CHECK(0, "%s", err);
        return NULL;
    }
    config_finish(&c, err, sizeof err);
    Session *ses = calloc(1, sizeof *ses);
    if (ses && session_init(ses, &c, 0, 0, w, h, err, sizeof err) < 0) {
        CHECK(0, "%s", err);
        session_free(ses);
        return NULL;
    }
    return ses;
}

/* An action either changes the view or leaves a message saying why not. */
static int moved_or_said(Session *ses, const Action *a)
{
    const View before = ses->view;
    const unsigned long serial = ses->message_serial;
    session_apply(ses, a);
    return memcmp(&before, &ses->view, sizeof before) != 0 || ses->message_serial != serial;
}

static void check_every_way(Session *ses, const char *where)
{
    const double cx = ses->view.px + ses->view.pw / 2, cy = ses->view.py + ses->view.ph / 2;
    const Action actions[] = {
        { .kind = ACTION_ZOOM, .x = cx, .y = cy, .factor = 1.2 },
        { .kind = ACTION_ZOOM, .x = cx, .y = cy, .factor = 1 / 1.2 },
        { .kind = ACTION_PAN, .x = 30, .y = 0 },
        { .kind = ACTION_PAN, .x = -30, .y = 0 },
        { .kind = ACTION_PAN, .x = 0, .y = 30 },
        { .kind = ACTION_PAN, .x = 0, .y = -30 },
    };
    const char *names[] = { "zoom in", "zoom out", "pan left", "pan right", "pan down", "pan up" };
    for (int i = 0; i < 6; i++) {
        Session *copy = malloc(sizeof *copy); /* a session is megabytes: not on the stack */
        if (!copy)
            return;
        session_copy_shown(copy, ses);
        CHECK(moved_or_said(copy, &actions[i]) && view_ok(&copy->view), "%s: %s did nothing and said nothing", where,
              names[i]);
        session_free(copy);
    }
}

/* The layout's new map box, as the shell sends it. */
static void resize_map(Session *ses, double x, double y, double w, double h)
{
    const Action a = session_map_box(x, y, w, h);
    session_apply(ses, &a);
}

/* Driven to each limit, then resized: the view stays valid and every way out works. */
static void check_limits(void)
{
    Session *ses = make_session("-5e11,5e11,-5e11,5e11", 800, 600);
    if (!ses)
        return;
    CHECK(view_ok(&ses->view) && ses->view.x1 - ses->view.x0 <= VIEW_MAX_WIDTH, "the widest view fits: %.17g wide",
          ses->view.x1 - ses->view.x0);
    check_every_way(ses, "widest view");
    const double cx = 400, cy = 300;
    for (int i = 0; i < 400; i++) {
        const Action a = { .kind = ACTION_ZOOM, .x = cx, .y = cy, .factor = 1.2 };
        session_apply(ses, &a);
    }
    CHECK(view_ok(&ses->view) && ses->view.x1 - ses->view.x0 < 1e-11, "zoomed in to the limit: %.17g wide",
          ses->view.x1 - ses->view.x0);
    check_every_way(ses, "zoom-in limit");
    resize_map(ses, 0, 0, 400, 300);
    CHECK(view_ok(&ses->view), "resized at the zoom-in limit: %.17g wide", ses->view.x1 - ses->view.x0);
    check_every_way(ses, "zoom-in limit, resized");
    for (int i = 0; i < 400; i++) {
        const Action a = { .kind = ACTION_ZOOM, .x = 200, .y = 150, .factor = 1 / 1.2 };
        session_apply(ses, &a);
    }
    resize_map(ses, 0, 0, 1600, 1200);
    CHECK(view_ok(&ses->view), "resized at the zoom-out limit: %.17g wide", ses->view.x1 - ses->view.x0);
    check_every_way(ses, "zoom-out limit, resized");
    session_free(ses);

    ses = make_session("999000000000000,1e15,999000000000000,1e15", 800, 600);
    if (!ses)
        return;
    CHECK(view_ok(&ses->view) && ses->view.x1 <= VIEW_MAX_COORD, "the farthest view fits: x1 = %.17g", ses->view.x1);
    check_every_way(ses, "farthest view");
    for (int i = 0; i < 100; i++) {
        const Action a = { .kind = ACTION_PAN, .x = -300, .y = 300 };
        session_apply(ses, &a);
    }
    CHECK(view_ok(&ses->view), "panned to the edge");
    check_every_way(ses, "panned to the edge");
    session_free(ses);
}

/* Random views and sizes: whatever happens, the view stays valid and answers. */
static void check_random(void)
{
    srand(13);
    Session *ses = make_session(NULL, 800, 600);
    if (!ses)
        return;
    for (int i = 0; i < 3000; i++) {
        const double r = (double)rand() / RAND_MAX;
        Action a = { .kind = ACTION_ZOOM, .x = rand() % 800, .y = rand() % 600, .factor = 0.5 + 3 * r };
        if (i % 3 == 1)
            a = (Action){ .kind = ACTION_PAN, .x = (rand() % 2001 - 1000) * 50.0, .y = (rand() % 2001 - 1000) * 50.0 };
        if (i % 17 == 0)
            resize_map(ses, 0, 0, 1 + rand() % 3000, 1 + rand() % 3000);
        session_apply(ses, &a);
        if (!view_ok(&ses->view)) {
            CHECK(0, "step %d left the limits: [%.17g, %.17g] x [%.17g, %.17g]", i, ses->view.x0, ses->view.x1,
                  ses->view.y0, ses->view.y1);
            break;
        }
        if (i % 50 == 0)
            check_every_way(ses, "random view");
    }
    session_free(ses);
}

/* A factor that is no factor changes nothing. */
static void check_bad_factor(void)
{
    const WorldBox box = { -1, 1, -1, 1 };
    const double factors[] = { 0, -1, NAN, INFINITY };
    for (int i = 0; i < 4; i++) {
        View v, before;
        view_fit(&v, box, 0, 0, 400, 300);
        before = v;
        CHECK(view_zoom(&v, 200, 150, factors[i]) < 0 && memcmp(&v, &before, sizeof v) == 0, "zoom by %g", factors[i]);
    }
}

void test_view(void)
{
    check_bad_factor();
    check_fit();
    check_limits();
    check_random();
}
