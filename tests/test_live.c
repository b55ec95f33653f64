/* The live window is the slide: every scene of the lecture decks, laid out live at the
 * classroom sizes (font scale 1.5) in both themes with a message showing, keeps every box
 * its slide picture has, and the live rows (status, message, REC mark, input) take their
 * room from the map alone. A recording's frame is the picture S saves at that step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/core/config.h"
#include "../src/platform/app.h"
#include "../src/platform/record.h"
#include "../src/platform/shipped.h"
#include "../src/render/draw.h"
#include "../src/session/session.h"
#include "check.h"
#include "layout_check.h"
#include "pngio.h"

#define FONT 1.5

static const char *const decks[] = { "assets/scenes/lr_lecture.deck", "assets/scenes/regression_lecture.deck" };
static DataStore data = { .read = shipped_read_data }; /* the regression deck's data, read once */

/* Scene `at` of a deck with the given theme, as the window reads it. */
static int deck_config(Config *c, const char *deck, int at, const char *theme, char *err, size_t errlen)
{
    char *argv[] = { "optiscope", "--scene", (char *)deck, "--theme", (char *)theme, NULL };
    config_defaults(c);
    c->data = &data;
    c->deck_at = at;
    return config_parse_args(c, 5, argv, shipped_read_scene, err, errlen) < 0 || config_finish(c, err, errlen) < 0
               ? -1
               : 0;
}

static int deck_count(const char *deck)
{
    char err[256];
    Config *c = malloc(sizeof *c);
    const int n = c && deck_config(c, deck, 0, "dark", err, sizeof err) == 0 ? c->deck_count : 0;
    CHECK(n > 1, "the lecture deck: %s", err);
    free(c);
    return n;
}

/* The layout's JSON dump of a session in a picture, as --dump-state writes it. */
static char *dump_of(const Session *ses, Draw *d, int live)
{
    char *buf = NULL, layout[2048];
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    Layout l;
    draw_layout(d, ses, live, &l);
    layout_json(&l, layout, sizeof layout);
    const SessionDumpExtra extra = { .layout = layout };
    session_dump_json(ses, &extra, f);
    fclose(f);
    return buf;
}

static int box_shown(const CanvasBox *b)
{
    return b->w > 0 && b->h > 0;
}

/* One scene at one size and theme: the live frame (a message showing, recording) against
 * the slide picture of the same session. */
static void check_scene(const char *deck, int at, int w, int h, const char *theme)
{
    char err[256], what[160];
    snprintf(what, sizeof what, "%s scene %d at %dx%d, %s", deck, at + 1, w, h, theme);
    Config *c = malloc(sizeof *c);
    Session *ses = calloc(1, sizeof *ses);
    Draw *live = NULL, *slide = NULL;
    if (!c || !ses || deck_config(c, deck, at, theme, err, sizeof err) < 0) {
        CHECK(0, "%s: %s", what, err);
        goto done;
    }
    live = app_prepare(ses, c, w, h, FONT, 1, err, sizeof err);
    slide = draw_new(w, h, FONT, err, sizeof err);
    if (!live || !slide) {
        CHECK(0, "%s: %s", what, err);
        goto done;
    }
    const Action note = { .kind = ACTION_NOTE, .text = "screenshot saved to optiscope-20261207-101500.png" };
    session_apply(ses, &note);
    const DrawOptions o = { .live = 1, .message_alpha = 1, .recording = 1, .recorded = 12 };
    CHECK(draw_frame(live, ses, &o, err, sizeof err) == 0, "%s: %s", what, err);
    const Layout *lv = draw_last_layout(live);
    Layout sl;
    draw_layout(slide, ses, 0, &sl);
    for (int i = 0; i < layout_box_count; i++) {
        const CanvasBox *a = layout_box(&sl, i), *b = layout_box(lv, i);
        CHECK(!box_shown(a) || box_shown(b), "%s: the slide has a %s box, the window has none", what,
              layout_box_names[i].name);
    }
    /* The panels keep the slide's place: only the map and its axes make room. */
    const CanvasBox *panels[] = { &sl.legend, &sl.plot_loss, &sl.plot_lr, &sl.colorbar, &sl.title, &sl.subtitle,
                                  &sl.plot_data };
    const CanvasBox *panels_live[] = { &lv->legend, &lv->plot_loss, &lv->plot_lr, &lv->colorbar, &lv->title,
                                       &lv->subtitle, &lv->plot_data };
    for (size_t i = 0; i < sizeof panels / sizeof panels[0]; i++)
        CHECK(memcmp(panels[i], panels_live[i], sizeof *panels[i]) == 0,
              "%s: a panel moved for the live rows: (%d,%d %dx%d) live, (%d,%d %dx%d) in the slide", what,
              panels_live[i]->x, panels_live[i]->y, panels_live[i]->w, panels_live[i]->h, panels[i]->x,
              panels[i]->y, panels[i]->w, panels[i]->h);
    CHECK(func_data_loss(&ses->sim.func) == DATA_NONE ||
              (box_shown(&sl.plot_data) && box_shown(&lv->plot_data) && box_shown(&sl.plot_loss)),
          "%s: a loss over data without its data panel and loss plot", what);
    CHECK((double)lv->map.w * lv->map.h >= 0.8 * sl.map.w * sl.map.h, "%s: the live map keeps %dx%d of the slide's %dx%d",
          what, lv->map.w, lv->map.h, sl.map.w, sl.map.h);
    CHECK(box_shown(&lv->status) && box_shown(&lv->message) && box_shown(&lv->rec),
          "%s: the status line, the message and the REC mark are not all shown", what);
    char *json = dump_of(ses, live, 1);
    if (json) {
        /* The REC box is part of the frame's layout only; the dump's layout is the window's. */
        layout_check_dump(json, w, h, FONT, ses->sim.nruns, what);
        free(json);
    }
done:
    draw_free(live);
    draw_free(slide);
    session_free(ses);
    free(c);
}

/* Shift+R's frames are the picture S saves: a recording into a folder of PNG frames, next
 * to the screenshot of the same step. */
static void check_recording_is_slide(void)
{
    char err[256], dir[] = "/tmp/optiscope-live-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "a folder for the frames");
    Config *c = malloc(sizeof *c);
    Session *ses = calloc(1, sizeof *ses);
    Draw *d = NULL;
    if (!c || !ses || deck_config(c, decks[0], 2, "dark", err, sizeof err) < 0 ||
        !(d = app_prepare(ses, c, 1280, 720, FONT, 1, err, sizeof err))) {
        CHECK(0, "the recording's session: %s", err);
        goto done;
    }
    char frames[64], shot[64], frame[96];
    snprintf(frames, sizeof frames, "%s/rec/", dir);
    snprintf(shot, sizeof shot, "%s/s.png", dir);
    Recording r;
    ses->speed = 1000; /* a frame every 30 steps at 30 frames a second */
    CHECK(record_start(&r, frames, 1280, 720, FONT, 30, err, sizeof err) == 0, "record_start: %s", err);
    /* The first frame: the trails drawn whole, as a screenshot draws them. */
    while (r.enc && r.frames == 0) {
        session_step(ses);
        CHECK(record_step(&r, ses, err, sizeof err) == 0, "record_step: %s", err);
    }
    const long last = r.frames;
    CHECK(app_screenshot(ses, 1280, 720, FONT, shot, err, sizeof err) == 0, "the screenshot: %s", err);
    char saved[256];
    CHECK(record_stop(&r, saved, sizeof saved, err, sizeof err) == 0, "record_stop: %s", err);
    snprintf(frame, sizeof frame, "%sframe-%04ld.png", frames, last);
    int aw, ah, bw, bh;
    uint32_t *a = NULL, *b = NULL;
    if (pngio_read(frame, &aw, &ah, &a) < 0 || pngio_read(shot, &bw, &bh, &b) < 0) {
        CHECK(0, "reading %s or %s", frame, shot);
        free(a);
        goto done;
    }
    long differ = 0;
    for (size_t i = 0; aw == bw && ah == bh && i < (size_t)aw * ah; i++)
        differ += a[i] != b[i];
    CHECK(aw == bw && ah == bh && differ == 0, "the last recorded frame is not S's picture: %ld pixels differ",
          differ);
    free(a);
    free(b);
done:
    draw_free(d);
    session_free(ses);
    free(c);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "removing %s", dir);
}

void test_live(void)
{
    static const int sizes[][2] = { { 1280, 720 }, { 1024, 768 } };
    static const char *const themes[] = { "dark", "light" };
    for (size_t k = 0; k < sizeof decks / sizeof decks[0]; k++) {
        const int n = deck_count(decks[k]);
        for (int at = 0; at < n; at++)
            for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
                for (size_t t = 0; t < sizeof themes / sizeof themes[0]; t++)
                    check_scene(decks[k], at, sizes[s][0], sizes[s][1], themes[t]);
    }
    check_recording_is_slide();
    data_store_free(&data);
}
