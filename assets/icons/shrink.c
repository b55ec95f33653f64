/* Shrinks a PNG by a whole factor, each pixel the mean of its k x k block (alpha-weighted
 * colour), for the small icons: optiscope's layout wants more pixels than 48 to draw the
 * map, so `make icons` draws that one at 240 and shrinks it 5 times.
 * Usage: shrink IN.png FACTOR OUT.png */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, const char *path, const char *why)
{
    fprintf(stderr, "shrink: %s '%s': %s\n", what, path, why);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 4 || atoi(argv[2]) < 1) {
        fputs("usage: shrink IN.png FACTOR OUT.png\n", stderr);
        return 2;
    }
    const unsigned k = (unsigned)atoi(argv[2]);
    png_image in;
    memset(&in, 0, sizeof in);
    in.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&in, argv[1]))
        return fail("cannot read", argv[1], in.message);
    in.format = PNG_FORMAT_RGBA;
    unsigned char *src = malloc(PNG_IMAGE_SIZE(in));
    if (!src || !png_image_finish_read(&in, NULL, src, 0, NULL))
        return fail("cannot read", argv[1], src ? in.message : "out of memory");
    png_image out = in;
    out.opaque = NULL;
    out.width = in.width / k;
    out.height = in.height / k;
    unsigned char *dst = malloc(PNG_IMAGE_SIZE(out));
    if (!dst)
        return fail("cannot shrink", argv[1], "out of memory");
    for (unsigned y = 0; y < out.height; y++)
        for (unsigned x = 0; x < out.width; x++) {
            double sum[4] = { 0, 0, 0, 0 };
            for (unsigned dy = 0; dy < k; dy++)
                for (unsigned dx = 0; dx < k; dx++) {
                    const unsigned char *p = src + 4 * ((size_t)(y * k + dy) * in.width + x * k + dx);
                    for (int c = 0; c < 3; c++)
                        sum[c] += p[c] * p[3];
                    sum[3] += p[3];
                }
            unsigned char *q = dst + 4 * ((size_t)y * out.width + x);
            for (int c = 0; c < 3; c++)
                q[c] = (unsigned char)(sum[3] > 0 ? sum[c] / sum[3] + 0.5 : 0);
            q[3] = (unsigned char)(sum[3] / (k * k) + 0.5);
        }
    if (!png_image_write_to_file(&out, argv[3], 0, dst, 0, NULL))
        return fail("cannot write", argv[3], out.message);
    free(src);
    free(dst);
    return 0;
}
