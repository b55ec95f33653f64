/* The presenter's window (see lectern.h). Its picture changes a few times a second at most
 * (the clock, the runs' numbers), so it is drawn whole when its text changed and sent
 * whole: into the window's surface where there is one, through a texture otherwise. */
#include "lectern.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/hash.h"

#define LECTERN_W 1280 /* the size asked for beside the main window, in window coordinates */
#define LECTERN_H 720
#define LECTERN_GAP 16
#define LECTERN_POINTS_HIGH 600.0
#define LECTERN_HZ 5 /* the runs' numbers change every step: this often is enough to read them */ /* a window this high draws text at 1 pixel per point (times the font scale) */

/* Where the window goes: another display's usable area, or right of the main window. */
static void place(SDL_Window *beside, SDL_Rect *r)
{
    const int n = SDL_GetNumVideoDisplays(), main_display = SDL_GetWindowDisplayIndex(beside);
    SDL_Rect b;
    if (n >= 2 && main_display >= 0 && SDL_GetDisplayUsableBounds((main_display + 1) % n, &b) == 0) {
        *r = (SDL_Rect){ b.x + b.w / 20, b.y + b.h / 20, b.w * 9 / 10, b.h * 9 / 10 };
        return;
    }
    int x, y, w, h;
    SDL_GetWindowPosition(beside, &x, &y);
    SDL_GetWindowSize(beside, &w, &h);
    *r = (SDL_Rect){ x + w + LECTERN_GAP, y, LECTERN_W, LECTERN_H };
    if (main_display >= 0 && SDL_GetDisplayUsableBounds(main_display, &b) == 0) {
        /* Within the display: narrower to fit right of the main window, or over its right part. */
        const int room = b.x + b.w - r->x;
        r->w = room >= LECTERN_W / 2 && room < r->w ? room : r->w;
        r->w = r->w < b.w ? r->w : b.w;
        r->h = r->h < b.h ? r->h : b.h;
        r->x = r->x + r->w <= b.x + b.w ? r->x : b.x + b.w - r->w;
        r->y = r->y + r->h <= b.y + b.h ? r->y : b.y + b.h - r->h;
    }
}

/* The picture for the window's pixel size: text as large as the window is high. */
static int fit(Lectern *lc, char *err, size_t errlen)
{
    int ww, wh, pw, ph;
    SDL_GetWindowSize(lc->window, &ww, &wh);
    if (lc->renderer)
        SDL_GetRendererOutputSize(lc->renderer, &pw, &ph);
    else
        SDL_GetWindowSizeInPixels(lc->window, &pw, &ph);
    if (pw < 1 || ph < 1 || wh < 1)
        return 0;
    const double s = fmin(4, fmax(1, wh / LECTERN_POINTS_HIGH)) * (double)ph / wh * lc->font_scale;
    if (lc->renderer && (!lc->texture || lc->pic.c.w != pw || lc->pic.c.h != ph)) {
        if (lc->texture)
            SDL_DestroyTexture(lc->texture);
        lc->texture = SDL_CreateTexture(lc->renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, pw, ph);
        if (!lc->texture) {
            snprintf(err, errlen, "cannot draw the presenter's window: %s", SDL_GetError());
            return -1;
        }
    }
    lc->shown = 0;
    return presenter_resize(&lc->pic, pw, ph, s, err, errlen);
}

int lectern_open(Lectern *lc, SDL_Window *beside, double font_scale, char *err, size_t errlen)
{
    SDL_Rect r;
    place(beside, &r);
    memset(lc, 0, sizeof *lc);
    lc->font_scale = font_scale;
    lc->text = malloc(sizeof *lc->text);
    lc->window = lc->text ? SDL_CreateWindow("Presenter \xe2\x80\x94 optiscope", r.x, r.y, r.w, r.h,
                                             SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI)
                          : NULL;
    if (lc->window && !SDL_GetWindowSurface(lc->window)) /* no surface (Wayland): a renderer */
        lc->renderer = SDL_CreateRenderer(lc->window, -1, 0);
    if (!lc->window || (!lc->renderer && !SDL_GetWindowSurface(lc->window))) {
        snprintf(err, errlen, "cannot open the presenter's window: %s", lc->text ? SDL_GetError() : "out of memory");
        lectern_close(lc);
        return -1;
    }
    if (fit(lc, err, errlen) < 0) {
        lectern_close(lc);
        return -1;
    }
    return 0;
}

void lectern_close(Lectern *lc)
{
    presenter_free(&lc->pic);
    if (lc->texture)
        SDL_DestroyTexture(lc->texture);
    if (lc->renderer)
        SDL_DestroyRenderer(lc->renderer);
    if (lc->window)
        SDL_DestroyWindow(lc->window);
    free(lc->text);
    memset(lc, 0, sizeof *lc);
}

static Uint32 event_window(const SDL_Event *e)
{
    switch (e->type) {
    case SDL_WINDOWEVENT: return e->window.windowID;
    case SDL_KEYDOWN:
    case SDL_KEYUP: return e->key.windowID;
    case SDL_TEXTINPUT: return e->text.windowID;
    case SDL_MOUSEMOTION: return e->motion.windowID;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: return e->button.windowID;
    case SDL_MOUSEWHEEL: return e->wheel.windowID;
    default: return 0;
    }
}

int lectern_owns(const Lectern *lc, const SDL_Event *e)
{
    return lc->window && event_window(e) == SDL_GetWindowID(lc->window);
}

int lectern_window_event(Lectern *lc, const SDL_Event *e, char *err, size_t errlen)
{
    if (e->type != SDL_WINDOWEVENT)
        return 0;
    switch (e->window.event) {
    case SDL_WINDOWEVENT_CLOSE: return 1;
    case SDL_WINDOWEVENT_SIZE_CHANGED:
    case SDL_WINDOWEVENT_DISPLAY_CHANGED: return fit(lc, err, errlen) < 0 ? -1 : 0;
    case SDL_WINDOWEVENT_EXPOSED:
    case SDL_WINDOWEVENT_SHOWN:
    case SDL_WINDOWEVENT_RESTORED: lc->shown = 0; return 0;
    default: return 0;
    }
}

static int send(Lectern *lc, char *err, size_t errlen)
{
    const Canvas *c = &lc->pic.c;
    int rc;
    if (lc->renderer) {
        rc = SDL_UpdateTexture(lc->texture, NULL, c->px, c->w * 4);
        if (rc == 0)
            rc = SDL_RenderCopy(lc->renderer, lc->texture, NULL, NULL);
        if (rc == 0)
            SDL_RenderPresent(lc->renderer);
    } else {
        SDL_Surface *ws = SDL_GetWindowSurface(lc->window);
        SDL_Surface *src = SDL_CreateRGBSurfaceWithFormatFrom(c->px, c->w, c->h, 32, c->w * 4, SDL_PIXELFORMAT_ARGB8888);
        rc = ws && src ? SDL_BlitSurface(src, NULL, ws, NULL) : -1;
        SDL_FreeSurface(src);
        if (rc == 0)
            rc = SDL_UpdateWindowSurface(lc->window);
    }
    if (rc != 0)
        snprintf(err, errlen, "cannot show the presenter's window: %s", SDL_GetError());
    return rc;
}

int lectern_show(Lectern *lc, const Session *ses, double now, char *err, size_t errlen)
{
    if (!lc->window || (SDL_GetWindowFlags(lc->window) & SDL_WINDOW_MINIMIZED) || lc->pic.c.w <= 0)
        return 0;
    if (lc->shown && now - lc->shown_at < 1.0 / LECTERN_HZ) /* a new size or an uncovered window: at once */
        return 0;
    lc->shown_at = now;
    session_presenter_text(ses, time(NULL), lc->text);
    uint64_t key = hash_int(hash_int(HASH_START, ses->theme), lc->pic.c.w * 65536LL + lc->pic.c.h);
    for (int i = 0; i < lc->text->n; i++)
        key = hash_str(hash_int(key, lc->text->line[i].style), lc->text->line[i].text);
    key += key == 0; /* 0 means "not shown" */
    if (key == lc->shown)
        return 0;
    if (presenter_draw(&lc->pic, ses, lc->text, err, errlen) < 0 || send(lc, err, errlen) < 0)
        return -1;
    lc->shown = key;
    return 0;
}
