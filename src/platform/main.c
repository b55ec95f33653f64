/* optiscope's entry: parse the command line, then run the window or a headless job.
 * Only this file prints errors and picks the exit code (2 for bad input). */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/config.h"
#include "../session/keys.h"
#include "about.h"
#include "app.h"
#include "files.h"
#include "output.h"
#include "prefs.h"
#include "shipped.h"

/* No output may overwrite an input or another output: a dump over the scene it came
 * from, a trace over the screenshot. */
static int check_distinct(const Config *c, char *err, size_t errlen)
{
    const struct {
        const char *option, *path;
    } files[] = { { "--scene", c->scene }, { "--trace", c->trace }, { "--screenshot", c->screenshot },
                  { "--dump-state", c->dump_state } };
    const int n = (int)(sizeof files / sizeof files[0]);
    for (int i = 1; i < n; i++)
        for (int j = 0; j < i; j++)
            if (files[i].path && files[j].path && output_same_file(files[i].path, files[j].path)) {
                snprintf(err, errlen, "%s and %s name the same file ('%.200s'): one would overwrite the other",
                         files[j].option, files[i].option, files[i].path);
                return -1;
            }
    return 0;
}

/* What went to standard output (help, lists, benchmarks, a trace to "-") reached it. */
static int check_stdout(char *err, size_t errlen)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    snprintf(err, errlen, "cannot write standard output: %s", strerror(errno ? errno : EIO));
    return -1;
}
static void list_all(FILE *out)
{
    config_list(out);
    shipped_list(out);
}

/* The options that print something and stop, in the order they win. */
static const struct {
    size_t on; /* the switch in Config */
    void (*print)(FILE *out);
} printers[] = {
    { offsetof(Config, help), config_usage }, { offsetof(Config, list), list_all },
    { offsetof(Config, keys), keys_markdown }, { offsetof(Config, version), about_version },
    { offsetof(Config, man), about_man },
};

int main(int argc, char **argv)
{
    char err[512];
    Config c;
    /* Over a file size limit a write then fails with EFBIG, reported like a full disk,
     * rather than the signal killing the program without a word. */
    signal(SIGXFSZ, SIG_IGN);
    config_defaults(&c);
    if (prefs_load(&c, argc, argv, err, sizeof err) < 0 ||
        config_parse_args(&c, argc, argv, shipped_read_scene, err, sizeof err) < 0 ||
        config_finish(&c, err, sizeof err) < 0 || check_distinct(&c, err, sizeof err) < 0) {
        fprintf(stderr, "optiscope: %s\n", err);
        return 2;
    }
    int rc = -1;
    for (size_t i = 0; i < sizeof printers / sizeof printers[0] && rc < 0; i++)
        if (*(const int *)((const char *)&c + printers[i].on)) {
            printers[i].print(stdout);
            rc = 0;
        }
    if (rc < 0) {
        const AppStatus status = c.headless ? headless_run(&c, err, sizeof err) : window_run(&c, err, sizeof err);
        rc = status == APP_OK ? 0 : status == APP_BAD_INPUT ? 2 : 1;
    }
    if (rc == 0 && check_stdout(err, sizeof err) < 0)
        rc = 1;
    if (rc != 0)
        fprintf(stderr, "optiscope: %s\n", err);
    return rc;
}
