/* The prepared demo: reloading brings back the scene as its file has it whatever was
 * tweaked, and a saved scene loads back to the same setup. */
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/func.h"
#include "../src/core/optim.h"
#include "../src/core/scene.h"
#include "../src/core/sched.h"
#include "../src/session/session.h"
#include "check.h"
#include "layout_check.h"
#include "proc.h"

static const char *const ravine = "title Momentum in a narrow ravine\n"
                                  "caption Momentum damps the zig-zag across the ravine\n"
                                  "note Ask what momentum 0.99 would do\n"
                                  "function quadratic:a=1,b=25,angle=20\n"
                                  "start -4.2,2\n"
                                  "optimizer sgd:lr=0.035,label=sgd\n"
                                  "optimizer sgd:lr=0.035,momentum=0.9,label=momentum\n"
                                  "schedule exponential:gamma=0.999\n"
                                  "noise 0.2\n"
                                  "panels contours,plots,colorbar,axes\n";

/* The shell's file reading, enough for deck files (no folders). */
static int deck_read(const char *path, char **text, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read %s", path);
        return -1;
    }
    *text = calloc(1, 4096);
    fread(*text, 1, 4095, f);
    fclose(f);
    return 0;
}

static int load_config(Config *c, const char *text)
{
    char err[512];
    config_defaults(c);
    if (config_scene(c, text, "test.scene", err, sizeof err) < 0 || config_finish(c, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static Session *make(const Config *c)
{
    char err[256];
    Session *ses = calloc(1, sizeof *ses);
    session_init(ses, c, 0, 0, 800, 600, err, sizeof err);
    return ses;
}

static void act(Session *ses, ActionKind kind)
{
    const Action a = { .kind = kind };
    session_apply(ses, &a);
}

/* The dump without the lines that say how we got there (message, paused, selected, the
 * presenter's last key and clock, the edits Ctrl+Z can undo) or that depend on the map's fit (view). */
static char *dump(const Session *ses)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    session_dump_json(ses, NULL, f);
    fclose(f);
    char *out = text;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strstr(line, "\"message\"") || strstr(line, "\"paused\"") || strstr(line, "\"view\"") ||
            strstr(line, "\"selected\"") || strstr(line, "\"presenter\"") || strstr(line, "\"undo\""))
            continue;
        const size_t n = strlen(line);
        memmove(out, line, n);
        out += n;
        *out++ = '\n';
    }
    *out = '\0';
    return text;
}

static void check_reload(void)
{
    Config c;
    CHECK(load_config(&c, ravine) == 0, "the scene loads");
    Session *a = make(&c), *b = make(&c);
    act(a, ACTION_LR_UP);
    act(a, ACTION_OPTIMIZER_NEXT);
    for (int i = 0; i < 20; i++)
        session_step(a);
    act(a, ACTION_FUNCTION_NEXT);
    const Action load = { .kind = ACTION_LOAD, .config = &c, .text = "test.scene" };
    const Effects fx = session_apply(a, &load);
    char *da = dump(a), *db = dump(b);
    CHECK(strcmp(da, db) == 0, "reload after Up, O and F is the scene again:\n%s\nvs\n%s", da, db);
    CHECK((fx.flags & EFFECT_LAYOUT) && strstr(a->message, "reloaded test.scene") && a->tick == 0,
          "reload lays out again and says so: '%s'", a->message);
    free(da);
    free(db);
    session_free(a);
    session_free(b);
}

static void check_save_load(void)
{
    Config c, saved;
    load_config(&c, ravine);
    Session *a = make(&c);
    act(a, ACTION_LR_UP);
    act(a, ACTION_SELECT_NEXT);
    act(a, ACTION_SCHEDULE_NEXT);
    act(a, ACTION_DECAY_UP);
    act(a, ACTION_TOGGLE_THEME);
    act(a, ACTION_TOGGLE_ARROWS);
    for (int i = 0; i < 40; i++)
        session_step(a);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    session_write_scene(a, f);
    fclose(f);
    CHECK(load_config(&saved, text) == 0, "the saved scene loads:\n%s", text);
    Session *b = make(&saved);
    act(a, ACTION_REWIND);
    char *da = dump(a), *db = dump(b);
    CHECK(strcmp(da, db) == 0, "saved and loaded:\n%s\nvs\n%s\nscene:\n%s", da, db, text);
    CHECK(b->theme == a->theme && !strcmp(b->title, a->title) && b->sim.noise == a->sim.noise,
          "theme, title, noise kept");
    CHECK(!strcmp(b->caption, a->caption) && !strcmp(b->note, a->note) && a->caption[0], "caption and note kept: '%s'",
          b->caption);
    CHECK(fabs(b->view.x0 - a->view.x0) + fabs(b->view.y1 - a->view.y1) < 1e-9 * (a->view.x1 - a->view.x0),
          "the view kept: %g %g vs %g %g", b->view.x0, b->view.y1, a->view.x0, a->view.y1);
    free(da);
    free(db);
    free(text);
    session_free(a);
    session_free(b);
}

/* Types `text` into a freshly opened input line (the prefill erased) and presses Enter. */
static void type_line(Session *ses, const char *text)
{
    const Action open = { .kind = ACTION_EDIT_OPEN, .arg = EDIT_FOR_VALUE };
    session_apply(ses, &open);
    const Action erase = { .kind = ACTION_EDIT_KEY, .arg = EDIT_BACKSPACE };
    while (ses->edit.text[0])
        session_apply(ses, &erase);
    const Action t = { .kind = ACTION_EDIT_TEXT, .text = text };
    session_apply(ses, &t);
    act(ses, ACTION_EDIT_APPLY);
}

static void check_typed(void)
{
    Config c;
    load_config(&c, "optimizer sgd:lr=0.01\noptimizer adam:lr=0.05\nschedule step:step_size=10\n");
    Session *a = make(&c);
    const Action open = { .kind = ACTION_EDIT_OPEN, .arg = EDIT_FOR_VALUE };
    session_apply(a, &open);
    CHECK(a->edit.open && a->edit.purpose == EDIT_FOR_VALUE && strcmp(a->edit.text, "lr = 0.01") == 0,
          "the line opens prefilled: '%s'", a->edit.text);
    act(a, ACTION_EDIT_CANCEL);
    CHECK(!a->edit.open && a->sim.runs[0].opt.v[0] == 0.01, "Esc closes it, nothing set");
    type_line(a, "lr = 0.2");
    CHECK(!a->edit.open && a->sim.runs[0].opt.v[0] == 0.2 && a->sim.runs[0].lr == 0.2, "lr = 0.2 sets it exactly: %.17g",
          a->sim.runs[0].opt.v[0]);
    type_line(a, "momentum=0.9");
    CHECK(a->sim.runs[0].opt.v[1] == 0.9, "momentum = 0.9: %g '%s'", a->sim.runs[0].opt.v[1], a->message);
    type_line(a, "lr = -1");
    CHECK(a->sim.runs[0].opt.v[0] == 0.2 && strstr(a->message, "lr must be > 0"), "checked as the command line: '%s'",
          a->message);
    act(a, ACTION_SELECT_NEXT);
    type_line(a, "beta2 = 0.99");
    type_line(a, "gamma = 0.5");
    const SpecKind *adam = spec_kind(&optim_table, a->sim.runs[1].opt.kind);
    const SpecKind *step = spec_kind(&sched_table, a->sim.runs[1].sched.kind);
    CHECK(a->sim.runs[1].opt.v[spec_param_index(adam, "beta2")] == 0.99, "beta2 on adam: '%s'", a->message);
    CHECK(a->sim.runs[1].sched.v[spec_param_index(step, "gamma")] == 0.5, "gamma of its step schedule: '%s'", a->message);
    type_line(a, "nonsense = 3");
    CHECK(strstr(a->message, "NAME = VALUE") != NULL, "an unknown name says what the line takes: '%s'", a->message);
    session_free(a);
}

/* Caption lines take their own box under the title, overlapping nothing, live or not. */
static void check_caption_layout(void)
{
    static const int sizes[][2] = { { 1280, 720 }, { 640, 480 }, { 1080, 1920 } };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char size[32], what[96];
        snprintf(size, sizeof size, "%dx%d", sizes[i][0], sizes[i][1]);
        snprintf(what, sizeof what, "%s font 2, three caption lines", size);
        const char *args[] = { "--headless", "--size", size, "--font-scale", "2", "--steps", "20", "--dump-state", "-",
                               "--panels", "contours,plots,colorbar,axes,caption", "--title", "A lesson",
                               "--caption", "Momentum damps the zig-zag across the ravine", "--caption", "line two",
                               "--caption", "line three", NULL };
        ProcResult r;
        proc_run(args, 30, &r);
        CHECK(r.status == 0 && strstr(r.out, "\"subtitle\": ["), "%s: status %d, no subtitle box: %s", what, r.status,
              r.err);
        if (r.status == 0)
            layout_check_dump(r.out, sizes[i][0], sizes[i][1], 2, 4, what);
        proc_free(&r);
    }
    const char *four[] = { "--headless", "--caption", "1", "--caption", "2", "--caption", "3", "--caption", "4", NULL };
    ProcResult r;
    proc_run(four, 30, &r);
    CHECK(r.status == 2 && strstr(r.err, "too many caption lines"), "four caption lines: %d '%s'", r.status, r.err);
    proc_free(&r);
}

/* Three scenes in build/test-lesson/: a folder, a deck file listing two of them, and the
 * files themselves; the first of each deck is loaded, Page Down asks for the next. */
static void check_deck(void)
{
    static const char *const scenes[][2] = { { "1-quadratic.scene", "function quadratic\n" },
                                             { "2-rosenbrock.scene", "function rosenbrock\n" },
                                             { "3-beale.scene", "function beale\n" },
                                             { "lesson.deck", "# optiscope deck\n# the last first\ndeck/3-beale.scene\ndeck/1-quadratic.scene\n" } };
    mkdir("build/test-lesson", 0755);
    mkdir("build/test-lesson/deck", 0755);
    for (size_t i = 0; i < 4; i++) {
        char path[128];
        snprintf(path, sizeof path, "build/test-lesson/%s/%s", i < 3 ? "deck" : ".", scenes[i][0]);
        FILE *f = fopen(path, "w");
        if (f) {
            fputs(scenes[i][1], f);
            fclose(f);
        }
    }
    static const struct {
        const char *scene, *also, *function;
    } cases[] = { { "build/test-lesson/deck", NULL, "quadratic" },
                  { "build/test-lesson/deck/2-rosenbrock.scene", "build/test-lesson/deck/3-beale.scene", "rosenbrock" } };
    for (size_t i = 0; i < 2; i++) {
        const char *args[] = { "--headless", "--steps", "1", "--dump-state", "-", "--scene", cases[i].scene, cases[i].also, NULL };
        ProcResult r;
        proc_run(args, 30, &r);
        char want[64];
        snprintf(want, sizeof want, "\"function\": \"%s\"", cases[i].function);
        CHECK(r.status == 0 && strstr(r.out, want), "--scene %s: status %d, %s %s", cases[i].scene, r.status, r.err, r.out);
        proc_free(&r);
    }
    Config c;
    config_defaults(&c);
    char err[256];
    char *argv[] = { "optiscope", "--scene", "build/test-lesson/lesson.deck", NULL };
    c.deck_at = 1;
    CHECK(config_parse_args(&c, 3, argv, deck_read, err, sizeof err) == 0 && c.deck_count == 2 &&
              !strcmp(c.deck[1], "build/test-lesson/deck/1-quadratic.scene") && c.func.kind == spec_find(&func_table, "quadratic"),
          "a deck file lists scenes relative to its folder: %d '%s' %s", c.deck_count, c.deck[1], err);
    config_finish(&c, err, sizeof err);
    Session *a = make(&c);
    Effects fx = session_apply(a, &(Action){ .kind = ACTION_SCENE_NEXT });
    CHECK(fx.flags == 0 && strstr(a->message, "last scene of 2"), "Page Down on the last scene: '%s'", a->message);
    fx = session_apply(a, &(Action){ .kind = ACTION_SCENE_PREV });
    CHECK(fx.flags == EFFECT_RELOAD_SCENE && fx.scene == 0, "Page Up asks for scene 0: %u %d", fx.flags, fx.scene);
    session_free(a);
}

/* A lecture deck: every scene it lists loads and has a caption; `scenes` of them. */
static void check_lecture(const char *deck, int scenes)
{
    char *text = NULL, err[256];
    CHECK(deck_read(deck, &text, err, sizeof err) == 0, "%s", err);
    int n = 0;
    for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        char path[256];
        snprintf(path, sizeof path, "assets/scenes/%s", line);
        const char *args[] = { "--headless", "--scene", path, "--steps", "1", NULL };
        ProcResult r;
        proc_run(args, 30, &r);
        CHECK(r.status == 0, "%s: status %d, %s", path, r.status, r.err);
        proc_free(&r);
        Config c;
        config_defaults(&c);
        char *argv[] = { "optiscope", "--scene", path, NULL };
        CHECK(config_parse_args(&c, 3, argv, deck_read, err, sizeof err) == 0 && c.caption[0], "%s has no caption", path);
        n++;
    }
    CHECK(n == scenes, "%s has %d scenes, want %d", deck, n, scenes);
    free(text);
}

void test_lesson(void)
{
    check_lecture("assets/scenes/lr_lecture.deck", 15);
    check_lecture("assets/scenes/regression_lecture.deck", 6);
    check_deck();
    check_caption_layout();
    check_typed();
    check_reload();
    check_save_load();
}
