/* Recordings through the real command line: each format read back by ffprobe (codec,
 * frames, duration), the GIF's loop, PNG frames equal to the screenshots at their steps,
 * and bad input or a full disk ending in one line with nothing under the final name. */
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "pngio.h"
#include "proc.h"

#define SCENE "--headless --size 321x241 --fps 15 --steps 30 --steps-per-frame 2"
#define SCENE_FRAMES 15 /* 30 steps, 2 a frame */

static char dir[512];

static void paths(void)
{
    const char *slash = strrchr(proc_binary, '/');
    snprintf(dir, sizeof dir, "%.*s/test-record", slash ? (int)(slash - proc_binary) : 1,
             slash ? proc_binary : ".");
    mkdir(dir, 0755);
}

/* Runs optiscope with the arguments in fmt; returns its exit status, stderr into err. */
static int run(char *err, size_t errlen, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ProcResult r;
    proc_run_line(line, 120, &r);
    snprintf(err, errlen, "%s", r.err ? r.err : "");
    const int status = r.timed_out ? -1 : r.status;
    proc_free(&r);
    return status;
}

static int one_line(const char *text)
{
    const char *nl = strchr(text, '\n');
    return nl && nl[1] == '\0';
}

/* What ffprobe says about the first video stream, as `key=value` lines. */
static int probe(const char *path, char *out, size_t outlen)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
             "stream=codec_name,pix_fmt,width,height,nb_read_frames:format=duration -of default=nw=1 '%s' 2>&1",
             path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    const size_t n = fread(out, 1, outlen - 1, p);
    out[n] = '\0';
    return pclose(p) == 0 ? 0 : -1;
}

static double field(const char *text, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "%s=", key);
    const char *p = strstr(text, pat);
    return p ? strtod(p + strlen(pat), NULL) : NAN;
}

static int file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char buf[4096];
    const size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    const size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(buf + i, needle, k) == 0)
            return 1;
    return 0;
}

/* Names in folder d that start with prefix (a temporary file left behind, say). */
static int count_entries(const char *d, const char *prefix)
{
    DIR *dp = opendir(d);
    if (!dp)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0 && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(dp);
    return n;
}

static void check_format(const char *name, const char *codec, const char *pix, int w, int h, const char *extra,
                         int frames, double seconds)
{
    char path[600], err[512], info[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    remove(path);
    const int rc = run(err, sizeof err, SCENE " %s --record %s", extra, path);
    CHECK(rc == 0, "--record %s: exit %d: %s", name, rc, err);
    if (rc != 0)
        return;
    CHECK(probe(path, info, sizeof info) == 0, "ffprobe cannot read %s: %s", path, info);
    char want[64];
    snprintf(want, sizeof want, "codec_name=%s\n", codec);
    CHECK(strstr(info, want), "%s: want codec %s:\n%s", name, codec, info);
    snprintf(want, sizeof want, "pix_fmt=%s\n", pix);
    CHECK(strstr(info, want), "%s: want pixels %s:\n%s", name, pix, info);
    CHECK(field(info, "width") == w && field(info, "height") == h, "%s: want %dx%d:\n%s", name, w, h, info);
    CHECK(field(info, "nb_read_frames") == frames, "%s: want %d frames:\n%s", name, frames, info);
    CHECK(fabs(field(info, "duration") - seconds) <= 0.03, "%s: want %.3f s:\n%s", name, seconds, info);
    CHECK(count_entries(dir, ".") == 0, "%s: a temporary file stayed in %s", name, dir);
}

/* MP4 and WebM at even dimensions (the odd last column and row go), a GIF at the size
 * asked, each with the frames and duration asked for, --hold included. */
static void check_formats(void)
{
    check_format("run.mp4", "h264", "yuv420p", 320, 240, "", SCENE_FRAMES, SCENE_FRAMES / 15.0);
    check_format("held.mp4", "h264", "yuv420p", 320, 240, "--hold 2", SCENE_FRAMES + 30, SCENE_FRAMES / 15.0 + 2);
    check_format("run.webm", "vp9", "yuv420p", 320, 240, "--theme light", SCENE_FRAMES, SCENE_FRAMES / 15.0);
    check_format("run.gif", "gif", "bgra", 321, 241, "--hold 1", SCENE_FRAMES + 15, SCENE_FRAMES / 15.0 + 1);
    char path[600];
    snprintf(path, sizeof path, "%s/run.gif", dir);
    CHECK(file_has(path, "NETSCAPE2.0"), "%s has no NETSCAPE2.0 loop block: it would play once", path);
}

/* A run that blows up is reported once, as without --record, even when a GIF draws its
 * frames twice; the others are recorded to the end. */
static void check_divergence(void)
{
    char path[600], err[512];
    snprintf(path, sizeof path, "%s/diverged.gif", dir);
    const int rc = run(err, sizeof err, "--headless --size 320x200 --steps 40 --optimizer sgd:lr=1 --optimizer "
                       "adam:lr=0.01 --record %s", path);
    CHECK(rc == 0 && strstr(err, "sgd diverged at step") && one_line(err),
          "a diverging run recorded: exit %d, stderr '%s'; want 0 and one line 'sgd diverged at step ...'", rc, err);
    remove(path);
}

/* Small enough to embed: 10 s of the default scene at 800x600 under 5 MB. */
static void check_gif_size(void)
{
    char path[600], err[512];
    snprintf(path, sizeof path, "%s/ten.gif", dir);
    const int rc = run(err, sizeof err, "--headless --size 800x600 --steps 3000 --steps-per-frame 10 --record %s",
                       path);
    struct stat st;
    CHECK(rc == 0 && stat(path, &st) == 0 && st.st_size < 5 * 1024 * 1024,
          "a 10 s 800x600 GIF: exit %d (%s), %.1f MB, want under 5 MB", rc, err,
          rc == 0 && stat(path, &st) == 0 ? st.st_size / 1048576.0 : -1.0);
    remove(path);
}

/* Equal but for rounding: a frame's trails grow a few segments at a time, blended onto
 * what is there, where a screenshot strokes each trail as one shape, so where a trail
 * crosses itself or a translucent panel a channel may round a level or two apart. */
#define SAME_LEVELS 2
#define SAME_SHARE 0.001 /* of the pixels, at most this many may differ at all */

static int same_png(const char *a, const char *b)
{
    int wa, ha, wb, hb;
    uint32_t *pa = NULL, *pb = NULL;
    int same = pngio_read(a, &wa, &ha, &pa) == 0 && pngio_read(b, &wb, &hb, &pb) == 0 && wa == wb && ha == hb;
    long differ = 0;
    for (long i = 0; same && i < (long)wa * ha; i++) {
        for (int s = 0; s < 24 && pa[i] != pb[i]; s += 8)
            same &= abs((int)((pa[i] >> s) & 255) - (int)((pb[i] >> s) & 255)) <= SAME_LEVELS;
        differ += pa[i] != pb[i];
    }
    same &= differ <= SAME_SHARE * wa * ha;
    free(pa);
    free(pb);
    return same;
}

static int csv_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int n = 0;
    for (int c; (c = fgetc(f)) != EOF;)
        n += c == '\n';
    fclose(f);
    return n;
}

/* Frames numbered from 1 without a gap, the first and the last equal to the screenshots
 * after their steps (3 and 10 of 10, 3 a frame: 4 frames), a CSV of every step. */
static void check_frames(void)
{
    char frames[600], err[512], shot[700], name[700];
    snprintf(frames, sizeof frames, "%s/frames/", dir);
    snprintf(name, sizeof name, "rm -rf '%s'", frames);
    CHECK(system(name) == 0, "cannot clear %s", frames);
    const char *common = "--headless --size 320x200 --scale 1.5 --theme light --optimizer adam:lr=0.1 "
                         "--optimizer sgd:lr=0.002";
    int rc = run(err, sizeof err, "%s --steps 10 --steps-per-frame 3 --record %s", common, frames);
    CHECK(rc == 0, "--record %s: exit %d: %s", frames, rc, err);
    int n = 0;
    for (;; n++) {
        snprintf(name, sizeof name, "%sframe-%04d.png", frames, n + 1);
        if (access(name, F_OK) != 0)
            break;
    }
    CHECK(n == 4, "%d frames in %s, want 4 numbered from frame-0001.png", n, frames);
    CHECK(count_entries(frames, "frame-") == n, "%s holds frames beside frame-0001..%04d", frames, n);
    snprintf(name, sizeof name, "%ssteps.csv", frames);
    CHECK(csv_lines(name) == 1 + 2 * 11, "%s: %d lines, want a header and 2 runs x 11 points", name,
          csv_lines(name));
    for (int k = 0; k < 2; k++) {
        const int steps = k == 0 ? 3 : 10;
        snprintf(shot, sizeof shot, "%s/shot-%d.png", dir, steps);
        rc = run(err, sizeof err, "%s --steps %d --screenshot %s", common, steps, shot);
        CHECK(rc == 0, "screenshot after %d steps: exit %d: %s", steps, rc, err);
        snprintf(name, sizeof name, "%sframe-%04d.png", frames, k == 0 ? 1 : n);
        CHECK(same_png(name, shot), "%s differs from the screenshot after %d steps %s", name, steps, shot);
    }
    rc = run(err, sizeof err, "%s --steps 10 --record %s", common, frames);
    CHECK(rc == 2 && one_line(err) && strstr(err, "not an empty folder"),
          "recording into a folder of frames again: exit %d, '%s'; want 2 and one line", rc, err);
}

/* Each mistake: one line naming it, the exit status, nothing under the final name. */
static void check_refused(const char *args, int status, const char *says, const char *leftover)
{
    char err[512];
    if (leftover)
        remove(leftover);
    const int rc = run(err, sizeof err, "%s", args);
    CHECK(rc == status && one_line(err) && strstr(err, says), "%s: exit %d, stderr '%s'; want %d and one line with '%s'",
          args, rc, err, status, says);
    CHECK(!leftover || access(leftover, F_OK) != 0, "%s: left %s", args, leftover);
}

/* A disk too small for the file: a 64 KiB tmpfs (which needs root; without it, the check is
 * skipped with a note). */
static void check_full_disk(void)
{
    char mnt[600], out[700], args[1024];
    snprintf(mnt, sizeof mnt, "%s/tiny", dir);
    mkdir(mnt, 0755);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=64k") != 0) {
        fprintf(stderr, "record: full disk not simulated (mounting a tmpfs needs root)\n");
        return;
    }
    static const char *const names[] = { "full.mp4", "full.gif", "full/" };
    for (int i = 0; i < 3; i++) {
        snprintf(out, sizeof out, "%s/%s", mnt, names[i]);
        snprintf(args, sizeof args, "--headless --size 640x480 --steps 60 --steps-per-frame 1 --record %s", out);
        check_refused(args, 1, "No space left on device", NULL);
        CHECK(count_entries(mnt, "") == 0, "a full disk: %s left files in %s", names[i], mnt);
    }
    umount(mnt);
    rmdir(mnt);
}

/* An FFmpeg without the encoder (libx264 left out of its build, say): one line, exit 1,
 * nothing written. Simulated by preloading tests/stub/no_encoders.c, built beside the program. */
static void check_no_encoder(void)
{
    char lib[600], path[600], args[1024];
    snprintf(lib, sizeof lib, "%s/../no_encoders.so", dir);
    if (access(lib, R_OK) != 0) {
        CHECK(0, "no %s: `make test` builds it", lib);
        return;
    }
    snprintf(path, sizeof path, "%s/none.mp4", dir);
    snprintf(args, sizeof args, "--headless --steps 5 --record %s", path);
    const char *asan = getenv("ASAN_OPTIONS");
    char *saved = asan ? strdup(asan) : NULL;
    setenv("LD_PRELOAD", lib, 1);
    setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 1); /* the sanitized build: ours comes before ASan's */
    check_refused(args, 1, "this FFmpeg has no libx264 encoder", path);
    unsetenv("LD_PRELOAD");
    if (saved)
        setenv("ASAN_OPTIONS", saved, 1);
    else
        unsetenv("ASAN_OPTIONS");
    free(saved);
    CHECK(count_entries(dir, ".") == 0, "no encoder: a temporary file stayed in %s", dir);
}

/* Starts a long recording into `out` in folder `sub`, sends `sig` once its temporary file is
 * there, and returns how the program ended (128+N when a signal ended it). Forked here, not
 * through a shell, whose background jobs start with SIGINT ignored. */
static int interrupted(const char *sub, const char *out, int sig)
{
    const pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        freopen("/dev/null", "w", stderr);
        execl(proc_binary, proc_binary, "--headless", "--size", "640x480", "--steps", "100000", "--steps-per-frame",
              "1", "--record", out, (char *)NULL);
        _exit(127);
    }
    if (pid < 0)
        return -1;
    const struct timespec tick = { 0, 50000000 };
    for (int i = 0; i < 400 && count_entries(sub, ".") == 0; i++)
        nanosleep(&tick, NULL);
    nanosleep(&tick, NULL);
    kill(pid, sig);
    int status;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Ctrl+C, SIGTERM or SIGHUP in the middle of a recording of each kind: the program dies of
 * the signal, leaving neither the final name nor its temporary file or folder. */
static void check_interrupted(void)
{
    char sub[600], out[700];
    snprintf(sub, sizeof sub, "%s/sig", dir);
    static const char *const names[] = { "o.mp4", "o.webm", "o.gif", "frames/" };
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
            mkdir(sub, 0755);
            snprintf(out, sizeof out, "%s/%s", sub, names[i]);
            const int status = interrupted(sub, out, sigs[k]);
            CHECK(status == 128 + sigs[k], "%s, signal %d: ended with %d", names[i], sigs[k], status);
            CHECK(count_entries(sub, "") == 0, "%s, signal %d: left %d files in %s", names[i], sigs[k],
                  count_entries(sub, ""), sub);
            char cmd[800];
            snprintf(cmd, sizeof cmd, "rm -rf '%s'", sub);
            if (system(cmd) != 0)
                CHECK(0, "cannot remove %s", sub);
        }
}

static void check_bad_input(void)
{
    char path[600], args[1024];
    snprintf(path, sizeof path, "%s/bad.avi", dir);
    snprintf(args, sizeof args, "--headless --record %s", path);
    check_refused(args, 2, "--record must name a .mp4, .webm or .gif file or a folder ending in /", path);
    check_refused("--headless --record /proc/run.mp4", 2, "takes no new files", "/proc/run.mp4");
    check_refused("--headless --record /nonexistent-folder/f/", 2, "takes no new files", NULL);
    /* The folder blamed is the one missing, not '.'; a folder named like a file, and a size
     * FFmpeg cannot encode, are found before anything runs. */
    check_refused("--headless --record /nonexistent-folder/o.mp4", 2, "folder '/nonexistent-folder' takes no new files",
                  NULL);
    snprintf(args, sizeof args, "--headless --record %s/no-such-sub/o.gif", dir);
    char says[700];
    snprintf(says, sizeof says, "folder '%s/no-such-sub' takes no new files", dir);
    check_refused(args, 2, says, NULL);
    snprintf(path, sizeof path, "%s/folder.mp4", dir);
    mkdir(path, 0755);
    snprintf(args, sizeof args, "--headless --steps 5 --record %s", path);
    check_refused(args, 2, "it is a folder (a folder of frames is named with a / at the end)", NULL);
    rmdir(path);
    snprintf(path, sizeof path, "%s/huge.mp4", dir);
    snprintf(args, sizeof args, "--headless --steps 5 --size 16384x16384 --record %s", path);
    check_refused(args, 2, "cannot record 16384x16384 pixels: FFmpeg takes at most", path);
    snprintf(path, sizeof path, "%s/zero.mp4", dir);
    snprintf(args, sizeof args, "--headless --fps 0 --record %s", path);
    check_refused(args, 2, "--fps must be a whole number from 1 to 120", path);
    snprintf(args, sizeof args, "--headless --steps-per-frame 0 --record %s", path);
    check_refused(args, 2, "--steps-per-frame must be a whole number", path);
    snprintf(args, sizeof args, "--headless --hold -1 --record %s", path);
    check_refused(args, 2, "--hold must be a number from 0 to 60", path);
    snprintf(args, sizeof args, "--record %s", path);
    check_refused(args, 2, "--record needs --headless", path);
    check_full_disk();
    check_no_encoder();
}

void test_record(void)
{
    paths();
    char probe_out[256];
    const int have_ffprobe = probe("/dev/null", probe_out, sizeof probe_out) == 0 || strstr(probe_out, "/dev/null");
    CHECK(have_ffprobe, "no ffprobe: `make deps-test` installs ffmpeg");
    if (have_ffprobe)
        check_formats();
    check_gif_size();
    check_divergence();
    check_frames();
    check_bad_input();
    check_interrupted();
}
