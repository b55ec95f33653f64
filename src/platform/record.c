/* Recordings of a session (see record.h): the frames a run's steps earn, drawn as slide
 * pictures and handed to the encoder. */
#include "record.h"

#include "app.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

int record_fps(const Config *c)
{
    return c->fps > 0 ? (int)c->fps : CONFIG_FPS_DEFAULT;
}

long record_steps_per_frame(const Config *c, long steps)
{
    if (c->steps_per_frame > 0)
        return (long)c->steps_per_frame;
    const long frames = (long)record_fps(c) * CONFIG_RECORD_SECONDS;
    return steps > frames ? (steps + frames - 1) / frames : 1;
}

int record_draw(Draw *d, const Session *ses, char *err, size_t errlen)
{
    const DrawOptions o = { .live = 0 };
    return draw_frame(d, ses, &o, err, errlen);
}

static int send_frame(Encoder *e, Draw *d, long repeat, char *err, size_t errlen)
{
    const Canvas *f = draw_picture(d);
    return encode_frame(e, f->px, f->w, repeat, err, errlen);
}

/* The CSV rows of the points that `steps` updates reached, as --trace writes them. */
static void log_rows(const RecordLog *t, const Sim *sim, long steps)
{
    for (int l = 0; l < t->ncsv; l++)
        for (int i = 0; i < sim->nruns; i++)
            if (!sim->runs[i].diverged && sim->runs[i].step == steps)
                sim_trace_row(t->csv[l], &sim->runs[i]);
}

void record_log_start(const RecordLog *t, const Sim *sim)
{
    for (int l = 0; l < t->ncsv; l++)
        sim_trace_header(t->csv[l], sim);
    log_rows(t, sim, 0);
}

void record_advance(Session *ses, long done, long n, const RecordLog *t)
{
    for (long k = done; k < done + n && sim_live_runs(&ses->sim) > 0; k++) {
        const unsigned diverged = session_step(ses);
        char why[160];
        for (int i = 0; i < ses->sim.nruns && t->loud; i++) {
            if (!(diverged & (1u << i)))
                continue;
            sim_stop_text(&ses->sim.runs[i], why, sizeof why);
            fprintf(stderr, "%s\n", why);
        }
        log_rows(t, &ses->sim, k + 1);
    }
}

/* One pass over the run: a frame every k steps, the last one `hold` more times. */
static int record_pass(Draw *d, Session *ses, Encoder *e, long steps, long k, long hold, int orbit,
                       const RecordLog *t, char *err, size_t errlen)
{
    const double azimuth = ses->camera.azimuth;
    record_log_start(t, &ses->sim);
    draw_invalidate(d); /* a new session each pass: the map and every trail drawn afresh */
    for (long done = 0; done < steps;) {
        const long n = steps - done < k ? steps - done : k;
        record_advance(ses, done, n, t);
        done += n;
        /* Trails added a frame at a time blend their joints once more than a trail drawn
         * whole; the last frame, held at the end, is drawn whole, as --screenshot draws it. */
        if (output_interrupted()) {
            snprintf(err, errlen, "interrupted by signal %d", output_interrupted());
            return -1;
        }
        if (done == steps)
            draw_invalidate(d);
        if (orbit) { /* once around by the last step, so the held frame is the first angle again */
            const Action turn = { .kind = ACTION_CAMERA_SET, .x = azimuth + 360.0 * done / steps,
                                  .y = ses->camera.elevation };
            session_apply(ses, &turn);
        }
        if (record_draw(d, ses, err, errlen) < 0)
            return -1;
        if (send_frame(e, d, done == steps ? 1 + hold : 1, err, errlen) < 0)
            return -1;
    }
    return 0;
}

static int close_log(FILE *f, const char *what, char *err, size_t errlen)
{
    if (!f)
        return 0;
    const int bad = ferror(f) | fclose(f);
    if (bad)
        snprintf(err, errlen, "writing %s failed", what);
    return bad ? -1 : 0;
}

/* Every pass but the last (a GIF's palette pass) runs on a copy of the session as it
 * starts, so the last one steps the session itself and leaves it at the end. */
static int record_passes(Draw *d, Session *ses, Encoder *e, const Config *c, long steps, const RecordLog *t,
                         char *err, size_t errlen)
{
    const long k = record_steps_per_frame(c, steps);
    const long hold = lround(c->hold * record_fps(c));
    if (encode_passes(e) > 1) {
        /* A clone: the pass takes the live changes ahead as the last one will. */
        Session *first = session_clone(ses);
        if (!first) {
            snprintf(err, errlen, "out of memory for the palette pass");
            return -1;
        }
        const RecordLog quiet = { .ncsv = 0 };
        const int rc = record_pass(d, first, e, steps, k, hold, c->orbit, &quiet, err, errlen);
        session_free(first);
        if (rc < 0 || encode_next_pass(e, err, errlen) < 0)
            return -1;
    }
    return record_pass(d, ses, e, steps, k, hold, c->orbit, t, err, errlen);
}

/* A signal (Ctrl+C, SIGTERM, SIGHUP) stops the recording at its next frame, removes what it
 * wrote, and the program then dies of it (output_defer_signals). */
static int record_job(Draw *d, Session *ses, const Config *c, long steps, FILE *trace, char *err, size_t errlen)
{
    Encoder *e = encode_open(c->record, draw_picture(d)->w, draw_picture(d)->h, record_fps(c), err, errlen);
    if (!e)
        return 1;
    RecordLog t = { .loud = 1 };
    if (trace)
        t.csv[t.ncsv++] = trace;
    FILE *csv = encode_side_file(e, "steps.csv", err, errlen);
    int rc = c->record[strlen(c->record) - 1] == '/' && !csv ? -1 : 0;
    if (csv)
        t.csv[t.ncsv++] = csv;
    if (rc == 0)
        rc = record_passes(d, ses, e, c, steps, &t, err, errlen);
    char log_err[128];
    if (close_log(csv, "the steps' CSV", log_err, sizeof log_err) < 0 && rc == 0) {
        snprintf(err, errlen, "%s", log_err);
        rc = -1;
    }
    if (rc < 0) {
        encode_abort(e);
        return 1;
    }
    return encode_finish(e, err, errlen) < 0 ? 1 : 0;
}

int record_headless(Draw *d, Session *ses, const Config *c, long steps, FILE *trace, char *err, size_t errlen)
{
    output_defer_signals(1);
    const int rc = record_job(d, ses, c, steps, trace, err, errlen);
    output_defer_signals(0);
    return rc;
}

static void let_go(Recording *r)
{
    draw_free(r->slide);
    free(r->copy);
    r->slide = NULL;
    r->copy = NULL;
}

int record_start(Recording *r, const char *path, int w, int h, double s, double fps, char *err, size_t errlen)
{
    *r = (Recording){ .fps = fps };
    if (encode_check(path, w, h, err, errlen) < 0) {
        unlink(path); /* the name reserved for it */
        return -1;
    }
    r->copy = malloc(sizeof *r->copy);
    if (!r->copy) {
        snprintf(err, errlen, "out of memory for the recording");
        unlink(path);
        return -1;
    }
    r->slide = draw_new(w, h, s, err, errlen);
    if (r->slide)
        r->enc = encode_open(path, w, h, (int)fps, err, errlen);
    if (!r->enc) {
        let_go(r);
        unlink(path); /* the name reserved for it */
    }
    return r->enc ? 0 : -1;
}

int record_step(Recording *r, const Session *ses, char *err, size_t errlen)
{
    if (!r->enc)
        return 0;
    r->owed += r->fps / ses->speed;
    if (r->owed < 1)
        return 0;
    const long n = (long)r->owed;
    r->owed -= n;
    r->frames += n;
    if (app_draw_slide(r->slide, r->copy, ses, err, errlen) < 0)
        return -1;
    return send_frame(r->enc, r->slide, n, err, errlen);
}

int record_stop(Recording *r, char *saved, size_t savedlen, char *err, size_t errlen)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", encode_path(r->enc));
    const int rc = encode_finish(r->enc, err, errlen);
    r->enc = NULL;
    let_go(r);
    if (rc < 0) {
        unlink(path); /* the name reserved for it: a 0-byte file plays as nothing */
        return -1;
    }
    char here[PATH_MAX];
    if (path[0] != '/' && getcwd(here, sizeof here))
        snprintf(saved, savedlen, "%s/%s", here, path);
    else
        snprintf(saved, savedlen, "%s", path);
    return 0;
}

double record_seconds(const Recording *r)
{
    return r->enc ? r->frames / r->fps : -1;
}
