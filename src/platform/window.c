/* The live window: events become actions, the simulation advances at a fixed number of
 * steps per second whatever the frame rate, and each frame is drawn into the canvas and
 * shown in one of two ways. With a graphics card, through one streaming texture, vsync on,
 * uploading only the rows that changed. Where OpenGL itself runs on the processor (llvmpipe
 * and friends, as on a laptop without GPU acceleration or a virtual machine) a full-window
 * texture costs tens of milliseconds a frame at 4K, so the canvas goes straight into the
 * window's surface instead, and only the boxes that changed are sent to the screen, at
 * the display's refresh rate. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

#include "app.h"
#include "files.h"
#include "input.h"
#include "lectern.h"
#include "output.h"
#include "prefs.h"
#include "record.h"
#include "shipped.h"
#include "../core/func.h"
#include "../render/image.h"

#define MESSAGE_SECONDS 2.5
#define MESSAGE_FADE 0.6
#define MAX_STEPS_PER_FRAME 2000 /* beyond this a slow frame drops steps rather than stalls */
#define FRAME_FLOOR_MS 8         /* caps the frame rate when vsync is not honoured */
#define IDLE_WAIT_MS 500         /* the longest sleep between frames while nothing moves */
#define CHANGE_BOXES 64          /* rectangles sent to the screen per frame, at most */
/* The canvas stays within these bounds whatever the window does; the renderer scales it. */
#define CANVAS_MIN_W 320
#define CANVAS_MIN_H 240
#define CANVAS_MAX 8192
#define ICON_SIZE 128 /* of the icons shipped, the one the window manager gets */

typedef struct {
    const Config *config;
    SDL_Window *window;
    SDL_Renderer *renderer; /* NULL: the frame goes into the window's surface */
    SDL_Texture *texture;
    int canvas_w, canvas_h; /* the size the canvas was made for, 0 before the first */
    int show_all;           /* the next frame is sent whole (new size, uncovered window) */
    double frame_ms;        /* the least time between two frames */
    Draw *draw;
    Session *ses;
    int quit;
    Mouse mouse;
    double px_per_point; /* canvas pixels per point */
    double scale_x, scale_y; /* canvas pixels per window coordinate, for the pointer */
    double step_debt;    /* simulation steps owed to the clock */
    double slow_clock;   /* seconds the slow motion's phase has shown */
    unsigned long seen_message;
    double message_at;
    Recording rec; /* rec.enc is NULL while not recording */
    Lectern lectern; /* the presenter's window; lectern.window is NULL while closed */
} App;

static void stop_recording(App *app, const char *why);

static double seconds(void)
{
    return SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency();
}

/* Text follows the display's density: 96 dpi is 1. */
static double display_scale(SDL_Window *w)
{
    float ddpi = 0;
    const int display = SDL_GetWindowDisplayIndex(w);
    if (display < 0 || SDL_GetDisplayDPI(display, &ddpi, NULL, NULL) < 0 || ddpi <= 0)
        return 1;
    return fmin(3, fmax(1, ddpi / 96.0));
}

static int clamp_int(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The window's size in pixels, which can differ from its size in coordinates on HiDPI. */
static int output_size(App *app, int *pw, int *ph)
{
    if (app->renderer)
        return SDL_GetRendererOutputSize(app->renderer, pw, ph);
    SDL_GetWindowSizeInPixels(app->window, pw, ph);
    return 0;
}

/* Canvas, texture and layout for the window's current pixel size. A tiny window gets a
 * minimal canvas shrunk to fit, a huge one a canvas as large as a texture may be. */
static int fit_window(App *app, char *err, size_t errlen)
{
    int ww, wh, pw, ph;
    SDL_GetWindowSize(app->window, &ww, &wh);
    if (output_size(app, &pw, &ph) < 0) {
        snprintf(err, errlen, "cannot read the window size: %s", SDL_GetError());
        return -1;
    }
    if (pw < 1 || ph < 1 || ww < 1)
        return 0; /* minimised: keep what we have */
    app->show_all = 1;
    SDL_RendererInfo info;
    int max_w = CANVAS_MAX, max_h = CANVAS_MAX;
    if (app->renderer && SDL_GetRendererInfo(app->renderer, &info) == 0 && info.max_texture_width > 0) {
        max_w = info.max_texture_width < max_w ? info.max_texture_width : max_w;
        max_h = info.max_texture_height < max_h ? info.max_texture_height : max_h;
    }
    const int ow = pw, oh = ph;
    pw = clamp_int(pw, CANVAS_MIN_W, max_w);
    ph = clamp_int(ph, CANVAS_MIN_H, max_h);
    /* A texture is stretched over the window; a surface shows the canvas pixel for pixel
     * from the top left, cut or with a border where the canvas was clamped. */
    app->scale_x = app->renderer ? (double)pw / ww : (double)ow / ww;
    app->scale_y = app->renderer ? (double)ph / wh : (double)oh / wh;
    if (app->canvas_w == pw && app->canvas_h == ph)
        return 0;
    if (app->rec.enc) /* a file keeps one size */
        stop_recording(app, "the window changed size");
    /* Text follows the screen's density, not the clamped canvas. */
    app->px_per_point = (double)ow / ww * display_scale(app->window) * app->config->font_scale;
    if (app->texture)
        SDL_DestroyTexture(app->texture);
    app->texture = NULL;
    if (app->renderer) {
        app->texture = SDL_CreateTexture(app->renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, pw, ph);
        if (!app->texture) {
            snprintf(err, errlen, "cannot create a %dx%d texture: %s", pw, ph, SDL_GetError());
            return -1;
        }
    }
    if (draw_resize(app->draw, pw, ph, app->px_per_point, err, errlen) < 0)
        return -1;
    if (canvas_track_changes(draw_picture(app->draw)) < 0) {
        snprintf(err, errlen, "out of memory for a %dx%d window", pw, ph);
        return -1;
    }
    app->canvas_w = pw;
    app->canvas_h = ph;
    app_relayout(app->draw, app->ses, 1);
    return 0;
}

static int stamped_name(char *buf, size_t len, const char *dir, const char *ext, char *err, size_t errlen)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    char stem[CONFIG_PATH_MAX + 64];
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(stem, sizeof stem, "%s%soptiscope-%s", dir, dir[0] ? "/" : "", stamp);
    /* Two in one second: the second is -2, and so on, rather than over the first. */
    return output_unique_name(buf, len, stem, ext, err, errlen);
}

/* The picture for slides, at --scale (Shift+S: twice that) times the window's pixels; what
 * happened goes back to the session as a note. */
static void take_screenshot(App *app, int times)
{
    char path[CONFIG_PATH_MAX + 64], err[256], note[400];
    const double k = app->ses->shot_scale * times;
    const Canvas *f = draw_picture(app->draw);
    const int w = (int)lround(f->w * k), h = (int)lround(f->h * k);
    if (stamped_name(path, sizeof path, app->config->shot_dir, times > 1 ? "@2x.png" : ".png", err, sizeof err) < 0) {
        snprintf(note, sizeof note, "%s", err);
    } else if (files_check_writable("screenshot", path, err, sizeof err) < 0 ||
               app_screenshot(app->ses, w, h, app->px_per_point * k, path, err, sizeof err) < 0) {
        snprintf(note, sizeof note, "%s", err);
        unlink(path); /* the name reserved for it */
    } else {
        snprintf(note, sizeof note, "saved %s (%dx%d)", path, w, h);
    }
    const Action a = { .kind = ACTION_NOTE, .text = note };
    session_apply(app->ses, &a);
}

/* A click on a legend row selects that run; anywhere else it is the session's to read. */
static Action legend_click(const App *app, Action a)
{
    if (a.kind != ACTION_SET_START)
        return a;
    const int row = layout_legend_row(draw_last_layout(app->draw), app->ses->sim.nruns, a.x, a.y);
    if (row >= 0)
        return (Action){ .kind = ACTION_SELECT, .arg = row };
    return a;
}

static int in_box(CanvasBox b, double x, double y)
{
    return b.w > 0 && x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h;
}

/* Over the 3D view a drag turns it, the wheel zooms it and a click does nothing (its pixels
 * are no place on the map); elsewhere a Shift+drag pans as a drag does. */
static Action surface_gesture(const App *app, Action a)
{
    const CanvasBox b = app->ses->views != VIEWS_MAP ? draw_last_layout(app->draw)->surface : (CanvasBox){ 0, 0, 0, 0 };
    const double px = (app->mouse.down_x + 0.5) * app->scale_x, py = (app->mouse.down_y + 0.5) * app->scale_y;
    if (a.kind == ACTION_ZOOM && in_box(b, a.x, a.y))
        return (Action){ .kind = ACTION_CAMERA_ZOOM, .factor = a.factor };
    if (a.kind == ACTION_SET_START && in_box(b, a.x, a.y))
        return (Action){ .kind = ACTION_NONE };
    if ((a.kind == ACTION_PAN || a.kind == ACTION_ORBIT) && in_box(b, px, py))
        a.kind = ACTION_ORBIT;
    else if (a.kind == ACTION_ORBIT)
        a.kind = app->mouse.orbit && !(SDL_GetMouseState(NULL, NULL) & SDL_BUTTON(SDL_BUTTON_RIGHT)) ? ACTION_PAN
                                                                                                      : ACTION_NONE;
    return a;
}

/* What the shell did, told to the session as a note it shows. */
static void note(App *app, const char *fmt, ...)
{
    char text[SESSION_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    const Action a = { .kind = ACTION_NOTE, .text = text };
    session_apply(app->ses, &a);
}

/* Ends the recording, saving what it holds; `why` says why when it was not asked for. */
static void stop_recording(App *app, const char *why)
{
    char path[1024], err[256];
    if (record_stop(&app->rec, path, sizeof path, err, sizeof err) < 0)
        note(app, "%s", err);
    else
        note(app, "%s%ssaved %s", why ? why : "", why ? ": " : "", path);
}

/* Shift+R: the clean picture, a frame per 1/fps second of simulation at the current
 * speed, into optiscope-YYYYMMDD-HHMMSS.mp4 here; again, and the file is finished. */
static void toggle_recording(App *app)
{
    if (app->rec.enc) {
        stop_recording(app, NULL);
        return;
    }
    char path[128], err[256];
    const Canvas *f = draw_picture(app->draw);
    if (stamped_name(path, sizeof path, "", ".mp4", err, sizeof err) < 0 ||
        record_start(&app->rec, path, f->w, f->h, app->px_per_point, record_fps(app->config), err, sizeof err) < 0)
        note(app, "%s", err);
    else
        note(app, "recording %s (Shift+R stops)", path);
}

/* The frames a step earned for the recording; a failure (a full disk) ends it. */
static void record_after_step(App *app)
{
    char err[256];
    if (app->rec.enc && record_step(&app->rec, app->ses, err, sizeof err) < 0)
        stop_recording(app, NULL);
}

/* The command line read again, and with it scene number `scene` of the deck as its file
 * is now. */
static void reload(App *app, int scene)
{
    char err[512];
    Config c;
    config_defaults(&c);
    c.data = app->config->data; /* main's: a data set read before is read from memory */
    c.deck_at = scene;
    if (prefs_load(&c, app->config->argc, app->config->argv, err, sizeof err) < 0 ||
        config_parse_args(&c, app->config->argc, app->config->argv, shipped_read_scene, err, sizeof err) < 0 ||
        config_finish(&c, err, sizeof err) < 0) {
        note(app, "not reloaded: %s", err);
        return;
    }
    const Action a = { .kind = ACTION_LOAD,
                       .arg = scene != app->ses->deck_at,
                       .config = &c,
                       .text = c.deck_count ? c.deck[c.deck_at] : "the command line" };
    if (session_apply(app->ses, &a).flags & EFFECT_LAYOUT)
        app_relayout(app->draw, app->ses, 1);
    if (app->ses->deck_at == c.deck_at) /* loaded (a scene that cannot be made leaves the old one) */
        app_next_title(app->ses, &c);
}

static void save_scene(App *app)
{
    char path[128], err[320];
    if (stamped_name(path, sizeof path, "", ".scene", err, sizeof err) < 0 || app_save_scene(app->ses, path, err, sizeof err) < 0)
        note(app, "%s", err);
    else
        note(app, "saved %s", path);
}

/* Desktop fullscreen: the window takes the screen's size and the layout follows it. */
static void toggle_fullscreen(App *app)
{
    const int on = (SDL_GetWindowFlags(app->window) & SDL_WINDOW_FULLSCREEN_DESKTOP) == SDL_WINDOW_FULLSCREEN_DESKTOP;
    if (SDL_SetWindowFullscreen(app->window, on ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP) < 0)
        note(app, "cannot change fullscreen: %s", SDL_GetError());
    else
        note(app, "fullscreen %s", on ? "off" : "on");
}

/* F5: the presenter's window opens, or closes; the session hears which. */
static void toggle_presenter(App *app)
{
    char err[256];
    const int was_open = app->lectern.window != NULL;
    int open = 0;
    if (was_open)
        lectern_close(&app->lectern);
    else if (lectern_open(&app->lectern, app->window, app->config->font_scale, err, sizeof err) == 0)
        open = 1;
    const Action a = { .kind = ACTION_PRESENTER_SHOWN, .arg = open };
    session_apply(app->ses, &a);
    if (open)
        note(app, "presenter's screen open (F5 closes it)");
    else if (was_open)
        note(app, "presenter's screen closed");
    else
        note(app, "%s", err);
    app_relayout(app->draw, app->ses, 1);
}

/* The presenter's window failed (it could not be drawn or shown): it closes, saying why,
 * and the lecture goes on in the main window. */
static void presenter_failed(App *app, const char *why)
{
    char text[SESSION_MESSAGE_MAX];
    snprintf(text, sizeof text, "%s", why);
    toggle_presenter(app);
    note(app, "presenter's screen closed: %s", text);
}

static void carry_out(App *app, Effects fx)
{
    if (fx.flags & EFFECT_QUIT)
        app->quit = 1;
    if (fx.flags & EFFECT_SCREENSHOT)
        take_screenshot(app, fx.shot_scale);
    if (fx.flags & EFFECT_RECORD)
        toggle_recording(app);
    if (fx.flags & EFFECT_LAYOUT)
        app_relayout(app->draw, app->ses, 1);
    if (fx.flags & EFFECT_RELOAD_SCENE)
        reload(app, fx.scene);
    if (fx.flags & EFFECT_SAVE_SCENE)
        save_scene(app);
    if (fx.flags & EFFECT_FULLSCREEN)
        toggle_fullscreen(app);
    if (fx.flags & EFFECT_PRESENTER)
        toggle_presenter(app);
    /* Off otherwise, so a key that opens a line is not also typed into it. */
    if ((fx.flags & EFFECT_EDIT) && app->ses->edit.open)
        SDL_StartTextInput();
    else if (fx.flags & EFFECT_EDIT)
        SDL_StopTextInput();
}

static int handle_event(App *app, const SDL_Event *e, char *err, size_t errlen)
{
    /* The presenter's window: its own resizing and closing; its keys go on to the session,
     * its mouse nowhere (it has no map). */
    if (lectern_owns(&app->lectern, e)) {
        char why[256];
        const int asked = lectern_window_event(&app->lectern, e, why, sizeof why);
        if (asked < 0)
            presenter_failed(app, why);
        if (asked == 1)
            toggle_presenter(app);
        if (e->type != SDL_KEYDOWN && e->type != SDL_TEXTINPUT)
            return 0;
    } else if (e->type == SDL_WINDOWEVENT && e->window.event == SDL_WINDOWEVENT_CLOSE && app->lectern.window) {
        /* With two windows SDL quits only when both are closed: the main one closing is the end. */
        const Action a = { .kind = ACTION_QUIT, .arg = 1 };
        carry_out(app, session_apply(app->ses, &a));
        return 0;
    }
    if (e->type == SDL_WINDOWEVENT && lectern_owns(&app->lectern, e))
        return 0;
    if (e->type == SDL_WINDOWEVENT &&
        (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED || e->window.event == SDL_WINDOWEVENT_DISPLAY_CHANGED))
        return fit_window(app, err, errlen);
    if (e->type == SDL_WINDOWEVENT && (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
                                       e->window.event == SDL_WINDOWEVENT_SHOWN ||
                                       e->window.event == SDL_WINDOWEVENT_RESTORED))
        app->show_all = 1;
    if (app->ses->edit.open) {
        const Action a = input_translate_edit(e);
        if (a.kind != ACTION_NONE)
            carry_out(app, session_apply(app->ses, &a));
        if (a.arg == INPUT_TEXT_OWNED && a.kind == ACTION_EDIT_TEXT)
            SDL_free((char *)a.text);
        return 0;
    }
    const Action a = surface_gesture(app, legend_click(app, input_translate(e, &app->mouse, app->scale_x, app->scale_y)));
    if (a.kind != ACTION_NONE)
        carry_out(app, session_apply(app->ses, &a));
    if (a.kind == ACTION_STEP)
        record_after_step(app);
    if (a.kind == ACTION_SLOW_STEP)
        app->slow_clock = 0;
    return 0;
}

static double message_alpha(App *app, double now)
{
    if (app->ses->message_serial != app->seen_message) {
        app->seen_message = app->ses->message_serial;
        app->message_at = now;
    }
    const double age = now - app->message_at;
    if (app->ses->message_serial == 0 || age > MESSAGE_SECONDS + MESSAGE_FADE)
        return 0;
    return age < MESSAGE_SECONDS ? 1 : 1 - (age - MESSAGE_SECONDS) / MESSAGE_FADE;
}

/* Shift+N's slow motion: its next phase once the phase has shown its time; after the last
 * phase the session takes the step. */
static void advance_slow(App *app, double dt)
{
    Session *ses = app->ses;
    if (!ses->slow_phase)
        return;
    app->slow_clock += dt;
    if (app->slow_clock < SESSION_SLOW_PHASE_SECONDS)
        return;
    app->slow_clock = 0;
    const Action a = { .kind = ACTION_SLOW_NEXT };
    carry_out(app, session_apply(ses, &a));
    if (!ses->slow_phase)
        record_after_step(app);
}

/* Steps owed since the last frame at the session's speed. */
static void advance(App *app, double dt)
{
    Session *ses = app->ses;
    advance_slow(app, dt);
    if (ses->paused || sim_live_runs(&ses->sim) == 0) {
        app->step_debt = 0;
        return;
    }
    app->step_debt += dt * ses->speed;
    int n = 0;
    while (app->step_debt >= 1 && n < MAX_STEPS_PER_FRAME && !ses->paused) { /* the scene's steps pause */
        session_step(ses);
        record_after_step(app);
        app->step_debt -= 1;
        n++;
    }
    if (n == MAX_STEPS_PER_FRAME)
        app->step_debt = 0;
}

/* The changed boxes of the frame into the window's surface, and those boxes to the screen.
 * A surface larger than the canvas (a window beyond the largest canvas) is cleared around
 * it when sent whole; a smaller one shows the canvas's top left. */
static int show_in_surface(App *app, const CanvasBox *boxes, int n, char *err, size_t errlen)
{
    const Canvas *f = draw_picture(app->draw);
    SDL_Surface *ws = SDL_GetWindowSurface(app->window);
    if (!ws) {
        snprintf(err, errlen, "cannot draw into the window: %s", SDL_GetError());
        return -1;
    }
    const int clear = app->show_all && (ws->w > f->w || ws->h > f->h);
    if (clear)
        SDL_FillRect(ws, NULL, SDL_MapRGB(ws->format, 0, 0, 0));
    SDL_Rect rects[CHANGE_BOXES];
    int nr = 0;
    for (int i = 0; i < n; i++) {
        SDL_Rect r = { boxes[i].x, boxes[i].y, boxes[i].w, boxes[i].h };
        r.w = r.x + r.w > ws->w ? ws->w - r.x : r.w;
        r.h = r.y + r.h > ws->h ? ws->h - r.y : r.h;
        if (r.w > 0 && r.h > 0)
            rects[nr++] = r;
    }
    int rc = 0;
    if (ws->format->format == SDL_PIXELFORMAT_ARGB8888 || ws->format->format == SDL_PIXELFORMAT_RGB888) {
        rc = SDL_LockSurface(ws);
        for (int i = 0; i < nr && rc == 0; i++)
            for (int y = rects[i].y; y < rects[i].y + rects[i].h; y++)
                memcpy((char *)ws->pixels + (size_t)y * ws->pitch + (size_t)rects[i].x * 4,
                       f->px + (size_t)y * f->w + rects[i].x, (size_t)rects[i].w * 4);
        if (rc == 0)
            SDL_UnlockSurface(ws);
    } else { /* another pixel format: SDL converts */
        SDL_Surface *src =
            SDL_CreateRGBSurfaceWithFormatFrom(f->px, f->w, f->h, 32, f->w * 4, SDL_PIXELFORMAT_ARGB8888);
        rc = src ? 0 : -1;
        for (int i = 0; i < nr && rc == 0; i++) {
            SDL_Rect r = rects[i];
            rc = SDL_BlitSurface(src, &r, ws, &r);
        }
        SDL_FreeSurface(src);
    }
    if (clear) {
        rects[0] = (SDL_Rect){ 0, 0, ws->w, ws->h };
        nr = 1;
    }
    if (rc == 0 && nr > 0)
        rc = SDL_UpdateWindowSurfaceRects(app->window, rects, nr);
    if (rc != 0) {
        snprintf(err, errlen, "cannot show the frame: %s", SDL_GetError());
        return -1;
    }
    return 0;
}

/* The changed boxes into the texture, then the texture to the screen at the next vsync. */
static int show_in_texture(App *app, const CanvasBox *boxes, int n, char *err, size_t errlen)
{
    const Canvas *f = draw_picture(app->draw);
    for (int i = 0; i < n; i++) {
        const SDL_Rect r = { boxes[i].x, boxes[i].y, boxes[i].w, boxes[i].h };
        if (SDL_UpdateTexture(app->texture, &r, f->px + (size_t)r.y * f->w + r.x, f->w * 4) < 0) {
            snprintf(err, errlen, "cannot show the frame: %s", SDL_GetError());
            return -1;
        }
    }
    if (SDL_RenderCopy(app->renderer, app->texture, NULL, NULL) < 0) {
        snprintf(err, errlen, "cannot show the frame: %s", SDL_GetError());
        return -1;
    }
    SDL_RenderPresent(app->renderer);
    return 0;
}

static int present(App *app, double now, char *err, size_t errlen)
{
    /* The legend's lines may have grown with a step (a new schedule text): lay out again,
     * which tells the session only when the map moved. */
    app_relayout(app->draw, app->ses, 1);
    const DrawOptions o = { .live = 1,
                            .message_alpha = message_alpha(app, now),
                            .recording = app->rec.enc != NULL,
                            .recorded = record_seconds(&app->rec),
                            .progressive = 1,
                            .dragging = input_dragging(&app->mouse) };
    if (draw_frame(app->draw, app->ses, &o, err, errlen) < 0)
        return -1;
    Canvas *f = draw_picture(app->draw);
    CanvasBox boxes[CHANGE_BOXES];
    int n = canvas_take_changes(f, boxes, CHANGE_BOXES);
    if (app->show_all) {
        boxes[0] = (CanvasBox){ 0, 0, f->w, f->h };
        n = 1;
    }
    if (n == 0) /* nothing changed: the screen keeps what it shows */
        return 0;
    const int rc = app->renderer ? show_in_texture(app, boxes, n, err, errlen)
                                 : show_in_surface(app, boxes, n, err, errlen);
    app->show_all = 0;
    return rc;
}

static int running(const App *app)
{
    return !app->ses->paused && sim_live_runs(&app->ses->sim) > 0;
}

/* Seconds the last message has been shown; < 0 when none shows, 0 when one is new. */
static double message_age(const App *app)
{
    const Session *ses = app->ses;
    if (ses->message_serial == 0)
        return -1;
    if (ses->message_serial != app->seen_message)
        return 0;
    const double age = seconds() - app->message_at;
    return age < MESSAGE_SECONDS + MESSAGE_FADE ? age : -1;
}

/* Whether the picture changes by itself from one frame to the next: runs stepping at least
 * once a frame, a message new or fading, a recording, the exact map of a moved view or the
 * basin map being computed, a frame to send whole. While not, the loop sleeps until an event comes or the next step is due. */
static int animating(const App *app)
{
    const double age = message_age(app);
    const int every_frame = running(app) && app->ses->speed * app->frame_ms >= 1e3;
    const int message = age == 0 || age >= MESSAGE_SECONDS;
    const int shown = !(SDL_GetWindowFlags(app->window) & SDL_WINDOW_MINIMIZED);
    return every_frame || message || app->rec.enc || (app->show_all && shown) || draw_busy(app->draw);
}

/* Milliseconds to wait for an event after a frame that took `spent`: the rest of a frame
 * while animating; otherwise until the next change falls due (the next step of runs slower
 * than the frames, the message starting to fade), a long while when none will. */
static double wait_ms(const App *app, double spent)
{
    const double frame = app->frame_ms - spent;
    if (animating(app))
        return frame;
    double due = IDLE_WAIT_MS;
    if (running(app) && app->ses->speed > 0)
        due = fmin(due, (1 - app->step_debt) / app->ses->speed * 1e3 - spent);
    if (app->ses->slow_phase)
        due = fmin(due, (SESSION_SLOW_PHASE_SECONDS - app->slow_clock) * 1e3 - spent);
    const double age = message_age(app);
    if (age > 0)
        due = fmin(due, (MESSAGE_SECONDS - age) * 1e3);
    return fmax(frame, due);
}

/* input -> apply -> step -> draw -> present, until Q, Esc or the window closes. Between
 * frames it waits for input, which wakes it at once. */
static int loop(App *app, char *err, size_t errlen)
{
    double last = seconds(), waited = 0;
    while (!app->quit) {
        if (input_quit_signalled()) { /* as closing the window: not the help's Esc */
            const Action a = { .kind = ACTION_QUIT, .arg = 1 };
            carry_out(app, session_apply(app->ses, &a));
            break;
        }
        SDL_Event e;
        while (SDL_PollEvent(&e))
            if (handle_event(app, &e, err, errlen) < 0)
                return -1;
        const double now = seconds();
        /* A stall counts for a quarter second at most, a sleep asked for in full. */
        advance(app, fmin(now - last, 0.25 + waited / 1e3));
        last = now;
        if (!(SDL_GetWindowFlags(app->window) & SDL_WINDOW_MINIMIZED) && present(app, now, err, errlen) < 0)
            return -1;
        char why[256];
        if (lectern_show(&app->lectern, app->ses, now, why, sizeof why) < 0)
            presenter_failed(app, why);
        waited = wait_ms(app, (seconds() - now) * 1e3);
        if (waited >= 1 && SDL_WaitEventTimeout(&e, (int)waited) && handle_event(app, &e, err, errlen) < 0)
            return -1;
    }
    return 0;
}

/* Whether the renderer draws on the processor: SDL's software renderer, or OpenGL by
 * Mesa's llvmpipe or softpipe (no graphics card, or a virtual machine). */
static int renders_in_software(SDL_Renderer *r)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(r, &info) < 0 || (info.flags & SDL_RENDERER_SOFTWARE))
        return 1;
    if (strncmp(info.name, "opengl", 6) != 0 || !SDL_GL_GetCurrentContext())
        return 0;
    typedef const unsigned char *(*GetString)(unsigned name);
    void *proc = SDL_GL_GetProcAddress("glGetString");
    if (!proc)
        return 0;
    GetString get_string;
    memcpy(&get_string, &proc, sizeof get_string); /* C has no cast from void * to a function */
    const char *name = (const char *)get_string(0x1F01 /* GL_RENDERER */);
    return name && (strstr(name, "llvmpipe") || strstr(name, "softpipe") || strstr(name, "Software Rasterizer"));
}

/* Frames per second the display shows, 60 when it does not say. */
static double refresh_rate(SDL_Window *w)
{
    SDL_DisplayMode mode;
    const int display = SDL_GetWindowDisplayIndex(w);
    if (display < 0 || SDL_GetCurrentDisplayMode(display, &mode) < 0 || mode.refresh_rate < 24 ||
        mode.refresh_rate > 480)
        return 60;
    return mode.refresh_rate;
}

enum { PRESENT_AUTO, PRESENT_TEXTURE, PRESENT_SURFACE };

/* OPTISCOPE_PRESENT=texture|surface overrides the choice between the two ways to the screen. */
static int present_choice(int *mode, char *err, size_t errlen)
{
    const char *v = getenv("OPTISCOPE_PRESENT");
    *mode = !v || !*v || !strcmp(v, "auto") ? PRESENT_AUTO
            : !strcmp(v, "texture")         ? PRESENT_TEXTURE
            : !strcmp(v, "surface")         ? PRESENT_SURFACE
                                            : -1;
    if (*mode < 0)
        snprintf(err, errlen, "OPTISCOPE_PRESENT is '%.40s'; valid: auto, texture, surface", v);
    return *mode < 0 ? -1 : 0;
}

/* The icon the desktop entry shows; without it the window manager shows its own. */
static void set_icon(SDL_Window *w)
{
    char path[SHIPPED_PATH_MAX], err[256];
    int iw, ih;
    unsigned char *px;
    if (shipped_icon(ICON_SIZE, path, sizeof path) < 0 || image_read_png(path, &iw, &ih, &px, err, sizeof err) < 0)
        return;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(px, iw, ih, 32, iw * 4, SDL_PIXELFORMAT_RGBA32);
    if (s) {
        SDL_SetWindowIcon(w, s);
        SDL_FreeSurface(s);
    }
    free(px);
}

/* "optiscope — " and the scene's title, or the function. */
static void window_title(const Config *c, char *buf, size_t len)
{
    char what[CONFIG_TITLE_MAX + 64];
    if (c->title[0])
        snprintf(what, sizeof what, "%s", c->title);
    else
        spec_format_brief(&func_table, &c->func, what, sizeof what);
    snprintf(buf, len, "optiscope \xe2\x80\x94 %s", what);
}

static AppStatus open_window(App *app, const Config *c, char *err, size_t errlen)
{
    char title[CONFIG_TITLE_MAX + 96];
    int present_mode;
    if (present_choice(&present_mode, err, errlen) < 0)
        return APP_BAD_INPUT;
#ifdef __linux__
    /* Asking SDL would try Wayland and print its own complaint first; say it in one line. */
    if (!getenv("SDL_VIDEODRIVER") && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")) {
        snprintf(err, errlen, "no display available (DISPLAY and WAYLAND_DISPLAY are unset); use --headless to "
                              "render without a display");
        return APP_BAD_INPUT;
    }
    if (!getenv("SDL_VIDEODRIVER") && !getenv("WAYLAND_DISPLAY"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11");
#endif
    /* A window surface is sent to the screen as it is, not through an OpenGL texture, which
     * is what it is for here: the processor's OpenGL would only copy it twice more. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1"); /* ours: see input_quit_on_signals */
    if (SDL_Init(SDL_INIT_VIDEO) < 0) {
        snprintf(err, errlen, "cannot open a window (%s); use --headless to render without a display",
                 SDL_GetError());
        return APP_BAD_INPUT;
    }
    input_quit_on_signals();
    /* With no display SDL falls back to its offscreen driver: nobody would see a window. */
    const char *driver = SDL_GetCurrentVideoDriver();
    if (!getenv("SDL_VIDEODRIVER") && driver && (!strcmp(driver, "offscreen") || !strcmp(driver, "dummy"))) {
        snprintf(err, errlen, "no display available (DISPLAY and WAYLAND_DISPLAY unset?); use --headless to "
                              "render without a display");
        return APP_BAD_INPUT;
    }
    window_title(c, title, sizeof title);
    app->window = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, c->width, c->height,
                                   SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_HIDDEN |
                                       (c->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0));
    if (!app->window) {
        snprintf(err, errlen, "cannot open a window (%s); use --headless to render without a display",
                 SDL_GetError());
        return APP_BAD_INPUT;
    }
    SDL_SetWindowMinimumSize(app->window, CANVAS_MIN_W, CANVAS_MIN_H);
    set_icon(app->window);
    if (present_mode != PRESENT_SURFACE)
        app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_PRESENTVSYNC);
    if (present_mode == PRESENT_TEXTURE && !app->renderer)
        app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_SOFTWARE);
    if (present_mode == PRESENT_TEXTURE && !app->renderer) {
        snprintf(err, errlen, "cannot draw into the window: %s", SDL_GetError());
        return APP_FAILED;
    }
    if (present_mode == PRESENT_AUTO && app->renderer && renders_in_software(app->renderer)) {
        SDL_DestroyRenderer(app->renderer);
        app->renderer = NULL;
    }
    /* Some video drivers (Wayland) have no window surface of their own: a renderer it is. */
    if (!app->renderer && !SDL_GetWindowSurface(app->window) && present_mode == PRESENT_AUTO)
        app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_PRESENTVSYNC);
    if (!app->renderer && !SDL_GetWindowSurface(app->window)) {
        snprintf(err, errlen, "cannot draw into the window: %s", SDL_GetError());
        return APP_FAILED;
    }
    app->frame_ms = app->renderer ? FRAME_FLOOR_MS : 1000.0 / refresh_rate(app->window);
    /* Shown only now: a renderer that needs another kind of window would otherwise make SDL
     * replace the visible one, which flashes and changes its id under a window manager. */
    SDL_ShowWindow(app->window);
    /* SDL starts with text input on; keys drive the app until E opens the input line. */
    SDL_StopTextInput();
    return APP_OK;
}

static AppStatus run(App *app, const Config *c, char *err, size_t errlen)
{
    const AppStatus rc = open_window(app, c, err, errlen);
    if (rc != APP_OK)
        return rc;
    int pw = c->width, ph = c->height;
    output_size(app, &pw, &ph);
    app->px_per_point = (double)pw / c->width * display_scale(app->window) * c->font_scale;
    pw = clamp_int(pw, CANVAS_MIN_W, CANVAS_MAX);
    ph = clamp_int(ph, CANVAS_MIN_H, CANVAS_MAX);
    app->draw = app_prepare(app->ses, c, pw, ph, app->px_per_point, 1, err, errlen);
    if (!app->draw)
        return APP_FAILED;
    const Action stop = { .kind = ACTION_STOP_AT, .arg = (int)c->steps };
    session_apply(app->ses, &stop);
    if (c->presenter)
        toggle_presenter(app);
    if (fit_window(app, err, errlen) < 0 || loop(app, err, errlen) < 0)
        return APP_FAILED;
    char saved[1024];
    if (app->rec.enc && record_stop(&app->rec, saved, sizeof saved, err, errlen) < 0)
        return APP_FAILED;
    if (c->dump_state && app_dump_state(app->ses, app->draw, 1, c->dump_state, err, errlen) < 0)
        return APP_FAILED;
    return APP_OK;
}

AppStatus window_run(const Config *c, char *err, size_t errlen)
{
    if (c->dump_state && strcmp(c->dump_state, "-") != 0 &&
        files_check_writable("state", c->dump_state, err, errlen) < 0)
        return APP_BAD_INPUT;
    App *app = calloc(1, sizeof *app);
    Session *ses = calloc(1, sizeof *ses);
    if (!app || !ses) {
        free(app);
        free(ses);
        snprintf(err, errlen, "out of memory");
        return APP_FAILED;
    }
    app->config = c;
    app->ses = ses;
    const AppStatus rc = run(app, c, err, errlen);
    encode_abort(app->rec.enc);
    lectern_close(&app->lectern);
    draw_free(app->draw);
    if (app->texture)
        SDL_DestroyTexture(app->texture);
    if (app->renderer)
        SDL_DestroyRenderer(app->renderer);
    if (app->window)
        SDL_DestroyWindow(app->window);
    SDL_Quit();
    free(app);
    session_free(ses);
    return rc;
}
