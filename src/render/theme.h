/* Every colour and size the picture uses, in one place. Sizes are in points; the drawing
 * code multiplies them by the pixels-per-point scale. */
#ifndef OPTISCOPE_THEME_H
#define OPTISCOPE_THEME_H

#include "../core/config.h"
#include "../core/sim.h"
#include "canvas.h"

typedef struct {
    Rgba background, text, text_dim, panel, panel_edge, selection, axis, isoline, arrow, minimum, marker_edge;
    Rgba badge, badge_text, message;
    Rgba runs[SIM_MAX_RUNS];
    Rgba heat_toward; /* the colormap is mixed toward this colour ... */
    double heat_mix;  /* ... by this much, so the paths stand out */
} Palette;

/* Layout, in points. */
enum {
    LAYOUT_MARGIN = 12,
    LAYOUT_TICK = 5,
    LAYOUT_TICK_SPACING = 90, /* at least this far apart */
    LAYOUT_PAD = 8,
    LAYOUT_LEGEND_WIDTH = 300,
    LAYOUT_PLOT_WIDTH = 340,
    LAYOUT_PLOT_HEIGHT = 140,
    LAYOUT_PLOT_MIN_HEIGHT = 90,
    LAYOUT_PLOT_MIN_WIDTH = 230,
    LAYOUT_ARROW_SPACING = 42,
};

#define THEME_TRAIL_WIDTH 2.6
#define THEME_ISOLINE_WIDTH 1.1
#define THEME_MARKER_RADIUS 6.0
#define THEME_ISOLINES 18
#define LAYOUT_PLOT_MAP_SHARE 0.3 /* of the map's width the plots take when it is small */

/* How a run is drawn besides its colour; the same in both themes. Two runs that share both
 * line and mark have colours at least 10 apart in CIEDE2000 under normal vision and simulated
 * protanopia, deuteranopia and tritanopia (tests/test_palette.c). Eight colours pass that
 * together in both themes, so runs 0-7 are solid lines with a disc; run 8 is a dashed line
 * with a square, told apart by shape whatever its colour. Zero is solid with a disc. Room is
 * left for more: a future style only has to keep the rule for runs that share it. */
typedef enum { RUN_SOLID, RUN_DASHED } RunLine;
typedef enum { MARK_DISC, MARK_SQUARE, MARK_TRIANGLE, MARK_DIAMOND } RunMark;
typedef struct {
    RunLine line;
    RunMark mark; /* the current point's dot */
} RunStyle;

extern const RunStyle theme_run_style[SIM_MAX_RUNS];

const Palette *theme_palette(Theme theme);
/* The perceptually uniform colormap (viridis) at t in [0, 1]. */
Rgba theme_colormap(double t);

#endif
