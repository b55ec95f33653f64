/* Which panels a frame draws again (see reuse.h). A kept panel was drawn quietly: no
 * damage, so the next canvas_sync leaves it alone, but changes, so it reached the screen.
 * It is drawn again when its key changes, when something overwrote part of it (a sync, a
 * marker far off the map and the margins put back), or when a panel it overlaps is drawn. */
#include "reuse.h"

#include <string.h>

#include "layout.h"

void reuse_forget(Reuse *r)
{
    memset(r, 0, sizeof *r);
}

static int box_meets_damage(CanvasBox b, const Canvas *c)
{
    for (int y = b.y; y < b.y + b.h; y++) {
        int lo, hi;
        if (canvas_damaged(c, y, &lo, &hi) && lo < b.x + b.w && hi >= b.x)
            return 1;
    }
    return 0;
}

void reuse_touch(Reuse *r, const Canvas *c)
{
    if (!r->valid)
        return;
    for (int i = 0; i < PANEL_COUNT; i++)
        if (!r->over[i] && !r->touched[i] && r->last.box[i].w > 0)
            r->touched[i] = box_meets_damage(r->last.box[i], c);
}

static int meets(CanvasBox a, CanvasBox b)
{
    return a.w > 0 && b.w > 0 && layout_boxes_meet(a, b);
}

int reuse_plan(Reuse *r, const PanelKeys *now, CanvasBox map, int compose, int draw[PANEL_COUNT],
               int over[PANEL_COUNT])
{
    int changed[PANEL_COUNT];
    for (int i = 0; i < PANEL_COUNT; i++) {
        over[i] = meets(now->box[i], map);
        changed[i] = !r->valid || now->key[i] != r->last.key[i] || r->touched[i] || (compose && over[i]);
        draw[i] = changed[i] && now->box[i].w > 0;
    }
    /* A panel drawn or cleared may cover part of another: that one is drawn again too, so
     * they stack in their order. */
    for (int grew = 1; grew;) {
        grew = 0;
        for (int j = 0; j < PANEL_COUNT; j++) {
            if (draw[j] || now->box[j].w <= 0)
                continue;
            for (int i = 0; i < PANEL_COUNT && !draw[j]; i++)
                draw[j] = changed[i] && (meets(now->box[j], now->box[i]) || meets(now->box[j], r->last.box[i]));
            changed[j] = draw[j];
            grew |= draw[j];
        }
    }
    if (compose)
        return 0;
    for (int i = 0; i < PANEL_COUNT; i++)
        if (changed[i] && (over[i] || r->over[i]))
            return -1;
    return 0;
}

void reuse_clear(const Reuse *r, const PanelKeys *now, const int draw[PANEL_COUNT], const int over[PANEL_COUNT],
                 Canvas *frame, const Canvas *scene, int old_boxes)
{
    frame->quiet = 1;
    for (int i = 0; i < PANEL_COUNT; i++) {
        const int again = draw[i] && !over[i];
        const int gone = r->valid && !r->over[i] && r->last.box[i].w > 0 &&
                         (again || now->key[i] != r->last.key[i] || r->touched[i]);
        if (again)
            canvas_copy_rect(frame, scene, now->box[i].x, now->box[i].y, now->box[i].w, now->box[i].h);
        if (gone && old_boxes &&
            memcmp(&r->last.box[i], &now->box[i], sizeof now->box[i]) != 0)
            canvas_copy_rect(frame, scene, r->last.box[i].x, r->last.box[i].y, r->last.box[i].w, r->last.box[i].h);
    }
    frame->quiet = 0;
}

void reuse_done(Reuse *r, const PanelKeys *now, const int over[PANEL_COUNT], uint64_t markers)
{
    r->last = *now;
    memcpy(r->over, over, sizeof r->over);
    memset(r->touched, 0, sizeof r->touched);
    r->markers = markers;
    r->valid = 1;
}
