/* The input line (see editline.h). Long text scrolls so the cursor stays in sight. */
#include "editline.h"

#include <string.h>

#include "../core/utf8.h"

#define EDIT_PREFIX "f(x, y) = "
#define PALETTE_PREFIX "find an action: "
#define PALETTE_HINT "Enter runs it \xc2\xb7 Esc closes \xc2\xb7 \xe2\x86\x91 \xe2\x86\x93 choose"
#define VALUE_HINT "Enter sets \xc2\xb7 Esc cancels \xc2\xb7 e.g. lr = 0.2, label = fast, optimizer = adam:lr=0.1 \xc2\xb7 \xe2\x86\x91 \xe2\x86\x93 history"
#define SCHEDULE_HINT "of t lr0 lr loss prev_loss gnorm \xc2\xb7 Enter sets \xc2\xb7 Esc cancels \xc2\xb7 \xe2\x86\x91 \xe2\x86\x93 history"
#define EDIT_HINT "Enter applies \xc2\xb7 Esc cancels \xc2\xb7 \xe2\x86\x91 \xe2\x86\x93 history \xc2\xb7 Ctrl+V pastes"

/* The width of text's bytes [from, to). */
static int span_width(Text *tx, const char *text, int from, int to)
{
    char buf[SESSION_EDIT_MAX];
    const int n = to - from;
    if (n <= 0)
        return 0;
    memcpy(buf, text + from, (size_t)n);
    buf[n] = '\0';
    return text_width(tx, FONT_BODY, buf);
}

/* The first byte shown: far enough along that the cursor sits inside room. */
static int first_shown(Text *tx, const char *text, int cursor, int room)
{
    int from = 0;
    while (from < cursor && span_width(tx, text, from, cursor) > room) {
        for (int k = 0; k < 8 && from < cursor; k++) {
            const int n = utf8_length(text + from, strlen(text + from));
            from += n ? n : 1;
        }
    }
    return from;
}

void editline_draw(const Paint *p, const Session *ses, const Layout *l)
{
    const CanvasBox b = l->input;
    const EditLine *e = &ses->edit;
    if (b.w <= 0 || !e->open)
        return;
    const int pad = (int)(theme_size.message_pad * p->s), row = b.h / 2, bh = text_height(p->tx, FONT_BODY);
    const int ty = b.y + (row - bh) / 2;
    canvas_rect(p->c, b.x, b.y, b.w, row, p->pal->panel);
    canvas_rect_outline(p->c, b.x, b.y, b.w, row, p->s > 1 ? (int)p->s : 1, p->pal->panel_edge);
    const int palette = e->purpose == EDIT_FOR_PALETTE;
    char prefix[LABEL_TEXT_MAX + 8], label[LABEL_TEXT_MAX];
    const int for_run = e->purpose == EDIT_FOR_VALUE || e->purpose == EDIT_FOR_SCHEDULE;
    if (for_run && ses->selected < ses->sim.nruns) {
        sim_label(&ses->sim.runs[ses->selected], label, sizeof label);
        snprintf(prefix, sizeof prefix, "%s: %s", label, e->purpose == EDIT_FOR_SCHEDULE ? "lr = " : "");
    } else
        snprintf(prefix, sizeof prefix, "%s", palette ? PALETTE_PREFIX : EDIT_PREFIX);
    text_draw(p->tx, p->c, FONT_BODY, b.x + pad, ty, p->pal->text_dim, prefix);
    const int x0 = b.x + pad + text_width(p->tx, FONT_BODY, prefix);
    const int room = b.x + b.w - pad - x0;
    const int from = first_shown(p->tx, e->text, e->cursor, room - pad);
    char shown[SESSION_EDIT_MAX];
    snprintf(shown, sizeof shown, "%s", e->text + from);
    text_fit(p->tx, FONT_BODY, shown, sizeof shown, room);
    text_draw(p->tx, p->c, FONT_BODY, x0, ty, p->pal->text, shown);
    const int cx = x0 + span_width(p->tx, e->text, from, e->cursor);
    canvas_rect(p->c, cx, ty, p->s > 1 ? (int)p->s : 1, bh, p->pal->text);
    const int ey = b.y + row + (b.h - row - bh) / 2;
    if (!e->error[0]) {
        /* Cut to the box: what is drawn past it would stay when the error replaces it. */
        char hint[160];
        snprintf(hint, sizeof hint, "%s", palette                              ? PALETTE_HINT
                                          : e->purpose == EDIT_FOR_VALUE    ? VALUE_HINT
                                          : e->purpose == EDIT_FOR_SCHEDULE ? SCHEDULE_HINT
                                                                            : EDIT_HINT);
        text_fit(p->tx, FONT_SMALL, hint, sizeof hint, room);
        text_draw(p->tx, p->c, FONT_SMALL, x0, ey, p->pal->text_dim, hint);
        return;
    }
    /* The caret under the error's place (or under the line's start when it has none). */
    const int at = e->error_column > 0 ? e->error_column - 1 : from;
    const int len = (int)strlen(e->text);
    const int ex = at >= from ? x0 + span_width(p->tx, e->text, from, at < len ? at : len) : x0;
    const int caret = text_width(p->tx, FONT_BOLD, "^");
    text_draw(p->tx, p->c, FONT_BOLD, ex - caret / 2, ey, p->pal->badge, "^");
    char why[sizeof e->error];
    snprintf(why, sizeof why, "%s", e->error);
    const int wx = ex + caret, wroom = b.x + b.w - pad - wx;
    text_fit(p->tx, FONT_BODY, why, sizeof why, wroom);
    text_draw(p->tx, p->c, FONT_BODY, wx > x0 ? wx : x0, ey, p->pal->badge, why);
}
