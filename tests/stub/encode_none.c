/* The encoder of a build for valgrind, which cannot run FFmpeg's libraries on Debian 12:
 * libavcodec's libjxl loads libhwy, whose start-up code executes rdtscp, an instruction
 * valgrind 3.19 stops at. This build checks recordings' paths as the real one does and
 * refuses to record; ASan and UBSan cover the real encoder in `make check`. */
#include "../../src/platform/encode.h"

#include <stdio.h>

int encode_check(const char *path, int w, int h, char *err, size_t errlen)
{
    (void)path, (void)w, (void)h, (void)err, (void)errlen;
    return 0;
}

Encoder *encode_open(const char *path, int w, int h, int fps, char *err, size_t errlen)
{
    (void)w, (void)h, (void)fps;
    snprintf(err, errlen, "cannot record '%.200s': this build has no FFmpeg (made for valgrind)", path);
    return NULL;
}

int encode_passes(const Encoder *e)
{
    (void)e;
    return 1;
}

int encode_next_pass(Encoder *e, char *err, size_t errlen)
{
    (void)e, (void)err, (void)errlen;
    return 0;
}

int encode_frame(Encoder *e, const uint32_t *px, int stride, long repeat, char *err, size_t errlen)
{
    (void)e, (void)px, (void)stride, (void)repeat, (void)err, (void)errlen;
    return -1;
}

FILE *encode_side_file(Encoder *e, const char *name, char *err, size_t errlen)
{
    (void)e, (void)name, (void)err, (void)errlen;
    return NULL;
}

int encode_finish(Encoder *e, char *err, size_t errlen)
{
    (void)e, (void)err, (void)errlen;
    return -1;
}

void encode_abort(Encoder *e)
{
    (void)e;
}

const char *encode_path(const Encoder *e)
{
    (void)e;
    return "";
}
