/* Text: a sans font found through fontconfig, each glyph rasterised once into an atlas,
 * strings placed exactly as SDL_ttf places them and drawn onto a canvas. */
#ifndef OPTISCOPE_TEXT_H
#define OPTISCOPE_TEXT_H

#include <stddef.h>

#include "canvas.h"

typedef enum { FONT_SMALL, FONT_BODY, FONT_BOLD, FONT_TITLE, FONT_COUNT } FontId;

typedef struct Text Text;

/* Opens the fonts at `px_per_point` device pixels per point (DPI, --scale and
 * --font-scale folded in). Returns NULL with a message when no font is found. */
Text *text_open(double px_per_point, char *err, size_t errlen);
void text_close(Text *t);
/* Re-opens the fonts at another size (a window moved to a denser display, say). */
int text_resize(Text *t, double px_per_point, char *err, size_t errlen);

int text_height(Text *t, FontId font);
int text_width(Text *t, FontId font, const char *s);
/* Shortens s (in a buffer of cap bytes) in place, cut at a character boundary with an
 * ellipsis, until it fits in `room` pixels; empties it when not even the ellipsis fits. */
void text_fit(Text *t, FontId font, char *s, size_t cap, int room);
/* Draws s with its top-left corner at (x, y); returns its width. In the canvas's hash mode
 * (Canvas.hash) it folds the font, place, colour and string into the hash instead, shapes
 * and draws nothing, and returns 0: a width to place more by comes from text_width. */
int text_draw(Text *t, Canvas *c, FontId font, int x, int y, Rgba col, const char *s);

/* The atlas: bytes it holds (glyph pages, glyph records, one string's scratch), and how
 * many times it has allocated since text_open. Once the glyphs a picture needs are in,
 * drawing it again allocates nothing. */
size_t text_atlas_bytes(const Text *t);
unsigned long text_atlas_grows(const Text *t);

#endif
