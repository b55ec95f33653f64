/* What the parts of the picture share (draw.c composes; base.c, axes.c, trails.c and
 * motion.c each draw one layer of it): the Draw itself, a band of rows for the threads,
 * and the calls one part makes into another. Not for use outside these files. */
#ifndef OPTISCOPE_DRAW_PARTS_H
#define OPTISCOPE_DRAW_PARTS_H

#include "../core/camera.h"
#include "../core/field.h"
#include "../core/view.h"
#include "draw.h"
#include "map.h"
#include "refine.h"
#include "reuse.h"
#include "text.h"
#include "theme.h"
#include "why.h"

#define SHIFT_SAVED_ROWS 64 /* a drag frame moving the map further up or down goes on one thread */

/* What the base layer depends on: when any of it changes, the map is drawn again. */
typedef struct {
    Spec func;
    View view;
    Theme theme;
    unsigned shown;
    int w, h;
    CanvasBox xticks, yticks, xlabel, ylabel, colorbar, basin_key;
    unsigned long basins; /* the basin map's version; 0 when none is drawn */
} BaseKey;

/* A trail's last lifted points kept to draw again in colour over the next step's edge. */
#define SURFACE_TAIL 6

/* What the 3D view's mesh depends on (surface.c): when any of it changes, it is drawn again. */
typedef struct {
    Spec func;
    WorldBox box;
    Camera camera;
    Theme theme;
    CanvasBox pixels;
    int contours;
    double start[2];
    double s;
} SurfaceKey;

/* One vertex of the 3D view's mesh on screen: pixel, depth, colour t and light. */
typedef struct {
    float x, y, z, t, light;
} SurfaceVertex;

struct Draw {
    Canvas base, scene, frame; /* see draw.c's diagram */
    Field field;
    Text *text;
    double s;     /* pixels per point */
    int threads;  /* the map and a full redraw of the trails are painted in this many bands of rows at once */
    int base_valid;
    BaseKey key;
    Layout layout; /* of the frame being drawn */
    CanvasBox help_box; /* the help's box and scale its page count was found for ... */
    double help_s;
    int help_pages;     /* ... (0: not yet): found once, not every frame */
    long trail_version[SIM_MAX_RUNS];
    int trail_drawn[SIM_MAX_RUNS];
    int trail_hidden[SIM_MAX_RUNS];
    int scene_runs;
    int scene_selected; /* the run whose trail the scene has on top */
    float xy[2 * TRAIL_POINTS]; /* scratch for polylines */
    float trail_xy[SIM_MAX_RUNS][2 * TRAIL_POINTS]; /* every trail in pixels, shared by the bands of a full redraw */
    int trail_n[SIM_MAX_RUNS];
    View trail_view;            /* the view trail_xy is in */
    unsigned long base_builds;  /* counts map recomputes (for the benchmark) */
    WhyBasins *basins;          /* the basin map and its worker */
    uint32_t lut[MAP_LUT];      /* the heat map's colours, of the base's palette */
    /* While the view moves (frames marked progressive): */
    View shown;                 /* what the scene shows: the base's view, or where a drag or zoom took it */
    int approx;                 /* the scene is not yet exactly the picture of `shown` */
    Field strip;                /* a strip coming into view, on the scaling of `field` */
    float strip_xy[4 * TRAIL_POINTS]; /* the pieces of a trail near a strip or a step's new segments */
    int *xmap, *ymap;           /* the scene's pixels from the base's, per column and row */
    uint32_t *shift_saved;      /* threads x SHIFT_SAVED_ROWS rows: see motion.c's shift_scene */
    Refine *refine;             /* the exact map, computed in the background */
    int refine_wanted;          /* asked for once the frame is drawn, not to slow it down */
    Reuse reuse;                /* what the frame keeps: panels and markers as last drawn */
    CanvasLog log;              /* the panels' calls as their keys noted them, replayed when they changed */
    /* The 3D view (surface.c), in canvases the size of its box: */
    Canvas surf_mesh, surf;     /* the mesh alone, and the mesh with every trail */
    float *zbuf, *tbuf;         /* the mesh's depth and colour t per pixel of its box */
    size_t surf_pixels;         /* room in zbuf and tbuf */
    Field mesh;                 /* the function sampled finely over the box, mesh_stride samples a cell ... */
    int mesh_valid, mesh_n, mesh_stride; /* ... for a mesh of mesh_n vertices a side ... */
    Spec mesh_func;             /* ... of this function ... */
    WorldBox mesh_box;          /* ... over this box */
    SurfaceVertex *verts;       /* the vertices on screen */
    float *surf_h, *surf_t;     /* their heights in [0, 1] and colour t */
    size_t verts_cap;
    Projection proj;            /* the camera fitted to the box */
    SurfaceKey skey;
    int surf_valid;
    unsigned long surf_builds;  /* counts mesh rebuilds (for the benchmark) */
    int surf_runs, surf_selected; /* what the trails in surf were drawn for: -1 runs, all again */
    long surf_version[SIM_MAX_RUNS], surf_step[SIM_MAX_RUNS];
    int surf_drawn[SIM_MAX_RUNS], surf_hidden[SIM_MAX_RUNS];
    double surf_last[SIM_MAX_RUNS][2]; /* each run's point its drawn trail ends at */
    float *lifted;              /* every trail lifted onto the surface: pixel x, y and depth per point ... */
    int lifted_at[SIM_MAX_RUNS], lifted_n[SIM_MAX_RUNS]; /* ... each run's from here, this many */
    float *lifted_step;         /* a step's new segments, lifted, after the tail drawn before */
    float surf_tail[SIM_MAX_RUNS][3 * SURFACE_TAIL]; /* each run's last lifted points drawn ... */
    int surf_tail_n[SIM_MAX_RUNS];                   /* ... and how many */
};

/* Room for the lifted trails (points of all runs together; a longer path is cut short) and
 * for a frame's new segments of one run. */
#define SURFACE_LIFTED_MAX (1 << 19)
#define SURFACE_STEP_MAX (1 << 16)

/* One thread's share of a layer: whole rows of the canvas, so no two threads ever touch
 * one pixel and the picture does not depend on how many there are. */
typedef struct {
    Draw *d;
    const Session *ses;
    const Palette *pal;
    const MapPaint *map;    /* the map layer's paint */
    const BasinMap *basins; /* tints over the heat map, or NULL */
    int resample;           /* the scene's map comes from the base's through xmap and ymap */
    int row0, row1;
} Band;

static inline int clamp_int(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static inline int view_same(const View *a, const View *b)
{
    return a->x0 == b->x0 && a->x1 == b->x1 && a->y0 == b->y0 && a->y1 == b->y1 && a->px == b->px &&
           a->py == b->py && a->pw == b->pw && a->ph == b->ph;
}

/* The map's pixels in view v, cut to the picture (huge text can push the map past its edge). */
static inline CanvasBox map_pixels(const View *v, const Canvas *c)
{
    const int x0 = clamp_int((int)v->px, 0, c->w), x1 = clamp_int((int)(v->px + v->pw), x0, c->w);
    const int y0 = clamp_int((int)v->py, 0, c->h), y1 = clamp_int((int)(v->py + v->ph), y0, c->h);
    return (CanvasBox){ x0, y0, x1 - x0, y1 - y0 };
}

/* draw.c: `work` on every band of the picture's rows at once, each a copy of proto. */
void draw_rows(Draw *d, Band proto, void *(*work)(void *));

/* base.c: the map without runs. What the session asks of it now (and the basin map to
 * tint it with, or NULL); whether two keys match, or match but for where the view looks;
 * the base for key drawn now on every core; what goes over the heat and isolines (arrows,
 * minima, axes), after which the base holds key. base_minima draws the minima onto c. */
const BasinMap *base_key(Draw *d, const Session *ses, int live, BaseKey *key);
int base_key_same(const BaseKey *a, const BaseKey *b);
int base_key_same_but_view(const BaseKey *a, const BaseKey *b);
int base_build(Draw *d, const Session *ses, const BaseKey *key, const BasinMap *basins, char *err, size_t errlen);
void base_finish(Draw *d, const Session *ses, const BaseKey *key, const BasinMap *basins);
void base_minima(Draw *d, Canvas *c, const Session *ses, const Palette *pal);

/* axes.c: the border, ticks, axis labels and colour bar onto the base; the ticks alone
 * again for a view the base's map was not drawn for, copied into the scene. */
void axes_paint(Draw *d, const View *v, const Palette *pal, const uint32_t *lut, const Layout *l, const Spec *func);
/* The colour bar alone (axes_paint draws it with the rest). */
void axes_colorbar(Draw *d, const Palette *pal, const uint32_t *lut, const Layout *l, int basins);
void axes_basin_key(Draw *d, const Session *ses, const BasinMap *m, const Palette *pal, const Layout *l);
void axes_refresh(Draw *d, const Session *ses);

/* trails.c: the trails into the scene (all of them again when needed: then returns 1,
 * the scene changed all over); every trail in pixels; the markers onto the frame. */
int trails_update(Draw *d, const Session *ses);
/* The runs in drawing order, the selected one last; returns how many. */
int trails_order(const Session *ses, int order[SIM_MAX_RUNS]);
/* A run's trail width in pixels: the top one THEME_TRAIL_WIDTH, each under it wider (casing). */
double trails_width(const Draw *d, const Session *ses, int run);
/* How far from its points the widest trail can colour a pixel. */
double trails_reach(const Draw *d, const Session *ses);
/* The pieces of a polyline whose segments come near box = {x0, y0, x1, y1}, the pieces
 * parted by a NaN point: a strip or a step's box then strokes a few segments, not a whole
 * trail. Returns how many points went to out, which has room for 2n. */
int trails_near_points(const float *xy, int n, const double box[4], float *out);
void trails_in_pixels(Draw *d, const Session *ses);
void trails_markers(Draw *d, const Session *ses);
/* trails.c: each run's label beside its marker, in its colour on a box of the panels'
 * colour, over the markers and the Hessian axes. */
void trails_labels(Draw *d, const Session *ses);

/* surface.c: whether the layout shows the 3D view; its mesh made current (drawn again when
 * its key changed); its new trails into the scene's box; each run's marker on the frame
 * (and the start), depth-tested; where a run's current point shows (0 when hidden or off
 * the surface); its buffers freed. */
int surface_shown(const Session *ses, const Layout *l);
int surface_prepare(Draw *d, const Session *ses, char *err, size_t errlen);
int surface_update(Draw *d, const Session *ses, char *err, size_t errlen);
void surface_markers(Draw *d, const Session *ses);
int surface_run_pixel(const Draw *d, const Session *ses, int i, double out[2]);
void surface_free(Draw *d);

/* motion.c: the base for the frame, and the scene moved along when the view did; what
 * the background refinement of the view is asked to compute. */
int motion_update(Draw *d, const Session *ses, const DrawOptions *o, char *err, size_t errlen);
RefineJob motion_refine_job(const Draw *d, const Session *ses);

#endif
