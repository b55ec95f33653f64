/* Fonts through fontconfig; each glyph rasterised once into an atlas of coverage pages;
 * strings laid out and drawn from it exactly as SDL_ttf lays out and draws them. */
#include "text.h"

#include "../core/hash.h"
#include "../core/utf8.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb-ft.h>
#include <hb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Atlas pages are square, this many pixels a side at least (256 kB of coverage), larger
 * only when a font is so big that a few of its lines would not fit on one. */
#define PAGE_SIDE 512
#define PAGE_LINES 4

/* SDL_ttf's fixed point: positions in 1/64 pixel, to whole pixels as its FT_FLOOR and
 * FT_CEIL do (towards -infinity, and without shifting a negative number). */
#define FLOOR_PX(v) (((v) & -64) / 64)
#define CEIL_PX(v) FLOOR_PX((v) + 63)

/* SDL_ttf loads glyphs with these flags once TTF_SetFontHinting chose light hinting. */
#define LOAD_FLAGS (FT_LOAD_DEFAULT | FT_LOAD_TARGET_LIGHT)

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

/* One glyph of one font. The box is what SDL_ttf measures a string by (its sz_ fields);
 * the image is the coverage it draws, at (x, y) on an atlas page, offset from the pen by
 * (left, -top). The two can differ by a pixel, and each is used where SDL_ttf uses it. */
typedef struct {
    int16_t box_left, box_top, box_w, box_h;
    int16_t left, top;
    uint16_t w, h, x, y;
    uint16_t page;
} Glyph;

/* SDL_ttf keeps its TTF_Font's FreeType face and HarfBuzz font private, and its public
 * glyph calls give whole-pixel advances and the old `kern` table only, while its strings
 * are shaped by HarfBuzz in 1/64 pixel. So each font is opened twice from one file at one
 * size: by SDL_ttf for its line metrics, and here, as SDL_ttf opens it, for shaping and
 * glyphs. */
typedef struct {
    TTF_Font *ttf;
    FT_Face face;
    hb_font_t *hb;
    int ascent, height;
    uint32_t *slot; /* per glyph index: its place in Text.glyphs + 1, or 0 before first use */
} Font;

/* A string placed: its size and where its first pen position sits within that box, as
 * TTF_RenderUTF8_Blended would make the surface. */
typedef struct {
    int w, h, xstart, ystart;
} Line;

/* Open Texts: fontconfig is handed back (FcFini) only when the last one closes, as a 2x
 * screenshot opens a second Text while the window's is open. The window and headless jobs
 * run on one thread, so a plain counter does. */
static int open_texts;

struct Text {
    char paths[FONT_COUNT][1024];
    Font fonts[FONT_COUNT];
    FT_Library ft;
    hb_buffer_t *shaped; /* reused by every string, so shaping allocates only when one is longer than any before */
    Glyph *glyphs;
    int nglyphs, glyph_cap;
    uint8_t **pages;
    int npages, page_cap, side;
    int shelf_x, shelf_y, shelf_h; /* the free corner of the last page's current shelf */
    uint8_t *line;                 /* one string's coverage, composed before it is blended */
    size_t line_cap;
    size_t bytes;
    unsigned long grows;
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

/* Counts memory the atlas takes, and how often it had to ask for more. */
static void *atlas_alloc(Text *t, void *old, size_t old_bytes, size_t bytes)
{
    void *p = realloc(old, bytes);
    if (!p)
        return NULL;
    t->bytes += bytes - old_bytes;
    t->grows++;
    return p;
}

static void clear_atlas(Text *t)
{
    for (int i = 0; i < t->npages; i++)
        free(t->pages[i]);
    free(t->pages);
    free(t->glyphs);
    free(t->line);
    t->pages = NULL;
    t->glyphs = NULL;
    t->line = NULL;
    t->npages = t->page_cap = t->nglyphs = t->glyph_cap = 0;
    t->line_cap = 0;
    t->shelf_x = t->shelf_y = t->shelf_h = 0;
    t->bytes = 0;
}

static void close_fonts(Text *t)
{
    for (int i = 0; i < FONT_COUNT; i++) {
        Font *f = &t->fonts[i];
        if (f->ttf)
            TTF_CloseFont(f->ttf);
        if (f->hb)
            hb_font_destroy(f->hb);
        if (f->face)
            FT_Done_Face(f->face);
        free(f->slot);
        memset(f, 0, sizeof *f);
    }
}

/* Opens font i at px pixels as SDL_ttf's TTF_OpenFont does (72 dpi, so points are pixels)
 * and sets up HarfBuzz on it with the load flags of light hinting, as TTF_SetFontHinting. */
static int open_font(Text *t, int i, int px, char *err, size_t errlen)
{
    Font *f = &t->fonts[i];
    f->ttf = TTF_OpenFont(t->paths[i], px);
    if (!f->ttf) {
        snprintf(err, errlen, "cannot open font '%s': %s", t->paths[i], TTF_GetError());
        return -1;
    }
    TTF_SetFontHinting(f->ttf, TTF_HINTING_LIGHT);
    f->ascent = TTF_FontAscent(f->ttf);
    f->height = TTF_FontHeight(f->ttf);
    if (FT_New_Face(t->ft, t->paths[i], 0, &f->face) || FT_Set_Char_Size(f->face, 0, (FT_F26Dot6)px * 64, 0, 0)) {
        snprintf(err, errlen, "FreeType cannot open font '%s' at %d px", t->paths[i], px);
        return -1;
    }
    f->hb = hb_ft_font_create(f->face, NULL);
    f->slot = calloc((size_t)f->face->num_glyphs + 1, sizeof *f->slot);
    if (!f->hb || !f->slot) {
        snprintf(err, errlen, "out of memory for font '%s'", t->paths[i]);
        return -1;
    }
    t->bytes += ((size_t)f->face->num_glyphs + 1) * sizeof *f->slot;
    hb_ft_font_set_load_flags(f->hb, LOAD_FLAGS);
    return 0;
}

int text_resize(Text *t, double px_per_point, char *err, size_t errlen)
{
    clear_atlas(t);
    close_fonts(t);
    int tallest = 0;
    for (int i = 0; i < FONT_COUNT; i++) {
        int px = (int)(font_specs[i].points * px_per_point + 0.5);
        if (open_font(t, i, px < 6 ? 6 : px, err, errlen) < 0)
            return -1;
        tallest = t->fonts[i].height > tallest ? t->fonts[i].height : tallest;
    }
    t->side = PAGE_SIDE;
    while (t->side < PAGE_LINES * tallest && t->side < 8192)
        t->side *= 2;
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
    if (FT_Init_FreeType(&t->ft)) {
        snprintf(err, errlen, "FreeType failed to start");
        text_close(t);
        return NULL;
    }
    t->shaped = hb_buffer_create();
    if (!hb_buffer_allocation_successful(t->shaped)) {
        snprintf(err, errlen, "out of memory for text shaping");
        text_close(t);
        return NULL;
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
    clear_atlas(t);
    close_fonts(t);
    hb_buffer_destroy(t->shaped);
    if (t->ft)
        FT_Done_FreeType(t->ft);
    free(t);
    /* Hands fontconfig's caches back, so leak checkers see a clean exit. */
    if (--open_texts == 0)
        FcFini();
}

size_t text_atlas_bytes(const Text *t)
{
    return t->bytes;
}

unsigned long text_atlas_grows(const Text *t)
{
    return t->grows;
}

/* Finds room for a w x h image: along the current shelf, on a new shelf below it, or on
 * a new page. Returns -1 when out of memory or when the image is larger than a page. */
static int atlas_place(Text *t, int w, int h, Glyph *g)
{
    const int side = t->side;
    if (w > side || h > side)
        return -1;
    if (t->npages && t->shelf_x + w > side) {
        t->shelf_y += t->shelf_h;
        t->shelf_x = t->shelf_h = 0;
    }
    if (!t->npages || t->shelf_y + h > side) {
        if (t->npages == t->page_cap) {
            const int cap = t->page_cap ? 2 * t->page_cap : 4;
            uint8_t **pages = atlas_alloc(t, t->pages, (size_t)t->page_cap * sizeof *pages, (size_t)cap * sizeof *pages);
            if (!pages)
                return -1;
            t->pages = pages;
            t->page_cap = cap;
        }
        uint8_t *page = atlas_alloc(t, NULL, 0, (size_t)side * (size_t)side);
        if (!page)
            return -1;
        t->pages[t->npages++] = page;
        t->shelf_x = t->shelf_y = t->shelf_h = 0;
    }
    g->page = (uint16_t)(t->npages - 1);
    g->x = (uint16_t)t->shelf_x;
    g->y = (uint16_t)t->shelf_y;
    t->shelf_x += w;
    t->shelf_h = h > t->shelf_h ? h : t->shelf_h;
    return 0;
}

/* Copies a rendered glyph's coverage onto its page: 8-bit grey as it is, a 1-bit bitmap
 * font's pixels as 0 or 255, as SDL_ttf does. Other kinds (colour) are left blank. */
static void store_bitmap(Text *t, Glyph *g, const FT_Bitmap *b)
{
    uint8_t *page = t->pages[g->page];
    for (int j = 0; j < g->h; j++) {
        const unsigned char *in = b->buffer + (ptrdiff_t)j * b->pitch;
        uint8_t *out = page + (size_t)(g->y + j) * (size_t)t->side + g->x;
        for (int i = 0; i < g->w; i++) {
            if (b->pixel_mode == FT_PIXEL_MODE_GRAY)
                out[i] = in[i];
            else if (b->pixel_mode == FT_PIXEL_MODE_MONO)
                out[i] = (in[i >> 3] >> (7 - (i & 7)) & 1) ? 255 : 0;
            else
                out[i] = 0;
        }
    }
}

/* SDL_ttf measures by the bitmap's place as loaded, or, when FreeType leaves that empty
 * (outlines), by the grid-fitted outline metrics: Load_Glyph in SDL_ttf.c. */
static void measure_glyph(const FT_GlyphSlot slot, Glyph *g)
{
    int left = slot->bitmap_left, top = slot->bitmap_top;
    int rows = (int)slot->bitmap.rows, width = (int)slot->bitmap.width;
    if (!left && !top && !rows && !width) {
        const FT_Glyph_Metrics *m = &slot->metrics;
        const int minx = (int)FLOOR_PX(m->horiBearingX), maxx = (int)CEIL_PX(m->horiBearingX + m->width);
        const int maxy = (int)FLOOR_PX(m->horiBearingY), miny = maxy - (int)CEIL_PX(m->height);
        left = minx;
        top = maxy;
        rows = maxy - miny;
        width = maxx - minx;
    }
    g->box_left = (int16_t)left;
    g->box_top = (int16_t)top;
    g->box_w = (int16_t)width;
    g->box_h = (int16_t)rows;
}

/* Loads, measures and rasterises glyph `index` of font f into the atlas. A glyph FreeType
 * cannot load keeps an empty box and image, so it is not tried again every frame. */
static int add_glyph(Text *t, Font *f, unsigned index, Glyph *g)
{
    memset(g, 0, sizeof *g);
    const FT_GlyphSlot slot = f->face->glyph;
    if (FT_Load_Glyph(f->face, index, LOAD_FLAGS))
        return 0;
    measure_glyph(slot, g);
    if (FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL))
        return 0;
    const int w = (int)slot->bitmap.width, h = (int)slot->bitmap.rows;
    g->left = (int16_t)slot->bitmap_left;
    g->top = (int16_t)slot->bitmap_top;
    if (w == 0 || h == 0)
        return 0;
    if (atlas_place(t, w, h, g) < 0)
        return -1;
    g->w = (uint16_t)w;
    g->h = (uint16_t)h;
    store_bitmap(t, g, &slot->bitmap);
    return 0;
}

/* The glyph's atlas entry, added the first time it is asked for; NULL when out of memory. */
static const Glyph *glyph(Text *t, Font *f, unsigned index)
{
    if (index >= (unsigned)f->face->num_glyphs)
        index = 0;
    if (f->slot[index])
        return &t->glyphs[f->slot[index] - 1];
    if (t->nglyphs == t->glyph_cap) {
        const int cap = t->glyph_cap ? 2 * t->glyph_cap : 256;
        Glyph *grown = atlas_alloc(t, t->glyphs, (size_t)t->glyph_cap * sizeof *grown, (size_t)cap * sizeof *grown);
        if (!grown)
            return NULL;
        t->glyphs = grown;
        t->glyph_cap = cap;
    }
    Glyph *g = &t->glyphs[t->nglyphs];
    if (add_glyph(t, f, index, g) < 0)
        return NULL;
    f->slot[index] = (uint32_t)++t->nglyphs;
    return g;
}

/* Shapes s as SDL_ttf 2.20 does (left to right, script unknown, default features). */
static unsigned shape(Text *t, const Font *f, const char *s)
{
    hb_buffer_clear_contents(t->shaped);
    hb_buffer_set_direction(t->shaped, HB_DIRECTION_LTR);
    hb_buffer_set_script(t->shaped, HB_SCRIPT_UNKNOWN);
    hb_buffer_add_utf8(t->shaped, s, -1, 0, -1);
    hb_shape(f->hb, t->shaped, NULL, 0);
    return hb_buffer_get_length(t->shaped);
}

/* The pen in 1/64 pixel as SDL_ttf moves it along a shaped string; pen_place gives the
 * whole pixel a glyph's origin falls in (the ascent puts it on the baseline) and moves on. */
typedef struct {
    int x, y, ascent;
} Pen;

static void pen_place(Pen *pen, const hb_glyph_position_t *p, int *gx, int *gy)
{
    *gx = FLOOR_PX(pen->x + p->x_offset);
    *gy = FLOOR_PX(pen->y + pen->ascent - p->y_offset);
    pen->x += p->x_advance;
    pen->y += p->y_advance;
}

/* The box TTF_SizeUTF8 gives the shaped string (TTF_Size_Internal): every glyph's box
 * and the pen's end, from x = 0 and the font's full height. Returns -1 when a glyph could
 * not be had. */
static int measure_line(Text *t, Font *f, unsigned n, Line *line)
{
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(t->shaped, NULL);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(t->shaped, NULL);
    Pen pen = { 0, 0, f->ascent * 64 };
    int minx = 0, maxx = 0, miny = 0, maxy = f->height;
    for (unsigned k = 0; k < n; k++) {
        const Glyph *g = glyph(t, f, info[k].codepoint);
        if (!g)
            return -1;
        int gx, gy;
        pen_place(&pen, &pos[k], &gx, &gy);
        gx += g->box_left;
        gy -= g->box_top;
        minx = gx < minx ? gx : minx;
        maxx = gx + g->box_w > maxx ? gx + g->box_w : maxx;
        miny = gy < miny ? gy : miny;
        maxy = gy + g->box_h > maxy ? gy + g->box_h : maxy;
    }
    maxx = FLOOR_PX(pen.x) > maxx ? FLOOR_PX(pen.x) : maxx;
    *line = (Line){ .w = maxx - minx, .h = maxy - miny, .xstart = -minx, .ystart = -miny };
    return 0;
}

static int layout(Text *t, FontId font, const char *s, Line *line)
{
    if (!s[0])
        return -1;
    Font *f = &t->fonts[font];
    return measure_line(t, f, shape(t, f, s), line);
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
    return t->fonts[font].height;
}

int text_width(Text *t, FontId font, const char *s)
{
    Line line;
    return layout(t, font, s, &line) < 0 ? 0 : line.w;
}

/* Room for one string's coverage; grows (rarely) to the largest string drawn so far. */
static uint8_t *line_buffer(Text *t, const Line *line)
{
    const size_t need = (size_t)line->w * (size_t)line->h;
    if (need > t->line_cap) {
        const size_t cap = need > 2 * t->line_cap ? need : 2 * t->line_cap;
        uint8_t *grown = atlas_alloc(t, t->line, t->line_cap, cap);
        if (!grown)
            return NULL;
        t->line = grown;
        t->line_cap = cap;
    }
    memset(t->line, 0, need);
    return t->line;
}

/* ORs a glyph's image into the line at (x, y), clipped to the line, as SDL_ttf composes a
 * string's alpha (BG_Blended_Opaque): where glyphs overlap, the result is the same. */
static void compose_glyph(const Text *t, const Glyph *g, uint8_t *out, const Line *line, int x, int y)
{
    const int i0 = x < 0 ? -x : 0, j0 = y < 0 ? -y : 0;
    const int i1 = x + g->w > line->w ? line->w - x : g->w, j1 = y + g->h > line->h ? line->h - y : g->h;
    const uint8_t *page = t->pages[g->page];
    for (int j = j0; j < j1; j++) {
        const uint8_t *in = page + (size_t)(g->y + j) * (size_t)t->side + g->x;
        uint8_t *o = out + (size_t)(y + j) * (size_t)line->w + x;
        for (int i = i0; i < i1; i++)
            o[i] |= in[i];
    }
}

#define TEXT_HASH_KIND 64 /* text in a canvas's hash mode, apart from the canvas's own kinds */

int text_draw(Text *t, Canvas *c, FontId font, int x, int y, Rgba col, const char *s)
{
    if (c->hash) { /* the string, font, place and colour decide the pixels: nothing is shaped */
        const int at[2] = { x, y };
        const uint64_t h = hash_bytes(hash_int(*c->hash, TEXT_HASH_KIND + font), at, sizeof at);
        *c->hash = hash_str(hash_bytes(h, &col, sizeof col), s);
        if (c->log)
            canvas_log_bytes(c, canvas_log_call(c, CANVAS_CALL_TEXT, (const double[]){ font, x, y }, 3, col), s,
                             strlen(s) + 1, 1);
        return 0;
    }
    Line line;
    if (layout(t, font, s, &line) < 0 || line.w <= 0)
        return 0;
    uint8_t *out = line_buffer(t, &line);
    if (!out)
        return 0;
    Font *f = &t->fonts[font];
    const unsigned n = hb_buffer_get_length(t->shaped);
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(t->shaped, NULL);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(t->shaped, NULL);
    Pen pen = { 0, 0, f->ascent * 64 };
    for (unsigned k = 0; k < n; k++) {
        const Glyph *g = glyph(t, f, info[k].codepoint); /* all added by layout */
        int gx, gy;
        pen_place(&pen, &pos[k], &gx, &gy);
        if (g->w)
            compose_glyph(t, g, out, &line, line.xstart + gx + g->left, line.ystart + gy - g->top);
    }
    canvas_mask(c, x, y, out, line.w, line.h, line.w, col);
    return line.w;
}
