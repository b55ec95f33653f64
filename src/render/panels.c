/* The panels (see panels.h): the title, caption, status line, message, help and curvature
 * readout, what every panel draws with, and the table of panels. The legend is legend.c's,
 * the plots plots.c's. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/curvature.h"
#include "../core/func.h"
#include "../core/hash.h"
#include "../core/optim.h"
#include "editline.h"
#include "panel_parts.h"

/* "0.0123", "1.2e-05": short, but with the digits a lecture needs; labels' fields alike. */
void panels_value(char *buf, size_t len, double v)
{
    label_number(buf, len, v);
}

/* The step a diverged run is reported at, everywhere: the update that left the finite world. */
long panels_diverged_step(const Run *r)
{
    return r->step + 1;
}

int panels_max_int(int a, int b)
{
    return a > b ? a : b;
}

void panels_back(const Paint *p, CanvasBox b)
{
    canvas_rect(p->c, b.x, b.y, b.w, b.h, p->pal->panel);
    canvas_rect_outline(p->c, b.x, b.y, b.w, b.h, (int)fmax(1, p->s), p->pal->panel_edge);
}

/* Text at (x, y) cut with an ellipsis to `room` pixels. */
void panels_text_in(const Paint *p, FontId font, int x, int y, int room, Rgba col, const char *s)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    text_fit(p->tx, font, buf, sizeof buf, room);
    text_draw(p->tx, p->c, font, x, y, col, buf);
}

#define DOT "\xc2\xb7"

/* A wrap in progress: the line being filled and the lines done. */
typedef struct {
    const Paint *p;
    FontId font;
    int x, y, room, line_h, draw, lines;
    Rgba col;
    int *cut;
    char line[320];
} Wrap;

/* The line filled so far, cut with an ellipsis (and counted) when a word alone is too wide. */
static void wrap_emit(Wrap *w)
{
    if (text_width(w->p->tx, w->font, w->line) > w->room)
        (*w->cut)++;
    if (w->draw)
        panels_text_in(w->p, w->font, w->x, w->y + w->lines * w->line_h, w->room, w->col, w->line);
    w->lines++;
    w->line[0] = '\0';
}

/* Adds `piece` (n bytes) to the line after `sep`, or on a new line when it does not fit. */
static int wrap_fits(Wrap *w, const char *sep, const char *piece, size_t n)
{
    char try[320];
    snprintf(try, sizeof try, "%s%s%.*s", w->line, w->line[0] ? sep : "", (int)n, piece);
    if (text_width(w->p->tx, w->font, try) > w->room)
        return 0;
    snprintf(w->line, sizeof w->line, "%s", try);
    return 1;
}

int panels_wrap(const Paint *p, FontId font, const char *text, int x, int y, int room, int line_h, Rgba col, int draw,
                int *cut)
{
    Wrap w = { p, font, x, y, room, line_h, draw, 0, col, cut, "" };
    /* Whole parts first; a part wider than a line goes word by word. */
    for (const char *part = text; *part;) {
        const char *end = strstr(part, " " DOT " ");
        const size_t n = end ? (size_t)(end - part) : strlen(part);
        if (!wrap_fits(&w, " " DOT " ", part, n)) {
            if (w.line[0])
                wrap_emit(&w);
            if (!wrap_fits(&w, "", part, n)) {
                for (const char *s = part; s < part + n;) {
                    while (*s == ' ' && s < part + n)
                        s++;
                    size_t k = strcspn(s, " ");
                    k = s + k > part + n ? (size_t)(part + n - s) : k;
                    if (!k)
                        break;
                    if (!wrap_fits(&w, " ", s, k)) {
                        if (w.line[0])
                            wrap_emit(&w);
                        snprintf(w.line, sizeof w.line, "%.*s", (int)k, s);
                    }
                    s += k;
                }
            }
        }
        part += n;
        if (end)
            part += strlen(" " DOT " ");
    }
    wrap_emit(&w);
    return w.lines;
}

/* "rosenbrock · step 120 · running · 30 steps/s · H help"; with `widest` the step is its
 * widest form, for the layout to keep room. Plots the layout found no room for are said
 * first, so that a lecturer who asked for them learns why they are not there. */
static void status_text(const Session *ses, char *buf, size_t len, int widest, int hidden)
{
    char func[160], speed[32], step[64];
    spec_format_brief(&func_table, &ses->sim.func, func, sizeof func);
    snprintf(speed, sizeof speed, ses->speed >= 100 ? "%.0f" : "%.3g", ses->speed);
    /* The selected run's epoch when it draws minibatches. */
    const Run *sel = ses->sim.nruns ? &ses->sim.runs[ses->selected] : NULL;
    const int epochs = sel && sim_batched(&ses->sim, sel);
    if (widest)
        snprintf(step, sizeof step, "%s%s", STEP_TEMPLATE, epochs ? "  \xc2\xb7  " EPOCH_TEMPLATE : "");
    else if (epochs)
        snprintf(step, sizeof step, "step %ld  \xc2\xb7  epoch %ld", session_last_step(ses), sel->epoch);
    else
        snprintf(step, sizeof step, "step %ld", session_last_step(ses));
    char deck[32] = "", room[64] = "";
    if (ses->deck_count > 1)
        snprintf(deck, sizeof deck, "scene %d/%d  \xc2\xb7  ", ses->deck_at + 1, ses->deck_count);
    if (hidden > 0)
        snprintf(room, sizeof room, "%d plot%s hidden: no room  \xc2\xb7  ", hidden, hidden > 1 ? "s" : "");
    snprintf(buf, len, "%s%s%s  \xc2\xb7  %s  \xc2\xb7  %s  \xc2\xb7  %s steps/s  \xc2\xb7  H help", deck, room, func, step,
             ses->paused ? "paused" : "running", speed);
}

int panels_status_need(const Session *ses, Text *tx)
{
    char buf[256];
    status_text(ses, buf, sizeof buf, 1, 0);
    return text_width(tx, FONT_BODY, buf);
}

/* The red REC mark and the recording's length, in its box before the status line. */
static void draw_recording(const Paint *p, const Layout *l, double seconds)
{
    const CanvasBox b = l->rec;
    if (b.w <= 0)
        return;
    const long secs = lround(seconds);
    char label[32];
    snprintf(label, sizeof label, "REC %ld:%02ld", secs / 60, secs % 60);
    const int h = text_height(p->tx, FONT_BOLD), dot = h * 2 / 3, pad = (int)(theme_size.recording_pad * p->s);
    canvas_rect(p->c, b.x, b.y, b.w, b.h, THEME_RECORDING_BOX);
    canvas_disc(p->c, b.x + pad + dot / 2.0, b.y + b.h / 2.0, dot / 2.0, THEME_RECORDING);
    text_draw(p->tx, p->c, FONT_BOLD, b.x + 2 * pad + dot, b.y + (b.h - h) / 2, THEME_RECORDING, label);
}

static void draw_status(const Paint *p, const Session *ses, const Layout *l, double recording)
{
    if (l->status.w <= 0)
        return;
    draw_recording(p, l, recording);
    char buf[256];
    status_text(ses, buf, sizeof buf, 0, l->plots_hidden);
    panels_text_in(p, FONT_BODY, l->status.x, l->status.y, l->status.w, p->pal->text, buf);
}

static void draw_title(const Paint *p, const Session *ses, const Layout *l)
{
    if (l->title.w > 0)
        panels_text_in(p, FONT_TITLE, l->title.x, l->title.y, l->title.w, p->pal->text, session_title(ses));
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
    const int bh = text_height(p->tx, FONT_BODY), room = l->subtitle.h / bh;
    char line[CONFIG_TITLE_MAX + 4];
    int i = 0;
    for (const char *c = session_caption(ses); *c && i < room; c += strcspn(c, "\n") + 1, i++) {
        /* Where lines gave way to the map, the last one shown says there is more. */
        const int more = i == room - 1 && c[strcspn(c, "\n")] && c[strcspn(c, "\n") + 1];
        snprintf(line, sizeof line, "%.*s%s", (int)strcspn(c, "\n"), c, more ? " \xe2\x80\xa6" : "");
        panels_text_in(p, FONT_BODY, l->subtitle.x, l->subtitle.y + i * bh, l->subtitle.w, p->pal->text_dim, line);
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
    panels_text_in(p, FONT_BODY, l->caption.x, l->caption.y, l->caption.w, p->pal->text_dim, buf);
}

/* A line of text at the right of the message box, on the message's background. */
static void message_line(const Paint *p, const Layout *l, const char *line, double alpha)
{
    const CanvasBox b = l->message;
    const int pad = (int)(theme_size.message_pad * p->s);
    char text[SESSION_MESSAGE_MAX];
    snprintf(text, sizeof text, "%s", line);
    text_fit(p->tx, FONT_BODY, text, sizeof text, b.w - 2 * pad);
    const int w = text_width(p->tx, FONT_BODY, text), x = b.x + b.w - w - 2 * pad;
    Rgba box = p->pal->message;
    box.a = (unsigned char)(box.a * alpha);
    canvas_rect(p->c, x, b.y, w + 2 * pad, b.h, box);
    Rgba fg = p->pal->message_text;
    fg.a = (unsigned char)(fg.a * alpha);
    text_draw(p->tx, p->c, FONT_BODY, x + pad, b.y + (b.h - text_height(p->tx, FONT_BODY)) / 2, fg, text);
}

/* The scene's notes, each of its lines wrapped to the box, on the message's background;
 * returns the lines they take (nothing drawn unless `draw`). */
static int notes_wrap(const Paint *p, const Session *ses, CanvasBox b, int draw)
{
    const int pad = (int)(theme_size.message_pad * p->s), line_h = text_height(p->tx, FONT_BODY);
    int lines = 0, cut = 0;
    char line[CONFIG_NOTE_MAX];
    for (const char *at = ses->note; *at;) {
        const size_t n = strcspn(at, "\n");
        snprintf(line, sizeof line, "%.*s", (int)n, at);
        lines += panels_wrap(p, FONT_BODY, line, b.x + pad, b.y + pad + lines * line_h, b.w - 2 * pad, line_h,
                             p->pal->message_text, draw, &cut);
        at += n + (at[n] == '\n');
    }
    return lines;
}

int panels_notes_lines(const Session *ses, Text *tx, double s, int width)
{
    const Paint p = { NULL, tx, s, theme_palette(ses->theme), NULL, NULL };
    return notes_wrap(&p, ses, (CanvasBox){ 0, 0, width, 0 }, 0);
}

/* Lines beyond the box (notes longer than the layout gives them) are left out whole. */
static void draw_notes(const Paint *p, const Session *ses, const Layout *l)
{
    const int pad = (int)(theme_size.message_pad * p->s);
    canvas_rect(p->c, l->notes.x, l->notes.y, l->notes.w, l->notes.h, p->pal->message);
    canvas_clip(p->c, (CanvasBox){ l->notes.x, l->notes.y, l->notes.w, l->notes.h - pad });
    notes_wrap(p, ses, l->notes, 1);
    canvas_unclip(p->c);
}

static void draw_message(const Paint *p, const Session *ses, const Layout *l, double alpha)
{
    if (alpha <= 0 || !ses->message[0] || l->message.w <= 0)
        return;
    message_line(p, l, ses->message, alpha);
}

#define THEORY_LINES 4

/* A quadratic's theory: the stability limit, gradient descent's best lr and heavy ball's pair. */
static void theory_text(const CurvTheory *t, char lines[THEORY_LINES][192])
{
    /* Three digits and short lines: they must fit a projector's column. */
    snprintf(lines[0], sizeof lines[0], "\xce\xbc %.3g \xc2\xb7 L %.3g \xc2\xb7 stable: lr < %.3g", t->mu, t->L,
             t->lr_max_stable);
    snprintf(lines[1], sizeof lines[1], "best lr 2/(L+\xce\xbc) %.3g \xc2\xb7 \xc3\x97%.3g a step", t->lr_best, t->rate_best);
    snprintf(lines[2], sizeof lines[2], "heavy ball lr %.3g \xc2\xb7 \xce\xb2 %.3g", t->heavy_ball_lr, t->heavy_ball_momentum);
    snprintf(lines[3], sizeof lines[3], "heavy ball error \xc3\x97%.3g a step", t->heavy_ball_rate);
}

#define READOUT_MAX (3 + THEORY_LINES)

/* The curvature readout's lines and their colours. */
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
    curv_eigen_text(&e, out->line[0], sizeof out->line[0]);
    out->col[0] = pal->text;
    curv_stability_text(r, &st, out->line[1], sizeof out->line[1]);
    const int verdict = st.rule == CURV_RULE_PLAIN || st.rule == CURV_RULE_MOMENTUM;
    out->col[1] = !verdict ? pal->text_dim : st.stable ? pal->stable : pal->unstable;
    panels_value(v[0], sizeof v[0], curv_grad_norm(&ses->sim.func, r->x, r->y));
    panels_value(v[1], sizeof v[1], sim_step_length(r));
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
    panels_back(p, b);
    const int pad = (int)(LAYOUT_PAD * p->s), sh = text_height(p->tx, FONT_SMALL), x = b.x + pad, room = b.w - 2 * pad;
    /* Each line wrapped to the box, as many as it holds (the layout gave it room for all). */
    int y = b.y + pad / 2, cut = 0;
    for (int k = 0; k < ro.n; k++) {
        const int lines = panels_wrap(p, FONT_SMALL, ro.line[k], 0, 0, room, sh, ro.col[k], 0, &cut);
        if (y + lines * sh > b.y + b.h)
            break;
        y += sh * panels_wrap(p, FONT_SMALL, ro.line[k], x, y, room, sh, ro.col[k], 1, &cut);
    }
}

int panels_readout_lines(const Session *ses, Text *tx, double s, int width)
{
    if (ses->sim.nruns == 0)
        return LAYOUT_READOUT_LINES;
    Readout ro;
    const Paint p = { NULL, tx, s, theme_palette(ses->theme), NULL, NULL };
    readout_text(ses, p.pal, &ro);
    int lines = 0, cut = 0;
    for (int k = 0; k < ro.n; k++)
        lines += panels_wrap(&p, FONT_SMALL, ro.line[k], 0, 0, width - 2 * (int)(LAYOUT_PAD * s), 1, p.pal->text, 0, &cut);
    return lines;
}

/* A frame's panels, for their keys and their drawing. */
typedef struct {
    const Paint *p;
    const Session *ses;
    const Layout *l;
    const DrawOptions *o;
} PanelFrame;

static int live_moment(const DrawOptions *o)
{
    return o->live; /* what belongs to the live moment only */
}

static CanvasBox box_title(const PanelFrame *f) { return f->l->title; }
static CanvasBox box_subtitle(const PanelFrame *f) { return f->l->subtitle; }
static CanvasBox box_plot_loss(const PanelFrame *f) { return f->l->plot_loss; }
static CanvasBox box_plot_lr(const PanelFrame *f) { return f->l->plot_lr; }
static CanvasBox box_plot_sharpness(const PanelFrame *f) { return f->l->plot_sharpness; }
static CanvasBox box_plot_gradnorm(const PanelFrame *f) { return f->l->plot_gradnorm; }
static CanvasBox box_legend(const PanelFrame *f) { return f->l->legend; }
static CanvasBox box_plot_data(const PanelFrame *f) { return f->l->plot_data; }

static CanvasBox box_rule(const PanelFrame *f)
{
    return f->ses->sim.nruns ? f->l->rule : (CanvasBox){ 0, 0, 0, 0 };
}

static CanvasBox box_internals_key(const PanelFrame *f)
{
    return f->ses->sim.nruns ? f->l->internals_key : (CanvasBox){ 0, 0, 0, 0 };
}

static CanvasBox box_curvature(const PanelFrame *f)
{
    return f->ses->sim.nruns ? f->l->curvature : (CanvasBox){ 0, 0, 0, 0 };
}

/* The status line and, while recording, the REC mark before it. */
static CanvasBox box_status(const PanelFrame *f)
{
    if (!live_moment(f->o))
        return (CanvasBox){ 0, 0, 0, 0 };
    const CanvasBox st = f->l->status, rec = f->l->rec;
    return rec.w > 0 ? (CanvasBox){ rec.x, st.y, st.x + st.w - rec.x, st.h } : st;
}

static CanvasBox box_message(const PanelFrame *f)
{
    const int shown = f->o->message_alpha > 0 && f->ses->message[0];
    return live_moment(f->o) && shown ? f->l->message : (CanvasBox){ 0, 0, 0, 0 };
}

static CanvasBox box_notes(const PanelFrame *f)
{
    return live_moment(f->o) && f->ses->show_notes ? f->l->notes : (CanvasBox){ 0, 0, 0, 0 };
}

static CanvasBox box_input(const PanelFrame *f)
{
    return live_moment(f->o) && f->ses->edit.open ? f->l->input : (CanvasBox){ 0, 0, 0, 0 };
}

static CanvasBox box_palette(const PanelFrame *f)
{
    const EditLine *e = &f->ses->edit;
    return live_moment(f->o) && e->open && e->purpose == EDIT_FOR_PALETTE ? f->l->palette : (CanvasBox){ 0, 0, 0, 0 };
}

static CanvasBox box_help(const PanelFrame *f)
{
    return live_moment(f->o) && f->ses->show_help ? f->l->help : (CanvasBox){ 0, 0, 0, 0 };
}

static CanvasBox box_caption(const PanelFrame *f)
{
    return f->l->caption;
}

static void paint_title(const PanelFrame *f) { draw_title(f->p, f->ses, f->l); }
static void paint_subtitle(const PanelFrame *f) { draw_subtitle(f->p, f->ses, f->l); }
static void paint_plot_loss(const PanelFrame *f) { plots_loss(f->p, f->ses, f->l); }
static void paint_plot_lr(const PanelFrame *f) { plots_lr(f->p, f->ses, f->l); }
static void paint_plot_sharpness(const PanelFrame *f) { plots_sharpness(f->p, f->ses, f->l); }
static void paint_plot_gradnorm(const PanelFrame *f) { plots_gradnorm(f->p, f->ses, f->l); }
static void paint_plot_data(const PanelFrame *f) { plots_data(f->p, f->ses, f->l); }
static void paint_curvature(const PanelFrame *f) { draw_curvature(f->p, f->ses, f->l); }
static void paint_rule(const PanelFrame *f) { rule_draw(f->p, f->ses, f->l); }
static void paint_internals_key(const PanelFrame *f) { internals_key_draw(f->p, f->ses, f->l); }
static void paint_legend(const PanelFrame *f) { legend_draw(f->p, f->ses, f->l, live_moment(f->o)); }
static void paint_status(const PanelFrame *f) { draw_status(f->p, f->ses, f->l, f->o->recorded); }
static void paint_input(const PanelFrame *f) { editline_draw(f->p, f->ses, f->l); }
static void paint_palette(const PanelFrame *f)
{
    panels_palette_draw(f->p, f->l->palette, f->ses->edit.text, f->ses->edit.chosen);
}
static void paint_help(const PanelFrame *f) { panels_help_draw(f->p, f->l->help, f->ses->help_page); }
static void paint_caption(const PanelFrame *f) { draw_caption(f->p, f->ses, f->l); }

static void paint_message(const PanelFrame *f) { draw_message(f->p, f->ses, f->l, f->o->message_alpha); }
static void paint_notes(const PanelFrame *f) { draw_notes(f->p, f->ses, f->l); }

/* One row a panel: where it draws this frame (w = 0: nowhere) and how. Its key is its
 * drawing itself, run in the canvas's hash mode (panels_keys). */
static const struct {
    CanvasBox (*box)(const PanelFrame *f);
    void (*draw)(const PanelFrame *f);
} panel_rows[PANEL_COUNT] = {
    [PANEL_TITLE] = { box_title, paint_title },
    [PANEL_SUBTITLE] = { box_subtitle, paint_subtitle },
    [PANEL_PLOT_DATA] = { box_plot_data, paint_plot_data },
    [PANEL_PLOT_LOSS] = { box_plot_loss, paint_plot_loss },
    [PANEL_PLOT_LR] = { box_plot_lr, paint_plot_lr },
    [PANEL_PLOT_SHARPNESS] = { box_plot_sharpness, paint_plot_sharpness },
    [PANEL_PLOT_GRADNORM] = { box_plot_gradnorm, paint_plot_gradnorm },
    [PANEL_CURVATURE] = { box_curvature, paint_curvature },
    [PANEL_RULE] = { box_rule, paint_rule },
    [PANEL_INTERNALS_KEY] = { box_internals_key, paint_internals_key },
    [PANEL_LEGEND] = { box_legend, paint_legend },
    [PANEL_STATUS] = { box_status, paint_status },
    [PANEL_MESSAGE] = { box_message, paint_message },
    [PANEL_NOTES] = { box_notes, paint_notes },
    [PANEL_INPUT] = { box_input, paint_input },
    [PANEL_PALETTE] = { box_palette, paint_palette },
    [PANEL_HELP] = { box_help, paint_help },
    [PANEL_CAPTION] = { box_caption, paint_caption },
};

static CanvasBox panel_box(const PanelFrame *f, int i)
{
    const CanvasBox b = panel_rows[i].box(f);
    return b.w > 0 && b.h > 0 ? b : (CanvasBox){ 0, 0, 0, 0 };
}

/* A panel's key: its box and scale (the text's size), then every drawing call its drawing
 * makes, as the canvas's hash mode folds them in. Whatever decides its pixels reaches them
 * through those calls, so no list of what it reads can fall behind what it draws. */
void panels_keys(const Paint *p, const Session *ses, const Layout *l, const DrawOptions *o, PanelKeys *out)
{
    const PanelFrame f = { p, ses, l, o };
    CanvasLog *log = p->log;
    if (log)
        log->ncalls = 0, log->used = 0;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < PANEL_COUNT; i++) {
        out->box[i] = panel_box(&f, i);
        if (out->box[i].w <= 0)
            continue;
        uint64_t h = hash_int(HASH_START, i);
        h = hash_bytes(h, &out->box[i], sizeof out->box[i]);
        h = hash_double(h, p->s);
        if (log)
            log->lost = 0;
        out->from[i] = log ? log->ncalls : 0;
        p->c->hash = &h;
        p->c->log = log;
        panel_rows[i].draw(&f);
        p->c->hash = NULL;
        p->c->log = NULL;
        out->key[i] = h;
        out->to[i] = log ? log->ncalls : 0;
        out->logged[i] = log && !log->lost;
    }
}

/* Calls noted in hash mode, drawn now as they were made: a changed panel is drawn without
 * computing it twice. */
static void replay(const Paint *p, const CanvasCall *k, int n)
{
    const unsigned char *pool = p->log->pool;
    for (int i = 0; i < n; i++, k++) {
        const double *v = k->v;
        if (k->kind == CANVAS_CALL_RECT)
            canvas_rect(p->c, (int)v[0], (int)v[1], (int)v[2], (int)v[3], k->col);
        else if (k->kind == CANVAS_CALL_LINE)
            canvas_line(p->c, v[0], v[1], v[2], v[3], v[4], k->col);
        else if (k->kind == CANVAS_CALL_POLYLINE && k->n > 0)
            canvas_polyline(p->c, (const float *)(const void *)(pool + k->at), k->n, v[1], k->col);
        else if (k->kind == CANVAS_CALL_DISC)
            canvas_disc(p->c, v[0], v[1], v[2], k->col);
        else if (k->kind == CANVAS_CALL_RING)
            canvas_ring(p->c, v[0], v[1], v[2], v[3], k->col);
        else if (k->kind == CANVAS_CALL_TEXT)
            text_draw(p->tx, p->c, (FontId)v[0], (int)v[1], (int)v[2], k->col, (const char *)(pool + k->at));
    }
}

void panels_draw_one(const Paint *p, const Session *ses, const Layout *l, const DrawOptions *o, const PanelKeys *keys,
                     PanelId id)
{
    if (p->log && keys->logged[id]) {
        replay(p, p->log->calls + keys->from[id], keys->to[id] - keys->from[id]);
        return;
    }
    const PanelFrame f = { p, ses, l, o };
    panel_rows[id].draw(&f);
}
