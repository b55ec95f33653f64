/* The real window, end to end: a private Xvfb server, optiscope on it, keys and a click
 * sent with xdotool, and the state it dumps on quitting checked action by action. Also:
 * with no display at all the program must stop at once and point to --headless. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "../src/core/config.h"
#include "check.h"
#include "layout_check.h"
#include "proc.h"

#define DISPLAY_FIRST 91
#define DISPLAY_LAST 99
#define XVFB_WAIT 10.0   /* seconds for the server's socket to appear */
#define WINDOW_WAIT 10.0 /* seconds for the window to be mapped */
#define WINDOW_SETTLE 0.5 /* seconds the same window must stay before it is driven */
#define EXIT_WAIT 15.0   /* seconds for the program to exit after Q */
#define TOOL_WAIT 5.0    /* seconds for one xdotool command */
#define KEY_GAP 0.15     /* seconds between two inputs, so each frame sees one */
#define NO_DISPLAY_WAIT 5.0
#define ENDURE_PAUSE 1.0 /* seconds the program gets to take in a change of its window */
#define IDLE_SETTLE 3.5  /* seconds for the scene's stop message to fade (2.5 s shown, 0.6 s fading) */
#define IDLE_MEASURE 10.0 /* seconds the paused window is watched ... */
#define IDLE_CPU 0.1      /* ... and the processor time it may take in them */

/* The click, in window coordinates: inside the map of a 1280x800 window, off its centre
 * so that a mix-up of the axes shows. */
#define CLICK_X 500
#define CLICK_Y 250
/* In the legend, at the right of the 1280x800 window, halfway down its three rows: the
 * second run's row. */
#define LEGEND_X 1200
#define LEGEND_Y 115

typedef struct {
    char binary[512]; /* optiscope, by its absolute path */
    char dir[512];   /* where the logs and the dump go */
    char dump[600], app_log[600], xvfb_log[600], xdo_log[600];
    char display[16];
    pid_t xvfb, app;
    int app_status; /* exit status once app is reaped, else -1 */
    char window[32];
} Session;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void nap(double s)
{
    struct timespec t = { (time_t)s, (long)((s - (time_t)s) * 1e9) };
    while (nanosleep(&t, &t) < 0 && errno == EINTR) {
    }
}

static int on_path(const char *name)
{
    const char *path = getenv("PATH");
    char buf[1024];
    for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
        const size_t n = strcspn(p, ":");
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, name);
        if (n && access(buf, X_OK) == 0)
            return 1;
        p += n + (p[n] == ':');
    }
    return 0;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    const long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)(n > 0 ? n : 0) + 1);
    buf[n > 0 ? fread(buf, 1, (size_t)n, f) : 0] = '\0';
    fclose(f);
    return buf;
}

/* Forks argv with DISPLAY set (or removed when display is NULL), in the folder cwd (NULL:
 * this one), both outputs sent to log. The child dies with the test runner, so a killed
 * runner leaves no server behind. */
static pid_t spawn(char *const *argv, const char *display, const char *log, const char *cwd)
{
    fflush(NULL);
    const pid_t pid = fork();
    if (pid != 0)
        return pid;
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    const int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
    }
    if (display)
        setenv("DISPLAY", display, 1);
    else
        unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    unsetenv("SDL_VIDEODRIVER");
    if (cwd && chdir(cwd) != 0)
        _exit(126);
    execvp(argv[0], argv);
    _exit(127);
}

/* Waits up to timeout seconds; returns the exit status (128+N for signal N), or -1 when the
 * process still runs. */
static int wait_for(pid_t pid, double timeout)
{
    const double end = now() + timeout;
    for (;;) {
        int status;
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (done < 0 || now() > end)
            return -1;
        nap(0.005);
    }
}

/* Ends a child for good: sig first, SIGKILL if it has not gone after grace seconds. */
static void stop(pid_t *pid, int sig, double grace)
{
    if (*pid <= 0)
        return;
    kill(*pid, sig);
    if (wait_for(*pid, grace) < 0) {
        kill(*pid, SIGKILL);
        waitpid(*pid, NULL, 0);
    }
    *pid = 0;
}

/* Runs `xdotool ARGS...` (NULL-terminated) on the session's display; its output goes to
 * out. Returns its exit status, or -1 when it had to be killed. */
static int xdo(const Session *s, char *out, size_t outlen, ...)
{
    char *argv[16] = { "xdotool" };
    int n = 1;
    va_list ap;
    va_start(ap, outlen);
    for (char *a; n < 15 && (a = va_arg(ap, char *)) != NULL;)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    const char *log = s->xdo_log;
    pid_t pid = spawn(argv, s->display, log, NULL);
    int rc = pid > 0 ? wait_for(pid, TOOL_WAIT) : -1;
    if (rc < 0)
        stop(&pid, SIGKILL, 0);
    if (out && outlen) {
        char *text = slurp(log);
        snprintf(out, outlen, "%s", text ? text : "");
        free(text);
        out[strcspn(out, "\n")] = '\0';
    }
    return rc;
}

/* The server owns display n once its socket exists and the lock file holds its pid. */
static int server_ready(int n, pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/.X11-unix/X%d", n);
    if (!exists(path))
        return 0;
    snprintf(path, sizeof path, "/tmp/.X%d-lock", n);
    char *lock = slurp(path);
    const int ours = lock && atol(lock) == (long)pid;
    free(lock);
    return ours;
}

/* Starts Xvfb on the first free display from :91 to :99. A display another server takes
 * at the same moment makes ours exit; then the next number is tried. */
static int start_xvfb(Session *s)
{
    for (int n = DISPLAY_FIRST; n <= DISPLAY_LAST; n++) {
        char sock[64], lock[64];
        snprintf(sock, sizeof sock, "/tmp/.X11-unix/X%d", n);
        snprintf(lock, sizeof lock, "/tmp/.X%d-lock", n);
        if (exists(sock) || exists(lock))
            continue;
        snprintf(s->display, sizeof s->display, ":%d", n);
        /* -noreset: an X server resets when its last client leaves, and a window search
         * that ends before optiscope connects would make optiscope's connection fail
         * (SDL then falls back to an invisible offscreen window). */
        char *argv[] = { "Xvfb", s->display, "-screen", "0", "1400x900x24", "-nolisten", "tcp", "-noreset", NULL };
        s->xvfb = spawn(argv, NULL, s->xvfb_log, NULL);
        if (s->xvfb < 0)
            return -1;
        const double end = now() + XVFB_WAIT;
        while (now() < end) {
            if (server_ready(n, s->xvfb))
                return 0;
            if (waitpid(s->xvfb, NULL, WNOHANG) == s->xvfb) {
                s->xvfb = 0;
                break;
            }
            nap(0.01);
        }
        if (s->xvfb) {
            char *log = slurp(s->xvfb_log);
            CHECK(0, "Xvfb %s: no socket after %.0f s: %s", s->display, XVFB_WAIT, log ? log : "");
            free(log);
            return -1;
        }
    }
    CHECK(0, "no free X display from :%d to :%d (or Xvfb would not start, see %s)", DISPLAY_FIRST, DISPLAY_LAST,
          s->xvfb_log);
    return -1;
}

static int app_running(Session *s)
{
    if (s->app <= 0)
        return 0;
    const int rc = wait_for(s->app, 0);
    if (rc < 0)
        return 1;
    s->app_status = rc;
    s->app = 0;
    return 0;
}

static void report_app_log(const Session *s, const char *what)
{
    char *log = slurp(s->app_log);
    CHECK(0, "%s; optiscope's output: %s", what, log && *log ? log : "(none)");
    free(log);
}

/* Polls for the mapped window (not --sync, so that a program that died is noticed). SDL
 * may replace its first window by a new one when it makes the renderer, so the window
 * counts only once the same one has been there for WINDOW_SETTLE seconds. */
static int find_window(Session *s)
{
    const double end = now() + WINDOW_WAIT;
    char seen[32] = "";
    double since = 0;
    while (now() < end) {
        if (!app_running(s)) {
            char what[96];
            snprintf(what, sizeof what, "optiscope exited with status %d before showing its window", s->app_status);
            report_app_log(s, what);
            return -1;
        }
        char out[64] = "";
        /* The title is "optiscope — " and the scene's title or the function (xdotool's
         * pattern is matched byte by byte in the C locale, so the dash is left out). */
        xdo(s, out, sizeof out, "search", "--onlyvisible", "--name", "^optiscope ", (char *)NULL);
        if (strspn(out, "0123456789") != strlen(out) || strcmp(out, seen) != 0) {
            snprintf(seen, sizeof seen, "%s", out);
            since = now();
        } else if (seen[0] && now() - since >= WINDOW_SETTLE) {
            snprintf(s->window, sizeof s->window, "%s", seen);
            return 0;
        }
        nap(0.05);
    }
    report_app_log(s, "no visible window named optiscope that stays");
    return -1;
}

static int has_focus(const Session *s)
{
    char out[64] = "";
    xdo(s, out, sizeof out, "getwindowfocus", (char *)NULL);
    return strcmp(out, s->window) == 0;
}

/* Without a window manager nobody gives the window the keyboard: set the focus and check it. */
static int focus_window(const Session *s)
{
    for (int tries = 0; tries < 3; tries++) {
        xdo(s, NULL, 0, "windowfocus", "--sync", s->window, (char *)NULL);
        if (has_focus(s))
            return 0;
        nap(0.2);
    }
    char out[64] = "";
    xdo(s, out, sizeof out, "getwindowfocus", (char *)NULL);
    CHECK(0, "focus is on '%s', not on the optiscope window %s", out, s->window);
    return -1;
}

/* Each key as the X server's keyboard (XTEST) to the focused window, with a pause. */
static int keys(const Session *s, const char *const *list)
{
    for (; *list; list++) {
        const int rc = xdo(s, NULL, 0, "key", *list, (char *)NULL);
        CHECK(rc == 0, "xdotool key %s: status %d", *list, rc);
        if (rc != 0)
            return -1;
        nap(KEY_GAP);
    }
    return 0;
}

static int click(const Session *s, int x, int y)
{
    char cx[16], cy[16];
    snprintf(cx, sizeof cx, "%d", x);
    snprintf(cy, sizeof cy, "%d", y);
    const int rc =
        xdo(s, NULL, 0, "mousemove", "--window", s->window, "--sync", cx, cy, "click", "1", (char *)NULL);
    CHECK(rc == 0, "xdotool mousemove/click at %d,%d: status %d", x, y, rc);
    nap(KEY_GAP);
    return rc == 0 ? 0 : -1;
}

/* The numbers of the array after "key": [ in the dump; returns how many were read. */
static int json_array(const char *json, const char *key, double *v, int n)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": [", key);
    const char *p = strstr(json, pat);
    if (!p)
        return 0;
    p += strlen(pat);
    int i = 0;
    for (char *end; i < n; i++, p = end + 1) {
        v[i] = strtod(p, &end);
        if (end == p || (*end != ',' && *end != ']'))
            break;
    }
    return i;
}

/* A number "key": V between from and to; NAN when absent. */
static double json_num(const char *from, const char *to, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(from, pat);
    if (!p || (to && p >= to))
        return NAN;
    char *end;
    const double v = strtod(p + strlen(pat), &end);
    return end == p + strlen(pat) ? NAN : v;
}

/* A run's hyperparameter: the run is the dump's line with this label. */
static double hyper(const char *json, const char *label, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "{\"label\": \"%s\"", label);
    const char *run = strstr(json, pat);
    const char *h = run ? strstr(run, "\"hyper\": {") : NULL;
    const char *end = h ? strchr(h, '}') : NULL;
    return end ? json_num(h, end, key) : NAN;
}

static int near(double a, double b)
{
    return fabs(a - b) <= 1e-12 * fabs(b);
}

static void check_hyper(const char *json, const char *label, const char *key, double want, const char *why)
{
    const double v = hyper(json, label, key);
    CHECK(near(v, want), "%s %s = %.17g, want %.17g (%s)", label, key, v, want, why);
}

static void check_dump(const char *json)
{
    CHECK(strstr(json, "\"function\": \"beale\""), "function is not beale after F (from rosenbrock):\n%s", json);
    CHECK(strstr(json, "\"paused\": true"), "not paused after Space:\n%s", json);
    CHECK(strstr(json, "\"selected\": 1"), "selected run is not the second after a click on its legend row:\n%s", json);
    double legend[4];
    CHECK(json_array(json, "legend", legend, 4) == 4 && LEGEND_X >= legend[0] && LEGEND_X < legend[0] + legend[2] &&
              LEGEND_Y > legend[1] + legend[3] / 3 && LEGEND_Y < legend[1] + 2 * legend[3] / 3,
          "the legend click at %d,%d is not on the second row of the legend in the dump:\n%s", LEGEND_X, LEGEND_Y,
          json);
    check_hyper(json, "adam", "lr", 0.01 * 1.25 * 1.25, "Up twice on run 1");
    check_hyper(json, "adam", "beta1", 0.9, "M and Shift+M were meant for other runs");
    check_hyper(json, "sgd", "lr", 0.001 / 1.25, "Down once on run 2, after Tab");
    check_hyper(json, "sgd", "momentum", 0.55, "M on run 2");
    check_hyper(json, "rmsprop", "momentum", 0.45, "Shift+M on run 3, after the 3 key");
    check_hyper(json, "rmsprop", "lr", 0.01, "no lr key for run 3");

    double view[4], map[4], start[2];
    const int ok = json_array(json, "view", view, 4) == 4 && json_array(json, "map_pixels", map, 4) == 4 &&
                   json_array(json, "start", start, 2) == 2;
    CHECK(ok, "no view, map_pixels or start in the dump:\n%s", json);
    if (!ok)
        return;
    CHECK(CLICK_X >= map[0] && CLICK_X < map[0] + map[2] && CLICK_Y >= map[1] && CLICK_Y < map[1] + map[3],
          "the click at %d,%d is outside the map [%g %g %g %g]", CLICK_X, CLICK_Y, map[0], map[1], map[2], map[3]);
    const double px_w = (view[1] - view[0]) / map[2], px_h = (view[3] - view[2]) / map[3];
    const double x = view[0] + (CLICK_X + 0.5 - map[0]) * px_w;
    const double y = view[3] - (CLICK_Y + 0.5 - map[1]) * px_h;
    CHECK(fabs(start[0] - x) <= px_w && fabs(start[1] - y) <= px_h,
          "start (%.9g, %.9g) after the click at %d,%d, want (%.9g, %.9g) within a pixel (%.3g, %.3g)", start[0],
          start[1], CLICK_X, CLICK_Y, x, y, px_w, px_h);
}

/* After the last input (which ends with Q): the program must exit 0 and leave its dump. */
static void finish(Session *s, void (*check)(const char *json))
{
    s->app_status = wait_for(s->app, EXIT_WAIT);
    if (s->app_status < 0) {
        report_app_log(s, "optiscope still runs 15 s after Q");
        return;
    }
    s->app = 0;
    if (s->app_status != 0) {
        char what[64];
        snprintf(what, sizeof what, "optiscope exited with status %d after Q", s->app_status);
        report_app_log(s, what);
        return;
    }
    char *json = slurp(s->dump);
    CHECK(json != NULL, "no state dump at %s", s->dump);
    if (json)
        check(json);
    free(json);
}

/* Keys and a click whose effects are told apart in the dump: each run gets a different
 * change, and the click comes after F, which resets the start to beale's own. */
static void drive_controls(Session *s)
{
    static const char *const before_click[] = {
        "Up", "Up",            /* run 1 (adam): lr x 1.25 x 1.25 */
        "Tab", "m", "Down",    /* run 2 (sgd): momentum + 0.05, lr / 1.25 */
        "3", "shift+m",        /* run 3 (rmsprop): momentum - 0.05 */
        "f",                   /* rosenbrock -> beale, view and start reset */
        NULL,
    };
    static const char *const after_click[] = { "space", "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, before_click) < 0 || click(s, CLICK_X, CLICK_Y) < 0 ||
        click(s, LEGEND_X, LEGEND_Y) < 0)
        return;
    if (!has_focus(s)) {
        CHECK(0, "the optiscope window %s lost the keyboard focus while being driven", s->window);
        return;
    }
    if (keys(s, after_click) < 0)
        return;
    finish(s, check_dump);
}

/* One thing done to the window, then a pause for the program to take it in; it must still
 * be running after it. */
static int endure(Session *s, const char *what, ...)
{
    char *argv[8];
    int n = 0;
    va_list ap;
    va_start(ap, what);
    for (char *a; n < 7 && (a = va_arg(ap, char *)) != NULL;)
        argv[n++] = a;
    va_end(ap);
    const int rc = xdo(s, NULL, 0, argv[0], n > 1 ? argv[1] : NULL, n > 2 ? argv[2] : NULL, n > 3 ? argv[3] : NULL,
                       n > 4 ? argv[4] : NULL, (char *)NULL);
    CHECK(rc == 0, "xdotool %s (%s): status %d", argv[0], what, rc);
    nap(ENDURE_PAUSE);
    if (!app_running(s)) {
        char msg[128];
        snprintf(msg, sizeof msg, "optiscope ended with status %d after %s", s->app_status, what);
        report_app_log(s, msg);
        return -1;
    }
    return rc == 0 ? 0 : -1;
}

static void check_system_dump(const char *json)
{
    CHECK(strstr(json, "\"paused\": true"), "Space after the resizes did not pause:\n%s", json);
    CHECK(strstr(json, "\"message\": \"cannot write screenshot"),
          "S in a folder that takes no files gave no message about it:\n%s", json);
    double map[4];
    CHECK(json_array(json, "map_pixels", map, 4) == 4 && map[0] + map[2] <= 1280 && map[1] + map[3] <= 800 &&
              map[2] > 640 && map[3] > 400,
          "after resizing back to 1280x800 the map is not fitted to it:\n%s", json);
}

/* What a window goes through on a lecturer's laptop: squeezed to almost nothing, stretched
 * past the screen, minimised (without a window manager: unmapped) and restored, the focus
 * lost to another window and given back, and a screenshot asked for where no file can go.
 * After each it must still run, and then answer keys as before. */
static void drive_system(Session *s)
{
    char root[32] = "";
    if (find_window(s) < 0 || focus_window(s) < 0)
        return;
    if (endure(s, "a 40x30 window", "windowsize", s->window, "40", "30", (char *)NULL) < 0 ||
        endure(s, "a 9000x6000 window", "windowsize", s->window, "9000", "6000", (char *)NULL) < 0 ||
        endure(s, "back to 1280x800", "windowsize", s->window, "1280", "800", (char *)NULL) < 0 ||
        endure(s, "the window unmapped", "windowunmap", s->window, (char *)NULL) < 0 ||
        endure(s, "the window mapped again", "windowmap", s->window, (char *)NULL) < 0)
        return;
    xdo(s, root, sizeof root, "search", "--maxdepth", "0", "--name", "", (char *)NULL);
    CHECK(root[0] && strspn(root, "0123456789") == strlen(root), "no root window id from xdotool: '%s'", root);
    if (!root[0] || endure(s, "the focus given to the root window", "windowfocus", root, (char *)NULL) < 0)
        return;
    static const char *const last[] = { "space", "s", "q", NULL };
    if (focus_window(s) < 0 || keys(s, last) < 0)
        return;
    finish(s, check_system_dump);
}

static void session_paths(Session *s)
{
    /* Absolute, as the program may run in another folder. */
    char here[400] = ".";
    if (proc_binary[0] != '/' && !getcwd(here, sizeof here))
        snprintf(here, sizeof here, ".");
    if (proc_binary[0] == '/')
        snprintf(s->binary, sizeof s->binary, "%s", proc_binary);
    else
        snprintf(s->binary, sizeof s->binary, "%s/%s", here, proc_binary);
    const char *slash = strrchr(s->binary, '/');
    snprintf(s->dir, sizeof s->dir, "%.*s/test-window", (int)(slash - s->binary), s->binary);
    mkdir(s->dir, 0755);
    /* The pid keeps two test runs at the same time apart. */
    const int pid = (int)getpid();
    snprintf(s->dump, sizeof s->dump, "%s/state-%d.json", s->dir, pid);
    snprintf(s->app_log, sizeof s->app_log, "%s/optiscope-%d.log", s->dir, pid);
    snprintf(s->xvfb_log, sizeof s->xvfb_log, "%s/xvfb-%d.log", s->dir, pid);
    snprintf(s->xdo_log, sizeof s->xdo_log, "%s/xdotool-%d.log", s->dir, pid);
}

/* A private X server, optiscope on it with args (NULL-terminated) and --dump-state, started
 * in the folder cwd (NULL: this one), showing its frames the way `present` names
 * (OPTISCOPE_PRESENT), driven by drive; logs stay when a check failed. */
static void session(char *const *args, const char *cwd, const char *present, void (*drive)(Session *))
{
    setenv("OPTISCOPE_PRESENT", present, 1);
    Session s = { .app_status = -1 };
    session_paths(&s);
    const int before = check_failed;
    if (start_xvfb(&s) == 0) {
        char *argv[40] = { s.binary };
        int n = 1;
        for (; args[n - 1] && n < 37; n++)
            argv[n] = args[n - 1];
        argv[n++] = "--dump-state";
        argv[n++] = s.dump;
        argv[n] = NULL;
        s.app = spawn(argv, s.display, s.app_log, cwd);
        CHECK(s.app > 0, "cannot fork optiscope");
        if (s.app > 0)
            drive(&s);
    }
    unsetenv("OPTISCOPE_PRESENT");
    stop(&s.app, SIGKILL, 0);
    stop(&s.xvfb, SIGTERM, 2);
    if (check_failed == before) { /* on a failure they stay, for a look */
        remove(s.dump);
        remove(s.app_log);
        remove(s.xvfb_log);
        remove(s.xdo_log);
    }
}

/* Where the layout session's S saves (--screenshot-dir): the folder of the window logs. */
static char shot_dir[400];

static void check_layout_dump(const char *json)
{
    layout_check_dump(json, 1280, 720, 1.5, 9, "window 1280x720 font 1.5, 9 runs, plots");
    CHECK(strstr(json, "\"status\": [") != NULL, "the window's layout has no status line:\n%s", json);
    CHECK(strstr(json, "\"legend\": \"compact\"") != NULL, "K once is not the compact legend:\n%s", json);
    const unsigned panels = SHOW_CURVATURE | SHOW_SHARPNESS | SHOW_BASINS;
    const char *shown = strstr(json, "\"shown\": ");
    CHECK(shown && (strtoul(shown + 9, NULL, 10) & panels) == panels,
          "J, A and U did not turn on the curvature readout, the sharpness plots and the basin map:\n%s", json);
    char want[480], path[480];
    snprintf(want, sizeof want, "\"message\": \"saved %s/optiscope-", shot_dir);
    const char *saved = strstr(json, want);
    CHECK(saved != NULL, "S did not save in --screenshot-dir %s:\n%s", shot_dir, json);
    if (saved && sscanf(saved + strlen("\"message\": \"saved "), "%479s", path) == 1)
        CHECK(remove(path) == 0, "S said it saved %s, which is not there", path);
}

/* The layout in the window at a classroom's size and text: K, L twice and G, the curvature
 * readout, the sharpness plots and the basin map, a picture for slides, then the dump. */
static void drive_layout(Session *s)
{
    static const char *const list[] = { "k", "l", "l", "g", "j", "a", "u", "s", "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, list) < 0)
        return;
    finish(s, check_layout_dump);
}

static void check_typed_dump(const char *json)
{
    CHECK(strstr(json, "\"function_spec\": \"expr:x^2 + 10*y^2 + 3*sin(3*x)\""),
          "E, the formula typed and Enter did not make it the function:\n%s", json);
    CHECK(strstr(json, "\"minima_found\": [[") && strstr(json, "\"edit\": {\"open\": false"),
          "no minima found for the typed formula, or the line still open:\n%s", json);
}

/* A lecturer's own function: E, the old formula erased, the new one typed, Enter. The keys
 * typed ("q" in "sqrt", say) must not drive the app while the line is open. */
static void drive_typed(Session *s)
{
    static const char *const open[] = { "e", "BackSpace", NULL }, *const close[] = { "Return", "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, open) < 0)
        return;
    const int rc = xdo(s, NULL, 0, "type", "--delay", "40", "x^2 + 10*y^2 + 3*sin(3*x)", (char *)NULL);
    CHECK(rc == 0, "xdotool type: status %d", rc);
    nap(KEY_GAP);
    if (rc != 0 || keys(s, close) < 0)
        return;
    finish(s, check_typed_dump);
}

static void check_parameter_dump(const char *json)
{
    CHECK(strstr(json, "\"function_spec\": \"quadratic:a=1,b=20") && strstr(json, "\"edit\": {\"open\": false"),
          "=, `b = 20` and Enter did not set the quadratic's b:\n%s", json);
}

/* A function's parameter typed live: =, the prefilled `lr = ...` erased, `b = 20`, Enter. */
static void drive_parameter(Session *s)
{
    static const char *const open[] = { "equal", "End", NULL }, *const close[] = { "Return", "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, open) < 0)
        return;
    for (int i = 0; i < 24; i++)
        xdo(s, NULL, 0, "key", "BackSpace", (char *)NULL);
    const int rc = xdo(s, NULL, 0, "type", "--delay", "40", "b = 20", (char *)NULL);
    CHECK(rc == 0, "xdotool type: status %d", rc);
    nap(KEY_GAP);
    if (rc != 0 || keys(s, close) < 0)
        return;
    finish(s, check_parameter_dump);
}

static void check_open_line_dump(const char *json)
{
    CHECK(strstr(json, "\"edit\": {\"open\": true") && strstr(json, "\"error\": \"unknown name 'sinn'\"") &&
              strstr(json, "\"error_column\": 1,"),
          "a misspelt formula did not leave the line open with its error:\n%s", json);
    CHECK(strstr(json, "\"function\": \"rosenbrock\""), "a misspelt formula changed the function:\n%s", json);
    CHECK(strstr(json, "\"input\": ["), "the open line has no box in the layout:\n%s", json);
    layout_check_dump(json, 1280, 800, 1, 1, "window 1280x800 with the input line open");
}

/* The line left open on an error, and the window closed from outside (SDL turns SIGTERM
 * into a quit): the layout with the line's box must hold together. */
static void drive_open_line(Session *s)
{
    static const char *const open[] = { "e", "Home", NULL }, *const enter[] = { "Return", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, open) < 0)
        return;
    const int rc = xdo(s, NULL, 0, "type", "--delay", "40", "sinn(x) + ", (char *)NULL);
    CHECK(rc == 0, "xdotool type: status %d", rc);
    if (rc != 0 || keys(s, enter) < 0)
        return;
    nap(KEY_GAP);
    kill(s->app, SIGTERM);
    finish(s, check_open_line_dump);
}

static void check_help_dump(const char *json)
{
    const char *help = strstr(json, "\"help\": {\"rows\": ");
    int rows = 0, cut = -1, page = 0, pages = 0;
    CHECK(help && sscanf(help, "\"help\": {\"rows\": %d, \"cut\": %d, \"page\": %d, \"pages\": %d", &rows, &cut,
                         &page, &pages) == 4,
          "no help in the dump of a frame with the help open:\n%s", json);
    CHECK(rows > 0 && cut == 0, "the help at 1024x768, font 1.5, drew %d key lines and cut %d", rows, cut);
    CHECK(page == 2 && pages > 2, "H then Page Down shows page %d of %d, not 2", page, pages);
    CHECK(strstr(json, "\"function\": \"rosenbrock\""), "Page Down with the help open turned something else:\n%s",
          json);
}

/* The help at a classroom's size: H opens it, Page Down turns its page, and the window
 * closed from outside dumps how it fits. */
static void drive_help(Session *s)
{
    static const char *const list[] = { "h", "Next", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, list) < 0)
        return;
    nap(KEY_GAP);
    kill(s->app, SIGTERM);
    finish(s, check_help_dump);
}

static void check_palette_dump(const char *json)
{
    CHECK(strstr(json, "\"theme\": \"light\"") && strstr(json, "\"edit\": {\"open\": false"),
          "Ctrl+K, \"theme\" and Enter did not turn the theme light, or left the palette open:\n%s", json);
}

/* The palette: Ctrl+K, "theme" typed (its keys must not drive the app), Enter, then Q. */
static void drive_palette(Session *s)
{
    static const char *const open[] = { "ctrl+k", NULL }, *const close[] = { "Return", "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, open) < 0)
        return;
    const int rc = xdo(s, NULL, 0, "type", "--delay", "40", "theme", (char *)NULL);
    CHECK(rc == 0, "xdotool type: status %d", rc);
    nap(KEY_GAP);
    if (rc != 0 || keys(s, close) < 0)
        return;
    finish(s, check_palette_dump);
}

/* A drag and wheel steps through the X server's pointer (XTEST), in a 1280x800 window
 * showing --view -2,2,-1,3: the drag from DRAG_X,DRAG_Y by DRAG_DX,DRAG_DY in DRAG_MOVES
 * moves, then WHEEL_STEPS steps in at WHEEL_X,WHEEL_Y. */
#define DRAG_X 500
#define DRAG_Y 400
#define DRAG_DX 120
#define DRAG_DY -60
#define DRAG_MOVES 12
#define WHEEL_X 650
#define WHEEL_Y 300
#define WHEEL_STEPS 3

/* The view the drag and the wheel must leave, from the home view and the pixels moved: the
 * drag moves the centre by the pixels dragged, and each wheel step divides the width by
 * 1.2 keeping the point under the pointer where it is. */
static void check_motion_dump(const char *json)
{
    double view[4], map[4];
    if (json_array(json, "view", view, 4) != 4 || json_array(json, "map_pixels", map, 4) != 4) {
        CHECK(0, "no view or map_pixels in the dump:\n%s", json);
        return;
    }
    double unit = fmax(4 / map[2], 4 / map[3]); /* world units per pixel at home */
    double cx = 0 - DRAG_DX * unit, cy = 1 + DRAG_DY * unit;
    const double px = cx + (WHEEL_X + 0.5 - map[0] - map[2] / 2) * unit;
    const double py = cy - (WHEEL_Y + 0.5 - map[1] - map[3] / 2) * unit;
    const double f = pow(1.2, WHEEL_STEPS);
    cx = px + (cx - px) / f, cy = py + (cy - py) / f, unit /= f;
    const double want[4] = { cx - map[2] / 2 * unit, cx + map[2] / 2 * unit, cy - map[3] / 2 * unit,
                             cy + map[3] / 2 * unit };
    for (int k = 0; k < 4; k++)
        CHECK(fabs(view[k] - want[k]) <= 1e-6 * map[2] * unit, "view[%d] = %.12g after the drag and the wheel, want %.12g",
              k, view[k], want[k]);
}

static void drive_motion(Session *s)
{
    char x[16], y[16];
    static const char *const quit[] = { "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0)
        return;
    snprintf(x, sizeof x, "%d", DRAG_X);
    snprintf(y, sizeof y, "%d", DRAG_Y);
    int rc = xdo(s, NULL, 0, "mousemove", "--window", s->window, "--sync", x, y, "mousedown", "1", (char *)NULL);
    for (int k = 1; k <= DRAG_MOVES && rc == 0; k++) {
        snprintf(x, sizeof x, "%d", DRAG_X + DRAG_DX * k / DRAG_MOVES);
        snprintf(y, sizeof y, "%d", DRAG_Y + DRAG_DY * k / DRAG_MOVES);
        rc = xdo(s, NULL, 0, "mousemove", "--window", s->window, "--sync", x, y, (char *)NULL);
        nap(0.03); /* a frame or two of the drag each */
    }
    if (rc == 0)
        rc = xdo(s, NULL, 0, "mouseup", "1", (char *)NULL);
    CHECK(rc == 0, "xdotool drag: status %d", rc);
    nap(KEY_GAP);
    snprintf(x, sizeof x, "%d", WHEEL_X);
    snprintf(y, sizeof y, "%d", WHEEL_Y);
    char steps[16];
    snprintf(steps, sizeof steps, "%d", WHEEL_STEPS);
    if (rc == 0) /* button 4 is the wheel turned up */
        rc = xdo(s, NULL, 0, "mousemove", "--window", s->window, "--sync", x, y, "click", "--repeat", steps, "--delay",
                 "150", "4", (char *)NULL);
    CHECK(rc == 0, "xdotool wheel: status %d", rc);
    nap(0.5); /* the refinement runs; quitting must not wait for it or trip over it */
    if (rc == 0 && keys(s, quit) == 0)
        finish(s, check_motion_dump);
}

/* The processor time a process took so far, from /proc/PID/stat; -1 when unknown. */
static double cpu_seconds(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    const size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the name may hold spaces; the fields follow it */
    unsigned long utime, stime;
    if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
        return -1;
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

static void check_idle_dump(const char *json)
{
    CHECK(strstr(json, "\"paused\": true"), "the window was not paused by --steps:\n%s", json);
}

/* Paused with the mouse still, nothing changes: the window must sleep, not draw. */
static void drive_idle(Session *s)
{
    static const char *const quit[] = { "q", NULL };
    if (find_window(s) < 0)
        return;
    nap(IDLE_SETTLE);
    const double t0 = cpu_seconds(s->app);
    nap(IDLE_MEASURE);
    const double t1 = cpu_seconds(s->app);
    CHECK(t0 >= 0 && t1 >= 0 && t1 - t0 < IDLE_CPU, "a paused window took %.3f s of processor time in %.0f s",
          t1 - t0, IDLE_MEASURE);
    if (focus_window(s) == 0 && keys(s, quit) == 0)
        finish(s, check_idle_dump);
}

/* One session shows its frames through a texture (vsync), the other straight in the
 * window's surface, so both ways to the screen are driven. */
/* The 3D view's keys (issue 30): F3 twice shows both views, Ctrl+arrows turn the camera,
 * Shift+F3 makes the height linear; a right-drag over the surface turns it too; 0 resets it. */
static void check_surface_keys_dump(const char *json)
{
    CHECK(strstr(json, "\"azimuth\": 270, \"elevation\": 40, \"zoom\": 1, \"height\": \"linear\", \"views\": \"both\"") != NULL,
          "F3 F3, Ctrl+Left twice, Ctrl+Up and Shift+F3 did not give both views, azimuth 270, elevation 40, linear:\n%s",
          json);
}

static void drive_surface_keys(Session *s)
{
    static const char *const list[] = { "F3", "F3", "ctrl+Left", "ctrl+Left", "ctrl+Up", "shift+F3", "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, list) < 0)
        return;
    finish(s, check_surface_keys_dump);
}

static void check_surface_drag_dump(const char *json)
{
    const char *cam = strstr(json, "\"camera\": {\"azimuth\": ");
    const double az = cam ? strtod(cam + strlen("\"camera\": {\"azimuth\": "), NULL) : 300;
    CHECK(cam && fabs(az - 300) > 5, "a right-drag over the 3D view did not turn it (azimuth %g):\n%s", az, json);
}

/* Inside the surface's box of a 1280x800 window showing both views (its right half of the
 * map's room, left of the panels). */
#define SURFACE_DRAG_X 700
#define SURFACE_DRAG_Y 400

static void drive_surface_drag(Session *s)
{
    static const char *const quit[] = { "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0)
        return;
    char x[16], y[16];
    snprintf(x, sizeof x, "%d", SURFACE_DRAG_X);
    snprintf(y, sizeof y, "%d", SURFACE_DRAG_Y);
    int rc = xdo(s, NULL, 0, "mousemove", "--window", s->window, "--sync", x, y, "mousedown", "3", (char *)NULL);
    for (int k = 1; k <= 10 && rc == 0; k++) {
        snprintf(x, sizeof x, "%d", SURFACE_DRAG_X + 8 * k);
        rc = xdo(s, NULL, 0, "mousemove", "--window", s->window, "--sync", x, y, (char *)NULL);
        nap(0.03);
    }
    if (rc == 0)
        rc = xdo(s, NULL, 0, "mouseup", "3", (char *)NULL);
    CHECK(rc == 0, "xdotool right-drag: status %d", rc);
    nap(KEY_GAP);
    if (rc == 0 && keys(s, quit) == 0)
        finish(s, check_surface_drag_dump);
}

static void check_surface_reset_dump(const char *json)
{
    CHECK(strstr(json, "\"azimuth\": 300, \"elevation\": 30,") != NULL,
          "0 did not bring the camera back to --view3d's 300,30 after Ctrl+Right and Ctrl+Down:\n%s", json);
}

static void drive_surface_reset(Session *s)
{
    static const char *const list[] = { "ctrl+Right", "ctrl+Down", "0", "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, list) < 0)
        return;
    finish(s, check_surface_reset_dump);
}

static void check_window(void)
{
    char *controls[] = { "--function", "rosenbrock", "--optimizer", "adam:lr=0.01", "--optimizer",
                         "sgd:lr=0.001,momentum=0.5", "--optimizer", "rmsprop:lr=0.01,momentum=0.5",
                         "--speed", "20", NULL };
    session(controls, NULL, "texture", drive_controls);
    /* /proc takes no new files, not even from root. */
    char *system[] = { "--optimizer", "adam:lr=0.05", "--optimizer", "sgd:lr=0.001", "--panels", "contours,plots",
                       NULL };
    session(system, "/proc", "surface", drive_system);
    const char *slash = strrchr(proc_binary, '/');
    snprintf(shot_dir, sizeof shot_dir, "%.*s/test-window", slash ? (int)(slash - proc_binary) : 1,
             slash ? proc_binary : ".");
    char *layout[32] = { "--size", "1280x720", "--font-scale", "1.5", "--panels", "contours,plots,colorbar,axes",
                         "--screenshot-dir", shot_dir };
    for (int i = 0; i < 9; i++) {
        layout[8 + 2 * i] = "--optimizer";
        layout[9 + 2 * i] = (char *)layout_optimizers[i];
    }
    session(layout, NULL, "surface", drive_layout);
    char *typed[] = { "--function", "expr:y", "--optimizer", "adam:lr=0.05", NULL };
    session(typed, NULL, "surface", drive_typed);
    char *parameter[] = { "--function", "quadratic:a=1,b=10", "--optimizer", "sgd:lr=0.01", NULL };
    session(parameter, NULL, "surface", drive_parameter);
    char *open_line[] = { "--optimizer", "adam:lr=0.05", NULL };
    session(open_line, NULL, "texture", drive_open_line);
    char *motion[] = { "--view", "-2,2,-1,3", "--optimizer", "adam:lr=0.01", "--optimizer", "sgd:lr=0.001", NULL };
    session(motion, NULL, "surface", drive_motion);
    char *idle[] = { "--steps", "5", NULL };
    session(idle, NULL, "surface", drive_idle);
    char *help[] = { "--size", "1024x768", "--font-scale", "1.5", NULL };
    session(help, NULL, "surface", drive_help);
    char *palette[] = { "--size", "1280x720", "--font-scale", "1.5", NULL };
    session(palette, NULL, "surface", drive_palette);
    char *surface_keys[] = { "--optimizer", "adam:lr=0.05", NULL };
    session(surface_keys, NULL, "surface", drive_surface_keys);
    char *surface_view[] = { "--optimizer", "adam:lr=0.05", "--view3d", "300,30", NULL };
    session(surface_view, NULL, "surface", drive_surface_drag);
    session(surface_view, NULL, "surface", drive_surface_reset);
}

/* Shift+R records, Shift+R again stops: the message names the file by its full path. */
static char record_dir[600];

static void check_record_dump(const char *json)
{
    char want[700];
    snprintf(want, sizeof want, "\"message\": \"saved %s/optiscope-", record_dir);
    CHECK(strstr(json, want) && strstr(json, ".mp4\""), "after Shift+R twice the message is not '%s...mp4':\n%s",
          want + 12, json);
}

static void drive_record(Session *s)
{
    static const char *const start[] = { "shift+r", NULL }, *const stop_keys[] = { "shift+r", "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, start) < 0)
        return;
    nap(2.0);
    if (keys(s, stop_keys) < 0)
        return;
    finish(s, check_record_dump);
}

/* SIGHUP (the terminal closed) while recording quits as Q does: the recording finished, the
 * state dumped, no temporary file left. */
static void check_hangup_dump(const char *json)
{
    CHECK(strstr(json, "\"function\"") != NULL, "the dump after SIGHUP is not a state dump:\n%.300s", json);
}

static void drive_record_hangup(Session *s)
{
    static const char *const start[] = { "shift+r", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, start) < 0)
        return;
    nap(2.0);
    kill(s->app, SIGHUP);
    finish(s, check_hangup_dump);
}

/* Pixels of the REC mark's red in the top-left corner of every frame of the file; -1 when
 * ffmpeg cannot decode it. */
static long red_pixels(const char *file, long *frames)
{
    enum { W = 260, H = 70 };
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ffmpeg -v error -i '%s' -vf crop=%d:%d:0:0 -f rawvideo -pix_fmt rgb24 - 2>/dev/null",
             file, W, H);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    static unsigned char px[W * H * 3];
    long red = 0;
    *frames = 0;
    while (fread(px, 1, sizeof px, p) == sizeof px) {
        ++*frames;
        for (int i = 0; i < W * H; i++)
            red += px[3 * i] > 180 && px[3 * i + 1] < 90 && px[3 * i + 2] < 90;
    }
    return pclose(p) == 0 ? red : -1;
}

/* The window's recording: a playable H.264 file in the folder it ran in, with frames and
 * without the REC mark the window shows while recording. */
static void check_recording(void (*drive)(Session *))
{
    char bin[512] = ".";
    if (proc_binary[0] == '/')
        snprintf(bin, sizeof bin, "%s", proc_binary);
    else if (getcwd(bin, sizeof bin - 200))
        snprintf(bin + strlen(bin), sizeof bin - strlen(bin), "/%s", proc_binary);
    *strrchr(bin, '/') = '\0';
    snprintf(record_dir, sizeof record_dir, "%s/test-window", bin);
    mkdir(record_dir, 0755);
    snprintf(record_dir, sizeof record_dir, "%s/test-window/rec-%d", bin, (int)getpid());
    char clean[700];
    snprintf(clean, sizeof clean, "rm -rf '%s'", record_dir); /* a kept failure's file is not this run's */
    if (system(clean) != 0)
        CHECK(0, "cannot remove %s", record_dir);
    mkdir(record_dir, 0755);
    char *args[] = { "--speed", "60", NULL };
    session(args, record_dir, "surface", drive);
    char cmd[800], file[1024] = "";
    snprintf(cmd, sizeof cmd, "ls '%s'/optiscope-*.mp4 2>/dev/null", record_dir);
    FILE *ls = popen(cmd, "r");
    if (ls) {
        if (!fgets(file, sizeof file, ls))
            file[0] = '\0';
        pclose(ls);
    }
    file[strcspn(file, "\n")] = '\0';
    CHECK(file[0], "no optiscope-*.mp4 in %s after Shift+R twice", record_dir);
    if (!file[0])
        return;
    long frames = 0;
    const long red = red_pixels(file, &frames);
    CHECK(red == 0 && frames >= 30, "%s: %ld frames (want 2 s at 30 fps, 60 steps/s, ~60), %ld red REC pixels", file,
          frames, red);
    snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -q '^\\.'", record_dir);
    CHECK(system(cmd) != 0, "a temporary file stayed in %s", record_dir);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", record_dir);
    if (check_failed == 0 && system(cmd) != 0)
        CHECK(0, "cannot remove %s", record_dir);
}

/* SDL may fall back to an invisible window when there is no display; the program must not. */
static void check_no_display(void)
{
    static const char *const vars[] = { "DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "XDG_RUNTIME_DIR" };
    char *saved[4];
    for (int i = 0; i < 4; i++) {
        const char *v = getenv(vars[i]);
        saved[i] = v ? strdup(v) : NULL;
        unsetenv(vars[i]);
    }
    const char *args[] = { NULL };
    ProcResult r;
    const double t0 = now();
    proc_run(args, NO_DISPLAY_WAIT, &r);
    const double took = now() - t0;
    for (int i = 0; i < 4; i++) {
        if (saved[i])
            setenv(vars[i], saved[i], 1);
        free(saved[i]);
    }
    CHECK(!r.timed_out && r.status == 2 && strstr(r.err, "--headless"),
          "no display: %s status %d after %.1f s, stderr '%s'; want exit 2 at once and a line naming --headless",
          r.timed_out ? "killed, still running," : "exit", r.status, took, r.err);
    const char *nl = strchr(r.err, '\n');
    CHECK(nl && nl[1] == '\0', "no display: stderr is not one line: '%s'", r.err);
    CHECK(r.out_len == 0, "no display: stdout '%s'", r.out);
    proc_free(&r);
}

/* A lesson in the window: step back, reload and a typed value, each checked against a
 * headless run of the same setup. The check callbacks take only the dump, so the headless
 * run's length waits here. */
#define LESSON_RUNS "--optimizer", "adam:lr=0.05", "--optimizer", "sgd:lr=0.001,momentum=0.9", "--noise", "0.5"
static const char *lesson_steps;

/* Each run's x, y, loss and lr exactly as two dumps print them. */
static void compare_runs(const char *json, const char *other, const char *what)
{
    int runs = 0;
    for (const char *p = json, *q = other; (p = strstr(p, "\"x\": ")) && (q = strstr(q, "\"x\": ")); p++, q++) {
        const char *pe = strstr(p, ", \"momentum\""), *qe = strstr(q, ", \"momentum\"");
        CHECK(pe && qe && pe - p == qe - q && memcmp(p, q, (size_t)(pe - p)) == 0, "run %d: the window's %.*s, %s %.*s",
              runs, pe ? (int)(pe - p) : 40, p, what, qe ? (int)(qe - q) : 40, q);
        runs++;
    }
    CHECK(runs == 2, "%s: %d runs compared, want 2", what, runs);
}

static void check_same_runs(const char *json)
{
    const char *args[] = { "--headless", LESSON_RUNS, "--steps", lesson_steps, "--dump-state", "-", NULL };
    ProcResult r;
    proc_run(args, 60, &r);
    CHECK(r.status == 0, "headless --steps %s: status %d, %s", lesson_steps, r.status, r.err);
    compare_runs(json, r.out ? r.out : "", "headless");
    proc_free(&r);
}

/* 100 steps (where --steps pauses the window), then ten steps back. */
static void drive_step_back(Session *s)
{
    static const char *const back[] = { "Left", "Left", "Left", "Left", "Left", "Left", "Left", "Left", "Left", "Left",
                                        "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0)
        return;
    nap(3);
    if (keys(s, back) == 0)
        finish(s, check_same_runs);
}

/* Tweaks, then Ctrl+L: the scene again from step 0, pausing at its steps. */
static void drive_reload(Session *s)
{
    static const char *const tweaks[] = { "Up", "o", "f", "ctrl+l", NULL }, *const quit[] = { "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, tweaks) < 0)
        return;
    nap(3);
    if (keys(s, quit) == 0)
        finish(s, check_same_runs);
}

static void check_typed_value_dump(const char *json)
{
    check_hyper(json, "adam", "lr", 0.2, "typed lr = 0.2");
}

/* =, the prefill erased, lr = 0.2 typed, Enter. */
static void drive_typed_value(Session *s)
{
    static const char *const open[] = { "equal", "BackSpace", "BackSpace", "BackSpace", "BackSpace", "BackSpace",
                                        "BackSpace", "BackSpace", "BackSpace", "BackSpace", "BackSpace", NULL };
    static const char *const enter[] = { "Return", "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, open) < 0)
        return;
    CHECK(xdo(s, NULL, 0, "type", "--delay", "50", "lr = 0.2", (char *)NULL) == 0, "xdotool type");
    nap(KEY_GAP);
    if (keys(s, enter) == 0)
        finish(s, check_typed_value_dump);
}

static void check_deck_dump(const char *json)
{
    CHECK(strstr(json, "\"function\": \"beale\"") && strstr(json, "last scene of 3"),
          "three Page Downs through a three-scene deck do not stop at the third:\n%s", json);
}

static void drive_deck(Session *s)
{
    static const char *const pages[] = { "Page_Down", "Page_Down", "Page_Down", "q", NULL };
    if (find_window(s) >= 0 && focus_window(s) >= 0 && keys(s, pages) == 0)
        finish(s, check_deck_dump);
}

/* The lecture deck paged at a classroom size after T: the light theme carries across the
 * pages, and the live frame holds every box of the scene's slide picture. */
static int lecture_pages;
static const char *lecture_scene, *lecture_size;

static void check_lecture_dump(const char *json)
{
    char what[96];
    snprintf(what, sizeof what, "the window at %s, %s after %d Page Downs", lecture_size, lecture_scene,
             lecture_pages);
    CHECK(strstr(json, "\"theme\": \"light\"") != NULL, "%s: the theme T chose did not carry:\n%s", what, json);
    CHECK(strstr(json, "\"status\": [") && strstr(json, "\"message\": ["), "%s: no status line or message box:\n%s",
          what, json);
    const char *args[] = { "--headless", "--no-config", "--scene", lecture_scene, "--size", lecture_size,
                           "--font-scale", "1.5", "--steps", "1", "--dump-state", "-", NULL };
    ProcResult r;
    proc_run(args, 60, &r);
    CHECK(r.status == 0, "%s: the slide picture: status %d, %s", what, r.status, r.err);
    if (r.status == 0)
        layout_check_holds(json, r.out, what);
    proc_free(&r);
}

static void drive_lecture(Session *s)
{
    static const char *const theme[] = { "t", NULL }, *const page[] = { "Page_Down", NULL },
                             *const quit[] = { "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, theme) < 0)
        return;
    for (int i = 0; i < lecture_pages; i++)
        if (keys(s, page) < 0)
            return;
    nap(1);
    if (keys(s, quit) == 0)
        finish(s, check_lecture_dump);
}

static void check_lecture(void)
{
    static const struct {
        const char *size, *scene;
        int pages;
    } cases[] = {
        { "1280x720", "assets/scenes/03_lr_too_large.scene", 2 },
        { "1024x768", "assets/scenes/10_adaptive_ravine.scene", 9 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lecture_size = cases[i].size;
        lecture_scene = cases[i].scene;
        lecture_pages = cases[i].pages;
        char *args[] = { "--no-config", "--scene", "assets/scenes/lr_lecture.deck", "--size", (char *)cases[i].size,
                         "--font-scale", "1.5", NULL };
        session(args, NULL, "surface", drive_lecture);
    }
}

/* Step 50, Up, 50 steps and 10 back, against step 50, Up and 40 steps: the first dump
 * waits here for the second. */
static char *changed_at_50;

static void keep_dump(const char *json)
{
    free(changed_at_50);
    changed_at_50 = strdup(json);
}

static void check_changed_at_50(const char *json)
{
    compare_runs(json, changed_at_50 ? changed_at_50 : "", "after Up at 50, 50 steps and 10 back");
}

static void drive_change(Session *s, int forward, int back, void (*check)(const char *json))
{
    static const char *const up[] = { "Up", NULL }, *const right[] = { "Right", NULL }, *const left[] = { "Left", NULL },
                             *const quit[] = { "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0)
        return;
    nap(3);
    if (keys(s, up) < 0)
        return;
    for (int i = 0; i < forward; i++)
        if (keys(s, right) < 0)
            return;
    for (int i = 0; i < back; i++)
        if (keys(s, left) < 0)
            return;
    if (keys(s, quit) == 0)
        finish(s, check);
}

static void drive_change_back(Session *s)
{
    drive_change(s, 50, 10, keep_dump);
}

static void drive_change_straight(Session *s)
{
    drive_change(s, 40, 0, check_changed_at_50);
}

/* Up, Home and one step, then Ctrl+S: the saved scene run for one step headless must agree. */
static char saved_dir[600];

/* The scene Ctrl+S saved in dir (its message names it), one step of it headless; the file
 * goes afterwards. */
static void run_saved(const char *json, const char *dir, ProcResult *r)
{
    const char *m = strstr(json, "\"message\": \"saved ");
    char path[800] = "";
    if (m)
        snprintf(path, sizeof path, "%s/%.*s", dir, (int)strcspn(m + 18, "\""), m + 18);
    CHECK(m != NULL, "no 'saved' message after Ctrl+S:\n%.300s", json);
    const char *args[] = { "--headless", "--scene", path, "--steps", "1", "--dump-state", "-", NULL };
    proc_run(args, 60, r);
    CHECK(r->status == 0, "the saved scene %s: status %d, %s", path, r->status, r->err);
    remove(path);
}

static void check_saved(const char *json)
{
    ProcResult r;
    run_saved(json, saved_dir, &r);
    compare_runs(json, r.out ? r.out : "", "the saved scene, 1 step");
    CHECK(strstr(r.out ? r.out : "", "\"lr\": 0.0625") != NULL, "the saved scene lost the lr changed by Up:\n%s", r.out);
    proc_free(&r);
}

static void drive_save(Session *s)
{
    static const char *const list[] = { "Up", "Home", "Right", "ctrl+s", "q", NULL };
    snprintf(saved_dir, sizeof saved_dir, "%s", s->dir);
    if (find_window(s) >= 0 && focus_window(s) >= 0 && keys(s, list) == 0)
        finish(s, check_saved);
}

/* The runs edited live, the lesson in stages, each stage one window session (the dump
 * comes on quitting) that replays the stages before it: +, Delete, = label and optimizer,
 * a bad spec, Ctrl+Z, then Ctrl+S or Ctrl+L. A script's "type:" lines are typed into the
 * input line; the others are keys. */
#define EDIT_RUNS "--optimizer", "adam:lr=0.05", "--optimizer", "sgd:lr=0.001,momentum=0.9", "--steps", "20", \
                  "--speed", "2000"
#define ERASE "BackSpace", "BackSpace", "BackSpace", "BackSpace", "BackSpace", "BackSpace", "BackSpace", \
              "BackSpace", "BackSpace", "BackSpace", "BackSpace", "BackSpace", "BackSpace", "BackSpace"
#define ADD "plus"
#define REMOVE_FIRST "1", "Delete"
#define LABEL_AND_ADAM "equal", ERASE, "type:label = fast", "Return", "equal", ERASE, "type:optimizer = adam:lr=0.1", "Return"
#define BAD_SPEC "equal", ERASE, "type:optimizer = adam:lr=-1", "Return"
static const char *const *edit_script;
static void (*edit_check)(const char *json);
static char edit_dir[600];

/* The runs' values of `key` (a string) in the dump, joined by "|". */
static void run_strings(const char *json, const char *key, char *out, size_t len)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    size_t used = 0;
    out[0] = '\0';
    const char *p = strstr(json, "\"runs\": [");
    while (p && (p = strstr(p, pat)) != NULL && used < len) {
        p += strlen(pat);
        used += (size_t)snprintf(out + used, len - used, "%s%.*s", used ? "|" : "", (int)strcspn(p, "\""), p);
    }
}

static void check_runs_are(const char *json, const char *labels, const char *optimizers, const char *why)
{
    char got[400], opts[400];
    run_strings(json, "label", got, sizeof got);
    run_strings(json, "optimizer", opts, sizeof opts);
    CHECK(strcmp(got, labels) == 0 && strcmp(opts, optimizers) == 0, "%s: runs %s (%s), want %s (%s)", why, got, opts,
          labels, optimizers);
}

/* The dump's text from `key` to the end of its line holds `text`. */
static void check_line_has(const char *json, const char *key, const char *text, const char *why)
{
    const char *m = strstr(json, key);
    const char *end = m ? strchr(m, '\n') : NULL, *at = m ? strstr(m, text) : NULL;
    CHECK(at && end && at < end, "%s: no '%s' in %.*s", why, text, end ? (int)(end - m) : 80, m ? m : json);
}

static void drive_edits(Session *s)
{
    static const char *const quit[] = { "q", NULL };
    if (find_window(s) < 0 || focus_window(s) < 0)
        return;
    nap(1); /* the runs reach step 20, where --steps pauses them */
    snprintf(edit_dir, sizeof edit_dir, "%s", s->dir);
    for (const char *const *k = edit_script; *k; k++) {
        const char *const one[] = { *k, NULL };
        if (strncmp(*k, "type:", 5) == 0) {
            CHECK(xdo(s, NULL, 0, "type", "--delay", "50", *k + 5, (char *)NULL) == 0, "xdotool type %s", *k + 5);
            nap(KEY_GAP);
        } else if (keys(s, one) < 0) {
            return;
        }
    }
    if (keys(s, quit) == 0)
        finish(s, edit_check);
}

static void check_added(const char *json)
{
    check_runs_are(json, "adam|sgd|adam 2", "adam|sgd|adam", "+ on adam");
    check_line_has(json, "\"message\": ", "added adam 2", "+ says so");
    check_line_has(json, "{\"label\": \"adam 2\"", "\"step\": 0,", "the copy starts at step 0");
    check_line_has(json, "{\"label\": \"sgd\"", "\"step\": 20,", "the others stay at step 20");
}

static void check_removed(const char *json)
{
    check_runs_are(json, "sgd|adam 2", "sgd|adam", "1 and Delete after +");
    check_line_has(json, "\"message\": ", "removed adam", "Delete says so");
}

static void check_bad_spec(const char *json)
{
    check_runs_are(json, "fast|adam 2", "adam|adam", "= label = fast and optimizer = adam:lr=0.1 on sgd");
    check_hyper(json, "fast", "lr", 0.1, "optimizer = adam:lr=0.1, then adam:lr=-1 refused");
    check_line_has(json, "\"message\": ", "adam: lr must be", "a bad spec says why as the command line does");
    check_line_has(json, "\"undo\": ", "\"depth\": 4", "four edits to undo");
}

static void check_undone(const char *json)
{
    check_runs_are(json, "fast|adam 2", "sgd|adam", "Ctrl+Z after the bad spec");
    check_hyper(json, "fast", "lr", 0.001, "Ctrl+Z: sgd's lr back");
    check_line_has(json, "\"undo\": ", "\"last\": \"run 1: label fast", "the label is next to undo");
    ProcResult r;
    run_saved(json, edit_dir, &r);
    check_runs_are(r.out ? r.out : "", "fast|adam 2", "sgd|adam", "the scene Ctrl+S saved");
    proc_free(&r);
}

static void check_reloaded(const char *json)
{
    check_runs_are(json, "adam|sgd", "adam|sgd", "Ctrl+L after the edits");
    check_line_has(json, "\"undo\": ", "\"depth\": 0", "nothing to undo after Ctrl+L");
}

static void check_edit_window(void)
{
    static const char *const added[] = { ADD, NULL }, *const removed[] = { ADD, REMOVE_FIRST, NULL };
    static const char *const bad[] = { ADD, REMOVE_FIRST, LABEL_AND_ADAM, BAD_SPEC, NULL };
    static const char *const undone[] = { ADD, REMOVE_FIRST, LABEL_AND_ADAM, BAD_SPEC, "ctrl+z", "ctrl+s", NULL };
    static const char *const reloaded[] = { ADD, REMOVE_FIRST, LABEL_AND_ADAM, "ctrl+l", NULL };
    static const struct {
        const char *const *script;
        void (*check)(const char *json);
    } stages[] = { { added, check_added }, { removed, check_removed }, { bad, check_bad_spec }, { undone, check_undone },
                   { reloaded, check_reloaded } };
    char *args[] = { EDIT_RUNS, NULL };
    Session paths;
    session_paths(&paths);
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
        edit_script = stages[i].script;
        edit_check = stages[i].check;
        session(args, paths.dir, "surface", drive_edits);
    }
}

static void check_lesson_window(void)
{
    char *change[] = { LESSON_RUNS, "--steps", "50", "--speed", "2000", NULL };
    session(change, NULL, "surface", drive_change_back);
    session(change, NULL, "surface", drive_change_straight);
    free(changed_at_50);
    changed_at_50 = NULL;
    char *save[] = { LESSON_RUNS, "--steps", "10", "--speed", "2000", NULL };
    char dir[600];
    Session paths;
    session_paths(&paths);
    snprintf(dir, sizeof dir, "%s", paths.dir);
    session(save, dir, "surface", drive_save);
    static const char *const scenes[][2] = { { "1.scene", "function quadratic\n" },
                                             { "2.scene", "function rosenbrock\n" },
                                             { "3.scene", "function beale\n" } };
    mkdir("build/test-window-deck", 0755);
    for (int i = 0; i < 3; i++) {
        char path[96];
        snprintf(path, sizeof path, "build/test-window-deck/%s", scenes[i][0]);
        FILE *f = fopen(path, "w");
        if (f) {
            fputs(scenes[i][1], f);
            fclose(f);
        }
    }
    char *deck[] = { "--scene", "build/test-window-deck", NULL };
    session(deck, NULL, "surface", drive_deck);
    char *back[] = { LESSON_RUNS, "--steps", "100", "--speed", "2000", NULL };
    lesson_steps = "90";
    session(back, NULL, "surface", drive_step_back);
    char *reload[] = { LESSON_RUNS, "--steps", "30", "--speed", "2000", NULL };
    lesson_steps = "30";
    session(reload, NULL, "surface", drive_reload);
    char *value[] = { LESSON_RUNS, "--steps", "5", NULL };
    session(value, NULL, "surface", drive_typed_value);
    check_lecture();
    check_edit_window();
}

/* The presenter's window: found by its title, given the keyboard, its keys acting on the
 * session the main window shows. */
static int find_presenter(const Session *s, char *id, size_t len)
{
    const double end = now() + WINDOW_WAIT;
    while (now() < end) {
        char out[64] = "";
        xdo(s, out, sizeof out, "search", "--onlyvisible", "--name", "^Presenter ", (char *)NULL);
        if (out[0] && strspn(out, "0123456789") == strlen(out)) {
            snprintf(id, len, "%s", out);
            return 0;
        }
        nap(0.05);
    }
    report_app_log(s, "--presenter: no visible window named Presenter");
    return -1;
}

static double box_area(const char *json, const char *name)
{
    double b[4];
    return json_array(json, name, b, 4) == 4 ? b[2] * b[3] : 0;
}

static void check_presenter_dump(const char *json)
{
    CHECK(strstr(json, "\"presenter\": {\"open\": true") && strstr(json, "The steep direction needs 1/(lr L)"),
          "--presenter: the dump has no open presenter with the scene's notes:\n%s", json);
    CHECK(strstr(json, "\"notes_shown\": false") && !strstr(json, "\"notes\": ["),
          "with the presenter's window open the notes reached the projected window:\n%s", json);
    CHECK(strstr(json, "\"lr\": 0.00625"), "Up in the presenter's window did not raise the lr to 0.00625:\n%s", json);
    const double loss = box_area(json, "plot_loss"), map = box_area(json, "map");
    CHECK(loss > map && map > 0, "Z in the presenter's window: plot_loss %.0f px, map %.0f px:\n%s", loss, map, json);
}

/* --presenter: keys pressed in the presenter's window (lr up, the notes asked for, the big
 * plot) act on the session; Q in the main window ends both. */
static void drive_presenter(Session *s)
{
    static const char *const there[] = { "Up", "shift+h", "z", NULL }, *const quit[] = { "q", NULL };
    char lectern[32];
    if (find_window(s) < 0 || find_presenter(s, lectern, sizeof lectern) < 0)
        return;
    xdo(s, NULL, 0, "windowfocus", "--sync", lectern, (char *)NULL);
    char focus[64] = "";
    xdo(s, focus, sizeof focus, "getwindowfocus", (char *)NULL);
    CHECK(strcmp(focus, lectern) == 0, "the presenter's window %s did not take the focus (%s has it)", lectern, focus);
    if (keys(s, there) < 0 || focus_window(s) < 0 || keys(s, quit) < 0)
        return;
    finish(s, check_presenter_dump);
}

static void check_presenter_closed_dump(const char *json)
{
    CHECK(strstr(json, "\"presenter\": {\"open\": false") && strstr(json, "\"notes_shown\": true") &&
              strstr(json, "\"notes\": ["),
          "F5 twice then Shift+H: the presenter is not closed, or the notes not in the message box:\n%s", json);
}

/* F5 opens the presenter's window and F5 closes it, the main window going on; then Shift+H
 * puts the notes in its message box. */
static void drive_presenter_closed(Session *s)
{
    static const char *const list[] = { "F5", NULL }, *const more[] = { "F5", "shift+h", NULL };
    char lectern[32];
    if (find_window(s) < 0 || focus_window(s) < 0 || keys(s, list) < 0 || find_presenter(s, lectern, sizeof lectern) < 0 ||
        focus_window(s) < 0 || keys(s, more) < 0)
        return;
    nap(KEY_GAP);
    kill(s->app, SIGTERM);
    finish(s, check_presenter_closed_dump);
}

static void check_presenter_window(void)
{
    char *with[] = { "--scene", "assets/scenes/lr_lecture.deck", "--presenter", "--size", "1280x720", "--font-scale",
                     "1.5", NULL };
    session(with, NULL, "surface", drive_presenter);
    char *without[] = { "--scene", "assets/scenes/lr_lecture.deck", "--size", "1024x700", NULL };
    session(without, NULL, "texture", drive_presenter_closed);
}

void test_window(void)
{
    if (access(proc_binary, X_OK) != 0) {
        CHECK(0, "no program to run at %s: build it first", proc_binary);
        return;
    }
    const int xvfb = on_path("Xvfb"), xdotool = on_path("xdotool");
    CHECK(xvfb && xdotool, "%s%s not on PATH: `make deps-test` installs xvfb and xdotool",
          xvfb ? "" : "Xvfb ", xdotool ? "" : "xdotool");
    if (xvfb && xdotool) {
        check_window();
        check_recording(drive_record);
        check_recording(drive_record_hangup);
    }
    check_no_display();
    if (xvfb && xdotool) {
        check_lesson_window();
        check_presenter_window();
    }
}
