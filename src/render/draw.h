/* The picture: the map (heat map, isolines, gradient arrows, minima, axes, colour bar)
 * cached until its key changes, the trails added incrementally on top, and per frame the
 * markers and the panels (legend, plots, title, status, message, help) in the boxes the
 * layout gives. Drawing only reads the session. */
#ifndef OPTISCOPE_DRAW_H
#define OPTISCOPE_DRAW_H

#include "../session/session.h"
#include "canvas.h"
#include "layout.h"
#include "paint.h"
#include "panels.h"

typedef struct Draw Draw;

/* A picture of w x h pixels at s pixels per point. NULL with a message on failure. */
Draw *draw_new(int w, int h, double s, char *err, size_t errlen);
int draw_resize(Draw *d, int w, int h, double s, char *err, size_t errlen);
void draw_free(Draw *d);

/* Where everything goes for this session in this picture; the map's box is what the
 * session must be told (session_map_box) before the frame is drawn. */
void draw_layout(Draw *d, const Session *ses, int live, Layout *out);
/* Renders the session into the picture, laid out as draw_layout says. */
int draw_frame(Draw *d, const Session *ses, const DrawOptions *o, char *err, size_t errlen);
/* The picture: what the window shows and screenshots write. */
Canvas *draw_picture(Draw *d);
/* The strings the last frame drew in panel `id` (a PanelId), in its colour bar or in its
 * basin map's key (the ids below), each ended by '\n' in buf: what a reader of the picture reads.
 * Returns how many, or -1 when out of memory. */
#define DRAW_TEXTS_COLORBAR (-1)
#define DRAW_TEXTS_BASIN_KEY (-2)
int draw_texts(Draw *d, const Session *ses, int id, char *buf, size_t len);
/* The data panel's plot and ranges in the last layout drawn (for tests); -1 when it is not shown. */
int draw_data_frame(Draw *d, const Session *ses, DataFrame *out);
/* The map is drawn again from nothing by the next frame (a benchmark of a full render). */
void draw_invalidate(Draw *d);
/* Whether the picture is final: no refinement of a moved view is pending (progressive frames). */
int draw_settled(Draw *d);
/* The basin map's summary as JSON (see basin_json), computed now unless live; -1 when
 * the basin map is not shown or not ready. */
int draw_basins_json(Draw *d, const Session *ses, int live, char *buf, size_t len);
/* The selected run's next step taken apart, as the map draws it, and its rule's lines, as a
 * JSON object: {"run", "all_runs", "t", "point", "next", "gradient_step", "momentum",
 * "step", "scale", "arrow_scale", "rule": [{"formula", "values"}]} ("momentum" and
 * "scale" null where the rule has none). -1 when neither the internals nor the
 * rule are shown, or the run takes no next step. */
int draw_internals_json(Draw *d, const Session *ses, char *buf, size_t len);
/* How the help fits this picture: its pages, and on the session's page the key lines drawn
 * and how many were cut (see panels_help_fit). */
void draw_help_fit(Draw *d, const Session *ses, int live, HelpFit *out);
/* The help's pages in this layout's help box, kept until the box or the scale changes. */
int draw_help_pages(Draw *d, const Session *ses, const Layout *l);
/* Whether the picture is still changing by itself (the exact map of a moved view, or the
 * basin map, is being computed or waits to be shown): a window must keep drawing frames
 * until it is not. */
int draw_busy(const Draw *d);
/* How often the map layer was computed (for the benchmark). */
unsigned long draw_map_builds(const Draw *d);
/* How often the 3D view's mesh was drawn, and its samples a side (for the benchmark). */
unsigned long draw_surface_builds(const Draw *d);
int draw_surface_mesh(const Draw *d);
/* Bytes the text's glyph atlas holds (for the benchmark). */
size_t draw_text_bytes(const Draw *d);
/* The layout of the last frame, and each run's colour as "#rrggbb" for the state dump. */
const Layout *draw_last_layout(const Draw *d);
void draw_run_colour(const Session *ses, int run, char out[8]);
/* For the state dump: each run's share of its trail's pixels on the map that are on top
 * (-1 for a run with no pixel there, such as a hidden one). */
/* For the state dump: the pixel where each run's current point is drawn in the 3D view, and
 * whether it is (not behind the surface, nor off it); -1 when the 3D view is not shown. */
int draw_surface_pixels(Draw *d, const Session *ses, int live, double out[SIM_MAX_RUNS][2], int on[SIM_MAX_RUNS],
                        char *err, size_t errlen);
int draw_visible_fractions(Draw *d, const Session *ses, double out[SIM_MAX_RUNS], char *err, size_t errlen);

#endif
