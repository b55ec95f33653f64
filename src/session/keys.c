/* Every key and gesture with its action and its help text (see keys.h). */
#include "keys.h"

#include <string.h>
#include <strings.h>

#include "../core/roff.h"

#define ARROW_RIGHT "\xe2\x86\x92"
#define ARROW_UP "\xe2\x86\x91"
#define ARROW_DOWN "\xe2\x86\x93"
#define TIMES "\xc3\x97"
#define DIVIDE "\xc3\xb7"
#define MINUS "\xe2\x88\x92"
#define EN_DASH "\xe2\x80\x93"
#define LAMBDA "\xce\xbb"
#define MIDDOT "\xc2\xb7"

const KeyRow keys_table[] = {
    { "Space", KEYMOD_ANY, ACTION_PAUSE, 0, "Space", "pause / resume", TOPIC_TIME },
    { "N", KEYMOD_NONE, ACTION_STEP, 0, "N or " ARROW_RIGHT, "one step (and pause)", TOPIC_TIME },
    { "N", KEYMOD_SHIFT, ACTION_SLOW_STEP, 0, "Shift+N",
      "the next step in slow motion: gradient, moments, scaling, step (half a second each)", TOPIC_TIME },
    { "Right", KEYMOD_ANY, ACTION_STEP, 0, NULL, NULL, TOPIC_TIME },
    { ",", KEYMOD_ANY, ACTION_SLOWER, 0, "`,` `.`", "slower / faster simulation (" TIMES "1.5)", TOPIC_TIME },
    { ".", KEYMOD_ANY, ACTION_FASTER, 0, NULL, NULL, TOPIC_TIME },
    { "Tab", KEYMOD_NONE, ACTION_SELECT_NEXT, 0, "Tab, Shift+Tab or 1" EN_DASH "9",
      "select the next, previous or that run (or click its legend row)", TOPIC_RUNS },
    { "Tab", KEYMOD_SHIFT, ACTION_SELECT_PREV, 0, NULL, NULL, TOPIC_RUNS },
    { "1", KEYMOD_ANY, ACTION_SELECT, 0, NULL, NULL, TOPIC_RUNS },
    { "2", KEYMOD_ANY, ACTION_SELECT, 1, NULL, NULL, TOPIC_RUNS },
    { "3", KEYMOD_ANY, ACTION_SELECT, 2, NULL, NULL, TOPIC_RUNS },
    { "4", KEYMOD_ANY, ACTION_SELECT, 3, NULL, NULL, TOPIC_RUNS },
    { "5", KEYMOD_ANY, ACTION_SELECT, 4, NULL, NULL, TOPIC_RUNS },
    { "6", KEYMOD_ANY, ACTION_SELECT, 5, NULL, NULL, TOPIC_RUNS },
    { "7", KEYMOD_ANY, ACTION_SELECT, 6, NULL, NULL, TOPIC_RUNS },
    { "8", KEYMOD_ANY, ACTION_SELECT, 7, NULL, NULL, TOPIC_RUNS },
    { "9", KEYMOD_ANY, ACTION_SELECT, 8, NULL, NULL, TOPIC_RUNS },
    { "Up", KEYMOD_NONE, ACTION_LR_UP, 0, ARROW_UP " / " ARROW_DOWN,
      "selected run's lr " TIMES " or " DIVIDE " 1.25 (Shift: every run)", TOPIC_RUNS },
    { "Down", KEYMOD_NONE, ACTION_LR_DOWN, 0, NULL, NULL, TOPIC_RUNS },
    { "Up", KEYMOD_SHIFT, ACTION_LR_UP_ALL, 0, NULL, NULL, TOPIC_RUNS },
    { "Down", KEYMOD_SHIFT, ACTION_LR_DOWN_ALL, 0, NULL, NULL, TOPIC_RUNS },
    { "[", KEYMOD_ANY, ACTION_DECAY_DOWN, 0, "`[` / `]`",
      "selected run's decay down / up (its schedule's main parameter)", TOPIC_RUNS },
    { "]", KEYMOD_ANY, ACTION_DECAY_UP, 0, NULL, NULL, TOPIC_RUNS },
    { "D", KEYMOD_NONE, ACTION_SCHEDULE_NEXT, 0, "D",
      "next schedule for the selected run, with its defaults", TOPIC_RUNS },
    { "D", KEYMOD_SHIFT, ACTION_EDIT_OPEN, EDIT_FOR_SCHEDULE, "Shift+D",
      "type a schedule: lr as a formula of t, lr0, lr, loss, prev_loss, gnorm",
      TOPIC_RUNS },
    { "M", KEYMOD_NONE, ACTION_MOMENTUM_UP, 0, "M / Shift+M",
      "momentum (or beta1) +0.05 / " MINUS "0.05", TOPIC_RUNS },
    { "M", KEYMOD_SHIFT, ACTION_MOMENTUM_DOWN, 0, NULL, NULL, TOPIC_RUNS },
    { "O", KEYMOD_ANY, ACTION_OPTIMIZER_NEXT, 0, "O", "next optimizer for the selected run, keeping its lr", TOPIC_RUNS },
    { "V", KEYMOD_ANY, ACTION_TOGGLE_RUN, 0, "V", "hide / show the selected run", TOPIC_RUNS },
    { "F", KEYMOD_NONE, ACTION_FUNCTION_NEXT, 0, "F / Shift+F",
      "next / previous function (back to the scene's own setup)", TOPIC_MAP },
    { "F", KEYMOD_SHIFT, ACTION_FUNCTION_PREV, 0, NULL, NULL, TOPIC_MAP },
    { "R", KEYMOD_NONE, ACTION_RESTART, 0, "R", "restart every run, keeping the hyperparameters", TOPIC_TIME },
    { NULL, KEYMOD_ANY, ACTION_SET_START, 0, "click on the map", "start every run from there", TOPIC_MAP },
    { NULL, KEYMOD_ANY, ACTION_PAN, 0, "drag, wheel", "pan, zoom about the cursor", TOPIC_MAP },
    { "0", KEYMOD_ANY, ACTION_VIEW_RESET, 0, "0", "reset the view (and the 3D view's camera)", TOPIC_MAP },
    { "C", KEYMOD_ANY, ACTION_TOGGLE_CONTOURS, 0, "C", "isolines on / off", TOPIC_MAP },
    { "G", KEYMOD_ANY, ACTION_TOGGLE_ARROWS, 0, "G", "gradient arrows (along " MINUS "\xe2\x88\x87" "f) on / off", TOPIC_MAP },
    { "L", KEYMOD_NONE, ACTION_TOGGLE_PLOTS, 0, "L", "loss and lr plots on / off", TOPIC_SHOW },
    { "K", KEYMOD_ANY, ACTION_LEGEND_CYCLE, 0, "K", "legend full / one line per run / hidden", TOPIC_SHOW },
    { "B", KEYMOD_ANY, ACTION_TOGGLE_COLORBAR, 0, "B", "colour bar on / off", TOPIC_SHOW },
    { "Z", KEYMOD_ANY, ACTION_TOGGLE_BIGPLOT, 0, "Z",
      "big plot: the loss and lr plots large in the map's place, the map small beside them; again: back", TOPIC_SHOW },
    { "X", KEYMOD_ANY, ACTION_TOGGLE_AXIS_LABELS, 0, "X", "axis labels x and y on / off", TOPIC_SHOW },
    { "W", KEYMOD_ANY, ACTION_TOGGLE_FLOAT, 0, "W", "map over the whole window, panels floating on it", TOPIC_SHOW },
    { "I", KEYMOD_ANY, ACTION_TOGGLE_CAPTION, 0, "I", "caption line under the map (function, start, step)", TOPIC_SHOW },
    { "T", KEYMOD_ANY, ACTION_TOGGLE_THEME, 0, "T", "dark / light theme", TOPIC_SHOW },
    { "S", KEYMOD_NONE, ACTION_SCREENSHOT, 1, "S / Shift+S", "save the picture for slides (Shift: at twice the size)", TOPIC_FILES },
    { "S", KEYMOD_SHIFT, ACTION_SCREENSHOT, 2, NULL, NULL, TOPIC_FILES },
    { "R", KEYMOD_SHIFT, ACTION_RECORD, 0, "Shift+R", "start / stop recording an MP4 for slides (a red REC shows while it runs)", TOPIC_FILES },
    { "H", KEYMOD_NONE, ACTION_HELP, 0, "H or F1", "help with these keys, by topic; again: its next page, then closed", TOPIC_WINDOW },
    { "H", KEYMOD_SHIFT, ACTION_NOTES, 0, "Shift+H",
      "the scene's notes for the lecturer, whole, in the message box (again or Esc: gone)", TOPIC_WINDOW },
    { "F5", KEYMOD_ANY, ACTION_PRESENTER, 0, "F5",
      "presenter's screen: a second window with the notes, every run's numbers, the clock; again: closed", TOPIC_WINDOW },
    { "F1", KEYMOD_ANY, ACTION_HELP, 0, NULL, NULL, TOPIC_WINDOW },
    { "Q", KEYMOD_ANY, ACTION_QUIT, 0, "Q or Esc", "quit (with the help or the notes open: close them)", TOPIC_WINDOW },
    { "Escape", KEYMOD_ANY, ACTION_QUIT, 0, NULL, NULL, TOPIC_WINDOW },
    { "J", KEYMOD_NONE, ACTION_TOGGLE_CURVATURE, 0, "J",
      "curvature at the selected run: Hessian axes, lr" MIDDOT LAMBDA "max", TOPIC_MAP },
    { "A", KEYMOD_ANY, ACTION_TOGGLE_SHARPNESS, 0, "A",
      "sharpness and gradient-norm plots on / off", TOPIC_SHOW },
    { "L", KEYMOD_SHIFT, ACTION_TOGGLE_DATA, 0, "Shift+L",
      "data panel on / off: the points and each run's model w" MIDDOT "x + b (linreg, logreg)", TOPIC_SHOW },
    { "Y", KEYMOD_ANY, ACTION_SNAP_OPTIMAL, 0, "Y",
      "quadratic: selected sgd run to the optimal lr (and momentum)", TOPIC_RUNS },
    { "U", KEYMOD_ANY, ACTION_TOGGLE_BASINS, 0, "U",
      "basin map of the selected run's settings", TOPIC_MAP },
    { "J", KEYMOD_SHIFT, ACTION_INTERNALS_RUNS, 0, "Shift+J",
      "the next step taken apart at the selected run (gradient step, momentum, step, step size); again: at every run; again: off",
      TOPIC_MAP },
    { "/", KEYMOD_ANY, ACTION_TOGGLE_RULE, 0, "/", "the selected run's update rule with this step's numbers",
      TOPIC_SHOW },
    { "P", KEYMOD_ANY, ACTION_SWEEP, 0, "P", "lr sweep: the selected run as 7 runs, lr " TIMES "2 apart", TOPIC_RUNS },
    { "E", KEYMOD_ANY, ACTION_EDIT_OPEN, 0, "E",
      "type the function: Enter applies, Esc cancels, " ARROW_UP " / " ARROW_DOWN " history", TOPIC_MAP },
    { "Left", KEYMOD_ANY, ACTION_STEP_BACK, 0, "\xe2\x86\x90", "one step back (and pause); hold to go on back", TOPIC_TIME },
    { "Home", KEYMOD_ANY, ACTION_REWIND, 0, "Home", "back to step 0 with the hyperparameters as they are", TOPIC_TIME },
    { "L", KEYMOD_CTRL, ACTION_RELOAD, 0, "Ctrl+L", "reload the scene as its file has it now (step 0)", TOPIC_FILES },
    { "S", KEYMOD_CTRL, ACTION_SAVE_SCENE, 0, "Ctrl+S", "save the setup as it is now as a scene file", TOPIC_FILES },
    { "F11", KEYMOD_ANY, ACTION_FULLSCREEN, 0, "F11", "fullscreen on / off", TOPIC_WINDOW },
    { "PageDown", KEYMOD_ANY, ACTION_SCENE_NEXT, 0, "Page Down / Page Up", "next / previous scene of the deck", TOPIC_WINDOW },
    { "PageUp", KEYMOD_ANY, ACTION_SCENE_PREV, 0, NULL, NULL, TOPIC_WINDOW },
    { "K", KEYMOD_CTRL, ACTION_EDIT_OPEN, EDIT_FOR_PALETTE, "Ctrl+K",
      "find any action: type to filter, " ARROW_UP " / " ARROW_DOWN " choose, Enter runs it, Esc closes", TOPIC_WINDOW },
    { "F3", KEYMOD_NONE, ACTION_VIEWS_NEXT, 0, "F3", "the map, the 3D surface, or both side by side", TOPIC_MAP },
    { "F3", KEYMOD_SHIFT, ACTION_HEIGHT_SCALE, 0, "Shift+F3", "3D height: log (as the colour bar) / linear", TOPIC_MAP },
    { "Left", KEYMOD_CTRL, ACTION_ORBIT_LEFT, 0, "Ctrl+\xe2\x86\x90\xe2\x86\x92 / Ctrl+\xe2\x86\x91\xe2\x86\x93",
      "turn the 3D view 15" "\xc2\xb0" " round / tilt it 10" "\xc2\xb0" " (or right-drag or Shift+drag on it; the wheel zooms it)",
      TOPIC_MAP },
    { "Right", KEYMOD_CTRL, ACTION_ORBIT_RIGHT, 0, NULL, NULL, TOPIC_MAP },
    { "Up", KEYMOD_CTRL, ACTION_ORBIT_UP, 0, NULL, NULL, TOPIC_MAP },
    { "Down", KEYMOD_CTRL, ACTION_ORBIT_DOWN, 0, NULL, NULL, TOPIC_MAP },
    { "=", KEYMOD_NONE, ACTION_EDIT_OPEN, EDIT_FOR_VALUE, "=",
      "type a value for the selected run or the function, e.g. lr = 0.2, beta2 = 0.99, b = 20, "
      "label = fast or optimizer = adam:lr=0.1 (Enter sets, Esc cancels)", TOPIC_RUNS },
    { "=", KEYMOD_SHIFT, ACTION_RUN_ADD, 0, "+",
      "add a copy of the selected run, from the start at step 0 (Shift+= or keypad +)", TOPIC_RUNS },
    { "Keypad +", KEYMOD_ANY, ACTION_RUN_ADD, 0, NULL, NULL, TOPIC_RUNS },
    { "+", KEYMOD_ANY, ACTION_RUN_ADD, 0, NULL, NULL, TOPIC_RUNS }, /* layouts with a + key of its own */
    { "Delete", KEYMOD_ANY, ACTION_RUN_REMOVE, 0, "Delete", "remove the selected run (never the last)", TOPIC_RUNS },
    { "Z", KEYMOD_CTRL, ACTION_UNDO, 0, "Ctrl+Z",
      "undo the last edit of the runs: added, removed, optimizer, label or a setting", TOPIC_RUNS },
};

const int keys_count = (int)(sizeof keys_table / sizeof keys_table[0]);

const char *const keys_topic_names[TOPIC_COUNT] = {
    [TOPIC_TIME] = "Time",
    [TOPIC_RUNS] = "The runs",
    [TOPIC_MAP] = "Function and map",
    [TOPIC_SHOW] = "Panels",
    [TOPIC_FILES] = "Slides and files",
    [TOPIC_WINDOW] = "Deck and window",
};

/* The row of the table that starts help line `line`, or -1. */
static int help_row(int line)
{
    for (int i = 0, seen = -1; i < keys_count; i++)
        if (keys_table[i].help && ++seen == line)
            return i;
    return -1;
}

KeyTopic keys_help_topic(int line)
{
    const int i = help_row(line);
    return i >= 0 ? keys_table[i].topic : TOPIC_TIME;
}

int keys_help_lines(void)
{
    int n = 0;
    for (int i = 0; i < keys_count; i++)
        n += keys_table[i].help != NULL;
    return n;
}

void keys_help_line(int line, char *keys, size_t len, const char **what)
{
    const int i = help_row(line);
    size_t used = 0;
    keys[0] = '\0';
    *what = i >= 0 ? keys_table[i].help : "";
    for (int k = i; k >= 0 && k < keys_count && (k == i || !keys_table[k].help); k++) {
        if (!keys_table[k].label || used + 1 >= len)
            continue;
        used += (size_t)snprintf(keys + used, len - used, "%s%s", used ? " / " : "", keys_table[k].label);
    }
}

/* Whether `needle` is in `hay`, ignoring ASCII case. */
static int contains(const char *hay, const char *needle)
{
    const size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return n == 0;
}

int keys_palette_match(int line, const char *query)
{
    const int i = help_row(line);
    if (i < 0 || !keys_table[i].key)
        return 0;
    char keys[160];
    const char *what;
    keys_help_line(line, keys, sizeof keys, &what);
    return contains(keys, query) || contains(what, query);
}

int keys_palette_find(const char *query, int chosen)
{
    for (int line = 0, seen = 0; line < keys_help_lines(); line++)
        if (keys_palette_match(line, query) && seen++ == chosen)
            return line;
    return -1;
}

int keys_palette_count(const char *query)
{
    int n = 0;
    for (int line = 0; line < keys_help_lines(); line++)
        n += keys_palette_match(line, query);
    return n;
}

Action keys_line_action(int line)
{
    const int i = help_row(line);
    if (i < 0 || !keys_table[i].key)
        return (Action){ .kind = ACTION_NONE };
    return (Action){ .kind = keys_table[i].action, .arg = keys_table[i].arg };
}

void keys_markdown(FILE *out)
{
    char keys[160];
    const char *what;
    fputs("| key | does |\n|---|---|\n", out);
    for (int i = 0; i < keys_help_lines(); i++) {
        keys_help_line(i, keys, sizeof keys, &what);
        fprintf(out, "| %s | %s |\n", keys, what);
    }
}

void keys_man(FILE *out)
{
    char keys[160];
    const char *what;
    for (int i = 0; i < keys_help_lines(); i++) {
        keys_help_line(i, keys, sizeof keys, &what);
        fputs(".TP\n.B \"", out);
        roff_text(out, keys);
        fputs("\"\n", out);
        roff_text(out, what);
        fputs("\n", out);
    }
}
