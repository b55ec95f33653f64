/* The presenter's screen in words (see session.h): what the lecturer reads and the class
 * never sees. The picture is render/presenter.c's; this is what it says, so the state dump
 * and the window say the same. */
#include <stdio.h>
#include <string.h>

#include "../core/curvature.h"
#include "../core/label.h"
#include "../core/optim.h"
#include "../core/sched.h"
#include "../core/utf8.h"
#include "intern.h"

#define PRESENTER_SPEC_MAX 512

static PresenterLine *add(PresenterText *out, PresenterStyle style, int run)
{
    if (out->n == PRESENTER_LINES_MAX)
        return NULL;
    PresenterLine *l = &out->line[out->n++];
    l->style = style;
    l->run = run;
    l->text[0] = '\0';
    return l;
}

#define SAY(out, style, run, ...)                                                                                    \
    do {                                                                                                           \
        PresenterLine *l_ = add((out), (style), (run));                                                            \
        if (l_) {                                                                                                  \
            snprintf(l_->text, sizeof l_->text, __VA_ARGS__);                                                      \
            l_->text[utf8_cut(l_->text, sizeof l_->text - 1)] = '\0'; /* whole characters */                     \
        }                                                                                                          \
    } while (0)

/* "scene 4/13 · next: Exponential decay", or where the deck ends. */
static void where(const Session *ses, PresenterText *out)
{
    if (ses->deck_count < 2) {
        SAY(out, PRESENTER_DIM, -1, "one scene (no deck)");
        return;
    }
    const int last = ses->deck_at + 1 >= ses->deck_count;
    if (last)
        SAY(out, PRESENTER_DIM, -1, "scene %d/%d \xc2\xb7 the last", ses->deck_at + 1, ses->deck_count);
    else
        SAY(out, PRESENTER_DIM, -1, "scene %d/%d \xc2\xb7 next: %s", ses->deck_at + 1, ses->deck_count,
            ses->presenter.next_title[0] ? ses->presenter.next_title : "(untitled)");
}

/* The notes, a line of the scene file each (the picture wraps them). */
static void notes(const Session *ses, PresenterText *out)
{
    SAY(out, PRESENTER_HEADING, -1, "Notes");
    if (!ses->note[0]) {
        SAY(out, PRESENTER_DIM, -1, "this scene has no notes");
        return;
    }
    for (const char *p = ses->note; *p;) {
        const size_t n = strcspn(p, "\n");
        SAY(out, PRESENTER_NOTE, -1, "%.*s", (int)n, p);
        p += n + (p[n] == '\n');
    }
}

/* Two lines a run: what it is now, and what J would say of it. */
static void run_lines(const Session *ses, int i, PresenterText *out)
{
    const Run *r = &ses->sim.runs[i];
    char label[LABEL_TEXT_MAX], opt[PRESENTER_SPEC_MAX], sched[PRESENTER_SPEC_MAX], lr[32], loss[32];
    sim_label(r, label, sizeof label);
    spec_format(&optim_table, &r->opt, opt, sizeof opt);
    spec_format(&sched_table, &r->sched, sched, sizeof sched);
    label_number(lr, sizeof lr, r->lr);
    label_number(loss, sizeof loss, r->loss);
    SAY(out, PRESENTER_RUN, i, "%s%s \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 lr now %s \xc2\xb7 loss %s \xc2\xb7 step %ld", label,
        r->hidden ? " (hidden)" : "", opt, sched, lr, loss, r->step);
    if (r->diverged) {
        char why[160];
        sim_stop_text(r, why, sizeof why);
        SAY(out, PRESENTER_WARN, i, "%s", why);
        return;
    }
    CurvEigen e;
    CurvStability st;
    curv_eigen_at(&ses->sim.func, r->x, r->y, &e);
    curv_stability(r, &e, &st);
    char eig[160], verdict[192];
    curv_eigen_text(&e, eig, sizeof eig);
    curv_stability_text(r, &st, verdict, sizeof verdict);
    const int judged = st.rule == CURV_RULE_PLAIN || st.rule == CURV_RULE_MOMENTUM;
    SAY(out, judged && !st.stable ? PRESENTER_WARN : PRESENTER_DIM, i, "%s \xc2\xb7 %s", eig, verdict);
}

static void clock_text(long seconds, char *buf, size_t len)
{
    seconds = seconds < 0 ? 0 : seconds;
    if (seconds >= 3600)
        snprintf(buf, len, "%ld:%02ld:%02ld", seconds / 3600, seconds / 60 % 60, seconds % 60);
    else
        snprintf(buf, len, "%ld:%02ld", seconds / 60, seconds % 60);
}

void session_presenter_text(const Session *ses, time_t now, PresenterText *out)
{
    out->n = 0;
    const char *title = session_title(ses);
    char brief[PRESENTER_SPEC_MAX];
    spec_format_brief(&func_table, &ses->sim.func, brief, sizeof brief);
    SAY(out, PRESENTER_TITLE, -1, "%s", title[0] ? title : brief);
    where(ses, out);
    notes(ses, out);
    SAY(out, PRESENTER_HEADING, -1, "Runs on %s", brief);
    for (int i = 0; i < ses->sim.nruns; i++)
        run_lines(ses, i, out);
    struct tm tm;
    char at[16], since[24];
    localtime_r(&now, &tm);
    strftime(at, sizeof at, "%H:%M", &tm);
    clock_text(ses->presenter.started ? (long)(now - ses->presenter.started) : 0, since, sizeof since);
    SAY(out, PRESENTER_HEADING, -1, "%s \xc2\xb7 %s since the start%s", at, since, ses->paused ? " \xc2\xb7 paused" : "");
    SAY(out, PRESENTER_DIM, -1, "last key: %s", ses->presenter.last_key[0] ? ses->presenter.last_key : "none yet");
}
