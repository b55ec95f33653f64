/* The presenter's screen: the lecturer's own window (F5, --presenter), drawn from the
 * session's words for it (session_presenter_text) at a size of its own. Its text is as
 * large as fits: it starts at the size the window asks for and gets smaller only when the
 * notes and runs would not fit. */
#ifndef OPTISCOPE_PRESENTER_H
#define OPTISCOPE_PRESENTER_H

#include <stdint.h>

#include "../session/session.h"
#include "canvas.h"
#include "text.h"

typedef struct {
    Canvas c;
    Text *tx;
    double s_wanted; /* pixels per point the window asks for */
    double s;        /* what the text has now: s_wanted, or less when that did not fit ... */
    uint64_t fitted; /* ... the lines it was fitted for (their styles, the title and notes) */
} PresenterPicture;

/* A picture of w x h pixels at s pixels per point (again: a new size). */
int presenter_resize(PresenterPicture *pp, int w, int h, double s, char *err, size_t errlen);
void presenter_free(PresenterPicture *pp);
/* Draws the lines into pp->c whole. */
int presenter_draw(PresenterPicture *pp, const Session *ses, const PresenterText *t, char *err, size_t errlen);

#endif
