/* Whole-file reads for scenes and early checks that output paths can be written. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "files.h"
#include "output.h"

#include "../core/config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_MAX_DECK 4096

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder reads as a deck of all its *.scene files sorted by name, by their full paths
 * (the deck's limit is config.c's to enforce, the same for a folder as for a deck file). */
static int read_folder(const char *path, char **text, char *err, size_t errlen)
{
    char full[PATH_MAX_DECK], **names = NULL;
    int n = 0, cap = 0, failed = 0;
    DIR *d = realpath(path, full) ? opendir(full) : NULL;
    if (!d) {
        snprintf(err, errlen, "cannot read scene folder '%.200s': %s", path, strerror(errno));
        return -1;
    }
    for (struct dirent *e; !failed && (e = readdir(d)) != NULL;) {
        const size_t len = strlen(e->d_name);
        if (len <= 6 || e->d_name[0] == '.' || strcmp(e->d_name + len - 6, ".scene") != 0)
            continue;
        if (n == cap) {
            char **more = realloc(names, (size_t)(cap = cap ? 2 * cap : 64) * sizeof *names);
            if (!more) {
                failed = 1;
                break;
            }
            names = more;
        }
        failed = !(names[n++] = strdup(e->d_name));
    }
    closedir(d);
    if (n > 0 && !failed)
        qsort(names, (size_t)n, sizeof names[0], by_name);
    size_t size = strlen(CONFIG_DECK_HEADER) + 2;
    for (int i = 0; i < n; i++)
        size += strlen(full) + strlen(names[i] ? names[i] : "") + 2;
    char *buf = failed ? NULL : malloc(size);
    size_t used = buf ? (size_t)snprintf(buf, size, "%s\n", CONFIG_DECK_HEADER) : 0;
    for (int i = 0; i < n; i++) {
        if (buf && names[i])
            used += (size_t)snprintf(buf + used, size - used, "%s/%s\n", full, names[i]);
        free(names[i]);
    }
    free(names);
    if (!buf) {
        snprintf(err, errlen, "out of memory reading '%.200s'", path);
        return -1;
    }
    *text = buf;
    return 0;
}

/* files_read_as with a size limit of its own. */
static int read_at_most(const char *what, const char *path, long max, char **text, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        snprintf(err, errlen, "cannot read %s '%.200s': %s", what, path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode) && strcmp(what, "scene") == 0)
        return read_folder(path, text, err, errlen);
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "cannot read %s '%.200s': not a regular file", what, path);
        return -1;
    }
    if (st.st_size > max) {
        snprintf(err, errlen, "%s '%.200s' is too large (at most %ld MiB)", what, path, max >> 20);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read %s '%.200s': %s", what, path, strerror(errno));
        return -1;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!buf) {
        snprintf(err, errlen, "out of memory reading '%.200s'", path);
        return -1;
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        free(buf);
        snprintf(err, errlen, "%s '%.200s' holds binary data, not text", what, path);
        return -1;
    }
    *text = buf;
    return 0;
}

int files_read(const char *path, char **text, char *err, size_t errlen)
{
    return files_read_as("scene", path, text, err, errlen);
}

int files_read_as(const char *what, const char *path, char **text, char *err, size_t errlen)
{
    return read_at_most(what, path, FILES_MAX_SCENE, text, err, errlen);
}

int files_read_data(const char *path, char **text, char *err, size_t errlen)
{
    return read_at_most("data file", path, FILES_MAX_DATA, text, err, errlen);
}

/* Tried, not asked: access() says yes to root even where nothing can be written (a
 * read-only mount, /proc), so an existing file is opened for writing and a temporary file
 * is made and removed beside the target, where output.c will write. A link is followed to
 * its target, as the writers do. */
int files_check_writable(const char *what, const char *path, char *err, size_t errlen)
{
    char target[OUTPUT_PATH_MAX];
    int e = output_resolve(path, target, sizeof target);
    if (e) {
        snprintf(err, errlen, "cannot write %s '%.200s': %s", what, path, strerror(e));
        return -1;
    }
    struct stat st;
    if (stat(target, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "%s '%.200s' is a folder, not a file", what, path);
            return -1;
        }
        if (!S_ISREG(st.st_mode))
            return 0; /* a device or a pipe: opening it could block or have effects */
        const int fd = open(target, O_WRONLY | O_NONBLOCK);
        if (fd < 0) {
            snprintf(err, errlen, "cannot write %s '%.200s': %s", what, path, strerror(errno));
            return -1;
        }
        close(fd);
    }
    if ((e = output_probe(target)) == 0)
        return 0;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", target);
    char *slash = strrchr(dir, '/');
    if (!slash) {
        if (!getcwd(dir, sizeof dir)) /* a folder by its name says more than '.' */
            snprintf(dir, sizeof dir, ".");
    } else if (slash == dir) {
        dir[1] = '\0';
    } else {
        *slash = '\0';
    }
    if (e == ENOENT && stat(dir, &st) < 0)
        snprintf(err, errlen, "cannot write %s '%.200s': folder '%.200s' does not exist", what, path, dir);
    else if (e == ENOENT || e == EACCES || e == EPERM || e == EROFS)
        snprintf(err, errlen, "cannot write %s '%.200s': folder '%.200s' takes no new files", what, path, dir);
    else
        snprintf(err, errlen, "cannot write %s '%.200s': %s", what, path, strerror(e));
    return -1;
}
