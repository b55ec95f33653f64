/* The data panel: a loss over data's points and each run's model over them, w·x + b for
 * linreg, σ(w·x + b) and its 0.5 boundary x = −b/w for logreg, the selected run's strongly
 * and the others faintly, in the runs' colours, with the data's header names on its axes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/func.h"
#include "panel_parts.h"
#include "ticks.h"

/* More rows than this are drawn a stride apart: the cloud's shape, not a million discs a frame. */
#define POINTS_DRAWN 1000
#define CURVE_POINTS 160 /* a sigmoid's polyline across the panel */
#define X_MARGIN 0.05    /* shares of the data's range left free at each side ... */
#define Y_MARGIN 0.08    /* ... and above and below (a sigmoid's 0 and 1 likewise) */

static long stride_of(const Data *d)
{
    return d->n > POINTS_DRAWN ? (d->n + POINTS_DRAWN - 1) / POINTS_DRAWN : 1;
}

static const char *column_name(const Data *d, int k)
{
    return d->columns[k][0] ? d->columns[k] : k == 0 ? "x" : "y";
}

/* The ranges the points are drawn in: linreg's targets, or logreg's labels 0 and 1. */
static void data_ranges(const Data *d, DataLoss loss, DataFrame *f)
{
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (long i = 0; i < d->n; i += stride_of(d)) {
        xlo = fmin(xlo, d->x[i]), xhi = fmax(xhi, d->x[i]);
        ylo = fmin(ylo, d->y[i]), yhi = fmax(yhi, d->y[i]);
    }
    if (loss == DATA_BCE)
        ylo = 0, yhi = 1;
    if (!(xhi > xlo))
        xlo -= 0.5, xhi += 0.5;
    if (!(yhi > ylo))
        ylo -= 0.5, yhi += 0.5;
    f->x0 = xlo - X_MARGIN * (xhi - xlo), f->x1 = xhi + X_MARGIN * (xhi - xlo);
    f->y0 = ylo - Y_MARGIN * (yhi - ylo), f->y1 = yhi + Y_MARGIN * (yhi - ylo);
}

static double to_px(const DataFrame *f, double x)
{
    return f->plot.x + (x - f->x0) / (f->x1 - f->x0) * f->plot.w;
}

static double to_py(const DataFrame *f, double y)
{
    return f->plot.y + f->plot.h - (y - f->y0) / (f->y1 - f->y0) * f->plot.h;
}

static int tick_digits(double step)
{
    return step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
}

/* A 1-2-5 step for a range of `span` with at most `most` ticks, smaller where that would
 * leave fewer than two ticks inside lo..hi: a short panel still names two values. */
static double axis_step(double lo, double hi, int most)
{
    double step = ticks_step((hi - lo) / panels_max_int(1, most));
    for (int k = 0; k < 4 && floor(hi / step) - ceil(lo / step) < 1; k++)
        step = ticks_step(step / 2.5);
    return step;
}

static int label_width(const Paint *p, double lo, double hi, double step)
{
    char a[32], b[32];
    snprintf(a, sizeof a, "%.*f", tick_digits(step), lo);
    snprintf(b, sizeof b, "%.*f", tick_digits(step), hi);
    return panels_max_int(text_width(p->tx, FONT_SMALL, a), text_width(p->tx, FONT_SMALL, b));
}

int dataplot_frame(const Paint *p, const Session *ses, CanvasBox box, DataFrame *f)
{
    const Data *d = ses->sim.func.data;
    const DataLoss loss = func_data_loss(&ses->sim.func);
    memset(f, 0, sizeof *f);
    if (box.w <= 0 || !d || loss == DATA_NONE || d->n < 1)
        return -1;
    data_ranges(d, loss, f);
    const ThemeSizes *ts = &theme_size;
    const double s = p->s;
    const int th = text_height(p->tx, FONT_SMALL), pad = (int)(ts->plot_pad * s);
    const int gap = (int)(ts->plot_label_gap * s), below = (int)(ts->plot_tick * s);
    /* Labels a line and a little apart up the value axis, a short label and some apart
     * along the feature's: the 1-2-5 steps that keep them so. */
    const int plot_h = box.h - 2 * th - 2 * pad - below;
    f->ystep = axis_step(f->y0, f->y1, plot_h / (th + 2 * gap));
    const int label_w = label_width(p, f->y0, f->y1, f->ystep);
    f->plot = (CanvasBox){ box.x + pad + label_w + gap, box.y + th + pad, box.w - 2 * pad - label_w - gap, plot_h };
    const int spacing = text_width(p->tx, FONT_SMALL, "-0.0") + 3 * gap;
    f->xstep = axis_step(f->x0, f->x1, f->plot.w / panels_max_int(1, spacing));
    return f->plot.w >= 10 && f->plot.h >= 10 ? 0 : -1;
}

/* The value ticks left of the plot and the feature's below it, its name at the right end of
 * that row (tick labels that would run into it are left out). */
static void axes(const Paint *p, const DataFrame *f, const char *xname)
{
    const ThemeSizes *ts = &theme_size;
    const double s = p->s;
    const int th = text_height(p->tx, FONT_SMALL), gap = (int)(ts->plot_label_gap * s);
    const int tick = (int)(ts->plot_tick * s);
    const CanvasBox b = f->plot;
    char label[32];
    for (double k = ceil(f->y0 / f->ystep); k * f->ystep <= f->y1 + 1e-9 * f->ystep; k++) {
        const double v = k == 0 ? 0 : k * f->ystep, y = to_py(f, v);
        canvas_line(p->c, b.x - tick, y, b.x, y, ts->plot_thin * s, p->pal->axis);
        snprintf(label, sizeof label, "%.*f", tick_digits(f->ystep), v);
        const int w = text_width(p->tx, FONT_SMALL, label);
        text_draw(p->tx, p->c, FONT_SMALL, b.x - gap - w, (int)(y - th / 2.0), p->pal->text_dim, label);
    }
    const int name_w = text_width(p->tx, FONT_SMALL, xname), name_x = b.x + b.w - name_w;
    const int label_y = b.y + b.h + tick;
    text_draw(p->tx, p->c, FONT_SMALL, name_x, label_y, p->pal->text, xname);
    for (double k = ceil(f->x0 / f->xstep); k * f->xstep <= f->x1 + 1e-9 * f->xstep; k++) {
        const double v = k == 0 ? 0 : k * f->xstep, x = to_px(f, v);
        canvas_line(p->c, x, b.y + b.h, x, b.y + b.h + tick, ts->plot_thin * s, p->pal->axis);
        snprintf(label, sizeof label, "%.*f", tick_digits(f->xstep), v);
        const int w = text_width(p->tx, FONT_SMALL, label), lx = (int)(x - w / 2.0);
        if (lx >= b.x - gap && lx + w + gap <= name_x)
            text_draw(p->tx, p->c, FONT_SMALL, lx, label_y, p->pal->text_dim, label);
    }
}

/* The rows as discs; logreg's class 0 as rings, so the classes differ by shape, not colour. */
static void points(const Paint *p, const Data *d, DataLoss loss, const DataFrame *f)
{
    const ThemeSizes *ts = &theme_size;
    const double r = ts->data_point * p->s;
    for (long i = 0; i < d->n; i += stride_of(d)) {
        const double x = to_px(f, d->x[i]), y = to_py(f, d->y[i]);
        if (loss == DATA_BCE && d->y[i] == 0)
            canvas_ring(p->c, x, y, r, ts->data_point_ring * p->s, p->pal->text_dim);
        else
            canvas_disc(p->c, x, y, r, p->pal->text_dim);
    }
}

/* w·x + b across the plot, cut where it leaves the plot's value range. */
static void model_line(const Paint *p, const DataFrame *f, double w, double b, double width, Rgba col)
{
    double lo = f->x0, hi = f->x1;
    if (w != 0) {
        const double xa = (f->y0 - b) / w, xb = (f->y1 - b) / w;
        lo = fmax(lo, fmin(xa, xb)), hi = fmin(hi, fmax(xa, xb));
    } else if (b < f->y0 || b > f->y1) {
        return;
    }
    if (hi > lo)
        canvas_line(p->c, to_px(f, lo), to_py(f, w * lo + b), to_px(f, hi), to_py(f, w * hi + b), width, col);
}

static double sigmoid(double z)
{
    return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
}

/* σ(w·x + b) across the plot, and where it crosses 0.5 (x = −b/w) as a thin upright line. */
static void model_curve(const Paint *p, const DataFrame *f, double w, double b, double width, Rgba col, int boundary)
{
    for (int k = 0; k < CURVE_POINTS; k++) {
        const double x = f->x0 + (f->x1 - f->x0) * k / (CURVE_POINTS - 1);
        p->xy[2 * k] = (float)to_px(f, x);
        p->xy[2 * k + 1] = (float)to_py(f, sigmoid(w * x + b));
    }
    canvas_polyline(p->c, p->xy, CURVE_POINTS, width, col);
    const double edge = w != 0 ? -b / w : NAN;
    if (boundary && edge > f->x0 && edge < f->x1)
        canvas_line(p->c, to_px(f, edge), f->plot.y, to_px(f, edge), f->plot.y + f->plot.h,
                    theme_size.plot_thin * p->s, col);
}

static void model(const Paint *p, const DataFrame *f, DataLoss loss, const Run *r, double width, Rgba col, int strong)
{
    if (!isfinite(r->x) || !isfinite(r->y))
        return;
    if (loss == DATA_BCE)
        model_curve(p, f, r->x, r->y, width, col, strong);
    else
        model_line(p, f, r->x, r->y, width, col);
}

void plots_data(const Paint *p, const Session *ses, const Layout *l)
{
    const CanvasBox box = l->plot_data;
    DataFrame f;
    if (box.w <= 0)
        return;
    panels_back(p, box);
    const Data *d = ses->sim.func.data;
    const DataLoss loss = func_data_loss(&ses->sim.func);
    const ThemeSizes *ts = &theme_size;
    const double s = p->s;
    const int pad = (int)(ts->plot_pad * s);
    if (dataplot_frame(p, ses, box, &f) < 0)
        return;
    /* The target's name over its axis, the model's formula at the right where it fits. */
    const char *yname = column_name(d, 1);
    const char *formula = loss == DATA_BCE ? "model \xcf\x83(w\xc2\xb7x + b)" : "model w\xc2\xb7x + b";
    panels_text_in(p, FONT_SMALL, box.x + pad, box.y + pad / 2, box.w - 2 * pad, p->pal->text, yname);
    const int fw = text_width(p->tx, FONT_SMALL, formula), yw = text_width(p->tx, FONT_SMALL, yname);
    if (yw + 2 * pad + fw <= box.w - 2 * pad)
        text_draw(p->tx, p->c, FONT_SMALL, box.x + box.w - pad - fw, box.y + pad / 2, p->pal->text_dim, formula);
    canvas_rect_outline(p->c, f.plot.x, f.plot.y, f.plot.w, f.plot.h, 1, p->pal->panel_edge);
    axes(p, &f, column_name(d, 0));
    points(p, d, loss, &f);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const Run *r = &ses->sim.runs[i];
        if (r->hidden || i == ses->selected)
            continue;
        Rgba faint = p->pal->runs[i];
        faint.a = ts->guide_alpha;
        model(p, &f, loss, r, ts->plot_thin * s, faint, 0);
    }
    if (ses->selected >= 0 && ses->selected < ses->sim.nruns && !ses->sim.runs[ses->selected].hidden)
        model(p, &f, loss, &ses->sim.runs[ses->selected], ts->data_model * s, p->pal->runs[ses->selected], 1);
}
