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
#define THEME_RECORDING ((Rgba){ 235, 45, 45, 255 })    /* the window's REC mark, in both themes */
#define THEME_RECORDING_BOX ((Rgba){ 0, 0, 0, 170 })
#define LAYOUT_PLOT_MAP_SHARE 0.3 /* of the map's width the plots take when it is small */

const Palette *theme_palette(Theme theme);
/* The perceptually uniform colormap (viridis) at t in [0, 1]. */
Rgba theme_colormap(double t);

#endif
