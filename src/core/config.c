/* The option table shared by the command line and scene files, and its checks. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "func.h"
#include "label.h"
#include "optim.h"
#include "roff.h"
#include "sched.h"
#include "scene.h"
#include "view.h"

#define SIZE_MIN 160
#define SIZE_MAX_PIXELS 16384

/* OPT_PREFS: the preferences file may set it (the defaults of one person's machine). */
enum { OPT_SCENE = 1, OPT_SWITCH = 2, OPT_PREFS = 4 };

typedef struct {
    const char *name;
    const char *arg; /* metavariable shown in help */
    unsigned flags;
    int (*apply)(Config *c, const char *v, char *err, size_t errlen);
    const char *help; /* NULL: written by its row in `described` */
} Option;

/* What each switch (OPT_SWITCH, no value) turns on. */
static const struct {
    const char *name;
    size_t on;
} switches[] = {
    { "headless", offsetof(Config, headless) }, { "keys", offsetof(Config, keys) },
    { "list", offsetof(Config, list) },         { "help", offsetof(Config, help) },
    { "version", offsetof(Config, version) },   { "man", offsetof(Config, man) },
    { "no-config", offsetof(Config, no_config) }, { "orbit", offsetof(Config, orbit) },
};

static const char *const default_runs[] = {
    "sgd:lr=0.001",
    "sgd:lr=0.001,momentum=0.9,label=momentum",
    "rmsprop:lr=0.01",
    "adam:lr=0.05",
};

static int bad(char *err, size_t errlen, const char *fmt, const char *opt, const char *v)
{
    snprintf(err, errlen, fmt, opt, v);
    return -1;
}

int config_numbers(const char *text, double *out, int n)
{
    char buf[256];
    size_t len = strlen(text);
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, text, len + 1);
    char *p = buf;
    for (int i = 0; i < n; i++) {
        char *comma = strchr(p, ',');
        if ((comma == NULL) != (i == n - 1))
            return -1;
        if (comma)
            *comma = '\0';
        if (spec_number(p, &out[i]) < 0)
            return -1;
        p = comma ? comma + 1 : p;
    }
    return 0;
}

/* A number within [lo, hi]; whole when `whole`. */
static int ranged(const char *opt, const char *v, double lo, double hi, int whole, double *out, char *err,
                  size_t errlen)
{
    double x;
    if (spec_number(v, &x) < 0)
        return bad(err, errlen, "--%s: '%s' is not a finite number", opt, v);
    if (x < lo || x > hi || (whole && x != floor(x))) {
        snprintf(err, errlen, "--%s must be a %s from %g to %g, got '%s'", opt, whole ? "whole number" : "number",
                 lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

static int apply_function(Config *c, const char *v, char *err, size_t errlen)
{
    if (spec_parse(&func_table, v, &c->func, err, errlen) < 0)
        return -1;
    return c->data ? func_bind_data(&c->func, c->data, err, errlen) : 0;
}

/* batch_size=B draws minibatches of the function's data: B may not exceed its rows, and a
 * function of x and y alone has no rows to draw. */
int config_check_batch(const Spec *func, const Spec *opt, char *err, size_t errlen)
{
    const char *name = spec_kind(&optim_table, opt->kind)->name;
    if (opt->batch == 0)
        return 0;
    if (func_data_loss(func) == DATA_NONE) {
        snprintf(err, errlen, "%s: batch_size=%ld needs a loss over data (linreg:data=FILE or logreg:data=FILE); "
                 "%s has no data", name, opt->batch, spec_kind(&func_table, func->kind)->name);
        return -1;
    }
    if (func->data && opt->batch > func->data->n) {
        snprintf(err, errlen, "%s: batch_size must be 0 (all the data) to %ld, the rows of %s; got %ld", name,
                 func->data->n, func->data->path, opt->batch);
        return -1;
    }
    return 0;
}

static int apply_start(Config *c, const char *v, char *err, size_t errlen)
{
    double p[2];
    if (config_numbers(v, p, 2) < 0)
        return bad(err, errlen, "--%s must be X,Y with two finite numbers, got '%s'", "start", v);
    if (view_check_start("--start", p, v, err, errlen) < 0)
        return -1;
    memcpy(c->start, p, sizeof p);
    c->has_start = 1;
    return 0;
}

static int apply_view(Config *c, const char *v, char *err, size_t errlen)
{
    double b[4];
    if (config_numbers(v, b, 4) < 0)
        return bad(err, errlen, "--%s must be X0,X1,Y0,Y1 with four finite numbers, got '%s'", "view", v);
    const WorldBox box = { b[0], b[1], b[2], b[3] };
    if (view_check_box("--view", box, v, err, errlen) < 0)
        return -1;
    c->view = box;
    c->has_view = 1;
    return 0;
}

static int apply_steps(Config *c, const char *v, char *err, size_t errlen)
{
    double n;
    if (ranged("steps", v, 1, (double)CONFIG_STEPS_MAX, 1, &n, err, errlen) < 0)
        return -1;
    c->steps = (long)n;
    return 0;
}

static int apply_optimizer(Config *c, const char *v, char *err, size_t errlen)
{
    if (c->replace_runs) {
        c->nruns = 0;
        c->replace_runs = 0;
    }
    if (c->nruns == SIM_MAX_RUNS) {
        snprintf(err, errlen, "too many optimizers: at most %d runs side by side", SIM_MAX_RUNS);
        return -1;
    }
    Spec opt;
    if (optim_parse(v, &opt, err, errlen) < 0)
        return -1;
    /* Its schedule comes after it: a parameter of any schedule may be a field until then. */
    if (label_check(opt.label, &opt, NULL, err, errlen) < 0)
        return -1;
    c->opt[c->nruns] = opt;
    spec_defaults(&sched_table, 0, &c->sched[c->nruns]);
    c->has_sched[c->nruns] = 0;
    c->nruns++;
    return 0;
}

static int apply_schedule(Config *c, const char *v, char *err, size_t errlen)
{
    const int last = c->nruns - 1;
    if (last < 0 || c->replace_runs) {
        snprintf(err, errlen, "--schedule must follow the --optimizer it applies to");
        return -1;
    }
    if (c->has_sched[last]) {
        snprintf(err, errlen, "--schedule given twice for one --optimizer");
        return -1;
    }
    if (sched_parse(v, &c->sched[last], err, errlen) < 0 ||
        label_check(c->opt[last].label, &c->opt[last], &c->sched[last], err, errlen) < 0)
        return -1;
    c->has_sched[last] = 1;
    return 0;
}

static int apply_noise(Config *c, const char *v, char *err, size_t errlen)
{
    return ranged("noise", v, 0, 1e6, 0, &c->noise, err, errlen);
}

static int apply_seed(Config *c, const char *v, char *err, size_t errlen)
{
    char *end;
    if (!isdigit((unsigned char)v[0]))
        return bad(err, errlen, "--%s must be a whole number from 0 to 18446744073709551615, got '%s'", "seed", v);
    errno = 0;
    unsigned long long s = strtoull(v, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return bad(err, errlen, "--%s must be a whole number from 0 to 18446744073709551615, got '%s'", "seed", v);
    c->seed = (uint64_t)s;
    return 0;
}

static int apply_path(const char *opt, const char *v, const char **out, char *err, size_t errlen)
{
    if (v[0] == '\0')
        return bad(err, errlen, "--%s needs a file name%s", opt, "");
    *out = v;
    return 0;
}

static int apply_trace(Config *c, const char *v, char *err, size_t errlen)
{
    return apply_path("trace", v, &c->trace, err, errlen);
}

static int apply_dump_state(Config *c, const char *v, char *err, size_t errlen)
{
    return apply_path("dump-state", v, &c->dump_state, err, errlen);
}

static int apply_screenshot(Config *c, const char *v, char *err, size_t errlen)
{
    size_t n = strlen(v);
    if (n < 5 || strcasecmp(v + n - 4, ".png") != 0)
        return bad(err, errlen, "--%s must name a .png file, got '%s'", "screenshot", v);
    c->screenshot = v;
    return 0;
}

static int apply_fps(Config *c, const char *v, char *err, size_t errlen)
{
    return ranged("fps", v, 1, 120, 1, &c->fps, err, errlen);
}

/* The format follows the name; the encoder itself checks the rest when it opens the file. */
static int apply_record(Config *c, const char *v, char *err, size_t errlen)
{
    static const char *const kinds[] = { ".mp4", ".webm", ".gif" };
    const size_t n = strlen(v);
    int known = n > 1 && v[n - 1] == '/';
    for (int i = 0; i < 3 && !known; i++) {
        const size_t k = strlen(kinds[i]);
        known = n > k && strcasecmp(v + n - k, kinds[i]) == 0;
    }
    if (!known)
        return bad(err, errlen, "--%s must name a .mp4, .webm or .gif file or a folder ending in /, got '%s'",
                   "record", v);
    c->record = v;
    return 0;
}

static int apply_steps_per_frame(Config *c, const char *v, char *err, size_t errlen)
{
    return ranged("steps-per-frame", v, 1, 1e6, 1, &c->steps_per_frame, err, errlen);
}

static int apply_size(Config *c, const char *v, char *err, size_t errlen)
{
    char *end;
    const char *msg = "--%s must be WxH with whole numbers from 160 to 16384, got '%s'";
    if (!isdigit((unsigned char)v[0]))
        return bad(err, errlen, msg, "size", v);
    errno = 0;
    long w = strtol(v, &end, 10);
    if (*end != 'x' || !isdigit((unsigned char)end[1]))
        return bad(err, errlen, msg, "size", v);
    long h = strtol(end + 1, &end, 10);
    if (*end != '\0' || errno == ERANGE || w < SIZE_MIN || h < SIZE_MIN || w > SIZE_MAX_PIXELS ||
        h > SIZE_MAX_PIXELS)
        return bad(err, errlen, msg, "size", v);
    c->width = (int)w;
    c->height = (int)h;
    return 0;
}

static int apply_scale(Config *c, const char *v, char *err, size_t errlen)
{
    return ranged("scale", v, 0.25, 4, 0, &c->scale, err, errlen);
}

static int apply_font_scale(Config *c, const char *v, char *err, size_t errlen)
{
    return ranged("font-scale", v, 0.5, 4, 0, &c->font_scale, err, errlen);
}

static int apply_speed(Config *c, const char *v, char *err, size_t errlen)
{
    return ranged("speed", v, 0.5, 5000, 0, &c->speed, err, errlen);
}

static int apply_bench(Config *c, const char *v, char *err, size_t errlen)
{
    double n;
    if (ranged("bench", v, 1, 1e6, 1, &n, err, errlen) < 0)
        return -1;
    c->bench = (long)n;
    return 0;
}

static int apply_hold(Config *c, const char *v, char *err, size_t errlen)
{
    return ranged("hold", v, 0, 60, 0, &c->hold, err, errlen);
}

static int apply_theme(Config *c, const char *v, char *err, size_t errlen)
{
    if (strcmp(v, "dark") == 0)
        c->theme = THEME_DARK;
    else if (strcmp(v, "light") == 0)
        c->theme = THEME_LIGHT;
    else
        return bad(err, errlen, "--%s must be dark or light, got '%s'", "theme", v);
    return 0;
}

static int apply_panels(Config *c, const char *v, char *err, size_t errlen)
{
    unsigned shown = 0;
    if (strcmp(v, "none") == 0) {
        c->shown = 0;
        return 0;
    }
    for (const char *p = v;;) {
        const size_t n = strcspn(p, ",");
        const unsigned bit = show_panel_bit(p, n);
        if (!bit) {
            char names[256];
            show_names_text(1, ", ", ", ", names, sizeof names);
            snprintf(err, errlen, "--panels must be 'none' or a comma-separated list of %s; got '%s'", names, v);
            return -1;
        }
        shown |= bit;
        if (p[n] == '\0')
            break;
        p += n + 1;
    }
    c->shown = shown;
    return 0;
}

static int apply_legend(Config *c, const char *v, char *err, size_t errlen)
{
    char names[64];
    if (show_legend_parse(v, &c->legend) == 0)
        return 0;
    show_names_text(0, ", ", " or ", names, sizeof names);
    snprintf(err, errlen, "--legend must be %s, got '%s'", names, v);
    return -1;
}

/* --panels and --legend: their argument and help name the words of show.c's tables. */
static void describe_panels(char *arg, size_t alen, char *help, size_t hlen)
{
    char names[256], def[64];
    show_names_text(1, ", ", ", ", names, sizeof names);
    show_panels_text(SHOW_DEFAULT, def, sizeof def);
    snprintf(arg, alen, "LIST");
    snprintf(help, hlen, "what is shown: %s, or none (default %s)", names, def);
}

static void describe_legend(char *arg, size_t alen, char *help, size_t hlen)
{
    show_names_text(0, "|", "|", arg, alen);
    snprintf(help, hlen, "legend detail: every hyperparameter, one line per run, or none (default %s)",
             show_legend_name(LEGEND_FULL));
}

static int apply_title(Config *c, const char *v, char *err, size_t errlen)
{
    if (spec_check_text("--title", v, CONFIG_TITLE_CHARS, err, errlen) < 0)
        return -1;
    memcpy(c->title, v, strlen(v) + 1);
    return 0;
}

static int apply_screenshot_dir(Config *c, const char *v, char *err, size_t errlen)
{
    const size_t n = strlen(v);
    if (n == 0 || n >= sizeof c->shot_dir)
        return bad(err, errlen, "--%s must name a folder of 1 to 511 characters%s", "screenshot-dir", "");
    memcpy(c->shot_dir, v, n + 1);
    return 0;
}

/* A line of text for the screen: 1 to 95 characters of UTF-8, none of them control
 * characters, quotes or backslashes (the dump and scene files write it as it is). */
static int text_line(const char *name, const char *v, char *err, size_t errlen)
{
    char what[32];
    snprintf(what, sizeof what, "--%s", name);
    return spec_check_text(what, v, CONFIG_TITLE_CHARS, err, errlen);
}

/* Appends a line to `lines` (each ending in a newline), within `size` bytes and `max` lines. */
static int add_line(const char *name, char *lines, size_t size, int max, const char *v, char *err, size_t errlen)
{
    if (text_line(name, v, err, errlen) < 0)
        return -1;
    int count = 0;
    for (const char *p = lines; *p; p++)
        count += *p == '\n';
    const size_t used = strlen(lines);
    if (count >= max || used + strlen(v) + 2 > size) {
        snprintf(err, errlen, "too many %s lines (at most %d)", name, max);
        return -1;
    }
    snprintf(lines + used, size - used, "%s\n", v);
    return 0;
}

static int apply_caption(Config *c, const char *v, char *err, size_t errlen)
{
    return add_line("caption", c->caption, sizeof c->caption, CONFIG_CAPTION_LINES, v, err, errlen);
}

static int apply_note(Config *c, const char *v, char *err, size_t errlen)
{
    return add_line("note", c->note, sizeof c->note, CONFIG_NOTE_LINES, v, err, errlen);
}

/* A switch: given alone on the command line, or on / off in a file. */
static int on_off(const char *name, const char *v, int *out, char *err, size_t errlen)
{
    if (!*v || !strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "1"))
        *out = 1;
    else if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "0"))
        *out = 0;
    else
        return bad(err, errlen, "--%s in a file must be on or off, got '%s'", name, v);
    return 0;
}

/* A camera asked for is a 3D view asked for: beside the map, unless already shown. */
static int apply_view3d(Config *c, const char *v, char *err, size_t errlen)
{
    if (camera_parse(&c->camera, v, err, errlen) < 0)
        return -1;
    if (c->view3d == VIEWS_MAP)
        c->view3d = VIEWS_BOTH;
    return 0;
}

static int apply_fullscreen(Config *c, const char *v, char *err, size_t errlen)
{
    return on_off("fullscreen", v, &c->fullscreen, err, errlen);
}

static int apply_presenter(Config *c, const char *v, char *err, size_t errlen)
{
    return on_off("presenter", v, &c->presenter, err, errlen);
}

/* Options whose argument and help name the words of a name table (show.c). */
static const struct {
    const char *name;
    void (*describe)(char *arg, size_t alen, char *help, size_t hlen);
} described[] = { { "panels", describe_panels }, { "legend", describe_legend } };

static const Option options[] = {
    { "headless", NULL, OPT_SWITCH, NULL, "run without a window: write --trace, --screenshot, --record, --bench or --dump-state" },
    { "function", "SPEC", OPT_SCENE, apply_function, "test function, e.g. rosenbrock or quadratic:b=20,angle=30" },
    { "start", "X,Y", OPT_SCENE, apply_start, "start point of every run (default: the function's own)" },
    { "view", "X0,X1,Y0,Y1", OPT_SCENE, apply_view, "visible region (default: the function's own box)" },
    { "steps", "N", OPT_SCENE, apply_steps, "headless: steps to run (default 500); window: pause there" },
    { "optimizer", "SPEC", OPT_SCENE, apply_optimizer, "add a run, e.g. adam:lr=0.05,label=fast (repeatable, up to 9)" },
    { "schedule", "SPEC", OPT_SCENE, apply_schedule, "lr schedule of the --optimizer before it, e.g. step:step_size=50, or typed: 'expr:lr0/(1+0.1*t)'" },
    { "noise", "SIGMA", OPT_SCENE, apply_noise, "Gaussian noise added to every gradient (default 0)" },
    { "seed", "N", OPT_SCENE, apply_seed, "seed of the gradient noise (default 1)" },
    { "speed", "STEPS", OPT_SCENE, apply_speed, "simulation steps per second in the window (default 30)" },
    { "theme", "dark|light", OPT_SCENE | OPT_PREFS, apply_theme, "dark for screens, light for projectors and slides" },
    { "panels", NULL, OPT_SCENE, apply_panels, NULL },
    { "legend", NULL, OPT_SCENE | OPT_PREFS, apply_legend, NULL },
    { "title", "TEXT", OPT_SCENE, apply_title, "a title shown above the map" },
    { "size", "WxH", OPT_SCENE | OPT_PREFS, apply_size, "window or image size in points (default 1280x800)" },
    { "scale", "S", OPT_SCENE, apply_scale, "pixels per point for screenshots, e.g. 2 for slides (default 1)" },
    { "font-scale", "F", OPT_SCENE | OPT_PREFS, apply_font_scale, "text size factor, 1.5-2 for a lecture hall (default 1)" },
    { "trace", "FILE|-", 0, apply_trace, "headless: write every step as CSV (run,step,x,y,loss,lr)" },
    { "screenshot", "FILE.png", 0, apply_screenshot, "headless: render the picture after the steps to a PNG" },
    { "bench", "N", 0, apply_bench, "headless: render N frames and print frame-time statistics" },
    { "record", "FILE|DIR/", 0, apply_record, "headless: record the run as .mp4, .webm, .gif, or PNG frames in DIR/" },
    { "fps", "F", 0, apply_fps, "frames per second of a recording, 1 to 120 (default 30)" },
    { "steps-per-frame", "K", 0, apply_steps_per_frame, "steps a recorded frame advances (default: --steps last 5 s at most)" },
    { "hold", "S", 0, apply_hold, "seconds the last recorded frame stays, 0 to 60 (default 0)" },
    { "dump-state", "FILE", 0, apply_dump_state, "write the final state as JSON when the program exits" },
    { "scene", "FILE...|NAME", 0, NULL,
      "load a scene file (or a shipped one by name, see --list), or a deck: several files, a folder or a deck "
      "file; options after it override it" },
    { "keys", NULL, OPT_SWITCH, NULL, "print the key table as Markdown" },
    { "list", NULL, OPT_SWITCH, NULL, "list functions, optimizers and schedules with their parameters, and the shipped scenes" },
    { "help", NULL, OPT_SWITCH, NULL, "show this help" },
    { "version", NULL, OPT_SWITCH, NULL, "print the version and those of the libraries in use" },
    { "man", NULL, OPT_SWITCH, NULL, "print the manual page (roff)" },
    { "no-config", NULL, OPT_SWITCH, NULL, "ignore the preferences file ~/.config/optiscope/config" },
    { "screenshot-dir", "DIR", OPT_PREFS, apply_screenshot_dir,
      "where S and Shift+S save pictures in the window (default: the current folder)" },
    { "fullscreen", NULL, OPT_SWITCH | OPT_SCENE, apply_fullscreen, "open the window fullscreen (F11 toggles it)" },
    { "view3d", "AZIMUTH,ELEVATION", OPT_SCENE, apply_view3d,
      "show the 3D surface beside the map, seen from there in degrees (elevation 0 to 90; F3 cycles the views)" },
    { "orbit", NULL, OPT_SWITCH, NULL, "with --record: the 3D view's camera turns once around during the recording" },
    { "caption", "TEXT", OPT_SCENE, apply_caption, "a line under the title saying what to see (repeatable, up to 3)" },
    { "note", "TEXT", OPT_SCENE, apply_note,
      "a line for the lecturer (repeatable): on the presenter's screen, or in the message box with Shift+H" },
    { "presenter", NULL, OPT_SWITCH | OPT_PREFS, apply_presenter,
      "open the presenter's screen too: a second window with the notes, every run's numbers and the clock (F5)" },
};

#define NOPTIONS ((int)(sizeof options / sizeof options[0]))

static const Option *find_option(const char *name)
{
    for (int i = 0; i < NOPTIONS; i++)
        if (strcmp(options[i].name, name) == 0)
            return &options[i];
    return NULL;
}

/* An option's argument ("" for a switch) and help, as --help and the manual page show them. */
static void option_text(const Option *o, char *arg, size_t alen, char *help, size_t hlen)
{
    snprintf(arg, alen, "%s", o->arg ? o->arg : "");
    snprintf(help, hlen, "%s", o->help ? o->help : "");
    for (size_t i = 0; i < sizeof described / sizeof described[0]; i++)
        if (strcmp(o->name, described[i].name) == 0)
            described[i].describe(arg, alen, help, hlen);
}

/* The options a source accepts: a file's flag, or 0 for every one. */
static unsigned source_flag(ConfigFrom from)
{
    return from == CONFIG_FROM_SCENE ? OPT_SCENE : from == CONFIG_FROM_PREFS ? OPT_PREFS : 0;
}

static void option_names(char *buf, size_t len, unsigned flag)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < NOPTIONS && used < len; i++) {
        if (flag && !(options[i].flags & flag))
            continue;
        int n = snprintf(buf + used, len - used, "%s%s%s", used ? ", " : "", flag ? "" : "--",
                         options[i].name);
        used += n > 0 ? (size_t)n : 0;
    }
}

int config_key_ok(const char *name, ConfigFrom from)
{
    const Option *o = find_option(name);
    return o && (!source_flag(from) || (o->flags & source_flag(from)));
}

void config_defaults(Config *c)
{
    memset(c, 0, sizeof *c);
    spec_parse(&func_table, "rosenbrock", &c->func, NULL, 0);
    c->seed = 1;
    c->speed = 30;
    c->width = 1280;
    c->height = 800;
    c->scale = 1;
    c->font_scale = 1;
    c->theme = THEME_DARK;
    c->shown = SHOW_DEFAULT;
    c->legend = LEGEND_FULL;
    c->camera = camera_default();
}

int config_apply(Config *c, const char *name, const char *value, ConfigFrom from, char *err, size_t errlen)
{
    char names[768];
    const Option *o = find_option(name);
    if (from != CONFIG_FROM_ARGS && !config_key_ok(name, from)) {
        option_names(names, sizeof names, source_flag(from));
        snprintf(err, errlen, "unknown %s '%.40s' (valid: %s)",
                 from == CONFIG_FROM_SCENE ? "scene key" : "setting", name, names);
        return -1;
    }
    for (size_t i = 0; o && (o->flags & OPT_SWITCH) && i < sizeof switches / sizeof switches[0]; i++)
        if (strcmp(switches[i].name, name) == 0) {
            *(int *)((char *)c + switches[i].on) = 1;
            return 0;
        }
    if (!o || !o->apply) {
        option_names(names, sizeof names, 0);
        snprintf(err, errlen, "unknown option '--%.40s' (valid: %s)", name, names);
        return -1;
    }
    if (from == CONFIG_FROM_SCENE)
        c->scene_sets |= strcmp(name, "theme") == 0    ? SCENE_SETS_THEME
                         : strcmp(name, "panels") == 0 ? SCENE_SETS_PANELS
                         : strcmp(name, "legend") == 0 ? SCENE_SETS_LEGEND
                                                       : 0;
    return o->apply(c, value, err, errlen);
}

static int load_scene(Config *c, const char *path, ConfigReadFile read_file, char *err, size_t errlen);

static int deck_push(Config *c, const char *dir, int dirlen, const char *path, int len, char *err, size_t errlen)
{
    if (c->deck_count == CONFIG_DECK_MAX) {
        snprintf(err, errlen, "too many scenes in the deck (at most %d)", CONFIG_DECK_MAX);
        return -1;
    }
    char *out = c->deck[c->deck_count];
    const int w = path[0] == '/' || dirlen == 0 ? snprintf(out, CONFIG_PATH_MAX, "%.*s", len, path)
                                                : snprintf(out, CONFIG_PATH_MAX, "%.*s/%.*s", dirlen, dir, len, path);
    if (w >= CONFIG_PATH_MAX) {
        snprintf(err, errlen, "scene path too long: '%.60s...'", out);
        return -1;
    }
    c->deck_count++;
    return 0;
}

/* A deck lists scene files: not another deck, nor a folder (which reads as one). */
static int deck_entry_ok(const char *deck, const char *scene, ConfigReadFile read_file, char *err, size_t errlen)
{
    char *text = NULL;
    if (read_file(scene, &text, err, errlen) < 0)
        return -1;
    const size_t head = strlen(CONFIG_DECK_HEADER);
    const int nested = strncmp(text, CONFIG_DECK_HEADER, head) == 0 && (text[head] == '\n' || text[head] == '\r');
    free(text);
    if (nested)
        snprintf(err, errlen, "deck '%.200s' lists '%.200s', a deck or a folder: a deck lists scene files only", deck,
                 scene);
    return nested ? -1 : 0;
}

/* A scene file joins the deck; a deck file (or a folder, which the shell reads as one)
 * adds the scenes it lists, relative to its own folder. */
static int deck_add(Config *c, const char *path, ConfigReadFile read_file, char *err, size_t errlen)
{
    char *text = NULL;
    if (!read_file || read_file(path, &text, err, errlen) < 0)
        return -1;
    const size_t head = strlen(CONFIG_DECK_HEADER);
    int rc = 0;
    if (strncmp(text, CONFIG_DECK_HEADER, head) != 0 || (text[head] != '\n' && text[head] != '\r')) {
        rc = deck_push(c, "", 0, path, (int)strlen(path), err, errlen);
        free(text);
        return rc;
    }
    const char *slash = strrchr(path, '/');
    const int dirlen = slash ? (int)(slash - path) : 0;
    const int first = c->deck_count;
    for (const char *p = text; *p && rc == 0; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n')) {
        int n = (int)strcspn(p, "\r\n");
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n > 0 && p[0] != '#' && (rc = deck_push(c, path, dirlen, p, n, err, errlen)) < 0 &&
            c->deck_count == CONFIG_DECK_MAX)
            snprintf(err, errlen, "deck '%.200s' lists more than %d scenes: split it into decks of at most %d", path,
                     CONFIG_DECK_MAX, CONFIG_DECK_MAX);
    }
    free(text);
    for (int i = first; i < c->deck_count && rc == 0; i++)
        rc = deck_entry_ok(path, c->deck[i], read_file, err, errlen);
    return rc;
}

int config_parse_args(Config *c, int argc, char **argv, ConfigReadFile read_file, char *err, size_t errlen)
{
    c->argc = argc;
    c->argv = argv;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            snprintf(err, errlen, "unexpected argument '%.60s': options start with -- (see --help)", arg);
            return -1;
        }
        char name[48];
        const char *eq = strchr(arg + 2, '=');
        size_t n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), arg + 2);
        const Option *o = find_option(name);
        const char *value = eq ? eq + 1 : NULL;
        if (o && (o->flags & OPT_SWITCH)) {
            if (value) {
                snprintf(err, errlen, "--%s takes no value", name);
                return -1;
            }
        } else if (o && !value) {
            if (i + 1 >= argc) {
                char what[64], help[512];
                option_text(o, what, sizeof what, help, sizeof help);
                snprintf(err, errlen, "--%s needs a value (%s)", name, what);
                return -1;
            }
            value = argv[++i];
        }
        if (o && strcmp(o->name, "scene") == 0) {
            /* A deck: several files after --scene, a folder or a deck file. */
            int rc = deck_add(c, value, read_file, err, errlen);
            while (rc == 0 && i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
                rc = deck_add(c, argv[++i], read_file, err, errlen);
            if (rc < 0 || c->deck_count == 0) {
                if (rc == 0)
                    snprintf(err, errlen, "deck '%.200s' lists no scene", value);
                return -1;
            }
            c->deck_at = c->deck_at < 0 ? 0 : c->deck_at >= c->deck_count ? c->deck_count - 1 : c->deck_at;
            if (load_scene(c, c->deck[c->deck_at], read_file, err, errlen) < 0)
                return -1;
            continue;
        }
        if (config_apply(c, name, value ? value : "", 0, err, errlen) < 0)
            return -1;
        c->steps_on_command_line |= o && strcmp(o->name, "steps") == 0;
    }
    return 0;
}

/* One scene line: an option a scene may set, with a value; counts the runs it adds. */
/* A scene (or the preferences file) being read into a config. */
typedef struct {
    Config *c;
    ConfigFrom from;
    int runs; /* optimizers it added */
} SceneRead;

/* One line: an option this source may set, with a value. */
static int scene_line(void *ctx, const char *key, const char *value, char *msg, size_t msglen)
{
    SceneRead *r = ctx;
    if (!config_key_ok(key, r->from)) {
        config_apply(r->c, key, value, r->from, msg, msglen);
        return -1;
    }
    if (*value == '\0') {
        snprintf(msg, msglen, "'%.40s' needs a value (write: KEY VALUE)", key);
        return -1;
    }
    if (config_apply(r->c, key, value, r->from, msg, msglen) < 0)
        return -1;
    r->runs += strcmp(key, "optimizer") == 0;
    return 0;
}

int config_scene_from(Config *c, const char *text, const char *path, ConfigFrom from, char *err, size_t errlen)
{
    SceneRead r = { c, from, 0 };
    c->replace_runs = 1;
    const int rc = scene_read(text, path, scene_line, &r, err, errlen);
    c->replace_runs = r.runs > 0;
    return rc;
}

int config_scene(Config *c, const char *text, const char *path, char *err, size_t errlen)
{
    return config_scene_from(c, text, path, CONFIG_FROM_SCENE, err, errlen);
}

static int load_scene(Config *c, const char *path, ConfigReadFile read_file, char *err, size_t errlen)
{
    char *text = NULL;
    if (c->scene) {
        snprintf(err, errlen, "--scene given twice");
        return -1;
    }
    if (!read_file || read_file(path, &text, err, errlen) < 0)
        return -1;
    c->scene = path;
    int rc = config_scene(c, text, path, err, errlen);
    free(text);
    return rc;
}

int config_finish(Config *c, char *err, size_t errlen)
{
    WorldBox view;
    double start[2];
    func_home(&c->func, &view, start);
    if (!c->has_start)
        memcpy(c->start, start, sizeof c->start);
    if (!c->has_view)
        c->view = view;
    if (c->nruns == 0) {
        for (size_t i = 0; i < sizeof default_runs / sizeof default_runs[0]; i++)
            if (apply_optimizer(c, default_runs[i], err, errlen) < 0)
                return -1;
    }
    for (int i = 0; i < c->nruns; i++) /* the runs without a schedule: against constant's */
        if (label_check(c->opt[i].label, &c->opt[i], &c->sched[i], err, errlen) < 0 ||
            config_check_batch(&c->func, &c->opt[i], err, errlen) < 0)
            return -1;
    if (c->width * c->scale > SIZE_MAX_PIXELS || c->height * c->scale > SIZE_MAX_PIXELS) {
        char scale[40];
        spec_format_number(scale, sizeof scale, c->scale);
        snprintf(err, errlen, "--size times --scale must stay within 16384 pixels a side, got %dx%d at %s", c->width,
                 c->height, scale);
        return -1;
    }
    if (!c->headless && (c->trace || c->screenshot || c->bench)) {
        snprintf(err, errlen, "--trace, --screenshot and --bench need --headless");
        return -1;
    }
    if (c->record && (!c->headless || c->bench)) {
        snprintf(err, errlen, "--record needs --headless and no --bench (in the window, Shift+R records)");
        return -1;
    }
    if (c->orbit && !c->record) {
        snprintf(err, errlen, "--orbit needs --record: it turns the 3D view's camera during a recording");
        return -1;
    }
    if (c->orbit && c->view3d == VIEWS_MAP)
        c->view3d = VIEWS_BOTH; /* a turntable of the surface: it must show */
    if (c->trace && c->bench) {
        snprintf(err, errlen, "--trace and --bench cannot be combined: the benchmark steps the runs per frame");
        return -1;
    }
    return 0;
}

int config_make_sim(const Config *c, Sim *sim, char *err, size_t errlen)
{
    sim_init(sim, &c->func, c->start, c->noise, c->seed);
    for (int i = 0; i < c->nruns; i++)
        if (sim_add_run(sim, &c->opt[i], &c->sched[i], err, errlen) < 0)
            return -1;
    return 0;
}

void config_usage(FILE *out)
{
    fputs("usage: optiscope [OPTION]...\n"
          "Shows optimizers moving across a 2D loss surface, live.\n\n",
          out);
    for (int i = 0; i < NOPTIONS; i++) {
        char head[64], arg[64], help[512];
        option_text(&options[i], arg, sizeof arg, help, sizeof help);
        snprintf(head, sizeof head, "--%s%s%s", options[i].name, arg[0] ? " " : "", arg);
        fprintf(out, "  %-26s %s\n", head, help);
    }
    fputs("\nSPEC is NAME[:KEY=VALUE[,KEY=VALUE...]]; see --list for every name and key.\n", out);
}

void config_man(FILE *out)
{
    for (int i = 0; i < NOPTIONS; i++) {
        char arg[64], help[512];
        option_text(&options[i], arg, sizeof arg, help, sizeof help);
        /* .BI alternates bold and italic: the option's name, then its argument. */
        fputs(arg[0] ? ".TP\n.BI \"" : ".TP\n.B \"", out);
        roff_text(out, "--");
        roff_text(out, options[i].name);
        if (arg[0]) {
            fputs(" \" \"", out);
            roff_text(out, arg);
        }
        fputs("\"\n", out);
        roff_text(out, help);
        fputs("\n", out);
    }
}

static void list_table(FILE *out, const SpecTable *t)
{
    fprintf(out, "%ss:\n", t->what);
    for (int i = 0; i < t->count; i++) {
        const SpecKind *k = spec_kind(t, i);
        fprintf(out, "  %-16s %s\n", k->name, k->summary);
        for (int j = 0; j < k->nparams; j++) {
            const ParamDef *p = &k->params[j];
            if (p->type == PARAM_CHOICE)
                fprintf(out, "      %s=%s (default %.*s)\n", p->name, p->choices, (int)strcspn(p->choices, "|"),
                        p->choices);
            else if (p->type == PARAM_LIST)
                fprintf(out, "      %s=A/B/C...\n", p->name);
            else
                fprintf(out, "      %s=%g\n", p->name, p->def);
        }
    }
    if (t->allow_label)
        fputs("  any optimizer also takes label=TEXT\n", out);
    if (t->allow_batch)
        fputs("  and on linreg or logreg batch_size=B: minibatches of B rows (0: all)\n", out);
}

void config_list(FILE *out)
{
    list_table(out, &func_table);
    fputs("  linreg and logreg take data=FILE: a CSV of feature,target rows, or a shipped data set\n"
          "  by name (listed at the end)\n",
          out);
    fputs("\nUpdate rules and defaults of PyTorch 2.6's torch.optim; lion (lucidrains/lion-pytorch),\n"
          "qhm and qhadam (facebookresearch/qhoptim), sgd_schedulefree and adamw_schedulefree\n"
          "(facebookresearch/schedule_free) and prodigy (konstmish/prodigy) as their authors' code.\n",
          out);
    list_table(out, &optim_table);
    fputs("\nSchedules of PyTorch 2.6's torch.optim.lr_scheduler and textbook ones; warmup=N before\n"
          "a torch-style one is SequentialLR of LinearLR(warmup_factor) and the schedule.\n",
          out);
    list_table(out, &sched_table);
}

static int take_title(void *ctx, const char *key, const char *value, char *msg, size_t msglen)
{
    (void)msg;
    (void)msglen;
    char *title = ctx;
    if (strcmp(key, "title") == 0 && !title[0])
        snprintf(title, CONFIG_TITLE_MAX, "%s", value);
    return 0;
}

void config_deck_title(const Config *c, int at, ConfigReadFile read_file, char *title, size_t len)
{
    char found[CONFIG_TITLE_MAX] = "", err[256];
    char *text = NULL;
    snprintf(title, len, "%s", "");
    if (at < 0 || at >= c->deck_count)
        return;
    if (read_file && read_file(c->deck[at], &text, err, sizeof err) == 0)
        scene_read(text, c->deck[at], take_title, found, err, sizeof err);
    free(text);
    const char *slash = strrchr(c->deck[at], '/');
    snprintf(title, len, "%s", found[0] ? found : slash ? slash + 1 : c->deck[at]);
}
