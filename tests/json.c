/* The strict JSON validator: a recursive descent over the grammar of RFC 8259. */
#include "json.h"

#include <string.h>

#include "../src/core/spec.h"
#include "../src/core/utf8.h"

#define JSON_MAX_DEPTH 64

typedef struct {
    const unsigned char *p, *end;
} Cursor;

static void skip_space(Cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int literal(Cursor *c, const char *word)
{
    const size_t n = strlen(word);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
        return -1;
    c->p += n;
    return 0;
}

static int digits(Cursor *c)
{
    const unsigned char *start = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
        c->p++;
    return c->p > start ? 0 : -1;
}

static int number(Cursor *c)
{
    if (c->p < c->end && *c->p == '-')
        c->p++;
    if (c->p < c->end && *c->p == '0')
        c->p++;
    else if (digits(c) < 0)
        return -1;
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        if (digits(c) < 0)
            return -1;
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
            c->p++;
        if (digits(c) < 0)
            return -1;
    }
    return 0;
}

static int hex4(Cursor *c)
{
    for (int i = 0; i < 4; i++, c->p++) {
        const unsigned char h = c->p < c->end ? *c->p : 0;
        if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
            return -1;
    }
    return 0;
}

static int string(Cursor *c)
{
    c->p++; /* the opening quote */
    while (c->p < c->end && *c->p != '"') {
        if (*c->p < 0x20)
            return -1;
        if (*c->p == '\\') {
            c->p++;
            if (c->p >= c->end)
                return -1;
            const unsigned char e = *c->p++;
            if (e == 'u') {
                if (hex4(c) < 0)
                    return -1;
            } else if (!strchr("\"\\/bfnrt", e) || e == 0) {
                return -1;
            }
            continue;
        }
        const int n = utf8_length((const char *)c->p, (size_t)(c->end - c->p));
        if (n == 0)
            return -1;
        c->p += n;
    }
    if (c->p >= c->end)
        return -1;
    c->p++;
    return 0;
}

static int value(Cursor *c, int depth);

/* An object's members or an array's items, between open and close. */
static int members(Cursor *c, int depth, unsigned char close, int keyed)
{
    c->p++;
    skip_space(c);
    if (c->p < c->end && *c->p == close) {
        c->p++;
        return 0;
    }
    for (;;) {
        skip_space(c);
        if (keyed) {
            if (c->p >= c->end || *c->p != '"' || string(c) < 0)
                return -1;
            skip_space(c);
            if (c->p >= c->end || *c->p != ':')
                return -1;
            c->p++;
        }
        if (value(c, depth + 1) < 0)
            return -1;
        skip_space(c);
        if (c->p >= c->end)
            return -1;
        if (*c->p == close) {
            c->p++;
            return 0;
        }
        if (*c->p++ != ',')
            return -1;
    }
}

static int value(Cursor *c, int depth)
{
    if (depth > JSON_MAX_DEPTH)
        return -1;
    skip_space(c);
    if (c->p >= c->end)
        return -1;
    switch (*c->p) {
    case '{': return members(c, depth, '}', 1);
    case '[': return members(c, depth, ']', 0);
    case '"': return string(c);
    case 't': return literal(c, "true");
    case 'f': return literal(c, "false");
    case 'n': return literal(c, "null");
    default: return number(c);
    }
}

int json_validate(const char *text, size_t len, size_t *where)
{
    Cursor c = { (const unsigned char *)text, (const unsigned char *)text + len };
    int rc = value(&c, 0);
    skip_space(&c);
    if (rc == 0 && c.p != c.end)
        rc = -1;
    if (where)
        *where = (size_t)(c.p - (const unsigned char *)text);
    return rc;
}
