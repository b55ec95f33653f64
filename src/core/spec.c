/* Parsing and printing of `NAME:KEY=VALUE,...` specs against a table of kinds. */
#include "spec.h"

#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPEC_TEXT_MAX 512

const SpecKind *spec_kind(const SpecTable *t, int i)
{
    return (const SpecKind *)((const char *)t->first + (size_t)i * t->stride);
}

int spec_find(const SpecTable *t, const char *name)
{
    for (int i = 0; i < t->count; i++)
        if (strcmp(spec_kind(t, i)->name, name) == 0)
            return i;
    return -1;
}

int spec_param_index(const SpecKind *k, const char *name)
{
    for (int i = 0; i < k->nparams; i++)
        if (strcmp(k->params[i].name, name) == 0)
            return i;
    return -1;
}

void spec_list_names(const SpecTable *t, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < t->count && used < len; i++) {
        int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", spec_kind(t, i)->name);
        if (n < 0)
            return;
        used += (size_t)n;
    }
}

static void list_keys(const SpecTable *t, const SpecKind *k, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < k->nparams && used < len; i++) {
        int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", k->params[i].name);
        if (n < 0)
            return;
        used += (size_t)n;
    }
    if (t->allow_label && used < len)
        used += (size_t)snprintf(buf + used, len - used, "%slabel", used ? ", " : "");
    if (t->allow_batch && used < len)
        snprintf(buf + used, len - used, "%sbatch_size", used ? ", " : "");
    if (buf[0] == '\0')
        snprintf(buf, len, "none");
}

void spec_defaults(const SpecTable *t, int kind, Spec *out)
{
    const SpecKind *k = spec_kind(t, kind);
    memset(out, 0, sizeof *out);
    out->kind = kind;
    for (int i = 0; i < k->nparams; i++)
        out->v[i] = k->params[i].def;
}

/* Plain decimal notation only: [+-]digits[.digits][e[+-]digits]. strtod alone would also
 * take leading blanks, hexadecimal, "inf" and "nan". */
static int decimal_syntax(const char *s)
{
    int digits = 0;
    s += *s == '+' || *s == '-';
    for (; isdigit((unsigned char)*s); s++)
        digits++;
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s); s++)
            digits++;
    if (digits && (*s == 'e' || *s == 'E')) {
        s++;
        s += *s == '+' || *s == '-';
        if (!isdigit((unsigned char)*s))
            return 0;
        while (isdigit((unsigned char)*s))
            s++;
    }
    return digits > 0 && *s == '\0';
}

int spec_number(const char *text, double *out)
{
    if (!decimal_syntax(text))
        return -1;
    errno = 0;
    const double v = strtod(text, NULL);
    /* Underflow gives a tiny or zero value, which range checks judge; overflow has none. */
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1))
        return -1;
    *out = v;
    return 0;
}

static void describe_range(const ParamDef *p, char *buf, size_t len)
{
    const char *lo = (p->flags & PARAM_LO_OPEN) ? ">" : ">=";
    const char *hi = (p->flags & PARAM_HI_OPEN) ? "<" : "<=";
    char a[40], b[40];
    spec_format_number(a, sizeof a, p->lo);
    spec_format_number(b, sizeof b, p->hi);
    if (p->hi >= 1e300)
        snprintf(buf, len, "%s %s", lo, a);
    else
        snprintf(buf, len, "%s %s and %s %s", lo, a, hi, b);
}

int spec_check_value(const SpecKind *k, int param, double v, char *err, size_t errlen)
{
    const ParamDef *p = &k->params[param];
    int below = (p->flags & PARAM_LO_OPEN) ? v <= p->lo : v < p->lo;
    int above = (p->flags & PARAM_HI_OPEN) ? v >= p->hi : v > p->hi;
    char got[40];
    spec_format_number(got, sizeof got, v);
    if (!isfinite(v) || below || above) {
        char range[96];
        describe_range(p, range, sizeof range);
        snprintf(err, errlen, "%s: %s must be %s, got %s", k->name, p->name, range, got);
        return -1;
    }
    /* A list holds step counts (multistep's milestones). */
    if ((p->type == PARAM_INT || p->type == PARAM_LIST) && v != floor(v)) {
        snprintf(err, errlen, "%s: %s must be %s, got %s", k->name, p->name,
                 p->type == PARAM_LIST ? "whole numbers" : "a whole number", got);
        return -1;
    }
    return 0;
}

static int parse_bool(const char *s, double *out)
{
    if (!strcmp(s, "1") || !strcmp(s, "true")) {
        *out = 1;
        return 0;
    }
    if (!strcmp(s, "0") || !strcmp(s, "false")) {
        *out = 0;
        return 0;
    }
    return -1;
}

static int parse_choice(const char *choices, const char *s, double *out)
{
    int index = 0;
    size_t n = strlen(s);
    for (const char *c = choices; *c; index++) {
        size_t w = strcspn(c, "|");
        if (w == n && n > 0 && strncmp(c, s, n) == 0) {
            *out = index;
            return 0;
        }
        c += w;
        if (*c == '|')
            c++;
    }
    return -1;
}

static int parse_list(const SpecKind *k, int pi, char *s, Spec *out, char *err, size_t errlen)
{
    const ParamDef *p = &k->params[pi];
    out->nlist = 0;
    for (char *item = s, *next; item; item = next) {
        double v;
        next = strchr(item, '/');
        if (next)
            *next++ = '\0';
        if (*item == '\0') {
            snprintf(err, errlen, "%s: %s has an empty value (write e.g. %s=30/80/150)", k->name, p->name, p->name);
            return -1;
        }
        if (out->nlist == SPEC_MAX_LIST) {
            snprintf(err, errlen, "%s: %s takes at most %d values", k->name, p->name, SPEC_MAX_LIST);
            return -1;
        }
        if (spec_number(item, &v) < 0) {
            snprintf(err, errlen, "%s: %s: '%s' is not a number (expected e.g. %s=30/80/150)", k->name,
                     p->name, item, p->name);
            return -1;
        }
        if (spec_check_value(k, pi, v, err, errlen) < 0)
            return -1;
        if (out->nlist > 0 && v <= out->list[out->nlist - 1]) {
            char a[40], b[40];
            spec_format_number(a, sizeof a, v);
            spec_format_number(b, sizeof b, out->list[out->nlist - 1]);
            snprintf(err, errlen, "%s: %s must be increasing, got %s after %s", k->name, p->name, a, b);
            return -1;
        }
        out->list[out->nlist++] = v;
    }
    out->v[pi] = out->nlist;
    return 0;
}

static int parse_value(const SpecKind *k, int pi, char *val, Spec *out, char *err, size_t errlen)
{
    const ParamDef *p = &k->params[pi];
    double v = 0;
    switch (p->type) {
    case PARAM_LIST:
        return parse_list(k, pi, val, out, err, errlen);
    case PARAM_BOOL:
        if (parse_bool(val, &v) < 0) {
            snprintf(err, errlen, "%s: %s must be 0, 1, true or false, got '%s'", k->name, p->name, val);
            return -1;
        }
        break;
    case PARAM_CHOICE:
        if (parse_choice(p->choices, val, &v) < 0) {
            snprintf(err, errlen, "%s: %s must be one of %s, got '%s'", k->name, p->name, p->choices, val);
            return -1;
        }
        break;
    case PARAM_REAL:
    case PARAM_INT:
        if (spec_number(val, &v) < 0) {
            snprintf(err, errlen, "%s: %s: '%s' is not a finite number", k->name, p->name, val);
            return -1;
        }
        if (spec_check_value(k, pi, v, err, errlen) < 0)
            return -1;
        break;
    }
    out->v[pi] = v;
    return 0;
}

int spec_check_text(const char *what, const char *text, int max_chars, char *err, size_t errlen)
{
    const size_t n = strlen(text);
    int chars = 0;
    for (size_t i = 0; i < n; chars++) {
        const int len = utf8_length(text + i, n - i);
        if (len == 0) {
            snprintf(err, errlen, "%s is not valid UTF-8 (byte 0x%02x at %zu)", what, (unsigned char)text[i], i + 1);
            return -1;
        }
        const unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
            snprintf(err, errlen, "%s may not hold control characters, quotes or backslashes", what);
            return -1;
        }
        i += (size_t)len;
    }
    if (chars == 0 || chars > max_chars) {
        snprintf(err, errlen, "%s must be 1 to %d characters, got %d", what, max_chars, chars);
        return -1;
    }
    return 0;
}

static int parse_label(const SpecKind *k, const char *val, Spec *out, char *err, size_t errlen)
{
    char what[64];
    snprintf(what, sizeof what, "%s: label", k->name);
    if (out->label[0]) {
        snprintf(err, errlen, "%s given twice", what);
        return -1;
    }
    if (spec_check_text(what, val, SPEC_LABEL_CHARS, err, errlen) < 0)
        return -1;
    memcpy(out->label, val, strlen(val) + 1);
    return 0;
}

/* batch_size=B: whole rows, 0 for all of them; whether B fits the data is the config's
 * check, once the function's data is read. */
static int parse_batch(const SpecKind *k, const char *val, Spec *out, char *err, size_t errlen)
{
    double v;
    if (out->batch) {
        snprintf(err, errlen, "%s: batch_size given twice", k->name);
        return -1;
    }
    if (spec_number(val, &v) < 0 || v != floor(v) || v < 0 || v > 1e6) {
        snprintf(err, errlen, "%s: batch_size must be a whole number from 0 (all the data) to 1000000, got '%.40s'",
                 k->name, val);
        return -1;
    }
    out->batch = (long)v;
    return 0;
}

static int parse_pair(const SpecTable *t, const SpecKind *k, char *pair, Spec *out, char *err,
                      size_t errlen)
{
    char keys[256];
    char *eq = strchr(pair, '=');
    if (!eq || eq == pair) {
        list_keys(t, k, keys, sizeof keys);
        snprintf(err, errlen, "%s: expected KEY=VALUE, got '%s' (keys: %s)", k->name, pair, keys);
        return -1;
    }
    *eq = '\0';
    char *val = eq + 1;
    if (t->allow_label && strcmp(pair, "label") == 0)
        return parse_label(k, val, out, err, errlen);
    if (t->allow_batch && strcmp(pair, "batch_size") == 0)
        return parse_batch(k, val, out, err, errlen);
    int pi = spec_param_index(k, pair);
    if (pi < 0) {
        list_keys(t, k, keys, sizeof keys);
        snprintf(err, errlen, "%s: unknown key '%s' (valid: %s)", k->name, pair, keys);
        return -1;
    }
    if (out->given & (1u << pi)) {
        snprintf(err, errlen, "%s: %s given twice", k->name, pair);
        return -1;
    }
    if (parse_value(k, pi, val, out, err, errlen) < 0)
        return -1;
    out->given |= 1u << pi;
    return 0;
}

/* The kind named before the text's first ':' if it parses its own text, else -1. */
static int text_kind(const SpecTable *t, const char *text)
{
    const size_t w = strcspn(text, ":");
    for (int i = 0; i < t->count; i++) {
        const SpecKind *k = spec_kind(t, i);
        if (k->parse_text && strlen(k->name) == w && strncmp(k->name, text, w) == 0)
            return i;
    }
    return -1;
}

int spec_parse(const SpecTable *t, const char *text, Spec *out, char *err, size_t errlen)
{
    char buf[SPEC_TEXT_MAX], names[512];
    size_t n = strlen(text);
    if (n == 0) {
        spec_list_names(t, names, sizeof names);
        snprintf(err, errlen, "empty %s spec (valid: %s)", t->what, names);
        return -1;
    }
    const int own = text_kind(t, text);
    if (own >= 0) {
        spec_defaults(t, own, out);
        return spec_kind(t, own)->parse_text(text[strlen(spec_kind(t, own)->name)] ? strchr(text, ':') + 1 : NULL, out,
                                             err, errlen);
    }
    if (n >= sizeof buf) {
        snprintf(err, errlen, "%s spec too long (%zu bytes, at most %zu)", t->what, n, sizeof buf - 1);
        return -1;
    }
    memcpy(buf, text, n + 1);
    char *colon = strchr(buf, ':');
    if (colon)
        *colon = '\0';
    int kind = spec_find(t, buf);
    if (kind < 0) {
        spec_list_names(t, names, sizeof names);
        snprintf(err, errlen, "unknown %s '%.60s' (valid: %s)", t->what, buf, names);
        return -1;
    }
    spec_defaults(t, kind, out);
    if (!colon)
        return 0;
    const SpecKind *k = spec_kind(t, kind);
    char *rest = colon + 1;
    if (*rest == '\0') {
        snprintf(err, errlen, "%s: nothing after ':' (write %s alone or %s:KEY=VALUE)", k->name, k->name,
                 k->name);
        return -1;
    }
    for (char *p = rest;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (parse_pair(t, k, p, out, err, errlen) < 0)
            return -1;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

void spec_format_number(char *out, size_t len, double v)
{
    snprintf(out, len, "%.10g", v);
    if (strtod(out, NULL) != v)
        snprintf(out, len, "%.17g", v);
}

void spec_format_value(char *out, size_t len, double v, int brief)
{
    if (brief)
        snprintf(out, len, "%.6g", v);
    else
        spec_format_number(out, len, v);
}

static size_t append(char *buf, size_t len, size_t used, const char *head, double v, int brief)
{
    char num[40];
    spec_format_value(num, sizeof num, v, brief);
    if (used >= len)
        return used;
    int n = snprintf(buf + used, len - used, "%s%s", head, num);
    return n < 0 ? used : used + (size_t)n;
}

static void format_spec(const SpecTable *t, const Spec *s, char *buf, size_t len, int brief)
{
    const SpecKind *k = spec_kind(t, s->kind);
    size_t used = (size_t)snprintf(buf, len, "%s", k->name);
    if (k->format_text) {
        if (used < len)
            k->format_text(s, brief, buf + used, len - used);
        return;
    }
    char sep = ':';
    for (int i = 0; i < k->nparams; i++) {
        const ParamDef *p = &k->params[i];
        if (!(s->given & (1u << i)) && s->v[i] == p->def)
            continue;
        char head[48];
        snprintf(head, sizeof head, "%c%s=", sep, p->name);
        sep = ',';
        if (p->type == PARAM_LIST) {
            used = append(buf, len, used, head, s->list[0], brief);
            for (int j = 1; j < s->nlist; j++)
                used = append(buf, len, used, "/", s->list[j], brief);
        } else if (p->type == PARAM_CHOICE) {
            const char *c = p->choices;
            for (int j = 0; j < (int)s->v[i]; j++)
                c += strcspn(c, "|") + 1;
            int w = (int)strcspn(c, "|");
            if (used < len)
                used += (size_t)snprintf(buf + used, len - used, "%s%.*s", head, w, c);
        } else {
            used = append(buf, len, used, head, s->v[i], brief);
        }
    }
    if (s->batch > 0 && used < len)
        snprintf(buf + used, len - used, "%cbatch_size=%ld", sep, s->batch);
}

void spec_format(const SpecTable *t, const Spec *s, char *buf, size_t len)
{
    format_spec(t, s, buf, len, 0);
}

void spec_format_brief(const SpecTable *t, const Spec *s, char *buf, size_t len)
{
    format_spec(t, s, buf, len, 1);
}
