/* The help fits: at the classroom sizes (1280x720 and 1024x768, font scale 1.5) in both
 * themes no key line is cut and every one is on some page; H pages it and closes it after
 * its last page, Page Down and Page Up page it, Esc closes it without quitting. The palette
 * (Ctrl+K) filters, runs and closes, and it, E's formula and ='s value are one input line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/platform/app.h"
#include "../src/platform/input.h"
#include "../src/render/draw.h"
#include "../src/session/keys.h"
#include "../src/session/session.h"
#include "check.h"

static Effects apply(Session *ses, ActionKind kind, int arg)
{
    const Action a = { .kind = kind, .arg = arg };
    return session_apply(ses, &a);
}

/* Every page at one size and theme: no line cut, the lines of all pages adding up to the
 * key table's. */
static void check_fits(int w, int h, double font, const char *theme)
{
    char err[256];
    Config *c = malloc(sizeof *c);
    Session *ses = calloc(1, sizeof *ses);
    char *argv[] = { "optiscope", "--theme", (char *)theme, NULL };
    config_defaults(c);
    CHECK(config_parse_args(c, 3, argv, NULL, err, sizeof err) == 0 && config_finish(c, err, sizeof err) == 0,
          "config: %s", err);
    Draw *d = app_prepare(ses, c, w, h, font, 1, err, sizeof err);
    CHECK(d != NULL, "%dx%d: %s", w, h, err);
    if (!d)
        goto done;
    apply(ses, ACTION_HELP, 0);
    CHECK(ses->show_help && ses->help_pages >= 1, "%dx%d %s: H opens the help (pages %d)", w, h, theme,
          ses->help_pages);
    int rows = 0, pages = ses->help_pages;
    for (int page = 0; page < pages; page++) {
        HelpFit fit;
        draw_help_fit(d, ses, 1, &fit);
        CHECK(ses->help_page == page, "%dx%d %s: H turned to page %d, not %d", w, h, theme, ses->help_page + 1,
              page + 1);
        CHECK(fit.cut == 0, "%dx%d font %.1f %s: %d lines cut on page %d/%d", w, h, font, theme, fit.cut, page + 1,
              fit.pages);
        CHECK(fit.rows > 0, "%dx%d %s: page %d/%d is empty", w, h, theme, page + 1, fit.pages);
        rows += fit.rows;
        const DrawOptions o = { .live = 1 };
        CHECK(draw_frame(d, ses, &o, err, sizeof err) == 0, "frame with help: %s", err);
        apply(ses, ACTION_HELP, 0);
    }
    CHECK(rows == keys_help_lines(), "%dx%d %s: %d key lines on the pages, the table has %d", w, h, theme, rows,
          keys_help_lines());
    CHECK(!ses->show_help, "%dx%d %s: H after the last page closes the help", w, h, theme);
    printf("  help at %dx%d font %.1f %s: %d pages\n", w, h, font, theme, pages);
    draw_free(d);
done:
    free(c);
    session_free(ses);
}

/* Page Down and Page Up page the open help (and turn no scene); Esc closes it; closing
 * the window still quits. */
static void check_keys(void)
{
    char err[256];
    Config *c = malloc(sizeof *c);
    Session *ses = calloc(1, sizeof *ses);
    config_defaults(c);
    CHECK(config_finish(c, err, sizeof err) == 0, "config: %s", err);
    Draw *d = app_prepare(ses, c, 1024, 768, 1.5, 1, err, sizeof err);
    CHECK(d != NULL, "%s", err);
    if (!d)
        goto done;
    apply(ses, ACTION_HELP, 0);
    CHECK(ses->help_pages > 1, "1024x768 at 1.5 takes more than one page of help (%d)", ses->help_pages);
    apply(ses, ACTION_SCENE_NEXT, 0);
    CHECK(ses->help_page == 1 && ses->show_help, "Page Down turns the help's page (page %d)", ses->help_page + 1);
    for (int i = 0; i < 5; i++)
        apply(ses, ACTION_SCENE_NEXT, 0);
    CHECK(ses->help_page == ses->help_pages - 1, "Page Down stops at the last page (%d)", ses->help_page + 1);
    apply(ses, ACTION_SCENE_PREV, 0);
    CHECK(ses->help_page == ses->help_pages - 2, "Page Up turns back (%d)", ses->help_page + 1);
    Effects fx = apply(ses, ACTION_QUIT, 0);
    CHECK(!ses->show_help && !(fx.flags & EFFECT_QUIT), "Esc closes the help and does not quit");
    fx = apply(ses, ACTION_QUIT, 0);
    CHECK(fx.flags & EFFECT_QUIT, "Esc without the help quits");
    apply(ses, ACTION_HELP, 0);
    fx = apply(ses, ACTION_QUIT, 1);
    CHECK(fx.flags & EFFECT_QUIT, "closing the window quits even with the help open");
    draw_free(d);
done:
    free(c);
    session_free(ses);
}

/* A key press as SDL gives it, held (repeat) or not, through the key table. */
static ActionKind pressed(SDL_Keycode sym, Uint16 mod, int repeat)
{
    SDL_Event e = { .type = SDL_KEYDOWN };
    e.key.keysym.sym = sym;
    e.key.keysym.mod = mod;
    e.key.repeat = (Uint8)repeat;
    Mouse m = { 0 };
    return input_translate(&e, &m, 1, 1).kind;
}

/* A + key of its own adds a run; held down, Delete, Ctrl+Z and F5 act once, other keys on. */
static void check_key_rows(void)
{
    CHECK(pressed(SDLK_PLUS, KMOD_NONE, 0) == ACTION_RUN_ADD, "the + key adds a run");
    CHECK(pressed(SDLK_DELETE, KMOD_NONE, 0) == ACTION_RUN_REMOVE && pressed(SDLK_DELETE, KMOD_NONE, 1) == ACTION_NONE,
          "Delete removes, its repeats do not");
    CHECK(pressed(SDLK_z, KMOD_LCTRL, 0) == ACTION_UNDO && pressed(SDLK_z, KMOD_LCTRL, 1) == ACTION_NONE,
          "Ctrl+Z undoes, its repeats do not");
    CHECK(pressed(SDLK_F5, KMOD_NONE, 0) == ACTION_PRESENTER && pressed(SDLK_F5, KMOD_NONE, 1) == ACTION_NONE,
          "F5 opens the presenter's screen, its repeats do not");
    CHECK(pressed(SDLK_RIGHT, KMOD_NONE, 1) == ACTION_STEP && pressed(SDLK_UP, KMOD_NONE, 1) == ACTION_LR_UP,
          "held arrows go on");
}

static Effects type(Session *ses, const char *text)
{
    const Action a = { .kind = ACTION_EDIT_TEXT, .text = text };
    return session_apply(ses, &a);
}

/* The palette: Ctrl+K opens it with every action a key runs; typing filters over keys and
 * descriptions; Down chooses; Enter runs the action as its key would; Esc closes it. */
static void check_palette(void)
{
    char err[256];
    Config *c = malloc(sizeof *c);
    Session *ses = calloc(1, sizeof *ses);
    config_defaults(c);
    CHECK(config_finish(c, err, sizeof err) == 0, "config: %s", err);
    CHECK(session_init(ses, c, 0, 0, 800, 600, err, sizeof err) == 0, "session: %s", err);
    Effects fx = apply(ses, ACTION_EDIT_OPEN, EDIT_FOR_PALETTE);
    CHECK(ses->edit.open && ses->edit.purpose == EDIT_FOR_PALETTE && ses->edit.text[0] == '\0' &&
              (fx.flags & EFFECT_EDIT),
          "Ctrl+K opens an empty search with text input on");
    const int all = keys_palette_count("");
    CHECK(all == keys_help_lines() - 2, "the palette lists %d actions, want every key line but click and drag (%d)",
          all, keys_help_lines() - 2);
    type(ses, "theme");
    CHECK(keys_palette_count(ses->edit.text) == 1, "\"theme\" finds %d actions, want 1 (T)",
          keys_palette_count(ses->edit.text));
    const Theme was = ses->theme;
    fx = apply(ses, ACTION_EDIT_APPLY, 0);
    CHECK(ses->theme != was && !ses->edit.open && (fx.flags & EFFECT_EDIT), "Enter on \"theme\" turns the theme");
    /* Filtering is by description too, in any case; Down picks the second found. */
    apply(ses, ACTION_EDIT_OPEN, EDIT_FOR_PALETTE);
    type(ses, "ON / OFF");
    const int n = keys_palette_count(ses->edit.text);
    CHECK(n > 3, "\"ON / OFF\" finds %d actions", n);
    apply(ses, ACTION_EDIT_KEY, EDIT_HISTORY_NEXT);
    CHECK(ses->edit.chosen == 1, "Down chooses the second action (%d)", ses->edit.chosen);
    const Action second = keys_line_action(keys_palette_find(ses->edit.text, 1));
    const unsigned shown = ses->shown;
    apply(ses, ACTION_EDIT_APPLY, 0);
    CHECK(second.kind == ACTION_TOGGLE_ARROWS && (ses->shown ^ shown) == SHOW_ARROWS,
          "Enter on the second \"on / off\" (G) toggled %#x, not the gradient arrows", ses->shown ^ shown);
    /* Esc closes it and runs nothing; a search that finds nothing runs nothing. */
    apply(ses, ACTION_EDIT_OPEN, EDIT_FOR_PALETTE);
    type(ses, "quit");
    fx = apply(ses, ACTION_EDIT_CANCEL, 0);
    CHECK(!ses->edit.open && !(fx.flags & EFFECT_QUIT), "Esc closes the palette without running its action");
    apply(ses, ACTION_EDIT_OPEN, EDIT_FOR_PALETTE);
    type(ses, "no such action");
    fx = apply(ses, ACTION_EDIT_APPLY, 0);
    CHECK(!ses->edit.open && fx.flags == (EFFECT_LAYOUT | EFFECT_EDIT), "Enter on nothing found only closes");
    free(c);
    session_free(ses);
}

/* Opens the one input line for `purpose`, clears it, types `text` and presses Enter. */
static void enter_line(Session *ses, int purpose, const char *text)
{
    apply(ses, ACTION_EDIT_OPEN, purpose);
    while (ses->edit.text[0])
        apply(ses, ACTION_EDIT_KEY, EDIT_BACKSPACE);
    type(ses, text);
    apply(ses, ACTION_EDIT_APPLY, 0);
}

/* One input line: E's formula and ='s value are the same editor, each browsing only its own
 * lines of the history. */
static void check_one_line(void)
{
    char err[256];
    Config *c = malloc(sizeof *c);
    Session *ses = calloc(1, sizeof *ses);
    config_defaults(c);
    CHECK(config_finish(c, err, sizeof err) == 0, "config: %s", err);
    CHECK(session_init(ses, c, 0, 0, 800, 600, err, sizeof err) == 0, "session: %s", err);
    enter_line(ses, EDIT_FOR_FORMULA, "x^2 + y^2");
    CHECK(ses->has_typed && !ses->edit.open, "E: the formula applied");
    enter_line(ses, EDIT_FOR_VALUE, "lr = 0.5");
    CHECK(!ses->edit.open && ses->sim.runs[ses->selected].opt.v[0] == 0.5, "=: lr = 0.5 set (%g)",
          ses->sim.runs[ses->selected].opt.v[0]);
    apply(ses, ACTION_EDIT_OPEN, EDIT_FOR_FORMULA);
    apply(ses, ACTION_EDIT_KEY, EDIT_HISTORY_PREV);
    CHECK(strcmp(ses->edit.text, "x^2 + y^2") == 0, "Up in E's line brings back the formula, not '%s'", ses->edit.text);
    apply(ses, ACTION_EDIT_KEY, EDIT_HISTORY_PREV);
    CHECK(strcmp(ses->edit.text, "x^2 + y^2") == 0, "Up again in E's line stays on its one formula: '%s'",
          ses->edit.text);
    apply(ses, ACTION_EDIT_CANCEL, 0);
    apply(ses, ACTION_EDIT_OPEN, EDIT_FOR_VALUE);
    CHECK(ses->edit.purpose == EDIT_FOR_VALUE && strncmp(ses->edit.text, "lr = 0.5", 8) == 0,
          "= opens the same line prefilled with the lr: '%s'", ses->edit.text);
    apply(ses, ACTION_EDIT_KEY, EDIT_HOME);
    apply(ses, ACTION_EDIT_KEY, EDIT_DELETE);
    CHECK(ses->edit.text[0] == 'r' && ses->edit.cursor == 0, "Home and Delete edit the value line: '%s'",
          ses->edit.text);
    apply(ses, ACTION_EDIT_KEY, EDIT_HISTORY_PREV);
    CHECK(strcmp(ses->edit.text, "lr = 0.5") == 0, "Up in ='s line brings back the value, not '%s'", ses->edit.text);
    apply(ses, ACTION_EDIT_CANCEL, 0);
    free(c);
    session_free(ses);
}

void test_help(void)
{
    check_key_rows();
    check_one_line();
    check_palette();
    const char *themes[] = { "dark", "light" };
    for (int t = 0; t < 2; t++) {
        check_fits(1280, 720, 1.5, themes[t]);
        check_fits(1024, 768, 1.5, themes[t]);
    }
    check_fits(1920, 1080, 1, "dark");
    check_fits(800, 600, 2, "dark");
    check_keys();
}
