/* The 3D view (issue 30) through the real command line: pictures at two camera angles
 * differ and both show the surface; a run's dumped 3D pixel lies on its drawn marker; a
 * point behind a ridge of a surface made for it is reported hidden and not drawn; the
 * camera keys change the dumped camera; a recording with --orbit ends where it began; bad
 * --view3d and --orbit are refused with one line. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "pngio.h"
#include "proc.h"

static char dir[512];

static void paths(void)
{
    const char *slash = strrchr(proc_binary, '/');
    snprintf(dir, sizeof dir, "%.*s/test-surface", slash ? (int)(slash - proc_binary) : 1, slash ? proc_binary : ".");
    mkdir(dir, 0755);
}

static int run(ProcResult *r, const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    proc_run_line(line, 120, r);
    return r->timed_out ? -1 : r->status;
}

/* The numbers after `"key": [` in text, from `from` on; how many were read. */
static int numbers_after(const char *text, const char *key, double *out, int n)
{
    const char *p = strstr(text, key);
    if (!p || !(p = strchr(p, '[')))
        return 0;
    p++;
    int k = 0;
    for (; k < n; k++) {
        char *end;
        out[k] = strtod(p, &end);
        if (end == p)
            break;
        p = end;
        while (*p == ',' || *p == ' ')
            p++;
    }
    return k;
}

static int pixel_near(uint32_t px, int r, int g, int b, int tol)
{
    return abs((int)((px >> 16) & 255) - r) <= tol && abs((int)((px >> 8) & 255) - g) <= tol &&
           abs((int)(px & 255) - b) <= tol;
}

typedef struct {
    int w, h;
    uint32_t *px;
    char *state;
    double box[4]; /* the surface's box: x, y, w, h */
} Shot;

static int shoot(Shot *s, const char *name, const char *args)
{
    char png[700], json[700];
    snprintf(png, sizeof png, "%s/%s.png", dir, name);
    snprintf(json, sizeof json, "%s/%s.json", dir, name);
    ProcResult r;
    const int status = run(&r, "--headless --size 800x450 --screenshot %s --dump-state %s %s", png, json, args);
    CHECK(status == 0, "surface: %s ran (%d: %s)", name, status, r.err ? r.err : "");
    proc_free(&r);
    memset(s, 0, sizeof *s);
    if (status != 0 || pngio_read(png, &s->w, &s->h, &s->px) < 0)
        return -1;
    s->state = proc_read_file(json);
    const char *layout = s->state ? strstr(s->state, "\"layout\"") : NULL;
    if (!layout || numbers_after(layout, "\"surface\"", s->box, 4) != 4) {
        CHECK(0, "surface: %s dumps the surface's box", name);
        return -1;
    }
    return 0;
}

static void shot_free(Shot *s)
{
    free(s->px);
    free(s->state);
}

/* Pixels of the box unlike its top-left corner (the background). */
static long drawn_in_box(const Shot *s)
{
    const int x0 = (int)s->box[0], y0 = (int)s->box[1], w = (int)s->box[2], h = (int)s->box[3];
    const uint32_t bg = s->px[(size_t)y0 * s->w + x0];
    long n = 0;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++)
            n += s->px[(size_t)y * s->w + x] != bg;
    return n;
}

static void angles_differ(void)
{
    Shot a, b;
    const char *common = "--steps 60";
    char args[256];
    snprintf(args, sizeof args, "%s --view3d 300,30", common);
    const int ok_a = shoot(&a, "angle-a", args) == 0;
    snprintf(args, sizeof args, "%s --view3d 45,65", common);
    const int ok_b = shoot(&b, "angle-b", args) == 0;
    if (ok_a && ok_b) {
        const long area = (long)(a.box[2] * a.box[3]);
        const long da = drawn_in_box(&a), db = drawn_in_box(&b);
        CHECK(da > area / 10, "surface: the first angle shows the surface (%ld of %ld pixels drawn)", da, area);
        CHECK(db > area / 10, "surface: the second angle shows the surface (%ld of %ld pixels drawn)", db, area);
        long differ = 0;
        if (a.w == b.w && a.h == b.h)
            for (size_t i = 0; i < (size_t)a.w * a.h; i++)
                differ += a.px[i] != b.px[i];
        CHECK(differ > area / 10, "surface: two camera angles give two pictures (%ld pixels differ)", differ);
        CHECK(strstr(a.state, "\"azimuth\": 300") && strstr(b.state, "\"azimuth\": 45"),
              "surface: the dump gives the camera asked for");
    }
    shot_free(&a);
    shot_free(&b);
}

static void pixel_on_marker(void)
{
    Shot s;
    if (shoot(&s, "marker", "--steps 40 --view3d 300,40 --optimizer adam:lr=0.05") == 0) {
        double p[2];
        const int has = numbers_after(s.state, "\"surface_pixel\"", p, 2) == 2;
        CHECK(has, "surface: the run's 3D pixel is dumped");
        const char *c = strstr(s.state, "\"colour\": \"#");
        unsigned r = 0, g = 0, b = 0;
        CHECK(c && sscanf(c, "\"colour\": \"#%2x%2x%2x", &r, &g, &b) == 3, "surface: the run's colour is dumped");
        if (has && c) {
            const int x = (int)floor(p[0]), y = (int)floor(p[1]);
            CHECK(x >= s.box[0] && y >= s.box[1] && x < s.box[0] + s.box[2] && y < s.box[1] + s.box[3],
                  "surface: the 3D pixel (%d, %d) lies in the surface's box", x, y);
            const int in = x >= 0 && y >= 0 && x < s.w && y < s.h;
            CHECK(in && pixel_near(s.px[(size_t)y * s.w + x], (int)r, (int)g, (int)b, 8),
                  "surface: the run's marker is drawn at its dumped 3D pixel (%d, %d): %06x, not #%02x%02x%02x", x, y,
                  in ? s.px[(size_t)y * s.w + x] & 0xffffff : 0, r, g, b);
        }
    }
    shot_free(&s);
}

/* A wall along y = 0 between the viewer (at azimuth 270: on the side of negative y, low) and
 * the start at y = 1.5; a tiny lr keeps the run there. */
#define RIDGE "--function 'expr:1 + 100*exp(-8*y^2) + 0.1*x^2, view=-2/2/-2/2, start=0/1.5' " \
              "--optimizer sgd:lr=1e-9 --steps 3 --view3d 270,8"

static void hidden_behind_ridge(void)
{
    Shot s;
    if (shoot(&s, "ridge", RIDGE) == 0) {
        CHECK(strstr(s.state, "\"surface_pixel\": null") != NULL, "surface: a point behind the ridge is dumped hidden");
        const char *c = strstr(s.state, "\"colour\": \"#");
        unsigned r = 0, g = 0, b = 0;
        if (c && sscanf(c, "\"colour\": \"#%2x%2x%2x", &r, &g, &b) == 3) {
            long seen = 0;
            for (int y = (int)s.box[1]; y < s.box[1] + s.box[3]; y++)
                for (int x = (int)s.box[0]; x < s.box[0] + s.box[2]; x++)
                    seen += pixel_near(s.px[(size_t)y * s.w + x], (int)r, (int)g, (int)b, 6);
            CHECK(seen == 0, "surface: nothing of the run behind the ridge is drawn (%ld pixels of its colour)", seen);
        }
    }
    shot_free(&s);
    /* Seen from the other side, the same point shows. */
    if (shoot(&s, "ridge-front", RIDGE " --view3d 90,30") == 0)
        CHECK(strstr(s.state, "\"surface_pixel\": [") != NULL, "surface: from the other side the point shows");
    shot_free(&s);
}

static void orbit_ends_where_it_began(void)
{
    char gif[700], json[700];
    snprintf(gif, sizeof gif, "%s/orbit.gif", dir);
    snprintf(json, sizeof json, "%s/orbit.json", dir);
    ProcResult r;
    const int status = run(&r, "--headless --size 240x160 --steps 20 --view3d 123,40 --record %s --orbit --dump-state %s",
                           gif, json);
    CHECK(status == 0, "surface: --record --orbit runs (%s)", r.err ? r.err : "");
    proc_free(&r);
    char *state = proc_read_file(json);
    CHECK(state && strstr(state, "\"azimuth\": 123,") && strstr(state, "\"elevation\": 40,"),
          "surface: a recording with --orbit ends at the camera it began with");
    free(state);
}

static void refused(const char *args, const char *says)
{
    ProcResult r;
    const int status = run(&r, "--headless --steps 1 %s", args);
    const char *nl = r.err ? strchr(r.err, '\n') : NULL;
    CHECK(status == 2 && nl && nl[1] == '\0' && strstr(r.err, says),
          "surface: '%s' is refused with one line naming %s (status %d: %s)", args, says, status, r.err ? r.err : "");
    proc_free(&r);
}

/* A scene's view3d line sets the camera and shows the surface; a bad one names its line. */
static void scene_line(void)
{
    char path[700], bad[700];
    snprintf(path, sizeof path, "%s/view3d.scene", dir);
    snprintf(bad, sizeof bad, "%s/view3d-bad.scene", dir);
    FILE *f = fopen(path, "w"), *g = fopen(bad, "w");
    if (f)
        fputs("function himmelblau\nview3d 45,50\n", f), fclose(f);
    if (g)
        fputs("function himmelblau\nview3d 45,99\n", g), fclose(g);
    ProcResult r;
    const int status = run(&r, "--headless --steps 1 --scene %s --dump-state -", path);
    CHECK(status == 0 && r.out && strstr(r.out, "\"azimuth\": 45, \"elevation\": 50,") &&
              strstr(r.out, "\"views\": \"both\""),
          "surface: a scene's view3d line sets the camera and shows the surface (%d: %s)", status, r.err ? r.err : "");
    proc_free(&r);
    char args[720], says[720];
    snprintf(args, sizeof args, "--scene %s", bad);
    snprintf(says, sizeof says, "%s:2: --view3d", bad);
    refused(args, says);
}

void test_surface(void)
{
    paths();
    angles_differ();
    pixel_on_marker();
    hidden_behind_ridge();
    orbit_ends_where_it_began();
    scene_line();
    refused("--view3d 30", "--view3d");
    refused("--view3d 30,nan", "--view3d");
    refused("--view3d 30,95", "--view3d");
    refused("--view3d 30,-5", "--view3d");
    refused("--view3d a,b", "--view3d");
    refused("--orbit --dump-state /dev/null", "--orbit");
}
