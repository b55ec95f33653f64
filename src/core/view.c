/* World-to-pixel mapping of the map area. */
#include "view.h"

#include <math.h>

int view_box_ok(const double b[4])
{
    for (int axis = 0; axis < 2; axis++) {
        const double lo = b[2 * axis], hi = b[2 * axis + 1], w = hi - lo;
        const double far = fmax(fabs(lo), fabs(hi));
        /* Narrower than 1e-11 of the distance from 0, neighbouring pixels of a 4K picture
         * would be only a few doubles apart. */
        if (!isfinite(w) || !(lo < hi) || far > VIEW_MAX_COORD || w > VIEW_MAX_WIDTH || w < VIEW_MIN_WIDTH ||
            w < far * 1e-11)
            return 0;
    }
    return 1;
}

void view_fit_beside(View *v, const double box[4], double px, double py, double pw, double ph, double room)
{
    if (!(room > 0 && room <= VIEW_ROOM_MAX * pw))
        room = 0;
    const double free_w = pw - room;
    const double cx = 0.5 * (box[0] + box[1]), cy = 0.5 * (box[2] + box[3]);
    const double scale = fmax((box[1] - box[0]) / free_w, (box[3] - box[2]) / ph); /* world units per pixel */
    v->px = px, v->py = py, v->pw = pw, v->ph = ph;
    v->x0 = cx - 0.5 * free_w * scale;
    v->x1 = v->x0 + pw * scale;
    v->y0 = cy - 0.5 * ph * scale;
    v->y1 = cy + 0.5 * ph * scale;
}

void view_fit(View *v, const double box[4], double px, double py, double pw, double ph)
{
    view_fit_beside(v, box, px, py, pw, ph, 0);
}

void view_resize(View *v, double px, double py, double pw, double ph)
{
    const double cx = 0.5 * (v->x0 + v->x1), cy = 0.5 * (v->y0 + v->y1);
    const double scale = (v->x1 - v->x0) / v->pw;
    v->px = px, v->py = py, v->pw = pw, v->ph = ph;
    v->x0 = cx - 0.5 * pw * scale;
    v->x1 = cx + 0.5 * pw * scale;
    v->y0 = cy - 0.5 * ph * scale;
    v->y1 = cy + 0.5 * ph * scale;
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

static int apply(View *v, const double b[4])
{
    if (!view_box_ok(b))
        return -1;
    v->x0 = b[0], v->x1 = b[1], v->y0 = b[2], v->y1 = b[3];
    return 0;
}

int view_zoom(View *v, double sx, double sy, double factor)
{
    const double wx = view_wx(v, sx), wy = view_wy(v, sy);
    const double b[4] = { wx - (wx - v->x0) / factor, wx + (v->x1 - wx) / factor, wy - (wy - v->y0) / factor,
                          wy + (v->y1 - wy) / factor };
    return apply(v, b);
}

int view_pan(View *v, double dx, double dy)
{
    const double ux = dx / v->pw * (v->x1 - v->x0), uy = dy / v->ph * (v->y1 - v->y0);
    const double b[4] = { v->x0 - ux, v->x1 - ux, v->y0 + uy, v->y1 + uy };
    return apply(v, b);
}
