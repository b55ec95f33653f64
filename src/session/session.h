/* The live session behind the window: the runs, their trails, the view and every setting
 * the keys and mouse change. Input becomes named actions; session_apply is the only place
 * that changes this state, so the whole control surface is testable without a window. */
#ifndef OPTISCOPE_SESSION_H
#define OPTISCOPE_SESSION_H

#include <stdio.h>
#include <time.h>

#include "../core/config.h"
#include "../core/func.h"
#include "../core/sim.h"
#include "../core/trail.h"
#include "../core/view.h"
#include "timeline.h"

#define SESSION_MESSAGE_MAX 160
#define SESSION_LR_FACTOR 1.25
#define SESSION_MOMENTUM_STEP 0.05
#define SESSION_MOMENTUM_MAX 0.999
#define SESSION_SWEEP_RUNS 7    /* P: copies of the selected run ... */
#define SESSION_SWEEP_FACTOR 2.0 /* ... lr apart by this factor */
#define SESSION_TYPED_MAX 96
#define CAMERA_KEY_AZIMUTH 15.0  /* degrees a Ctrl+Left or Right turns the 3D view */
#define CAMERA_KEY_ELEVATION 10.0 /* degrees a Ctrl+Up or Down tilts it */
#define CAMERA_DRAG 0.4           /* degrees per pixel of a drag over the 3D view */

/* What a key, a gesture or the shell asks of the session. Which key sends which action is
 * one row each in keys.c, what it does one row in session.c's action table; the mouse is
 * translated by the platform layer. The order here matters to nothing. */
typedef enum {
    ACTION_NONE,
    ACTION_PAUSE,
    ACTION_STEP,
    ACTION_SLOW_STEP,     /* the next update in slow motion: gradient, moments, scaling, step */
    ACTION_SLOW_NEXT,     /* the shell's clock: the slow motion's next phase (after the last: the step) */
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
    ACTION_RECORD,        /* start or stop recording */
    ACTION_QUIT,
    ACTION_SNAP_OPTIMAL,  /* the selected sgd run to the quadratic's optimal lr (and momentum) */
    ACTION_TOGGLE_CURVATURE, /* Hessian axes and stability readout at the selected run */
    ACTION_TOGGLE_BASINS, /* where each start goes with the selected run's settings */
    ACTION_TOGGLE_INTERNALS, /* the next step taken apart at the selected run's point */
    ACTION_INTERNALS_RUNS,   /* ... at the selected run's point or at every run's */
    ACTION_TOGGLE_RULE,      /* the selected run's update rule with this step's numbers */
    ACTION_SWEEP,         /* the selected run fanned into an lr sweep */
    ACTION_TOGGLE_SHARPNESS, /* the sharpness and gradient-norm plots */
    ACTION_TOGGLE_DATA,   /* the data panel: the points and the runs' models (a loss over data) */
    /* From the shell, not from keys. */
    ACTION_MAP_BOX,       /* the layout put the map here: x, y, w, h in pixels */
    ACTION_HELP_PAGES,    /* the help's pages in this picture: arg */
    ACTION_NOTE,          /* the shell reports something (a screenshot saved, or why not): text */
    /* The input line for a typed function (E opens it; while open, the shell sends these). */
    ACTION_EDIT_OPEN,     /* arg: EDIT_FOR_* */
    ACTION_EDIT_TEXT,     /* text: UTF-8 typed or pasted at the cursor */
    ACTION_EDIT_KEY,      /* arg: an EditKey */
    ACTION_EDIT_APPLY,    /* Enter: the line becomes the function, or its error shows */
    ACTION_EDIT_CANCEL,   /* Esc */
    /* A lesson: back in time, and where the scene stops. */
    ACTION_STEP_BACK,     /* undo one step of every run (and pause) */
    ACTION_REWIND,        /* back to step 0 with the current hyperparameters, paused */
    ACTION_STOP_AT,       /* from the shell: pause when the runs reach step arg (0: never) */
    ACTION_RELOAD,        /* the scene again as its file has it now (the shell reads it) */
    ACTION_SAVE_SCENE,    /* the setup as it is now into a scene file (the shell writes it) */
    ACTION_FULLSCREEN,    /* the shell toggles desktop fullscreen */
    ACTION_LOAD,          /* from the shell: start over from `config` (read for the reload); text: from where;
                           * arg = 1: a page turn, which keeps the lecturer's theme, panels and legend */
    ACTION_SCENE_NEXT,    /* the deck's next scene (Page Down, as clickers send) */
    ACTION_SCENE_PREV,
    /* The runs edited live (runs.c): each is recorded by the timeline and undone by Ctrl+Z. */
    ACTION_RUN_ADD,       /* a copy of the selected run, from the start at step 0 */
    ACTION_RUN_REMOVE,    /* the selected run goes (never the last) */
    ACTION_UNDO,          /* the last edit of the runs undone */
    /* The lecturer's own screen, and the picture the class looks at. */
    ACTION_TOGGLE_BIGPLOT, /* the loss and lr plots in the map's place, the map in the panels' */
    ACTION_NOTES,         /* the scene's notes, whole, in the message box (with no presenter window) */
    ACTION_PRESENTER,     /* open or close the presenter's window (the shell does it) */
    ACTION_PRESENTER_SHOWN, /* from the shell: arg = 1 the presenter's window is open, 0 it closed */
    ACTION_NEXT_TITLE,    /* from the shell: text = the deck's next scene's title ("" at the last) */
    /* The 3D view (issue 30): which views show, its height scale and its camera. */
    ACTION_VIEWS_NEXT,    /* F3: map, surface, both side by side */
    ACTION_HEIGHT_SCALE,  /* Shift+F3: the surface's height log or linear */
    ACTION_ORBIT_LEFT,    /* Ctrl+arrows: the camera round by CAMERA_KEY_AZIMUTH ... */
    ACTION_ORBIT_RIGHT,
    ACTION_ORBIT_UP,      /* ... and up or down by CAMERA_KEY_ELEVATION */
    ACTION_ORBIT_DOWN,
    ACTION_ORBIT,         /* a drag over the 3D view: x, y = pixel delta */
    ACTION_CAMERA_ZOOM,   /* the wheel over the 3D view: factor */
    ACTION_CAMERA_SET,    /* from the shell (a recording's orbit): x = azimuth, y = elevation */
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
    EFFECT_RECORD = 8,     /* start recording, or stop and finish the file */
    EFFECT_EDIT = 16,       /* the input line opened or closed: start or stop text input */
    EFFECT_RELOAD_SCENE = 32, /* read the scene (or command line) again and send ACTION_LOAD */
    EFFECT_SAVE_SCENE = 64,  /* write session_write_scene to a new file and send ACTION_NOTE */
    EFFECT_FULLSCREEN = 128, /* toggle fullscreen and send ACTION_NOTE */
    EFFECT_PRESENTER = 256,  /* open the presenter's window, or close it; send ACTION_PRESENTER_SHOWN */
};

/* The keys a text field has, named; the shell maps Ctrl+A and Ctrl+E to HOME and END. */
typedef enum {
    EDIT_LEFT, EDIT_RIGHT, EDIT_HOME, EDIT_END, EDIT_BACKSPACE, EDIT_DELETE, EDIT_HISTORY_PREV, EDIT_HISTORY_NEXT,
} EditKey;

/* What the one input line is for (ACTION_EDIT_OPEN's arg): a formula (E), a value for the
 * selected run (=, "lr = 0.0125" prefilled, checked as on the command line), the
 * palette's search (Ctrl+K), where Up and Down choose among the actions found, or the
 * selected run's schedule typed as a formula (Shift+D, the text after "expr:"). */
enum { EDIT_FOR_FORMULA, EDIT_FOR_VALUE, EDIT_FOR_PALETTE, EDIT_FOR_SCHEDULE };

#define SESSION_EDIT_MAX 1400 /* a formula of EXPR_TEXT_MAX characters and its parameters */
#define SESSION_HISTORY 8

/* The one input line: a formula (the text after "expr:" of a function or schedule spec), a
 * value, or the palette's search, being edited; each purpose browses its own lines of the history. */
typedef struct {
    int open;
    int purpose;                 /* EDIT_FOR_* */
    int chosen;                  /* the palette: which of the actions found Enter runs */
    char text[SESSION_EDIT_MAX];
    int cursor;                  /* byte offset in text, at a character boundary */
    char error[128];             /* why Enter did not apply the line; empty when it did */
    int error_column;            /* 1-based byte column in text the error points at; 0: none */
    char history[SESSION_HISTORY][SESSION_EDIT_MAX]; /* applied lines, oldest first ... */
    int history_for[SESSION_HISTORY];                 /* ... and what each was for */
    int nhistory, browsing;      /* browsing: how far back Up went; 0 shows the draft */
    char draft[SESSION_EDIT_MAX];
} EditLine;

typedef struct {
    unsigned flags;
    int shot_scale;
    int scene; /* EFFECT_RELOAD_SCENE: which scene of the deck to load */
} Effects;

#define SESSION_UNDO 8 /* how many edits of the runs Ctrl+Z can undo, the latest first */

/* The runs as they were before an edit (run ids tell which is which), and what the edit said. */
typedef struct {
    Run runs[SIM_MAX_RUNS];
    int nruns, selected;
    long tick;  /* the step it was made at: stepping back before it leaves it to the timeline */
    Spec func;  /* the function then: a run brought back under another is sampled again */
    char what[SESSION_MESSAGE_MAX];
} RunsEdit;
/* What the presenter's screen needs that the session does not otherwise keep. */
typedef struct {
    int open;                             /* its window is open (the shell says so) */
    long started;                         /* when the lecture started (time_t; kept across scenes) */
    char next_title[CONFIG_TITLE_MAX];    /* the deck's next scene (the shell reads it), "" at its end */
    char last_key[SESSION_MESSAGE_MAX];   /* what the last key did: its action and its message */
} Presenter;

typedef struct {
    Sim sim;
    Trail trails[SIM_MAX_RUNS];
    History hist[SIM_MAX_RUNS];
    View view;
    WorldBox home;     /* the box the 0 key returns to */
    int fit_pending;   /* the next map box fits home rather than keeping the scale */
    int paused, selected, show_help;
    int slow_phase;    /* Shift+N's slow motion: the phase of the next update shown (INTERNALS_PHASE_*), 0: none */
    int slow_was_paused; /* ... and whether the runs were paused before it */
    int help_page, help_pages; /* the help's page shown, of how many the picture has room for */
    double speed;      /* simulation steps per second */
    unsigned shown;    /* SHOW_* */
    LegendMode legend;
    Theme theme;
    char title[CONFIG_TITLE_MAX];
    Spec scene_func;   /* the function the scene or command line set up, with its title */
    double scene_start[2];
    WorldBox scene_home;
    char message[SESSION_MESSAGE_MAX];
    unsigned long message_serial; /* changes with every new message */
    double shot_scale;            /* pixels per point of S's screenshot (--scale) */
    EditLine edit;
    Spec typed;                   /* the formula applied last, which F and Shift+F come back to */
    int has_typed;
    double found[FUNC_MAX_MINIMA][2]; /* local minima found numerically in the home view */
    int nfound;
    long tick;                    /* steps since the runs (re)started */
    long stop_at;                 /* pause on reaching this step (the scene's steps), 0: never */
    RunsEdit *undo;               /* the edits of the runs Ctrl+Z undoes, oldest first (SESSION_UNDO of
                                     them and one an edit is built in, allocated with the timeline;
                                     NULL in a copy) */
    int nundo;
    long trails_started;          /* how many trails were started: each gets versions of its own */
    unsigned slot_run[SIM_MAX_RUNS]; /* the id of the run whose trail and history each slot holds;
                                        past nruns a removed run's, kept for when it comes back */
    Timeline *timeline;           /* the past, for stepping back: its own allocation (most of a
                                     session's memory), so copies stay small; NULL in a copy */
    char caption[CONFIG_CAPTION_MAX]; /* the scene's caption lines, each ending in '\n' */
    char note[CONFIG_NOTE_MAX];       /* the scene's notes for the lecturer: the presenter's screen, Shift+H */
    int deck_at, deck_count;      /* the scene shown of the deck --scene named (0 of 0: none) */
    int show_notes;               /* the notes in the message box until the key again, Esc or a page turn */
    Presenter presenter;          /* what the lecturer's own screen shows besides the session */
    int views;                    /* VIEWS_*: the map, the 3D surface, or both */
    Camera camera;                /* the 3D view's camera and height scale ... */
    Camera home_camera;           /* ... and where the 0 key takes it (--view3d's) */
} Session;

#define SESSION_SLOW_PHASE_SECONDS 0.5 /* how long each phase of Shift+N's slow motion shows */

/* Builds the session a config describes, with the map in the given pixel rectangle. The
 * session is the caller's (malloc'd: it is megabytes); its timeline is allocated here, and
 * session_free lets go of both. */
int session_init(Session *ses, const Config *c, double px, double py, double pw, double ph, char *err, size_t errlen);
/* The presenter's screen in words: the scene, the notes, two lines a run (what it is now;
 * the curvature J shows, for every run), the clock and the last key. */
typedef enum {
    PRESENTER_TITLE,   /* the scene's title */
    PRESENTER_HEADING, /* "Notes", "Runs on ...", the clock */
    PRESENTER_NOTE,    /* a line of the notes */
    PRESENTER_RUN,     /* a run: label, optimizer, schedule, lr, loss, step (in its colour) */
    PRESENTER_DIM,     /* a quieter line: where in the deck, a run's curvature, the last key */
    PRESENTER_WARN,    /* a run that diverged or is unstable */
} PresenterStyle;

#define PRESENTER_LINES_MAX (16 + 2 * SIM_MAX_RUNS + CONFIG_NOTE_LINES)

typedef struct {
    PresenterStyle style;
    int run; /* the run the line is about, or -1 */
    char text[640];
} PresenterLine;

typedef struct {
    PresenterLine line[PRESENTER_LINES_MAX];
    int n;
} PresenterText;

void session_presenter_text(const Session *ses, time_t now, PresenterText *out);

/* Frees the session's timeline and the session itself (NULL: nothing); session_release
 * frees only what the session holds (a session not on the heap). */
void session_free(Session *ses);
void session_release(Session *ses);
/* One simulation step of every live run, with trails, history and divergence messages.
 * Returns the mask of runs that diverged in it. */
unsigned session_step(Session *ses);
/* The one place that changes the session: the action's row in session.c's table says what
 * it does. Returns what the shell must do. */
Effects session_apply(Session *ses, const Action *a);
/* The name of an action's row in that table; NULL when it has none (then it does nothing). */
const char *session_action_name(ActionKind kind);
/* The action that tells the session where the layout put the map. */
Action session_map_box(double x, double y, double w, double h);
/* The title to show: the scene's, while its function is on screen. */
const char *session_title(const Session *ses);
/* Goes to step `tick` of the runs as they are recorded, replaying from the last copy before
 * it; returns -1 when that step is no longer (or not yet) recorded. */
int session_go_to(Session *ses, long tick);
/* Whether the data panel shows: SHOW_DATA is on and the function is a loss over data. */
int session_shows_data(const Session *ses);
/* The caption lines to show (each ending in '\n'): the scene's, while its function is on screen. */
const char *session_caption(const Session *ses);
/* The last step any run reached. */
long session_last_step(const Session *ses);
/* Copies of a session. A copy made by session_copy_shown has everything a picture reads and
 * no timeline (NULL): it steps unrecorded, ← and Home find nothing recorded, and nothing it
 * does reaches the original's past; dst owns nothing and is freed as it was allocated. A
 * clone has a copy of the past of its own, for a copy that must step as the original would
 * (live changes ahead taken again, ← exact): NULL when out of memory; session_free frees it.
 * A plain `*dst = *src` would share the timeline: do not. */
void session_copy_shown(Session *dst, const Session *src);
Session *session_clone(const Session *src);

/* The setup as it is now as a scene file: function, view, start, noise, seed, speed, theme,
 * what is shown, title, and every run with its current hyperparameters and schedule. */
void session_write_scene(const Session *ses, FILE *out);

/* What the picture adds to the dump: each run's colour ("#rrggbb") and the layout's boxes
 * (a JSON object), both made by the render layer; NULL leaves them out. */
typedef struct {
    const char *colours[SIM_MAX_RUNS];
    const char *layout;
    const char *basins; /* the basin map's summary (a JSON object), when it is shown */
    const char *plot_ranges; /* {"loss": [lo, hi], "lr": [lo, hi]}: the plots' value axes */
    const double *visible; /* each run's visible_fraction (negative: none), or NULL */
    const char *help;   /* the help's fit, {"rows", "cut", "page", "pages"}, when it is open live */
    const char *internals; /* the selected run's next step taken apart and its rule's lines, when
                              the internals or the rule are shown */
    const double (*surface_px)[2]; /* each run's current point in the 3D view, when it is shown ... */
    const int *surface_on;         /* ... where this is set (else hidden behind the surface or off it) */
} SessionDumpExtra;

/* The state as JSON: function, start, view, paused, what is shown and every run. */
void session_dump_json(const Session *ses, const SessionDumpExtra *extra, FILE *out);

#endif
