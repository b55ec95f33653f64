/* Reading the preferences file (see prefs.h). */
#include "prefs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/scene.h"
#include "files.h"

void prefs_path(char *path, size_t len)
{
    /* The XDG base directory spec: a relative XDG_CONFIG_HOME is invalid and ignored. */
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(path, len, "%s/optiscope/config", xdg);
    else if (home && home[0])
        snprintf(path, len, "%s/.config/optiscope/config", home);
    else
        path[0] = '\0';
}

int prefs_load(Config *c, int argc, char **argv, char *err, size_t errlen)
{
    char path[1024];
    struct stat st;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--no-config") == 0)
            return 0;
    prefs_path(path, sizeof path);
    if (!path[0] || (stat(path, &st) < 0 && errno == ENOENT))
        return 0;
    char *text;
    if (files_read(path, &text, err, errlen) < 0)
        return -1;
    const int rc = config_scene_from(c, text, path, CONFIG_FROM_PREFS, err, errlen);
    free(text);
    return rc;
}
