/* The runs edited live: a copy of the selected run added (+), the selected run removed
 * (Delete), and the last edit of the runs undone (Ctrl+Z). Each is a live change the
 * timeline records, so stepping back and forth passes through it as it happened. */
#include "intern.h"

#include <stdio.h>
#include <string.h>

#include "../core/label.h"
#include "../core/utf8.h"

/* Swaps two blocks of n bytes a slice at a time: a trail is too big for a copy on the stack. */
static void swap_bytes(void *a, void *b, size_t n)
{
    unsigned char slice[4096], *p = a, *q = b;
    for (size_t at = 0; at < n; at += sizeof slice) {
        const size_t k = n - at < sizeof slice ? n - at : sizeof slice;
        memcpy(slice, p + at, k);
        memcpy(p + at, q + at, k);
        memcpy(q + at, slice, k);
    }
}

static int find_run(const Run *runs, int n, unsigned id)
{
    for (int i = 0; i < n; i++)
        if (runs[i].id == id)
            return i;
    return -1;
}

static void swap_slots(Session *ses, int a, int b)
{
    if (a == b)
        return;
    swap_bytes(&ses->trails[a], &ses->trails[b], sizeof ses->trails[a]);
    swap_bytes(&ses->hist[a], &ses->hist[b], sizeof ses->hist[a]);
    const unsigned id = ses->slot_run[a];
    ses->slot_run[a] = ses->slot_run[b], ses->slot_run[b] = id;
}

/* The slot from `from` on holding run id's trail (0: one never used), -1 when none does. */
static int find_slot(const Session *ses, int from, unsigned id)
{
    for (int s = from; s < SIM_MAX_RUNS; s++)
        if (ses->slot_run[s] == id)
            return s;
    return -1;
}

/* The trails and histories are moved into next's order by swaps, slot j taking the one its
 * run left, wherever it is: a removed run's stays parked past the runs, so stepping back
 * over the removal finds its past again. A run with none takes a slot never used, else one
 * no later run of next needs, and starts it again. */
static void slots_in_order(Session *ses, const Sim *next, int fresh[SIM_MAX_RUNS])
{
    for (int j = 0; j < next->nruns; j++) {
        int s = find_slot(ses, j, next->runs[j].id);
        fresh[j] = s < 0;
        if (s < 0)
            s = find_slot(ses, j, 0);
        for (int k = j; s < 0 && k < SIM_MAX_RUNS; k++)
            if (find_run(next->runs + j + 1, next->nruns - j - 1, ses->slot_run[k]) < 0)
                s = k;
        swap_slots(ses, j, s);
    }
}

void session_set_runs(Session *ses, const Sim *next)
{
    int fresh[SIM_MAX_RUNS], hidden[SIM_MAX_RUNS];
    const unsigned selected = ses->sim.nruns ? ses->sim.runs[ses->selected].id : 0;
    for (int j = 0; j < next->nruns; j++) {
        const int i = find_run(ses->sim.runs, ses->sim.nruns, next->runs[j].id);
        /* Whether a run is hidden is how it is shown, not its past. */
        hidden[j] = i >= 0 ? ses->sim.runs[i].hidden : next->runs[j].hidden;
    }
    slots_in_order(ses, next, fresh);
    /* An id is never given twice, even after stepping back to before a run was added: Ctrl+Z
     * may still hold the run that had it. */
    const unsigned last_id = ses->sim.last_id > next->last_id ? ses->sim.last_id : next->last_id;
    if (&ses->sim != next)
        ses->sim = *next;
    ses->sim.last_id = last_id;
    for (int j = 0; j < ses->sim.nruns; j++) {
        ses->sim.runs[j].hidden = hidden[j];
        if (fresh[j])
            session_reset_trail(ses, j);
    }
    const int at = find_run(ses->sim.runs, ses->sim.nruns, selected);
    ses->selected = at >= 0 ? at : ses->selected < ses->sim.nruns ? ses->selected : ses->sim.nruns - 1;
}

/* Whether no run's label reads as the probe's does. */
static int label_free(const Sim *sim, const Run *probe)
{
    char mine[LABEL_TEXT_MAX], other[LABEL_TEXT_MAX];
    sim_label(probe, mine, sizeof mine);
    for (int j = 0; j < sim->nruns; j++) {
        sim_label(&sim->runs[j], other, sizeof other);
        if (strcmp(mine, other) == 0)
            return 0;
    }
    return 1;
}

/* The copy's label: the run's own template (the optimizer's name as a field when it has
 * none, so the copy's follows its optimizer), without the number a copy's label ends in,
 * and the first number from 2 that no run's label reads yet; cut to the characters a label
 * may have, as a saved scene must read it back. */
static void copy_label(const Sim *sim, const Run *r, char *out, size_t len)
{
    char base[SPEC_LABEL_MAX];
    snprintf(base, sizeof base, "%s", r->opt.label[0] ? r->opt.label : "{optimizer}");
    size_t end = strlen(base);
    while (end > 0 && base[end - 1] >= '0' && base[end - 1] <= '9')
        end--;
    if (end > 1 && end < strlen(base) && base[end - 1] == ' ')
        base[end - 1] = '\0';
    Run probe = *r;
    probe.twin = 0;
    for (int n = 2;; n++) {
        char number[16], err[256];
        const int digits = snprintf(number, sizeof number, " %d", n);
        size_t keep = 0;
        for (int chars = 0; base[keep] && chars < SPEC_LABEL_CHARS - digits; chars++) {
            const int bytes = utf8_length(base + keep, strlen(base + keep));
            keep += bytes > 0 ? (size_t)bytes : 1;
        }
        snprintf(probe.opt.label, sizeof probe.opt.label, "%.*s%s", (int)keep, base, number);
        if (label_check(probe.opt.label, &probe.opt, &probe.sched, err, sizeof err) < 0) /* a field cut */
            snprintf(probe.opt.label, sizeof probe.opt.label, "{optimizer}%s", number);
        if (label_free(sim, &probe) || n > SIM_MAX_RUNS + 1) {
            snprintf(out, len, "%s", probe.opt.label);
            return;
        }
    }
}

void runs_add_copy(Session *ses)
{
    const Run *r = session_selected(ses);
    char err[SESSION_MESSAGE_MAX];
    if (ses->sim.nruns == SIM_MAX_RUNS) {
        session_message(ses, "%d runs, the most side by side: Delete removes the selected one", SIM_MAX_RUNS);
        return;
    }
    Sim next = ses->sim;
    Spec opt = r->opt;
    copy_label(&ses->sim, r, opt.label, sizeof opt.label);
    if (sim_add_run(&next, &opt, &r->sched, err, sizeof err) < 0) {
        session_message(ses, "%s", err);
        return;
    }
    session_set_runs(ses, &next);
    ses->selected = ses->sim.nruns - 1;
    session_message(ses, "added %s (run %d, from the start at step 0)", session_run_label(&ses->sim.runs[ses->selected]),
                    ses->sim.nruns);
}

void runs_remove(Session *ses)
{
    const int i = ses->selected;
    char label[LABEL_TEXT_MAX];
    if (ses->sim.nruns <= 1) {
        session_message(ses, "the last run stays: + adds a copy of it first");
        return;
    }
    session_fill_label(&ses->sim.runs[i], label);
    Sim next = ses->sim;
    memmove(&next.runs[i], &next.runs[i + 1], (size_t)(next.nruns - i - 1) * sizeof next.runs[0]);
    next.nruns--;
    session_set_runs(ses, &next);
    session_message(ses, "removed %s (Ctrl+Z brings it back)", label);
}

/* The settings `was` had put back on the run (same id) at index k of sim: the same
 * optimizer takes its hyperparameters and label as they were, keeping its state; another
 * comes back with fresh state at the run's point, as = and O give it. */
static void put_back(Sim *sim, int k, const Run *was)
{
    Run *r = &sim->runs[k];
    if (memcmp(&r->opt, &was->opt, sizeof r->opt) != 0) {
        if (r->opt.kind != was->opt.kind || r->opt.batch != was->opt.batch) {
            sim_replace_optimizer(sim, k, &was->opt);
        } else {
            r->opt = was->opt;
            sim_refresh_lr(r);
        }
        memcpy(r->name, was->name, sizeof r->name);
        r->twin = was->twin;
    }
    if (memcmp(&r->sched, &was->sched, sizeof r->sched) != 0)
        sim_set_schedule(sim, k, &was->sched);
}

/* The runs before the edit: those since added go, those since removed come back as they
 * were when removed, and the others get their settings back where they are now. A run that
 * comes back under another function (F, or = on a parameter) takes its loss and gradient
 * on this one, as the others did when it changed. */
int runs_undo(Session *ses)
{
    if (ses->nundo == 0) {
        session_message(ses, "nothing to undo: + adds, Delete removes, = and the keys change runs");
        return 0;
    }
    const RunsEdit *u = &ses->undo[--ses->nundo];
    const int resample = memcmp(&u->func, &ses->sim.func, sizeof u->func) != 0;
    Sim next = ses->sim;
    next.nruns = 0;
    for (int j = 0; j < u->nruns; j++) {
        const int i = find_run(ses->sim.runs, ses->sim.nruns, u->runs[j].id);
        next.runs[next.nruns] = i >= 0 ? ses->sim.runs[i] : u->runs[j];
        if (i >= 0)
            put_back(&next, next.nruns, &u->runs[j]);
        else if (resample && !u->runs[j].diverged)
            sim_sample_run(&next, next.nruns);
        next.nruns++;
    }
    session_set_runs(ses, &next);
    if (u->selected < ses->sim.nruns)
        ses->selected = u->selected;
    session_message(ses, "undone: %s", u->what);
    return 1;
}

/* The edits made after the step the runs are at belong to a future that is now only
 * replayed: Ctrl+Z would bring back runs as that future had them, so it forgets them. */
void runs_undo_forget_after(Session *ses)
{
    int kept = 0;
    for (int k = 0; k < ses->nundo; k++)
        if (ses->undo[k].tick <= ses->tick)
            ses->undo[kept++] = ses->undo[k];
    ses->nundo = kept;
}

/* The runs as they are, in the slot past the stack: the stack changes only when the edit
 * did, so an edit refused never pushes out the oldest. */
void runs_edit_begin(Session *ses)
{
    if (!ses->undo) /* a copy: no past to undo */
        return;
    RunsEdit *u = &ses->undo[SESSION_UNDO];
    memcpy(u->runs, ses->sim.runs, (size_t)ses->sim.nruns * sizeof u->runs[0]);
    u->nruns = ses->sim.nruns;
    u->selected = ses->selected;
    u->tick = ses->tick;
    u->func = ses->sim.func;
    u->what[0] = '\0';
}

/* Whether a run's settings (optimizer with its label, schedule) or the list changed. */
static int runs_changed(const RunsEdit *u, const Sim *sim)
{
    if (u->nruns != sim->nruns)
        return 1;
    for (int i = 0; i < u->nruns; i++) {
        const Run *a = &u->runs[i], *b = &sim->runs[i];
        if (a->id != b->id || memcmp(&a->opt, &b->opt, sizeof a->opt) != 0 ||
            memcmp(&a->sched, &b->sched, sizeof a->sched) != 0)
            return 1;
    }
    return 0;
}

/* What the undo says it undid: the edit's message without a last aside in parentheses
 * ("removed adam 2", not "... (Ctrl+Z brings it back)"). */
int runs_edit_end(Session *ses)
{
    if (!ses->undo) /* a copy keeps no past to tell: the edit counts as a change */
        return 1;
    RunsEdit *u = &ses->undo[SESSION_UNDO];
    if (!runs_changed(u, &ses->sim))
        return 0;
    snprintf(u->what, sizeof u->what, "%s", ses->message);
    char *aside = strrchr(u->what, '(');
    if (aside && aside > u->what && aside[-1] == ' ' && aside[strlen(aside) - 1] == ')')
        aside[-1] = '\0';
    if (ses->nundo == SESSION_UNDO) {
        memmove(&ses->undo[0], &ses->undo[1], (SESSION_UNDO - 1) * sizeof ses->undo[0]);
        ses->nundo--;
    }
    ses->undo[ses->nundo++] = *u;
    return 1;
}
