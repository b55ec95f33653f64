/* The panels (see panels.h): legend, plots, title, caption, status line, message, help. */
#include "panels.h"

#include "editline.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/curvature.h"
#include "../core/func.h"
#include "../core/hash.h"
#include "../core/optim.h"
#include "../core/sched.h"
#include "../session/keys.h"

/* The widest a number of fmt_value can be, for the layout to keep room for it. */
#define VALUE_TEMPLATE LABEL_NUMBER_WIDEST
#define STEP_TEMPLATE "step 0000000"
#define DIVERGED "DIVERGED"

/* "0.0123", "1.2e-05": short, but with the digits a lecture needs; labels' fields alike. */
static void fmt_value(char *buf, size_t len, double v)
{
    label_number(buf, len, v);
}

/* "momentum 0.9 · nesterov 1": the hyperparameters that differ from torch's defaults. */
static void hyper_text(const Run *r, char *buf, size_t len)
{
    const SpecKind *k = spec_kind(&optim_table, r->opt.kind);
    size_t used = (size_t)snprintf(buf, len, "%s", k->name);
    for (int p = 1; p < k->nparams && used < len; p++) {
        if (r->opt.v[p] == k->params[p].def)
            continue;
        char v[32];
        fmt_value(v, sizeof v, r->opt.v[p]);
        used += (size_t)snprintf(buf + used, len - used, " \xc2\xb7 %s %s", k->params[p].name, v);
    }
}

/* "step (step_size=150, gamma=0.5)": the spec, spelled for reading. */
static void sched_text(const Run *r, char *buf, size_t len)
{
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

/* The step a diverged run is reported at, everywhere: the update that left the finite world. */
static long diverged_step(const Run *r)
{
    return r->step + 1;
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
 * so the compact legend keeps its lr column (and its width) for the whole run. */
static int lrs_differ(const Session *ses)
{
    const Run *a = &ses->sim.runs[0];
    for (int i = 1; i < ses->sim.nruns; i++) {
        const Run *b = &ses->sim.runs[i];
        const int same_schedule = a->sched.kind == b->sched.kind && memcmp(a->sched.v, b->sched.v, sizeof a->sched.v) == 0 &&
                                  a->sched.nlist == b->sched.nlist &&
                                  memcmp(a->sched.list, b->sched.list, sizeof a->sched.list) == 0;
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
static void legend_row(const Run *r, double limit, LegendRow *row, int templates)
{
    char value[32], sched[160];
    (templates ? sim_label_widest : sim_label)(r, row->label, sizeof row->label);
    if (templates)
        snprintf(value, sizeof value, "%s", VALUE_TEMPLATE);
    else
        fmt_value(value, sizeof value, r->loss);
    snprintf(row->loss, sizeof row->loss, "loss %s", value);
    snprintf(row->value, sizeof row->value, "%s", value);
    hyper_text(r, row->hyper, sizeof row->hyper);
    if (!templates)
        fmt_value(value, sizeof value, r->lr);
    sched_text(r, sched, sizeof sched);
    /* What a cycling schedule does to momentum, and Prodigy's d, belong beside the lr. */
    char extra[96] = "", v[32];
    const double d = optim_prodigy_d(&r->opt, &r->ost);
    size_t used = 0;
    if (!isnan(r->momentum)) {
        if (templates)
            snprintf(v, sizeof v, "%s", VALUE_TEMPLATE);
        else
            fmt_value(v, sizeof v, r->momentum);
        used += (size_t)snprintf(extra + used, sizeof extra - used, " \xc2\xb7 %s %s", momentum_name(r), v);
    }
    if (!isnan(d) && used < sizeof extra) {
        if (templates)
            snprintf(v, sizeof v, "%s", VALUE_TEMPLATE);
        else
            fmt_value(v, sizeof v, d);
        snprintf(extra + used, sizeof extra - used, " \xc2\xb7 d %s", v);
    }
    /* Not measured (templates): the layout stays as it was without it, and the widest value
     * the template allows leaves room for it in practice; text_in cuts it otherwise. */
    char bound[48] = "";
    if (isfinite(limit) && !templates && two_over_l_holds(r)) {
        fmt_value(v, sizeof v, limit);
        snprintf(bound, sizeof bound, " (2/L %s)", v);
    }
    snprintf(row->lr, sizeof row->lr, "lr %s%s%s \xc2\xb7 %s", value, bound, extra, sched);
    snprintf(row->lr_short, sizeof row->lr_short, "lr %s", value);
    if (templates)
        snprintf(row->step, sizeof row->step, "%s", STEP_TEMPLATE);
    else if (r->diverged)
        snprintf(row->step, sizeof row->step, "at step %ld", diverged_step(r));
    else
        snprintf(row->step, sizeof row->step, "step %ld", r->step);
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

static int indent(double s)
{
    return (int)(LAYOUT_PAD * s) + (int)(22 * s);
}

static int gap(double s)
{
    return (int)(14 * s);
}

LegendNeed panels_legend_need(const Session *ses, Text *tx, double s)
{
    LegendNeed n;
    memset(&n, 0, sizeof n);
    const int pad = (int)(LAYOUT_PAD * s), g = gap(s), in = indent(s) + pad;
    const int badge = text_width(tx, FONT_SMALL, DIVERGED) + (int)(10 * s);
    const double limit = lr_limit(ses);
    for (int i = 0; i < ses->sim.nruns; i++) {
        LegendRow row;
        legend_row(&ses->sim.runs[i], limit, &row, 1);
        const int label = text_width(tx, FONT_BOLD, row.label);
        const int loss = max_int(text_width(tx, FONT_BODY, row.loss), badge);
        const int lr = text_width(tx, FONT_BODY, row.lr_short);
        n.width[LEGEND_LINES_FULL] = max_int(n.width[LEGEND_LINES_FULL], in + label + g + loss);
        n.width[LEGEND_LINES_FULL] = max_int(n.width[LEGEND_LINES_FULL], in + text_width(tx, FONT_SMALL, row.hyper));
        n.width[LEGEND_LINES_FULL] =
            max_int(n.width[LEGEND_LINES_FULL], in + text_width(tx, FONT_SMALL, row.lr) + g +
                                                    text_width(tx, FONT_SMALL, row.step));
        /* One line a run: the loss without its word, which the full legend spells out. */
        const int value = max_int(text_width(tx, FONT_BODY, row.value), badge);
        n.width[LEGEND_LINES_COMPACT] = max_int(n.width[LEGEND_LINES_COMPACT], in + label + 2 * g + value + lr);
        n.width[LEGEND_LINES_MINIMAL] = max_int(n.width[LEGEND_LINES_MINIMAL], in + label + g + value);
    }
    n.width[LEGEND_LINES_BARE] = n.width[LEGEND_LINES_MINIMAL];
    /* Runs that differ in lr keep it: where it no longer fits beside the loss, it goes on a
     * small line under the label. */
    const int below = lr_below(ses, LEGEND_LINES_MINIMAL);
    for (int i = 0; below && i < ses->sim.nruns; i++) {
        LegendRow row;
        legend_row(&ses->sim.runs[i], limit, &row, 1);
        n.width[LEGEND_LINES_MINIMAL] = max_int(n.width[LEGEND_LINES_MINIMAL], in + text_width(tx, FONT_SMALL, row.lr_short));
    }
    const int line_gap = (int)(6 * s);
    n.row_height[LEGEND_LINES_FULL] = text_height(tx, FONT_BOLD) + 2 * text_height(tx, FONT_SMALL) + line_gap;
    n.row_height[LEGEND_LINES_COMPACT] = text_height(tx, FONT_BOLD) + line_gap / 2;
    n.row_height[LEGEND_LINES_BARE] = n.row_height[LEGEND_LINES_COMPACT];
    n.row_height[LEGEND_LINES_MINIMAL] = n.row_height[LEGEND_LINES_COMPACT] + (below ? text_height(tx, FONT_SMALL) : 0);
    return n;
}

static void draw_badge(const Paint *p, int right, int top, int line_h)
{
    const double s = p->s;
    const int sh = text_height(p->tx, FONT_SMALL), bw = text_width(p->tx, FONT_SMALL, DIVERGED) + (int)(10 * s);
    canvas_rect(p->c, right - bw, top + (line_h - sh) / 2 - (int)(2 * s), bw, sh + (int)(4 * s), p->pal->badge);
    text_draw(p->tx, p->c, FONT_SMALL, right - bw + (int)(5 * s), top + (line_h - sh) / 2, p->pal->badge_text,
              DIVERGED);
}

static void panel_back(const Paint *p, CanvasBox b)
{
    canvas_rect(p->c, b.x, b.y, b.w, b.h, p->pal->panel);
    canvas_rect_outline(p->c, b.x, b.y, b.w, b.h, (int)fmax(1, p->s), p->pal->panel_edge);
}

/* Text at (x, y) cut with an ellipsis to `room` pixels; returns the width drawn. */
static int text_in(const Paint *p, FontId font, int x, int y, int room, Rgba col, const char *s)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    text_fit(p->tx, font, buf, sizeof buf, room);
    return text_draw(p->tx, p->c, font, x, y, col, buf);
}

/* One run's row: its colour key, label and loss (or DIVERGED); in full, its
 * hyperparameters and its lr, schedule and step below; compact, its lr beside the loss, or
 * below it when the compact line had to drop it and the runs differ in lr. */
static void legend_entry(const Paint *p, const Session *ses, const Layout *l, int i, int top, int live)
{
    const double s = p->s;
    const Run *r = &ses->sim.runs[i];
    const CanvasBox b = l->legend;
    const int pad = (int)(LAYOUT_PAD * s), g = gap(s), left = b.x + indent(s), right = b.x + b.w - pad;
    const int bh = text_height(p->tx, FONT_BOLD), sh = text_height(p->tx, FONT_SMALL);
    LegendRow row;
    legend_row(r, lr_limit(ses), &row, 0);
    if (live && i == ses->selected && ses->sim.nruns > 1)
        canvas_rect(p->c, b.x + 2, top - (int)(3 * s), b.w - 4, l->legend_row_height, p->pal->selection);
    const Rgba col = r->hidden ? p->pal->text_dim : p->pal->runs[i];
    canvas_line(p->c, b.x + pad, top + bh / 2.0, b.x + pad + 14 * s, top + bh / 2.0, THEME_TRAIL_WIDTH * s, col);
    draw_mark(p->c, theme_run_style[i].mark, b.x + pad + 7 * s, top + bh / 2.0, 4 * s, 0, col, col);
    const char *loss = l->legend_lines == LEGEND_LINES_FULL ? row.loss : row.value;
    const int loss_w = r->diverged ? text_width(p->tx, FONT_SMALL, DIVERGED) + (int)(10 * s)
                                   : text_width(p->tx, FONT_BODY, loss);
    int loss_right = right;
    if (lr_below(ses, l->legend_lines))
        text_in(p, FONT_SMALL, left, top + bh, right - left, p->pal->text_dim, row.lr_short);
    if (l->legend_lines == LEGEND_LINES_COMPACT) {
        const int lr_w = text_width(p->tx, FONT_BODY, row.lr_short);
        text_draw(p->tx, p->c, FONT_BODY, right - lr_w, top, p->pal->text_dim, row.lr_short);
        loss_right = right - lr_w - g;
    }
    text_in(p, FONT_BOLD, left, top, loss_right - left - loss_w - g, r->hidden ? p->pal->text_dim : p->pal->text,
            row.label);
    if (r->diverged)
        draw_badge(p, loss_right, top, bh);
    else
        text_draw(p->tx, p->c, FONT_BODY, loss_right - loss_w, top, p->pal->text, loss);
    if (l->legend_lines != LEGEND_LINES_FULL)
        return;
    text_in(p, FONT_SMALL, left, top + bh, right - left, p->pal->text_dim, row.hyper);
    const int step_w = text_width(p->tx, FONT_SMALL, row.step);
    text_in(p, FONT_SMALL, left, top + bh + sh, right - left - step_w - g, p->pal->text_dim, row.lr);
    text_draw(p->tx, p->c, FONT_SMALL, right - step_w, top + bh + sh, p->pal->text_dim, row.step);
}

static void draw_legend(const Paint *p, const Session *ses, const Layout *l, int live)
{
    if (l->legend.w <= 0)
        return;
    panel_back(p, l->legend);
    const int pad = (l->legend.h - ses->sim.nruns * l->legend_row_height) / 2 + (int)(3 * p->s);
    for (int i = 0; i < ses->sim.nruns; i++)
        legend_entry(p, ses, l, i, l->legend.y + pad + i * l->legend_row_height, live);
}

typedef double (*Series)(const History *h, int i);

static double loss_at(const History *h, int i)
{
    return h->loss[i];
}

static double lr_at(const History *h, int i)
{
    return h->lr[i];
}

static double sharpness_at(const History *h, int i)
{
    return h->sharpness[i];
}

/* Gradient descent's step is stable while λmax stays under 2/lr. */
static double two_over_lr_at(const History *h, int i)
{
    return 2 / h->lr[i];
}

static double grad_norm_at(const History *h, int i)
{
    return h->grad_norm[i];
}

/* A plot's vertical scale: log10 above the shift, or linear. */
typedef struct {
    double shift;
    int log;
    double lo, hi; /* in scaled units */
} Scale;

static double scaled(const Scale *sc, double v)
{
    if (!sc->log)
        return v;
    v -= sc->shift;
    return v > 0 ? log10(v) : NAN;
}

/* Ticks on a plot's value axis: every decade on a log scale (every few when they would
 * crowd), 1-2-5 steps on a linear one; labels in one format. */
static void value_ticks(const Paint *p, const Scale *sc, CanvasBox plot, int label_x)
{
    const int th = text_height(p->tx, FONT_SMALL);
    const int most = plot.h / (th + 2) > 1 ? plot.h / (th + 2) : 1;
    double step;
    if (sc->log) {
        step = ceil((sc->hi - sc->lo) / most);
        step = step < 1 ? 1 : step;
    } else {
        const double raw = (sc->hi - sc->lo) / most, e = pow(10, floor(log10(raw))), m = raw / e;
        step = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * e;
    }
    if (!(step > 0) || !isfinite(step))
        return;
    const int digits = sc->log || step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    for (double u = ceil(sc->lo / step) * step; u <= sc->hi + 1e-9 * step; u += step) {
        const double y = plot.y + plot.h - (u - sc->lo) / (sc->hi - sc->lo) * plot.h;
        char label[32];
        if (sc->log)
            snprintf(label, sizeof label, "1e%+d", (int)lround(u));
        else
            snprintf(label, sizeof label, "%.*f", digits, u);
        canvas_line(p->c, plot.x - 3 * p->s, y, plot.x, y, 1.0 * p->s, p->pal->axis);
        const int w = text_width(p->tx, FONT_SMALL, label);
        int ly = (int)(y - th / 2.0);
        ly = ly < plot.y - th / 2 ? plot.y - th / 2 : ly;
        text_draw(p->tx, p->c, FONT_SMALL, label_x - w, ly, p->pal->text_dim, label);
    }
}

/* Ticks on the step axis: 1-2-5 steps from 0 to the last step. */
static void step_ticks(const Paint *p, CanvasBox plot, long last, int label_y)
{
    const int most = plot.w / (int)(60 * p->s) > 1 ? plot.w / (int)(60 * p->s) : 1;
    const double raw = (double)last / most, e = pow(10, floor(log10(raw > 1 ? raw : 1))), m = raw / e;
    const double step = fmax(1, (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * e);
    for (double k = 0; k <= last; k += step) {
        const double x = plot.x + plot.w * k / (double)last;
        canvas_line(p->c, x, plot.y + plot.h, x, plot.y + plot.h + 3 * p->s, 1.0 * p->s, p->pal->axis);
        char label[32];
        snprintf(label, sizeof label, "%.0f", k);
        const int w = text_width(p->tx, FONT_SMALL, label);
        int lx = (int)(x - w / 2.0);
        lx = lx + w > plot.x + plot.w ? plot.x + plot.w - w : lx;
        text_draw(p->tx, p->c, FONT_SMALL, lx, label_y, p->pal->text_dim, label);
    }
}

/* The range of the scaled series over the live runs (a run that blew up would squash the
 * others; it is drawn climbing out of the top instead). */
static int series_range(const Session *ses, Series series, Series guide, Scale *sc, long *last)
{
    double lo = INFINITY, hi = -INFINITY;
    *last = 1;
    for (int i = 0; i < ses->sim.nruns; i++) {
        const History *hs = &ses->hist[i];
        if (ses->sim.runs[i].hidden || hs->n == 0)
            continue;
        const long end = ses->sim.runs[i].diverged ? diverged_step(&ses->sim.runs[i]) : hs->step[hs->n - 1];
        *last = end > *last ? end : *last;
        if (ses->sim.runs[i].diverged && sim_live_runs(&ses->sim) > 0)
            continue;
        for (int k = 0; k < hs->n; k++) {
            const double u = scaled(sc, series(hs, k)), v = guide ? scaled(sc, guide(hs, k)) : NAN;
            if (isfinite(u))
                lo = fmin(lo, u), hi = fmax(hi, u);
            if (isfinite(v))
                lo = fmin(lo, v), hi = fmax(hi, v);
        }
    }
    if (!(hi >= lo))
        return -1;
    if (hi - lo < 1e-9 * fmax(1, fabs(hi)))
        lo -= 0.5 * fmax(1, fabs(lo)), hi += 0.5 * fmax(1, fabs(hi));
    sc->lo = lo, sc->hi = hi;
    return 0;
}

/* A diverged run's line climbs from its last point to the top, ends in an arrow, and says
 * when it blew up. */
static void diverged_mark(const Paint *p, const Run *r, Rgba col, double x, double y, CanvasBox plot)
{
    const double s = p->s, top = plot.y + 2 * s;
    canvas_line(p->c, x, y, x, top, 2.0 * s, col);
    canvas_line(p->c, x, top, x - 4 * s, top + 6 * s, 2.0 * s, col);
    canvas_line(p->c, x, top, x + 4 * s, top + 6 * s, 2.0 * s, col);
    char note[48];
    snprintf(note, sizeof note, "diverged at step %ld", diverged_step(r));
    /* Beside the arrow, on the side with more room, cut to fit inside the plot. */
    const int w = text_width(p->tx, FONT_SMALL, note);
    const int left_room = (int)(x - 6 * s) - plot.x, right_room = plot.x + plot.w - (int)(x + 6 * s);
    if (left_room >= w || left_room >= right_room)
        text_in(p, FONT_SMALL, (int)(x - 6 * s) - (w < left_room ? w : left_room), (int)(top + 2 * s), left_room,
                col, note);
    else
        text_in(p, FONT_SMALL, (int)(x + 6 * s), (int)(top + 2 * s), right_room, col, note);
}

/* One run's series as a polyline in the plot (NaN entries at the bottom). */
/* Where a value goes up or down the plot, as an order: values that scale to nothing (NaN,
 * or at or below a log scale's shift) sit at the bottom. */
static double plot_order(const Scale *sc, double v)
{
    return isnan(v) || (sc->log && !(v > sc->shift)) ? -HUGE_VAL : v;
}

/* Point k of the history at its place in the plot, into xy[2m], xy[2m + 1]. */
static void plot_point(const Paint *p, const History *hs, Series series, const Scale *sc, CanvasBox plot, long last,
                       int k, int m)
{
    const double u = scaled(sc, series(hs, k));
    const double ly = isfinite(u) ? fmax(sc->lo, fmin(sc->hi, u)) : sc->lo;
    p->xy[2 * m] = (float)(plot.x + plot.w * (double)hs->step[k] / (double)last);
    p->xy[2 * m + 1] = (float)(plot.y + plot.h * (sc->hi - ly) / (sc->hi - sc->lo));
}

/* A run's line. A history holds thousands of steps over a few hundred pixels, so each pixel
 * column's points are drawn as their first and last and, between them in the order they
 * came, their lowest and highest: the line covers the same pixels with a few points a
 * column, and only those are scaled (a logarithm each). Returns how many points went to
 * p->xy; the last is the history's last. */
static int plot_line(const Paint *p, const History *hs, Series series, const Scale *sc, CanvasBox plot, long last,
                     double width, Rgba col)
{
    int m = 0;
    for (int k = 0; k < hs->n;) {
        const double column = floor(plot.x + plot.w * (double)hs->step[k] / (double)last);
        int lo = k, hi = k, end = k;
        double vlo = plot_order(sc, series(hs, k)), vhi = vlo;
        for (end = k + 1; end < hs->n && floor(plot.x + plot.w * (double)hs->step[end] / (double)last) == column;
             end++) {
            const double v = plot_order(sc, series(hs, end));
            if (v < vlo)
                vlo = v, lo = end;
            if (v > vhi)
                vhi = v, hi = end;
        }
        const int keep[4] = { k, lo < hi ? lo : hi, lo < hi ? hi : lo, end - 1 };
        for (int j = 0; j < 4; j++)
            if (j == 0 || keep[j] != keep[j - 1])
                plot_point(p, hs, series, sc, plot, last, keep[j], m++);
        k = end;
    }
    canvas_polyline(p->c, p->xy, m, width, col);
    return m;
}

/* A plot of one series per run; `guide`, when given, is drawn thin and faint under each
 * run's line (the sharpness plot's 2/lr). */
static void draw_plot(const Paint *p, const Session *ses, CanvasBox box, const char *title, Series series,
                      Series guide, Scale sc)
{
    if (box.w <= 0)
        return;
    const double s = p->s;
    panel_back(p, box);
    const int th = text_height(p->tx, FONT_SMALL), pad = (int)(6 * s);
    text_in(p, FONT_SMALL, box.x + pad, box.y + pad / 2, box.w - 2 * pad, p->pal->text, title);
    long last;
    if (series_range(ses, series, guide, &sc, &last) < 0)
        return;
    const int label_w = text_width(p->tx, FONT_SMALL, sc.log ? "1e-00" : "-0.000");
    const CanvasBox plot = { box.x + pad + label_w + (int)(5 * s), box.y + th + pad,
                             box.w - 2 * pad - label_w - (int)(5 * s), box.h - 2 * th - 2 * pad - (int)(3 * s) };
    if (plot.w < 10 || plot.h < 10)
        return;
    canvas_rect_outline(p->c, plot.x, plot.y, plot.w, plot.h, 1, p->pal->panel_edge);
    value_ticks(p, &sc, plot, plot.x - (int)(5 * s));
    step_ticks(p, plot, last, plot.y + plot.h + (int)(3 * s));
    for (int i = 0; i < ses->sim.nruns; i++) {
        const History *hs = &ses->hist[i];
        const Run *r = &ses->sim.runs[i];
        if (r->hidden || hs->n == 0)
            continue;
        if (guide) {
            Rgba faint = p->pal->runs[i];
            faint.a = 140;
            plot_line(p, hs, guide, &sc, plot, last, 1.0 * s, faint);
        }
        const int m = plot_line(p, hs, series, &sc, plot, last, 2.0 * s, p->pal->runs[i]);
        if (r->diverged && series == loss_at)
            diverged_mark(p, r, p->pal->runs[i], p->xy[2 * (m - 1)], p->xy[2 * (m - 1) + 1], plot);
    }
}

/* The loss on a log scale above the smallest value any run reached or the function's
 * known floor; a function without a floor (saddle) falls without bound, so its loss is
 * plotted linearly. */
static Scale loss_scale(const Session *ses)
{
    double floor_loss = INFINITY;
    for (int i = 0; i < ses->sim.nruns; i++)
        for (int k = 0; k < ses->hist[i].n; k++)
            floor_loss = fmin(floor_loss, ses->hist[i].loss[k]);
    double m[FUNC_MAX_MINIMA][2];
    const int nm = func_minima(&ses->sim.func, m);
    for (int k = 0; k < nm; k++)
        floor_loss = fmin(floor_loss, func_value(&ses->sim.func, m[k][0], m[k][1]));
    const int logloss = nm > 0 && isfinite(floor_loss);
    return (Scale){ logloss ? floor_loss - fmax(1e-12, fabs(floor_loss) * 1e-12) : 0, logloss, 0, 0 };
}

static const Scale log_scale = { 0, 1, 0, 0 }, linear_scale = { 0, 0, 0, 0 };

static void draw_loss_plot(const Paint *p, const Session *ses, const Layout *l)
{
    const Scale loss = loss_scale(ses);
    draw_plot(p, ses, l->plot_loss, loss.log ? "loss (log scale)" : "loss", loss_at, NULL, loss);
}

static void draw_lr_plot(const Paint *p, const Session *ses, const Layout *l)
{
    draw_plot(p, ses, l->plot_lr, "learning rate (log scale)", lr_at, NULL, log_scale);
}

static void draw_sharpness_plot(const Paint *p, const Session *ses, const Layout *l)
{
    draw_plot(p, ses, l->plot_sharpness, "sharpness \xce\xbbmax (thin: 2/lr)", sharpness_at, two_over_lr_at,
              linear_scale);
}

static void draw_gradnorm_plot(const Paint *p, const Session *ses, const Layout *l)
{
    draw_plot(p, ses, l->plot_gradnorm, "\xe2\x80\x96\xe2\x88\x87" "f\xe2\x80\x96 (log scale)", grad_norm_at, NULL,
              log_scale);
}

/* "rosenbrock · step 120 · running · 30 steps/s · H help"; with `widest` the step is its
 * widest form, for the layout to keep room. */
static void status_text(const Session *ses, char *buf, size_t len, int widest)
{
    char func[160], speed[32], step[32];
    spec_format_brief(&func_table, &ses->sim.func, func, sizeof func);
    snprintf(speed, sizeof speed, ses->speed >= 100 ? "%.0f" : "%.3g", ses->speed);
    if (widest)
        snprintf(step, sizeof step, "%s", STEP_TEMPLATE);
    else
        snprintf(step, sizeof step, "step %ld", session_last_step(ses));
    char deck[32] = "";
    if (ses->deck_count > 1)
        snprintf(deck, sizeof deck, "scene %d/%d  \xc2\xb7  ", ses->deck_at + 1, ses->deck_count);
    snprintf(buf, len, "%s%s  \xc2\xb7  %s  \xc2\xb7  %s  \xc2\xb7  %s steps/s  \xc2\xb7  H help", deck, func, step,
             ses->paused ? "paused" : "running", speed);
}

int panels_status_need(const Session *ses, Text *tx)
{
    char buf[256];
    status_text(ses, buf, sizeof buf, 1);
    return text_width(tx, FONT_BODY, buf);
}

/* The red REC mark and the recording's length, at the start of the status line. */
static int draw_recording(const Paint *p, const Layout *l, double seconds)
{
    const long secs = lround(seconds);
    char label[32];
    snprintf(label, sizeof label, "REC %ld:%02ld", secs / 60, secs % 60);
    const int h = text_height(p->tx, FONT_BOLD), dot = h * 2 / 3, pad = (int)(6 * p->s);
    const int w = dot + 3 * pad + text_width(p->tx, FONT_BOLD, label);
    canvas_rect(p->c, l->status.x, l->status.y, w, l->status.h, THEME_RECORDING_BOX);
    canvas_disc(p->c, l->status.x + pad + dot / 2.0, l->status.y + l->status.h / 2.0, dot / 2.0, THEME_RECORDING);
    text_draw(p->tx, p->c, FONT_BOLD, l->status.x + 2 * pad + dot, l->status.y + (l->status.h - h) / 2,
              THEME_RECORDING, label);
    return w + pad;
}

static void draw_status(const Paint *p, const Session *ses, const Layout *l, double recording)
{
    if (l->status.w <= 0)
        return;
    const int rec = recording >= 0 ? draw_recording(p, l, recording) : 0;
    char buf[256];
    status_text(ses, buf, sizeof buf, 0);
    text_in(p, FONT_BODY, l->status.x + rec, l->status.y, l->status.w - rec, p->pal->text, buf);
}

static void draw_title(const Paint *p, const Session *ses, const Layout *l)
{
    if (l->title.w > 0)
        text_in(p, FONT_TITLE, l->title.x, l->title.y, l->title.w, p->pal->text, session_title(ses));
}

int panels_caption_lines(const Session *ses)
{
    int n = 0;
    for (const char *p = session_caption(ses); *p; p++)
        n += *p == '\n';
    return n;
}

/* The scene's caption, a line each, under the title: what to see in this demo. */
static void draw_subtitle(const Paint *p, const Session *ses, const Layout *l)
{
    if (l->subtitle.w <= 0)
        return;
    const int bh = text_height(p->tx, FONT_BODY);
    char line[CONFIG_TITLE_MAX];
    int i = 0;
    for (const char *c = session_caption(ses); *c; c += strcspn(c, "\n") + 1, i++) {
        snprintf(line, sizeof line, "%.*s", (int)strcspn(c, "\n"), c);
        text_in(p, FONT_BODY, l->subtitle.x, l->subtitle.y + i * bh, l->subtitle.w, p->pal->text_dim, line);
    }
}

/* Function with its parameters, start, noise and seed, and the step: what a slide's
 * reader needs to reproduce the picture. */
static void caption_text(const Session *ses, char *buf, size_t len)
{
    char func[160];
    spec_format_brief(&func_table, &ses->sim.func, func, sizeof func);
    int n = snprintf(buf, len, "%s \xc2\xb7 start (%.4g, %.4g)", func, ses->sim.start[0], ses->sim.start[1]);
    if (ses->sim.noise > 0 && n < (int)len)
        n += snprintf(buf + n, len - (size_t)n, " \xc2\xb7 noise %.3g, seed %llu", ses->sim.noise,
                      (unsigned long long)ses->sim.seed);
    if (n < (int)len)
        snprintf(buf + n, len - (size_t)n, " \xc2\xb7 step %ld", session_last_step(ses));
}

static void draw_caption(const Paint *p, const Session *ses, const Layout *l)
{
    if (l->caption.w <= 0)
        return;
    char buf[320];
    caption_text(ses, buf, sizeof buf);
    text_in(p, FONT_BODY, l->caption.x, l->caption.y, l->caption.w, p->pal->text_dim, buf);
}

/* A line of text at the right of the message box, on the message's background. */
static void message_line(const Paint *p, const Layout *l, const char *line, double alpha)
{
    const CanvasBox b = l->message;
    const int pad = (int)(8 * p->s);
    char text[SESSION_MESSAGE_MAX + SESSION_TYPED_MAX];
    snprintf(text, sizeof text, "%s", line);
    text_fit(p->tx, FONT_BODY, text, sizeof text, b.w - 2 * pad);
    const int w = text_width(p->tx, FONT_BODY, text), x = b.x + b.w - w - 2 * pad;
    Rgba box = p->pal->message;
    box.a = (unsigned char)(box.a * alpha);
    canvas_rect(p->c, x, b.y, w + 2 * pad, b.h, box);
    const Rgba fg = { 255, 255, 255, (unsigned char)(255 * alpha) };
    text_draw(p->tx, p->c, FONT_BODY, x + pad, b.y + (b.h - text_height(p->tx, FONT_BODY)) / 2, fg, text);
}

static void draw_message(const Paint *p, const Session *ses, const Layout *l, double alpha)
{
    if (alpha <= 0 || !ses->message[0] || l->message.w <= 0)
        return;
    message_line(p, l, ses->message, alpha);
}

static void typed_text(const Session *ses, char *buf, size_t len)
{
    char label[LABEL_TEXT_MAX];
    sim_label(&ses->sim.runs[ses->selected], label, sizeof label);
    snprintf(buf, len, "%s: %s\xe2\x96\x8f  (Enter sets, Esc cancels)", label, ses->value_text);
}

/* The input line takes the message's place while it is open, with a caret at its end. */
static void draw_typed(const Paint *p, const Session *ses, const Layout *l)
{
    if (!ses->typing || l->message.w <= 0 || !ses->sim.nruns)
        return;
    char line[SESSION_MESSAGE_MAX + SESSION_TYPED_MAX];
    typed_text(ses, line, sizeof line);
    message_line(p, l, line, 1);
}

/* Markdown's backticks in the key table are not for the screen. */
static void strip_backticks(char *s)
{
    char *out = s;
    for (; *s; s++)
        if (*s != '`')
            *out++ = *s;
    *out = '\0';
}

/* One column of the help: lines [from, to) at (x, y), keys in bold in a column kw wide. */
static void help_column(const Paint *p, int from, int to, int x, int y, int kw, int w)
{
    const int bh = text_height(p->tx, FONT_BODY), pad = (int)(16 * p->s);
    char keys[160], line[320];
    const char *what;
    for (int i = from; i < to; i++) {
        keys_help_line(i, keys, sizeof keys, &what);
        strip_backticks(keys);
        snprintf(line, sizeof line, "%s", what);
        strip_backticks(line);
        text_in(p, FONT_BOLD, x, y + (i - from) * bh, kw, p->pal->text, keys);
        text_in(p, FONT_BODY, x + kw + pad, y + (i - from) * bh, w - kw - pad, p->pal->text_dim, line);
    }
}

/* The widest keys of lines [from, to), and with `what` the widest line as a whole. */
static int keys_width(const Paint *p, int from, int to, int whole)
{
    char keys[160], line[320];
    const char *what;
    int kw = 0, ww = 0;
    for (int i = from; i < to; i++) {
        keys_help_line(i, keys, sizeof keys, &what);
        strip_backticks(keys);
        snprintf(line, sizeof line, "%s", what);
        strip_backticks(line);
        kw = max_int(kw, text_width(p->tx, FONT_BOLD, keys));
        ww = max_int(ww, text_width(p->tx, FONT_BODY, line));
    }
    return whole ? kw + (int)(16 * p->s) + ww : kw;
}

/* The key table over the picture, in two columns when one would not fit. */
static void draw_help(const Paint *p, const Layout *l)
{
    const double s = p->s;
    const int n = keys_help_lines(), bh = text_height(p->tx, FONT_BODY), pad = (int)(16 * s);
    const int head = pad + text_height(p->tx, FONT_TITLE) + pad / 2;
    const int fit = (l->help.h - head - pad) / bh > 1 ? (l->help.h - head - pad) / bh : 1;
    const int columns = n > fit ? 2 : 1, per = (n + columns - 1) / columns;
    const int h = head + per * bh + pad < l->help.h ? head + per * bh + pad : l->help.h;
    const int x = l->help.x, y = l->help.y + (l->help.h - h) / 2, w = l->help.w;
    Rgba panel = p->pal->panel;
    panel.a = 245;
    canvas_rect(p->c, x, y, w, h, panel);
    canvas_rect_outline(p->c, x, y, w, h, (int)fmax(1, s), p->pal->panel_edge);
    text_draw(p->tx, p->c, FONT_TITLE, x + pad, y + pad, p->pal->text, "Keys");
    /* Columns share the width as their lines would fill it. */
    const int rows = per < fit ? per : fit, room = w - pad * (columns + 1);
    int natural[2] = { 0, 0 }, total = 0;
    for (int c = 0; c < columns; c++) {
        natural[c] = keys_width(p, c * per, c * per + rows < n ? c * per + rows : n, 1);
        total += natural[c];
    }
    for (int c = 0, cx = x + pad; c < columns; c++) {
        const int from = c * per, to = from + rows < n ? from + rows : n;
        const int cw = total > room ? (int)((double)room * natural[c] / total) : natural[c];
        help_column(p, from, to, cx, y + head, keys_width(p, from, to, 0), cw);
        cx += cw + pad;
    }
}

/* The verdict line: lr·λmax against the rule's limit, or the adaptive step per coordinate. */
static void stability_text(const Run *r, const CurvStability *st, char *buf, size_t len)
{
    char a[32], b[32], lim[32];
    fmt_value(a, sizeof a, st->product);
    fmt_value(lim, sizeof lim, st->limit);
    if (st->rule == CURV_RULE_PLAIN)
        snprintf(buf, len, "lr\xc2\xb7\xce\xbbmax = %s (%s below 2)", a, st->stable ? "stable" : "UNSTABLE: not");
    else if (st->rule == CURV_RULE_MOMENTUM)
        snprintf(buf, len, "lr\xc2\xb7\xce\xbbmax = %s %s %s = %s: %s", a, st->stable ? "<" : "\xe2\x89\xa5",
                 st->limit_text, lim, st->stable ? "stable" : "UNSTABLE");
    else if (st->rule == CURV_RULE_ADAPTIVE && isfinite(st->eff[0])) {
        fmt_value(a, sizeof a, st->eff[0]);
        fmt_value(b, sizeof b, st->eff[1]);
        snprintf(buf, len, "lr/(%s): x %s \xc2\xb7 y %s", st->denominator, a, b);
    } else if (st->rule == CURV_RULE_ADAPTIVE)
        snprintf(buf, len, "lr/(%s): after the first step", st->denominator);
    else
        snprintf(buf, len, "%s: no single lr to hold against 2/\xce\xbbmax", spec_kind(&optim_table, r->opt.kind)->name);
}

#define THEORY_LINES 4

/* A quadratic's theory: the stability limit, gradient descent's best lr and heavy ball's pair. */
static void theory_text(const CurvTheory *t, char lines[THEORY_LINES][192])
{
    /* Three digits and short lines: they must fit a projector's column. */
    snprintf(lines[0], sizeof lines[0], "\xce\xbc %.3g \xc2\xb7 L %.3g \xc2\xb7 stable: lr < %.3g", t->mu, t->L,
             t->lr_max_stable);
    snprintf(lines[1], sizeof lines[1], "best lr 2/(L+\xce\xbc) %.3g: \xc3\x97%.3g", t->lr_best, t->rate_best);
    snprintf(lines[2], sizeof lines[2], "heavy ball lr %.3g, \xce\xb2 %.3g", t->heavy_ball_lr, t->heavy_ball_momentum);
    snprintf(lines[3], sizeof lines[3], "heavy ball error \xc3\x97%.3g a step", t->heavy_ball_rate);
}

#define READOUT_MAX (3 + THEORY_LINES)

/* The curvature readout's lines and their colours, as drawn: the key hashes them. */
typedef struct {
    char line[READOUT_MAX][192];
    Rgba col[READOUT_MAX];
    int n;
} Readout;

/* The selected run's curvature: eigenvalues, the stability verdict, gradient and step; on
 * a quadratic, its theory below. */
static void readout_text(const Session *ses, const Palette *pal, Readout *out)
{
    const Run *r = &ses->sim.runs[ses->selected];
    CurvEigen e;
    CurvStability st;
    curv_eigen_at(&ses->sim.func, r->x, r->y, &e);
    curv_stability(r, &e, &st);
    char v[3][32];
    fmt_value(v[0], sizeof v[0], e.lmax);
    fmt_value(v[1], sizeof v[1], e.lmin);
    fmt_value(v[2], sizeof v[2], curv_condition(&e));
    /* A condition number says how fast descent goes only where both curvatures are positive. */
    if (e.lmin < 0)
        snprintf(out->line[0], sizeof out->line[0], "saddle: \xce\xbb %s and %s", v[0], v[1]);
    else
        snprintf(out->line[0], sizeof out->line[0], "\xce\xbbmax %s \xc2\xb7 \xce\xbbmin %s \xc2\xb7 \xce\xba %s",
                 v[0], v[1], v[2]);
    out->col[0] = pal->text;
    stability_text(r, &st, out->line[1], sizeof out->line[1]);
    const int verdict = st.rule == CURV_RULE_PLAIN || st.rule == CURV_RULE_MOMENTUM;
    out->col[1] = !verdict ? pal->text_dim : st.stable ? pal->stable : pal->unstable;
    fmt_value(v[0], sizeof v[0], curv_grad_norm(&ses->sim.func, r->x, r->y));
    fmt_value(v[1], sizeof v[1], r->step_length);
    char label[LABEL_TEXT_MAX];
    sim_label(r, label, sizeof label);
    snprintf(out->line[2], sizeof out->line[2], "%s \xc2\xb7 \xe2\x80\x96\xe2\x88\x87" "f\xe2\x80\x96 %s \xc2\xb7 step %s",
             label, v[0], v[1]);
    out->col[2] = pal->text_dim;
    out->n = 3;
    CurvTheory t;
    if (!curv_theory(&ses->sim.func, ses->home, ses->sim.start, &t))
        return;
    char lines[THEORY_LINES][192];
    theory_text(&t, lines);
    for (int k = 0; k < THEORY_LINES; k++, out->n++) {
        snprintf(out->line[out->n], sizeof out->line[out->n], "%s", lines[k]);
        out->col[out->n] = pal->text;
    }
}

static void draw_curvature(const Paint *p, const Session *ses, const Layout *l)
{
    const CanvasBox b = l->curvature;
    if (b.w <= 0 || ses->sim.nruns == 0)
        return;
    Readout ro;
    readout_text(ses, p->pal, &ro);
    panel_back(p, b);
    const int pad = (int)(LAYOUT_PAD * p->s), sh = text_height(p->tx, FONT_SMALL), x = b.x + pad, room = b.w - 2 * pad;
    for (int k = 0; k < ro.n; k++)
        text_in(p, FONT_SMALL, x, b.y + pad / 2 + k * sh, room, ro.col[k], ro.line[k]);
}

int panels_readout_lines(const Session *ses)
{
    CurvTheory t;
    return LAYOUT_READOUT_LINES + (curv_theory(&ses->sim.func, ses->home, ses->sim.start, &t) ? THEORY_LINES : 0);
}

/* A frame's panels, for their keys and their drawing. */
typedef struct {
    const Paint *p;
    const Session *ses;
    const Layout *l;
    const DrawOptions *o;
    uint64_t plots; /* plots_key, the same for every plot */
} PanelFrame;

static int live_moment(const DrawOptions *o)
{
    return o->live && !o->clean; /* what belongs to the live moment only */
}

/* One history entry, all its numbers. */
static uint64_t entry_key(uint64_t h, const History *hs, int k)
{
    h = hash_int(h, hs->step[k]);
    h = hash_double(hash_double(hash_double(h, hs->loss[k]), hs->lr[k]), hs->sharpness[k]);
    return hash_double(h, hs->grad_norm[k]);
}

#define PLOT_KEY_TAIL 32   /* the newest entries, where steps append and curvature lands */
#define PLOT_KEY_STRIDE 16 /* and every this many before them */

/* Every run's plotted series and how each run is drawn. A history only grows at its end,
 * halves with a doubled stride when full, or starts again: its length, its stride, its
 * newest entries and a sample of the rest tell those apart, for a fraction of the time a
 * hash of thousands of entries a frame would take. */
static uint64_t plots_key(uint64_t h, const Session *ses)
{
    const Scale loss = loss_scale(ses);
    h = hash_bytes(h, &loss, sizeof loss);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const History *hs = &ses->hist[i];
        const Run *r = &ses->sim.runs[i];
        h = hash_int(hash_int(hash_int(h, r->hidden), r->diverged), diverged_step(r));
        h = hash_int(hash_int(h, hs->n), hs->stride);
        const int tail = hs->n > PLOT_KEY_TAIL ? hs->n - PLOT_KEY_TAIL : 0;
        for (int k = 0; k < tail; k += PLOT_KEY_STRIDE)
            h = entry_key(h, hs, k);
        for (int k = tail; k < hs->n; k++)
            h = entry_key(h, hs, k);
    }
    return h;
}

static CanvasBox box_title(const PanelFrame *f) { return f->l->title; }
static CanvasBox box_subtitle(const PanelFrame *f) { return f->l->subtitle; }
static CanvasBox box_plot_loss(const PanelFrame *f) { return f->l->plot_loss; }
static CanvasBox box_plot_lr(const PanelFrame *f) { return f->l->plot_lr; }
static CanvasBox box_plot_sharpness(const PanelFrame *f) { return f->l->plot_sharpness; }
static CanvasBox box_plot_gradnorm(const PanelFrame *f) { return f->l->plot_gradnorm; }
static CanvasBox box_legend(const PanelFrame *f) { return f->l->legend; }

static CanvasBox box_curvature(const PanelFrame *f)
{
    return f->ses->sim.nruns ? f->l->curvature : (CanvasBox){ 0, 0, 0, 0 };
}

static CanvasBox box_status(const PanelFrame *f)
{
    return live_moment(f->o) ? f->l->status : (CanvasBox){ 0, 0, 0, 0 };
}

static CanvasBox box_message(const PanelFrame *f)
{
    const Session *ses = f->ses;
    const int shown = ses->typing ? ses->sim.nruns > 0 : f->o->message_alpha > 0 && ses->message[0];
    return live_moment(f->o) && shown ? f->l->message : (CanvasBox){ 0, 0, 0, 0 };
}

static CanvasBox box_input(const PanelFrame *f)
{
    return live_moment(f->o) && f->ses->edit.open ? f->l->input : (CanvasBox){ 0, 0, 0, 0 };
}

static CanvasBox box_help(const PanelFrame *f)
{
    return live_moment(f->o) && f->ses->show_help ? f->l->help : (CanvasBox){ 0, 0, 0, 0 };
}

static CanvasBox box_caption(const PanelFrame *f)
{
    return !f->o->live ? f->l->caption : (CanvasBox){ 0, 0, 0, 0 };
}

static uint64_t key_title(uint64_t h, const PanelFrame *f)
{
    return hash_str(h, session_title(f->ses));
}

static uint64_t key_subtitle(uint64_t h, const PanelFrame *f)
{
    return hash_str(h, session_caption(f->ses));
}

static uint64_t key_plot(uint64_t h, const PanelFrame *f)
{
    return h ^ f->plots;
}

static uint64_t key_curvature(uint64_t h, const PanelFrame *f)
{
    Readout ro;
    readout_text(f->ses, f->p->pal, &ro);
    for (int k = 0; k < ro.n; k++)
        h = hash_bytes(hash_str(h, ro.line[k]), &ro.col[k], sizeof ro.col[k]);
    return h;
}

static uint64_t key_legend(uint64_t h, const PanelFrame *f)
{
    const Session *ses = f->ses;
    h = hash_int(hash_int(h, f->l->legend_lines), f->l->legend_row_height);
    const double limit = lr_limit(ses);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const Run *r = &ses->sim.runs[i];
        LegendRow row;
        legend_row(r, limit, &row, 0);
        h = hash_int(hash_int(h, r->hidden), r->diverged);
        h = hash_int(h, live_moment(f->o) && i == ses->selected && ses->sim.nruns > 1);
        h = hash_str(hash_str(hash_str(hash_str(h, row.label), row.loss), row.value), row.hyper);
        h = hash_str(hash_str(hash_str(h, row.lr), row.lr_short), row.step);
    }
    return h;
}

static uint64_t key_status(uint64_t h, const PanelFrame *f)
{
    char buf[256];
    status_text(f->ses, buf, sizeof buf, 0);
    return hash_int(hash_str(h, buf), f->o->recording >= 0 ? lround(f->o->recording) : -1);
}

static uint64_t key_message(uint64_t h, const PanelFrame *f)
{
    char buf[SESSION_MESSAGE_MAX + SESSION_TYPED_MAX];
    if (f->ses->typing) {
        typed_text(f->ses, buf, sizeof buf);
        return hash_str(h, buf);
    }
    /* The fade as drawn: its box's and its text's alpha. */
    const double alpha = f->o->message_alpha;
    h = hash_int(hash_int(h, (unsigned char)(f->p->pal->message.a * alpha)), (unsigned char)(255 * alpha));
    return hash_str(h, f->ses->message);
}

static uint64_t key_input(uint64_t h, const PanelFrame *f)
{
    const EditLine *e = &f->ses->edit;
    return hash_int(hash_int(hash_str(hash_str(h, e->text), e->error), e->cursor), e->error_column);
}

/* The key table's lines never change. */
static uint64_t key_help(uint64_t h, const PanelFrame *f)
{
    (void)f;
    return h;
}

static uint64_t key_caption(uint64_t h, const PanelFrame *f)
{
    char buf[320];
    caption_text(f->ses, buf, sizeof buf);
    return hash_str(h, buf);
}

static void paint_title(const PanelFrame *f) { draw_title(f->p, f->ses, f->l); }
static void paint_subtitle(const PanelFrame *f) { draw_subtitle(f->p, f->ses, f->l); }
static void paint_plot_loss(const PanelFrame *f) { draw_loss_plot(f->p, f->ses, f->l); }
static void paint_plot_lr(const PanelFrame *f) { draw_lr_plot(f->p, f->ses, f->l); }
static void paint_plot_sharpness(const PanelFrame *f) { draw_sharpness_plot(f->p, f->ses, f->l); }
static void paint_plot_gradnorm(const PanelFrame *f) { draw_gradnorm_plot(f->p, f->ses, f->l); }
static void paint_curvature(const PanelFrame *f) { draw_curvature(f->p, f->ses, f->l); }
static void paint_legend(const PanelFrame *f) { draw_legend(f->p, f->ses, f->l, live_moment(f->o)); }
static void paint_status(const PanelFrame *f) { draw_status(f->p, f->ses, f->l, f->o->recording); }
static void paint_input(const PanelFrame *f) { editline_draw(f->p, f->ses, f->l); }
static void paint_help(const PanelFrame *f) { draw_help(f->p, f->l); }
static void paint_caption(const PanelFrame *f) { draw_caption(f->p, f->ses, f->l); }

static void paint_message(const PanelFrame *f)
{
    if (f->ses->typing)
        draw_typed(f->p, f->ses, f->l);
    else
        draw_message(f->p, f->ses, f->l, f->o->message_alpha);
}

/* One row a panel: where it draws this frame (w = 0: nowhere), what besides its box, theme
 * and scale decides its pixels, and how it is drawn. */
static const struct {
    CanvasBox (*box)(const PanelFrame *f);
    uint64_t (*key)(uint64_t h, const PanelFrame *f);
    void (*draw)(const PanelFrame *f);
} panel_rows[PANEL_COUNT] = {
    [PANEL_TITLE] = { box_title, key_title, paint_title },
    [PANEL_SUBTITLE] = { box_subtitle, key_subtitle, paint_subtitle },
    [PANEL_PLOT_LOSS] = { box_plot_loss, key_plot, paint_plot_loss },
    [PANEL_PLOT_LR] = { box_plot_lr, key_plot, paint_plot_lr },
    [PANEL_PLOT_SHARPNESS] = { box_plot_sharpness, key_plot, paint_plot_sharpness },
    [PANEL_PLOT_GRADNORM] = { box_plot_gradnorm, key_plot, paint_plot_gradnorm },
    [PANEL_CURVATURE] = { box_curvature, key_curvature, paint_curvature },
    [PANEL_LEGEND] = { box_legend, key_legend, paint_legend },
    [PANEL_STATUS] = { box_status, key_status, paint_status },
    [PANEL_MESSAGE] = { box_message, key_message, paint_message },
    [PANEL_INPUT] = { box_input, key_input, paint_input },
    [PANEL_HELP] = { box_help, key_help, paint_help },
    [PANEL_CAPTION] = { box_caption, key_caption, paint_caption },
};

static CanvasBox panel_box(const PanelFrame *f, int i)
{
    const CanvasBox b = panel_rows[i].box(f);
    return b.w > 0 && b.h > 0 ? b : (CanvasBox){ 0, 0, 0, 0 };
}

void panels_keys(const Paint *p, const Session *ses, const Layout *l, const DrawOptions *o, PanelKeys *out)
{
    PanelFrame f = { p, ses, l, o, 0 };
    int plots = 0;
    for (int i = 0; i < PANEL_COUNT; i++) {
        out->box[i] = panel_box(&f, i);
        plots |= out->box[i].w > 0 && panel_rows[i].key == key_plot;
    }
    if (plots)
        f.plots = plots_key(HASH_START, ses);
    for (int i = 0; i < PANEL_COUNT; i++) {
        if (out->box[i].w <= 0) {
            out->key[i] = 0;
            continue;
        }
        uint64_t h = hash_int(HASH_START, i);
        h = hash_bytes(h, &out->box[i], sizeof out->box[i]);
        h = hash_bytes(h, &p->pal, sizeof p->pal);
        h = hash_double(h, p->s);
        out->key[i] = panel_rows[i].key(h, &f);
    }
}

void panels_draw_one(const Paint *p, const Session *ses, const Layout *l, const DrawOptions *o, PanelId id)
{
    const PanelFrame f = { p, ses, l, o, 0 };
    panel_rows[id].draw(&f);
}

void panels_draw(const Paint *p, const Session *ses, const Layout *l, const DrawOptions *o)
{
    const PanelFrame f = { p, ses, l, o, 0 };
    for (int i = 0; i < PANEL_COUNT; i++)
        if (panel_box(&f, i).w > 0)
            panel_rows[i].draw(&f);
}

void panels_legend_text(const Session *ses, int i, LegendLines lines, char *buf, size_t len)
{
    LegendRow row;
    legend_row(&ses->sim.runs[i], lr_limit(ses), &row, 0);
    if (lines == LEGEND_LINES_FULL)
        snprintf(buf, len, "%s  %s\n%s\n%s  %s", row.label, row.loss, row.hyper, row.lr, row.step);
    else if (lines == LEGEND_LINES_COMPACT)
        snprintf(buf, len, "%s  %s  %s", row.label, row.value, row.lr_short);
    else
        snprintf(buf, len, "%s  %s%s%s", row.label, row.value, lr_below(ses, lines) ? "\n" : "",
                 lr_below(ses, lines) ? row.lr_short : "");
}
