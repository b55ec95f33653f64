/* What the program says about itself: --version names it and its libraries; --man is a
 * manual page holding every option --help lists (the rendered page, and the keys, are
 * checked in tests/test_install.sh through man itself). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "proc.h"
#include "../src/platform/version.h"

static void check_version(void)
{
    ProcResult r;
    char first[64];
    snprintf(first, sizeof first, "optiscope %s\n", OPTISCOPE_VERSION);
    proc_run_line("--version", 10, &r);
    CHECK(r.status == 0 && strncmp(r.out, first, strlen(first)) == 0 && strstr(r.out, "\nSDL 2.") &&
              strstr(r.out, "\nSDL_ttf 2.") && strstr(r.out, "\nlibpng 1."),
          "--version: exit %d:\n%s", r.status, r.out);
    proc_free(&r);
}

/* Every "  --name" line of --help appears in the page as \-\-name. */
static void check_man_options(void)
{
    ProcResult help, man;
    proc_run_line("--help", 10, &help);
    proc_run_line("--man", 10, &man);
    CHECK(man.status == 0 && strncmp(man.out, ".TH OPTISCOPE 1 ", 16) == 0, "--man: exit %d", man.status);
    int options = 0;
    for (const char *p = help.out; man.out && (p = strstr(p, "\n  --")); p += 5) {
        char name[64], want[80];
        if (sscanf(p + 5, "%63[a-z-]", name) != 1)
            continue;
        snprintf(want, sizeof want, "\\-\\-");
        for (const char *n = name; *n; n++)
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s", *n == '-' ? "\\-" : (char[2]){ *n, 0 });
        CHECK(strstr(man.out, want) != NULL, "the manual page lacks --%s", name);
        options++;
    }
    CHECK(options > 25, "--help listed only %d options", options);
    proc_free(&help);
    proc_free(&man);
}

void test_about(void)
{
    check_version();
    check_man_options();
}
