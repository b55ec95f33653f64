/* Every key and gesture with its action and its help text (see keys.h). */
#include "keys.h"

#include <string.h>

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
    { "Space", KEYMOD_ANY, ACTION_PAUSE, 0, "Space", "pause / resume" },
    { "N", KEYMOD_ANY, ACTION_STEP, 0, "N or " ARROW_RIGHT, "one step (and pause)" },
    { "Right", KEYMOD_ANY, ACTION_STEP, 0, NULL, NULL },
    { ",", KEYMOD_ANY, ACTION_SLOWER, 0, "`,` `.`", "slower / faster simulation (" TIMES "1.5)" },
    { ".", KEYMOD_ANY, ACTION_FASTER, 0, NULL, NULL },
    { "Tab", KEYMOD_NONE, ACTION_SELECT_NEXT, 0, "Tab, Shift+Tab or 1" EN_DASH "9",
      "select the next, previous or that run (or click its legend row)" },
    { "Tab", KEYMOD_SHIFT, ACTION_SELECT_PREV, 0, NULL, NULL },
    { "1", KEYMOD_ANY, ACTION_SELECT, 0, NULL, NULL },
    { "2", KEYMOD_ANY, ACTION_SELECT, 1, NULL, NULL },
    { "3", KEYMOD_ANY, ACTION_SELECT, 2, NULL, NULL },
    { "4", KEYMOD_ANY, ACTION_SELECT, 3, NULL, NULL },
    { "5", KEYMOD_ANY, ACTION_SELECT, 4, NULL, NULL },
    { "6", KEYMOD_ANY, ACTION_SELECT, 5, NULL, NULL },
    { "7", KEYMOD_ANY, ACTION_SELECT, 6, NULL, NULL },
    { "8", KEYMOD_ANY, ACTION_SELECT, 7, NULL, NULL },
    { "9", KEYMOD_ANY, ACTION_SELECT, 8, NULL, NULL },
    { "Up", KEYMOD_NONE, ACTION_LR_UP, 0, ARROW_UP " / " ARROW_DOWN,
      "selected run's lr " TIMES " or " DIVIDE " 1.25 (Shift: every run)" },
    { "Down", KEYMOD_NONE, ACTION_LR_DOWN, 0, NULL, NULL },
    { "Up", KEYMOD_SHIFT, ACTION_LR_UP_ALL, 0, NULL, NULL },
    { "Down", KEYMOD_SHIFT, ACTION_LR_DOWN_ALL, 0, NULL, NULL },
    { "[", KEYMOD_ANY, ACTION_DECAY_DOWN, 0, "`[` / `]`",
      "selected run's decay down / up (its schedule's main parameter)" },
    { "]", KEYMOD_ANY, ACTION_DECAY_UP, 0, NULL, NULL },
    { "D", KEYMOD_ANY, ACTION_SCHEDULE_NEXT, 0, "D",
      "next schedule for the selected run, with its defaults" },
    { "M", KEYMOD_NONE, ACTION_MOMENTUM_UP, 0, "M / Shift+M",
      "momentum (or beta1) +0.05 / " MINUS "0.05" },
    { "M", KEYMOD_SHIFT, ACTION_MOMENTUM_DOWN, 0, NULL, NULL },
    { "O", KEYMOD_ANY, ACTION_OPTIMIZER_NEXT, 0, "O", "next optimizer for the selected run, keeping its lr" },
    { "V", KEYMOD_ANY, ACTION_TOGGLE_RUN, 0, "V", "hide / show the selected run" },
    { "F", KEYMOD_NONE, ACTION_FUNCTION_NEXT, 0, "F / Shift+F",
      "next / previous function (back to the scene's own setup)" },
    { "F", KEYMOD_SHIFT, ACTION_FUNCTION_PREV, 0, NULL, NULL },
    { "R", KEYMOD_NONE, ACTION_RESTART, 0, "R", "restart every run, keeping the hyperparameters" },
    { NULL, KEYMOD_ANY, ACTION_SET_START, 0, "click on the map", "start every run from there" },
    { NULL, KEYMOD_ANY, ACTION_PAN, 0, "drag, wheel", "pan, zoom about the cursor" },
    { "0", KEYMOD_ANY, ACTION_VIEW_RESET, 0, "0", "reset the view" },
    { "C", KEYMOD_ANY, ACTION_TOGGLE_CONTOURS, 0, "C", "isolines on / off" },
    { "G", KEYMOD_ANY, ACTION_TOGGLE_ARROWS, 0, "G", "gradient arrows (along " MINUS "\xe2\x88\x87" "f) on / off" },
    { "L", KEYMOD_ANY, ACTION_TOGGLE_PLOTS, 0, "L", "loss and lr plots on / off" },
    { "K", KEYMOD_ANY, ACTION_LEGEND_CYCLE, 0, "K", "legend full / one line per run / hidden" },
    { "B", KEYMOD_ANY, ACTION_TOGGLE_COLORBAR, 0, "B", "colour bar on / off" },
    { "X", KEYMOD_ANY, ACTION_TOGGLE_AXIS_LABELS, 0, "X", "axis labels x and y on / off" },
    { "W", KEYMOD_ANY, ACTION_TOGGLE_FLOAT, 0, "W", "map over the whole window, panels floating on it" },
    { "I", KEYMOD_ANY, ACTION_TOGGLE_CAPTION, 0, "I", "caption line under the map (function, start, step)" },
    { "T", KEYMOD_ANY, ACTION_TOGGLE_THEME, 0, "T", "dark / light theme" },
    { "S", KEYMOD_NONE, ACTION_SCREENSHOT, 1, "S / Shift+S", "save the picture for slides (Shift: at twice the size)" },
    { "S", KEYMOD_SHIFT, ACTION_SCREENSHOT, 2, NULL, NULL },
    { "R", KEYMOD_SHIFT, ACTION_RECORD, 0, "Shift+R", "start / stop recording an MP4 for slides (a red REC shows while it runs)" },
    { "H", KEYMOD_ANY, ACTION_HELP, 0, "H or F1", "help with these keys" },
    { "F1", KEYMOD_ANY, ACTION_HELP, 0, NULL, NULL },
    { "Q", KEYMOD_ANY, ACTION_QUIT, 0, "Q or Esc", "quit" },
    { "Escape", KEYMOD_ANY, ACTION_QUIT, 0, NULL, NULL },
    { "J", KEYMOD_ANY, ACTION_TOGGLE_CURVATURE, 0, "J",
      "curvature at the selected run: Hessian axes, lr" MIDDOT LAMBDA "max" },
    { "A", KEYMOD_ANY, ACTION_TOGGLE_SHARPNESS, 0, "A",
      "sharpness and gradient-norm plots on / off" },
    { "Y", KEYMOD_ANY, ACTION_SNAP_OPTIMAL, 0, "Y",
      "quadratic: selected sgd run to the optimal lr (and momentum)" },
    { "U", KEYMOD_ANY, ACTION_TOGGLE_BASINS, 0, "U",
      "basin map of the selected run's settings" },
    { "P", KEYMOD_ANY, ACTION_SWEEP, 0, "P", "lr sweep: the selected run as 7 runs, lr " TIMES "2 apart" },
    { "E", KEYMOD_ANY, ACTION_EDIT_OPEN, 0, "E",
      "type the function: Enter applies, Esc cancels, " ARROW_UP " / " ARROW_DOWN " history" },
    { "Left", KEYMOD_ANY, ACTION_STEP_BACK, 0, "\xe2\x86\x90", "one step back (and pause); hold to go on back" },
    { "Home", KEYMOD_ANY, ACTION_REWIND, 0, "Home", "back to step 0 with the hyperparameters as they are" },
    { "L", KEYMOD_CTRL, ACTION_RELOAD, 0, "Ctrl+L", "reload the scene as its file has it now (step 0)" },
    { "S", KEYMOD_CTRL, ACTION_SAVE_SCENE, 0, "Ctrl+S", "save the setup as it is now as a scene file" },
    { "F11", KEYMOD_ANY, ACTION_FULLSCREEN, 0, "F11", "fullscreen on / off" },
    { "PageDown", KEYMOD_ANY, ACTION_SCENE_NEXT, 0, "Page Down / Page Up", "next / previous scene of the deck" },
    { "PageUp", KEYMOD_ANY, ACTION_SCENE_PREV, 0, NULL, NULL },
    { "=", KEYMOD_ANY, ACTION_TYPE_OPEN, 0, "=",
      "type a value for the selected run, e.g. lr = 0.2 or beta2 = 0.99 (Enter sets, Esc cancels)" },
};

const int keys_count = (int)(sizeof keys_table / sizeof keys_table[0]);

int keys_help_lines(void)
{
    int n = 0;
    for (int i = 0; i < keys_count; i++)
        n += keys_table[i].help != NULL;
    return n;
}

void keys_help_line(int line, char *keys, size_t len, const char **what)
{
    int i = -1;
    for (int seen = -1; seen < line && i + 1 < keys_count;)
        seen += keys_table[++i].help != NULL;
    size_t used = 0;
    keys[0] = '\0';
    *what = i >= 0 ? keys_table[i].help : "";
    for (int k = i; k >= 0 && k < keys_count && (k == i || !keys_table[k].help); k++) {
        if (!keys_table[k].label || used + 1 >= len)
            continue;
        used += (size_t)snprintf(keys + used, len - used, "%s%s", used ? " / " : "", keys_table[k].label);
    }
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
