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
    Rgba badge, badge_text, message, message_text;
    Rgba runs[SIM_MAX_RUNS];
    Rgba heat_toward; /* the colormap is mixed toward this colour ... */
    double heat_mix;  /* ... by this much, so the paths stand out */
    Rgba stable, unstable; /* the curvature readout's verdict; a negative curvature's axis */
    Rgba basins[THEME_BASINS];             /* the basin map: one tint per minimum ... */
    Rgba basin_diverged, basin_unconverged; /* ... and for starts that blow up or do not settle */
    /* The next step taken apart (internals): the plain gradient step, the momentum term, the
     * step taken and the per-coordinate step size's box; Okabe and Ito's hues, and the
     * text's colour for the step, so colour-blind viewers tell them apart in both themes. */
    Rgba why_grad, why_momentum, why_step, why_scale;
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
    LAYOUT_MESSAGE_MIN_WIDTH = 300, /* less room beside the status line puts the message above it */
    LAYOUT_READOUT_WIDTH = 250,   /* the curvature readout's lines, when the column has room */
};

/* Sizes in points (and a few alphas) of what the picture draws, by where it is drawn. */
typedef struct {
    /* The map's layers: arrows, the minima's crosses, the offset note, ticks and colour bar. */
    double arrow_width, cross_half, cross_edge, note_pad;
    double tick_width, tick_label_apart, tick_label_below, tick_label_beside;
    double colorbar_title_gap, colorbar_label_apart;
    double found_ring, found_ring_edge, found_ring_width; /* a minimum the basin map found */
    /* The markers: an optimizer's faint marks, the start's ring, a current point's edge, a
     * diverged run's cross. */
    double optim_ring, optim_ring_width, optim_dot, optim_trial, start_ring_width, marker_edge;
    double diverged_edge, diverged_width;
    double run_label_pad, run_label_gap; /* a run's label on the map: padding of its box, gap to the marker */
    unsigned char optim_mark_alpha;
    /* The legend: its colour key, gaps, the selection's highlight, the DIVERGED badge. */
    double legend_top, legend_key_room, legend_key_line, legend_key_mark, legend_gap, legend_line_gap, selection_rise;
    double badge_grow, badge_inset, badge_rise, badge_tall;
    /* The plots: padding, ticks, lines, a diverged run's arrow and note. */
    double plot_pad, plot_tick, plot_label_gap, plot_step_label_spacing, plot_thin, plot_line;
    double diverged_arrow_gap, diverged_arrow_half, diverged_arrow_long, diverged_note_beside;
    unsigned char guide_alpha; /* the sharpness plot's 2/lr under each run's line; the data panel's other models */
    /* The data panel: a row's disc (a ring's width for logreg's class 0), the selected run's model. */
    double data_point, data_point_ring, data_model;
    /* The text panels: the REC mark, the message and the input line, the help. */
    double recording_pad, message_pad, help_pad;
    unsigned char help_alpha; /* the help's panel over the picture */
} ThemeSizes;

extern const ThemeSizes theme_size;

#define THEME_TRAIL_WIDTH 2.6
/* Each trail under another is this much wider than the one drawn over it, so that where
 * paths coincide every run shows a band on both sides of the next (casing). */
#define THEME_TRAIL_CASING 1.3
#define THEME_ISOLINE_WIDTH 1.1
#define THEME_MARKER_RADIUS 6.0
#define THEME_ISOLINES 18
/* The layout's proportions (layout.c): the panels' column takes at most this share of the
 * picture's width (more on small pictures), a band below the map at most this share of its
 * height; a picture at least this wide for its height gets a column, a narrower one a band. */
#define LAYOUT_COLUMN_SHARE 0.27
#define LAYOUT_COLUMN_SHARE_SMALL 0.38
#define LAYOUT_BAND_SHARE 0.36
#define LAYOUT_MAP_MIN_HIGH (1.0 / 3) /* the text around the map gives way to keep it this high ... */
#define LAYOUT_MAP_MIN_WIDE 0.25      /* ... and this wide, as shares of the picture */
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
