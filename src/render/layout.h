/* Where everything goes: one function computes, from the picture's size, the text size and
 * what is shown, the box of every element on screen. Everything that draws asks it; nothing
 * else decides a position. Panels sit beside the map (a column at its right on a wide
 * picture, a band below it on a tall one) and never over it, unless the lecturer asks for
 * the map over the whole picture (SHOW_FLOAT). When room runs short the panels give way in
 * a fixed order, never by overlapping:
 *   1. the legend goes compact (one line per run: colour, label, loss, lr);
 *   2. the plots get shorter, down to a minimum;
 *   3. the plots go, the last asked for first (the status line says how many);
 *   4. the compact legend drops its lr (colour, label, loss), or, when the runs differ in
 *      lr, moves it to a small line under the label (which goes before any plot when the
 *      compact line is too wide for the column); then it drops it; a name too wide for
 *      its line even so gets a line of its own (STACKED), unless that would cost the
 *      colour bar, the basin key or the readout;
 *   5. the colour bar (and the keys above it: the basin map's, the internals') goes, with
 *      the curvature readout and the update rule, then the legend.
 * Then the text around the map gives way to it (layout_compute): the scene's caption lines,
 * the line under the map, the title, the axis letters and tick labels, the panels last.
 * The plots are those asked for, in this order: the data and the model (SHOW_DATA, only on a
 * loss over data: the caller leaves the bit out elsewhere), loss and lr, sharpness, gradient
 * norm, so the data panel is the last plot to go; the
 * curvature readout (three lines) sits under the legend until the colour bar goes, the
 * update rule under it. */
#ifndef OPTISCOPE_LAYOUT_H
#define OPTISCOPE_LAYOUT_H

#include <stddef.h>

#include "../core/config.h"
#include "canvas.h"
#include "text.h"

/* How the legend's lines are cut, from the most to the least. */
/* MINIMAL drops the compact line's lr, but keeps it on a small line below when the runs
 * differ in lr; BARE has no lr at all. STACKED, where a name does not fit beside its
 * number, gives the name the whole line and puts the number (and the lr, when the runs
 * differ in it) on a small line below: whole names before short rows. */
typedef enum {
    LEGEND_LINES_FULL,
    LEGEND_LINES_COMPACT,
    LEGEND_LINES_MINIMAL,
    LEGEND_LINES_BARE,
    LEGEND_LINES_STACKED,
    LEGEND_LINES_COUNT
} LegendLines;

/* What the legend needs for each way of cutting its lines, in pixels, measured by panels_legend_need. */
typedef struct {
    int width[LEGEND_LINES_COUNT]; /* by LegendLines */
    int row_height[LEGEND_LINES_COUNT];
    int one_line_least; /* the narrowest a BARE line may be drawn (smaller numbers, a tighter gap) */
} LegendNeed;

typedef struct {
    int w, h;          /* the picture, in pixels */
    double s;          /* pixels per point */
    int live;          /* the window: a status line and messages; otherwise a picture for slides */
    unsigned shown;    /* SHOW_* (SHOW_DATA only where the function is a loss over data) */
    LegendMode legend; /* the most the lecturer asks for */
    int nruns;
    int title;         /* a title line above the map */
    int subtitle;      /* the scene's caption lines under the title */
    LegendNeed need;
    int status_width;  /* live: what the status line's text needs */
    int readout_lines; /* the curvature readout's lines of small text, wrapped to layout_readout_width
                          (0: LAYOUT_READOUT_LINES) */
    int input;         /* live: the input line is open (a row for it and its error above the status) */
    int recording;     /* live: a recording is running (the REC mark before the status line) */
    int palette;       /* live: the palette (Ctrl+K) is open, over the map above the input line */
    int basin_rows;    /* the basin map's key: its lines of small text (0: the basin map is off) ... */
    int basin_width;   /* ... and the width its lines need */
    int rule_lines;    /* the update rule's lines of small text, wrapped to layout_readout_width (0: off) */
    int internals_rows; /* the internals' key: its lines of small text (0: off) */
    int notes_lines;   /* live: the scene's notes shown (Shift+H), in lines of body text (0: not shown) */
    int views;         /* VIEWS_*: the 3D surface in the map's box, or beside the map in half of it */
} LayoutIn;

#define LAYOUT_PALETTE_ROWS 8 /* the actions the palette lists at once */

#define LAYOUT_READOUT_LINES 3

/* Boxes in pixels; a box with w = 0 is not shown. */
typedef struct {
    CanvasBox title, map, xticks, yticks, xlabel, ylabel, colorbar, legend, plot_loss, plot_lr, status, message,
        caption, help, subtitle;
    CanvasBox curvature;                   /* the selected run's curvature readout (SHOW_CURVATURE) */
    CanvasBox plot_sharpness, plot_gradnorm; /* SHOW_SHARPNESS, SHOW_GRADNORM */
    CanvasBox plot_data;   /* SHOW_DATA on a loss over data: the points and the runs' models */
    CanvasBox input;       /* the input line and, below it, its error */
    CanvasBox palette;     /* live: the palette's list of actions, over the map (like the help) */
    CanvasBox rec;         /* live, while recording: the REC mark and its length */
    CanvasBox basin_key;   /* SHOW_BASINS: which tint is which minimum, above the colour bar */
    CanvasBox rule;        /* SHOW_RULE: the selected run's update rule with this step's numbers */
    CanvasBox internals_key; /* SHOW_INTERNALS: which arrow is which, and their scale, above the basin key */
    CanvasBox notes;       /* live: the scene's notes (Shift+H), above the message and the input line */
    CanvasBox surface;     /* the 3D view: the map's box (VIEWS_SURFACE) or the right half of it (VIEWS_BOTH) */
    int beside;            /* panels in a column at the map's right (1) or a band below it (0) */
    int floating;          /* panels over the map (SHOW_FLOAT) */
    int plots_hidden;      /* plots asked for that found no room (the status line says so) */
    int big_plot;          /* SHOW_BIGPLOT took effect: the plots in the map's place, the map in theirs */
    LegendLines legend_lines;
    int legend_row_height;
} Layout;

void layout_compute(Layout *out, const LayoutIn *in, Text *tx);

/* How wide the curvature readout is in a column beside the map of a picture w pixels wide. */
int layout_readout_width(int w, double s);

#define LAYOUT_PLOTS_MAX 5
/* How many plots `shown` (SHOW_*) asks for. */
int layout_plot_count(unsigned shown);

/* The boxes by name, for the state dump and tests. */
typedef struct {
    const char *name;
    size_t offset;
} LayoutBoxName;
extern const LayoutBoxName layout_box_names[];
extern const int layout_box_count;
const CanvasBox *layout_box(const Layout *l, int i);

/* {"map": [x, y, w, h], ...} with every box shown, into buf. */
void layout_json(const Layout *l, char *buf, size_t len);

/* Which run's legend row holds pixel (x, y), or -1. */
int layout_legend_row(const Layout *l, int nruns, double x, double y);

int layout_boxes_meet(CanvasBox a, CanvasBox b);

#endif
