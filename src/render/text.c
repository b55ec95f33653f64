/* Fonts through fontconfig, strings through SDL_ttf, and a small cache of rendered strings
 * keyed by font, colour and text. */
#include "text.h"

#include "../core/utf8.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 512
#define CACHE_TEXT_MAX 160

/* Sizes in points: body text for a legend read from the back of a room. */
static const struct {
    const char *pattern;
    double points;
} font_specs[FONT_COUNT] = {
    [FONT_SMALL] = { "sans-serif:weight=regular", 12.5 },
    [FONT_BODY] = { "sans-serif:weight=regular", 15 },
    [FONT_BOLD] = { "sans-serif:weight=bold", 15 },
    [FONT_TITLE] = { "sans-serif:weight=bold", 20 },
};

typedef struct {
    int font;
    uint32_t colour;
    char text[CACHE_TEXT_MAX];
    SDL_Surface *surface;
    unsigned long used;
} Entry;

/* Open Texts: fontconfig is handed back (FcFini) only when the last one closes, as a 2x
 * screenshot opens a second Text while the window's is open. The window and headless jobs
 * run on one thread, so a plain counter does. */
static int open_texts;

struct Text {
    char paths[FONT_COUNT][1024];
    TTF_Font *fonts[FONT_COUNT];
    Entry cache[CACHE_SLOTS];
    unsigned long clock;
};

/* Asks fontconfig for the file that best matches a pattern such as "sans-serif". */
static int find_font(const char *pattern, char *path, size_t len)
{
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat)
        return -1;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result;
    FcPattern *match = FcFontMatch(NULL, pat, &result);
    FcPatternDestroy(pat);
    FcChar8 *file = NULL;
    int rc = -1;
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
        snprintf(path, len, "%s", (const char *)file);
        rc = 0;
    }
    if (match)
        FcPatternDestroy(match);
    return rc;
}

static void clear_cache(Text *t)
{
    for (int i = 0; i < CACHE_SLOTS; i++) {
        SDL_FreeSurface(t->cache[i].surface);
        t->cache[i].surface = NULL;
    }
}

static void close_fonts(Text *t)
{
    for (int i = 0; i < FONT_COUNT; i++) {
        if (t->fonts[i])
            TTF_CloseFont(t->fonts[i]);
        t->fonts[i] = NULL;
    }
}

int text_resize(Text *t, double px_per_point, char *err, size_t errlen)
{
    clear_cache(t);
    close_fonts(t);
    for (int i = 0; i < FONT_COUNT; i++) {
        int px = (int)(font_specs[i].points * px_per_point + 0.5);
        t->fonts[i] = TTF_OpenFont(t->paths[i], px < 6 ? 6 : px);
        if (!t->fonts[i]) {
            snprintf(err, errlen, "cannot open font '%s': %s", t->paths[i], TTF_GetError());
            return -1;
        }
        TTF_SetFontHinting(t->fonts[i], TTF_HINTING_LIGHT);
    }
    return 0;
}

Text *text_open(double px_per_point, char *err, size_t errlen)
{
    if (!FcInit()) {
        snprintf(err, errlen, "fontconfig failed to start; install fontconfig and fonts-dejavu-core");
        return NULL;
    }
    open_texts++;
    if (!TTF_WasInit() && TTF_Init() < 0) {
        snprintf(err, errlen, "SDL_ttf failed to start: %s", TTF_GetError());
        return NULL;
    }
    Text *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory for text");
        if (--open_texts == 0)
            FcFini();
        return NULL;
    }
    for (int i = 0; i < FONT_COUNT; i++) {
        if (find_font(font_specs[i].pattern, t->paths[i], sizeof t->paths[i]) < 0) {
            snprintf(err, errlen, "no sans font found through fontconfig; install one, e.g. fonts-dejavu-core");
            free(t);
            if (--open_texts == 0)
                FcFini();
            return NULL;
        }
    }
    if (text_resize(t, px_per_point, err, errlen) < 0) {
        text_close(t);
        return NULL;
    }
    return t;
}

void text_close(Text *t)
{
    if (!t)
        return;
    clear_cache(t);
    close_fonts(t);
    free(t);
    /* Hands fontconfig's caches back, so leak checkers see a clean exit. */
    if (--open_texts == 0)
        FcFini();
}

void text_fit(Text *t, FontId font, char *s, size_t cap, int room)
{
    size_t n = strlen(s);
    if (text_width(t, font, s) <= room)
        return;
    while (n > 0) {
        n = utf8_back(s, n);
        if (n + 4 > cap)
            continue;
        memcpy(s + n, "\xe2\x80\xa6", 4);
        if (text_width(t, font, s) <= room)
            return;
    }
    if (cap > 0)
        s[0] = '\0'; /* not even an ellipsis fits */
}

int text_height(Text *t, FontId font)
{
    return TTF_FontHeight(t->fonts[font]);
}

int text_width(Text *t, FontId font, const char *s)
{
    int w = 0, h = 0;
    if (s[0] && TTF_SizeUTF8(t->fonts[font], s, &w, &h) < 0)
        return 0;
    return w;
}

static uint32_t pack(Rgba c)
{
    return (uint32_t)c.a << 24 | (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
}

/* Finds the cached rendering, or renders into the least recently used slot. */
static SDL_Surface *rendered(Text *t, FontId font, Rgba col, const char *s)
{
    const uint32_t key = pack(col);
    Entry *oldest = &t->cache[0];
    t->clock++;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        Entry *e = &t->cache[i];
        if (e->surface && e->font == (int)font && e->colour == key && strcmp(e->text, s) == 0) {
            e->used = t->clock;
            return e->surface;
        }
        if (e->used < oldest->used)
            oldest = e;
    }
    SDL_Color fg = { col.r, col.g, col.b, 255 };
    SDL_Surface *raw = TTF_RenderUTF8_Blended(t->fonts[font], s, fg);
    if (!raw)
        return NULL;
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    if (!argb)
        return NULL;
    if (strlen(s) >= CACHE_TEXT_MAX)
        return argb; /* too long to key; the caller frees it (see text_draw) */
    SDL_FreeSurface(oldest->surface);
    oldest->surface = argb;
    oldest->font = font;
    oldest->colour = key;
    snprintf(oldest->text, sizeof oldest->text, "%s", s);
    oldest->used = t->clock;
    return argb;
}

int text_draw(Text *t, Canvas *c, FontId font, int x, int y, Rgba col, const char *s)
{
    if (!s[0])
        return 0;
    SDL_Surface *surf = rendered(t, font, col, s);
    if (!surf)
        return 0;
    canvas_blit(c, x, y, surf->pixels, surf->w, surf->h, surf->pitch, col.a);
    int w = surf->w;
    if (strlen(s) >= CACHE_TEXT_MAX)
        SDL_FreeSurface(surf);
    return w;
}
