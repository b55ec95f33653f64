/* The panels around the map: legend, loss and lr plots, title, caption, status line, the
 * last message and the help, each drawn in the box the layout gives it. */
#ifndef OPTISCOPE_PANELS_H
#define OPTISCOPE_PANELS_H

#include "../session/session.h"
#include "layout.h"
#include "paint.h"

/* The legend's width and row height for each way of cutting its lines, wide enough for
 * any value its numbers may take, so the layout holds still while the runs move. */
LegendNeed panels_legend_need(const Session *ses, Text *tx, double s);
/* Run i's legend entry as text, its lines as drawn for `lines` (for tests): label and
 * loss, then hyperparameters and lr in full; the lr beside them in compact, or below them. */
void panels_legend_text(const Session *ses, int i, LegendLines lines, char *buf, size_t len);
/* The curvature readout's lines for this session (more where a quadratic's theory applies). */
/* Lines the scene's notes take wrapped to `width` pixels (with the box's padding). */
int panels_notes_lines(const Session *ses, Text *tx, double s, int width);
int panels_readout_lines(const Session *ses, Text *tx, double s, int width);
/* The update rule's lines of small text wrapped to `width` (0 when it is off), and the
 * internals' key's lines (0 when the internals are off): rule.c. */
int panels_rule_lines(const Session *ses, Text *tx, double s, int width);
int panels_internals_rows(const Session *ses);
/* The loss and lr plots' value ranges as drawn (in loss and lr, not their logarithms);
 * -1 when no run has a history yet. */
int plots_ranges(const Session *ses, double loss[2], double lr[2]);
/* The status line's width at its widest step count. */
int panels_status_need(const Session *ses, Text *tx);
/* How many caption lines the scene shows under the title now. */
int panels_caption_lines(const Session *ses);

/* The data panel's plot inside its box and the ranges it maps (value = data units): x0..x1
 * left to right, y0..y1 bottom to top, and its ticks' steps; -1 when it draws no plot. */
typedef struct {
    CanvasBox plot;
    double x0, x1, y0, y1, xstep, ystep;
} DataFrame;
int dataplot_frame(const Paint *p, const Session *ses, CanvasBox box, DataFrame *f);

/* The help (help.c): the key table by topic in columns and pages, descriptions wrapped to
 * their column. `rows` are the key lines on the page, `cut` those that still did not fit. */
typedef struct {
    int pages, rows, cut;
} HelpFit;
void panels_help_fit(const Paint *p, CanvasBox box, int page, HelpFit *out);
/* Draws page `page` (the last, when there are fewer) in `box`. */
void panels_help_draw(const Paint *p, CanvasBox box, int page);
/* The palette's list in `box`: the actions `query` finds, the `chosen`-th highlighted. */
void panels_palette_draw(const Paint *p, CanvasBox box, const char *query, int chosen);

/* The panels in the order they are drawn: a later one is drawn over an earlier one. */
typedef enum {
    PANEL_TITLE,
    PANEL_SUBTITLE,
    PANEL_PLOT_DATA,
    PANEL_PLOT_LOSS,
    PANEL_PLOT_LR,
    PANEL_PLOT_SHARPNESS,
    PANEL_PLOT_GRADNORM,
    PANEL_CURVATURE,
    PANEL_RULE,          /* the selected run's update rule with this step's numbers */
    PANEL_INTERNALS_KEY, /* which internals arrow is which, and their scale */
    PANEL_LEGEND,
    PANEL_STATUS,
    PANEL_MESSAGE, /* the last message */
    PANEL_NOTES,   /* live: the scene's notes, whole, when the lecturer asks (Shift+H) */
    PANEL_INPUT,
    PANEL_PALETTE, /* live: the actions Ctrl+K's search finds */
    PANEL_HELP,
    PANEL_CAPTION, /* pictures only */
    PANEL_COUNT
} PanelId;

/* Where each panel draws this frame (w = 0: nothing) and a key of its pixels: a hash of its
 * box, its scale and every drawing call it makes (its drawing run in the canvas's hash
 * mode). Equal keys, equal pixels over the same background. */
typedef struct {
    CanvasBox box[PANEL_COUNT];
    uint64_t key[PANEL_COUNT];
    int from[PANEL_COUNT], to[PANEL_COUNT]; /* its calls in the paint's log, ... */
    int logged[PANEL_COUNT];                /* ... when they are all there (see CanvasLog) */
} PanelKeys;
void panels_keys(const Paint *p, const Session *ses, const Layout *l, const DrawOptions *o, PanelKeys *out);
/* One panel, drawn only inside its box of panels_keys: its logged calls drawn as they were,
 * or its drawing run again when they are not all logged. */
void panels_draw_one(const Paint *p, const Session *ses, const Layout *l, const DrawOptions *o, const PanelKeys *keys,
                     PanelId id);

#endif
