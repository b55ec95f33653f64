/* Every colour and size the picture uses, in one place. Sizes are in points; the drawing
 * code multiplies them by the pixels-per-point scale. */
#ifndef OPTISCOPE_THEME_H
#define OPTISCOPE_THEME_H

#include "../core/config.h"
#include "../core/sim.h"
#include "canvas.h"

#define THEME_BASINS 8

typedef struct {
    Rgba background, text, text_dim, panel, panel_edge, selection, axis, isoline, arrow, minimum, marker_edge;
    Rgba badge, badge_text, message;
    Rgba runs[SIM_MAX_RUNS];
    Rgba heat_toward; /* the colormap is mixed toward this colour ... */
    double heat_mix;  /* ... by this much, so the paths stand out */
    Rgba stable, unstable; /* the curvature readout's verdict; a negative curvature's axis */
    Rgba basins[THEME_BASINS];             /* the basin map: one tint per minimum ... */
    Rgba basin_diverged, basin_unconverged; /* ... and for starts that blow up or do not settle */
} Palette;

/* Layout, in points. */
enum {
    LAYOUT_MARGIN = 12,
    LAYOUT_TICK = 5,
    LAYOUT_TICK_SPACING = 90, /* at least this far apart */
    LAYOUT_PAD = 8,
    LAYOUT_PLOT_HEIGHT = 140,
    LAYOUT_PLOT_MIN_HEIGHT = 90,
    LAYOUT_PLOT_MIN_WIDTH = 180,
    LAYOUT_ARROW_SPACING = 42,
    LAYOUT_COLORBAR_THICK = 12,
    LAYOUT_COLORBAR_WIDTH = 170,  /* the least width that holds its labels */
    LAYOUT_ROW_PAD = 4,           /* a live row (status, message, input) is this much taller than its text */
    LAYOUT_ROW_GAP = 2,           /* between live rows stacked */
    LAYOUT_REC_PAD = 6,           /* around the REC mark's dot and label */
    LAYOUT_MESSAGE_MIN_WIDTH = 300, /* less room beside the status line puts the message above it */
    LAYOUT_READOUT_WIDTH = 250,   /* the curvature readout's lines, when the column has room */
};

#define THEME_TRAIL_WIDTH 2.6
#define THEME_ISOLINE_WIDTH 1.1
#define THEME_MARKER_RADIUS 6.0
#define THEME_ISOLINES 18
/* The layout's proportions (layout.c): the panels' column takes at most this share of the
 * picture's width (more on small pictures), a band below the map at most this share of its
 * height; a picture at least this wide for its height gets a column, a narrower one a band. */
#define LAYOUT_COLUMN_SHARE 0.27
#define LAYOUT_COLUMN_SHARE_SMALL 0.38
#define LAYOUT_BAND_SHARE 0.36
#define LAYOUT_BESIDE_ASPECT 1.0
#define LAYOUT_STATUS_SHARE 0.65 /* of the live row, at most, for the status line beside the message */
#define LAYOUT_REC_TEMPLATE "REC 00:00" /* the widest REC mark's label */

/* How a run's current point and legend key are drawn besides its colour; the same in both
 * themes. Two runs that share a mark have colours at least 10 apart in CIEDE2000 under
 * normal vision and simulated protanopia, deuteranopia and tritanopia (tests/test_palette.c).
 * Eight colours pass that together in both themes, so runs 0-7 get a disc and run 8 a
 * square, told apart by shape whatever its colour. Zero is the disc. */
typedef enum { MARK_DISC, MARK_SQUARE } RunMark;
typedef struct {
    RunMark mark;
} RunStyle;

extern const RunStyle theme_run_style[SIM_MAX_RUNS];

#define THEME_RECORDING ((Rgba){ 235, 45, 45, 255 })    /* the window's REC mark, in both themes */
#define THEME_RECORDING_BOX ((Rgba){ 0, 0, 0, 170 })

const Palette *theme_palette(Theme theme);
/* The perceptually uniform colormap (viridis) at t in [0, 1]. */
Rgba theme_colormap(double t);

#endif
