/* The two ways optiscope runs: a live window, or a headless job (trace, screenshot,
 * benchmark). Each returns the exit status and leaves a message in err when it fails. */
#ifndef OPTISCOPE_APP_H
#define OPTISCOPE_APP_H

#include <stddef.h>

#include "../core/config.h"
#include "../session/session.h"
#include "../render/draw.h"

int app_run(const Config *c, char *err, size_t errlen);
int headless_run(const Config *c, char *err, size_t errlen);

/* Shared by both: canvases of w x h pixels and the session laid out in them. */
int app_prepare(Draw *d, Session *ses, const Config *c, int w, int h, double px_per_point, char *err, size_t errlen);
int app_dump_state(const Session *ses, const char *path, char *err, size_t errlen);

#endif
