/* FNV-1a, 64 bits: a key for "has this changed since last time", built from the values
 * that decide something (a panel's pixels, the markers). Equal keys mean equal inputs with
 * a chance of 2^-64 of being wrong, as for lite's rencache. */
#ifndef OPTISCOPE_HASH_H
#define OPTISCOPE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HASH_START 14695981039346656037ull

static inline uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

/* The string with its end, so "ab" + "c" and "a" + "bc" differ. */
static inline uint64_t hash_str(uint64_t h, const char *s)
{
    return hash_bytes(h, s, strlen(s) + 1);
}

static inline uint64_t hash_int(uint64_t h, long long v)
{
    return hash_bytes(h, &v, sizeof v);
}

/* Bit for bit: -0 and 0, or two NaNs, may differ, which costs a redraw and nothing else. */
static inline uint64_t hash_double(uint64_t h, double v)
{
    return hash_bytes(h, &v, sizeof v);
}

#endif
