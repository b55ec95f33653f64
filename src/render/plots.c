/* The plots: each run's loss, lr, sharpness or gradient norm over the steps, on a log or
 * linear scale with real ticks; a run that diverged climbs out of the loss plot's top. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/func.h"
#include "panel_parts.h"
#include "ticks.h"

typedef double (*Series)(const History *h, int i);

static double loss_at(const History *h, int i)
{
    return h->loss[i];
}

/* A minibatched run's batch loss, faint under its loss; NaN for other runs. */
static double batch_loss_at(const History *h, int i)
{
    return h->batch_loss[i];
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
    double margin; /* share of the span left free above and below the data */
} Scale;

static double scaled(const Scale *sc, double v)
{
    if (!sc->log)
        return v;
    v -= sc->shift;
    return v > 0 ? log10(v) : NAN;
}

/* A value tick: its mark, and its label left of the plot (not above its top). */
static void value_tick(const Paint *p, CanvasBox plot, int label_x, double y, const char *label)
{
    const ThemeSizes *ts = &theme_size;
    const int th = text_height(p->tx, FONT_SMALL);
    canvas_line(p->c, plot.x - ts->plot_tick * p->s, y, plot.x, y, ts->plot_thin * p->s, p->pal->axis);
    const int w = text_width(p->tx, FONT_SMALL, label);
    int ly = (int)(y - th / 2.0);
    ly = ly < plot.y - th / 2 ? plot.y - th / 2 : ly;
    text_draw(p->tx, p->c, FONT_SMALL, label_x - w, ly, p->pal->text_dim, label);
}

/* A log axis spanning less than two decades: 1, 2 and 5 times the powers of ten inside
 * it, or every digit where those are fewer than two, none crowding another. */
static void sub_decade_ticks(const Paint *p, const Scale *sc, CanvasBox plot, int label_x)
{
    static const int sets[2][9] = { { 1, 2, 5 }, { 1, 2, 3, 4, 5, 6, 7, 8, 9 } };
    static const int sizes[2] = { 3, 9 };
    const int th = text_height(p->tx, FONT_SMALL);
    for (int pass = 0; pass < 2; pass++) {
        double ys[32];
        char labels[32][16];
        int n = 0;
        double last = -1e9;
        for (int e = (int)floor(sc->lo) - 1; e <= (int)ceil(sc->hi) && n < 32; e++)
            for (int k = 0; k < sizes[pass] && n < 32; k++) {
                const double u = log10(sets[pass][k]) + e;
                if (u < sc->lo - 1e-9 || u > sc->hi + 1e-9)
                    continue;
                const double y = plot.y + plot.h - (u - sc->lo) / (sc->hi - sc->lo) * plot.h;
                if (fabs(last - y) < th + 2)
                    continue;
                snprintf(labels[n], sizeof labels[n], "%g", sets[pass][k] * pow(10, e));
                ys[n++] = last = y;
            }
        if (n >= 2 || pass == 1) {
            for (int i = 0; i < n; i++)
                value_tick(p, plot, label_x, ys[i], labels[i]);
            return;
        }
    }
}

/* Ticks on a plot's value axis: every decade on a log scale (every few when they would
 * crowd; within a decade or two, see sub_decade_ticks), 1-2-5 steps on a linear one;
 * labels in one format. */
static void value_ticks(const Paint *p, const Scale *sc, CanvasBox plot, int label_x)
{
    const int th = text_height(p->tx, FONT_SMALL);
    const int most = plot.h / (th + 2) > 1 ? plot.h / (th + 2) : 1;
    if (sc->log && floor(sc->hi + 1e-9) - ceil(sc->lo - 1e-9) < 1) {
        sub_decade_ticks(p, sc, plot, label_x);
        return;
    }
    double step;
    if (sc->log) {
        step = ceil((sc->hi - sc->lo) / most);
        step = step < 1 ? 1 : step;
    } else {
        step = ticks_step((sc->hi - sc->lo) / most);
    }
    if (!(step > 0) || !isfinite(step))
        return;
    const int digits = sc->log || step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    for (double k = ceil(sc->lo / step); k * step <= sc->hi + 1e-9 * step; k++) {
        const double u = k == 0 ? 0 : k * step; /* ceil of a small negative is -0: never "-0" */
        const double y = plot.y + plot.h - (u - sc->lo) / (sc->hi - sc->lo) * plot.h;
        char label[32];
        if (sc->log)
            snprintf(label, sizeof label, "1e%+d", (int)lround(u));
        else
            snprintf(label, sizeof label, "%.*f", digits, u);
        value_tick(p, plot, label_x, y, label);
    }
}

/* Ticks on the step axis: 1-2-5 steps from 0 to the last step. */
static void step_ticks(const Paint *p, CanvasBox plot, long last, int label_y)
{
    const ThemeSizes *ts = &theme_size;
    const int spacing = (int)(ts->plot_step_label_spacing * p->s);
    const int most = plot.w / spacing > 1 ? plot.w / spacing : 1;
    const double raw = (double)last / most, step = ticks_step(raw > 1 ? raw : 1);
    for (double k = 0; k <= last; k += step) {
        const double x = plot.x + plot.w * k / (double)last;
        canvas_line(p->c, x, plot.y + plot.h, x, plot.y + plot.h + ts->plot_tick * p->s, ts->plot_thin * p->s,
                    p->pal->axis);
        char label[32];
        snprintf(label, sizeof label, "%.0f", k);
        const int w = text_width(p->tx, FONT_SMALL, label);
        int lx = (int)(x - w / 2.0);
        lx = lx + w > plot.x + plot.w ? plot.x + plot.w - w : lx;
        text_draw(p->tx, p->c, FONT_SMALL, lx, label_y, p->pal->text_dim, label);
    }
}

/* The range of the scaled series over the shown runs, a diverged run's finite values
 * included: on a log scale its climb stays in sight, and its line ends where it blew up.
 * With a run that diverged the top keeps room for its arrow; a log range narrower than
 * LOG_SPAN_MIN decades is widened about its middle, so close values (lr 0.19 and 0.21)
 * sit apart rather than at the plot's edges. */
#define LOG_SPAN_MIN 0.5
#define DIVERGED_HEADROOM 0.12
static int series_range(const Session *ses, Series series, Series guide, Scale *sc, long *last)
{
    double lo = INFINITY, hi = -INFINITY;
    int diverged = 0;
    *last = 1;
    for (int i = 0; i < ses->sim.nruns; i++) {
        const History *hs = &ses->hist[i];
        if (ses->sim.runs[i].hidden || hs->n == 0)
            continue;
        const long end = ses->sim.runs[i].diverged ? panels_diverged_step(&ses->sim.runs[i]) : hs->step[hs->n - 1];
        *last = end > *last ? end : *last;
        diverged |= ses->sim.runs[i].diverged;
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
    if (sc->log && hi - lo < LOG_SPAN_MIN) {
        const double mid = 0.5 * (lo + hi);
        lo = mid - 0.5 * LOG_SPAN_MIN, hi = mid + 0.5 * LOG_SPAN_MIN;
    } else if (hi - lo < 1e-9 * fmax(1, fabs(hi))) {
        lo -= 0.5 * fmax(1, fabs(lo)), hi += 0.5 * fmax(1, fabs(hi));
    }
    if (diverged && series == loss_at)
        hi += DIVERGED_HEADROOM * (hi - lo);
    const double margin = sc->margin * (hi - lo);
    lo -= margin, hi += margin;
    sc->lo = lo, sc->hi = hi;
    return 0;
}

/* A diverged run's line climbs from its last point to the top, ends in an arrow, and says
 * when it blew up. */
static void diverged_mark(const Paint *p, const Run *r, Rgba col, double x, double y, CanvasBox plot)
{
    const ThemeSizes *ts = &theme_size;
    const double s = p->s, top = plot.y + ts->diverged_arrow_gap * s;
    canvas_line(p->c, x, y, x, top, ts->plot_line * s, col);
    const double half = ts->diverged_arrow_half * s, head = top + ts->diverged_arrow_long * s;
    canvas_line(p->c, x, top, x - half, head, ts->plot_line * s, col);
    canvas_line(p->c, x, top, x + half, head, ts->plot_line * s, col);
    /* Beside the arrow, on the side with more room, in the longest wording that fits it. */
    const int left = (int)(x - ts->diverged_note_beside * s), right = (int)(x + ts->diverged_note_beside * s);
    const int note_y = (int)(top + ts->diverged_arrow_gap * s);
    const int left_room = left - plot.x, right_room = plot.x + plot.w - right;
    const int room = left_room > right_room ? left_room : right_room;
    static const char *const wordings[] = { "diverged at step %ld", "diverged, step %ld", "step %ld" };
    char note[48];
    for (size_t k = 0; k < sizeof wordings / sizeof wordings[0]; k++) {
        snprintf(note, sizeof note, wordings[k], panels_diverged_step(r));
        if (text_width(p->tx, FONT_SMALL, note) <= room)
            break;
    }
    const int w = text_width(p->tx, FONT_SMALL, note);
    if (left_room >= right_room)
        panels_text_in(p, FONT_SMALL, left - (w < left_room ? w : left_room), note_y, left_room, col, note);
    else
        panels_text_in(p, FONT_SMALL, right, note_y, right_room, col, note);
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

/* The runs' values on the value axis, each in its run's colour: where few runs differ
 * (the lr plot of two runs at 0.19 and 0.21), decade ticks would tell them apart by none,
 * so the axis names each value with the digits that tell them apart. */
#define MARKS_MAX 4
typedef struct {
    int n;
    double v[MARKS_MAX];
    int run[MARKS_MAX];
    char label[MARKS_MAX][16];
} Marks;

static void format_marks(Marks *mk)
{
    for (int digits = 2; digits <= 6; digits++) {
        int apart = 1;
        for (int a = 0; a < mk->n; a++) {
            snprintf(mk->label[a], sizeof mk->label[a], "%.*g", digits, mk->v[a]);
            for (int b = 0; b < a; b++)
                apart &= strcmp(mk->label[a], mk->label[b]) != 0;
        }
        if (apart)
            return;
    }
}

/* The shown runs' last values when 1 to MARKS_MAX of them differ; n = 0 otherwise. */
static void find_marks(const Session *ses, Series series, Marks *mk)
{
    mk->n = 0;
    for (int i = 0; i < ses->sim.nruns; i++) {
        const History *hs = &ses->hist[i];
        if (ses->sim.runs[i].hidden || hs->n == 0)
            continue;
        const double v = series(hs, hs->n - 1);
        int seen = !(v > 0) || !isfinite(v);
        for (int k = 0; k < mk->n && !seen; k++)
            seen = fabs(mk->v[k] - v) <= 1e-12 * fabs(v);
        if (seen)
            continue;
        if (mk->n == MARKS_MAX) {
            mk->n = 0;
            return;
        }
        mk->v[mk->n] = v, mk->run[mk->n] = i, mk->n++;
    }
    format_marks(mk);
}

/* The marks' labels left of the plot, moved apart where they would overlap. */
static void value_marks(const Paint *p, const Scale *sc, const Marks *mk, CanvasBox plot, int label_x)
{
    const ThemeSizes *ts = &theme_size;
    const int th = text_height(p->tx, FONT_SMALL);
    int order[MARKS_MAX], ly[MARKS_MAX];
    for (int a = 0; a < mk->n; a++)
        order[a] = a;
    for (int a = 1; a < mk->n; a++) /* top to bottom: largest value first */
        for (int b = a; b > 0 && mk->v[order[b]] > mk->v[order[b - 1]]; b--) {
            const int t = order[b];
            order[b] = order[b - 1], order[b - 1] = t;
        }
    for (int a = 0; a < mk->n; a++) {
        const double u = scaled(sc, mk->v[order[a]]);
        const double y = plot.y + plot.h - (u - sc->lo) / (sc->hi - sc->lo) * plot.h;
        canvas_line(p->c, plot.x - ts->plot_tick * p->s, y, plot.x, y, ts->plot_thin * p->s, p->pal->axis);
        ly[a] = (int)(y - th / 2.0);
        if (a > 0 && ly[a] < ly[a - 1] + th)
            ly[a] = ly[a - 1] + th;
    }
    /* None below the plot's bottom, where the step axis writes its 0. */
    for (int a = mk->n - 1, below = plot.y + plot.h - th; a >= 0 && ly[a] > below; a--, below -= th)
        ly[a] = below;
    for (int a = 0; a < mk->n; a++) {
        const char *label = mk->label[order[a]];
        text_draw(p->tx, p->c, FONT_SMALL, label_x - text_width(p->tx, FONT_SMALL, label), ly[a],
                  p->pal->runs[mk->run[order[a]]], label);
    }
}

/* A plot of one series per run; `guide`, when given, is drawn thin and faint under each
 * run's line where it has values (the sharpness plot's 2/lr, a minibatched run's batch
 * loss under its loss). */
static void draw_plot(const Paint *p, const Session *ses, CanvasBox box, const char *title, Series series,
                      Series guide, Scale sc, int marks)
{
    const ThemeSizes *ts = &theme_size;
    if (box.w <= 0)
        return;
    const double s = p->s;
    panels_back(p, box);
    const int th = text_height(p->tx, FONT_SMALL), pad = (int)(ts->plot_pad * s);
    panels_text_in(p, FONT_SMALL, box.x + pad, box.y + pad / 2, box.w - 2 * pad, p->pal->text, title);
    long last;
    if (series_range(ses, series, guide, &sc, &last) < 0)
        return;
    /* Marks where runs differ, or where one value sits inside a decade no tick would name. */
    Marks mk = { 0 };
    if (marks)
        find_marks(ses, series, &mk);
    if (mk.n == 1 && !(sc.log && floor(sc.hi + 1e-9) < ceil(sc.lo - 1e-9)))
        mk.n = 0;
    int label_w = text_width(p->tx, FONT_SMALL, sc.log ? "1e-00" : "-0.000");
    for (int a = 0; a < mk.n; a++)
        label_w = panels_max_int(label_w, text_width(p->tx, FONT_SMALL, mk.label[a]));
    const int gap = (int)(ts->plot_label_gap * s), below = (int)(ts->plot_tick * s);
    const CanvasBox plot = { box.x + pad + label_w + gap, box.y + th + pad, box.w - 2 * pad - label_w - gap,
                             box.h - 2 * th - 2 * pad - below };
    if (plot.w < 10 || plot.h < 10)
        return;
    canvas_rect_outline(p->c, plot.x, plot.y, plot.w, plot.h, 1, p->pal->panel_edge);
    if (mk.n)
        value_marks(p, &sc, &mk, plot, plot.x - gap);
    else
        value_ticks(p, &sc, plot, plot.x - gap);
    step_ticks(p, plot, last, plot.y + plot.h + below);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const History *hs = &ses->hist[i];
        const Run *r = &ses->sim.runs[i];
        if (r->hidden || hs->n == 0)
            continue;
        if (guide && isfinite(guide(hs, hs->n - 1))) {
            Rgba faint = p->pal->runs[i];
            faint.a = ts->guide_alpha;
            plot_line(p, hs, guide, &sc, plot, last, ts->plot_thin * s, faint);
        }
        const int m = plot_line(p, hs, series, &sc, plot, last, ts->plot_line * s, p->pal->runs[i]);
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
        for (int k = 0; k < ses->hist[i].n; k++) /* fmin passes a NaN batch loss over */
            floor_loss = fmin(floor_loss, fmin(ses->hist[i].loss[k], ses->hist[i].batch_loss[k]));
    double m[FUNC_MAX_MINIMA][2];
    const int nm = func_minima(&ses->sim.func, m);
    for (int k = 0; k < nm; k++)
        floor_loss = fmin(floor_loss, func_value(&ses->sim.func, m[k][0], m[k][1]));
    const int logloss = nm > 0 && isfinite(floor_loss);
    return (Scale){ logloss ? floor_loss - fmax(1e-12, fabs(floor_loss) * 1e-12) : 0, logloss, 0, 0, 0 };
}

/* The lr plot keeps room above and below its lines, where the runs' lrs are named. */
static const Scale log_scale = { 0, 1, 0, 0, 0 }, linear_scale = { 0, 0, 0, 0, 0 }, lr_scale = { 0, 1, 0, 0, 0.1 };

void plots_loss(const Paint *p, const Session *ses, const Layout *l)
{
    const Scale loss = loss_scale(ses);
    draw_plot(p, ses, l->plot_loss, loss.log ? "loss (log scale)" : "loss", loss_at, batch_loss_at, loss, 0);
}

void plots_lr(const Paint *p, const Session *ses, const Layout *l)
{
    draw_plot(p, ses, l->plot_lr, "learning rate (log scale)", lr_at, NULL, lr_scale, 1);
}

void plots_sharpness(const Paint *p, const Session *ses, const Layout *l)
{
    draw_plot(p, ses, l->plot_sharpness, "sharpness \xce\xbbmax (thin: 2/lr)", sharpness_at, two_over_lr_at,
              linear_scale, 0);
}

void plots_gradnorm(const Paint *p, const Session *ses, const Layout *l)
{
    draw_plot(p, ses, l->plot_gradnorm, "\xe2\x80\x96\xe2\x88\x87" "f\xe2\x80\x96 (log scale)", grad_norm_at, NULL,
              log_scale, 0);
}

/* A range in the plot's own units: 10^u above the shift on a log scale. */
static void range_out(const Scale *sc, double out[2])
{
    out[0] = sc->log ? sc->shift + pow(10, sc->lo) : sc->lo;
    out[1] = sc->log ? sc->shift + pow(10, sc->hi) : sc->hi;
}

int plots_ranges(const Session *ses, double loss[2], double lr[2])
{
    Scale l = loss_scale(ses), r = lr_scale;
    long last;
    if (series_range(ses, loss_at, batch_loss_at, &l, &last) < 0 || series_range(ses, lr_at, NULL, &r, &last) < 0)
        return -1;
    range_out(&l, loss);
    range_out(&r, lr);
    return 0;
}
