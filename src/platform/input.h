/* Keys and mouse to named actions. The key table is also the help overlay's text. */
#ifndef OPTISCOPE_INPUT_H
#define OPTISCOPE_INPUT_H

#include <SDL.h>

#include "../session/session.h"

typedef struct {
    const char *keys; /* as the help shows them */
    const char *what;
} HelpLine;

extern const HelpLine input_help[];
extern const int input_help_count;

typedef struct {
    int dragging, moved;
    int down_x, down_y, last_x, last_y;
} Mouse;

/* Turns one event into an action (ACTION_NONE when it means nothing). `scale_x` and
 * `scale_y` convert window coordinates to canvas pixels. */
Action input_translate(const SDL_Event *e, Mouse *m, double scale_x, double scale_y);

#endif
