/* Keys (through the key table, session/keys.c) and mouse gestures to named actions. */
#ifndef OPTISCOPE_INPUT_H
#define OPTISCOPE_INPUT_H

#include <SDL.h>

#include "../session/session.h"

typedef struct {
    int dragging, moved;
    int orbit;  /* the right button, or the left with Shift: a drag that turns the 3D view */
    int down_x, down_y, last_x, last_y;
} Mouse;

/* Turns one event into an action (ACTION_NONE when it means nothing). `scale_x` and
 * `scale_y` convert window coordinates to canvas pixels. */
Action input_translate(const SDL_Event *e, Mouse *m, double scale_x, double scale_y);
/* Whether the left button is down and has moved past a click: the view is being dragged. */
int input_dragging(const Mouse *m);

/* While the input line is open: text events, its editing keys, Enter and Esc; everything
 * else is ignored, so keys type instead of driving the app. An ACTION_EDIT_TEXT with
 * arg INPUT_TEXT_OWNED holds SDL's clipboard text, which the caller SDL_free()s after use. */
#define INPUT_TEXT_OWNED 1
Action input_translate_edit(const SDL_Event *e);

/* SIGTERM, SIGINT and SIGHUP (the terminal closed, a logout) ask the window to quit: the
 * frame loop reads input_quit_signalled and quits as on closing the window, so a recording
 * is finished and the dump written. Set after SDL_Init, with SDL's own handlers off. */
void input_quit_on_signals(void);
int input_quit_signalled(void);

#endif
