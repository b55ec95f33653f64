/* Recording a session as an animation: which steps become frames, the clean picture a
 * frame shows, the headless job behind --record, and the window's recording key. A
 * recording is paced by simulation steps, not by the clock: a slow frame delays it but
 * never drops a frame from it. */
#ifndef OPTISCOPE_RECORD_H
#define OPTISCOPE_RECORD_H

#include <stddef.h>
#include <stdio.h>

#include "../core/config.h"
#include "../render/draw.h"
#include "../session/session.h"
#include "encode.h"

/* Frames per second of a recording, and the steps each frame advances in a job of
 * `steps` steps (given, or so that they last CONFIG_RECORD_SECONDS at most). */
int record_fps(const Config *c);
long record_steps_per_frame(const Config *c, long steps);

/* What stepping tells: CSV files of every step (--trace, a frames folder's steps.csv), and
 * whether a run that diverges is reported on standard error (a GIF's palette pass tells
 * nothing). The one step-and-log loop, for recordings and the headless trace alike. */
typedef struct {
    FILE *csv[2];
    int ncsv, loud;
} RecordLog;
/* The CSV header and every run's starting point. */
void record_log_start(const RecordLog *t, const Sim *sim);
/* `n` steps from step `done` (fewer once no run is live), each new point logged. */
void record_advance(Session *ses, long done, long n, const RecordLog *t);

/* A headless recording's frame: the session's slide picture (no status line, message,
 * help or selection), as --screenshot draws it. */
int record_draw(Draw *d, const Session *ses, char *err, size_t errlen);

/* Headless: runs `steps` steps into c->record, a frame after every steps-per-frame steps
 * (the last after the last step, held --hold seconds), writing every step to trace when it
 * is given. Returns the exit status: 0, or 1 with a message. */
int record_headless(Draw *d, Session *ses, const Config *c, long steps, FILE *trace, char *err, size_t errlen);

/* The window's recording: one frame each time the steps reach another 1/fps second of
 * simulation at the session's speed, each the picture S would save at that step (drawn
 * in a picture of its own, from a copy of the session fitted to the slide's map). */
typedef struct {
    Encoder *enc;
    Draw *slide;
    Session *copy;
    double fps;
    double owed; /* frames the steps so far have earned and not yet received */
    long frames;
} Recording;

/* A recording of w x h pixels at s pixels per point into `path`, a name reserved for it (an
 * empty file output_unique_name made): when starting or stopping fails, it is removed, so
 * that a recording either ends up whole under its name or nothing does. */
int record_start(Recording *r, const char *path, int w, int h, double s, double fps, char *err, size_t errlen);
/* After each step of the session: the frames it earned, drawn once and queued. */
int record_step(Recording *r, const Session *ses, char *err, size_t errlen);
/* Finishes the file and puts its full path in `saved`. */
int record_stop(Recording *r, char *saved, size_t savedlen, char *err, size_t errlen);
/* The recording's length so far, for the live frame's REC mark; -1 when not recording. */
double record_seconds(const Recording *r);

#endif
