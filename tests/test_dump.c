/* The state dump is valid JSON whatever the session holds; the validator that says so is
 * checked first. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/render/draw.h"
#include "../src/session/session.h"
#include "check.h"
#include "json.h"
#include "proc.h"

static void check_validator(void)
{
    const char *good[] = { "{}", "[]", " {\"a\": [1, -2.5e-3, true, false, null, \"\\u00e9\\n\"]} ", "0",
                           "\"\xe5\xad\xa6\"" };
    const char *bad[] = { "", "{", "{\"a\" 1}", "[1,]", "01", "1.", "nan", "\"\xff\"", "\"a\nb\"", "\"\\x\"",
                          "{} {}", "[1 2]", "\"\xe2\x86\"", "\"\xed\xa0\x80\"", "-", "{\"a\":}" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(json_validate(good[i], strlen(good[i]), NULL) == 0, "valid JSON refused: '%s'", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(json_validate(bad[i], strlen(bad[i]), NULL) < 0, "invalid JSON accepted: '%s'", bad[i]);
}

/* Whatever bytes a label or message holds, the dump escapes them. */
static void check_hostile_text(void)
{
    Config c;
    char err[256];
    config_defaults(&c);
    config_finish(&c, err, sizeof err);
    Session *ses = calloc(1, sizeof *ses);
    if (!ses || session_init(ses, &c, 0, 0, 800, 600, err, sizeof err) < 0) {
        CHECK(0, "session: %s", err);
        session_free(ses);
        return;
    }
    snprintf(ses->sim.runs[0].opt.label, sizeof ses->sim.runs[0].opt.label, "a\"b\\c\xff\x01");
    snprintf(ses->sim.runs[1].opt.label, sizeof ses->sim.runs[1].opt.label, "cut\xe2\x86");
    session_apply(ses, &(Action){ .kind = ACTION_NOTE, .text = "path '\xc0\xaf\x7f'" });
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    session_dump_json(ses, NULL, f);
    fclose(f);
    size_t where = 0;
    CHECK(json_validate(text, len, &where) == 0, "the dump is not valid JSON at byte %zu: '%.80s'", where,
          text + (where < len ? where : len));
    free(text);
    session_free(ses);
}

/* Every run's visible_fraction in a dump's text into out; returns how many. */
static int visible_fractions(const char *text, double out[SIM_MAX_RUNS])
{
    int n = 0;
    for (const char *p = text; n < SIM_MAX_RUNS && (p = strstr(p, "\"visible_fraction\": ")); n++) {
        p += strlen("\"visible_fraction\": ");
        out[n] = strtod(p, NULL);
    }
    return n;
}

/* Every shipped scene (the lecture deck's among them), at the end of its steps, at 1280x720
 * with text 1.5 times larger: every run shows at least 15% of its trail, the selected one
 * (the first) at least 95%. */
static void check_visible_shipped(void)
{
    DIR *dir = opendir("assets/scenes");
    CHECK(dir != NULL, "assets/scenes cannot be read");
    if (!dir)
        return;
    int scenes = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        const size_t len = strlen(e->d_name);
        if (len < 7 || strcmp(e->d_name + len - 6, ".scene"))
            continue;
        char line[512];
        snprintf(line, sizeof line, "--headless --scene assets/scenes/%s --size 1280x720 --font-scale 1.5 --dump-state -",
                 e->d_name);
        ProcResult r;
        proc_run_line(line, 60, &r);
        double v[SIM_MAX_RUNS];
        const int n = r.status == 0 ? visible_fractions(r.out, v) : 0;
        CHECK(n > 0, "%s: no visible_fraction in the dump (status %d: %s)", e->d_name, r.status, r.err);
        for (int i = 0; i < n; i++)
            CHECK(v[i] >= (i == 0 ? 0.95 : 0.15), "%s: run %d is only %.3f visible", e->d_name, i + 1, v[i]);
        proc_free(&r);
        scenes++;
    }
    closedir(dir);
    CHECK(scenes >= 13, "only %d shipped scenes found", scenes);
}

/* A scene file's text (the shipped ones are short). */
static int read_scene(const char *path, char **text, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read %s", path);
        return -1;
    }
    *text = calloc(1, 8192);
    const size_t n = *text ? fread(*text, 1, 8191, f) : 0;
    fclose(f);
    return n > 0 ? 0 : -1;
}

/* Selecting the second run (key 2) puts its trail on top of the first's, where the two
 * paths coincide: the first 60 steps of step decay. */
static void check_select_on_top(void)
{
    char err[256];
    Config c;
    config_defaults(&c);
    char *argv[] = { "optiscope", "--scene", "assets/scenes/04_step_decay.scene", NULL };
    Session *ses = calloc(1, sizeof *ses);
    Draw *d = draw_new(1280, 720, 1.5, err, sizeof err);
    if (!ses || !d || config_parse_args(&c, 3, argv, read_scene, err, sizeof err) < 0 ||
        session_init(ses, &c, 0, 0, 1280, 720, err, sizeof err) < 0) {
        CHECK(0, "step decay: %s", err);
        session_free(ses);
        draw_free(d);
        return;
    }
    Layout l;
    draw_layout(d, ses, 0, &l);
    const Action box = session_map_box(l.map.x, l.map.y, l.map.w, l.map.h);
    session_apply(ses, &box);
    for (int i = 0; i < 100; i++)
        session_step(ses);
    double before[SIM_MAX_RUNS], after[SIM_MAX_RUNS];
    CHECK(draw_visible_fractions(d, ses, before, err, sizeof err) == 0, "%s", err);
    session_apply(ses, &(Action){ .kind = ACTION_SELECT, .arg = 1 });
    CHECK(draw_visible_fractions(d, ses, after, err, sizeof err) == 0, "%s", err);
    CHECK(ses->selected == 1, "key 2 selects the second run: %d", ses->selected);
    CHECK(before[0] == 1 && before[1] < 0.9, "the first run selected is on top: %.3f %.3f", before[0], before[1]);
    CHECK(after[1] == 1 && after[0] < 0.9, "the second run selected is on top: %.3f %.3f", after[0], after[1]);
    draw_free(d);
    session_free(ses);
}

void test_dump(void)
{
    check_validator();
    check_hostile_text();
    check_select_on_top();
    check_visible_shipped();
}
