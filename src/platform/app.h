/* The two ways optiscope runs, a live window or a headless job (trace, screenshot,
 * benchmark), and the set-up they share. Each leaves a message in err when it fails and
 * says what kind of failure it was; only main turns that into an exit status. */
#ifndef OPTISCOPE_APP_H
#define OPTISCOPE_APP_H

#include <stddef.h>

#include "../core/config.h"
#include "../render/draw.h"
#include "../session/session.h"

typedef enum {
    APP_OK,
    APP_BAD_INPUT, /* an option, a value or a path that cannot be used, or no display */
    APP_FAILED,    /* the machine's problem: writing output, no font, no memory */
} AppStatus;

AppStatus window_run(const Config *c, char *err, size_t errlen);
AppStatus headless_run(const Config *c, char *err, size_t errlen);

/* A picture of w x h pixels at s pixels per point and the session laid out in it. */
Draw *app_prepare(Session *ses, const Config *c, int w, int h, double s, int live, char *err, size_t errlen);
/* Tells the session the title of the deck's next scene, for the presenter's screen. */
void app_next_title(Session *ses, const Config *c);
/* Lays the picture out for the session as it is now and tells the session where its map
 * went, when that changed. */
void app_relayout(Draw *d, Session *ses, int live);
/* The picture for slides (no status line, message, help or selection) of what the session
 * shows, at w x h pixels and s pixels per point, written as a PNG. */
int app_screenshot(const Session *ses, int w, int h, double s, const char *path, char *err, size_t errlen);
/* The session as a scene file at `path`, a name reserved for it (output_unique_name): either
 * the whole scene ends up there, or nothing does (the reservation is removed). */
int app_save_scene(const Session *ses, const char *path, char *err, size_t errlen);
/* Draws into d the slide picture of what the session shows, through `copy` (room the
 * caller keeps for a copy of the session, whose view is fitted to the slide's map). */
int app_draw_slide(Draw *d, Session *copy, const Session *ses, char *err, size_t errlen);
/* The state dump; with a picture, its layout and the runs' colours too. */
int app_dump_state(const Session *ses, Draw *d, int live, const char *path, char *err, size_t errlen);

#endif
