/* World-to-pixel mapping of the map area. */
#include "view.h"

#include <math.h>
#include <stdio.h>

#include "sim.h"

int view_box_ok(WorldBox b)
{
    const double edges[2][2] = { { b.x0, b.x1 }, { b.y0, b.y1 } };
    for (int axis = 0; axis < 2; axis++) {
        const double lo = edges[axis][0], hi = edges[axis][1], w = hi - lo;
        const double far = fmax(fabs(lo), fabs(hi));
        /* Narrower than 1e-11 of the distance from 0, neighbouring pixels of a 4K picture
         * would be only a few doubles apart. */
        if (!isfinite(w) || !(lo < hi) || far > VIEW_MAX_COORD || w > VIEW_MAX_WIDTH || w < VIEW_MIN_WIDTH ||
            w < far * VIEW_RELATIVE_MIN)
            return 0;
    }
    return 1;
}

int view_check_start(const char *what, const double p[2], const char *text, char *err, size_t errlen)
{
    /* A start beyond SIM_LIMIT would count as diverged before the first step. */
    if (fabs(p[0]) <= SIM_LIMIT && fabs(p[1]) <= SIM_LIMIT)
        return 0;
    snprintf(err, errlen, "%s must lie within |x|, |y| <= 1e6, got '%s'", what, text);
    return -1;
}

int view_check_box(const char *what, WorldBox box, const char *text, char *err, size_t errlen)
{
    if (!(box.x0 < box.x1) || !(box.y0 < box.y1)) {
        snprintf(err, errlen, "%s needs X0 < X1 and Y0 < Y1, got '%s'", what, text);
        return -1;
    }
    if (view_box_ok(box))
        return 0;
    snprintf(err, errlen,
             "%s must be 1e-12 to 1e12 wide, within 1e15 of the origin, and at least 1e-11 of its distance from "
             "0 wide; got '%s'",
             what, text);
    return -1;
}

WorldBox view_box(const View *v)
{
    return (WorldBox){ v->x0, v->x1, v->y0, v->y1 };
}

/* Margins that keep a view settled here valid after the rounding of x0 = cx - h: far from
 * the origin, a double's step is 2e-16 of the distance, which is up to 2e-5 of the width
 * at the narrowest view allowed there. */
#define VIEW_EDGE_MARGIN 1e-12
#define VIEW_RELATIVE_MARGIN 1e-4
#define VIEW_SCALE_MARGIN 1e-9

/* The valid view nearest to centre (cx, cy) at `scale` world units per pixel: the scale
 * within the width limits and, unless keep_scale, wide enough for the centre's distance
 * from 0; then the centre moved in until the box lies within VIEW_MAX_COORD and is wide
 * enough for its distance. Returns whether the view changed. */
static int settle(View *v, double cx, double cy, double scale, int keep_scale)
{
    const double nw = fmax(v->pw, 1), nh = fmax(v->ph, 1);
    const double lo = VIEW_MIN_WIDTH / fmin(nw, nh) * (1 + VIEW_SCALE_MARGIN);
    const double hi = VIEW_MAX_WIDTH / fmax(nw, nh) * (1 - VIEW_SCALE_MARGIN);
    const double edge = VIEW_MAX_COORD * (1 - VIEW_EDGE_MARGIN);
    const double per = 1 / VIEW_RELATIVE_MIN * (1 - VIEW_RELATIVE_MARGIN); /* distance per unit of width */
    cx = fmin(edge, fmax(-edge, cx));
    cy = fmin(edge, fmax(-edge, cy));
    if (!keep_scale)
        scale = fmax(scale, fmax(fabs(cx) / (nw * (per - 0.5)), fabs(cy) / (nh * (per - 0.5))));
    scale = fmin(hi, fmax(lo, scale));
    const double hx = 0.5 * nw * scale, hy = 0.5 * nh * scale;
    const double lx = fmin(edge - hx, 2 * hx * per - hx), ly = fmin(edge - hy, 2 * hy * per - hy);
    cx = fmin(lx, fmax(-lx, cx));
    cy = fmin(ly, fmax(-ly, cy));
    const WorldBox b = { cx - hx, cx + hx, cy - hy, cy + hy };
    const int changed = b.x0 != v->x0 || b.x1 != v->x1 || b.y0 != v->y0 || b.y1 != v->y1;
    v->x0 = b.x0, v->x1 = b.x1, v->y0 = b.y0, v->y1 = b.y1;
    return changed;
}

void view_fit(View *v, WorldBox box, double px, double py, double pw, double ph)
{
    const double cx = 0.5 * (box.x0 + box.x1), cy = 0.5 * (box.y0 + box.y1);
    const double scale = fmax((box.x1 - box.x0) / pw, (box.y1 - box.y0) / ph); /* world units per pixel */
    v->px = px, v->py = py, v->pw = pw, v->ph = ph;
    settle(v, cx, cy, scale, 0);
}

void view_resize(View *v, double px, double py, double pw, double ph)
{
    const double cx = 0.5 * (v->x0 + v->x1), cy = 0.5 * (v->y0 + v->y1);
    const double scale = (v->x1 - v->x0) / fmax(v->pw, 1);
    v->px = px, v->py = py, v->pw = pw, v->ph = ph;
    settle(v, cx, cy, scale, 0);
}

double view_sx(const View *v, double x)
{
    return v->px + (x - v->x0) / (v->x1 - v->x0) * v->pw;
}

double view_sy(const View *v, double y)
{
    return v->py + (v->y1 - y) / (v->y1 - v->y0) * v->ph;
}

double view_wx(const View *v, double sx)
{
    return v->x0 + (sx - v->px) / v->pw * (v->x1 - v->x0);
}

double view_wy(const View *v, double sy)
{
    return v->y1 - (sy - v->py) / v->ph * (v->y1 - v->y0);
}

int view_zoom(View *v, double sx, double sy, double factor)
{
    if (!(factor > 0 && isfinite(factor)))
        return -1;
    const double wx = view_wx(v, sx), wy = view_wy(v, sy);
    const double scale = (v->x1 - v->x0) / fmax(v->pw, 1);
    const double nw = fmax(v->pw, 1), nh = fmax(v->ph, 1);
    /* Within the width limits the point under the cursor stays put; a zoom that would
     * pass a limit stops at it. */
    const double next = fmin(VIEW_MAX_WIDTH / fmax(nw, nh), fmax(VIEW_MIN_WIDTH / fmin(nw, nh), scale / factor));
    const double k = next / scale;
    const double cx = wx + (0.5 * (v->x0 + v->x1) - wx) * k, cy = wy + (0.5 * (v->y0 + v->y1) - wy) * k;
    return settle(v, cx, cy, next, 0) ? 0 : -1;
}

int view_pan(View *v, double dx, double dy)
{
    const double scale = (v->x1 - v->x0) / fmax(v->pw, 1);
    const double cx = 0.5 * (v->x0 + v->x1) - dx * scale, cy = 0.5 * (v->y0 + v->y1) + dy * scale;
    return settle(v, cx, cy, scale, 1) ? 0 : -1;
}
