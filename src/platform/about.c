/* --version and the manual page (see about.h). */
#include "about.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <png.h>

#include "../core/config.h"
#include "../core/roff.h"
#include "../session/keys.h"
#include "shipped.h"
#include "version.h"

static void sdl_version(FILE *out, const char *name, const SDL_version *linked, const SDL_version *built)
{
    fprintf(out, "%s %d.%d.%d (built with %d.%d.%d)\n", name, linked->major, linked->minor, linked->patch,
            built->major, built->minor, built->patch);
}

void about_version(FILE *out)
{
    SDL_version linked, built;
    fprintf(out, "optiscope %s\n", OPTISCOPE_VERSION);
    SDL_GetVersion(&linked);
    SDL_VERSION(&built);
    sdl_version(out, "SDL", &linked, &built);
    SDL_TTF_VERSION(&built);
    sdl_version(out, "SDL_ttf", TTF_Linked_Version(), &built);
    const int fc = FcGetVersion();
    fprintf(out, "fontconfig %d.%d.%d\n", fc / 10000, fc / 100 % 100, fc % 100);
    fprintf(out, "libpng %s (built with %s)\n", png_get_libpng_ver(NULL), PNG_LIBPNG_VER_STRING);
    /* The video encoder's library (FFmpeg's libavcodec, from the recording work) prints its
     * version here, the same way, once it is linked in. */
}

static const char man_head[] =
    ".TH OPTISCOPE 1 \"\" \"optiscope " OPTISCOPE_VERSION "\" \"User Commands\"\n"
    ".nh\n"
    ".ad l\n"
    ".SH NAME\n"
    "optiscope \\- watch optimizers move across a 2D loss surface, live\n"
    ".SH SYNOPSIS\n"
    ".B optiscope\n"
    "[\\fIOPTION\\fR]...\n"
    ".SH DESCRIPTION\n"
    "optiscope shows, live, how optimizers move across a 2D loss surface: SGD, momentum, Adam\n"
    "and friends side by side on Rosenbrock, a ravine\\-shaped quadratic or another test function,\n"
    "following the update rules and defaults of PyTorch's torch.optim. Without\n"
    ".B \\-\\-headless\n"
    "a window opens; with it, optiscope writes a trace, a screenshot, a benchmark or a state dump\n"
    "without a display.\n"
    ".PP\n"
    "Options may also be written one per line, without the dashes, in a scene file\n"
    "(\\fB\\-\\-scene\\fR) or in the preferences file (see FILES); options given later override\n"
    "earlier ones.\n"
    ".SH OPTIONS\n";

static const char man_files[] =
    ".SH FILES\n"
    ".TP\n"
    ".I $XDG_CONFIG_HOME/optiscope/config\n"
    "Preferences (default \\fI~/.config/optiscope/config\\fR), in scene syntax: \\fBtheme\\fR,\n"
    "\\fBfont\\-scale\\fR, \\fBsize\\fR, \\fBlegend\\fR and \\fBscreenshot\\-dir\\fR, one per line.\n"
    "They are the defaults the command line overrides; a mistake is reported as FILE:LINE\n"
    "with exit status 2. \\fB\\-\\-no\\-config\\fR ignores the file.\n";

static const char man_tail[] =
    ".SH ENVIRONMENT\n"
    ".TP\n"
    ".B XDG_CONFIG_HOME\n"
    "where the preferences file is looked for (default \\fI~/.config\\fR).\n"
    ".TP\n"
    ".B OPTISCOPE_PRESENT\n"
    "\\fBauto\\fR (the default), \\fBtexture\\fR or \\fBsurface\\fR: how the window's frames reach\n"
    "the screen, through an OpenGL texture or straight into the window.\n"
    ".SH EXIT STATUS\n"
    "0 success; 2 bad input (an option, a spec, a scene, a value, an unwritable path) or no\n"
    "display without \\fB\\-\\-headless\\fR, with one line on standard error naming the problem;\n"
    "1 a failure while running (writing output, no font found).\n"
    ".SH EXAMPLES\n"
    ".TP\n"
    ".B optiscope \\-\\-scene momentum_ravine\n"
    "a shipped lesson in the window (\\fB\\-\\-list\\fR names them all).\n"
    ".TP\n"
    ".B optiscope \\-\\-function himmelblau \\-\\-optimizer adam:lr=0.1 \\-\\-optimizer sgd:lr=0.01\n"
    "two runs side by side on Himmelblau's function.\n"
    ".TP\n"
    ".B optiscope \\-\\-headless \\-\\-scene noisy_sgd \\-\\-steps 300 \\-\\-screenshot noisy.png\n"
    "the picture after 300 steps, without a display.\n";

void about_man(FILE *out)
{
    fputs(man_head, out);
    config_man(out);
    fputs(".PP\nSPEC is NAME[:KEY=VALUE[,KEY=VALUE...]]; \\fB\\-\\-list\\fR gives every name and key.\n"
          ".SH KEYS\nIn the window:\n",
          out);
    keys_man(out);
    fputs(man_files, out);
    fputs(".TP\n.I ", out);
    roff_text(out, shipped_datadir());
    fputs("/optiscope/scenes/\nthe lessons shipped with optiscope, which \\fB\\-\\-scene\\fR finds by name.\n", out);
    fputs(man_tail, out);
}
