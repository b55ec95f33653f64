/* Reading a PNG into memory, for pictures the program shows rather than draws (the
 * window's icon). */
#ifndef OPTISCOPE_IMAGE_H
#define OPTISCOPE_IMAGE_H

#include <stddef.h>

/* The image at path as 8-bit RGBA rows, malloc'd in *rgba; -1 with a message on failure. */
int image_read_png(const char *path, int *w, int *h, unsigned char **rgba, char *err, size_t errlen);

#endif
