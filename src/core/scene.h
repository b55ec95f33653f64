/* Scene files: one `KEY VALUE` per line, blank lines and `#` comments skipped. This module
 * only splits the text; what a key means is the caller's (config.c applies the options). */
#ifndef OPTISCOPE_SCENE_H
#define OPTISCOPE_SCENE_H

#include <stddef.h>

/* Room for the longest function spec a scene writer saves: a typed formula of
 * EXPR_TEXT_MAX characters with its parameters, view and start. */
#define SCENE_LINE_MAX 2048

/* One line's key and value (possibly empty); returns 0, or -1 with what is wrong in msg. */
typedef int (*SceneLine)(void *ctx, const char *key, const char *value, char *msg, size_t msglen);

/* Hands every line of text to apply. On error: -1 and "PATH:LINE: what is wrong". */
int scene_read(const char *text, const char *path, SceneLine apply, void *ctx, char *err, size_t errlen);

#endif
