/* What is drawn over the map every frame: legend, loss and lr plots, title, status line,
 * the last message and the help. */
#include "overlay.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/func.h"
#include "../core/optim.h"
#include "../core/sched.h"
#include "../platform/input.h"
#include "theme.h"

/* "0.0123", "1.2e-05": short, but with the digits a lecture needs. */
static void fmt_value(char *buf, size_t len, double v)
{
    const double a = fabs(v);
    if (!isfinite(v)) /* the core never hands one over; should it, no "nan" on screen */
        snprintf(buf, len, "%s", isnan(v) ? "\xe2\x80\x93" : v > 0 ? "\xe2\x88\x9e" : "\xe2\x88\x92\xe2\x88\x9e");
    else if (v == 0)
        snprintf(buf, len, "0");
    else if (a >= 1e-3 && a < 1e5)
        snprintf(buf, len, "%.4g", v);
    else
        snprintf(buf, len, "%.2e", v);
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

/* Shortens s (in a buffer of cap bytes) in place with an ellipsis until it fits in `room`
 * pixels; the ellipsis takes three bytes, so it goes only where it and the NUL fit. */
static void fit_text(Text *tx, FontId font, char *s, size_t cap, int room)
{
    size_t n = strlen(s);
    if (text_width(tx, font, s) <= room)
        return;
    while (n > 0) {
        do
            n--;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80); /* not inside a UTF-8 sequence */
        if (n + 4 > cap)
            continue;
        memcpy(s + n, "\xe2\x80\xa6", 4);
        if (text_width(tx, font, s) <= room)
            return;
    }
}

typedef struct {
    char loss[48], hyper[192], lr[224], step[32];
} LegendRow;

static void legend_row(const Run *r, LegendRow *row)
{
    char value[32], sched[160];
    fmt_value(value, sizeof value, r->loss);
    snprintf(row->loss, sizeof row->loss, "loss %s", value);
    hyper_text(r, row->hyper, sizeof row->hyper);
    fmt_value(value, sizeof value, r->lr);
    sched_text(r, sched, sizeof sched);
    snprintf(row->lr, sizeof row->lr, "lr %s \xc2\xb7 %s", value, sched);
    snprintf(row->step, sizeof row->step, "step %ld", r->step);
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

/* As wide as its longest line needs, within a third to a half of the map. */
static int legend_width(Draw *d, const Session *ses, const LegendRow *rows, int indent, int gap)
{
    Text *tx = d->text;
    int need = 0;
    for (int i = 0; i < ses->sim.nruns; i++) {
        need = max_int(need, text_width(tx, FONT_BOLD, ses->sim.runs[i].label) + gap + text_width(tx, FONT_BODY, rows[i].loss));
        need = max_int(need, text_width(tx, FONT_SMALL, rows[i].hyper));
        need = max_int(need, text_width(tx, FONT_SMALL, rows[i].lr) + gap + text_width(tx, FONT_SMALL, rows[i].step));
    }
    const int lo = (int)(LAYOUT_LEGEND_WIDTH * d->s), hi = (int)(ses->view.pw / 2);
    const int w = indent + need + (int)(LAYOUT_PAD * d->s);
    return w < lo ? lo : w > hi ? max_int(hi, lo / 2) : w;
}

static void draw_badge(Draw *d, const Palette *pal, int right, int top, int line_h)
{
    Text *tx = d->text;
    const double s = d->s;
    const char *badge = "DIVERGED";
    const int sh = text_height(tx, FONT_SMALL), bw = text_width(tx, FONT_SMALL, badge) + (int)(10 * s);
    canvas_rect(&d->frame, right - bw, top + (line_h - sh) / 2 - (int)(2 * s), bw, sh + (int)(4 * s), pal->badge);
    text_draw(tx, &d->frame, FONT_SMALL, right - bw + (int)(5 * s), top + (line_h - sh) / 2, pal->badge_text, badge);
}

/* The room left of a legend row's text for its colour key, and between its columns. */
static int legend_indent(const Draw *d)
{
    return (int)(LAYOUT_PAD * d->s) + (int)(22 * d->s);
}

static int legend_gap(const Draw *d)
{
    return (int)(14 * d->s);
}

/* Fills the legend's rows and returns the legend's width. */
static int legend_rows(Draw *d, const Session *ses, LegendRow *rows)
{
    for (int i = 0; i < ses->sim.nruns; i++)
        legend_row(&ses->sim.runs[i], &rows[i]);
    return legend_width(d, ses, rows, legend_indent(d), legend_gap(d));
}

static int legend_row_height(const Draw *d)
{
    return text_height(d->text, FONT_BOLD) + 2 * text_height(d->text, FONT_SMALL) + (int)(6 * d->s);
}

static int legend_height(const Draw *d, const Session *ses)
{
    return 2 * (int)(LAYOUT_PAD * d->s) + legend_row_height(d) * ses->sim.nruns - (int)(6 * d->s);
}

/* The plots' width: LAYOUT_PLOT_WIDTH, narrower on a small map, down to a minimum that
 * still holds their labels. */
static int plot_width(const Draw *d, const Session *ses)
{
    const int w = (int)(LAYOUT_PLOT_MAP_SHARE * ses->view.pw);
    const int lo = (int)(LAYOUT_PLOT_MIN_WIDTH * d->s), hi = (int)(LAYOUT_PLOT_WIDTH * d->s);
    return w < lo ? lo : w > hi ? hi : w;
}

int overlay_panel_room(Draw *d, const Session *ses)
{
    LegendRow rows[SIM_MAX_RUNS];
    const int legend = ses->sim.nruns > 0 ? legend_rows(d, ses, rows) : 0;
    const int plots = ses->panels & PANEL_PLOTS ? plot_width(d, ses) : 0;
    return max_int(legend, plots) + 2 * (int)(LAYOUT_PAD * d->s);
}

/* A panel's place: a corner of the map. The legend prefers the top right and the plots the
 * bottom right, but either moves to another corner rather than hide a known minimum or the
 * start point, which only change with the function, the view or the start, so panels stay
 * put while the runs move. */
enum { TOP_RIGHT, TOP_LEFT, BOTTOM_LEFT, BOTTOM_RIGHT, CORNERS };

static CanvasBox corner_box(const Draw *d, const View *v, int corner, int w, int h)
{
    const int pad = (int)(LAYOUT_PAD * d->s);
    const int left = (int)v->px + pad, right = (int)(v->px + v->pw) - w - pad;
    const int top = (int)v->py + pad, bottom = (int)(v->py + v->ph) - h - pad;
    return (CanvasBox){ corner == TOP_LEFT || corner == BOTTOM_LEFT ? left : right,
                  corner == TOP_LEFT || corner == TOP_RIGHT ? top : bottom, w, h };
}

static int boxes_meet(CanvasBox a, CanvasBox b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* How many landmarks (known minima, the start) a box would hide, markers' size included. */
static int landmarks_under(const Draw *d, const Session *ses, CanvasBox b)
{
    const double r = 10 * d->s;
    double m[FUNC_MAX_MINIMA + 1][2];
    int n = func_minima(&ses->sim.func, m);
    m[n][0] = ses->sim.start[0];
    m[n][1] = ses->sim.start[1];
    int hidden = 0;
    for (int k = 0; k <= n; k++) {
        const double sx = view_sx(&ses->view, m[k][0]), sy = view_sy(&ses->view, m[k][1]);
        hidden += sx + r > b.x && sx - r < b.x + b.w && sy + r > b.y && sy - r < b.y + b.h;
    }
    return hidden;
}

/* The first corner in order hiding the fewest landmarks, and not meeting `taken`. */
static CanvasBox place(const Draw *d, const Session *ses, const int *order, int n, int w, int h, const CanvasBox *taken)
{
    CanvasBox best = corner_box(d, &ses->view, order[0], w, h);
    int best_cost = -1;
    for (int i = 0; i < n; i++) {
        const CanvasBox b = corner_box(d, &ses->view, order[i], w, h);
        if (taken && boxes_meet(b, *taken))
            continue;
        const int cost = landmarks_under(d, ses, b);
        if (best_cost < 0 || cost < best_cost) {
            best = b;
            best_cost = cost;
        }
    }
    return best;
}

/* Draws the legend in a free corner (see place) away from `plots` and returns its box. */
static CanvasBox draw_legend(Draw *d, const Session *ses, const Palette *pal, const CanvasBox *plots)
{
    const double s = d->s;
    Text *tx = d->text;
    LegendRow rows[SIM_MAX_RUNS];
    const int w = legend_rows(d, ses, rows);
    const int pad = (int)(LAYOUT_PAD * s), bh = text_height(tx, FONT_BOLD), sh = text_height(tx, FONT_SMALL);
    const int indent = legend_indent(d), gap = legend_gap(d);
    const int row_h = legend_row_height(d), h = legend_height(d, ses);
    static const int order[] = { TOP_RIGHT, TOP_LEFT, BOTTOM_LEFT, BOTTOM_RIGHT };
    const CanvasBox box = place(d, ses, order, CORNERS, w, h, plots);
    const int x = box.x, y = box.y;
    canvas_rect(&d->frame, x, y, w, h, pal->panel);
    canvas_rect_outline(&d->frame, x, y, w, h, (int)fmax(1, d->s), pal->panel_edge);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const Run *r = &ses->sim.runs[i];
        LegendRow *row = &rows[i];
        const int top = y + pad + i * row_h, left = x + indent, right = x + w - pad;
        if (i == ses->selected && ses->sim.nruns > 1)
            canvas_rect(&d->frame, x + 2, top - (int)(3 * s), w - 4, row_h, pal->selection);
        const Rgba col = r->hidden ? pal->text_dim : pal->runs[i];
        canvas_line(&d->frame, x + pad, top + bh / 2.0, x + pad + 14 * s, top + bh / 2.0, THEME_TRAIL_WIDTH * s, col);
        canvas_disc(&d->frame, x + pad + 7 * s, top + bh / 2.0, 4 * s, col);
        char label[SIM_RUN_LABEL_MAX + 8];
        snprintf(label, sizeof label, "%s", r->label);
        const int loss_w = r->diverged ? text_width(tx, FONT_SMALL, "DIVERGED") + (int)(10 * s)
                                       : text_width(tx, FONT_BODY, row->loss);
        fit_text(tx, FONT_BOLD, label, sizeof label, right - left - loss_w - gap);
        text_draw(tx, &d->frame, FONT_BOLD, left, top, r->hidden ? pal->text_dim : pal->text, label);
        if (r->diverged)
            draw_badge(d, pal, right, top, bh);
        else
            text_draw(tx, &d->frame, FONT_BODY, right - loss_w, top, pal->text, row->loss);
        fit_text(tx, FONT_SMALL, row->hyper, sizeof row->hyper, right - left);
        text_draw(tx, &d->frame, FONT_SMALL, left, top + bh, pal->text_dim, row->hyper);
        const int step_w = text_width(tx, FONT_SMALL, row->step);
        fit_text(tx, FONT_SMALL, row->lr, sizeof row->lr, right - left - step_w - gap);
        text_draw(tx, &d->frame, FONT_SMALL, left, top + bh + sh, pal->text_dim, row->lr);
        text_draw(tx, &d->frame, FONT_SMALL, right - step_w, top + bh + sh, pal->text_dim, row->step);
    }
    return box;
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

/* One inset: every run's series against the step, on a log scale. */
/* Maps a value to the plot's vertical scale: log10 above the shift, or linear. */
static double plot_scale(double v, double shift, int logscale)
{
    if (!logscale)
        return v;
    v -= shift;
    return v > 0 ? log10(v) : NAN;
}

static double plot_unscale(double u, double shift, int logscale)
{
    return logscale ? pow(10, u) + shift : u;
}

static void draw_plot(Draw *d, const Session *ses, const Palette *pal, int x, int y, int w, int h, const char *title,
                      Series series, double shift, int logscale)
{
    const double s = d->s;
    Text *tx = d->text;
    canvas_rect(&d->frame, x, y, w, h, pal->panel);
    canvas_rect_outline(&d->frame, x, y, w, h, (int)fmax(1, d->s), pal->panel_edge);
    const int th = text_height(tx, FONT_SMALL), pad = (int)(6 * s);
    text_draw(tx, &d->frame, FONT_SMALL, x + pad, y + pad / 2, pal->text, title);
    long last = 1;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < ses->sim.nruns; i++) {
        const History *hs = &ses->hist[i];
        if (ses->sim.runs[i].hidden || hs->n == 0)
            continue;
        last = hs->step[hs->n - 1] > last ? hs->step[hs->n - 1] : last;
        /* A run that blew up would squash the others: the live runs set the range. */
        if (ses->sim.runs[i].diverged && sim_live_runs(&ses->sim) > 0)
            continue;
        for (int k = 0; k < hs->n; k++) {
            const double u = plot_scale(series(hs, k), shift, logscale);
            if (isfinite(u))
                lo = fmin(lo, u), hi = fmax(hi, u);
        }
    }
    if (!(hi >= lo))
        return;
    if (hi - lo < 1e-9 * fmax(1, fabs(hi)))
        lo -= 0.5 * fmax(1, fabs(lo)), hi += 0.5 * fmax(1, fabs(hi));
    char label[48], value[32];
    fmt_value(value, sizeof value, plot_unscale(hi, shift, logscale));
    snprintf(label, sizeof label, "max %s", value);
    text_draw(tx, &d->frame, FONT_SMALL, x + w - pad - text_width(tx, FONT_SMALL, label), y + pad / 2, pal->text_dim,
              label);
    fmt_value(value, sizeof value, plot_unscale(lo, shift, logscale));
    snprintf(label, sizeof label, "min %s", value);
    text_draw(tx, &d->frame, FONT_SMALL, x + pad, y + h - th - pad / 2, pal->text_dim, label);
    snprintf(label, sizeof label, "step %ld", last);
    text_draw(tx, &d->frame, FONT_SMALL, x + w - pad - text_width(tx, FONT_SMALL, label), y + h - th - pad / 2,
              pal->text_dim, label);
    const double px = x + pad, py = y + th + pad, pw = w - 2 * pad, ph = h - 2 * th - 2 * pad;
    for (int i = 0; i < ses->sim.nruns; i++) {
        const History *hs = &ses->hist[i];
        if (ses->sim.runs[i].hidden)
            continue;
        int n = 0;
        for (int k = 0; k < hs->n; k++) {
            const double u = plot_scale(series(hs, k), shift, logscale);
            const double ly = isfinite(u) ? fmax(lo, fmin(hi, u)) : lo;
            d->xy[2 * n] = (float)(px + pw * (double)hs->step[k] / (double)last);
            d->xy[2 * n + 1] = (float)(py + ph * (hi - ly) / (hi - lo));
            n++;
        }
        canvas_polyline(&d->frame, d->xy, n, 2.0 * s, pal->runs[i]);
    }
}

/* The loss plot above the lr plot, in the bottom right corner or, rather than hide a
 * landmark, the bottom left; returns the box they take together. */
static CanvasBox draw_plots(Draw *d, const Session *ses, const Palette *pal, int legend_h)
{
    const double s = d->s;
    const int w = plot_width(d, ses), pad = (int)(LAYOUT_PAD * s);
    /* Shorter plots, down to LAYOUT_PLOT_MIN_HEIGHT, rather than plots under the legend. */
    const int room = ((int)ses->view.ph - legend_h - 4 * pad) / 2;
    const int h = room < (int)(LAYOUT_PLOT_MIN_HEIGHT * s) ? (int)(LAYOUT_PLOT_MIN_HEIGHT * s)
                  : room > (int)(LAYOUT_PLOT_HEIGHT * s) ? (int)(LAYOUT_PLOT_HEIGHT * s)
                                                           : room;
    static const int order[] = { BOTTOM_RIGHT, BOTTOM_LEFT };
    const CanvasBox box = place(d, ses, order, 2, w, 2 * h + pad, NULL);
    const int x = box.x, y = box.y;
    /* The loss is plotted above the smallest value any run reached at its function's floor. */
    double floor_loss = INFINITY;
    for (int i = 0; i < ses->sim.nruns; i++)
        for (int k = 0; k < ses->hist[i].n; k++)
            floor_loss = fmin(floor_loss, ses->hist[i].loss[k]);
    double m[FUNC_MAX_MINIMA][2];
    const int nm = func_minima(&ses->sim.func, m);
    for (int k = 0; k < nm; k++)
        floor_loss = fmin(floor_loss, func_value(&ses->sim.func, m[k][0], m[k][1]));
    /* A function without a floor (saddle) falls without bound: a log scale would flatten
     * every curve against the deepest one, so its loss is plotted linearly. */
    const int logloss = nm > 0 && isfinite(floor_loss);
    const double shift = logloss ? floor_loss - fmax(1e-12, fabs(floor_loss) * 1e-12) : 0;
    draw_plot(d, ses, pal, x, y, w, h, logloss ? "loss (log)" : "loss", loss_at, shift, logloss);
    draw_plot(d, ses, pal, x, y + h + pad, w, h, "learning rate (log)", lr_at, 0, 1);
    return box;
}

static void draw_status(Draw *d, const Session *ses, const Palette *pal)
{
    const double s = d->s;
    char buf[256], func[160];
    long step = 0;
    for (int i = 0; i < ses->sim.nruns; i++)
        step = ses->sim.runs[i].step > step ? ses->sim.runs[i].step : step;
    spec_format_brief(&func_table, &ses->sim.func, func, sizeof func);
    snprintf(buf, sizeof buf, "%s   \xc2\xb7   step %ld   \xc2\xb7   %s   \xc2\xb7   %.3g steps/s   \xc2\xb7   H help", func,
             step, ses->paused ? "paused" : "running", ses->speed);
    const int y = d->frame.h - (int)(LAYOUT_MARGIN * s) - text_height(d->text, FONT_BODY);
    fit_text(d->text, FONT_BODY, buf, sizeof buf, d->frame.w - (int)ses->view.px - (int)(LAYOUT_MARGIN * s));
    text_draw(d->text, &d->frame, FONT_BODY, (int)ses->view.px, y, pal->text, buf);
}

static void draw_title(Draw *d, const Session *ses, const Palette *pal)
{
    if (ses->title[0])
        text_draw(d->text, &d->frame, FONT_TITLE, (int)ses->view.px, (int)(LAYOUT_MARGIN * d->s), pal->text, ses->title);
}

/* The message goes at the top of the map, centred in the room beside the legend when the
 * legend is up there; one too long for that room goes under it, across the map (shortened
 * if it must be). */
static void draw_message(Draw *d, const Session *ses, const Palette *pal, double alpha, const CanvasBox *legend)
{
    if (alpha <= 0 || !ses->message[0])
        return;
    const double s = d->s;
    const View *v = &ses->view;
    char text[sizeof ses->message];
    snprintf(text, sizeof text, "%s", ses->message);
    const int pad = (int)(10 * s), margin = (int)(LAYOUT_PAD * s), h = text_height(d->text, FONT_BODY);
    int w = text_width(d->text, FONT_BODY, text);
    int left = (int)v->px + margin, right = (int)(v->px + v->pw) - margin, y = (int)v->py + (int)(14 * s);
    const int legend_on_top = legend && legend->y < y + h + pad;
    if (legend_on_top) {
        const int room_left = legend->x - margin - left, room_right = right - (legend->x + legend->w + margin);
        if (room_left >= room_right)
            right = legend->x - margin;
        else
            left = legend->x + legend->w + margin;
        if (w + 2 * pad > right - left) {
            left = (int)v->px + margin;
            right = (int)(v->px + v->pw) - margin;
            y = legend->y + legend->h + margin;
        }
    }
    if (w + 2 * pad > right - left) {
        fit_text(d->text, FONT_BODY, text, sizeof text, right - left - 2 * pad);
        w = text_width(d->text, FONT_BODY, text);
    }
    const int x = (left + right) / 2 - w / 2 - pad;
    Rgba box = pal->message;
    box.a = (unsigned char)(box.a * alpha);
    canvas_rect(&d->frame, x, y, w + 2 * pad, h + pad, box);
    Rgba fg = { 255, 255, 255, (unsigned char)(255 * alpha) };
    text_draw(d->text, &d->frame, FONT_BODY, x + pad, y + pad / 2, fg, text);
}

static void draw_help(Draw *d, const Palette *pal)
{
    const double s = d->s;
    Text *tx = d->text;
    const int bh = text_height(tx, FONT_BODY), pad = (int)(16 * s);
    int kw = 0, ww = 0;
    for (int i = 0; i < input_help_count; i++) {
        const int a = text_width(tx, FONT_BOLD, input_help[i].keys), b = text_width(tx, FONT_BODY, input_help[i].what);
        kw = a > kw ? a : kw;
        ww = b > ww ? b : ww;
    }
    const int w = kw + ww + 3 * pad, h = (input_help_count + 1) * bh + 3 * pad;
    const int x = (d->frame.w - w) / 2, y = (d->frame.h - h) / 2;
    Rgba panel = pal->panel;
    panel.a = 245;
    canvas_rect(&d->frame, x, y, w, h, panel);
    canvas_rect_outline(&d->frame, x, y, w, h, (int)fmax(1, d->s), pal->panel_edge);
    text_draw(tx, &d->frame, FONT_TITLE, x + pad, y + pad, pal->text, "Keys");
    const int top = y + pad + text_height(tx, FONT_TITLE) + pad / 2;
    for (int i = 0; i < input_help_count; i++) {
        text_draw(tx, &d->frame, FONT_BOLD, x + pad, top + i * bh, pal->text, input_help[i].keys);
        text_draw(tx, &d->frame, FONT_BODY, x + 2 * pad + kw, top + i * bh, pal->text_dim, input_help[i].what);
    }
}

void overlay_draw(Draw *d, const Session *ses, double message_alpha)
{
    const Palette *pal = theme_palette(ses->theme);
    CanvasBox plots, legend;
    const int show_plots = (ses->panels & PANEL_PLOTS) != 0, show_legend = ses->sim.nruns > 0;
    draw_title(d, ses, pal);
    if (show_plots)
        plots = draw_plots(d, ses, pal, show_legend ? legend_height(d, ses) : 0);
    if (show_legend)
        legend = draw_legend(d, ses, pal, show_plots ? &plots : NULL);
    draw_status(d, ses, pal);
    draw_message(d, ses, pal, message_alpha, show_legend ? &legend : NULL);
    if (ses->show_help)
        draw_help(d, pal);
}
