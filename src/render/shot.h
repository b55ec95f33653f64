/* Screenshots: the canvas written as a PNG file. */
#ifndef OPTISCOPE_SHOT_H
#define OPTISCOPE_SHOT_H

#include <stddef.h>
#include <stdio.h>

#include "canvas.h"

/* Writes c into f as an 8-bit RGB PNG (the canvas is opaque, so alpha is dropped); path
 * only names the file in messages. Returns -1 with a message naming path and the reason.
 * Files are written through the platform's output module (output_png), which makes the
 * temporary file and renames it into place. */
int shot_write_png(const Canvas *c, FILE *f, const char *path, char *err, size_t errlen);

#endif
