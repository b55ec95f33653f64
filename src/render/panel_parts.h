/* What the panels' files share (panels.c: the text panels and the panel table; legend.c;
 * plots.c): the helpers every panel draws with and each file's drawing. Not for use
 * outside these files. */
#ifndef OPTISCOPE_PANEL_PARTS_H
#define OPTISCOPE_PANEL_PARTS_H

#include "panels.h"

#define STEP_TEMPLATE "step 0000000" /* the widest step count the layout keeps room for */
#define EPOCH_TEMPLATE "epoch 000000" /* and epoch, for a run drawing minibatches */

/* panels.c: "0.0123", "1.2e-05"; the step a diverged run is reported at; a panel's
 * background and edge; text cut with an ellipsis to `room` pixels. */
void panels_value(char *buf, size_t len, double v);
long panels_diverged_step(const Run *r);
void panels_back(const Paint *p, CanvasBox b);
void panels_text_in(const Paint *p, FontId font, int x, int y, int room, Rgba col, const char *s);
int panels_max_int(int a, int b);
/* Text wrapped into lines of `room` pixels, `line_h` apart from (x, y), drawn when `draw`;
 * returns its lines. Parts between " · " stay whole on a line of their own where they can
 * (the dot goes at the break); a longer part breaks at spaces. A word wider than the room
 * is cut with an ellipsis and counted in *cut. */
int panels_wrap(const Paint *p, FontId font, const char *text, int x, int y, int room, int line_h, Rgba col, int draw,
                int *cut);

/* legend.c: the legend, each run's row (the selected one highlighted when `live`). */
void legend_draw(const Paint *p, const Session *ses, const Layout *l, int live);

/* rule.c: the update rule with this step's numbers, and the internals' key. */
void rule_draw(const Paint *p, const Session *ses, const Layout *l);
void internals_key_draw(const Paint *p, const Session *ses, const Layout *l);

/* plots.c: the loss, lr, sharpness and gradient-norm plots in their boxes. */
void plots_loss(const Paint *p, const Session *ses, const Layout *l);
void plots_lr(const Paint *p, const Session *ses, const Layout *l);
void plots_sharpness(const Paint *p, const Session *ses, const Layout *l);
void plots_gradnorm(const Paint *p, const Session *ses, const Layout *l);
/* dataplot.c: the data panel, the points and the runs' models. */
void plots_data(const Paint *p, const Session *ses, const Layout *l);

#endif
