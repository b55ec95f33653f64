/* The live session behind the window: the runs, their trails, the view and every setting
 * the keys and mouse change. Input becomes named actions; session_apply is the only place
 * that changes this state, so the whole control surface is testable without a window. */
#ifndef OPTISCOPE_SESSION_H
#define OPTISCOPE_SESSION_H

#include <stdio.h>

#include "../core/config.h"
#include "../core/sim.h"
#include "../core/trail.h"
#include "../core/view.h"
#include "timeline.h"

#define SESSION_MESSAGE_MAX 160
#define SESSION_LR_FACTOR 1.25
#define SESSION_MOMENTUM_STEP 0.05
#define SESSION_MOMENTUM_MAX 0.999
#define SESSION_TYPED_MAX 96

/* What a key, a gesture or the shell asks of the session. Which key sends which action is
 * one row each in keys.c; the mouse is translated by the platform layer. */
typedef enum {
    ACTION_NONE,
    ACTION_PAUSE,
    ACTION_STEP,
    ACTION_SLOWER,
    ACTION_FASTER,
    ACTION_SELECT_NEXT,
    ACTION_SELECT_PREV,
    ACTION_SELECT,        /* arg = run index */
    ACTION_LR_UP,
    ACTION_LR_DOWN,
    ACTION_LR_UP_ALL,
    ACTION_LR_DOWN_ALL,
    ACTION_DECAY_DOWN,
    ACTION_DECAY_UP,
    ACTION_SCHEDULE_NEXT,
    ACTION_MOMENTUM_UP,
    ACTION_MOMENTUM_DOWN,
    ACTION_OPTIMIZER_NEXT,
    ACTION_TOGGLE_RUN,
    ACTION_FUNCTION_NEXT,
    ACTION_FUNCTION_PREV,
    ACTION_RESTART,
    ACTION_SET_START,     /* a click on the map: x, y in pixels */
    ACTION_PAN,           /* drag: x, y = pixel delta */
    ACTION_ZOOM,          /* wheel: x, y = pixel, factor */
    ACTION_VIEW_RESET,
    ACTION_TOGGLE_CONTOURS,
    ACTION_TOGGLE_ARROWS,
    ACTION_TOGGLE_PLOTS,
    ACTION_TOGGLE_COLORBAR,
    ACTION_TOGGLE_AXIS_LABELS,
    ACTION_LEGEND_CYCLE,  /* full, compact, hidden */
    ACTION_TOGGLE_FLOAT,  /* the map takes the whole window, panels float over it */
    ACTION_TOGGLE_CAPTION,
    ACTION_TOGGLE_THEME,
    ACTION_HELP,
    ACTION_SCREENSHOT,    /* arg = 1: at --scale; 2: at twice that */
    ACTION_QUIT,
    /* From the shell, not from keys. */
    ACTION_MAP_BOX,       /* the layout put the map here: x, y, w, h in pixels */
    ACTION_NOTE,          /* the shell reports something (a screenshot saved, or why not): text */
    /* A lesson: back in time, and where the scene stops. */
    ACTION_STEP_BACK,     /* undo one step of every run (and pause) */
    ACTION_REWIND,        /* back to step 0 with the current hyperparameters, paused */
    ACTION_STOP_AT,       /* from the shell: pause when the runs reach step arg (0: never) */
    ACTION_RELOAD,        /* the scene again as its file has it now (the shell reads it) */
    ACTION_SAVE_SCENE,    /* the setup as it is now into a scene file (the shell writes it) */
    ACTION_FULLSCREEN,    /* the shell toggles desktop fullscreen */
    ACTION_LOAD,          /* from the shell: start over from `config` (read for the reload); text: from where */
    ACTION_TYPE_OPEN,     /* an input line for the selected run, "lr = 0.0125", prefilled */
    ACTION_TYPE_TEXT,     /* text typed into it (UTF-8): text */
    ACTION_TYPE_ERASE,    /* Backspace: the last character goes */
    ACTION_TYPE_ENTER,    /* set what the line says, checked as on the command line */
    ACTION_TYPE_CANCEL,   /* Esc: close it, nothing set */
    ACTION_SCENE_NEXT,    /* the deck's next scene (Page Down, as clickers send) */
    ACTION_SCENE_PREV,
    ACTION_COUNT
} ActionKind;

typedef struct {
    ActionKind kind;
    int arg;
    double x, y, factor;
    double w, h;      /* ACTION_MAP_BOX: the box's size */
    const char *text; /* ACTION_NOTE */
    const Config *config; /* ACTION_LOAD */
} Action;

/* What the shell must do after an action: the session never calls back into it. */
enum {
    EFFECT_QUIT = 1,
    EFFECT_SCREENSHOT = 2, /* at Effects.shot_scale times the picture's scale */
    EFFECT_LAYOUT = 4,     /* what is shown changed: lay the picture out again and send ACTION_MAP_BOX */
    EFFECT_RELOAD_SCENE = 8, /* read the scene (or command line) again and send ACTION_LOAD */
    EFFECT_SAVE_SCENE = 16,  /* write session_write_scene to a new file and send ACTION_NOTE */
    EFFECT_FULLSCREEN = 32,  /* toggle fullscreen and send ACTION_NOTE */
    EFFECT_TEXT_INPUT = 64,  /* the input line opened or closed: text input on or off as ses->typing says */
};

typedef struct {
    unsigned flags;
    int shot_scale;
    int scene; /* EFFECT_RELOAD_SCENE: which scene of the deck to load */
} Effects;

typedef struct {
    Sim sim;
    Trail trails[SIM_MAX_RUNS];
    History hist[SIM_MAX_RUNS];
    View view;
    double home[4];    /* the box the 0 key returns to */
    int fit_pending;   /* the next map box fits home rather than keeping the scale */
    int paused, selected, show_help;
    double speed;      /* simulation steps per second */
    unsigned shown;    /* SHOW_* */
    LegendMode legend;
    Theme theme;
    char title[CONFIG_TITLE_MAX];
    Spec scene_func;   /* the function the scene or command line set up, with its title */
    double scene_start[2], scene_home[4];
    char message[SESSION_MESSAGE_MAX];
    unsigned long message_serial; /* changes with every new message */
    double shot_scale;            /* pixels per point of S's screenshot (--scale) */
    long tick;                    /* steps since the runs (re)started */
    long stop_at;                 /* pause on reaching this step (the scene's steps), 0: never */
    Timeline timeline;            /* the past, for stepping back */
    char caption[CONFIG_CAPTION_MAX]; /* the scene's caption lines, each ending in '\n' */
    char note[CONFIG_NOTE_MAX];       /* the scene's notes for the lecturer, shown with the help */
    int deck_at, deck_count;      /* the scene shown of the deck --scene named (0 of 0: none) */
    int typing;                   /* the input line is open: keys type into `typed` */
    char typed[SESSION_TYPED_MAX];
} Session;

/* Builds the session a config describes, with the map in the given pixel rectangle. */
int session_init(Session *ses, const Config *c, double px, double py, double pw, double ph, char *err, size_t errlen);
/* One simulation step of every live run, with trails, history and divergence messages.
 * Returns the mask of runs that diverged in it. */
unsigned session_step(Session *ses);
/* The one place that changes the session; returns what the shell must do. */
Effects session_apply(Session *ses, const Action *a);
/* The action that tells the session where the layout put the map. */
Action session_map_box(double x, double y, double w, double h);
/* The title to show: the scene's, while its function is on screen. */
const char *session_title(const Session *ses);
/* Goes to step `tick` of the runs as they are recorded, replaying from the last copy before
 * it; returns -1 when that step is no longer (or not yet) recorded. */
int session_go_to(Session *ses, long tick);
/* The caption lines to show (each ending in '\n'): the scene's, while its function is on screen. */
const char *session_caption(const Session *ses);
/* The last step any run reached. */
long session_last_step(const Session *ses);

/* The setup as it is now as a scene file: function, view, start, noise, seed, speed, theme,
 * what is shown, title, and every run with its current hyperparameters and schedule. */
void session_write_scene(const Session *ses, FILE *out);

/* What the picture adds to the dump: each run's colour ("#rrggbb") and the layout's boxes
 * (a JSON object), both made by the render layer; NULL leaves them out. */
typedef struct {
    const char *colours[SIM_MAX_RUNS];
    const char *layout;
} SessionDumpExtra;

/* The state as JSON: function, start, view, paused, what is shown and every run. */
void session_dump_json(const Session *ses, const SessionDumpExtra *extra, FILE *out);

#endif
