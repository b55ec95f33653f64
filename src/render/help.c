/* The help over the picture, and the palette (Ctrl+K) listing the actions its search finds: the key table's lines grouped by topic, flowed into columns
 * and pages, each description wrapped to its column so none is cut. Measuring and drawing
 * are one walk, so what the dump reports is what is drawn. */
#include "panel_parts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../session/keys.h"

#define HELP_COLUMNS_MAX 3
#define HELP_KEYS_SHARE 0.3 /* at most this much of a column for the keys */
#define HELP_DESC_EMS 8      /* a description gets at least this many line heights of width */

/* Markdown's backticks in the key table are not for the screen. */
static void strip_backticks(char *s)
{
    char *out = s;
    for (; *s; s++)
        if (*s != '`')
            *out++ = *s;
    *out = '\0';
}

/* One walk of the help: where things go, and (when `draw`) drawing the page asked for. */
typedef struct {
    const Paint *p;
    int draw, page;
    int bh, pad, gap;         /* a body line, the panel's padding, the space between columns */
    int top, avail;           /* where the columns start, and how tall they may be */
    int x0, colw, kw, ncols;  /* the first column, each column's width, the keys' share */
    int col, y, at;           /* where the walk is: column, height used in it, page */
    int tallest;              /* on the page asked for: its tallest column */
    HelpFit fit;
} Walk;

static int wrap(Walk *w, FontId font, const char *text, int x, int y, int room, Rgba col, int *cut)
{
    return panels_wrap(w->p, font, text, x, y, room, w->bh, col, w->draw, cut);
}

/* The next column, or the first of the next page. */
static void next_column(Walk *w)
{
    w->col++;
    w->y = 0;
    if (w->col == w->ncols)
        w->col = 0, w->at++;
}

static int on_page(const Walk *w)
{
    return w->draw && w->at == w->page;
}

static int column_x(const Walk *w)
{
    return w->x0 + w->col * (w->colw + w->gap);
}

static void grow(Walk *w)
{
    if (w->at == w->page && w->y > w->tallest)
        w->tallest = w->y;
}

/* Help line i at (x, y): the keys in bold, the description beside them, both wrapped,
 * drawn when `draw`; returns its height. */
static int row_wrap(Walk *w, int i, int x, int y, int draw, int *cut)
{
    char keys[160], what[320];
    const char *text;
    keys_help_line(i, keys, sizeof keys, &text);
    snprintf(what, sizeof what, "%s", text);
    strip_backticks(keys);
    strip_backticks(what);
    const int was = w->draw;
    w->draw = draw;
    const int a = wrap(w, FONT_BOLD, keys, x, y, w->kw, w->p->pal->text, cut);
    const int b = wrap(w, FONT_BODY, what, x + w->kw + w->pad, y, w->colw - w->kw - w->pad, w->p->pal->text_dim, cut);
    w->draw = was;
    return (a > b ? a : b) * w->bh;
}

/* Help line i in its place on the walk. */
static void help_row(Walk *w, int i)
{
    int cut = 0;
    w->y += row_wrap(w, i, column_x(w), w->top + w->y, on_page(w), &cut);
    if (w->at == w->page)
        w->fit.rows++, w->fit.cut += cut > 0;
    grow(w);
}

/* Help line i's height in its column. */
static int row_height(Walk *w, int i)
{
    int cut = 0;
    return row_wrap(w, i, 0, 0, 0, &cut);
}

static void topic_heading(Walk *w, KeyTopic t, const char *more)
{
    char line[96];
    snprintf(line, sizeof line, "%s%s", keys_topic_names[t], more);
    if (on_page(w))
        text_draw(w->p->tx, w->p->c, FONT_BOLD, column_x(w), w->top + w->y, w->p->pal->runs[0], line);
    w->y += w->bh + w->pad / 2;
}

/* A topic: its heading kept with its first line, then its lines, a column further when full. */
static void help_topic(Walk *w, KeyTopic t)
{
    const int n = keys_help_lines(), head = w->bh + w->pad / 2;
    int first = -1;
    for (int i = 0; i < n && first < 0; i++)
        if (keys_help_topic(i) == t)
            first = i;
    if (first < 0)
        return;
    if (w->y > 0 && w->y + w->pad / 2 + head + row_height(w, first) > w->avail)
        next_column(w);
    if (w->y > 0)
        w->y += w->pad / 2;
    topic_heading(w, t, "");
    for (int i = first; i < n; i++) {
        if (keys_help_topic(i) != t)
            continue;
        if (w->y > 0 && w->y + row_height(w, i) > w->avail) {
            next_column(w);
            topic_heading(w, t, " (continued)");
        }
        help_row(w, i);
    }
}

/* The widest keys of any line, bold. */
static int keys_widest(const Paint *p)
{
    char keys[160];
    const char *what;
    int kw = 0;
    for (int i = 0; i < keys_help_lines(); i++) {
        keys_help_line(i, keys, sizeof keys, &what);
        strip_backticks(keys);
        kw = panels_max_int(kw, text_width(p->tx, FONT_BOLD, keys));
    }
    return kw;
}

/* Every topic from the first column of the first page. */
static void walk_all(Walk *w)
{
    w->col = w->y = w->at = 0;
    w->tallest = 0;
    memset(&w->fit, 0, sizeof w->fit);
    for (int t = 0; t < TOPIC_COUNT; t++)
        help_topic(w, (KeyTopic)t);
    w->fit.pages = w->at + (w->y > 0 || w->col > 0 ? 1 : 0);
    if (w->fit.pages < 1)
        w->fit.pages = 1;
}

static Walk walk_columns(const Paint *p, CanvasBox box, int page, int ncols, int widest)
{
    Walk w;
    memset(&w, 0, sizeof w);
    w.p = p;
    w.page = page;
    w.bh = text_height(p->tx, FONT_BODY);
    w.pad = (int)(theme_size.help_pad * p->s);
    w.gap = 2 * w.pad;
    w.top = box.y + w.pad + text_height(p->tx, FONT_TITLE) + w.pad / 2;
    w.avail = box.y + box.h - w.top - w.bh - w.pad; /* the footer's line below */
    if (w.avail < w.bh)
        w.avail = w.bh;
    w.x0 = box.x + w.pad;
    w.ncols = ncols;
    w.colw = (box.w - 2 * w.pad - (ncols - 1) * w.gap) / ncols;
    w.kw = widest < (int)(w.colw * HELP_KEYS_SHARE) ? widest : (int)(w.colw * HELP_KEYS_SHARE);
    return w;
}

/* The fewest pages, in as few columns as give them, each leaving its descriptions a
 * readable width. */
static Walk walk_new(const Paint *p, CanvasBox box, int page)
{
    const int widest = keys_widest(p);
    Walk best = walk_columns(p, box, page, 1, widest);
    walk_all(&best);
    for (int n = 2; n <= HELP_COLUMNS_MAX; n++) {
        Walk w = walk_columns(p, box, page, n, widest);
        if (w.colw - w.kw - w.pad < HELP_DESC_EMS * w.bh)
            break;
        walk_all(&w);
        if (w.fit.pages < best.fit.pages)
            best = w;
    }
    return best;
}

void panels_help_fit(const Paint *p, CanvasBox box, int page, HelpFit *out)
{
    Walk w = walk_new(p, box, page);
    walk_all(&w);
    if (page >= w.fit.pages) {
        w.page = w.fit.pages - 1;
        walk_all(&w);
    }
    *out = w.fit;
}

void panels_help_draw(const Paint *p, CanvasBox box, int page)
{
    HelpFit fit;
    panels_help_fit(p, box, page, &fit);
    Walk w = walk_new(p, box, page < fit.pages ? page : fit.pages - 1);
    walk_all(&w);
    /* The panel as tall as its tallest column, under the title and above the footer. */
    const int h = fit.pages > 1 ? box.h : panels_max_int(0, w.top - box.y) + w.tallest + w.bh + 2 * w.pad;
    const int y = box.y + (box.h - (h < box.h ? h : box.h)) / 2, shift = y - box.y;
    Rgba panel = p->pal->panel;
    panel.a = theme_size.help_alpha;
    canvas_rect(p->c, box.x, y, box.w, h < box.h ? h : box.h, panel);
    canvas_rect_outline(p->c, box.x, y, box.w, h < box.h ? h : box.h, (int)fmax(1, p->s), p->pal->panel_edge);
    text_draw(p->tx, p->c, FONT_TITLE, box.x + w.pad, y + w.pad, p->pal->text, "Keys");
    w.top += shift;
    w.draw = 1;
    walk_all(&w);
    char foot[128];
    if (fit.pages > 1)
        snprintf(foot, sizeof foot, "page %d/%d  \xc2\xb7  H or Page Down: next page, Page Up: back  \xc2\xb7  Esc closes",
                 w.page + 1, fit.pages);
    else
        snprintf(foot, sizeof foot, "H or Esc closes");
    panels_text_in(p, FONT_BODY, box.x + w.pad, y + (h < box.h ? h : box.h) - w.pad - w.bh, box.w - 2 * w.pad,
                   p->pal->text_dim, foot);
}

/* The palette: the actions the search finds, the chosen one highlighted and kept in sight,
 * each with its keys and what it does. */
void panels_palette_draw(const Paint *p, CanvasBox box, const char *query, int chosen)
{
    const int pad = (int)(theme_size.help_pad * p->s) / 2, bh = text_height(p->tx, FONT_BODY);
    const int row = bh + pad, rows = (box.h - pad) / row > 1 ? (box.h - pad) / row : 1;
    const int n = keys_palette_count(query), first = chosen >= rows ? chosen - rows + 1 : 0;
    /* Only as tall as what it lists, above the input line, so the map shows above it. */
    const int used = (n < rows ? (n > 1 ? n : 1) : rows) * row + pad;
    if (used < box.h)
        box.y += box.h - used, box.h = used;
    Rgba panel = p->pal->panel;
    panel.a = theme_size.help_alpha;
    canvas_rect(p->c, box.x, box.y, box.w, box.h, panel);
    canvas_rect_outline(p->c, box.x, box.y, box.w, box.h, (int)fmax(1, p->s), p->pal->panel_edge);
    if (n == 0) {
        panels_text_in(p, FONT_BODY, box.x + pad, box.y + pad, box.w - 2 * pad, p->pal->text_dim,
                       "no action has that in its keys or description");
        return;
    }
    const int widest = keys_widest(p), kw = widest + 2 * pad < (box.w - 2 * pad) * 3 / 10 ? widest + 2 * pad
                                                                                        : (box.w - 2 * pad) * 3 / 10;
    for (int k = first; k < n && k < first + rows; k++) {
        char keys[160], what[320];
        const char *text;
        keys_help_line(keys_palette_find(query, k), keys, sizeof keys, &text);
        snprintf(what, sizeof what, "%s", text);
        strip_backticks(keys);
        strip_backticks(what);
        const int y = box.y + pad / 2 + (k - first) * row;
        if (k == chosen)
            canvas_rect(p->c, box.x + pad / 2, y, box.w - pad, row, p->pal->selection);
        panels_text_in(p, FONT_BOLD, box.x + pad, y + pad / 2, kw - pad, p->pal->text, keys);
        panels_text_in(p, FONT_BODY, box.x + pad + kw, y + pad / 2, box.w - 2 * pad - kw, p->pal->text_dim, what);
    }
}
