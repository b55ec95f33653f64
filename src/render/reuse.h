/* What a frame reuses from the last one: each panel's box and key as it was drawn, so that
 * a panel whose key holds is neither drawn again nor sent to the screen (rxi/lite's
 * rencache, a panel at a time), and the markers' key, so that a frame where nothing moved
 * is not composed at all. See draw.c's top comment for the canvases. */
#ifndef OPTISCOPE_REUSE_H
#define OPTISCOPE_REUSE_H

#include <stdint.h>

#include "canvas.h"
#include "panels.h"

typedef struct {
    PanelKeys last;            /* as the frame holds them */
    int valid;                 /* last and markers describe the frame */
    int over[PANEL_COUNT];     /* drawn over the map, with damage: the next sync takes them away */
    int touched[PANEL_COUNT];  /* a kept panel's pixels were overwritten this frame */
    uint64_t markers;
} Reuse;

/* The frame holds nothing worth keeping (a new canvas). */
void reuse_forget(Reuse *r);
/* Notes the kept panels whose boxes meet c's damage: a sync from or into c, or margins put
 * back from the base, overwrite their pixels. */
void reuse_touch(Reuse *r, const Canvas *c);
/* Which panels to draw now (draw) and which of them lie over the map (over: drawn with
 * damage, every composed frame, as the markers under them may move). Without `compose`
 * (no sync, no markers drawn) returns -1 when a panel over the map, now or last time, would
 * have to change: only a composed frame can. */
int reuse_plan(Reuse *r, const PanelKeys *now, CanvasBox map, int compose, int draw[PANEL_COUNT],
               int over[PANEL_COUNT]);
/* Puts the scene back, quietly (see Canvas.quiet), under the kept panels about to be drawn
 * again and where they were; `old_boxes` 0 when a sync of the whole picture did that. */
void reuse_clear(const Reuse *r, const PanelKeys *now, const int draw[PANEL_COUNT], const int over[PANEL_COUNT],
                 Canvas *frame, const Canvas *scene, int old_boxes);
/* The frame now holds these panels and these markers. */
void reuse_done(Reuse *r, const PanelKeys *now, const int over[PANEL_COUNT], uint64_t markers);

#endif
