/* The legend: a row per run with its colour key, label and loss (or DIVERGED), and in full
 * its hyperparameters, lr, schedule and step; its widths measured for the layout. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/curvature.h"
#include "../core/optim.h"
#include "../core/sched.h"
#include "panel_parts.h"

/* The widest a number of panels_value can be, for the layout to keep room for it. */
#define VALUE_TEMPLATE LABEL_NUMBER_WIDEST
#define DIVERGED "DIVERGED"
/* A typed schedule's formula in the legend: longer ones end in an ellipsis, so one long
 * formula does not widen the legend past the full rows of the others. */
#define FORMULA_SHOWN 40
#define ELLIPSIS "\xe2\x80\xa6"

/* "momentum 0.9 · nesterov 1": the hyperparameters that differ from torch's defaults, and
 * the batch size of a run drawing minibatches ("batch 5"). */
static void hyper_text(const Run *r, int batched, char *buf, size_t len)
{
    const SpecKind *k = spec_kind(&optim_table, r->opt.kind);
    size_t used = (size_t)snprintf(buf, len, "%s", k->name);
    for (int p = 1; p < k->nparams && used < len; p++) {
        if (r->opt.v[p] == k->params[p].def)
            continue;
        char v[32];
        panels_value(v, sizeof v, r->opt.v[p]);
        used += (size_t)snprintf(buf + used, len - used, " \xc2\xb7 %s %s", k->params[p].name, v);
    }
    if (batched && used < len)
        snprintf(buf + used, len - used, " \xc2\xb7 batch %ld", r->opt.batch);
}

/* "step (step_size=150, gamma=0.5)": the spec, spelled for reading; a typed one as
 * "expr: if(gnorm>1, lr/2, lr)", the formula as written. */
static void sched_text(const Run *r, char *buf, size_t len)
{
    const SpecKind *k = spec_kind(&sched_table, r->sched.kind);
    if (k->format_text) {
        const char *f = r->sched.text.formula;
        const int cut = strlen(f) > FORMULA_SHOWN;
        snprintf(buf, len, "%s: %.*s%s", k->name, FORMULA_SHOWN, f, cut ? ELLIPSIS : "");
        return;
    }
    char spec[160];
    spec_format_brief(&sched_table, &r->sched, spec, sizeof spec);
    size_t used = 0;
    for (const char *p = spec; *p && used + 3 < len; p++) {
        if (*p == ':') {
            buf[used++] = ' ';
            buf[used++] = '(';
        } else if (*p == ',') {
            buf[used++] = ',';
            buf[used++] = ' ';
        } else {
            buf[used++] = *p;
        }
    }
    if (strchr(spec, ':') && used + 1 < len)
        buf[used++] = ')';
    buf[used] = '\0';
}

/* The name of what the momentum key turns and schedules cycle: momentum, or beta1. */
static const char *momentum_name(const Run *r)
{
    const int p = optim_def(r->opt.kind)->momentum;
    return p >= 0 ? spec_kind(&optim_table, r->opt.kind)->params[p].name : "momentum";
}

typedef struct {
    char label[LABEL_TEXT_MAX], loss[48], value[32], hyper[192], lr[224], lr_short[48], step[48];
} LegendRow;

/* 2/L, the largest stable lr of gradient descent, where the Hessian is constant (a
 * quadratic); NaN elsewhere. */
static double lr_limit(const Session *ses)
{
    CurvTheory t;
    return curv_theory(&ses->sim.func, ses->home, ses->sim.start, &t) ? t.lr_max_stable : NAN;
}

/* 2/L bounds the lr of plain gradient descent only: heavy ball's bound is 2(1+β)/L, weight
 * decay makes it 2/(L+wd), and adaptive rules have none. */
static int two_over_l_holds(const Run *r)
{
    const CurvEigen none = { 0 };
    CurvStability st;
    curv_stability(r, &none, &st);
    const int wd = spec_param_index(spec_kind(&optim_table, r->opt.kind), "weight_decay");
    return st.rule == CURV_RULE_PLAIN && (wd < 0 || r->opt.v[wd] == 0);
}

/* Whether the runs' lrs differ, by their settings rather than by the numbers of the moment,
 * so the short legend's lr line (and its height) holds for the whole run. */
static int lrs_differ(const Session *ses)
{
    const Run *a = &ses->sim.runs[0];
    for (int i = 1; i < ses->sim.nruns; i++) {
        const Run *b = &ses->sim.runs[i];
        const int same_schedule = a->sched.kind == b->sched.kind && memcmp(a->sched.v, b->sched.v, sizeof a->sched.v) == 0 &&
                                  a->sched.nlist == b->sched.nlist &&
                                  memcmp(a->sched.list, b->sched.list, sizeof a->sched.list) == 0 &&
                                  strcmp(a->sched.text.formula, b->sched.text.formula) == 0;
        if (sim_base_lr(a) != sim_base_lr(b) || !same_schedule || optim_def(a->opt.kind)->step_lr ||
            optim_def(b->opt.kind)->step_lr)
            return 1;
    }
    return 0;
}

/* Whether the lr goes on a small line under the label: where the compact line had to drop
 * it (LEGEND_LINES_MINIMAL) and the runs differ in lr. */
static int lr_below(const Session *ses, LegendLines lines)
{
    return lines == LEGEND_LINES_MINIMAL && lrs_differ(ses);
}

/* The row's strings; with `templates` the numbers are their widest forms, for measuring.
 * A finite `limit` (2/L) is written beside the lr of a run it bounds. */
static void legend_row(const Sim *sim, const Run *r, double limit, LegendRow *row, int templates)
{
    char value[32], sched[160];
    (templates ? sim_label_widest : sim_label)(r, row->label, sizeof row->label);
    if (templates)
        snprintf(value, sizeof value, "%s", VALUE_TEMPLATE);
    else
        panels_value(value, sizeof value, r->loss);
    snprintf(row->loss, sizeof row->loss, "loss %s", value);
    snprintf(row->value, sizeof row->value, "%s", value);
    hyper_text(r, sim_batched(sim, r), row->hyper, sizeof row->hyper);
    if (!templates)
        panels_value(value, sizeof value, r->lr);
    sched_text(r, sched, sizeof sched);
    /* What a cycling schedule does to momentum, and Prodigy's d, belong beside the lr. */
    char extra[96] = "", v[32];
    const double d = optim_prodigy_d(&r->opt, &r->ost);
    size_t used = 0;
    if (!isnan(r->momentum)) {
        if (templates)
            snprintf(v, sizeof v, "%s", VALUE_TEMPLATE);
        else
            panels_value(v, sizeof v, r->momentum);
        used += (size_t)snprintf(extra + used, sizeof extra - used, " \xc2\xb7 %s %s", momentum_name(r), v);
    }
    if (!isnan(d) && used < sizeof extra) {
        if (templates)
            snprintf(v, sizeof v, "%s", VALUE_TEMPLATE);
        else
            panels_value(v, sizeof v, d);
        snprintf(extra + used, sizeof extra - used, " \xc2\xb7 d %s", v);
    }
    /* Not measured (templates): the layout stays as it was without it, and the widest value
     * the template allows leaves room for it in practice; panels_text_in cuts it otherwise. */
    char bound[48] = "";
    if (isfinite(limit) && !templates && two_over_l_holds(r)) {
        panels_value(v, sizeof v, limit);
        snprintf(bound, sizeof bound, " (2/L %s)", v);
    }
    snprintf(row->lr, sizeof row->lr, "lr %s%s%s \xc2\xb7 %s", value, bound, extra, sched);
    snprintf(row->lr_short, sizeof row->lr_short, "lr %s", value);
    if (templates)
        snprintf(row->step, sizeof row->step, "%s", STEP_TEMPLATE);
    else if (r->diverged)
        snprintf(row->step, sizeof row->step, "at step %ld", panels_diverged_step(r));
    else
        snprintf(row->step, sizeof row->step, "step %ld", r->step);
}

static int indent(double s)
{
    return (int)(LAYOUT_PAD * s) + (int)(theme_size.legend_key_room * s);
}

static int gap(double s)
{
    return (int)(theme_size.legend_gap * s);
}

/* A stacked row's small line: the loss (a number, as on one line), and the lr where the runs differ in it. */
static void stacked_text(const LegendRow *row, int lr, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s", row->value, lr ? " \xc2\xb7 " : "", lr ? row->lr_short : "");
}

LegendNeed panels_legend_need(const Session *ses, Text *tx, double s)
{
    const ThemeSizes *ts = &theme_size;
    LegendNeed n;
    memset(&n, 0, sizeof n);
    const int pad = (int)(LAYOUT_PAD * s), g = gap(s), in = indent(s) + pad;
    const int badge = text_width(tx, FONT_SMALL, DIVERGED) + (int)(ts->badge_grow * s);
    const double limit = lr_limit(ses);
    for (int i = 0; i < ses->sim.nruns; i++) {
        LegendRow row;
        legend_row(&ses->sim, &ses->sim.runs[i], limit, &row, 1);
        const int label = text_width(tx, FONT_BOLD, row.label);
        const int loss = panels_max_int(text_width(tx, FONT_BODY, row.loss), badge);
        const int lr = text_width(tx, FONT_BODY, row.lr_short);
        n.width[LEGEND_LINES_FULL] = panels_max_int(n.width[LEGEND_LINES_FULL], in + label + g + loss);
        n.width[LEGEND_LINES_FULL] = panels_max_int(n.width[LEGEND_LINES_FULL], in + text_width(tx, FONT_SMALL, row.hyper));
        n.width[LEGEND_LINES_FULL] =
            panels_max_int(n.width[LEGEND_LINES_FULL], in + text_width(tx, FONT_SMALL, row.lr) + g +
                                                    text_width(tx, FONT_SMALL, row.step));
        /* One line a run: the loss without its word, which the full legend spells out. */
        const int value = panels_max_int(text_width(tx, FONT_BODY, row.value), badge);
        n.width[LEGEND_LINES_COMPACT] = panels_max_int(n.width[LEGEND_LINES_COMPACT], in + label + 2 * g + value + lr);
        n.width[LEGEND_LINES_MINIMAL] = panels_max_int(n.width[LEGEND_LINES_MINIMAL], in + label + g + value);
        /* The narrowest a line may be: its number small and most of the gap given to the name. */
        const int small = panels_max_int(text_width(tx, FONT_SMALL, row.value), badge);
        n.one_line_least = panels_max_int(n.one_line_least, in + label + g / 3 + small);
    }
    n.width[LEGEND_LINES_BARE] = n.width[LEGEND_LINES_MINIMAL];
    /* Runs that differ in lr keep it: where it no longer fits beside the loss, it goes on a
     * small line under the label. */
    const int below = lr_below(ses, LEGEND_LINES_MINIMAL);
    for (int i = 0; below && i < ses->sim.nruns; i++) {
        LegendRow row;
        legend_row(&ses->sim, &ses->sim.runs[i], limit, &row, 1);
        n.width[LEGEND_LINES_MINIMAL] =
            panels_max_int(n.width[LEGEND_LINES_MINIMAL], in + text_width(tx, FONT_SMALL, row.lr_short));
    }
    /* Stacked: the name alone on its line, the number (and lr) on a small one below. */
    for (int i = 0; i < ses->sim.nruns; i++) {
        LegendRow row;
        legend_row(&ses->sim, &ses->sim.runs[i], limit, &row, 1);
        char below_text[96];
        stacked_text(&row, lrs_differ(ses), below_text, sizeof below_text);
        n.width[LEGEND_LINES_STACKED] = panels_max_int(n.width[LEGEND_LINES_STACKED],
                                                       in + panels_max_int(text_width(tx, FONT_BOLD, row.label),
                                                                           panels_max_int(badge, text_width(tx, FONT_SMALL, below_text))));
    }
    const int line_gap = (int)(ts->legend_line_gap * s);
    n.row_height[LEGEND_LINES_STACKED] = text_height(tx, FONT_BOLD) + text_height(tx, FONT_SMALL) + line_gap / 2;
    n.row_height[LEGEND_LINES_FULL] = text_height(tx, FONT_BOLD) + 2 * text_height(tx, FONT_SMALL) + line_gap;
    n.row_height[LEGEND_LINES_COMPACT] = text_height(tx, FONT_BOLD) + line_gap / 2;
    n.row_height[LEGEND_LINES_BARE] = n.row_height[LEGEND_LINES_COMPACT];
    n.row_height[LEGEND_LINES_MINIMAL] = n.row_height[LEGEND_LINES_COMPACT] + (below ? text_height(tx, FONT_SMALL) : 0);
    return n;
}

static void draw_badge(const Paint *p, int right, int top, int line_h)
{
    const ThemeSizes *ts = &theme_size;
    const double s = p->s;
    const int sh = text_height(p->tx, FONT_SMALL);
    const int bw = text_width(p->tx, FONT_SMALL, DIVERGED) + (int)(ts->badge_grow * s);
    const int y = top + (line_h - sh) / 2;
    canvas_rect(p->c, right - bw, y - (int)(ts->badge_rise * s), bw, sh + (int)(ts->badge_tall * s), p->pal->badge);
    text_draw(p->tx, p->c, FONT_SMALL, right - bw + (int)(ts->badge_inset * s), y, p->pal->badge_text, DIVERGED);
}

static int loss_badge(const Paint *p)
{
    return text_width(p->tx, FONT_SMALL, DIVERGED) + (int)(theme_size.badge_grow * p->s);
}

/* Whether run i's one-line row holds its whole name with its numbers in `num`. */
static int row_fits(const Paint *p, const Session *ses, const Layout *l, int i, FontId num)
{
    const Run *r = &ses->sim.runs[i];
    const double s = p->s;
    const int g = gap(s), room = l->legend.w - indent(s) - (int)(LAYOUT_PAD * s);
    LegendRow row;
    legend_row(&ses->sim, r, lr_limit(ses), &row, 0);
    const int loss = r->diverged ? loss_badge(p) : text_width(p->tx, num, row.value);
    const int lr = l->legend_lines == LEGEND_LINES_COMPACT ? text_width(p->tx, num, row.lr_short) + g : 0;
    return text_width(p->tx, FONT_BOLD, row.label) + g + loss + lr <= room;
}

/* The numbers' font: a one-line legend writes them smaller, every row alike, rather than
 * cut a run's name ("adag…"). */
static FontId number_font(const Paint *p, const Session *ses, const Layout *l)
{
    if (l->legend_lines == LEGEND_LINES_FULL)
        return FONT_BODY;
    for (int i = 0; i < ses->sim.nruns; i++)
        if (!row_fits(p, ses, l, i, FONT_BODY))
            return FONT_SMALL;
    return FONT_BODY;
}

/* One run's row: its colour key, label and loss (or DIVERGED); in full, its
 * hyperparameters and its lr, schedule and step below; compact, its lr beside the loss, or
 * below it when the compact line had to drop it and the runs differ in lr. */
static void legend_entry(const Paint *p, const Session *ses, const Layout *l, int i, int top, int live, FontId num)
{
    const ThemeSizes *ts = &theme_size;
    const double s = p->s;
    const Run *r = &ses->sim.runs[i];
    const CanvasBox b = l->legend;
    const int pad = (int)(LAYOUT_PAD * s), g = gap(s), left = b.x + indent(s), right = b.x + b.w - pad;
    const int bh = text_height(p->tx, FONT_BOLD), sh = text_height(p->tx, FONT_SMALL);
    LegendRow row;
    legend_row(&ses->sim, r, lr_limit(ses), &row, 0);
    if (live && i == ses->selected && ses->sim.nruns > 1)
        canvas_rect(p->c, b.x + 2, top - (int)(ts->selection_rise * s), b.w - 4, l->legend_row_height,
                    p->pal->selection);
    const Rgba col = r->hidden ? p->pal->text_dim : p->pal->runs[i];
    const double key_y = top + bh / 2.0;
    canvas_line(p->c, b.x + pad, key_y, b.x + pad + ts->legend_key_line * s, key_y, THEME_TRAIL_WIDTH * s, col);
    draw_mark(p->c, theme_run_style[i].mark, b.x + pad + ts->legend_key_line / 2 * s, key_y, ts->legend_key_mark * s, 0,
              col, col);
    if (l->legend_lines == LEGEND_LINES_STACKED) {
        panels_text_in(p, FONT_BOLD, left, top, right - left, r->hidden ? p->pal->text_dim : p->pal->text, row.label);
        if (r->diverged) {
            draw_badge(p, left + loss_badge(p), top + bh, sh);
        } else {
            char below_text[96];
            stacked_text(&row, lrs_differ(ses), below_text, sizeof below_text);
            panels_text_in(p, FONT_SMALL, left, top + bh, right - left, p->pal->text_dim, below_text);
        }
        return;
    }
    const char *loss = l->legend_lines == LEGEND_LINES_FULL ? row.loss : row.value;
    const int compact = l->legend_lines == LEGEND_LINES_COMPACT;
    const int num_y = top + bh - text_height(p->tx, num); /* bottoms level with the name's */
    const int loss_w = r->diverged ? loss_badge(p) : text_width(p->tx, num, loss);
    int loss_right = right;
    if (lr_below(ses, l->legend_lines))
        panels_text_in(p, FONT_SMALL, left, top + bh, right - left, p->pal->text_dim, row.lr_short);
    if (compact) {
        const int lr_w = text_width(p->tx, num, row.lr_short);
        text_draw(p->tx, p->c, num, right - lr_w, num_y, p->pal->text_dim, row.lr_short);
        loss_right = right - lr_w - g;
    }
    /* A name that does not fit beside its number takes most of the gap before it: whole
     * names first ("adag…" names nothing). */
    int name_room = loss_right - left - loss_w - g;
    if (text_width(p->tx, FONT_BOLD, row.label) > name_room)
        name_room += g - g / 3;
    panels_text_in(p, FONT_BOLD, left, top, name_room, r->hidden ? p->pal->text_dim : p->pal->text, row.label);
    if (r->diverged)
        draw_badge(p, loss_right, top, bh);
    else
        text_draw(p->tx, p->c, num, loss_right - loss_w, num_y, p->pal->text, loss);
    if (l->legend_lines != LEGEND_LINES_FULL)
        return;
    panels_text_in(p, FONT_SMALL, left, top + bh, right - left, p->pal->text_dim, row.hyper);
    const int step_w = text_width(p->tx, FONT_SMALL, row.step);
    panels_text_in(p, FONT_SMALL, left, top + bh + sh, right - left - step_w - g, p->pal->text_dim, row.lr);
    text_draw(p->tx, p->c, FONT_SMALL, right - step_w, top + bh + sh, p->pal->text_dim, row.step);
}

void legend_draw(const Paint *p, const Session *ses, const Layout *l, int live)
{
    if (l->legend.w <= 0)
        return;
    panels_back(p, l->legend);
    const int pad = (l->legend.h - ses->sim.nruns * l->legend_row_height) / 2 + (int)(theme_size.legend_top * p->s);
    const FontId num = number_font(p, ses, l);
    for (int i = 0; i < ses->sim.nruns; i++)
        legend_entry(p, ses, l, i, l->legend.y + pad + i * l->legend_row_height, live, num);
}

void panels_legend_text(const Session *ses, int i, LegendLines lines, char *buf, size_t len)
{
    LegendRow row;
    legend_row(&ses->sim, &ses->sim.runs[i], lr_limit(ses), &row, 0);
    char below_text[96];
    stacked_text(&row, lrs_differ(ses), below_text, sizeof below_text);
    if (lines == LEGEND_LINES_FULL)
        snprintf(buf, len, "%s  %s\n%s\n%s  %s", row.label, row.loss, row.hyper, row.lr, row.step);
    else if (lines == LEGEND_LINES_STACKED)
        snprintf(buf, len, "%s\n%s", row.label, below_text);
    else if (lines == LEGEND_LINES_COMPACT)
        snprintf(buf, len, "%s  %s  %s", row.label, row.value, row.lr_short);
    else
        snprintf(buf, len, "%s  %s%s%s", row.label, row.value, lr_below(ses, lines) ? "\n" : "",
                 lr_below(ses, lines) ? row.lr_short : "");
}
