/* The preferences file: one person's defaults (theme, font scale, size, legend detail,
 * screenshot folder) in scene syntax, read before the command line, which overrides it. */
#ifndef OPTISCOPE_PREFS_H
#define OPTISCOPE_PREFS_H

#include <stddef.h>

#include "../core/config.h"

/* $XDG_CONFIG_HOME/optiscope/config, or ~/.config/optiscope/config; "" when neither
 * variable says where. */
void prefs_path(char *path, size_t len);

/* Applies the preferences file to c unless argv asks for --no-config. A missing file is no
 * error; a mistake in it is -1 with "PATH:LINE: what is wrong". */
int prefs_load(Config *c, int argc, char **argv, char *err, size_t errlen);

/* Before a window opens: the folder S and Shift+S save into exists ("~" was expanded when
 * the preferences file was read); -1 with a message when it does not. */
int prefs_check_shot_dir(const Config *c, char *err, size_t errlen);

#endif
