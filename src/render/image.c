/* PNG files in, through libpng's simplified API (see image.h). */
#include "image.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int image_read_png(const char *path, int *w, int *h, unsigned char **rgba, char *err, size_t errlen)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) {
        snprintf(err, errlen, "cannot read '%.200s': %s", path, img.message);
        return -1;
    }
    img.format = PNG_FORMAT_RGBA;
    unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
    if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
        snprintf(err, errlen, "cannot read '%.200s': %s", path, px ? img.message : "out of memory");
        free(px);
        png_image_free(&img);
        return -1;
    }
    *w = (int)img.width;
    *h = (int)img.height;
    *rgba = px;
    return 0;
}
