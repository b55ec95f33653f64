/* The output module: temporary file and rename, links written through, no fixed
 * temporary name, failed writes found, free names, two paths naming one file. */
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/platform/app.h"
#include "../src/platform/output.h"
#include "../src/platform/record.h"
#include "check.h"

#define OUT_DIR "build/test-output"

static int count_glob(const char *pattern)
{
    glob_t g;
    const int n = glob(pattern, GLOB_PERIOD, NULL, &g) == 0 ? (int)g.gl_pathc : 0;
    globfree(&g);
    return n;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static int write_text(const char *path, const char *text)
{
    Output o;
    char err[256];
    if (output_open(&o, "test", path, err, sizeof err) < 0)
        return -1;
    fputs(text, o.f);
    return output_commit(&o, err, sizeof err);
}

/* A file called PATH.tmp belongs to someone else; a longer old file leaves no tail. */
static void check_no_fixed_temporary(void)
{
    FILE *f = fopen(OUT_DIR "/pic.png.tmp", "w");
    fputs("not ours", f);
    fclose(f);
    f = fopen(OUT_DIR "/pic.png", "w");
    for (int i = 0; i < 1000; i++)
        fputs("a long old file ", f);
    fclose(f);
    CHECK(write_text(OUT_DIR "/pic.png", "new") == 0, "write over an old file");
    CHECK(file_size(OUT_DIR "/pic.png") == 3, "the old file's tail is gone: %ld bytes", file_size(OUT_DIR "/pic.png"));
    CHECK(file_size(OUT_DIR "/pic.png.tmp") == 8, "an unrelated pic.png.tmp is left alone");
    CHECK(count_glob(OUT_DIR "/.pic.png.*") == 0, "no temporary file is left behind");
}

/* Open twice at once, each writes its own temporary file; the last commit wins whole. */
static void check_concurrent(void)
{
    Output a, b;
    char err[256];
    CHECK(output_open(&a, "test", OUT_DIR "/same.txt", err, sizeof err) == 0 &&
              output_open(&b, "test", OUT_DIR "/same.txt", err, sizeof err) == 0 && strcmp(a.tmp, b.tmp) != 0,
          "two writers get two temporary files");
    for (int i = 0; i < 5000; i++)
        fputs("aaaa", a.f);
    fputs("b", b.f);
    CHECK(output_commit(&b, err, sizeof err) == 0 && output_commit(&a, err, sizeof err) == 0, "%s", err);
    CHECK(file_size(OUT_DIR "/same.txt") == 20000, "one whole file: %ld bytes", file_size(OUT_DIR "/same.txt"));
}

/* Written through a link, as for every output: the target changes, the link stays. */
static void check_symlink(void)
{
    unlink(OUT_DIR "/link.png");
    unlink(OUT_DIR "/sub/target.png");
    mkdir(OUT_DIR "/sub", 0755);
    CHECK(symlink("sub/target.png", OUT_DIR "/link.png") == 0, "symlink: %s", strerror(errno));
    CHECK(write_text(OUT_DIR "/link.png", "through a dangling link") == 0, "write through a dangling link");
    struct stat st;
    CHECK(lstat(OUT_DIR "/link.png", &st) == 0 && S_ISLNK(st.st_mode), "the link stays a link");
    CHECK(file_size(OUT_DIR "/sub/target.png") == 23, "the target is written");
    CHECK(write_text(OUT_DIR "/link.png", "again") == 0 && file_size(OUT_DIR "/sub/target.png") == 5 &&
              lstat(OUT_DIR "/link.png", &st) == 0 && S_ISLNK(st.st_mode),
          "written through an existing target");
    CHECK(count_glob(OUT_DIR "/sub/.target.png.*") == 0 && count_glob(OUT_DIR "/.link.png.*") == 0,
          "no temporary file left");
}

static void check_modes(void)
{
    unlink(OUT_DIR "/mode.txt");
    const mode_t mask = umask(022);
    CHECK(write_text(OUT_DIR "/mode.txt", "x") == 0, "new file");
    struct stat st;
    CHECK(stat(OUT_DIR "/mode.txt", &st) == 0 && (st.st_mode & 0777) == 0644, "a new file is 0666 less the umask: %o",
          st.st_mode & 0777);
    chmod(OUT_DIR "/mode.txt", 0600);
    CHECK(write_text(OUT_DIR "/mode.txt", "y") == 0 && stat(OUT_DIR "/mode.txt", &st) == 0 &&
              (st.st_mode & 0777) == 0600,
          "a replaced file keeps its mode: %o", st.st_mode & 0777);
    umask(mask);
}

/* A full device fails at commit at the latest, with the reason; the rows written before
 * are found by output_failed as soon as the buffer goes out. */
static void check_failures(void)
{
    Output o;
    char err[256] = "";
    CHECK(output_open(&o, "trace", "/dev/full", err, sizeof err) == 0, "open /dev/full: %s", err);
    int failed_early = 0;
    for (int i = 0; i < 100000 && !failed_early; i++) {
        fputs("0123456789", o.f);
        failed_early = output_failed(&o, err, sizeof err);
    }
    CHECK(failed_early && strstr(err, "cannot write trace '/dev/full'") && strstr(err, strerror(ENOSPC)),
          "a full device is found while writing: '%s'", err);
    output_abort(&o);
    CHECK(output_open(&o, "state", "/dev/full", err, sizeof err) == 0, "open: %s", err);
    fputs("{}", o.f);
    CHECK(output_commit(&o, err, sizeof err) < 0 && strstr(err, strerror(ENOSPC)), "commit finds it: '%s'", err);
    CHECK(output_open(&o, "state", OUT_DIR, err, sizeof err) < 0 && strstr(err, "folder"), "a folder: '%s'", err);
    CHECK(output_open(&o, "state", OUT_DIR "/none/x.json", err, sizeof err) < 0 && strstr(err, strerror(ENOENT)),
          "a missing folder: '%s'", err);
    CHECK(output_open(&o, "state", OUT_DIR "/aborted.json", err, sizeof err) == 0, "open: %s", err);
    fputs("{}", o.f);
    output_abort(&o);
    CHECK(access(OUT_DIR "/aborted.json", F_OK) != 0 && count_glob(OUT_DIR "/.aborted.json.*") == 0,
          "an aborted write leaves nothing");
}

static void check_same_file(void)
{
    write_text(OUT_DIR "/a.txt", "a");
    unlink(OUT_DIR "/b-link.txt");
    CHECK(symlink("a.txt", OUT_DIR "/b-link.txt") == 0, "symlink");
    CHECK(output_same_file(OUT_DIR "/a.txt", OUT_DIR "/b-link.txt"), "a link names its target");
    CHECK(output_same_file(OUT_DIR "/a.txt", "./" OUT_DIR "/../test-output/a.txt"), "another spelling");
    CHECK(output_same_file(OUT_DIR "/new.txt", OUT_DIR "/./new.txt"), "a file not made yet");
    CHECK(!output_same_file(OUT_DIR "/a.txt", OUT_DIR "/new.txt"), "different files");
    CHECK(output_same_file("-", "-") && !output_same_file("-", OUT_DIR "/a.txt"), "standard output");
}

/* Taken names are counted past, however many (the window gave up after -99); a name
 * given is taken at once, written or not. */
static void check_unique_name(void)
{
    char path[256], err[256], stem[] = OUT_DIR "/names/shot";
    if (system("rm -rf " OUT_DIR "/names && mkdir -p " OUT_DIR "/names") != 0)
        return;
    for (int n = 1; n <= 120; n++) {
        CHECK(output_unique_name(path, sizeof path, stem, "@2x.png", err, sizeof err) == 0, "%s", err);
        char want[256];
        snprintf(want, sizeof want, n == 1 ? "%s@2x.png" : "%s-%d@2x.png", stem, n);
        if (strcmp(path, want) != 0) {
            CHECK(0, "name %d is '%s', wanted '%s'", n, path, want);
            return;
        }
        struct stat st;
        if (stat(path, &st) != 0 || st.st_size != 0) {
            CHECK(0, "name %d is not taken at once as an empty file", n);
            return;
        }
        if (n % 2)
            write_text(path, "x");
    }
    check_passed++;
}

/* The process's writes fail as on a full disk (a file size limit of 0 bytes: new empty files
 * can still be made, as a full disk's last free inode allows) until full_disk(0). */
static void full_disk(int on)
{
    static struct rlimit saved;
    static void (*old_handler)(int);
    if (on) {
        getrlimit(RLIMIT_FSIZE, &saved);
        old_handler = signal(SIGXFSZ, SIG_IGN);
        const struct rlimit none = { 0, saved.rlim_max };
        setrlimit(RLIMIT_FSIZE, &none);
    } else {
        setrlimit(RLIMIT_FSIZE, &saved);
        signal(SIGXFSZ, old_handler);
    }
}

/* Ctrl+S on a full disk: an error, and nothing under the name reserved for the scene (a
 * 0-byte scene would later load as the default one without a word). */
static void check_save_full_disk(void)
{
    char err[256], path[256];
    Config *c = malloc(sizeof *c);
    Session *ses = calloc(1, sizeof *ses);
    config_defaults(c);
    if (!c || !ses || config_finish(c, err, sizeof err) < 0 || session_init(ses, c, 0, 0, 640, 480, err, sizeof err) < 0 ||
        output_unique_name(path, sizeof path, OUT_DIR "/saved", ".scene", err, sizeof err) < 0) {
        CHECK(0, "cannot set up a session to save");
        free(c);
        session_free(ses);
        return;
    }
    full_disk(1);
    const int rc = app_save_scene(ses, path, err, sizeof err);
    full_disk(0);
    CHECK(rc < 0 && strstr(err, strerror(EFBIG)), "a scene saved on a full disk: %d, '%s'", rc, err);
    CHECK(access(path, F_OK) != 0 && count_glob(OUT_DIR "/.saved*") == 0, "a failed save left %s or its temporary",
          path);
    CHECK(output_unique_name(path, sizeof path, OUT_DIR "/saved", ".scene", err, sizeof err) == 0 &&
              app_save_scene(ses, path, err, sizeof err) == 0 && file_size(path) > 20,
          "a scene saved with room: %s", err);
    unlink(path);
    free(c);
    session_free(ses);
}

/* Shift+R on a full disk: the recording fails, starting or stopping, and leaves neither a
 * 0-byte file under its reserved name nor a temporary one. */
static void check_record_full_disk(void)
{
    char err[256], path[256];
    static uint32_t px[64 * 48];
    Recording r;
    if (output_unique_name(path, sizeof path, OUT_DIR "/rec", ".mp4", err, sizeof err) < 0) {
        CHECK(0, "cannot reserve a name: %s", err);
        return;
    }
    full_disk(1);
    int rc = record_start(&r, path, 64, 48, 1, 15, err, sizeof err);
    for (int i = 0; i < 30 && rc == 0; i++)
        rc = encode_frame(r.enc, px, 64, 1, err, sizeof err);
    char saved[512];
    if (r.enc)
        rc = record_stop(&r, saved, sizeof saved, err, sizeof err) < 0 ? -1 : rc;
    full_disk(0);
    CHECK(rc < 0, "a recording on a full disk succeeded");
    CHECK(access(path, F_OK) != 0 && count_glob(OUT_DIR "/.rec*") == 0, "a failed recording left %s or its temporary",
          path);
}

void test_output(void)
{
    if (system("mkdir -p " OUT_DIR) != 0) {
        CHECK(0, "cannot make " OUT_DIR);
        return;
    }
    check_no_fixed_temporary();
    check_concurrent();
    check_symlink();
    check_modes();
    check_failures();
    check_same_file();
    check_unique_name();
    check_save_full_disk();
    check_record_full_disk();
}
