/* The map's window onto the plane: a world rectangle shown in a pixel rectangle at equal
 * scale on both axes, with zoom about a point and panning. */
#ifndef OPTISCOPE_VIEW_H
#define OPTISCOPE_VIEW_H

#include <stddef.h>

#include "box.h"

#define VIEW_MIN_WIDTH 1e-12
#define VIEW_MAX_WIDTH 1e12
#define VIEW_MAX_COORD 1e15
#define VIEW_RELATIVE_MIN 1e-11 /* width per distance from 0 */

typedef struct {
    double x0, x1, y0, y1; /* visible world rectangle; its aspect matches the pixel one */
    double px, py, pw, ph; /* map rectangle in pixels (y grows downwards) */
} View;

/* Every function here leaves a valid view (view_box_ok): a fit or resize that would pass
 * a limit stops at it, moving the view in or widening it as little as it must. */

/* Shows at least `box` in the pixel rectangle, centred, equal scale. */
void view_fit(View *v, WorldBox box, double px, double py, double pw, double ph);
/* Keeps the world centre and scale when the pixel rectangle changes size. */
void view_resize(View *v, double px, double py, double pw, double ph);

double view_sx(const View *v, double x);
double view_sy(const View *v, double y);
double view_wx(const View *v, double sx);
double view_wy(const View *v, double sy);

/* Zooms by factor (> 1 zooms in) keeping the world point under (sx, sy) fixed, stopping
 * at the limits. Returns -1, the view unchanged, when it is already at the limit. */
int view_zoom(View *v, double sx, double sy, double factor);
/* Moves the content by (dx, dy) pixels, stopping at the limits. Returns -1, the view
 * unchanged, when it cannot move that way at all. */
int view_pan(View *v, double dx, double dy);
/* Whether a world rectangle can be drawn (finite, not too narrow, not too far). */
int view_box_ok(WorldBox box);
/* The checks --start and --view apply, and start= and view= in a formula's spec with them:
 * 0, or -1 with a one-line message that begins with `what` ("--view", "expr: view") and
 * quotes `text`, the value as written. */
int view_check_start(const char *what, const double p[2], const char *text, char *err, size_t errlen);
int view_check_box(const char *what, WorldBox box, const char *text, char *err, size_t errlen);
/* The world rectangle the view shows. */
WorldBox view_box(const View *v);

#endif
