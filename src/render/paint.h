/* What the picture's parts draw with: the frame's options (live or a file, the message's
 * fade), the panels' paint (canvas, text, scale, colours), and a run's mark, which the
 * markers and the legend's keys share. */
#ifndef OPTISCOPE_PAINT_H
#define OPTISCOPE_PAINT_H

#include "canvas.h"
#include "text.h"
#include "theme.h"

typedef struct {
    int live;             /* laid out for the window, with a row for the status line */
    double message_alpha; /* live: how visible the last message still is, 0 to 1 */
    int recording;        /* live: a recording is running, shown as a red REC mark ... */
    double recorded;      /* ... with the seconds recorded so far */
    int progressive;      /* a window's frame: when only the view moved, show at once what is at hand
                           * (the picture shifted, or scaled) and refine it in the background */
    int dragging;         /* progressive: the view is being dragged; refining waits for the release */
} DrawOptions;

/* What panels draw with: the picture, its text, its scale and colours, scratch room for a
 * plot's polyline (2 * TRAIL_POINTS floats), and where their keys note down their calls
 * (panels_keys), or NULL. */
typedef struct {
    Canvas *c;
    Text *tx;
    double s;
    const Palette *pal;
    float *xy;
    CanvasLog *log;
} Paint;

/* A run's mark (theme's RunMark) of radius r at (cx, cy), ringed by `edge` pixels of edge_col. */
void draw_mark(Canvas *c, int mark, double cx, double cy, double r, double edge, Rgba col, Rgba edge_col);
/* The runs' start: a ring in the minima's colour around a dot, at s pixels per point (the map's and the 3D view's). */
void draw_start(Canvas *c, double cx, double cy, double s, const Palette *pal);

#endif
