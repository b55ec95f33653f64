/* Escaping for roff (see roff.h). */
#include "roff.h"

#include <string.h>

#include "utf8.h"

/* The code point of the well-formed sequence of n bytes at p. */
static unsigned long code_point(const unsigned char *p, int n)
{
    static const unsigned char lead_mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
    unsigned long cp = p[0] & lead_mask[n];
    for (int i = 1; i < n; i++)
        cp = cp << 6 | (p[i] & 0x3f);
    return cp;
}

void roff_text(FILE *out, const char *s)
{
    const char *start = s;
    while (*s) {
        const unsigned char ch = (unsigned char)*s;
        if (s == start && (ch == '.' || ch == '\''))
            fputs("\\&", out);
        if (ch >= 0x80) {
            const int n = utf8_length(s, strlen(s));
            if (n == 0) {
                s++; /* not UTF-8: left out rather than passed to groff as it is */
                continue;
            }
            fprintf(out, "\\[u%04lX]", code_point((const unsigned char *)s, n));
            s += n;
            continue;
        }
        if (ch == '\\')
            fputs("\\e", out);
        else if (ch == '-')
            fputs("\\-", out);
        else if (ch != '`')
            fputc(ch, out);
        s++;
    }
}
