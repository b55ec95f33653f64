/* The presenter's screen (see presenter.h): the scene's title, where the deck goes next, the
 * notes, two lines a run beside its colour and mark, the clock and the last key. */
#include "presenter.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/hash.h"
#include "layout.h"
#include "panel_parts.h"

#define PRESENTER_MARGIN 18 /* points */
#define PRESENTER_GAP 10    /* above a heading */
#define PRESENTER_SHRINK 0.9
#define PRESENTER_LEAST 0.6 /* of the size asked for: below it the last lines are cut */

typedef struct {
    FontId font;
    Rgba col;
    int indent; /* in text heights: a run's lines stand right of its mark */
} LineLook;

static LineLook look(const Paint *p, const PresenterLine *ln)
{
    const Palette *pal = p->pal;
    const int of_run = ln->run >= 0;
    switch (ln->style) {
    case PRESENTER_TITLE: return (LineLook){ FONT_TITLE, pal->text, 0 };
    case PRESENTER_HEADING: return (LineLook){ FONT_BOLD, pal->text, 0 };
    case PRESENTER_NOTE: return (LineLook){ FONT_BODY, pal->text, 0 };
    case PRESENTER_RUN: return (LineLook){ FONT_BOLD, pal->text, 2 };
    case PRESENTER_WARN: return (LineLook){ FONT_BODY, pal->unstable, of_run ? 2 : 0 };
    case PRESENTER_DIM:
    default: return (LineLook){ FONT_BODY, pal->text_dim, of_run ? 2 : 0 };
    }
}

/* Lays the lines out from the top (drawing them when `draw`); returns the height they take. */
static int flow(const Paint *p, const PresenterText *t, int draw)
{
    const int margin = (int)(PRESENTER_MARGIN * p->s), gap = (int)(PRESENTER_GAP * p->s);
    const int room = p->c->w - 2 * margin;
    int y = margin, cut = 0;
    for (int i = 0; i < t->n; i++) {
        const PresenterLine *ln = &t->line[i];
        const LineLook lk = look(p, ln);
        const int h = text_height(p->tx, lk.font), indent = lk.indent * text_height(p->tx, FONT_BODY);
        if (ln->style == PRESENTER_HEADING || (ln->style == PRESENTER_RUN && i > 0))
            y += ln->style == PRESENTER_HEADING ? gap : gap / 2;
        if (draw && ln->style == PRESENTER_RUN) {
            const int r = text_height(p->tx, FONT_BODY) / 3;
            draw_mark(p->c, theme_run_style[ln->run].mark, margin + r + 1, y + h / 2.0, r, fmax(1, p->s),
                      p->pal->runs[ln->run], p->pal->marker_edge);
        }
        y += h * panels_wrap(p, lk.font, ln->text, margin + indent, y, room - indent, h, lk.col, draw, &cut);
    }
    return y + margin;
}

int presenter_resize(PresenterPicture *pp, int w, int h, double s, char *err, size_t errlen)
{
    if (pp->c.w != w || pp->c.h != h) {
        canvas_free(&pp->c);
        if (canvas_init(&pp->c, w, h, err, errlen) < 0)
            return -1;
    }
    pp->s_wanted = pp->s = s;
    if (!pp->tx)
        pp->tx = text_open(s, err, errlen);
    else if (text_resize(pp->tx, s, err, errlen) < 0)
        return -1;
    return pp->tx ? 0 : -1;
}

void presenter_free(PresenterPicture *pp)
{
    canvas_free(&pp->c);
    if (pp->tx)
        text_close(pp->tx);
    memset(pp, 0, sizeof *pp);
}

int presenter_draw(PresenterPicture *pp, const Session *ses, const PresenterText *t, char *err, size_t errlen)
{
    /* Other lines (a scene's notes, runs added or removed) are fitted again from the size
     * asked for; the numbers changing within them are not. */
    uint64_t fit = hash_int(HASH_START, t->n);
    for (int i = 0; i < t->n; i++) {
        const PresenterLine *ln = &t->line[i];
        fit = hash_int(fit, ln->style);
        if (ln->style == PRESENTER_TITLE || ln->style == PRESENTER_NOTE)
            fit = hash_str(fit, ln->text);
    }
    if (fit != pp->fitted && pp->s != pp->s_wanted) {
        pp->s = pp->s_wanted;
        if (text_resize(pp->tx, pp->s, err, errlen) < 0)
            return -1;
    }
    pp->fitted = fit;
    Paint p = { &pp->c, pp->tx, pp->s, theme_palette(ses->theme), NULL, NULL };
    /* Smaller text only while the lines do not fit, down to a floor. */
    while (flow(&p, t, 0) > pp->c.h && pp->s > pp->s_wanted * PRESENTER_LEAST) {
        pp->s = fmax(pp->s * PRESENTER_SHRINK, pp->s_wanted * PRESENTER_LEAST);
        if (text_resize(pp->tx, pp->s, err, errlen) < 0)
            return -1;
        p.s = pp->s;
    }
    canvas_fill(&pp->c, p.pal->background);
    flow(&p, t, 1);
    return 0;
}
