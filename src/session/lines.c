/* The one input line (an EditLine with a cursor, history and UTF-8) and what Enter does
 * with it: the typed function (E), a typed value (=) or schedule (Shift+D) for the selected
 * run; the palette's search (Ctrl+K) runs its action in session.c. */
#include "intern.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/config.h"
#include "../core/func.h"
#include "../core/label.h"
#include "../core/optim.h"
#include "../core/sched.h"
#include "../core/utf8.h"
#include "keys.h"

/* The input line. Text arrives as UTF-8 from the platform's text events and the clipboard;
 * control characters (a pasted newline) become spaces, and what does not fit is cut at a
 * character boundary. */
static int edit_open(Session *ses, int purpose)
{
    EditLine *e = &ses->edit;
    const Run *r = session_selected(ses);
    if ((purpose == EDIT_FOR_VALUE || purpose == EDIT_FOR_SCHEDULE) && !r)
        return -1;
    e->purpose = purpose == EDIT_FOR_PALETTE || purpose == EDIT_FOR_VALUE || purpose == EDIT_FOR_SCHEDULE
                     ? purpose
                     : EDIT_FOR_FORMULA;
    e->chosen = 0;
    if (e->purpose == EDIT_FOR_PALETTE)
        e->text[0] = '\0';
    else if (e->purpose == EDIT_FOR_VALUE)
        snprintf(e->text, sizeof e->text, "lr = %.10g", sim_base_lr(r));
    else if (e->purpose == EDIT_FOR_SCHEDULE) /* its formula, or "lr": the lr as it is */
        snprintf(e->text, sizeof e->text, "%s", r->sched.text.formula[0] ? r->sched.text.formula : "lr");
    else
        func_formula_text(&ses->sim.func, e->text, sizeof e->text);
    e->text[utf8_cut(e->text, sizeof e->text - 1)] = '\0';
    e->cursor = (int)strlen(e->text);
    e->error[0] = '\0';
    e->error_column = 0;
    e->browsing = 0;
    e->open = 1;
    return 0;
}

static void edit_insert(EditLine *e, const char *text)
{
    if (!text || !utf8_valid(text))
        return;
    const size_t len = strlen(e->text), room = sizeof e->text - 1 - len;
    const size_t n = utf8_cut(text, room);
    memmove(e->text + e->cursor + n, e->text + e->cursor, len - (size_t)e->cursor + 1);
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)text[i];
        e->text[e->cursor + (int)i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
    }
    e->cursor += (int)n;
}

static void edit_erase(EditLine *e, int from, int to)
{
    memmove(e->text + from, e->text + to, strlen(e->text + to) + 1);
    e->cursor = from;
}

static void edit_show(EditLine *e, const char *text)
{
    snprintf(e->text, sizeof e->text, "%s", text);
    e->cursor = (int)strlen(e->text);
}

/* The history's line `back` lines of this purpose back (1: the latest), or -1. */
static int history_line(const EditLine *e, int back)
{
    for (int i = e->nhistory - 1; i >= 0; i--)
        if (e->history_for[i] == e->purpose && --back == 0)
            return i;
    return -1;
}

static void edit_history(EditLine *e, int back)
{
    const int to = e->browsing + back, at = to > 0 ? history_line(e, to) : -1;
    if (to < 0 || (to > 0 && at < 0))
        return;
    if (e->browsing == 0)
        memcpy(e->draft, e->text, sizeof e->draft);
    e->browsing = to;
    edit_show(e, to == 0 ? e->draft : e->history[at]);
}

static void edit_key(EditLine *e, EditKey key)
{
    const int len = (int)strlen(e->text);
    const int step = e->cursor < len ? utf8_length(e->text + e->cursor, (size_t)(len - e->cursor)) : 0;
    const int next = e->cursor < len ? e->cursor + (step ? step : 1) : len;
    const int prev = e->cursor > 0 ? (int)utf8_back(e->text, (size_t)e->cursor) : 0;
    switch (key) {
    case EDIT_LEFT: e->cursor = prev; break;
    case EDIT_RIGHT: e->cursor = next; break;
    case EDIT_HOME: e->cursor = 0; break;
    case EDIT_END: e->cursor = len; break;
    case EDIT_BACKSPACE: edit_erase(e, prev, e->cursor); break;
    case EDIT_DELETE: edit_erase(e, e->cursor, next); break;
    case EDIT_HISTORY_PREV: edit_history(e, 1); break;
    case EDIT_HISTORY_NEXT: edit_history(e, -1); break;
    }
}

static void edit_remember(EditLine *e)
{
    const int last = history_line(e, 1);
    if (last >= 0 && strcmp(e->history[last], e->text) == 0)
        return;
    if (e->nhistory == SESSION_HISTORY) {
        memmove(e->history[0], e->history[1], sizeof e->history[0] * (SESSION_HISTORY - 1));
        memmove(e->history_for, e->history_for + 1, sizeof e->history_for[0] * (SESSION_HISTORY - 1));
        e->nhistory--;
    }
    e->history_for[e->nhistory] = e->purpose;
    memcpy(e->history[e->nhistory++], e->text, sizeof e->history[0]);
}

/* The share of a grid over box where f is NaN or infinite. */
static double nonfinite_share(const Spec *f, WorldBox box)
{
    enum { N = 32 };
    double xs[N], row[N];
    int bad = 0;
    for (int i = 0; i < N; i++)
        xs[i] = box.x0 + (box.x1 - box.x0) * (i + 0.5) / N;
    for (int j = 0; j < N; j++) {
        func_row(f, xs, N, box.y0 + (box.y1 - box.y0) * (j + 0.5) / N, row);
        for (int i = 0; i < N; i++)
            bad += !isfinite(row[i]);
    }
    return (double)bad / (N * N);
}

/* The line as an expr spec of table t. A formula's error reads "expr: 1:COLUMN: reason";
 * the column counts from the line's start, as the line holds what follows "expr:".
 * Returns 0, or -1 with the error shown under the line. */
static int edit_parse(EditLine *e, const SpecTable *t, Spec *s)
{
    char text[SESSION_EDIT_MAX + 8], err[512];
    snprintf(text, sizeof text, "expr:%s", e->text);
    if (spec_parse(t, text, s, err, sizeof err) == 0)
        return 0;
    int column = 0, used = 0;
    if (sscanf(err, "expr: 1:%d: %n", &column, &used) == 1 && used > 0) {
        e->error_column = column;
        snprintf(e->error, sizeof e->error, "%s", err + used);
    } else {
        e->error_column = 0;
        snprintf(e->error, sizeof e->error, "%s", strncmp(err, "expr: ", 6) == 0 ? err + 6 : err);
    }
    return -1;
}

/* Enter on a function: the line becomes the function, every run from its start. */
static unsigned edit_apply(Session *ses)
{
    EditLine *e = &ses->edit;
    Spec s;
    if (edit_parse(e, &func_table, &s) < 0)
        return 0;
    edit_remember(e);
    e->open = 0;
    e->error[0] = '\0';
    ses->typed = s;
    ses->has_typed = 1;
    ses->sim.func = s;
    func_home(&s, &ses->home, ses->sim.start);
    session_fit_view(ses);
    ses->fit_pending = 1;
    session_restart(ses);
    ses->nfound = func_minima_found(&s, ses->home, ses->found);
    const double bad = nonfinite_share(&s, ses->home);
    if (bad > 0.25)
        session_message(ses, "f is NaN or infinite over %.0f%% of the view", 100 * bad);
    else if (ses->nfound == 0)
        session_message(ses, "function %s \xc2\xb7 no minimum found in the view", e->history[e->nhistory - 1]);
    else
        session_message(ses, "function %s", e->text);
    return EFFECT_LAYOUT | EFFECT_EDIT;
}

static unsigned value_apply(Session *ses);

/* Enter on a schedule: the selected run's lr from the next update on follows the formula,
 * its t counting from here (as D's schedules start). */
static unsigned schedule_apply(Session *ses)
{
    EditLine *e = &ses->edit;
    const Run *r = session_selected(ses);
    Spec s;
    if (!r || edit_parse(e, &sched_table, &s) < 0)
        return 0;
    edit_remember(e);
    e->open = 0;
    e->error[0] = '\0';
    runs_edit_begin(ses);
    sim_set_schedule(&ses->sim, ses->selected, &s);
    session_message(ses, "%s: schedule expr: %s", session_run_label(r), s.text.formula);
    runs_edit_end(ses);
    session_note_change(ses);
    return EFFECT_LAYOUT | EFFECT_EDIT;
}

unsigned lines_edit(Session *ses, const Action *a)
{
    EditLine *e = &ses->edit;
    if (a->kind == ACTION_EDIT_OPEN)
        return edit_open(ses, a->arg) == 0 ? EFFECT_LAYOUT | EFFECT_EDIT : 0;
    if (!e->open)
        return 0;
    /* The palette's Up and Down choose among the actions found rather than go through history. */
    if (e->purpose == EDIT_FOR_PALETTE && a->kind == ACTION_EDIT_KEY &&
        (a->arg == EDIT_HISTORY_PREV || a->arg == EDIT_HISTORY_NEXT)) {
        const int to = e->chosen + (a->arg == EDIT_HISTORY_NEXT ? 1 : -1), n = keys_palette_count(e->text);
        e->chosen = to >= n ? n - 1 : to < 0 ? 0 : to;
        return 0;
    }
    e->chosen = 0;
    switch (a->kind) {
    case ACTION_EDIT_TEXT: edit_insert(e, a->text); break;
    case ACTION_EDIT_KEY: edit_key(e, (EditKey)a->arg); break;
    case ACTION_EDIT_APPLY:
        return e->purpose == EDIT_FOR_VALUE      ? value_apply(ses)
               : e->purpose == EDIT_FOR_SCHEDULE ? schedule_apply(ses)
                                                 : edit_apply(ses);
    default: /* ACTION_EDIT_CANCEL */
        e->open = 0;
        return EFFECT_LAYOUT | EFFECT_EDIT;
    }
    e->error[0] = '\0';
    e->error_column = 0;
    return 0;
}

/* Parameter p (called `name`) of spec s set from `value` through the spec parser, so it is
 * checked and told as on the command line; s is changed only when it parses. */
static int typed_param(const SpecTable *t, Spec *s, int p, const char *name, const char *value, char *err, size_t errlen)
{
    char text[SESSION_TYPED_MAX + 64];
    Spec probe;
    snprintf(text, sizeof text, "%s:%s=%s", spec_kind(t, s->kind)->name, name, value);
    if (spec_parse(t, text, &probe, err, errlen) < 0)
        return -1;
    s->v[p] = probe.v[p];
    memcpy(s->list, probe.list, sizeof s->list);
    s->nlist = probe.nlist;
    s->given |= 1u << p;
    return 0;
}

/* The index of the function's parameter called name (a built-in's, or one a formula names),
 * or -1. */
static int function_param(const Spec *f, const char *name)
{
    if (!func_is_expr(f))
        return spec_param_index(spec_kind(&func_table, f->kind), name);
    for (int i = 0; i < f->text.nnames; i++)
        if (strcmp(f->text.names[i], name) == 0)
            return i;
    return -1;
}

/* Parameter p of the function set from `value`, checked as on the command line (a formula's
 * takes any finite number, as its spec does); the runs go on from where they are. */
static int set_function_param(Session *ses, int p, const char *name, const char *value, char *err, size_t errlen)
{
    Spec next = ses->sim.func;
    if (!func_is_expr(&next)) {
        if (typed_param(&func_table, &next, p, name, value, err, errlen) < 0)
            return -1;
    } else if (spec_number(value, &next.v[p]) < 0) {
        snprintf(err, errlen, "expr: %s: '%.40s' is not a finite number", name, value);
        return -1;
    }
    next.given |= 1u << p;
    sim_set_function(&ses->sim, &next);
    if (func_is_expr(&next))
        ses->typed = next;
    ses->nfound = func_minima_found(&next, ses->home, ses->found);
    return 0;
}

/* "label = TEXT": the run's label, read as --optimizer reads label=TEXT (so a comma ends
 * it there too) and checked against the run's optimizer and schedule. */
static void set_label(Session *ses, Run *r, const char *text)
{
    char spec[SESSION_EDIT_MAX + 64], err[SESSION_MESSAGE_MAX];
    const char *name = spec_kind(&optim_table, r->opt.kind)->name;
    Spec probe;
    snprintf(spec, sizeof spec, "%s:label=%s", name, text);
    if (optim_parse(spec, &probe, err, sizeof err) < 0 || label_check(probe.label, &r->opt, &r->sched, err, sizeof err) < 0) {
        session_message(ses, "%s", err);
        return;
    }
    sim_set_label(&ses->sim, ses->selected, probe.label);
    session_message(ses, "run %d: label %s", ses->selected + 1, session_run_label(r));
    session_note_change(ses);
}

/* "optimizer = SPEC": the run's optimizer as --optimizer would give it (its lr and the rest
 * as the spec says), with fresh state at the run's point; the run keeps its label unless
 * the spec gives one (a template fills with the new optimizer's values). */
static int parse_optimizer(const Session *ses, const Run *r, const char *text, Spec *opt, char *err, size_t errlen)
{
    if (optim_parse(text, opt, err, errlen) < 0)
        return -1;
    if (!opt->label[0])
        memcpy(opt->label, r->opt.label, sizeof opt->label);
    if (label_check(opt->label, opt, &r->sched, err, errlen) < 0)
        return -1;
    return config_check_batch(&ses->sim.func, opt, err, errlen);
}

static void set_optimizer(Session *ses, Run *r, const char *text)
{
    char err[SESSION_MESSAGE_MAX], given[SESSION_EDIT_MAX];
    Spec opt;
    if (parse_optimizer(ses, r, text, &opt, err, sizeof err) < 0) {
        session_message(ses, "%s", err);
        return;
    }
    sim_replace_optimizer(&ses->sim, ses->selected, &opt);
    spec_format(&optim_table, &r->opt, given, sizeof given);
    session_message(ses, "%s: optimizer %s", session_run_label(r), given);
    session_note_change(ses);
}

/* "name = value": the run's label or optimizer, a hyperparameter of the selected run's
 * optimizer, else a parameter of its schedule, else one of the function (for every run). */
static void set_typed(Session *ses, Run *r, const char *line)
{
    char name[SESSION_TYPED_MAX], err[SESSION_MESSAGE_MAX];
    const char *eq = strchr(line, '=');
    const char *v = eq ? eq + 1 : "";
    while (*line == ' ')
        line++;
    int n = eq ? (int)(eq - line) : (int)strlen(line);
    while (n > 0 && line[n - 1] == ' ')
        n--;
    snprintf(name, sizeof name, "%.*s", n, line);
    while (*v == ' ')
        v++;
    if (eq && (strcmp(name, "label") == 0 || strcmp(name, "optimizer") == 0)) {
        char text[SESSION_EDIT_MAX];
        snprintf(text, sizeof text, "%s", v);
        for (size_t end = strlen(text); end > 0 && text[end - 1] == ' '; end--)
            text[end - 1] = '\0';
        if (strcmp(name, "label") == 0)
            set_label(ses, r, text);
        else
            set_optimizer(ses, r, text);
        return;
    }
    const SpecKind *ok = spec_kind(&optim_table, r->opt.kind), *sk = spec_kind(&sched_table, r->sched.kind);
    const int po = spec_param_index(ok, name), ps = po < 0 ? spec_param_index(sk, name) : -1;
    const int pf = po < 0 && ps < 0 ? function_param(&ses->sim.func, name) : -1;
    if (!eq || !*v || (po < 0 && ps < 0 && pf < 0)) {
        session_message(ses, "write NAME = VALUE, NAME label, optimizer, a parameter of %s, of its %s schedule or of the function",
                        ok->name, sk->name);
        return;
    }
    if (pf >= 0) {
        if (set_function_param(ses, pf, name, v, err, sizeof err) < 0) {
            session_message(ses, "%s", err);
            return;
        }
        session_message(ses, "function: %s = %s", name, v);
        session_note_change(ses);
        return;
    }
    if (po >= 0) {
        Spec next = r->opt;
        if (typed_param(&optim_table, &next, po, name, v, err, sizeof err) < 0 ||
            sim_set_hyper(r, po, next.v[po], err, sizeof err) < 0) {
            session_message(ses, "%s", err);
            return;
        }
    } else {
        Spec next = r->sched;
        if (typed_param(&sched_table, &next, ps, name, v, err, sizeof err) < 0 || sched_check(&next, err, sizeof err) < 0) {
            session_message(ses, "%s", err);
            return;
        }
        r->sched = next;
        sim_refresh_lr(r);
    }
    session_message(ses, "%s: %s = %s", session_run_label(r), name, v);
    session_note_change(ses);
}

/* Enter on a value: "name = value" set on the selected run, or why not as the message. */
static unsigned value_apply(Session *ses)
{
    EditLine *e = &ses->edit;
    Run *r = session_selected(ses);
    edit_remember(e);
    e->open = 0;
    if (r) {
        runs_edit_begin(ses);
        set_typed(ses, r, e->text);
        runs_edit_end(ses);
    }
    return EFFECT_LAYOUT | EFFECT_EDIT;
}
