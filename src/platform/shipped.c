/* Finding the shipped lessons and icon from wherever the binary runs (see shipped.h). */
#include "shipped.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/config.h"
#include "../core/data.h"
#include "files.h"

/* Set by the Makefile from PREFIX; a build without it still finds the share folder next to
 * the binary and the source tree's assets. */
#ifndef OPTISCOPE_DATADIR
#define OPTISCOPE_DATADIR "/usr/local/share"
#endif

#define ROOTS_MAX 4
#define LIST_MAX 128

/* What a lesson may be: a scene, or a deck of scenes listed one per line. */
static const char *const suffixes[] = { ".scene", ".deck" };
#define NSUFFIXES (sizeof suffixes / sizeof suffixes[0])

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

/* The suffix name ends with (index into suffixes), or -1. */
static int suffix_of(const char *name)
{
    const size_t nl = strlen(name);
    for (size_t k = 0; k < NSUFFIXES; k++) {
        const size_t sl = strlen(suffixes[k]);
        if (nl > sl && strcmp(name + nl - sl, suffixes[k]) == 0)
            return (int)k;
    }
    return -1;
}

/* A shipped lesson by name: NAME.scene, else NAME.deck, in each root in turn. */
static int find_scene(const char *name, char *path, size_t len)
{
    Root r[ROOTS_MAX];
    const int n = roots(r);
    const int has_suffix = suffix_of(name) >= 0;
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < (has_suffix ? 1 : NSUFFIXES); k++) {
            snprintf(path, len, "%s/%s%s", r[i].scenes, name, has_suffix ? "" : suffixes[k]);
            if (access(path, R_OK) == 0)
                return 0;
        }
    return -1;
}

static int is_data(const char *name)
{
    const size_t len = strlen(name);
    return len > 4 && strcmp(name + len - 4, ".csv") == 0;
}

/* The data sets' folder of a root: beside its scenes. */
static void data_dir(const Root *r, char *dir, size_t len)
{
    const char *slash = strrchr(r->scenes, '/');
    snprintf(dir, len, "%.*s/data", (int)(slash - r->scenes), r->scenes);
}

/* A shipped data set by name: NAME, else NAME.csv, in each root's data folder. */
static int find_data(const char *name, char *path, size_t len)
{
    Root r[ROOTS_MAX];
    const int n = roots(r);
    for (int i = 0; i < n; i++) {
        char dir[SHIPPED_PATH_MAX];
        data_dir(&r[i], dir, sizeof dir);
        snprintf(path, len, "%s/%s%s", dir, name, is_data(name) ? "" : ".csv");
        if (access(path, R_OK) == 0)
            return 0;
    }
    return -1;
}

int shipped_read_data(const char *name, char *path, size_t pathlen, char **text, char *err, size_t errlen)
{
    if (!plain_name(name) || access(name, F_OK) == 0 || find_data(name, path, pathlen) < 0) {
        snprintf(path, pathlen, "%s", name);
        if (files_read_data(name, text, err, errlen) == 0)
            return 0;
        if (plain_name(name)) {
            const size_t used = strlen(err);
            snprintf(err + used, errlen - used, "; no shipped data set has that name either (see --list)");
        }
        return -1;
    }
    return files_read_data(path, text, err, errlen);
}

static int is_deck(const char *text)
{
    const size_t head = strlen(CONFIG_DECK_HEADER);
    return strncmp(text, CONFIG_DECK_HEADER, head) == 0 && (text[head] == '\n' || text[head] == '\r');
}

/* A shipped deck's scenes are relative to its folder, which the user never named: its
 * lines get that folder in front, so the deck reads the same from any folder. */
static int rebase_deck(char **text, const char *path, char *err, size_t errlen)
{
    const char *slash = strrchr(path, '/');
    const int dirlen = slash ? (int)(slash - path) : 1;
    size_t lines = 1;
    for (const char *p = *text; *p; p++)
        lines += *p == '\n';
    const size_t size = strlen(*text) + lines * ((size_t)dirlen + 2) + 1;
    char *out = malloc(size);
    if (!out) {
        snprintf(err, errlen, "out of memory reading '%.200s'", path);
        return -1;
    }
    size_t used = 0;
    for (const char *p = *text; *p;) {
        const size_t n = strcspn(p, "\n");
        const int scene = p != *text && n > 0 && p[0] != '#' && p[0] != '/' && p[0] != '\r';
        if (scene)
            used += (size_t)snprintf(out + used, size - used, "%.*s/", dirlen, slash ? path : ".");
        used += (size_t)snprintf(out + used, size - used, "%.*s%s", (int)n, p, p[n] ? "\n" : "");
        p += n + (p[n] == '\n');
    }
    free(*text);
    *text = out;
    return 0;
}

int shipped_read_scene(const char *name, char **text, char *err, size_t errlen)
{
    char path[SHIPPED_PATH_MAX];
    if (!plain_name(name) || access(name, F_OK) == 0 || find_scene(name, path, sizeof path) < 0) {
        if (files_read(name, text, err, errlen) == 0)
            return 0;
        if (plain_name(name)) {
            const size_t used = strlen(err);
            snprintf(err + used, errlen - used, "; no shipped scene or deck has that name either (see --list)");
        }
        return -1;
    }
    if (files_read(path, text, err, errlen) < 0)
        return -1;
    return is_deck(*text) ? rebase_deck(text, path, err, errlen) : 0;
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

/* The scenes a deck lists: its lines that are neither empty nor comments. */
static int deck_scenes(const char *path)
{
    char *text, err[256];
    if (files_read(path, &text, err, sizeof err) < 0)
        return 0;
    int n = 0;
    for (const char *p = text; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n'))
        n += p != text && p[0] != '#' && strcspn(p, "\r\n") > 0;
    free(text);
    return n;
}

static int is_lesson(const char *name)
{
    return suffix_of(name) >= 0;
}

/* Names of the files in dir that `wanted` takes (lessons, data sets), with their suffix,
 * each malloc'd, those not in names[0..n) added. */
static int collect(const char *dir, int (*wanted)(const char *), char **names, int n)
{
    DIR *d = opendir(dir);
    const struct dirent *e;
    while (d && n < LIST_MAX && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !wanted(e->d_name))
            continue;
        int known = 0;
        for (int i = 0; i < n && !known; i++)
            known = strcmp(names[i], e->d_name) == 0;
        if (!known && (names[n] = strdup(e->d_name)))
            n++;
    }
    if (d)
        closedir(d);
    return n;
}

/* One line on a shipped data set: its rows and columns, and what logreg makes of it. */
static void data_line(FILE *out, const char *name)
{
    char path[SHIPPED_PATH_MAX], err[256], *text;
    Data *d = NULL;
    snprintf(err, sizeof err, "not found");
    /* The shipped file itself, never one of that name in the current folder. */
    if (find_data(name, path, sizeof path) == 0 && files_read_data(path, &text, err, sizeof err) == 0) {
        d = data_parse(text, path, err, sizeof err);
        free(text);
    }
    if (!d) {
        fprintf(out, "  %-22s unreadable: %s\n", name, err);
        return;
    }
    char cols[2 * DATA_COLUMN_MAX + 8] = "";
    if (d->columns[0][0])
        snprintf(cols, sizeof cols, " (%s, %s)", d->columns[0], d->columns[1]);
    const char *logreg = d->label_line ? "linreg" : d->has_bce ? "linreg, logreg" : "linreg; logreg has no minimum: the classes are separable";
    fprintf(out, "  %-22s %ld rows%s: %s\n", name, d->n, cols, logreg);
    data_free(d);
}

static void list_data(FILE *out)
{
    Root r[ROOTS_MAX];
    char *names[LIST_MAX];
    const int nroots = roots(r);
    int n = 0;
    for (int i = 0; i < nroots; i++) {
        char dir[SHIPPED_PATH_MAX];
        data_dir(&r[i], dir, sizeof dir);
        n = collect(dir, is_data, names, n);
    }
    qsort(names, (size_t)n, sizeof names[0], by_name);
    fputs("\nData sets shipped with optiscope (linreg:data=NAME, logreg:data=NAME):\n", out);
    for (int i = 0; i < n; i++) {
        names[i][strlen(names[i]) - 4] = '\0';
        data_line(out, names[i]);
        free(names[i]);
    }
}

void shipped_list(FILE *out)
{
    Root r[ROOTS_MAX];
    char *names[LIST_MAX];
    const int nroots = roots(r);
    int n = 0;
    for (int i = 0; i < nroots; i++)
        n = collect(r[i].scenes, is_lesson, names, n);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    fputs("\nScenes and decks shipped with optiscope (--scene NAME):\n", out);
    if (n == 0)
        fprintf(out, "  none found in %s/optiscope/scenes\n", OPTISCOPE_DATADIR);
    for (int i = 0; i < n; i++) {
        char path[SHIPPED_PATH_MAX], title[CONFIG_TITLE_MAX];
        const int k = suffix_of(names[i]);
        const int deck = k == 1;
        title[0] = '\0';
        if (find_scene(names[i], path, sizeof path) == 0) {
            if (deck)
                snprintf(title, sizeof title, "a deck of %d scenes", deck_scenes(path));
            else
                scene_title(path, title, sizeof title);
        }
        names[i][strlen(names[i]) - strlen(suffixes[k])] = '\0';
        fprintf(out, "  %-22s %s\n", names[i], title);
        free(names[i]);
    }
    list_data(out);
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
