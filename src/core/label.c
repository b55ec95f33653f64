/* Label templates (see label.h): braces parsed in one pass, fields looked up by name in the
 * optimizer's and the schedule's parameter rows, so a new hyperparameter is a field at once. */
#include "label.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "optim.h"
#include "sched.h"
#include "utf8.h"

void label_number(char *buf, size_t len, double v)
{
    const double a = fabs(v);
    if (!isfinite(v)) /* the core never hands one over; should it, no "nan" on screen */
        snprintf(buf, len, "%s", isnan(v) ? "\xe2\x80\x93" : v > 0 ? "\xe2\x88\x9e" : "\xe2\x88\x92\xe2\x88\x9e");
    else if (v == 0)
        snprintf(buf, len, "0");
    else if (a >= 1e-3 && a < 1e5)
        snprintf(buf, len, "%.4g", v);
    else
        snprintf(buf, len, "%.2e", v);
}

typedef enum { FIELD_UNKNOWN, FIELD_REAL, FIELD_WHOLE, FIELD_TEXT, FIELD_LIST } FieldType;

/* A field's value, found by name. */
typedef struct {
    FieldType type;
    unsigned moves; /* the LABEL_WIDEST_* bit of a number that moves by itself, or 0 */
    double v;
    const char *text; /* FIELD_TEXT: text_len bytes */
    int text_len;
    const Spec *list; /* FIELD_LIST: its list */
} Field;

/* A parameter of a spec as a field; a cycling schedule's momentum replaces the optimizer's. */
static Field param_field(const SpecKind *k, int i, const Spec *s, double momentum, int momentum_param)
{
    const ParamDef *p = &k->params[i];
    Field f = { .type = FIELD_REAL, .v = s->v[i] };
    if (i == momentum_param && !isnan(momentum))
        f.v = momentum, f.moves = LABEL_WIDEST_MOMENTUM;
    else if (p->type == PARAM_INT || p->type == PARAM_BOOL)
        f.type = FIELD_WHOLE;
    else if (p->type == PARAM_LIST)
        f = (Field){ .type = FIELD_LIST, .list = s };
    else if (p->type == PARAM_CHOICE) {
        const char *c = p->choices;
        for (int j = 0; j < (int)s->v[i] && strchr(c, '|'); j++)
            c = strchr(c, '|') + 1;
        f = (Field){ .type = FIELD_TEXT, .text = c, .text_len = (int)strcspn(c, "|") };
    }
    return f;
}

static Field text_field(const char *text)
{
    return (Field){ .type = FIELD_TEXT, .text = text, .text_len = (int)strlen(text) };
}

/* The field called `name`; FIELD_UNKNOWN when there is none. */
static Field find_field(const char *name, const LabelValues *v)
{
    const SpecKind *ok = spec_kind(&optim_table, v->opt->kind), *sk = spec_kind(&sched_table, v->sched->kind);
    if (strcmp(name, "lr") == 0)
        return (Field){ .type = FIELD_REAL, .moves = LABEL_WIDEST_LR, .v = v->lr };
    if (strcmp(name, "optimizer") == 0)
        return text_field(ok->name);
    if (strcmp(name, "schedule") == 0)
        return text_field(sk->name);
    int i = spec_param_index(ok, name);
    if (i >= 0)
        return param_field(ok, i, v->opt, v->momentum, optim_def(v->opt->kind)->momentum);
    i = spec_param_index(sk, name);
    if (i >= 0)
        return param_field(sk, i, v->sched, NAN, -1);
    return (Field){ .type = FIELD_UNKNOWN };
}

static int any_schedule_has(const char *name)
{
    for (int k = 0; k < sched_table.count; k++)
        if (spec_param_index(spec_kind(&sched_table, k), name) >= 0)
            return 1;
    return 0;
}

/* "lr, optimizer, schedule, momentum, ..., gamma": every field, for messages. */
static void list_fields(const Spec *opt, const Spec *sched, char *buf, size_t len)
{
    const SpecKind *ok = spec_kind(&optim_table, opt->kind);
    size_t used = (size_t)snprintf(buf, len, "lr, optimizer, schedule");
    for (int i = 0; i < ok->nparams && used < len; i++)
        if (strcmp(ok->params[i].name, "lr") != 0)
            used += (size_t)snprintf(buf + used, len - used, ", %s", ok->params[i].name);
    if (!sched) {
        if (used < len)
            snprintf(buf + used, len - used, ", or a parameter of its schedule");
        return;
    }
    const SpecKind *sk = spec_kind(&sched_table, sched->kind);
    for (int i = 0; i < sk->nparams && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, ", %s", sk->params[i].name);
}

/* The field starting after the '{' at p: its name into `name` (empty when unclosed);
 * returns the length through the closing '}', or 0 when there is none. */
static size_t field_at(const char *p, char *name, size_t len)
{
    const char *close = strchr(p, '}');
    name[0] = '\0';
    if (!close)
        return 0;
    const size_t n = (size_t)(close - p);
    snprintf(name, len, "%.*s", (int)(n < len ? n : len - 1), p);
    return n + 2;
}

int label_check(const char *tmpl, const Spec *opt, const Spec *sched, char *err, size_t errlen)
{
    const char *oname = spec_kind(&optim_table, opt->kind)->name;
    char fields[400], name[64];
    for (const char *p = tmpl; *p; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            p++;
            continue;
        }
        if (*p == '}') {
            snprintf(err, errlen, "%s: label '%s': a lone '}' (write }} for a brace)", oname, tmpl);
            return -1;
        }
        if (*p != '{')
            continue;
        const size_t n = field_at(p + 1, name, sizeof name);
        int known = 0;
        if (n > 0 && sched) {
            const LabelValues v = { .opt = opt, .sched = sched, .momentum = NAN };
            known = find_field(name, &v).type != FIELD_UNKNOWN;
        } else if (n > 0) {
            Spec constant;
            spec_defaults(&sched_table, 0, &constant);
            const LabelValues v = { .opt = opt, .sched = &constant, .momentum = NAN };
            known = find_field(name, &v).type != FIELD_UNKNOWN || any_schedule_has(name);
        }
        if (n == 0) {
            list_fields(opt, sched, fields, sizeof fields);
            snprintf(err, errlen, "%s: label '%s': '{' without its '}' (write {{ for a brace; fields: %s)", oname,
                     tmpl, fields);
            return -1;
        }
        if (!known) {
            list_fields(opt, sched, fields, sizeof fields);
            snprintf(err, errlen, "%s: label '%s': unknown field {%s} (valid: %s)", oname, tmpl, name, fields);
            return -1;
        }
        p += n - 1;
    }
    return 0;
}

static size_t put(char *out, size_t len, size_t used, const char *s, size_t n)
{
    if (used >= len)
        return used;
    const size_t room = len - 1 - used;
    if (n > room)
        n = utf8_cut(s, room);
    memcpy(out + used, s, n);
    out[used + n] = '\0';
    return used + n;
}

/* The field's text, as the legend would write it. */
static void field_text(const Field *f, unsigned widest, char *buf, size_t len)
{
    switch (f->type) {
    case FIELD_REAL:
        if (widest & f->moves)
            snprintf(buf, len, "%s", LABEL_NUMBER_WIDEST);
        else
            label_number(buf, len, f->v);
        return;
    case FIELD_WHOLE: /* counts and switches: whole, never "1e+05" */
        snprintf(buf, len, "%.0f", f->v);
        return;
    case FIELD_TEXT:
        snprintf(buf, len, "%.*s", f->text_len, f->text);
        return;
    case FIELD_LIST: {
        size_t used = 0;
        buf[0] = '\0';
        for (int j = 0; j < f->list->nlist && used < len; j++)
            used += (size_t)snprintf(buf + used, len - used, "%s%g", j ? "/" : "", f->list->list[j]);
        return;
    }
    case FIELD_UNKNOWN:
        break;
    }
    buf[0] = '\0';
}

void label_fill(const char *tmpl, const LabelValues *v, unsigned widest, char *out, size_t len)
{
    size_t used = 0;
    char name[64], text[LABEL_TEXT_MAX];
    out[0] = '\0';
    for (const char *p = tmpl; *p && used + 1 < len; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            used = put(out, len, used, p++, 1);
            continue;
        }
        const size_t n = *p == '{' ? field_at(p + 1, name, sizeof name) : 0;
        const Field f = n ? find_field(name, v) : (Field){ .type = FIELD_UNKNOWN };
        if (f.type == FIELD_UNKNOWN) {
            used = put(out, len, used, p, 1);
            continue;
        }
        field_text(&f, widest, text, sizeof text);
        used = put(out, len, used, text, strlen(text));
        p += n - 1;
    }
    out[utf8_cut(out, used)] = '\0'; /* a character the end cut in two goes */
}

int label_has_field(const char *tmpl, const char *name)
{
    char field[64];
    for (const char *p = tmpl; *p; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            p++;
            continue;
        }
        if (*p != '{')
            continue;
        const size_t n = field_at(p + 1, field, sizeof field);
        if (n == 0)
            return 0;
        if (strcmp(field, name) == 0)
            return 1;
        p += n - 1;
    }
    return 0;
}
