/* What the program was asked to do: the command line and scene files fill one Config
 * through one table of options, so both accept the same names and give the same errors. */
#ifndef OPTISCOPE_CONFIG_H
#define OPTISCOPE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "camera.h"
#include "data.h"
#include "show.h"
#include "sim.h"
#include "spec.h"

#define CONFIG_STEPS_MAX 100000000L
#define CONFIG_TITLE_CHARS 95
#define CONFIG_TITLE_MAX (4 * CONFIG_TITLE_CHARS + 1) /* bytes of UTF-8 */
#define CONFIG_FPS_DEFAULT 30
#define CONFIG_RECORD_SECONDS 5 /* what --steps lasts in a recording without --steps-per-frame */
#define CONFIG_PATH_MAX 512
#define CONFIG_CAPTION_LINES 3 /* a scene's caption lines, at most */
#define CONFIG_CAPTION_MAX (CONFIG_CAPTION_LINES * CONFIG_TITLE_MAX)
#define CONFIG_NOTE_LINES 8
#define CONFIG_NOTE_MAX (CONFIG_NOTE_LINES * CONFIG_TITLE_MAX)
#define CONFIG_DECK_MAX 32
/* The first line of a deck file, which lists scene files one per line (relative to the
 * deck's folder); the shell reads a folder as such a list of its *.scene files. */
#define CONFIG_DECK_HEADER "# optiscope deck"

typedef enum { THEME_DARK, THEME_LIGHT } Theme;

/* What the picture shows where the map stands: the map alone, the 3D surface alone in the
 * map's box, or both side by side (F3 cycles them in this order). */
enum { VIEWS_MAP, VIEWS_SURFACE, VIEWS_BOTH, VIEWS_COUNT };

/* What a scene file set itself, of what a lecturer's keys also change: a deck's next scene
 * takes these from its file and keeps the lecturer's choice for the others. */
enum { SCENE_SETS_THEME = 1, SCENE_SETS_PANELS = 2, SCENE_SETS_LEGEND = 4 };

typedef struct {
    int headless;
    Spec func;
    int has_start, has_view;
    double start[2];
    WorldBox view;
    long steps;     /* 0: not given */
    int steps_on_command_line; /* a scene may set steps for headless use of a lesson */
    int nruns;
    Spec opt[SIM_MAX_RUNS], sched[SIM_MAX_RUNS];
    double noise;
    uint64_t seed;
    double speed; /* simulation steps per second in the window */
    int width, height;
    double scale, font_scale;
    Theme theme;
    unsigned shown; /* SHOW_* */
    LegendMode legend;
    int keys;       /* --keys: print the key table */
    long bench;
    int help, list;
    char title[CONFIG_TITLE_MAX];
    const char *trace, *screenshot, *scene, *dump_state;
    const char *record;     /* headless animation: .mp4, .webm, .gif, or a folder ending in / */
    double fps;             /* frames per second of a recording, whole; 0: CONFIG_FPS_DEFAULT */
    double steps_per_frame; /* whole; 0: chosen so that the steps last CONFIG_RECORD_SECONDS at most */
    double hold;            /* seconds the last frame of a recording stays */

    int version, man; /* --version, --man: print and stop */
    int no_config;    /* --no-config: the preferences file was not read */
    char shot_dir[CONFIG_PATH_MAX]; /* where S and Shift+S save; "": the current folder */

    int has_sched[SIM_MAX_RUNS];
    int replace_runs; /* the next optimizer replaces the runs so far (a scene's, say) */
    int scene_runs;   /* runs the scene being read has added */
    int fullscreen;   /* the window opens fullscreen (desktop) */
    int presenter;    /* the presenter's window opens with the main one */
    char caption[CONFIG_CAPTION_MAX]; /* lines shown under the title, each ending in '\n' */
    char note[CONFIG_NOTE_MAX];       /* for the lecturer: shown with the help, each ending in '\n' */
    char deck[CONFIG_DECK_MAX][CONFIG_PATH_MAX]; /* the scenes --scene named, in order */
    int deck_count;
    int deck_at;      /* the one loaded; set before parsing to load another */
    unsigned scene_sets; /* SCENE_SETS_*: what the scenes read set themselves */
    /* Where a loss over data finds its data set, read once (the shell owns it and sets it after
     * config_defaults); NULL: such a function's data is left unread (reading --list's titles). */
    DataStore *data;
    Camera camera;    /* the 3D view's camera (--view3d) ... */
    int view3d;       /* ... and which views show: VIEWS_* */
    int orbit;        /* --orbit: a recording turns the camera once around */
    int argc;         /* the command line parsed, for reading it (and its scene) again */
    char **argv;
} Config;

/* Reads a whole file into a malloc'd, NUL-terminated buffer; the shell supplies it so the
 * core does no I/O of its own. Returns -1 with a message on failure. */
typedef int (*ConfigReadFile)(const char *path, char **text, char *err, size_t errlen);

/* The default scene: rosenbrock with sgd, momentum, rmsprop and adam. */
void config_defaults(Config *c);

/* Parses argv[1..]. Returns 0, or -1 with a one-line message naming the problem. */
int config_parse_args(Config *c, int argc, char **argv, ConfigReadFile read_file, char *err, size_t errlen);

/* Where an option comes from: each source accepts its own set of them. */
typedef enum { CONFIG_FROM_ARGS, CONFIG_FROM_SCENE, CONFIG_FROM_PREFS } ConfigFrom;

/* The title of the deck's scene `at` (its file's name when it has none); "" past the end. */
void config_deck_title(const Config *c, int at, ConfigReadFile read_file, char *title, size_t len);

/* Applies a scene's text to c. On error: -1 and "PATH:LINE: what is wrong". */
int config_scene(Config *c, const char *text, const char *path, char *err, size_t errlen);
/* The same for another source of options in scene syntax (the preferences file). */
int config_scene_from(Config *c, const char *text, const char *path, ConfigFrom from, char *err, size_t errlen);

/* Applies one option by name (no leading dashes); a scene or the preferences file may set
 * only the options meant for it. */
int config_apply(Config *c, const char *name, const char *value, ConfigFrom from, char *err, size_t errlen);

/* Whether a source of options may set this one. */
int config_key_ok(const char *name, ConfigFrom from);

/* After parsing: fills what was left to the function (start, view) and adds the default
 * runs when none were given. */
int config_finish(Config *c, char *err, size_t errlen);

/* Builds the simulation the config describes. */
int config_make_sim(const Config *c, Sim *sim, char *err, size_t errlen);
/* Whether the optimizer's batch_size fits the function (--optimizer's check, also for a run
 * edited live): 0, or -1 with the message. */
int config_check_batch(const Spec *func, const Spec *opt, char *err, size_t errlen);

/* Usage text for --help: every option with its argument and meaning. */
void config_usage(FILE *out);
/* The OPTIONS section of the manual page, in roff, from the same table as --help. */
void config_man(FILE *out);
/* --list: every function, optimizer and schedule with its parameters and defaults. */
void config_list(FILE *out);

/* Parses "X,Y" style lists of exactly n finite numbers. */
int config_numbers(const char *text, double *out, int n);

#endif
