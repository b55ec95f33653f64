/* The files optiscope ships (lessons, icon) and where a running binary finds them: the
 * installed share folder compiled in from the Makefile's PREFIX, the share folder next to
 * the binary (an install moved elsewhere, or into a DESTDIR), and the source tree's assets
 * when the binary runs from its build folder. */
#ifndef OPTISCOPE_SHIPPED_H
#define OPTISCOPE_SHIPPED_H

#include <stddef.h>
#include <stdio.h>

#define SHIPPED_PATH_MAX 1024

/* The share folder the Makefile's PREFIX gave, e.g. /usr/local/share. */
const char *shipped_datadir(void);

/* Reads a scene for --scene: a path as it is, or else a shipped scene by its name
 * (momentum_ravine or momentum_ravine.scene), first in the installed folder. A
 * ConfigReadFile. */
int shipped_read_scene(const char *name, char **text, char *err, size_t errlen);

/* Reads a data file for linreg:data=NAME: a path as it is, or else a shipped data set by its
 * name (line or line.csv), first in the installed folder. A DataReadFile. */
int shipped_read_data(const char *name, char *path, size_t pathlen, char **text, char *err, size_t errlen);

/* --list's last part: every shipped scene by name, with its title. */
void shipped_list(FILE *out);

/* The path of the icon drawn at size x size pixels; -1 when none is found. */
int shipped_icon(int size, char *path, size_t len);

#endif
