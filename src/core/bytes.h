/* Eight bytes at any address read as one word, for loops that pass over eight equal or
 * zero bytes with one comparison; memcpy assumes neither alignment nor aliasing. */
#ifndef OPTISCOPE_BYTES_H
#define OPTISCOPE_BYTES_H

#include <stdint.h>
#include <string.h>

static inline uint64_t bytes_load8(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

#endif
