/* The update rule panel (SHOW_RULE): the selected run's rule as torch's documentation
 * writes it, each line with this update's values; and the internals' key (SHOW_INTERNALS):
 * which arrow is which, and the scale they are drawn at. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/internals.h"
#include "panel_parts.h"
#include "why.h"

/* "(0.0123, -0.456)" or "0.0123" with `digits` significant digits. */
static void values_text(const RuleLine *ln, int digits, char *buf, size_t len)
{
    if (ln->values == 1)
        snprintf(buf, len, "%.*g", digits, ln->v[0]);
    else
        snprintf(buf, len, "(%.*g, %.*g)", digits, ln->v[0], digits, ln->v[1]);
}

/* The title line: the optimizer and the update's number. */
static void title_text(const Run *r, const Internals *in, char *buf, size_t len)
{
    char label[LABEL_TEXT_MAX];
    const char *name = spec_kind(&optim_table, r->opt.kind)->name;
    sim_label(r, label, sizeof label);
    if (strcmp(label, name) == 0)
        snprintf(buf, len, "%s \xc2\xb7 update t = %ld", name, in->t);
    else
        snprintf(buf, len, "%s (%s) \xc2\xb7 update t = %ld", label, name, in->t);
}

/* Lays the rule out in `room` pixels from (x, y): each formula wrapped, its values beside it
 * when they fit, else on a line of their own (3 significant digits, 2 when 3 are too wide).
 * Draws when `draw`; returns the lines. */
static int rule_lines_at(const Paint *p, const Session *ses, int x, int y, int room, int draw)
{
    const Run *r = &ses->sim.runs[ses->selected];
    Internals in;
    Rule rule;
    const int sh = text_height(p->tx, FONT_SMALL), gap = (int)(LAYOUT_PAD * p->s);
    char buf[160];
    int cut = 0, lines = 0;
    if (internals_of(&ses->sim, r, &in, &rule) < 0) {
        if (draw)
            panels_text_in(p, FONT_SMALL, x, y, room, p->pal->text_dim, "no next step: the run stopped");
        return 1;
    }
    title_text(r, &in, buf, sizeof buf);
    lines += panels_wrap(p, FONT_SMALL, buf, x, y, room, sh, p->pal->text_dim, draw, &cut);
    for (int k = 0; k < rule.n; k++) {
        const RuleLine *ln = &rule.line[k];
        const int n = panels_wrap(p, FONT_SMALL, ln->formula, x, y, room, sh, p->pal->text, 0, &cut);
        values_text(ln, 3, buf, sizeof buf);
        if (text_width(p->tx, FONT_SMALL, buf) > room - gap)
            values_text(ln, 2, buf, sizeof buf);
        const int vw = text_width(p->tx, FONT_SMALL, buf);
        /* Beside a one-line formula when both fit, right-aligned; else below it, indented. */
        const int beside = ln->values && n == 1 && text_width(p->tx, FONT_SMALL, ln->formula) + gap + vw <= room;
        /* The slow motion's phase: its lines on a tint of the colour its part has on the map. */
        if (draw && ses->slow_phase && ln->phase == ses->slow_phase) {
            const Rgba *part[] = { [INTERNALS_PHASE_GRADIENT] = &p->pal->why_grad,
                                   [INTERNALS_PHASE_MOMENTS] = &p->pal->why_momentum,
                                   [INTERNALS_PHASE_SCALING] = &p->pal->why_scale,
                                   [INTERNALS_PHASE_STEP] = &p->pal->why_step };
            Rgba tint = *part[ln->phase];
            tint.a = 90;
            canvas_rect(p->c, x - gap / 2, y + lines * sh, room + gap, (n + (ln->values && !beside)) * sh, tint);
        }
        panels_wrap(p, FONT_SMALL, ln->formula, x, y + lines * sh, room, sh, p->pal->text, draw, &cut);
        lines += n;
        if (!ln->values)
            continue;
        const int vy = beside ? y + (lines - 1) * sh : y + lines * sh;
        if (draw)
            panels_text_in(p, FONT_SMALL, beside ? x + room - vw : x + gap, vy, room - gap, p->pal->text_dim, buf);
        lines += !beside;
    }
    return lines;
}

void rule_draw(const Paint *p, const Session *ses, const Layout *l)
{
    const CanvasBox b = l->rule;
    if (b.w <= 0 || ses->sim.nruns == 0)
        return;
    panels_back(p, b);
    const int pad = (int)(LAYOUT_PAD * p->s);
    rule_lines_at(p, ses, b.x + pad, b.y + pad / 2, b.w - 2 * pad, 1);
}

int panels_rule_lines(const Session *ses, Text *tx, double s, int width)
{
    if (!(ses->shown & SHOW_RULE) || ses->sim.nruns == 0)
        return 0;
    const Paint p = { NULL, tx, s, theme_palette(ses->theme), NULL, NULL };
    return rule_lines_at(&p, ses, 0, 0, width - 2 * (int)(LAYOUT_PAD * s), 0);
}

/* The key's entries: a swatch shape (0 arrow, 1 box, -1 none), its colour and its words. */
typedef struct {
    int shape;
    Rgba col;
    const char *text;
} KeyEntry;

#define KEY_ROWS 5

int panels_internals_rows(const Session *ses)
{
    return (ses->shown & SHOW_INTERNALS) && ses->sim.nruns > 0 ? KEY_ROWS : 0;
}

void internals_key_draw(const Paint *p, const Session *ses, const Layout *l)
{
    const CanvasBox b = l->internals_key;
    if (b.w <= 0)
        return;
    const Palette *pal = p->pal;
    const KeyEntry e[KEY_ROWS - 1] = {
        { 0, pal->why_grad, "gradient step \xe2\x88\x92lr\xc2\xb7\xe2\x88\x87" "f" },
        { 0, pal->why_momentum, "momentum, or \xe2\x88\x92lr\xc2\xb7m\xcc\x82" },
        { 0, pal->why_step, "step taken" },
        { 1, pal->why_scale, "step size per axis" },
    };
    panels_back(p, b);
    const int pad = (int)(LAYOUT_PAD * p->s), sh = text_height(p->tx, FONT_SMALL), sw = sh;
    const int x = b.x + pad, room = b.w - 2 * pad;
    int y = b.y + pad / 2;
    for (int i = 0; i < KEY_ROWS - 1; i++, y += sh) {
        const double cy = y + sh / 2.0;
        if (e[i].shape == 0) {
            canvas_line(p->c, x, cy, x + sw, cy, 3.0 * p->s, e[i].col);
            canvas_line(p->c, x + sw, cy, x + sw - sh / 3.0, cy - sh / 4.0, 3.0 * p->s, e[i].col);
            canvas_line(p->c, x + sw, cy, x + sw - sh / 3.0, cy + sh / 4.0, 3.0 * p->s, e[i].col);
        } else {
            canvas_rect_outline(p->c, x + 1, y + sh / 6, sw - 2, sh * 2 / 3, (int)fmax(1, 2 * p->s), e[i].col);
        }
        panels_text_in(p, FONT_SMALL, x + sw + pad / 2, y, room - sw - pad / 2, pal->text, e[i].text);
    }
    const double k = why_internals_scale(ses, p->s);
    char note[64];
    if (k > 1)
        snprintf(note, sizeof note, "arrows \xc3\x97%.0f", k);
    else
        snprintf(note, sizeof note, "true length");
    panels_text_in(p, FONT_SMALL, x, y, room, k > 1 ? pal->text : pal->text_dim, note);
}
