/* Text from the glyph atlas held up against SDL_ttf's own string rendering (widths and
 * pixels), and the atlas's promise: once its glyphs are in, drawing allocates nothing. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/render/text.h"
#include "check.h"

static const Rgba ink = { 230, 200, 120, 255 };
static const Rgba faint = { 90, 220, 255, 150 };
static const Rgba paper = { 20, 30, 40, 255 };

static const char *const samples[] = {
    "Rosenbrock", "AVAWAY Te To", "0123456789", "1.2e-05", "Adam lr=0.001", "loss 3.14159  step 1200",
    "\xce\xb2\xe2\x82\x81 \xe2\x89\x88 0.9 \xe2\x80\x94 \xe2\x80\x96\xe2\x88\x87" "f\xe2\x80\x96", /* β₁ ≈ 0.9 — ‖∇f‖ */
    "\xe2\x80\xa6",                                                                                  /* … */
    "momentum\xe2\x80\xa6", " ", "f(x, y) = (1 - x)\xc2\xb2", "fjord ffj T. Wj y/j __ //",
};

/* The fonts text.c opens, as its font_specs table has them: pattern, points. */
static const struct {
    FontId id;
    const char *pattern;
    double points;
} fonts[] = {
    { FONT_BODY, "sans-serif:weight=regular", 15 },
    { FONT_TITLE, "sans-serif:weight=bold", 20 },
};

static TTF_Font *open_reference(const char *pattern, int px)
{
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result;
    FcPattern *match = FcFontMatch(NULL, pat, &result);
    FcPatternDestroy(pat);
    FcChar8 *file = NULL;
    TTF_Font *font = NULL;
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch)
        font = TTF_OpenFont((const char *)file, px);
    if (match)
        FcPatternDestroy(match);
    if (font)
        TTF_SetFontHinting(font, TTF_HINTING_LIGHT);
    return font;
}

/* What text.c drew before the atlas: SDL_ttf's surface of the whole string, blitted. */
static int draw_reference(TTF_Font *font, Canvas *c, int x, int y, Rgba col, const char *s)
{
    SDL_Surface *raw = TTF_RenderUTF8_Blended(font, s, (SDL_Color){ col.r, col.g, col.b, 255 });
    if (!raw)
        return 0;
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    if (!argb)
        return -1;
    canvas_blit(c, x, y, argb->pixels, argb->w, argb->h, argb->pitch, col.a);
    const int w = argb->w;
    SDL_FreeSurface(argb);
    return w;
}

static int largest_difference(const Canvas *a, const Canvas *b)
{
    int worst = 0;
    for (size_t i = 0; i < (size_t)a->w * a->h; i++)
        for (int shift = 0; shift < 24; shift += 8) {
            const int d = abs((int)(a->px[i] >> shift & 0xff) - (int)(b->px[i] >> shift & 0xff));
            worst = d > worst ? d : worst;
        }
    return worst;
}

/* Tolerance 0: the glyph images are FreeType's rasterisation with the load flags SDL_ttf
 * uses, placed by the same HarfBuzz shaping in 1/64 pixel, and a string's coverage is
 * ORed where glyphs overlap as SDL_ttf composes it before one blend, so the pictures are
 * not merely close but the same. A difference of any size means placement drifted. */
#define PIXEL_TOLERANCE 0

static void compare_string(Text *t, TTF_Font *ref, FontId id, double scale, const char *s, Rgba col)
{
    Canvas mine, theirs;
    char err[256];
    if (canvas_init(&mine, 700, 120, err, sizeof err) < 0 || canvas_init(&theirs, 700, 120, err, sizeof err) < 0) {
        CHECK(0, "canvas: %s", err);
        return;
    }
    canvas_fill(&mine, paper);
    canvas_fill(&theirs, paper);
    const int drawn = text_draw(t, &mine, id, 7, 9, col, s);
    const int expected = draw_reference(ref, &theirs, 7, 9, col, s);
    int sized = 0, h = 0;
    TTF_SizeUTF8(ref, s, &sized, &h);
    CHECK(drawn == expected, "font %d at %.1fx, '%s': text_draw %d px wide, SDL_ttf %d", id, scale, s, drawn, expected);
    CHECK(text_width(t, id, s) == sized, "font %d at %.1fx, '%s': text_width %d, TTF_SizeUTF8 %d", id, scale, s,
          text_width(t, id, s), sized);
    const int diff = largest_difference(&mine, &theirs);
    CHECK(diff <= PIXEL_TOLERANCE, "font %d at %.1fx, '%s': pixels differ by up to %d", id, scale, s, diff);
    canvas_free(&mine);
    canvas_free(&theirs);
}

static void test_against_sdl_ttf(void)
{
    const double scales[] = { 1.0, 2.0 };
    for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
        char err[256];
        Text *t = text_open(scales[k], err, sizeof err);
        CHECK(t != NULL, "text_open: %s", err);
        if (!t)
            return;
        for (size_t f = 0; f < sizeof fonts / sizeof fonts[0]; f++) {
            TTF_Font *ref = open_reference(fonts[f].pattern, (int)(fonts[f].points * scales[k] + 0.5));
            CHECK(ref != NULL, "SDL_ttf cannot open '%s'", fonts[f].pattern);
            if (!ref)
                continue;
            CHECK(text_height(t, fonts[f].id) == TTF_FontHeight(ref), "font %d: height %d, SDL_ttf %d",
                  fonts[f].id, text_height(t, fonts[f].id), TTF_FontHeight(ref));
            for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
                compare_string(t, ref, fonts[f].id, scales[k], samples[i], ink);
                compare_string(t, ref, fonts[f].id, scales[k], samples[i], faint);
            }
            TTF_CloseFont(ref);
        }
        text_close(t);
    }
}

/* A legend whose numbers change every frame: after the first frames, no allocation. */
static void draw_legend(Text *t, Canvas *c, int frame)
{
    char line[96];
    canvas_fill(c, paper);
    snprintf(line, sizeof line, "step %d  loss %.6g", frame, 1.0 / (frame + 1.5));
    text_draw(t, c, FONT_BODY, 4, 4, ink, line);
    snprintf(line, sizeof line, "Adam lr=%.3g \xce\xb2\xe2\x82\x81=%.2f", 1e-3 * (frame % 17 + 1), 0.9 + frame % 9 * 0.01);
    text_draw(t, c, FONT_SMALL, 4, 30, faint, line);
    snprintf(line, sizeof line, "%+.4e", -3.7 * frame);
    text_draw(t, c, FONT_TITLE, 4, 52, ink, line);
}

/* Text at 1x and a canvas to draw it on; NULL (with a failed check) when either fails. */
static Text *open_with_canvas(Canvas *c, int w, int h)
{
    char err[256];
    Text *t = text_open(1.0, err, sizeof err);
    CHECK(t != NULL, "text_open: %s", err);
    if (t && canvas_init(c, w, h, err, sizeof err) < 0) {
        CHECK(0, "canvas_init: %s", err);
        text_close(t);
        return NULL;
    }
    return t;
}

static void test_no_allocation_in_the_frame(void)
{
    char err[256];
    Canvas c;
    Text *t = open_with_canvas(&c, 500, 100);
    if (!t)
        return;
    for (int frame = 0; frame < 50; frame++)
        draw_legend(t, &c, frame);
    const size_t bytes = text_atlas_bytes(t);
    const unsigned long grows = text_atlas_grows(t);
    for (int frame = 50; frame < 2000; frame++)
        draw_legend(t, &c, frame);
    CHECK(text_atlas_grows(t) == grows, "the atlas allocated %lu times while drawing known glyphs",
          text_atlas_grows(t) - grows);
    CHECK(text_atlas_bytes(t) == bytes, "atlas bytes went from %zu to %zu", bytes, text_atlas_bytes(t));
    CHECK(bytes > 0 && bytes < 2u << 20, "atlas holds %zu bytes for a legend", bytes);

    /* A new size starts a new atlas; text is drawn at the new size. */
    const int narrow = text_width(t, FONT_BODY, "0.001");
    CHECK(text_resize(t, 2.0, err, sizeof err) == 0, "text_resize: %s", err);
    CHECK(text_atlas_bytes(t) < bytes, "text_resize kept the old atlas (%zu bytes)", text_atlas_bytes(t));
    const int wide = text_width(t, FONT_BODY, "0.001");
    CHECK(wide >= 2 * narrow - 2 && wide <= 2 * narrow + 2, "0.001 is %d px at 1x, %d at 2x", narrow, wide);
    draw_legend(t, &c, 1);
    canvas_free(&c);
    text_close(t);
}

static void test_edges(void)
{
    Canvas c;
    Text *t = open_with_canvas(&c, 60, 20);
    if (!t)
        return;
    CHECK(text_draw(t, &c, FONT_BODY, 0, 0, ink, "") == 0, "an empty string has a width");
    CHECK(text_width(t, FONT_BODY, "") == 0, "an empty string has a width");
    /* Far off the canvas on every side: nothing drawn, the width still told. */
    const int w = text_width(t, FONT_BODY, "clipped");
    CHECK(text_draw(t, &c, FONT_BODY, -500, -3, ink, "clipped") == w, "width off the canvas");
    CHECK(text_draw(t, &c, FONT_BODY, 55, 12, ink, "clipped") == w, "width at the edge");
    CHECK(text_draw(t, &c, FONT_BODY, 10, 5000, ink, "clipped") == w, "width below the canvas");
    /* Hash mode: the string, font, place and colour go into the hash, no pixel changes. */
    uint64_t h1 = 1, h2 = 1, h3 = 1;
    uint64_t before = 0, after = 0;
    for (int i = 0; i < c.w * c.h; i++)
        before = before * 31 + c.px[i];
    c.hash = &h1;
    CHECK(text_draw(t, &c, FONT_BODY, 0, 0, ink, "loss 0.5") == 0, "hash mode gives no width");
    c.hash = &h2;
    text_draw(t, &c, FONT_BODY, 0, 0, ink, "loss 0.6");
    c.hash = &h3;
    text_draw(t, &c, FONT_BODY, 0, 0, ink, "loss 0.5");
    c.hash = NULL;
    for (int i = 0; i < c.w * c.h; i++)
        after = after * 31 + c.px[i];
    CHECK(h1 != 1 && h1 != h2 && h1 == h3 && before == after, "text in hash mode");
    char fit[64] = "momentum=0.9 nesterov";
    text_fit(t, FONT_BODY, fit, sizeof fit, 60);
    CHECK(text_width(t, FONT_BODY, fit) <= 60 && strstr(fit, "\xe2\x80\xa6"), "text_fit made '%s'", fit);
    canvas_free(&c);
    text_close(t);
}

void test_text(void)
{
    test_against_sdl_ttf();
    test_no_allocation_in_the_frame();
    test_edges();
}
