/* Palettes for the dark and light themes, and the heat map's colormap. */
#include "theme.h"

/* Run i has one CIE LCh hue in both themes (within 2 degrees) and a lightness per theme for
 * 3:1 contrast on the heat map's middle colour: light colours on the dark map, dark on the
 * light one. Runs 0-7 stay at least 10 apart in CIEDE2000 under normal vision and simulated
 * protanopia, deuteranopia and tritanopia in each theme; no eighth hue fits that on both
 * maps, so run 8 is told apart by its style. Found by tests/tools/design_palette.py, checked
 * by tests/test_palette.c. Hues: orange, blue, violet, amber, mint, teal, green, steel blue,
 * pink. */
/* Basin tints, the same in both themes: Okabe and Ito's colour-blind-safe set, laid over
 * the heat map at a little under half opacity so its shading still shows. */
#define BASIN_TINTS                                                                                          \
    .basins = { { 230, 159, 0, 135 }, { 86, 180, 233, 135 }, { 0, 158, 115, 135 }, { 204, 121, 167, 135 },   \
                { 240, 228, 66, 135 }, { 0, 114, 178, 135 }, { 213, 94, 0, 135 }, { 170, 170, 170, 135 } }, \
    .basin_diverged = { 150, 0, 0, 150 }, .basin_unconverged = { 128, 128, 128, 150 }

static const Palette dark = {
    .background = { 20, 22, 28, 255 },
    .text = { 240, 242, 245, 255 },
    .text_dim = { 178, 184, 194, 255 },
    .panel = { 16, 18, 24, 222 },
    .panel_edge = { 90, 96, 110, 255 },
    .selection = { 255, 255, 255, 34 },
    .axis = { 150, 156, 168, 255 },
    .isoline = { 255, 255, 255, 70 },
    .arrow = { 255, 255, 255, 120 },
    .minimum = { 255, 255, 255, 255 },
    .marker_edge = { 10, 10, 14, 255 },
    .badge = { 213, 94, 0, 255 },
    .badge_text = { 255, 255, 255, 255 },
    .message = { 0, 0, 0, 200 },
    .message_text = { 255, 255, 255, 255 },
    .runs = { { 233, 154, 131, 255 }, { 185, 219, 252, 255 }, { 215, 133, 249, 255 }, { 230, 161, 5, 255 },
              { 140, 233, 200, 255 }, { 123, 176, 165, 255 }, { 129, 249, 144, 255 }, { 121, 173, 194, 255 },
              { 255, 212, 236, 255 } },
    .heat_toward = { 20, 22, 28, 255 },
    .heat_mix = 0.42,
    .stable = { 120, 230, 140, 255 },
    .unstable = { 255, 120, 90, 255 },
    BASIN_TINTS,
    .why_grad = { 230, 159, 0, 255 },
    .why_momentum = { 86, 180, 233, 255 },
    .why_step = { 240, 242, 245, 255 },
    .why_scale = { 204, 121, 167, 255 },
};

static const Palette light = {
    .background = { 255, 255, 255, 255 },
    .text = { 20, 22, 28, 255 },
    .text_dim = { 80, 86, 98, 255 },
    .panel = { 255, 255, 255, 230 },
    .panel_edge = { 150, 156, 168, 255 },
    .selection = { 0, 0, 0, 26 },
    .axis = { 60, 64, 74, 255 },
    .isoline = { 0, 0, 0, 60 },
    .arrow = { 0, 0, 0, 110 },
    .minimum = { 0, 0, 0, 255 },
    .marker_edge = { 255, 255, 255, 255 },
    .badge = { 213, 94, 0, 255 },
    .badge_text = { 255, 255, 255, 255 },
    .message = { 20, 22, 28, 215 },
    .message_text = { 255, 255, 255, 255 },
    .runs = { { 101, 26, 8, 255 }, { 32, 69, 96, 255 }, { 138, 19, 189, 255 }, { 125, 87, 17, 255 },
              { 29, 74, 59, 255 }, { 28, 114, 101, 255 }, { 70, 111, 74, 255 }, { 55, 108, 128, 255 },
              { 128, 91, 112, 255 } },
    .heat_toward = { 255, 255, 255, 255 },
    .heat_mix = 0.55,
    .stable = { 0, 120, 40, 255 },
    .unstable = { 190, 40, 0, 255 },
    BASIN_TINTS,
    .why_grad = { 213, 94, 0, 255 },
    .why_momentum = { 0, 114, 178, 255 },
    .why_step = { 20, 22, 28, 255 },
    .why_scale = { 170, 68, 136, 255 },
};

const RunStyle theme_run_style[SIM_MAX_RUNS] = {
    [8] = { .mark = MARK_SQUARE },
};

const Palette *theme_palette(Theme theme)
{
    return theme == THEME_LIGHT ? &light : &dark;
}

/* matplotlib's viridis (public domain) at 17 even stops; linear interpolation between
 * them stays within 2% of the full map. */
static const unsigned char viridis[17][3] = {
    { 68, 1, 84 },    { 72, 24, 106 },  { 71, 45, 123 },  { 66, 64, 134 },  { 59, 82, 139 },  { 51, 99, 141 },
    { 44, 114, 142 }, { 38, 130, 142 }, { 33, 145, 140 }, { 31, 160, 136 }, { 40, 174, 128 }, { 63, 188, 115 },
    { 94, 201, 98 },  { 132, 212, 75 }, { 173, 220, 48 }, { 216, 226, 25 }, { 253, 231, 37 },
};

Rgba theme_colormap(double t)
{
    if (!(t > 0))
        t = 0;
    if (t > 1)
        t = 1;
    const double pos = t * 16;
    int i = (int)pos;
    if (i > 15)
        i = 15;
    const double f = pos - i;
    Rgba c = { 0, 0, 0, 255 };
    unsigned char *out[3] = { &c.r, &c.g, &c.b };
    for (int k = 0; k < 3; k++)
        *out[k] = (unsigned char)(viridis[i][k] + (viridis[i + 1][k] - viridis[i][k]) * f + 0.5);
    return c;
}

const ThemeSizes theme_size = {
    .arrow_width = 1.3,
    .cross_half = 5.5,
    .cross_edge = 3.6,
    .note_pad = 4,
    .tick_width = 1.2,
    .tick_label_apart = 4,
    .tick_label_below = 2,
    .tick_label_beside = 3,
    .colorbar_title_gap = 2,
    .colorbar_label_apart = 6,
    .found_ring = 5,
    .found_ring_edge = 3.4,
    .found_ring_width = 1.6,
    .optim_ring = 4.5,
    .optim_ring_width = 1.6,
    .optim_dot = 3.2,
    .optim_trial = 2.0,
    .start_ring_width = 1.5,
    .marker_edge = 1.6,
    .diverged_edge = 5.0,
    .diverged_width = 2.6,
    .run_label_pad = 3,
    .run_label_gap = 3,
    .optim_mark_alpha = 150,
    .legend_top = 3,
    .legend_key_room = 22,
    .legend_key_line = 14,
    .legend_key_mark = 4,
    .legend_gap = 14,
    .legend_line_gap = 6,
    .selection_rise = 3,
    .badge_grow = 10,
    .badge_inset = 5,
    .badge_rise = 2,
    .badge_tall = 4,
    .plot_pad = 6,
    .plot_tick = 3,
    .plot_label_gap = 5,
    .plot_step_label_spacing = 60,
    .plot_thin = 1.0,
    .plot_line = 2.0,
    .diverged_arrow_gap = 2,
    .diverged_arrow_half = 4,
    .diverged_arrow_long = 6,
    .diverged_note_beside = 6,
    .guide_alpha = 140,
    .data_point = 2.6,
    .data_point_ring = 1.2,
    .data_model = 2.6,
    .recording_pad = 6,
    .message_pad = 8,
    .help_pad = 16,
    .help_alpha = 245,
};
