/* The picture: the map (heat map, isolines, gradient arrows, minima, axes) cached until
 * its key changes, the trails added incrementally on top, and per frame the markers,
 * legend, plots, status line, messages and help. Drawing only reads the session. */
#ifndef OPTISCOPE_DRAW_H
#define OPTISCOPE_DRAW_H

#include "../core/field.h"
#include "../session/session.h"
#include "canvas.h"
#include "text.h"

typedef struct {
    Spec func;
    View view;
    Theme theme;
    unsigned panels;
    int w, h;
} BaseKey;

typedef struct {
    Canvas base;  /* the map without runs */
    Canvas scene; /* the map with every trail drawn so far; its margins stay the base's */
    Canvas frame; /* what is shown: the scene, synced where it or the last frame changed, plus markers and overlays */
    Field field;
    Text *text;
    double s; /* pixels per point */
    int threads;  /* the map and a full redraw of the trails are painted in this many bands of rows at once */
    int base_valid;
    BaseKey key;
    long trail_version[SIM_MAX_RUNS];
    int trail_drawn[SIM_MAX_RUNS];
    int trail_hidden[SIM_MAX_RUNS];
    int scene_runs;
    float xy[2 * TRAIL_POINTS]; /* scratch for polylines */
    float trail_xy[SIM_MAX_RUNS][2 * TRAIL_POINTS]; /* every trail in pixels, shared by the bands of a full redraw */
    int trail_n[SIM_MAX_RUNS];
    unsigned long base_builds;  /* counts contour recomputes (for the benchmark) */
} Draw;

/* Canvases of w x h pixels at s pixels per point. */
int draw_init(Draw *d, int w, int h, double s, char *err, size_t errlen);
int draw_resize(Draw *d, int w, int h, double s, char *err, size_t errlen);
void draw_free(Draw *d);
/* Where the map goes for the current size and text: px, py, pw, ph in pixels. */
void draw_map_rect(Draw *d, int has_title, double rect[4]);
/* Renders the session into d->frame. message_alpha in [0, 1] fades the last message. */
int draw_frame(Draw *d, const Session *ses, double message_alpha, char *err, size_t errlen);

#endif
