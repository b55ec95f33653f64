/* The key table and the mouse gestures (see input.h). */
#include "input.h"

#include "../session/keys.h"

#include <math.h>
#include <signal.h>
#include <unistd.h>

#define DRAG_THRESHOLD 4 /* pixels a press may move and still count as a click */
#define WHEEL_ZOOM 1.2

/* Whether a held key's repeats are ignored: one Delete or Ctrl+Z held down would remove or
 * undo run after run, F5 would open and close the presenter's window. */
static int acts_once(ActionKind kind)
{
    return kind == ACTION_RUN_REMOVE || kind == ACTION_UNDO || kind == ACTION_PRESENTER;
}

/* The key table's row for a key press: the first whose key and Shift state match; with
 * Ctrl held, only a Ctrl row; a repeat only for an action that may repeat. SDL knows keys
 * by the names the table uses ("Space", "Right", "["). */
static Action key_action(const SDL_KeyboardEvent *k)
{
    const int shift = (k->keysym.mod & KMOD_SHIFT) != 0, ctrl = (k->keysym.mod & KMOD_CTRL) != 0;
    for (int i = 0; i < keys_count; i++) {
        const KeyRow *row = &keys_table[i];
        if (!row->key || SDL_GetKeyFromName(row->key) != k->keysym.sym || (row->mod == KEYMOD_CTRL) != ctrl)
            continue;
        if (row->mod == KEYMOD_ANY || row->mod == KEYMOD_CTRL || (row->mod == KEYMOD_SHIFT) == shift)
            return (Action){ .kind = k->repeat && acts_once(row->action) ? ACTION_NONE : row->action, .arg = row->arg };
    }
    return (Action){ .kind = ACTION_NONE };
}

Action input_translate(const SDL_Event *e, Mouse *m, double scale_x, double scale_y)
{
    Action a = { .kind = ACTION_NONE };
    switch (e->type) {
    case SDL_KEYDOWN:
        return key_action(&e->key);
    case SDL_QUIT:
        a.kind = ACTION_QUIT;
        a.arg = 1; /* the window closed: not the help's Esc */
        return a;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT || e->button.button == SDL_BUTTON_RIGHT) {
            m->orbit = e->button.button == SDL_BUTTON_RIGHT || (SDL_GetModState() & KMOD_SHIFT) != 0;
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
            a.kind = m->orbit ? ACTION_ORBIT : ACTION_PAN;
            a.x = (e->motion.x - m->last_x) * scale_x;
            a.y = (e->motion.y - m->last_y) * scale_y;
            m->last_x = e->motion.x;
            m->last_y = e->motion.y;
        }
        return a;
    case SDL_MOUSEBUTTONUP:
        if ((e->button.button != SDL_BUTTON_LEFT && e->button.button != SDL_BUTTON_RIGHT) || !m->dragging)
            return a;
        m->dragging = 0;
        if (!m->moved && !m->orbit) {
            a.kind = ACTION_SET_START;
            a.x = (e->button.x + 0.5) * scale_x;
            a.y = (e->button.y + 0.5) * scale_y;
        }
        return a;
    case SDL_MOUSEWHEEL: {
        int mx, my;
#if SDL_VERSION_ATLEAST(2, 26, 0)
        mx = e->wheel.mouseX, my = e->wheel.mouseY; /* where the pointer was when the wheel turned */
#else
        SDL_GetMouseState(&mx, &my);
#endif
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

int input_dragging(const Mouse *m)
{
    return m->dragging && m->moved;
}

/* The input line's keys, by SDL key code; Ctrl+A and Ctrl+E are Home and End. */
static const struct {
    SDL_Keycode key;
    int ctrl;
    EditKey edit;
} edit_keys[] = {
    { SDLK_LEFT, 0, EDIT_LEFT },           { SDLK_RIGHT, 0, EDIT_RIGHT },   { SDLK_HOME, 0, EDIT_HOME },
    { SDLK_END, 0, EDIT_END },             { SDLK_BACKSPACE, 0, EDIT_BACKSPACE }, { SDLK_DELETE, 0, EDIT_DELETE },
    { SDLK_UP, 0, EDIT_HISTORY_PREV },     { SDLK_DOWN, 0, EDIT_HISTORY_NEXT }, { SDLK_a, 1, EDIT_HOME },
    { SDLK_e, 1, EDIT_END },
};

Action input_translate_edit(const SDL_Event *e)
{
    Action a = { .kind = ACTION_NONE };
    if (e->type == SDL_QUIT) {
        a.kind = ACTION_QUIT;
        a.arg = 1; /* the window closed: not the help's Esc */
    } else if (e->type == SDL_TEXTINPUT) {
        a.kind = ACTION_EDIT_TEXT;
        a.text = e->text.text;
    } else if (e->type == SDL_KEYDOWN) {
        const SDL_Keycode k = e->key.keysym.sym;
        const int ctrl = (e->key.keysym.mod & KMOD_CTRL) != 0;
        if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
            a.kind = ACTION_EDIT_APPLY;
        } else if (k == SDLK_ESCAPE) {
            a.kind = ACTION_EDIT_CANCEL;
        } else if (k == SDLK_v && ctrl && SDL_HasClipboardText()) {
            a.kind = ACTION_EDIT_TEXT;
            a.text = SDL_GetClipboardText();
            a.arg = INPUT_TEXT_OWNED;
        } else {
            for (size_t i = 0; i < sizeof edit_keys / sizeof edit_keys[0]; i++)
                if (edit_keys[i].key == k && edit_keys[i].ctrl == ctrl)
                    return (Action){ .kind = ACTION_EDIT_KEY, .arg = (int)edit_keys[i].edit };
        }
    }
    return a;
}

/* SIGTERM, SIGINT and a hang-up only raise a flag the frame loop reads. SDL's own handlers
 * (off: SDL_HINT_NO_SIGNAL_HANDLERS) push the quit event from inside the signal, which sends
 * an X client message to a window from wherever the program was, even one being closed:
 * the X server's BadWindow then ends the program with status 1 instead of a clean quit. */
static volatile sig_atomic_t quit_signal;

static void ask_quit(int sig)
{
    (void)sig;
    quit_signal = 1;
}

void input_quit_on_signals(void)
{
    struct sigaction old, sa = { .sa_handler = ask_quit };
    sigemptyset(&sa.sa_mask);
    const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN) /* nohup stays nohup */
            sigaction(sigs[i], &sa, NULL);
}

int input_quit_signalled(void)
{
    return quit_signal != 0;
}
