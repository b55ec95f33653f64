/* The presenter's window (F5, --presenter): the lecturer's own screen beside the projected
 * one. It goes to a display the main window is not on, or beside the main window when there
 * is one display. Keys pressed in it act on the one session (the shell sends them on);
 * closing it leaves the main window running. */
#ifndef OPTISCOPE_LECTERN_H
#define OPTISCOPE_LECTERN_H

#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "../render/presenter.h"
#include "../session/session.h"

typedef struct {
    SDL_Window *window;          /* NULL while closed */
    SDL_Renderer *renderer;      /* NULL: the picture goes into the window's surface */
    SDL_Texture *texture;
    PresenterPicture pic;
    PresenterText *text;
    double font_scale;           /* --font-scale */
    uint64_t shown;              /* what the window shows now (a key of its lines, theme and size) */
    double shown_at;             /* when it was drawn (seconds): a few times a second at most */
} Lectern;

/* Opens the window for the session's main window `beside`; -1 with a message when it cannot. */
int lectern_open(Lectern *lc, SDL_Window *beside, double font_scale, char *err, size_t errlen);
void lectern_close(Lectern *lc);
/* Whether an event belongs to the presenter's window (its id is the event's). */
int lectern_owns(const Lectern *lc, const SDL_Event *e);
/* A window event of its own: a new size, uncovered. Returns 1 when it was asked to close. */
int lectern_window_event(Lectern *lc, const SDL_Event *e, char *err, size_t errlen);
/* Draws and shows what the session says now (`now`: seconds on any clock), when that
 * changed since the last time, at most LECTERN_HZ times a second. */
int lectern_show(Lectern *lc, const Session *ses, double now, char *err, size_t errlen);

#endif
