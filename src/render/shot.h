/* Screenshots: the canvas written as a PNG file. */
#ifndef OPTISCOPE_SHOT_H
#define OPTISCOPE_SHOT_H

#include <stddef.h>

#include "canvas.h"

/* Writes c as an 8-bit RGB PNG (the canvas is opaque, so alpha is dropped). The file
 * is written as PATH.tmp and renamed into place, so a failure leaves no partial file;
 * it then returns -1 with a message naming path and the reason. */
int shot_write_png(const Canvas *c, const char *path, char *err, size_t errlen);

#endif
