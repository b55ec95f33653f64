/* Scene files: the command line's options one per line, errors as FILE:LINE. */
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/scene.h"
#include "check.h"

static const char *good = "# a lesson\n"
                          "title Momentum in a ravine\n"
                          "function quadratic:a=1,b=25\n"
                          "view -5,5,-3,3\n"
                          "start -4,1.5\n"
                          "\n"
                          "optimizer sgd:lr=0.07,label=plain\n"
                          "optimizer sgd:lr=0.07,momentum=0.8\n"
                          "schedule exponential:gamma=0.999\n"
                          "noise 0.1\n"
                          "speed 40   \n"
                          "theme light\n"
                          "panels contours,plots\n";

static void check_good(void)
{
    Config c;
    char err[256];
    config_defaults(&c);
    CHECK(config_scene(&c, good, "good.scene", err, sizeof err) == 0, "%s", err);
    CHECK(strcmp(c.title, "Momentum in a ravine") == 0, "title '%s'", c.title);
    CHECK(c.nruns == 2 && c.has_view && c.start[0] == -4 && c.noise == 0.1 && c.speed == 40 &&
              c.theme == THEME_LIGHT && c.shown == (SHOW_CONTOURS | SHOW_PLOTS),
          "scene values");
    CHECK(c.sched[1].kind != 0 && c.sched[0].kind == 0, "schedule belongs to the second run");

    /* Options after the scene replace its runs rather than adding to them. */
    CHECK(config_apply(&c, "optimizer", "adam", 0, err, sizeof err) == 0 && c.nruns == 1, "override runs: %d",
          c.nruns);
}

static const struct {
    const char *text;
    const char *says;
} bad[] = {
    { "function rosenbrock\nfuntion beale\n", "lesson.scene:2: unknown scene key 'funtion'" },
    { "optimizer sgd:lr=-1\n", "lesson.scene:1: sgd: lr must be > 0" },
    { "\n\n\nview 1,0,0,1\n", "lesson.scene:4: --view needs X0 < X1" },
    { "schedule step\n", "lesson.scene:1: --schedule must follow the --optimizer" },
    { "trace out.csv\n", "lesson.scene:1: unknown scene key 'trace'" },
    { "noise\n", "lesson.scene:1: 'noise' needs a value" },
    { "speed 1e9\n", "lesson.scene:1: --speed must be a number from 0.5 to 5000" },
    { "\xff\xfe\x01junk\n", "lesson.scene:1: unknown scene key" },
};

static void check_bad(void)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Config c;
        char err[512];
        config_defaults(&c);
        int rc = config_scene(&c, bad[i].text, "lesson.scene", err, sizeof err);
        CHECK(rc < 0 && strstr(err, bad[i].says), "scene %zu: '%s', wanted '%s'", i, rc < 0 ? err : "accepted",
              bad[i].says);
    }
    char huge[3000];
    memset(huge, 'x', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    Config c;
    char err[512];
    config_defaults(&c);
    CHECK(config_scene(&c, huge, "long.scene", err, sizeof err) < 0 && strstr(err, "long.scene:1: line too long"), "%s",
          err);
}

/* Files as editors write them: a byte order mark, CR line ends, CRLF. */
static void check_line_ends(void)
{
    const char *texts[] = { "\xef\xbb\xbf" "function booth\noptimizer adam\n", "function booth\roptimizer adam\r",
                            "function booth\r\noptimizer adam\r\n", "function booth\r\roptimizer adam" };
    for (int i = 0; i < 4; i++) {
        Config c;
        char err[512] = "";
        config_defaults(&c);
        CHECK(config_scene(&c, texts[i], "ends.scene", err, sizeof err) == 0 && c.nruns == 1 &&
                  strcmp(c.opt[0].label, "") == 0,
              "scene %d: '%s'", i, err);
    }
    Config c;
    char err[512] = "";
    config_defaults(&c);
    CHECK(config_scene(&c, "function booth\rtheme blue\r", "cr.scene", err, sizeof err) < 0 &&
              strstr(err, "cr.scene:2: --theme"),
          "CR ends count as lines: '%s'", err);
    CHECK(config_scene(&c, "title Gradient\xe2\x86\n", "cut.scene", err, sizeof err) < 0 &&
              strstr(err, "cut.scene:1: --title is not valid UTF-8"),
          "a cut-off character in a title: '%s'", err);
    CHECK(config_scene(&c, "optimizer sgd:label=x\xe2\n", "cut.scene", err, sizeof err) < 0 &&
              strstr(err, "cut.scene:1: sgd: label is not valid UTF-8"),
          "a cut-off character in a label: '%s'", err);
}

void test_scene(void)
{
    check_line_ends();
    check_good();
    check_bad();
}
