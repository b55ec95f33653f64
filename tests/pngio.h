/* PNG files for picture tests: reading screenshots back as pixels, and writing the
 * actual and diff images a failing comparison leaves behind. */
#ifndef OPTISCOPE_TEST_PNGIO_H
#define OPTISCOPE_TEST_PNGIO_H

#include <stdint.h>

/* Reads a PNG (8-bit RGB or RGBA; grey, palette and 16-bit are converted too) into a
 * malloc'd array of 0xAARRGGBB pixels, rows top to bottom; A = 255 where the file has
 * no alpha. Returns 0, or -1 when the file is missing, not a PNG, or damaged. */
int pngio_read(const char *path, int *w, int *h, uint32_t **px);
/* Writes 0xAARRGGBB pixels as an 8-bit RGBA PNG. Returns 0 or -1. */
int pngio_write(const char *path, int w, int h, const uint32_t *px);

#endif
