/* The one layout (see layout.h). Sizes are in points times s; the ladder of what gives way
 * is tried from the top until everything fits. */
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "theme.h"

/* Widest tick label the axes write (axes.c's tick_label keeps to it). */
#define TICK_TEMPLATE "-0.0000"
#define COLORBAR_TEMPLATE "-1e+00"

typedef struct {
    int margin, pad, small_h, body_h, title_h;
} Metrics;

/* One rung of the ladder: what the panels hold. */
typedef struct {
    int legend;        /* shown */
    LegendLines lines;
    int plots;         /* 0 none, 1 short allowed, 2 full height */
    int nplots;        /* how many of the plots asked for, in order, at most */
    int colorbar;
    int readout;       /* the curvature readout */
    int basin_key;     /* the basin map's key, above the colour bar: it goes with it */
    int rule;          /* the update rule, under the readout: it goes with the colour bar */
    int internals_key; /* the internals' key, above the basin key: it goes with the colour bar */
} Rung;


static int px(double points, double s)
{
    return (int)floor(points * s + 0.5);
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

int layout_boxes_meet(CanvasBox a, CanvasBox b)
{
    return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
           b.y < a.y + a.h;
}

static int colorbar_height(const Metrics *m, double s)
{
    return m->small_h + px(2, s) + px(LAYOUT_COLORBAR_THICK, s) + px(LAYOUT_TICK, s) + m->small_h;
}

static int legend_height(const LayoutIn *in, LegendLines lines, const Metrics *m)
{
    return 2 * m->pad + in->nruns * in->need.row_height[lines];
}

/* The legend's most detailed lines that fit `width`: the lecturer's choice is the ceiling. */
static LegendLines widest_lines(const LayoutIn *in, int width)
{
    LegendLines lines = in->legend == LEGEND_COMPACT ? LEGEND_LINES_COMPACT : LEGEND_LINES_FULL;
    while (lines < LEGEND_LINES_STACKED && in->need.width[lines] > width &&
           !(lines == LEGEND_LINES_BARE && in->need.one_line_least <= width))
        lines++;
    return lines;
}

/* The ladder, from everything to nothing, for a legend cut to `lines` at most. */
static int rungs(const LayoutIn *in, LegendLines lines, Rung *out)
{
    const int np = layout_plot_count(in->shown), plots = np > 0, bar = (in->shown & SHOW_COLORBAR) != 0;
    const int legend = in->legend != LEGEND_HIDDEN && in->nruns > 0;
    const int ro = (in->shown & SHOW_CURVATURE) && in->nruns > 0;
    const int key = in->basin_rows > 0;
    /* Short plots give way one at a time, the last asked for first, before all of them go.
     * Where the compact line is too wide (lines >= MINIMAL), the plots, the lr plot among
     * them, outrank the small lr line the short legend adds under each label: it goes
     * first, before any plot does. */
    const int bare = lines >= LEGEND_LINES_MINIMAL && plots;
    Rung all[LAYOUT_PLOTS_MAX + 11];
    int na = 0;
    all[na++] = (Rung){ legend, LEGEND_LINES_FULL, 2 * plots, np, bar, ro, key, 0, 0 };
    all[na++] = (Rung){ legend, LEGEND_LINES_COMPACT, 2 * plots, np, bar, ro, key, 0, 0 };
    for (int k = np; k >= 1; k--) {
        all[na++] = (Rung){ legend, k == np || !bare ? LEGEND_LINES_COMPACT : LEGEND_LINES_BARE, plots, k, bar, ro, key, 0, 0 };
        if (k == np && bare) {
            all[na++] = (Rung){ legend, LEGEND_LINES_BARE, 2 * plots, np, bar, ro, key, 0, 0 };
            all[na++] = (Rung){ legend, LEGEND_LINES_BARE, plots, np, bar, ro, key, 0, 0 };
        }
    }
    all[na++] = (Rung){ legend, LEGEND_LINES_COMPACT, 0, 0, bar, ro, key, 0, 0 };
    all[na++] = (Rung){ legend, LEGEND_LINES_MINIMAL, 0, 0, bar, ro, key, 0, 0 };
    all[na++] = (Rung){ legend, LEGEND_LINES_BARE, 0, 0, bar, ro, key, 0, 0 };
    /* Names cut to one line (when they need two, STACKED) before the colour bar, the basin
     * key and the curvature readout go: those the lecturer asked for by name. */
    const int cut = na;
    all[na++] = (Rung){ legend, LEGEND_LINES_BARE, 0, 0, bar, ro, key, 0, 0 };
    all[na++] = (Rung){ legend, LEGEND_LINES_BARE, 0, 0, 0, 0, 0, 0, 0 };
    all[na++] = (Rung){ 0, LEGEND_LINES_BARE, 0, 0, 0, 0, 0, 0, 0 };
    /* The update rule and the internals' key, asked for by name, keep to the rungs that keep the readout. */
    for (int i = 0; i < na; i++) {
        const int kept = i < na - 2;
        all[i].rule = kept && in->rule_lines > 0 && in->nruns > 0;
        all[i].internals_key = kept && in->internals_rows > 0 && in->nruns > 0;
    }
    int n = 0;
    for (int i = 0; i < na; i++) {
        Rung r = all[i];
        if (r.lines < lines && !(i == cut && (bar || ro || key || r.rule || r.internals_key)))
            r.lines = lines;
        if (n > 0 && memcmp(&r, &out[n - 1], sizeof r) == 0)
            continue;
        out[n++] = r;
    }
    return n;
}

/* The plot boxes that are shown, in order. */
static int plot_boxes(Layout *l, unsigned shown, CanvasBox **out)
{
    int n = 0;
    if (shown & SHOW_DATA)
        out[n++] = &l->plot_data;
    if (shown & SHOW_PLOTS) {
        out[n++] = &l->plot_loss;
        out[n++] = &l->plot_lr;
    }
    if (shown & SHOW_SHARPNESS)
        out[n++] = &l->plot_sharpness;
    if (shown & SHOW_GRADNORM)
        out[n++] = &l->plot_gradnorm;
    return n;
}

int layout_plot_count(unsigned shown)
{
    Layout l;
    CanvasBox *boxes[LAYOUT_PLOTS_MAX];
    return plot_boxes(&l, shown, boxes);
}

static int readout_height(const LayoutIn *in, const Metrics *m)
{
    return (in->readout_lines > 0 ? in->readout_lines : LAYOUT_READOUT_LINES) * m->small_h + m->pad;
}

static int basin_key_height(const LayoutIn *in, const Metrics *m)
{
    return in->basin_rows * m->small_h + m->pad;
}

static int rule_height(const LayoutIn *in, const Metrics *m)
{
    return in->rule_lines * m->small_h + m->pad;
}

static int internals_key_height(const LayoutIn *in, const Metrics *m)
{
    return in->internals_rows * m->small_h + m->pad;
}

/* The panels stacked in a column of width w from y0 to y1 (legend, curvature readout and
 * plots from the top, the colour bar at the bottom). Returns the height they need, or -1
 * when this rung does not fit. With `side_by_side` (a band) the plots go two to a row. */
static int stack(Layout *l, const LayoutIn *in, const Metrics *m, const Rung *r, int x, int y0, int w, int y1,
                 int side_by_side)
{
    const double s = in->s;
    int y = y0, room = y1 - y0;
    int need = 0, parts = 0;
    const int legend_h = r->legend ? legend_height(in, r->lines, m) : 0;
    const int bar_h = r->colorbar ? colorbar_height(m, s) + m->pad : 0;
    const int readout_h = r->readout ? readout_height(in, m) : 0;
    const int key_h = r->basin_key ? basin_key_height(in, m) : 0;
    const int rule_h = r->rule ? rule_height(in, m) : 0;
    const int ikey_h = r->internals_key ? internals_key_height(in, m) : 0;
    need += legend_h + bar_h + readout_h + key_h + rule_h + ikey_h;
    parts += (legend_h > 0) + (bar_h > 0) + (readout_h > 0) + (key_h > 0) + (rule_h > 0) + (ikey_h > 0);
    CanvasBox *plots[LAYOUT_PLOTS_MAX];
    const int nplots = r->plots ? min_int(r->nplots, plot_boxes(l, in->shown, plots)) : 0;
    const int per_row = side_by_side ? 2 : 1, plot_rows = (nplots + per_row - 1) / per_row;
    int plot_h = 0;
    if (nplots) {
        const int gaps = (parts + plot_rows) * m->pad;
        const int left = room - need - gaps;
        plot_h = min_int(px(LAYOUT_PLOT_HEIGHT, s), left / plot_rows);
        const int least = r->plots == 2 ? px(LAYOUT_PLOT_HEIGHT, s) : px(LAYOUT_PLOT_MIN_HEIGHT, s);
        const int plot_w = side_by_side ? (w - m->pad) / 2 : w;
        if (plot_h < least || plot_w < px(LAYOUT_PLOT_MIN_WIDTH, s))
            return -1;
        need += plot_rows * plot_h + gaps;
    } else {
        need += parts > 1 ? (parts - 1) * m->pad : 0;
    }
    if (need > room)
        return -1;
    if (r->legend) {
        l->legend = (CanvasBox){ x, y, w, legend_h };
        l->legend_lines = r->lines;
        l->legend_row_height = in->need.row_height[r->lines];
        y += legend_h + m->pad;
    }
    if (r->readout) {
        l->curvature = (CanvasBox){ x, y, w, readout_h };
        y += readout_h + m->pad;
    }
    if (r->rule) {
        l->rule = (CanvasBox){ x, y, w, rule_h };
        y += rule_h + m->pad;
    }
    for (int i = 0; i < nplots; i++) {
        const int col = i % per_row, pw = per_row == 2 ? (w - m->pad) / 2 : w;
        *plots[i] = col == 0 ? (CanvasBox){ x, y, pw, plot_h } : (CanvasBox){ x + pw + m->pad, y, w - pw - m->pad, plot_h };
        if (col == per_row - 1 || i == nplots - 1)
            y += plot_h + m->pad;
    }
    if (r->colorbar)
        l->colorbar = (CanvasBox){ x, y1 - colorbar_height(m, s), w, colorbar_height(m, s) };
    if (r->basin_key)
        l->basin_key = (CanvasBox){ x, y1 - bar_h - key_h, w, key_h };
    if (r->internals_key)
        l->internals_key = (CanvasBox){ x, y1 - bar_h - (key_h ? key_h + m->pad : 0) - ikey_h, w, ikey_h };
    return need;
}

static void clear_panels(Layout *l)
{
    l->legend = l->plot_loss = l->plot_lr = l->colorbar = (CanvasBox){ 0, 0, 0, 0 };
    l->curvature = l->plot_sharpness = l->plot_gradnorm = l->basin_key = l->plot_data = (CanvasBox){ 0, 0, 0, 0 };
    l->rule = l->internals_key = (CanvasBox){ 0, 0, 0, 0 };
}

/* The widest the panels' column may be: the map keeps the rest. */
static int column_max(const LayoutIn *in)
{
    return (int)(in->w * (in->w >= 1024 ? LAYOUT_COLUMN_SHARE : LAYOUT_COLUMN_SHARE_SMALL));
}

int layout_readout_width(int w, double s)
{
    const LayoutIn in = { .w = w, .s = s };
    return min_int(px(LAYOUT_READOUT_WIDTH, s), column_max(&in));
}

static int column_width(const LayoutIn *in, const Rung *r)
{
    const double s = in->s;
    int w = r->legend ? in->need.width[r->lines] : 0;
    if (r->plots)
        w = max_int(w, px(LAYOUT_PLOT_MIN_WIDTH, s));
    if (r->colorbar)
        w = max_int(w, px(LAYOUT_COLORBAR_WIDTH, s));
    if (r->basin_key)
        w = max_int(w, in->basin_width);
    if (r->readout || r->rule)
        w = max_int(w, px(LAYOUT_READOUT_WIDTH, s));
    if (r->internals_key)
        w = max_int(w, px(LAYOUT_COLORBAR_WIDTH, s));
    return min_int(w, column_max(in));
}

/* Panels in a column right of the map, from the top of the map to the bottom of its
 * axis labels; the first rung of the ladder that fits. */
static int place_column(Layout *l, const LayoutIn *in, const Metrics *m, int top, int bottom)
{
    Rung r[LAYOUT_PLOTS_MAX + 11];
    const int n = rungs(in, widest_lines(in, column_max(in)), r);
    for (int i = 0; i < n; i++) {
        clear_panels(l);
        const int w = column_width(in, &r[i]);
        if (w <= 0)
            return 0;
        if (stack(l, in, m, &r[i], in->w - m->margin - w, top, w, bottom, 0) >= 0)
            return w;
    }
    clear_panels(l);
    return 0;
}

/* Panels in a band below the map, across the picture; the band takes at most
 * LAYOUT_BAND_SHARE of the height. */
static int place_band(Layout *l, const LayoutIn *in, const Metrics *m, int bottom)
{
    const int w = in->w - 2 * m->margin;
    Rung r[LAYOUT_PLOTS_MAX + 11];
    const int n = rungs(in, widest_lines(in, w), r);
    const int most = (int)(in->h * LAYOUT_BAND_SHARE);
    for (int i = 0; i < n; i++) {
        clear_panels(l);
        if (!r[i].legend && !r[i].plots && !r[i].colorbar && !r[i].readout && !r[i].basin_key && !r[i].rule &&
            !r[i].internals_key)
            return 0;
        /* As tall as its panels: measured in the most room, then laid against the bottom. */
        const int used = stack(l, in, m, &r[i], m->margin, bottom - most, w, bottom, 1);
        if (used < 0)
            continue;
        clear_panels(l);
        stack(l, in, m, &r[i], m->margin, bottom - used, w, bottom, 1);
        return used + m->pad;
    }
    clear_panels(l);
    return 0;
}

/* Over the map: legend top right, plots bottom right, colour bar bottom left. */
static void place_floating(Layout *l, const LayoutIn *in, const Metrics *m)
{
    const CanvasBox map = l->map;
    const int pad = m->pad, w = min_int(column_max(in), map.w / 2);
    Rung r[LAYOUT_PLOTS_MAX + 11];
    const int n = rungs(in, widest_lines(in, w), r);
    for (int i = 0; i < n; i++) {
        clear_panels(l);
        const int cw = min_int(column_width(in, &r[i]), w);
        if (cw <= 0)
            return;
        if (stack(l, in, m, &r[i], map.x + map.w - pad - cw, map.y + pad, cw, map.y + map.h - pad, 0) >= 0)
            break;
    }
    int above = map.y + map.h - pad; /* the keys bottom left, so the plots keep the right */
    if (l->colorbar.w > 0) {
        l->colorbar.x = map.x + pad;
        l->colorbar.y = above - l->colorbar.h;
        above = l->colorbar.y - pad;
    }
    if (l->basin_key.w > 0) {
        l->basin_key.x = map.x + pad;
        l->basin_key.y = above - l->basin_key.h;
        above = l->basin_key.y - pad;
    }
    if (l->internals_key.w > 0) {
        l->internals_key.x = map.x + pad;
        l->internals_key.y = above - l->internals_key.h;
    }
}

static void measure(Metrics *m, const LayoutIn *in, Text *tx)
{
    m->margin = px(LAYOUT_MARGIN, in->s);
    m->pad = px(LAYOUT_PAD, in->s);
    m->small_h = text_height(tx, FONT_SMALL);
    m->body_h = text_height(tx, FONT_BODY);
    m->title_h = text_height(tx, FONT_TITLE);
}

/* The live window's rows under the map: the input line and its error, the last message
 * and the status line (the REC mark at its start while recording), across `width` from x
 * and ending at y = bottom. The message sits beside the status line, or above it when the
 * row is narrow. They take their room from the map, never from the panels, so the window
 * holds every box its slide picture has. Returns the height taken. */
static int place_live_rows(Layout *l, const LayoutIn *in, const Metrics *m, Text *tx, int x, int width, int bottom)
{
    if (!in->live)
        return 0;
    const double s = in->s;
    const int row = m->body_h + px(LAYOUT_ROW_PAD, s), gap = px(LAYOUT_ROW_GAP, s);
    int y = bottom - row;
    int rec = 0;
    if (in->recording) {
        const int dot = text_height(tx, FONT_BOLD) * 2 / 3, pad = px(theme_size.recording_pad, s);
        rec = dot + 3 * pad + text_width(tx, FONT_BOLD, LAYOUT_REC_TEMPLATE);
        l->rec = (CanvasBox){ x, y, rec, row };
        rec += pad;
    }
    const int sw = min_int(in->status_width + m->pad, (int)((width - rec) * LAYOUT_STATUS_SHARE));
    const int rest = width - rec - sw - m->pad;
    l->status = (CanvasBox){ x + rec, y, sw, row };
    if (rest >= px(LAYOUT_MESSAGE_MIN_WIDTH, s)) {
        l->message = (CanvasBox){ x + rec + sw + m->pad, y, rest, row };
    } else {
        l->status.w = width - rec;
        y -= row + gap;
        l->message = (CanvasBox){ x, y, width, row };
    }
    if (in->input) {
        y -= 2 * row + gap;
        l->input = (CanvasBox){ x, y, width, 2 * row };
    }
    if (in->notes_lines > 0) {
        const int h = in->notes_lines * m->body_h + 2 * px(theme_size.message_pad, s);
        y -= h + gap;
        l->notes = (CanvasBox){ x, y, width, h };
    }
    return bottom - y + m->pad;
}

/* What stands around the map, each of which may give way to it (see layout_compute). */
typedef struct {
    int title, subtitle, caption; /* the title, the scene's caption lines (how many), the line under the map */
    int xlabel, ylabel;           /* the axis letters */
    int xticks, yticks;           /* the tick labels (the marks stay) */
    int panels;                   /* legend, plots, colour bar beside the map */
} Around;

static void place(Layout *l, const LayoutIn *in, Text *tx, const Metrics *mp, const Around *a)
{
    const Metrics m = *mp;
    memset(l, 0, sizeof *l);
    const double s = in->s;
    const int top = m.margin + (a->title ? m.title_h + m.pad : 0) + (a->subtitle ? a->subtitle * m.body_h + m.pad : 0);
    const int caption_h = a->caption ? m.body_h + m.pad : 0;
    const int bottom = in->h - m.margin - caption_h;
    const int ytick_w = (a->yticks ? text_width(tx, FONT_SMALL, TICK_TEMPLATE) : 0) + px(LAYOUT_TICK + 4, s);
    const int xtick_h = px(LAYOUT_TICK + 2, s) + (a->xticks ? m.small_h : 0);
    const int ylabel_w = a->ylabel ? text_width(tx, FONT_BODY, "y") + m.pad : 0;
    const int xlabel_w = a->xlabel ? text_width(tx, FONT_BODY, "x") + m.pad : 0;
    const int left = m.margin + ylabel_w + ytick_w;
    int right = in->w - m.margin, below = bottom;
    l->floating = (in->shown & SHOW_FLOAT) != 0;
    l->beside = !l->floating && in->w >= in->h * LAYOUT_BESIDE_ASPECT;
    if (!a->panels) {
        /* the map alone */
    } else if (!l->floating && l->beside) {
        const int col = place_column(l, in, &m, top, bottom);
        if (col > 0)
            right -= col + m.pad;
    } else if (!l->floating) {
        const int band = place_band(l, in, &m, bottom);
        below -= band;
    }
    /* The live rows under the map's x ticks: as wide as the map's side of a column layout. */
    const int rows_w = (l->beside ? right : in->w - m.margin) - m.margin;
    below -= place_live_rows(l, in, &m, tx, m.margin, rows_w, below);
    const int map_bottom = below - max_int(xtick_h, a->xlabel ? m.body_h + (a->xticks ? 0 : px(LAYOUT_TICK, s)) : 0);
    l->map = (CanvasBox){ left, top, max_int(16, right - left), max_int(16, map_bottom - top) };
    if (in->views == VIEWS_SURFACE) {
        /* Over the map's border and tick marks too, which the base still draws around it. */
        l->surface = (CanvasBox){ l->map.x - ytick_w, l->map.y - 1, l->map.w + ytick_w + 1, l->map.h + xtick_h + 1 };
    } else if (in->views == VIEWS_BOTH) {
        /* Side by side in the map's room: the map keeps the left half and its axes. */
        const int half = max_int(16, (l->map.w - m.pad) / 2);
        l->surface = (CanvasBox){ l->map.x + l->map.w - half, l->map.y, half, l->map.h };
        l->map.w = max_int(16, l->map.w - half - m.pad - ytick_w);
    }
    if (l->floating && a->panels)
        place_floating(l, in, &m);
    if (a->yticks)
        l->yticks = (CanvasBox){ left - ytick_w, l->map.y, ytick_w, l->map.h };
    /* The x label ends the row of x tick labels, the y label stands left of the y ones. */
    if (a->xticks)
        l->xticks = (CanvasBox){ l->map.x, l->map.y + l->map.h, l->map.w - xlabel_w, xtick_h };
    if (a->ylabel)
        l->ylabel = (CanvasBox){ m.margin, l->map.y, ylabel_w - m.pad, l->map.h };
    if (a->xlabel)
        l->xlabel = (CanvasBox){ l->map.x + l->map.w - xlabel_w + m.pad, l->map.y + l->map.h + px(LAYOUT_TICK, s),
                                 xlabel_w - m.pad, m.body_h };
    if (a->title)
        l->title = (CanvasBox){ left, m.margin, in->w - m.margin - left, m.title_h };
    if (a->subtitle)
        l->subtitle = (CanvasBox){ left, m.margin + (a->title ? m.title_h + m.pad : 0), in->w - m.margin - left,
                                   a->subtitle * m.body_h };
    if (caption_h)
        l->caption = (CanvasBox){ left, bottom + m.pad, in->w - m.margin - left, m.body_h };
    l->help = (CanvasBox){ m.margin, m.margin, in->w - 2 * m.margin, in->h - 2 * m.margin };
    if (in->palette && l->input.w > 0) {
        const int h = min_int(LAYOUT_PALETTE_ROWS * (m.body_h + m.pad / 2) + m.pad, l->input.y - 2 * m.margin);
        l->palette = (CanvasBox){ l->input.x, l->input.y - m.pad / 2 - h, l->input.w, max_int(0, h) };
    }
    CanvasBox *plots[LAYOUT_PLOTS_MAX];
    const int asked = plot_boxes(l, in->shown, plots);
    for (int i = 0; i < asked; i++)
        l->plots_hidden += plots[i]->w <= 0;
}

/* SHOW_BIGPLOT: the loss and lr plots take the map's place with its ticks and letters (the
 * loss above, taller), and the map takes theirs in the panels, without ticks. Nothing else
 * moves, so the swap back puts everything where it was. Without room for the loss plot in the
 * panels there is no room for the small map either: nothing swaps. */
static void swap_big_plot(Layout *l, const Metrics *m)
{
    if (l->plot_loss.w <= 0)
        return;
    /* The two plots' room, where nothing else sits in it (a column); in a band's rows of two,
     * or where the lr plot found no room, the loss plot's own box. */
    const CanvasBox a = l->plot_loss, b = l->plot_lr.w > 0 ? l->plot_lr : a;
    if (l->plot_lr.w <= 0)
        l->plots_hidden--; /* it goes big with the loss plot */
    const int bx0 = min_int(a.x, b.x), by0 = min_int(a.y, b.y);
    CanvasBox small = { bx0, by0, max_int(a.x + a.w, b.x + b.w) - bx0, max_int(a.y + a.h, b.y + b.h) - by0 };
    const CanvasBox others[] = { l->legend, l->colorbar, l->plot_data, l->plot_sharpness, l->plot_gradnorm,
                                 l->curvature, l->rule, l->basin_key, l->internals_key };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (layout_boxes_meet(small, others[i]))
            small = a;
    const int x0 = l->ylabel.w > 0 ? l->ylabel.x : l->yticks.w > 0 ? l->yticks.x : l->map.x;
    int y1 = l->map.y + l->map.h;
    if (l->xticks.w > 0)
        y1 = max_int(y1, l->xticks.y + l->xticks.h);
    if (l->xlabel.w > 0)
        y1 = max_int(y1, l->xlabel.y + l->xlabel.h);
    const int x1 = l->map.x + l->map.w, y0 = l->map.y, h = y1 - y0 - m->pad;
    const int loss_h = h * 3 / 5;
    l->plot_loss = (CanvasBox){ x0, y0, x1 - x0, loss_h };
    l->plot_lr = (CanvasBox){ x0, y0 + loss_h + m->pad, x1 - x0, h - loss_h };
    l->map = small;
    l->xticks = l->yticks = l->xlabel = l->ylabel = (CanvasBox){ 0, 0, 0, 0 };
    l->big_plot = 1;
}

/* The text around the map gives way before the map does: while the map is lower than
 * LAYOUT_MAP_MIN_HIGH of the picture, the scene's caption lines go one at a time from the
 * last, then the line under the map, the title, the x letter and the x tick labels; while
 * it is narrower than LAYOUT_MAP_MIN_WIDE, the y tick labels and then the y letter. Last,
 * in a thumbnail, the panels go. */
void layout_compute(Layout *l, const LayoutIn *asked, Text *tx)
{
    LayoutIn big = *asked; /* the big plot is the loss and lr plots: it shows them */
    if (big.shown & SHOW_BIGPLOT) {
        big.shown |= SHOW_PLOTS;
        big.views = VIEWS_MAP; /* while the curves are large the 3D view waits */
    }
    const LayoutIn *in = &big;
    Metrics m;
    measure(&m, in, tx);
    const int axes = (in->shown & SHOW_AXIS_LABELS) != 0;
    Around a = { in->title, in->subtitle, (in->shown & SHOW_CAPTION) != 0, axes, axes, 1, 1, 1 };
    if (in->views == VIEWS_SURFACE) /* the surface alone has none of the map's axes around it */
        a.xlabel = a.ylabel = a.xticks = a.yticks = 0;
    for (;;) {
        place(l, in, tx, &m, &a);
        /* Beside the 3D view, the map and it count as one. */
        const int wide = l->map.w + (in->views == VIEWS_BOTH ? l->surface.w + m.pad : 0);
        const int low = l->map.h < in->h * LAYOUT_MAP_MIN_HIGH, narrow = wide < in->w * LAYOUT_MAP_MIN_WIDE;
        int *give = NULL;
        if (low) {
            int *const tall[] = { &a.subtitle, &a.caption, &a.title, &a.xlabel, &a.xticks, &a.panels };
            for (size_t i = 0; i < sizeof tall / sizeof tall[0] && !give; i++)
                give = *tall[i] ? tall[i] : NULL;
        }
        if (narrow && !give) {
            int *const wide[] = { &a.yticks, &a.ylabel, &a.panels };
            for (size_t i = 0; i < sizeof wide / sizeof wide[0] && !give; i++)
                give = *wide[i] ? wide[i] : NULL;
        }
        if (!give)
            break;
        (*give)--; /* a line of the caption at a time; the others go at once */
    }
    if ((in->shown & SHOW_BIGPLOT) && !l->floating)
        swap_big_plot(l, &m);
}

#define BOX(name) { #name, offsetof(Layout, name) }
const LayoutBoxName layout_box_names[] = {
    BOX(title),  BOX(map),    BOX(xticks),   BOX(yticks),  BOX(xlabel), BOX(ylabel),  BOX(colorbar),
    BOX(legend), BOX(plot_loss), BOX(plot_lr), BOX(status), BOX(message), BOX(caption),
    BOX(curvature), BOX(plot_sharpness), BOX(plot_gradnorm), BOX(input), BOX(subtitle), BOX(rec),
    BOX(basin_key), BOX(plot_data), BOX(rule), BOX(internals_key), BOX(notes), BOX(surface),
};
const int layout_box_count = (int)(sizeof layout_box_names / sizeof layout_box_names[0]);

const CanvasBox *layout_box(const Layout *l, int i)
{
    return (const CanvasBox *)((const char *)l + layout_box_names[i].offset);
}

void layout_json(const Layout *l, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "{");
    for (int i = 0; i < layout_box_count && used < len; i++) {
        const CanvasBox *b = layout_box(l, i);
        if (b->w <= 0 || b->h <= 0)
            continue;
        used += (size_t)snprintf(buf + used, len - used, "%s\"%s\": [%d, %d, %d, %d]", used > 1 ? ", " : "",
                                 layout_box_names[i].name, b->x, b->y, b->w, b->h);
    }
    if (used < len)
        snprintf(buf + used, len - used, "}");
}

int layout_legend_row(const Layout *l, int nruns, double x, double y)
{
    const CanvasBox b = l->legend;
    if (b.w <= 0 || x < b.x || x >= b.x + b.w || y < b.y || y >= b.y + b.h || l->legend_row_height <= 0)
        return -1;
    const int pad = (b.h - nruns * l->legend_row_height) / 2;
    const int i = (int)floor((y - b.y - pad) / l->legend_row_height);
    return i >= 0 && i < nruns ? i : -1;
}
