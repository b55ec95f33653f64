/* Writing files by temporary file and rename (see output.h for the rules). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../render/shot.h"

#define OUTPUT_LINK_DEPTH 40 /* as the kernel's own limit on a chain of links */
#define OUTPUT_FILE_BUFFER (1 << 16)

/* The temporary files open now, for remove_and_die: a signal handler reaches nothing but
 * globals. A slot's path is written before it is marked used. */
#define OUTPUT_OPEN_MAX 8
static char pending[OUTPUT_OPEN_MAX][OUTPUT_PATH_MAX];
static volatile sig_atomic_t pending_used[OUTPUT_OPEN_MAX];

static void remember(const char *tmp)
{
    for (int i = 0; i < OUTPUT_OPEN_MAX; i++)
        if (!pending_used[i]) {
            memcpy(pending[i], tmp, strlen(tmp) + 1);
            pending_used[i] = 1;
            return;
        }
}

static void forget(const char *tmp)
{
    for (int i = 0; i < OUTPUT_OPEN_MAX; i++)
        if (pending_used[i] && strcmp(pending[i], tmp) == 0)
            pending_used[i] = 0;
}

/* While a job that cleans up after itself runs (a recording: its temporary folder of
 * frames cannot be emptied from a signal handler), a signal is only noted; the job stops at
 * its next frame and output_defer_signals(0) dies of it. */
static volatile sig_atomic_t deferring, caught;

/* unlink, signal and raise are async-signal-safe. */
static void die_of(int sig)
{
    for (int i = 0; i < OUTPUT_OPEN_MAX; i++)
        if (pending_used[i])
            unlink(pending[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void remove_and_die(int sig)
{
    if (deferring)
        caught = sig;
    else
        die_of(sig);
}

void output_defer_signals(int on)
{
    deferring = on;
    if (!on && caught)
        die_of(caught);
}

int output_interrupted(void)
{
    return caught;
}

void output_remove_on_signals(void)
{
    const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa = { .sa_handler = remove_and_die };
        sigemptyset(&sa.sa_mask);
        /* A signal ignored when we started (a background job's SIGINT) stays ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

static int fail(char *err, size_t errlen, const char *what, const char *path, int e)
{
    snprintf(err, errlen, "cannot write %s '%.200s': %s", what, path, strerror(e));
    return -1;
}

int output_resolve(const char *path, char *out, size_t len)
{
    if (snprintf(out, len, "%s", path) >= (int)len)
        return ENAMETOOLONG;
    for (int depth = 0; depth < OUTPUT_LINK_DEPTH; depth++) {
        struct stat st;
        if (lstat(out, &st) < 0 || !S_ISLNK(st.st_mode))
            return 0;
        char link[OUTPUT_PATH_MAX], next[OUTPUT_PATH_MAX];
        const ssize_t n = readlink(out, link, sizeof link - 1);
        if (n < 0)
            return errno;
        link[n] = '\0';
        /* A relative target is relative to the link's folder. */
        const char *slash = strrchr(out, '/');
        const int keep = link[0] == '/' || !slash ? 0 : (int)(slash - out) + 1;
        const int w = snprintf(next, sizeof next, "%.*s%s", keep, out, link);
        if (w >= (int)sizeof next || snprintf(out, len, "%s", next) >= (int)len)
            return ENAMETOOLONG;
    }
    return ELOOP;
}

static mode_t new_file_mode(void)
{
    const mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* A unique temporary file DIR/.NAME.XXXXXX beside target, with the mode the target has
 * or a new file would get. */
static int open_temporary(Output *o, const struct stat *existing)
{
    const char *slash = strrchr(o->target, '/');
    const char *name = slash ? slash + 1 : o->target;
    const int w = snprintf(o->tmp, sizeof o->tmp, "%.*s.%s.XXXXXX", (int)(name - o->target), o->target, name);
    if (w >= (int)sizeof o->tmp)
        return ENAMETOOLONG;
    const int fd = mkstemp(o->tmp);
    if (fd < 0) {
        const int e = errno;
        o->tmp[0] = '\0';
        return e;
    }
    if (fchmod(fd, existing ? existing->st_mode & 0777 : new_file_mode()) < 0 || !(o->f = fdopen(fd, "wb"))) {
        const int e = errno;
        close(fd);
        unlink(o->tmp);
        o->tmp[0] = '\0';
        return e;
    }
    setvbuf(o->f, NULL, _IOFBF, OUTPUT_FILE_BUFFER);
    remember(o->tmp);
    return 0;
}

int output_probe(const char *target)
{
    Output o = { .what = "", .path = "" };
    snprintf(o.target, sizeof o.target, "%s", target);
    const int e = open_temporary(&o, NULL);
    output_abort(&o);
    return e;
}

int output_open(Output *o, const char *what, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->what = what;
    o->path = path;
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        o->is_stdout = 1;
        return 0;
    }
    int e = output_resolve(path, o->target, sizeof o->target);
    if (e)
        return fail(err, errlen, what, path, e);
    struct stat st;
    const int exists = stat(o->target, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "cannot write %s '%.200s': it is a folder, not a file", what, path);
        return -1;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        o->f = fopen(o->target, "wb");
        return o->f ? 0 : fail(err, errlen, what, path, errno);
    }
    e = open_temporary(o, exists ? &st : NULL);
    return e ? fail(err, errlen, what, path, e) : 0;
}

/* The reason a write failed: errno as the failed write left it, which the callers read
 * before anything else can change it (right after their writes). */
static int write_errno(void)
{
    return errno ? errno : EIO;
}

int output_failed(Output *o, char *err, size_t errlen)
{
    if (!ferror(o->f))
        return 0;
    fail(err, errlen, o->what, o->path, write_errno());
    return 1;
}

int output_commit(Output *o, char *err, size_t errlen)
{
    if (output_failed(o, err, errlen)) {
        output_abort(o);
        return -1;
    }
    errno = 0;
    if (o->is_stdout) {
        if (fflush(o->f) != 0 || ferror(o->f))
            return fail(err, errlen, o->what, o->path, errno ? errno : EIO);
        return 0;
    }
    int bad = fflush(o->f) != 0;
    int e = errno;
    FILE *f = o->f;
    o->f = NULL;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && o->tmp[0] && rename(o->tmp, o->target) != 0) {
        bad = 1;
        e = errno;
    }
    if (!bad)
        forget(o->tmp);
    if (bad) {
        output_abort(o);
        return fail(err, errlen, o->what, o->path, e ? e : EIO);
    }
    return 0;
}

void output_abort(Output *o)
{
    if (o->f && !o->is_stdout)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp[0]) {
        unlink(o->tmp);
        forget(o->tmp);
    }
    o->tmp[0] = '\0';
}

/* A name for comparing paths that do not exist yet: the folder's real path and the name. */
static int canonical(const char *resolved, char *out, size_t len)
{
    const char *slash = strrchr(resolved, '/');
    char dir[OUTPUT_PATH_MAX], real[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - resolved) + 1 : 1, slash ? resolved : ".");
    if (!realpath(dir, real))
        return -1;
    const char *name = slash ? slash + 1 : resolved;
    return snprintf(out, len, "%s/%s", real, name) >= (int)len ? -1 : 0;
}

int output_same_file(const char *a, const char *b)
{
    if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
        return strcmp(a, b) == 0;
    char ra[OUTPUT_PATH_MAX], rb[OUTPUT_PATH_MAX];
    if (output_resolve(a, ra, sizeof ra) || output_resolve(b, rb, sizeof rb))
        return strcmp(a, b) == 0;
    struct stat sa, sb;
    const int ea = stat(ra, &sa) == 0, eb = stat(rb, &sb) == 0;
    if (ea || eb)
        return ea && eb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    char ca[OUTPUT_PATH_MAX + 8], cb[OUTPUT_PATH_MAX + 8];
    if (canonical(ra, ca, sizeof ca) < 0 || canonical(rb, cb, sizeof cb) < 0)
        return strcmp(ra, rb) == 0;
    return strcmp(ca, cb) == 0;
}

/* Makes path as an empty file unless it exists: 0, EEXIST, or another errno value. */
static int reserve(const char *path)
{
    const int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, new_file_mode());
    if (fd < 0)
        return errno;
    close(fd);
    return 0;
}

int output_unique_name(char *buf, size_t len, const char *stem, const char *ext, char *err, size_t errlen)
{
    if (snprintf(buf, len, "%s%s", stem, ext) >= (int)len)
        return fail(err, errlen, "file", stem, ENAMETOOLONG);
    for (long n = 2; reserve(buf) == EEXIST; n++) {
        if (n > OUTPUT_NAME_TRIES) {
            snprintf(err, errlen, "cannot name a new file '%.200s-N%s': numbers 2 to %d are all taken", stem, ext,
                     OUTPUT_NAME_TRIES);
            return -1;
        }
        if (snprintf(buf, len, "%s-%ld%s", stem, n, ext) >= (int)len)
            return fail(err, errlen, "file", stem, ENAMETOOLONG);
    }
    return 0;
}

int output_png(const Canvas *c, const char *path, char *err, size_t errlen)
{
    Output o;
    if (output_open(&o, "screenshot", path, err, errlen) < 0)
        return -1;
    if (shot_write_png(c, o.f, path, err, errlen) < 0) {
        output_abort(&o);
        return -1;
    }
    return output_commit(&o, err, errlen);
}
