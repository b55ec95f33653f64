/* optiscope's entry: parse the command line, then run the window or a headless job.
 * Only this file prints errors and picks the exit code (2 for bad input). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/config.h"
#include "../session/keys.h"
#include "about.h"
#include "app.h"
#include "prefs.h"
#include "shipped.h"

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
    config_defaults(&c);
    if (prefs_load(&c, argc, argv, err, sizeof err) < 0 ||
        config_parse_args(&c, argc, argv, shipped_read_scene, err, sizeof err) < 0 ||
        config_finish(&c, err, sizeof err) < 0) {
        fprintf(stderr, "optiscope: %s\n", err);
        return 2;
    }
    for (size_t i = 0; i < sizeof printers / sizeof printers[0]; i++)
        if (*(const int *)((const char *)&c + printers[i].on)) {
            printers[i].print(stdout);
            return 0;
        }
    const AppStatus rc = c.headless ? headless_run(&c, err, sizeof err) : window_run(&c, err, sizeof err);
    if (rc == APP_OK)
        return 0;
    fprintf(stderr, "optiscope: %s\n", err);
    return rc == APP_BAD_INPUT ? 2 : 1;
}
