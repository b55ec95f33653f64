/* The lecturer's screen and the class's picture: the scene's notes never on the projected
 * picture unless asked for (Shift+H), the presenter's words for every run, and the big
 * plot that swaps the map and the loss plot. The window itself is driven in test_window.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/session/session.h"
#include "check.h"
#include "layout_check.h"
#include "proc.h"

static const char *const scene =
    "function quadratic\n"
    "optimizer sgd:lr=0.05\n"
    "optimizer adam:lr=0.1\n"
    "title Two runs\n"
    "note Ask the class which one wins.\n"
    "note Then press Up twice.\n";

static Session *make(const char *text)
{
    char err[512];
    Config c;
    config_defaults(&c);
    Session *ses = calloc(1, sizeof *ses);
    if (config_scene(&c, text, "test.scene", err, sizeof err) < 0 || config_finish(&c, err, sizeof err) < 0 ||
        session_init(ses, &c, 0, 0, 800, 600, err, sizeof err) < 0) {
        CHECK(0, "the test scene does not load: %s", err);
        session_free(ses);
        return NULL;
    }
    return ses;
}

static void act(Session *ses, ActionKind kind, int arg)
{
    const Action a = { .kind = kind, .arg = arg };
    session_apply(ses, &a);
}

/* H is the help and nothing else; Shift+H shows the notes until Esc; with the presenter's
 * window open they stay off the projected picture. */
static void check_notes(void)
{
    Session *ses = make(scene);
    if (!ses)
        return;
    act(ses, ACTION_HELP, 0);
    CHECK(ses->show_help && !strstr(ses->message, "Ask the class"), "H put the notes on the projected picture: '%s'",
          ses->message);
    act(ses, ACTION_QUIT, 0);
    act(ses, ACTION_NOTES, 0);
    CHECK(ses->show_notes, "Shift+H did not show the notes");
    act(ses, ACTION_QUIT, 0);
    CHECK(!ses->show_notes, "Esc did not close the notes");
    act(ses, ACTION_PRESENTER_SHOWN, 1);
    act(ses, ACTION_NOTES, 0);
    CHECK(!ses->show_notes && strstr(ses->message, "presenter"),
          "with the presenter's window open Shift+H showed the notes here: '%s'", ses->message);
    session_free(ses);
    ses = make("function quadratic\noptimizer sgd:lr=0.05\n");
    if (!ses)
        return;
    act(ses, ACTION_NOTES, 0);
    CHECK(!ses->show_notes && strstr(ses->message, "no notes"), "a scene without notes: '%s'", ses->message);
    session_free(ses);
}

static int find_line(const PresenterText *t, PresenterStyle style, int run, const char *part)
{
    for (int i = 0; i < t->n; i++)
        if (t->line[i].style == style && t->line[i].run == run && strstr(t->line[i].text, part))
            return i;
    return -1;
}

/* Every run has its line and its curvature, not only the selected one; the last key says
 * what it did. */
static void check_words(void)
{
    Session *ses = make(scene);
    PresenterText *t = malloc(sizeof *t);
    if (!ses || !t) {
        session_free(ses);
        free(t);
        return;
    }
    for (int i = 0; i < 20; i++)
        session_step(ses);
    act(ses, ACTION_LR_UP, 0);
    session_presenter_text(ses, 0, t);
    CHECK(find_line(t, PRESENTER_TITLE, -1, "Two runs") == 0, "the presenter's first line is not the title");
    const int n1 = find_line(t, PRESENTER_NOTE, -1, "Ask the class which one wins.");
    const int n2 = find_line(t, PRESENTER_NOTE, -1, "Then press Up twice.");
    CHECK(n1 > 0 && n2 == n1 + 1, "the notes are not two lines in order (%d, %d)", n1, n2);
    const int r0 = find_line(t, PRESENTER_RUN, 0, "sgd:lr=0.0625"), r1 = find_line(t, PRESENTER_RUN, 1, "adam:lr=0.1");
    CHECK(r0 > n2 && r1 > r0, "a run's line is missing or out of order (%d, %d)", r0, r1);
    CHECK(r0 >= 0 && strstr(t->line[r0].text, "lr now 0.0625") && strstr(t->line[r0].text, "step 20"),
          "run 1's line: '%s'", r0 >= 0 ? t->line[r0].text : "");
    CHECK(find_line(t, PRESENTER_DIM, 0, "\xce\xbbmax 10") == r0 + 1 &&
              find_line(t, PRESENTER_DIM, 1, "\xce\xbbmax 10") == r1 + 1,
          "every run's curvature is not under its line");
    CHECK(find_line(t, PRESENTER_DIM, -1, "last key: lr up: ") > r1, "the last key is not said");
    CHECK(find_line(t, PRESENTER_HEADING, -1, "since the start") > r1, "no clock");
    /* An unstable run says so. */
    for (int i = 0; i < 8; i++)
        act(ses, ACTION_LR_UP, 0);
    session_presenter_text(ses, 0, t);
    CHECK(find_line(t, PRESENTER_WARN, 0, "UNSTABLE") >= 0, "lr 0.37 on curvature 10 is not flagged unstable");
    free(t);
    session_free(ses);
}

/* From the program: the deck's next scene by its title, the notes in the presenter's lines
 * of the dump and not in the picture's layout. */
static void check_dump(void)
{
    const char *args[] = { "--headless", "--scene", "assets/scenes/lr_lecture.deck", "--steps", "5", "--dump-state", "-", NULL };
    ProcResult r;
    proc_run(args, 30, &r);
    CHECK(r.status == 0 && strstr(r.out, "\"presenter\": {\"open\": false, \"lines\": [") &&
              strstr(r.out, "scene 1/15 \xc2\xb7 next: Fixed lr, about right"),
          "the dump's presenter does not name the next scene: %d %.300s", r.status, r.err);
    CHECK(strstr(r.out, "\"style\": \"note\", \"run\": -1, \"text\": \"The steep direction needs") &&
              !strstr(r.out, "\"notes\": ["),
          "the notes are not in the presenter's lines, or have a box in the picture");
    proc_free(&r);
}

static int box(const char *json, const char *name, int b[4])
{
    char key[48];
    snprintf(key, sizeof key, "\"%s\": [", name);
    const char *at = strstr(json, key);
    return at && sscanf(at + strlen(key), "%d, %d, %d, %d", &b[0], &b[1], &b[2], &b[3]) == 4;
}

/* Z's big plot: the loss plot takes the large box, the map sits in the panels; at
 * every size the boxes hold together. */
static void check_big_plot(void)
{
    static const int sizes[][2] = { { 1280, 720 }, { 1920, 1080 }, { 1024, 768 } };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char size[32], what[96];
        snprintf(size, sizeof size, "%dx%d", sizes[i][0], sizes[i][1]);
        snprintf(what, sizeof what, "big plot at %s, font 1.5", size);
        const char *args[] = { "--headless", "--size", size, "--font-scale", "1.5", "--steps", "50", "--panels",
                               "contours,colorbar,axes,bigplot", "--dump-state", "-", NULL };
        ProcResult r;
        proc_run(args, 30, &r);
        int map[4], loss[4], lr[4];
        const int ok = r.status == 0 && box(r.out, "map", map) && box(r.out, "plot_loss", loss) && box(r.out, "plot_lr", lr);
        CHECK(ok, "%s: status %d, no map or plots: %.300s", what, r.status, r.err);
        if (ok) {
            CHECK(loss[2] * loss[3] > 2 * map[2] * map[3] && lr[2] * lr[3] > map[2] * map[3],
                  "%s: the plots (%dx%d, %dx%d) are not larger than the map (%dx%d)", what, loss[2], loss[3], lr[2],
                  lr[3], map[2], map[3]);
            CHECK(map[0] >= loss[0] + loss[2] && !strstr(r.out, "\"xticks\": ["),
                  "%s: the map is not beside the plots, or kept its ticks", what);
            layout_check_dump(r.out, sizes[i][0], sizes[i][1], 1.5, 4, what);
        }
        proc_free(&r);
    }
}

/* In a band under the map (a tall picture) the plots sit two to a row beside the data
 * panel and the others: the small map takes only the loss plot's box and meets none. */
static void check_big_plot_band(void)
{
    const char *args[] = { "--headless", "--function", "linreg:data=line", "--panels",
                           "contours,colorbar,axes,data,plots,sharpness,gradnorm,bigplot", "--size", "700x1000",
                           "--steps", "20", "--dump-state", "-", NULL };
    ProcResult r;
    proc_run(args, 30, &r);
    int map[4], loss[4];
    CHECK(r.status == 0 && box(r.out, "map", map) && box(r.out, "plot_loss", loss) && loss[2] * loss[3] > map[2] * map[3],
          "big plot in a band: status %d, no swap: %.300s", r.status, r.err);
    if (r.status == 0)
        layout_check_dump(r.out, 700, 1000, 1, 4, "big plot in a band, 700x1000");
    proc_free(&r);
}

void test_presenter(void)
{
    check_notes();
    check_words();
    check_dump();
    check_big_plot();
    check_big_plot_band();
}
