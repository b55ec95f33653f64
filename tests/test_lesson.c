/* The prepared demo: reloading brings back the scene as its file has it whatever was
 * tweaked, and a saved scene loads back to the same setup. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/scene.h"
#include "../src/session/session.h"
#include "check.h"

static const char *const ravine = "title Momentum in a narrow ravine\n"
                                  "function quadratic:a=1,b=25,angle=20\n"
                                  "start -4.2,2\n"
                                  "optimizer sgd:lr=0.035,label=sgd\n"
                                  "optimizer sgd:lr=0.035,momentum=0.9,label=momentum\n"
                                  "schedule exponential:gamma=0.999\n"
                                  "noise 0.2\n"
                                  "panels contours,plots,colorbar,axes\n";

static int load_config(Config *c, const char *text)
{
    char err[512];
    config_defaults(c);
    if (scene_parse(c, text, "test.scene", err, sizeof err) < 0 || config_finish(c, err, sizeof err) < 0) {
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

/* The dump without the lines that say how we got there (message, paused, selected) or that depend
 * on the map's fit (view). */
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
            strstr(line, "\"selected\""))
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
    free(a);
    free(b);
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
    CHECK(fabs(b->view.x0 - a->view.x0) + fabs(b->view.y1 - a->view.y1) < 1e-9 * (a->view.x1 - a->view.x0),
          "the view kept: %g %g vs %g %g", b->view.x0, b->view.y1, a->view.x0, a->view.y1);
    free(da);
    free(db);
    free(text);
    free(a);
    free(b);
}

void test_lesson(void)
{
    check_reload();
    check_save_load();
}
