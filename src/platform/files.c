/* Whole-file reads for scenes and early checks that output paths can be written. */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int files_read(const char *path, char **text, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        snprintf(err, errlen, "cannot read scene '%.200s': %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "cannot read scene '%.200s': not a regular file", path);
        return -1;
    }
    if (st.st_size > FILES_MAX_SCENE) {
        snprintf(err, errlen, "scene '%.200s' is too large (at most 1 MiB)", path);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read scene '%.200s': %s", path, strerror(errno));
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
        snprintf(err, errlen, "scene '%.200s' holds binary data, not text", path);
        return -1;
    }
    *text = buf;
    return 0;
}

/* Tried, not asked: access() says yes to root even where nothing can be written (a
 * read-only mount, /proc), so the file itself is opened, or made and removed again. */
int files_check_writable(const char *what, const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "%s '%.200s' is a folder, not a file", what, path);
            return -1;
        }
        if (!S_ISREG(st.st_mode))
            return 0; /* a device or a pipe: opening it could block or have effects */
        const int fd = open(path, O_WRONLY | O_NONBLOCK);
        if (fd < 0) {
            snprintf(err, errlen, "cannot write %s '%.200s': %s", what, path, strerror(errno));
            return -1;
        }
        close(fd);
        return 0;
    }
    const int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd >= 0) {
        close(fd);
        unlink(path);
        return 0;
    }
    const int e = errno;
    if (e == EEXIST) /* a dangling symlink (writing creates its target), or a file just made */
        return 0;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
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
