/* PNG reading and writing for tests, through libpng with every transform that brings a
 * file to 8-bit RGBA. Errors are only a status: the test that called says what failed. */
#include "pngio.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#define PNGIO_MAX_SIDE 16384

static void quiet_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void quiet_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static uint32_t *to_argb(const png_byte *rgba, size_t n)
{
    uint32_t *px = malloc(n * sizeof *px);
    for (size_t i = 0; px && i < n; i++, rgba += 4)
        px[i] = (uint32_t)rgba[3] << 24 | (uint32_t)rgba[0] << 16 | (uint32_t)rgba[1] << 8 | rgba[2];
    return px;
}

/* bytes and rows are assigned after setjmp and freed after a longjmp, hence volatile. */
static int decode(FILE *f, int *w, int *h, uint32_t **px)
{
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, quiet_error, quiet_warning);
    if (!png)
        return -1;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return -1;
    }
    png_bytep volatile bytes = NULL;
    png_bytepp volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(bytes);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    png_init_io(png, f);
    png_read_info(png, info);
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    const png_uint_32 pw = png_get_image_width(png, info), ph = png_get_image_height(png, info);
    if (pw < 1 || ph < 1 || pw > PNGIO_MAX_SIDE || ph > PNGIO_MAX_SIDE || png_get_rowbytes(png, info) != pw * 4)
        png_error(png, "unsupported size or layout");
    bytes = malloc((size_t)pw * ph * 4);
    rows = malloc(ph * sizeof *rows);
    if (!bytes || !rows)
        png_error(png, "out of memory");
    for (png_uint_32 y = 0; y < ph; y++)
        rows[y] = bytes + (size_t)y * pw * 4;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    *px = to_argb(bytes, (size_t)pw * ph);
    free(bytes);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    *w = (int)pw;
    *h = (int)ph;
    return *px ? 0 : -1;
}

int pngio_read(const char *path, int *w, int *h, uint32_t **px)
{
    *px = NULL;
    *w = *h = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    const int rc = decode(f, w, h, px);
    fclose(f);
    return rc;
}

/* row is assigned after setjmp and freed after a longjmp, hence volatile. */
static int encode(FILE *f, int w, int h, const uint32_t *px)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, quiet_error, quiet_warning);
    if (!png)
        return -1;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return -1;
    }
    png_bytep volatile row = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(row);
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    row = malloc((size_t)w * 4);
    if (!row)
        png_error(png, "out of memory");
    for (int y = 0; y < h; y++) {
        const uint32_t *in = px + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            row[4 * x] = (png_byte)(in[x] >> 16);
            row[4 * x + 1] = (png_byte)(in[x] >> 8);
            row[4 * x + 2] = (png_byte)in[x];
            row[4 * x + 3] = (png_byte)(in[x] >> 24);
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    free(row);
    png_destroy_write_struct(&png, &info);
    return 0;
}

int pngio_write(const char *path, int w, int h, const uint32_t *px)
{
    if (w < 1 || h < 1 || w > PNGIO_MAX_SIDE || h > PNGIO_MAX_SIDE || !px)
        return -1;
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    const int rc = encode(f, w, h, px);
    if (fclose(f) != 0 || rc != 0) {
        remove(path);
        return -1;
    }
    return 0;
}
