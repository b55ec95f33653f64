/* The live window: events become actions, the simulation advances at a fixed number of
 * steps per second whatever the frame rate, and each frame is drawn into the canvas
 * and shown through one streaming texture (vsync on). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL.h>

#include "app.h"
#include "files.h"
#include "input.h"
#include "shot.h"

#define MESSAGE_SECONDS 2.5
#define MESSAGE_FADE 0.6
#define MAX_STEPS_PER_FRAME 2000 /* beyond this a slow frame drops steps rather than stalls */
#define FRAME_FLOOR_MS 8         /* caps the frame rate when vsync is not honoured */
/* The canvas stays within these bounds whatever the window does; the renderer scales it. */
#define CANVAS_MIN_W 320
#define CANVAS_MIN_H 240
#define CANVAS_MAX 8192

typedef struct {
    const Config *config;
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *texture;
    Draw draw;
    Ui *ui;
    Mouse mouse;
    double px_per_point; /* canvas pixels per point */
    double pixel_ratio;  /* canvas pixels per window coordinate */
    double step_debt;    /* simulation steps owed to the clock */
    unsigned long seen_message;
    double message_at;
} App;

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

/* Canvas, texture and layout for the window's current pixel size. A tiny window gets a
 * minimal canvas shrunk to fit, a huge one a canvas as large as a texture may be. */
static int fit_window(App *app, char *err, size_t errlen)
{
    int ww, wh, pw, ph;
    SDL_GetWindowSize(app->window, &ww, &wh);
    if (SDL_GetRendererOutputSize(app->renderer, &pw, &ph) < 0) {
        snprintf(err, errlen, "cannot read the window size: %s", SDL_GetError());
        return -1;
    }
    if (pw < 1 || ph < 1 || ww < 1)
        return 0; /* minimised: keep what we have */
    SDL_RendererInfo info;
    int max_w = CANVAS_MAX, max_h = CANVAS_MAX;
    if (SDL_GetRendererInfo(app->renderer, &info) == 0 && info.max_texture_width > 0) {
        max_w = info.max_texture_width < max_w ? info.max_texture_width : max_w;
        max_h = info.max_texture_height < max_h ? info.max_texture_height : max_h;
    }
    pw = clamp_int(pw, CANVAS_MIN_W, max_w);
    ph = clamp_int(ph, CANVAS_MIN_H, max_h);
    if (app->texture && app->draw.frame.w == pw && app->draw.frame.h == ph)
        return 0;
    app->pixel_ratio = (double)pw / ww;
    app->px_per_point = app->pixel_ratio * display_scale(app->window) * app->config->font_scale;
    if (app->texture)
        SDL_DestroyTexture(app->texture);
    app->texture = SDL_CreateTexture(app->renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, pw, ph);
    if (!app->texture) {
        snprintf(err, errlen, "cannot create a %dx%d texture: %s", pw, ph, SDL_GetError());
        return -1;
    }
    if (draw_resize(&app->draw, pw, ph, app->px_per_point, err, errlen) < 0)
        return -1;
    double rect[4];
    draw_map_rect(&app->draw, app->ui->title[0] != 0, rect);
    ui_resize(app->ui, rect[0], rect[1], rect[2], rect[3]);
    return 0;
}

static void screenshot_name(char *buf, size_t len, int scale)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(buf, len, "optiscope-%s%s.png", stamp, scale > 1 ? "@2x" : "");
}

/* S saves what is on screen; Shift+S renders the same scene again at twice the pixels. */
static void take_screenshot(App *app, int scale)
{
    char path[128], err[256];
    screenshot_name(path, sizeof path, scale);
    if (files_check_writable("screenshot", path, err, sizeof err) < 0) {
        ui_message(app->ui, "%s", err);
        return;
    }
    if (scale == 1) {
        if (shot_write_png(&app->draw.frame, path, err, sizeof err) < 0)
            ui_message(app->ui, "%s", err);
        else
            ui_message(app->ui, "saved %s", path);
        return;
    }
    Draw *big = calloc(1, sizeof *big);
    Ui *copy = malloc(sizeof *copy);
    int ok = big && copy &&
             draw_init(big, app->draw.frame.w * scale, app->draw.frame.h * scale, app->px_per_point * scale, err,
                       sizeof err) == 0;
    if (ok) {
        *copy = *app->ui;
        copy->show_help = 0;
        double rect[4];
        draw_map_rect(big, copy->title[0] != 0, rect);
        const double box[4] = { copy->view.x0, copy->view.x1, copy->view.y0, copy->view.y1 };
        view_fit(&copy->view, box, rect[0], rect[1], rect[2], rect[3]);
        ok = draw_frame(big, copy, 0, err, sizeof err) == 0 && shot_write_png(&big->frame, path, err, sizeof err) == 0;
    }
    if (ok)
        ui_message(app->ui, "saved %s (%dx%d)", path, big->frame.w, big->frame.h);
    else
        ui_message(app->ui, "%s", big && copy ? err : "out of memory for the screenshot");
    if (big && big->text)
        draw_free(big);
    free(big);
    free(copy);
}

static int handle_event(App *app, const SDL_Event *e, char *err, size_t errlen)
{
    if (e->type == SDL_WINDOWEVENT &&
        (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED || e->window.event == SDL_WINDOWEVENT_DISPLAY_CHANGED))
        return fit_window(app, err, errlen);
    const Action a = input_translate(e, &app->mouse, app->pixel_ratio);
    if (a.kind != ACTION_NONE)
        ui_apply(app->ui, &a);
    return 0;
}

static double message_alpha(App *app, double now)
{
    if (app->ui->message_serial != app->seen_message) {
        app->seen_message = app->ui->message_serial;
        app->message_at = now;
    }
    const double age = now - app->message_at;
    if (app->ui->message_serial == 0 || age > MESSAGE_SECONDS + MESSAGE_FADE)
        return 0;
    return age < MESSAGE_SECONDS ? 1 : 1 - (age - MESSAGE_SECONDS) / MESSAGE_FADE;
}

/* Steps owed since the last frame at the session's speed. */
static void advance(App *app, double dt)
{
    Ui *ui = app->ui;
    if (ui->paused || sim_live_runs(&ui->sim) == 0) {
        app->step_debt = 0;
        return;
    }
    app->step_debt += dt * ui->speed;
    int n = 0;
    while (app->step_debt >= 1 && n < MAX_STEPS_PER_FRAME) {
        ui_step(ui);
        app->step_debt -= 1;
        n++;
    }
    if (n == MAX_STEPS_PER_FRAME)
        app->step_debt = 0;
}

static int present(App *app, double now, char *err, size_t errlen)
{
    if (draw_frame(&app->draw, app->ui, message_alpha(app, now), err, errlen) < 0)
        return -1;
    const Canvas *f = &app->draw.frame;
    if (SDL_UpdateTexture(app->texture, NULL, f->px, f->w * 4) < 0 ||
        SDL_RenderCopy(app->renderer, app->texture, NULL, NULL) < 0) {
        snprintf(err, errlen, "cannot show the frame: %s", SDL_GetError());
        return -1;
    }
    SDL_RenderPresent(app->renderer);
    return 0;
}

/* input -> apply -> step -> draw -> present, until Q, Esc or the window closes. */
static int loop(App *app, char *err, size_t errlen)
{
    double last = seconds();
    while (!app->ui->quit) {
        SDL_Event e;
        while (SDL_PollEvent(&e))
            if (handle_event(app, &e, err, errlen) < 0)
                return -1;
        const double now = seconds();
        advance(app, fmin(now - last, 0.25));
        last = now;
        if (app->ui->shot_request) {
            take_screenshot(app, app->ui->shot_request);
            app->ui->shot_request = 0;
        }
        if (!(SDL_GetWindowFlags(app->window) & SDL_WINDOW_MINIMIZED) && present(app, now, err, errlen) < 0)
            return -1;
        const double spent = (seconds() - now) * 1e3;
        if (spent < FRAME_FLOOR_MS)
            SDL_Delay((Uint32)(FRAME_FLOOR_MS - spent));
    }
    return 0;
}

static int open_window(App *app, const Config *c, char *err, size_t errlen)
{
#ifdef __linux__
    /* Asking SDL would try Wayland and print its own complaint first; say it in one line. */
    if (!getenv("SDL_VIDEODRIVER") && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")) {
        snprintf(err, errlen, "no display available (DISPLAY and WAYLAND_DISPLAY are unset); use --headless to "
                              "render without a display");
        return 2;
    }
    if (!getenv("SDL_VIDEODRIVER") && !getenv("WAYLAND_DISPLAY"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11");
#endif
    if (SDL_Init(SDL_INIT_VIDEO) < 0) {
        snprintf(err, errlen, "cannot open a window (%s); use --headless to render without a display",
                 SDL_GetError());
        return 2;
    }
    /* With no display SDL falls back to its offscreen driver: nobody would see a window. */
    const char *driver = SDL_GetCurrentVideoDriver();
    if (!getenv("SDL_VIDEODRIVER") && driver && (!strcmp(driver, "offscreen") || !strcmp(driver, "dummy"))) {
        snprintf(err, errlen, "no display available (DISPLAY and WAYLAND_DISPLAY unset?); use --headless to "
                              "render without a display");
        return 2;
    }
    app->window = SDL_CreateWindow("optiscope", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, c->width, c->height,
                                   SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_HIDDEN);
    if (!app->window) {
        snprintf(err, errlen, "cannot open a window (%s); use --headless to render without a display",
                 SDL_GetError());
        return 2;
    }
    SDL_SetWindowMinimumSize(app->window, 320, 240);
    app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_PRESENTVSYNC);
    if (!app->renderer)
        app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_SOFTWARE);
    if (!app->renderer) {
        snprintf(err, errlen, "cannot draw into the window: %s", SDL_GetError());
        return 1;
    }
    /* Shown only now: a renderer that needs another kind of window would otherwise make SDL
     * replace the visible one, which flashes and changes its id under a window manager. */
    SDL_ShowWindow(app->window);
    return 0;
}

static int run(App *app, const Config *c, char *err, size_t errlen)
{
    int rc = open_window(app, c, err, errlen);
    if (rc)
        return rc;
    int pw, ph;
    SDL_GetRendererOutputSize(app->renderer, &pw, &ph);
    pw = clamp_int(pw, CANVAS_MIN_W, CANVAS_MAX);
    ph = clamp_int(ph, CANVAS_MIN_H, CANVAS_MAX);
    app->pixel_ratio = (double)pw / c->width;
    app->px_per_point = app->pixel_ratio * display_scale(app->window) * c->font_scale;
    if (app_prepare(&app->draw, app->ui, c, pw, ph, app->px_per_point, err, errlen) < 0)
        return 1;
    if (fit_window(app, err, errlen) < 0 || loop(app, err, errlen) < 0)
        return 1;
    if (c->dump_state && app_dump_state(app->ui, c->dump_state, err, errlen) < 0)
        return 1;
    return 0;
}

int app_run(const Config *c, char *err, size_t errlen)
{
    if (c->dump_state && strcmp(c->dump_state, "-") != 0 &&
        files_check_writable("state", c->dump_state, err, errlen) < 0)
        return 2;
    App *app = calloc(1, sizeof *app);
    Ui *ui = calloc(1, sizeof *ui);
    if (!app || !ui) {
        free(app);
        free(ui);
        snprintf(err, errlen, "out of memory");
        return 1;
    }
    app->config = c;
    app->ui = ui;
    int rc = run(app, c, err, errlen);
    if (app->draw.text)
        draw_free(&app->draw);
    if (app->texture)
        SDL_DestroyTexture(app->texture);
    if (app->renderer)
        SDL_DestroyRenderer(app->renderer);
    if (app->window)
        SDL_DestroyWindow(app->window);
    SDL_Quit();
    free(app);
    free(ui);
    return rc;
}
