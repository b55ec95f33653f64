/* Finding the shipped lessons and icon from wherever the binary runs (see shipped.h). */
#include "shipped.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/config.h"
#include "files.h"

/* Set by the Makefile from PREFIX; a build without it still finds the share folder next to
 * the binary and the source tree's assets. */
#ifndef OPTISCOPE_DATADIR
#define OPTISCOPE_DATADIR "/usr/local/share"
#endif

#define ROOTS_MAX 4
#define LIST_MAX 128
#define SUFFIX ".scene"

typedef struct {
    char scenes[SHIPPED_PATH_MAX];
    char share[SHIPPED_PATH_MAX]; /* an installed share folder, or "" in the source tree */
    char tree[SHIPPED_PATH_MAX];  /* the source tree's assets, or "" when installed */
} Root;

const char *shipped_datadir(void)
{
    return OPTISCOPE_DATADIR;
}

/* Adds a root whose scenes folder exists and is not one already added by another name
 * (an installed binary's own share folder is usually the compiled-in one). */
static int add_root(Root *r, int n, const char *share, const char *tree)
{
    char scenes[SHIPPED_PATH_MAX];
    struct stat st, seen;
    if (share)
        snprintf(scenes, sizeof scenes, "%s/optiscope/scenes", share);
    else
        snprintf(scenes, sizeof scenes, "%s/scenes", tree);
    if (n == ROOTS_MAX || stat(scenes, &st) < 0 || !S_ISDIR(st.st_mode))
        return n;
    for (int i = 0; i < n; i++)
        if (stat(r[i].scenes, &seen) == 0 && seen.st_dev == st.st_dev && seen.st_ino == st.st_ino)
            return n;
    snprintf(r[n].scenes, sizeof r[n].scenes, "%s", scenes);
    snprintf(r[n].share, sizeof r[n].share, "%s", share ? share : "");
    snprintf(r[n].tree, sizeof r[n].tree, "%s", tree ? tree : "");
    return n + 1;
}

/* The folders to look in, in order: installed share folder, the one beside the binary,
 * the source tree of a build (build/optiscope or build/asan/optiscope). */
static int roots(Root *r)
{
    char exe[SHIPPED_PATH_MAX], path[SHIPPED_PATH_MAX];
    int n = add_root(r, 0, OPTISCOPE_DATADIR, NULL);
    const ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[len > 0 ? len : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return n;
    *slash = '\0';
    snprintf(path, sizeof path, "%s/../share", exe);
    n = add_root(r, n, path, NULL);
    snprintf(path, sizeof path, "%s/../assets", exe);
    n = add_root(r, n, NULL, path);
    snprintf(path, sizeof path, "%s/../../assets", exe);
    return add_root(r, n, NULL, path);
}

/* A shipped scene is asked for by a plain name, never by a path. */
static int plain_name(const char *name)
{
    return name[0] != '\0' && name[0] != '.' && !strchr(name, '/');
}

static int find_scene(const char *name, char *path, size_t len)
{
    Root r[ROOTS_MAX];
    const int n = roots(r);
    const size_t nl = strlen(name), sl = strlen(SUFFIX);
    const int has_suffix = nl > sl && strcmp(name + nl - sl, SUFFIX) == 0;
    for (int i = 0; i < n; i++) {
        snprintf(path, len, "%s/%s%s", r[i].scenes, name, has_suffix ? "" : SUFFIX);
        if (access(path, R_OK) == 0)
            return 0;
    }
    return -1;
}

int shipped_read_scene(const char *name, char **text, char *err, size_t errlen)
{
    char path[SHIPPED_PATH_MAX];
    if (!plain_name(name) || access(name, F_OK) == 0 || find_scene(name, path, sizeof path) < 0) {
        if (files_read(name, text, err, errlen) == 0)
            return 0;
        if (plain_name(name)) {
            const size_t used = strlen(err);
            snprintf(err + used, errlen - used, "; no shipped scene has that name either (see --list)");
        }
        return -1;
    }
    return files_read(path, text, err, errlen);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The scene's title, or "" when it has none or cannot be read. */
static void scene_title(const char *path, char *title, size_t len)
{
    char *text, err[256];
    Config *c = malloc(sizeof *c);
    title[0] = '\0';
    if (!c)
        return;
    config_defaults(c);
    if (files_read(path, &text, err, sizeof err) == 0) {
        if (config_scene(c, text, path, err, sizeof err) == 0)
            snprintf(title, len, "%s", c->title);
        free(text);
    }
    free(c);
}

/* Names of the .scene files in dir, each malloc'd, those not in names[0..n) added. */
static int collect(const char *dir, char **names, int n)
{
    DIR *d = opendir(dir);
    const struct dirent *e;
    const size_t sl = strlen(SUFFIX);
    while (d && n < LIST_MAX && (e = readdir(d))) {
        const size_t nl = strlen(e->d_name);
        if (e->d_name[0] == '.' || nl <= sl || strcmp(e->d_name + nl - sl, SUFFIX) != 0)
            continue;
        int known = 0;
        for (int i = 0; i < n && !known; i++)
            known = strlen(names[i]) == nl - sl && strncmp(names[i], e->d_name, nl - sl) == 0;
        if (!known && (names[n] = strndup(e->d_name, nl - sl)))
            n++;
    }
    if (d)
        closedir(d);
    return n;
}

void shipped_list(FILE *out)
{
    Root r[ROOTS_MAX];
    char *names[LIST_MAX];
    const int nroots = roots(r);
    int n = 0;
    for (int i = 0; i < nroots; i++)
        n = collect(r[i].scenes, names, n);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    fputs("\nScenes shipped with optiscope (--scene NAME):\n", out);
    if (n == 0)
        fprintf(out, "  none found in %s/optiscope/scenes\n", OPTISCOPE_DATADIR);
    for (int i = 0; i < n; i++) {
        char path[SHIPPED_PATH_MAX], title[CONFIG_TITLE_MAX];
        if (find_scene(names[i], path, sizeof path) == 0)
            scene_title(path, title, sizeof title);
        else
            title[0] = '\0';
        fprintf(out, "  %-22s %s\n", names[i], title);
        free(names[i]);
    }
}

int shipped_icon(int size, char *path, size_t len)
{
    Root r[ROOTS_MAX];
    const int n = roots(r);
    for (int i = 0; i < n; i++) {
        if (r[i].share[0])
            snprintf(path, len, "%s/icons/hicolor/%dx%d/apps/optiscope.png", r[i].share, size, size);
        else
            snprintf(path, len, "%s/icons/optiscope-%d.png", r[i].tree, size);
        if (access(path, R_OK) == 0)
            return 0;
    }
    return -1;
}
