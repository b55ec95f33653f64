/* The map layer's pixels: a sampled field painted as a heat map with isolines, for the whole
 * map (draw.c's base layer, refine.c's background work) or for a strip of it that a drag
 * brings into view. Any thread may paint its own rows; nothing here draws text. */
#ifndef OPTISCOPE_MAP_H
#define OPTISCOPE_MAP_H

#include "../core/field.h"
#include "../core/view.h"
#include "canvas.h"
#include "theme.h"

#define MAP_LUT 1024 /* heat map colours, from the lowest t to the highest */

/* How to paint a field: sample (0, 0) is centred on pixel (fx, fy) and samples lie `step`
 * pixels apart; heat goes into the pixels of `box` (rows outside it, and columns beside it,
 * get `background` when `surround` is set). */
typedef struct {
    const Field *field;
    const uint32_t *lut;
    CanvasBox box;
    int fx, fy, step;
    int surround;
    uint32_t background;
    Rgba isoline;
    double isoline_width;
} MapPaint;

/* One sample per `step` pixels each way (see map_step) over the map's pixels, from the first
 * pixel's centre to one on or past the last, so heat and isolines reach its edges. With
 * `like`, on that field's scaling and levels (field_sample_like). */
int map_step(const View *v);
int map_sample(Field *f, const Spec *func, const View *v, CanvasBox pixels, int step, const Field *like,
               int threads, char *err, size_t errlen);
void map_lut(uint32_t lut[MAP_LUT], const Palette *pal);
/* The whole map of view v as a MapPaint (field sampled by map_sample over v's box). */
MapPaint map_paint_of(const View *v, const Field *f, const uint32_t *lut, int step, const Palette *pal, double s);
/* Rows [row0, row1): heat (and background), then isolines crossing them as one shape. */
void map_heat(Canvas *c, const MapPaint *m, int row0, int row1);
void map_isolines(Canvas *c, const MapPaint *m, int row0, int row1);

#endif
