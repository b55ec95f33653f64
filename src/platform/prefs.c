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

/* Every mistake in the file says how to start without it. */
static int refuse(char *err, size_t errlen)
{
    const size_t used = strlen(err);
    snprintf(err + used, errlen - used, " (--no-config starts without the preferences file)");
    return -1;
}

/* "~" and "~/..." in a folder's name mean the home folder, as a shell would expand them. */
static int expand_home(char *dir, size_t len, char *err, size_t errlen)
{
    const char *home = getenv("HOME");
    if (dir[0] != '~' || (dir[1] != '\0' && dir[1] != '/'))
        return 0;
    char full[CONFIG_PATH_MAX];
    if (!home || !home[0] || snprintf(full, sizeof full, "%s%s", home, dir + 1) >= (int)sizeof full ||
        strlen(full) >= len) {
        snprintf(err, errlen, "screenshot-dir '%.200s': cannot expand '~' (HOME unset or the name too long)", dir);
        return -1;
    }
    memcpy(dir, full, strlen(full) + 1);
    return 0;
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
    if (files_read_as("the preferences file", path, &text, err, errlen) < 0)
        return refuse(err, errlen);
    const int rc = config_scene_from(c, text, path, CONFIG_FROM_PREFS, err, errlen);
    free(text);
    if (rc < 0 || expand_home(c->shot_dir, sizeof c->shot_dir, err, errlen) < 0)
        return refuse(err, errlen);
    return 0;
}

int prefs_check_shot_dir(const Config *c, char *err, size_t errlen)
{
    struct stat st;
    if (!c->shot_dir[0])
        return 0;
    const int found = stat(c->shot_dir, &st) == 0;
    if (found && S_ISDIR(st.st_mode))
        return 0;
    snprintf(err, errlen, "the screenshot folder '%.200s' (screenshot-dir): %s; make it, or name another folder",
             c->shot_dir, found ? "not a folder" : strerror(errno));
    return -1;
}
