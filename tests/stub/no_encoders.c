/* Preloaded by tests/test_record.c into optiscope (LD_PRELOAD): an FFmpeg that has no
 * encoder at all, to check that a missing one ends in one line and exit status 1. */
#include <stddef.h>

struct AVCodec;

const struct AVCodec *avcodec_find_encoder_by_name(const char *name)
{
    (void)name;
    return NULL;
}
