/* What the session's own files (session.c, tune.c, lines.c) share; the shell and the tests
 * use session.h alone. */
#ifndef OPTISCOPE_SESSION_INTERN_H
#define OPTISCOPE_SESSION_INTERN_H

#include "session.h"

/* session.c */
/* The message beside the status line, printf-style, cut at a character boundary. */
void session_message(Session *ses, const char *fmt, ...);
/* Every run from the start again, step 0, the past forgotten. */
void session_restart(Session *ses);
/* A live change: what was recorded after this step no longer follows from it. */
void session_note_change(Session *ses);
/* The home view in the map's box as it is. */
void session_fit_view(Session *ses);
/* The selected run; NULL when there is none. */
Run *session_selected(Session *ses);
/* The run's label filled with the values of the moment, in a buffer that lives as long as
 * the call it is written in (a message's arguments). */
#define session_run_label(r) session_fill_label((r), (char[LABEL_TEXT_MAX]){ 0 })
const char *session_fill_label(const Run *r, char *buf);

/* The trail and history of run i start again where it stands. */
void session_reset_trail(Session *ses, int i);

/* runs.c: the runs edited live. */
/* The runs become next's; each run's trail and history follow it (by its id), a run new to
 * the list starts them where it stands, and the selection stays on its run where it can. */
void session_set_runs(Session *ses, const Sim *next);
void runs_add_copy(Session *ses);
void runs_remove(Session *ses);
/* Whether there was an edit to undo. */
int runs_undo(Session *ses);
/* The runs gone back to an earlier step: Ctrl+Z forgets the edits made after it. */
void runs_undo_forget_after(Session *ses);
/* Around an edit of the runs: the runs as they are are kept for Ctrl+Z when the edit
 * changed them (the end says whether it did); the undo tells the edit's message. */
void runs_edit_begin(Session *ses);
int runs_edit_end(Session *ses);

/* tune.c: keys on the selected run (r, or run i); each says what it did. */
void tune_lr(Session *ses, Run *r, double factor);
void tune_all_lr(Session *ses, double factor);
void tune_momentum(Session *ses, Run *r, double delta);
void tune_decay(Session *ses, Run *r, int dir);
void tune_next_schedule(Session *ses, int i);
void tune_next_optimizer(Session *ses, int i);
void tune_optimal(Session *ses, Run *r);
void tune_sweep(Session *ses, int i);

/* lines.c: the input lines' actions; each returns the effects the shell must carry out. */
unsigned lines_edit(Session *ses, const Action *a);

#endif
