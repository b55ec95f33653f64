/* UTF-8 helpers (see utf8.h). */
#include "utf8.h"

#include <string.h>

int utf8_length(const char *text, size_t n)
{
    const unsigned char *p = (const unsigned char *)text;
    if (n == 0)
        return 0;
    if (p[0] < 0x80)
        return 1;
    const size_t len = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 && p[0] < 0xf0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    /* The second byte's range rules out overlong forms, surrogates and beyond U+10FFFF. */
    if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) || (p[0] == 0xf0 && p[1] < 0x90) ||
        (p[0] == 0xf4 && p[1] >= 0x90))
        return 0;
    return (int)len;
}

size_t utf8_back(const char *s, size_t n)
{
    do
        n--;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80);
    return n;
}

size_t utf8_cut(const char *s, size_t max)
{
    const size_t total = strlen(s);
    size_t n = 0;
    while (s[n]) {
        const int k = utf8_length(s + n, total - n);
        const size_t step = k > 0 ? (size_t)k : 1; /* a stray byte stands alone */
        if (n + step > max || (k == 0 && ((unsigned char)s[n] & 0xc0) == 0xc0 && n + 4 > max))
            break; /* a sequence the cut would split, or one already split at the end */
        n += step;
    }
    return n;
}

int utf8_valid(const char *s)
{
    const size_t total = strlen(s);
    for (size_t i = 0; i < total;) {
        const int n = utf8_length(s + i, total - i);
        if (n == 0)
            return 0;
        i += (size_t)n;
    }
    return 1;
}
