/* The preferences file ($XDG_CONFIG_HOME/optiscope/config, a private folder here: see
 * unit.c): its settings are defaults the command line overrides, a mistake is FILE:LINE
 * with exit 2, and --no-config ignores it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "proc.h"

static char path[1024];

static int write_prefs(const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* The "legend" field of the state dump of two headless steps with these arguments. */
static void check_legend(const char *prefs, const char *args, const char *legend)
{
    char line[256], want[64];
    ProcResult r;
    CHECK(write_prefs(prefs) == 0, "cannot write %s", path);
    snprintf(line, sizeof line, "--headless --steps 2 --dump-state - %s", args);
    snprintf(want, sizeof want, "\"legend\": \"%s\"", legend);
    proc_run_line(line, 20, &r);
    CHECK(r.status == 0 && strstr(r.out, want), "prefs '%s' with '%s': exit %d, %s; wanted %s", prefs, args,
          r.status, r.err, want);
    proc_free(&r);
}

static void check_mistake(const char *prefs, const char *args, const char *says)
{
    ProcResult r;
    char want[1200];
    CHECK(write_prefs(prefs) == 0, "cannot write %s", path);
    snprintf(want, sizeof want, "optiscope: %s:%s", path, says);
    proc_run_line(args, 20, &r);
    CHECK(r.status == 2 && strncmp(r.err, want, strlen(want)) == 0 && strchr(r.err, '\n') == r.err + r.err_len - 1,
          "prefs '%s': exit %d, '%s'; wanted '%s'", prefs, r.status, r.err, want);
    proc_free(&r);
}

/* Runs args with no display; exit 2 and one line holding each of the wanted texts. */
static void check_says(const char *args, const char *a, const char *b)
{
    char *display = getenv("DISPLAY") ? strdup(getenv("DISPLAY")) : NULL;
    unsetenv("DISPLAY");
    ProcResult r;
    proc_run_line(args, 20, &r);
    const char *nl = strchr(r.err, '\n');
    CHECK(r.status == 2 && nl && nl[1] == '\0' && strstr(r.err, a) && (!b || strstr(r.err, b)),
          "`%s`: exit %d, '%s'; wanted '%s' and '%s'", args, r.status, r.err, a, b ? b : "");
    proc_free(&r);
    if (display)
        setenv("DISPLAY", display, 1);
    free(display);
}

/* A preferences file that cannot be read is named as such, with the way around it; '~' in
 * screenshot-dir is the home folder; a screenshot folder that does not exist is found at
 * start, not when S is pressed in the middle of a lecture. */
static void check_named_and_folders(const char *dir)
{
    char want[1200];
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite("theme\0light\n", 1, 12, f);
        fclose(f);
    }
    snprintf(want, sizeof want, "the preferences file '%s' holds binary data", path);
    check_says("--headless --steps 2", want, "--no-config");
    unlink(path);
    CHECK(mkfifo(path, 0644) == 0, "mkfifo %s", path);
    snprintf(want, sizeof want, "cannot read the preferences file '%s': not a regular file", path);
    check_says("--headless --steps 2", want, "--no-config");
    unlink(path);
    check_says("--no-config --screenshot-dir /nonexistent-optiscope-shots", "the screenshot folder "
               "'/nonexistent-optiscope-shots' (screenshot-dir): No such file or directory", NULL);
    const char *home = getenv("HOME");
    CHECK(write_prefs("screenshot-dir ~/nonexistent-optiscope-shots\n") == 0, "cannot write %s", path);
    snprintf(want, sizeof want, "the screenshot folder '%s/nonexistent-optiscope-shots'", home ? home : "");
    check_says("--speed 5", want, NULL);
    CHECK(write_prefs("screenshot-dir ~\n") == 0, "cannot write %s", path);
    check_legend("screenshot-dir ~\nlegend compact\n", "", "compact");
    (void)dir;
    unlink(path);
}

void test_prefs(void)
{
    const char *home = getenv("XDG_CONFIG_HOME");
    CHECK(home && strstr(home, "optiscope-unit"), "the tests must run with a private XDG_CONFIG_HOME");
    if (!home)
        return;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/optiscope", home);
    snprintf(path, sizeof path, "%s/config", dir);
    mkdir(dir, 0755);

    check_legend("# mine\nlegend compact\ntheme light\nfont-scale 1.5\nsize 800x600\nscreenshot-dir /tmp\n", "",
                 "compact");
    check_legend("legend compact\n", "--legend hidden", "hidden");
    check_legend("legend compact\n", "--scene momentum_ravine", "compact");
    check_mistake("theme light\nfunction himmelblau\n", "--headless --steps 2", "2: unknown setting 'function'");
    check_mistake("\n\ntheme blue\n", "--headless --steps 2", "3: --theme must be dark or light");
    check_mistake("size 10x10\n", "--help", "1: --size must be WxH");
    check_mistake("screenshot-dir\n", "--headless --steps 2", "1: 'screenshot-dir' needs a value");
    check_legend("legend compact\ntheme blue\n", "--no-config", "full");
    check_named_and_folders(dir);

    unlink(path);
    rmdir(dir);
}
