/* The key table and the mouse gestures (see input.h). */
#include "input.h"

#include <math.h>

#define DRAG_THRESHOLD 4 /* pixels a press may move and still count as a click */
#define WHEEL_ZOOM 1.2

typedef struct {
    SDL_Keycode key;
    int shift; /* 1: only with Shift, 0: only without, -1: either */
    ActionKind action;
    int arg;
} Binding;

static const Binding bindings[] = {
    { SDLK_SPACE, -1, ACTION_PAUSE, 0 },
    { SDLK_n, -1, ACTION_STEP, 0 },
    { SDLK_RIGHT, -1, ACTION_STEP, 0 },
    { SDLK_COMMA, -1, ACTION_SLOWER, 0 },
    { SDLK_PERIOD, -1, ACTION_FASTER, 0 },
    { SDLK_TAB, -1, ACTION_SELECT_NEXT, 0 },
    { SDLK_1, -1, ACTION_SELECT, 0 },
    { SDLK_2, -1, ACTION_SELECT, 1 },
    { SDLK_3, -1, ACTION_SELECT, 2 },
    { SDLK_4, -1, ACTION_SELECT, 3 },
    { SDLK_5, -1, ACTION_SELECT, 4 },
    { SDLK_6, -1, ACTION_SELECT, 5 },
    { SDLK_7, -1, ACTION_SELECT, 6 },
    { SDLK_8, -1, ACTION_SELECT, 7 },
    { SDLK_9, -1, ACTION_SELECT, 8 },
    { SDLK_UP, 0, ACTION_LR_UP, 0 },
    { SDLK_DOWN, 0, ACTION_LR_DOWN, 0 },
    { SDLK_UP, 1, ACTION_LR_UP_ALL, 0 },
    { SDLK_DOWN, 1, ACTION_LR_DOWN_ALL, 0 },
    { SDLK_LEFTBRACKET, -1, ACTION_DECAY_DOWN, 0 },
    { SDLK_RIGHTBRACKET, -1, ACTION_DECAY_UP, 0 },
    { SDLK_d, -1, ACTION_SCHEDULE_NEXT, 0 },
    { SDLK_m, 0, ACTION_MOMENTUM_UP, 0 },
    { SDLK_m, 1, ACTION_MOMENTUM_DOWN, 0 },
    { SDLK_o, -1, ACTION_OPTIMIZER_NEXT, 0 },
    { SDLK_v, -1, ACTION_TOGGLE_RUN, 0 },
    { SDLK_f, 0, ACTION_FUNCTION_NEXT, 0 },
    { SDLK_f, 1, ACTION_FUNCTION_PREV, 0 },
    { SDLK_r, 1, ACTION_RECORD, 0 }, /* before R's row, which takes either */
    { SDLK_r, -1, ACTION_RESTART, 0 },
    { SDLK_0, -1, ACTION_VIEW_RESET, 0 },
    { SDLK_c, -1, ACTION_TOGGLE_CONTOURS, 0 },
    { SDLK_g, -1, ACTION_TOGGLE_FIELD, 0 },
    { SDLK_l, -1, ACTION_TOGGLE_PLOTS, 0 },
    { SDLK_t, -1, ACTION_TOGGLE_THEME, 0 },
    { SDLK_h, -1, ACTION_HELP, 0 },
    { SDLK_F1, -1, ACTION_HELP, 0 },
    { SDLK_s, 0, ACTION_SCREENSHOT, 0 },
    { SDLK_s, 1, ACTION_SCREENSHOT_2X, 0 },
    { SDLK_q, -1, ACTION_QUIT, 0 },
    { SDLK_ESCAPE, -1, ACTION_QUIT, 0 },
};

const HelpLine input_help[] = {
    { "Space", "pause / resume" },
    { "N or \xe2\x86\x92", "one step" },
    { ", and .", "slower / faster simulation" },
    { "Tab or 1\xe2\x80\x93" "9", "select a run" },
    { "\xe2\x86\x91 / \xe2\x86\x93", "selected run's lr \xc3\x97 or \xc3\xb7 1.25 (Shift: every run)" },
    { "[ and ]", "selected run's decay down / up" },
    { "D", "next schedule for the selected run" },
    { "M / Shift+M", "momentum (beta1) +0.05 / \xe2\x88\x92" "0.05" },
    { "O", "next optimizer for the selected run" },
    { "V", "hide / show the selected run" },
    { "F / Shift+F", "next / previous function" },
    { "R", "restart every run" },
    { "click", "start every run from there" },
    { "drag, wheel, 0", "pan, zoom, reset the view" },
    { "C  G  L", "contours, gradient arrows, loss and lr plots" },
    { "T", "dark / light theme" },
    { "S / Shift+S", "screenshot PNG (Shift: 2\xc3\x97 for slides)" },
    { "Shift+R", "start / stop recording an MP4" },
    { "H or F1", "this help" },
    { "Q or Esc", "quit" },
};

const int input_help_count = (int)(sizeof input_help / sizeof input_help[0]);

static Action key_action(const SDL_KeyboardEvent *k)
{
    Action a = { ACTION_NONE, 0, 0, 0, 0 };
    const int shift = (k->keysym.mod & KMOD_SHIFT) != 0;
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
        const Binding *b = &bindings[i];
        if (b->key == k->keysym.sym && (b->shift < 0 || b->shift == shift)) {
            a.kind = b->action;
            a.arg = b->arg;
            break;
        }
    }
    return a;
}

Action input_translate(const SDL_Event *e, Mouse *m, double scale_x, double scale_y)
{
    Action a = { ACTION_NONE, 0, 0, 0, 0 };
    switch (e->type) {
    case SDL_KEYDOWN:
        return key_action(&e->key);
    case SDL_QUIT:
        a.kind = ACTION_QUIT;
        return a;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) {
            m->dragging = 1;
            m->moved = 0;
            m->down_x = m->last_x = e->button.x;
            m->down_y = m->last_y = e->button.y;
        }
        return a;
    case SDL_MOUSEMOTION:
        if (!m->dragging)
            return a;
        if (abs(e->motion.x - m->down_x) + abs(e->motion.y - m->down_y) > DRAG_THRESHOLD)
            m->moved = 1;
        if (m->moved) {
            a.kind = ACTION_PAN;
            a.x = (e->motion.x - m->last_x) * scale_x;
            a.y = (e->motion.y - m->last_y) * scale_y;
            m->last_x = e->motion.x;
            m->last_y = e->motion.y;
        }
        return a;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button != SDL_BUTTON_LEFT || !m->dragging)
            return a;
        m->dragging = 0;
        if (!m->moved) {
            a.kind = ACTION_SET_START;
            a.x = (e->button.x + 0.5) * scale_x;
            a.y = (e->button.y + 0.5) * scale_y;
        }
        return a;
    case SDL_MOUSEWHEEL: {
        int mx, my;
        SDL_GetMouseState(&mx, &my);
        const int dy = e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -e->wheel.y : e->wheel.y;
        if (dy == 0)
            return a;
        a.kind = ACTION_ZOOM;
        a.x = (mx + 0.5) * scale_x;
        a.y = (my + 0.5) * scale_y;
        a.factor = pow(WHEEL_ZOOM, dy);
        return a;
    }
    default:
        return a;
    }
}
