/* UTF-8 boundaries and validity: where a string may be cut, and whether bytes are text. */
#ifndef OPTISCOPE_UTF8_H
#define OPTISCOPE_UTF8_H

#include <stddef.h>

/* The length of the well-formed sequence at p within n bytes (no overlong forms, no
 * surrogates, nothing past U+10FFFF), or 0 when there is none. */
int utf8_length(const char *p, size_t n);
/* The start of the character before byte n of s (n > 0). */
size_t utf8_back(const char *s, size_t n);
/* The longest prefix of s, at most max bytes, made of whole characters: no sequence is
 * split, and a lead byte whose sequence was already cut short at the end is left out. */
size_t utf8_cut(const char *s, size_t max);
/* Whether all of s is well-formed UTF-8. */
int utf8_valid(const char *s);

#endif
