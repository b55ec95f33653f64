/* optiscope's entry: parse the command line, then run the window or a headless job.
 * Only this file prints errors and picks the exit code (2 for bad input). */
#include <stdio.h>
#include <stdlib.h>

#include "../core/config.h"
#include "../session/keys.h"
#include "app.h"
#include "files.h"

int main(int argc, char **argv)
{
    char err[512];
    Config c;
    config_defaults(&c);
    if (config_parse_args(&c, argc, argv, files_read, err, sizeof err) < 0 ||
        config_finish(&c, err, sizeof err) < 0) {
        fprintf(stderr, "optiscope: %s\n", err);
        return 2;
    }
    if (c.help) {
        config_usage(stdout);
        return 0;
    }
    if (c.list) {
        config_list(stdout);
        return 0;
    }
    if (c.keys) {
        keys_markdown(stdout);
        return 0;
    }
    const AppStatus rc = c.headless ? headless_run(&c, err, sizeof err) : window_run(&c, err, sizeof err);
    if (rc == APP_OK)
        return 0;
    fprintf(stderr, "optiscope: %s\n", err);
    return rc == APP_BAD_INPUT ? 2 : 1;
}
