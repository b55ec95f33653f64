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

/* A file the command line names, and whether optiscope writes it. */
typedef struct {
    const char *option, *path;
    int output;
} Named;

/* The files read: the preferences file, every argument of --scene (a scene, a deck file, a
 * folder) and every scene of the deck. */
static int inputs(const Config *c, const char *prefs, Named *f)
{
    int n = 0;
    if (prefs[0])
        f[n++] = (Named){ "the preferences file", prefs, 0 };
    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--scene") != 0 && strncmp(c->argv[i], "--scene=", 8) != 0)
            continue;
        if (c->argv[i][7] == '=')
            f[n++] = (Named){ "--scene", c->argv[i] + 8, 0 };
        for (; i + 1 < c->argc && strncmp(c->argv[i + 1], "--", 2) != 0; i++)
            f[n++] = (Named){ "--scene", c->argv[i + 1], 0 };
    }
    for (int i = 0; i < c->deck_count; i++)
        f[n++] = (Named){ "a scene of the deck", c->deck[i], 0 };
    return n;
}

/* No output may overwrite an input or another output: a dump over the scene it came
 * from or over the deck, a trace over the recording. */
static int check_distinct(const Config *c, char *err, size_t errlen)
{
    char prefs[1024];
    prefs_path(prefs, sizeof prefs);
    Named *f = malloc(((size_t)c->argc + CONFIG_DECK_MAX + 8) * sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int n = inputs(c, prefs, f);
    const Named outputs[] = { { "--trace", c->trace, 1 }, { "--screenshot", c->screenshot, 1 },
                              { "--dump-state", c->dump_state, 1 }, { "--record", c->record, 1 } };
    for (size_t i = 0; i < sizeof outputs / sizeof outputs[0]; i++)
        if (outputs[i].path)
            f[n++] = outputs[i];
    int rc = 0;
    for (int i = 1; i < n && rc == 0; i++)
        for (int j = 0; j < i && rc == 0; j++)
            if ((f[i].output || f[j].output) && output_same_file(f[i].path, f[j].path)) {
                snprintf(err, errlen, "%s and %s name the same file ('%.200s'): one would overwrite the other",
                         f[j].option, f[i].option, f[i].path);
                rc = -1;
            }
    free(f);
    return rc;
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
    DataStore data = { .read = shipped_read_data }; /* every data set read, until the end */
    /* Over a file size limit a write then fails with EFBIG, reported like a full disk,
     * rather than the signal killing the program without a word. */
    signal(SIGXFSZ, SIG_IGN);
    config_defaults(&c);
    c.data = &data;
    if (prefs_load(&c, argc, argv, err, sizeof err) < 0 ||
        config_parse_args(&c, argc, argv, shipped_read_scene, err, sizeof err) < 0 ||
        config_finish(&c, err, sizeof err) < 0 || check_distinct(&c, err, sizeof err) < 0) {
        fprintf(stderr, "optiscope: %s\n", err);
        data_store_free(&data);
        return 2;
    }
    int rc = -1;
    for (size_t i = 0; i < sizeof printers / sizeof printers[0] && rc < 0; i++)
        if (*(const int *)((const char *)&c + printers[i].on)) {
            printers[i].print(stdout);
            rc = 0;
        }
    if (rc < 0) {
        const AppStatus status = c.headless                                    ? headless_run(&c, err, sizeof err)
                                 : prefs_check_shot_dir(&c, err, sizeof err) < 0 ? APP_BAD_INPUT
                                                                               : window_run(&c, err, sizeof err);
        rc = status == APP_OK ? 0 : status == APP_BAD_INPUT ? 2 : 1;
    }
    if (rc == 0 && check_stdout(err, sizeof err) < 0)
        rc = 1;
    if (rc != 0)
        fprintf(stderr, "optiscope: %s\n", err);
    data_store_free(&data);
    return rc;
}
