/* Shipped scenes by name: --scene momentum_ravine finds the source tree's lesson from the
 * build folder's binary (the installed one is tried in tests/test_install.sh), and --list
 * names every lesson with its title. The lecture deck is a lesson like the others: found by
 * name (its scenes in its own folder, whatever the current one), named by --list with the
 * number of its scenes. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "proc.h"

static void check_by_name(const char *name)
{
    char line[256];
    ProcResult r;
    snprintf(line, sizeof line, "--headless --steps 3 --scene %s --dump-state -", name);
    proc_run_line(line, 20, &r);
    CHECK(r.status == 0 && strstr(r.out, "\"function_spec\": \"quadratic:a=0.5,b=100,angle=20\""),
          "--scene %s: exit %d, %s", name, r.status, r.err);
    proc_free(&r);
}

static void check_deck(const char *name)
{
    char line[256];
    ProcResult r;
    snprintf(line, sizeof line, "--headless --steps 3 --scene %s --dump-state -", name);
    proc_run_line(line, 20, &r);
    CHECK(r.status == 0 && strstr(r.out, "\"function_spec\": \"quadratic:a=0.4,b=10\""), "--scene %s: exit %d, %s",
          name, r.status, r.err);
    proc_free(&r);
}

void test_shipped(void)
{
    ProcResult r;
    check_by_name("momentum_ravine");
    check_by_name("momentum_ravine.scene");
    check_deck("lr_lecture");
    check_deck("lr_lecture.deck");
    proc_run_line("--headless --steps 3 --scene regression_lecture --dump-state -", 20, &r);
    CHECK(r.status == 0 && strstr(r.out, "\"function_spec\": \"linreg:data=line\"") && strstr(r.out, "\"plot_data\": ["),
          "--scene regression_lecture: exit %d, %s", r.status, r.err);
    proc_free(&r);
    proc_run_line("--headless --scene no_such_lesson", 10, &r);
    CHECK(r.status == 2 && strstr(r.err, "'no_such_lesson'") && strstr(r.err, "no shipped scene or deck has that name"),
          "unknown scene: exit %d, %s", r.status, r.err);
    proc_free(&r);
    proc_run_line("--list", 10, &r);
    const char *scenes = strstr(r.out, "Scenes and decks shipped with optiscope");
    CHECK(r.status == 0 && scenes && strstr(scenes, "momentum_ravine ") &&
              strstr(scenes, "Momentum in a narrow ravine\n") && strstr(scenes, "saddle_escape ") &&
              strstr(scenes, "\n  lr_lecture             a deck of 15 scenes\n") &&
              strstr(scenes, "\n  regression_lecture     a deck of 6 scenes\n"),
          "--list lacks the shipped scenes:\n%s", scenes ? scenes : r.out);
    proc_free(&r);
}
