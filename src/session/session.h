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

#define SESSION_MESSAGE_MAX 160
#define SESSION_LR_FACTOR 1.25
#define SESSION_MOMENTUM_STEP 0.05
#define SESSION_MOMENTUM_MAX 0.999

typedef enum {
    ACTION_NONE,
    ACTION_PAUSE,         /* Space */
    ACTION_STEP,          /* N, Right */
    ACTION_SLOWER,        /* , */
    ACTION_FASTER,        /* . */
    ACTION_SELECT_NEXT,   /* Tab */
    ACTION_SELECT,        /* 1-9: arg = run index */
    ACTION_LR_UP,         /* Up */
    ACTION_LR_DOWN,       /* Down */
    ACTION_LR_UP_ALL,     /* Shift+Up */
    ACTION_LR_DOWN_ALL,   /* Shift+Down */
    ACTION_DECAY_DOWN,    /* [ */
    ACTION_DECAY_UP,      /* ] */
    ACTION_SCHEDULE_NEXT, /* D */
    ACTION_MOMENTUM_UP,   /* M */
    ACTION_MOMENTUM_DOWN, /* Shift+M */
    ACTION_OPTIMIZER_NEXT,/* O */
    ACTION_TOGGLE_RUN,    /* V */
    ACTION_FUNCTION_NEXT, /* F */
    ACTION_FUNCTION_PREV, /* Shift+F */
    ACTION_RESTART,       /* R */
    ACTION_SET_START,     /* left click: x, y in pixels */
    ACTION_PAN,           /* drag: x, y = pixel delta */
    ACTION_ZOOM,          /* wheel: x, y = pixel, factor */
    ACTION_VIEW_RESET,    /* 0 */
    ACTION_TOGGLE_CONTOURS, /* C */
    ACTION_TOGGLE_FIELD,  /* G */
    ACTION_TOGGLE_PLOTS,  /* L */
    ACTION_TOGGLE_THEME,  /* T */
    ACTION_HELP,          /* H, F1 */
    ACTION_SCREENSHOT,    /* S */
    ACTION_SCREENSHOT_2X, /* Shift+S */
    ACTION_RECORD,        /* Shift+R: start or stop recording */
    ACTION_QUIT,          /* Q, Esc */
} ActionKind;

typedef struct {
    ActionKind kind;
    int arg;
    double x, y, factor;
} Action;

typedef struct {
    Sim sim;
    Trail trails[SIM_MAX_RUNS];
    History hist[SIM_MAX_RUNS];
    View view;
    double home[4]; /* the box the 0 key returns to */
    double panel_room; /* pixels at the map's right kept clear of home[] for the panels */
    int paused, selected, show_help, quit;
    double speed; /* simulation steps per second */
    unsigned panels;
    Theme theme;
    char title[CONFIG_TITLE_MAX];
    char message[SESSION_MESSAGE_MAX];
    unsigned long message_serial; /* changes with every new message */
    int shot_request;             /* 1 or 2 (the scale): the shell saves a screenshot */
    int record_request;           /* the shell starts or stops recording */
} Session;

/* Builds the session a config describes, with the map in the given pixel rectangle. */
int session_init(Session *ses, const Config *c, double px, double py, double pw, double ph, char *err, size_t errlen);
/* One simulation step of every live run, with trails, history and divergence messages.
 * Returns the mask of runs that diverged in it. */
unsigned session_step(Session *ses);
void session_apply(Session *ses, const Action *a);
/* The map rectangle changed size (window resize): keep centre and scale. */
void session_resize(Session *ses, double px, double py, double pw, double ph);
/* Refits the home view so that its box sits left of `room` pixels at the map's right,
 * where the legend and plots go; the 0 key and a new function fit it the same way. */
void session_set_panel_room(Session *ses, double room);
void session_message(Session *ses, const char *fmt, ...);

/* The state as JSON: function, start, view, paused and every run. */
void session_dump_json(const Session *ses, FILE *out);

#endif
