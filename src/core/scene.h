/* Scene files: one `KEY VALUE` per line, the keys being the command line's options
 * without dashes (function, view, start, optimizer, schedule, noise, ...). */
#ifndef OPTISCOPE_SCENE_H
#define OPTISCOPE_SCENE_H

#include <stddef.h>

#include "config.h"

#define SCENE_LINE_MAX 1024

/* Applies a scene's text to c. On error: -1 and "PATH:LINE: what is wrong". */
int scene_parse(Config *c, const char *text, const char *path, char *err, size_t errlen);
/* The same for another source of options in scene syntax (the preferences file). */
int scene_parse_from(Config *c, const char *text, const char *path, ConfigFrom from, char *err, size_t errlen);

#endif
