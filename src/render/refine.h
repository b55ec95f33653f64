/* The exact map for a view that a drag or a zoom reached, computed on threads of its own
 * while the window keeps showing frames: first from coarse samples (a quarter of the
 * resolution each way), then at the resolution of a picture drawn at once, so that what is
 * finally shown equals a fresh render pixel for pixel. A new request abandons the one in
 * hand at its next step rather than queueing behind it. */
#ifndef OPTISCOPE_REFINE_H
#define OPTISCOPE_REFINE_H

#include "../core/field.h"
#include "../core/spec.h"
#include "../core/view.h"
#include "canvas.h"
#include "theme.h"

/* What the map's pixels depend on (zero it before filling it: jobs are compared bytewise). */
typedef struct {
    Spec func;
    View view;
    Theme theme;
    int contours; /* isolines drawn */
    double s;     /* pixels per point */
    int w, h;     /* the picture */
} RefineJob;

enum { REFINE_NONE, REFINE_COARSE, REFINE_EXACT };

typedef struct Refine Refine;

Refine *refine_new(int threads, char *err, size_t errlen);
void refine_free(Refine *r);
/* Makes room for the maps of a w x h picture now, so that the first drag or zoom does not
 * wait for it (the worker allocates what it lacks otherwise). */
int refine_reserve(Refine *r, int w, int h, char *err, size_t errlen);
/* Works towards this job's map from now on, unless it is the job in hand already. */
void refine_request(Refine *r, const RefineJob *job);
/* Stops the work in hand (the picture was drawn at once instead). */
void refine_cancel(Refine *r);
/* When a level of `job` is ready: swaps its pixels and samples with *canvas and *field (the
 * worker goes on in what it gets back) and returns REFINE_COARSE or REFINE_EXACT; else
 * REFINE_NONE. The canvas holds the background and the heat map with its isolines. */
int refine_take(Refine *r, const RefineJob *job, Canvas *canvas, Field *field);

#endif
