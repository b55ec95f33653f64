/* Runs every test module and prints the closing `N passed, N failed` line.
 * Usage: unit [PATH-TO-OPTISCOPE] [MODULE...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "proc.h"

int check_passed, check_failed;

void test_spec(void);
void test_func(void);
void test_optim(void);
void test_sched(void);
void test_sim(void);
void test_reference(void);
void test_cli(void);
void test_scene(void);
void test_session(void);
void test_shot(void);
void test_canvas(void);
void test_field(void);
void test_window(void);
void test_trail(void);
void test_golden(void);
void test_palette(void);
void test_layout(void);
void test_output(void);
void test_dump(void);
void test_view(void);
void test_record(void);
void test_curvature(void);
void test_basin(void);
void test_expr(void);
void test_prefs(void);
void test_about(void);
void test_shipped(void);
void test_timeline(void);
void test_lesson(void);
void test_motion(void);
void test_text(void);
void test_reuse(void);
void test_save(void);
void test_label(void);
void test_live(void);
void test_state(void);
void test_internals(void);
void test_help(void);
void test_plots(void);
void test_data(void);
void test_presenter(void);
void test_surface(void);

static const struct {
    const char *name;
    void (*run)(void);
} modules[] = {
    { "spec", test_spec }, { "func", test_func }, { "optim", test_optim }, { "sched", test_sched },
    { "sim", test_sim }, { "reference", test_reference }, { "cli", test_cli }, { "scene", test_scene },
    { "field", test_field }, { "trail", test_trail }, { "canvas", test_canvas }, { "session", test_session }, { "shot", test_shot },
    { "palette", test_palette }, { "layout", test_layout }, { "golden", test_golden }, { "window", test_window },
    { "output", test_output }, { "dump", test_dump }, { "view", test_view }, { "record", test_record }, { "curvature", test_curvature }, { "basin", test_basin }, { "expr", test_expr }, { "prefs", test_prefs }, { "about", test_about }, { "shipped", test_shipped }, { "timeline", test_timeline }, { "lesson", test_lesson }, { "motion", test_motion }, { "text", test_text }, { "reuse", test_reuse }, { "save", test_save }, { "label", test_label }, { "live", test_live }, { "help", test_help }, { "plots", test_plots }, { "state", test_state }, { "data", test_data }, { "internals", test_internals },
    { "presenter", test_presenter },
    { "surface", test_surface },
};

int main(int argc, char **argv)
{
    /* The program under test reads preferences from here, never the developer's own. */
    char config_home[] = "/tmp/optiscope-unit-XXXXXX";
    if (!mkdtemp(config_home) || setenv("XDG_CONFIG_HOME", config_home, 1) < 0) {
        perror("optiscope unit: a private XDG_CONFIG_HOME");
        return 1;
    }
    if (argc > 1)
        proc_binary = argv[1];
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++) {
        int wanted = argc <= 2;
        for (int a = 2; a < argc; a++)
            wanted |= strcmp(argv[a], modules[i].name) == 0;
        if (!wanted)
            continue;
        int before = check_failed;
        modules[i].run();
        fprintf(stderr, "%-10s %s\n", modules[i].name, check_failed == before ? "ok" : "FAILED");
    }
    rmdir(config_home);
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed != 0;
}
