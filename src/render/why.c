/* The map's explanations: the selected run's Hessian axes (see why.h). */
#include "why.h"

#include <math.h>

#include "../core/curvature.h"

#define AXIS_LONGEST 46.0 /* points: the half-length of the larger |λ|'s axis */
#define AXIS_SHORTEST 4.0 /* points: a vanishing curvature still shows its direction */
#define AXIS_DASHES 7

/* A segment from the centre out both ways along (ux, uy), `half` pixels each side. */
static void axis(Canvas *c, double cx, double cy, double ux, double uy, double half, double width, Rgba col,
                 int dashed)
{
    if (!dashed) {
        canvas_line(c, cx - ux * half, cy - uy * half, cx + ux * half, cy + uy * half, width, col);
        return;
    }
    const double piece = 2 * half / (2 * AXIS_DASHES - 1);
    for (int k = 0; k < AXIS_DASHES; k++) {
        const double a = -half + 2 * k * piece, b = a + piece;
        canvas_line(c, cx + ux * a, cy + uy * a, cx + ux * b, cy + uy * b, width, col);
    }
}

void why_axes(Canvas *c, const Session *ses, double s, const Palette *pal)
{
    if (!(ses->shown & SHOW_CURVATURE) || ses->sim.nruns == 0)
        return;
    const Run *r = &ses->sim.runs[ses->selected];
    if (r->hidden || r->diverged)
        return;
    CurvEigen e;
    curv_eigen_at(&ses->sim.func, r->x, r->y, &e);
    const double big = fmax(fabs(e.lmax), fabs(e.lmin));
    if (!(big > 0) || !isfinite(big))
        return;
    const double cx = view_sx(&ses->view, r->x), cy = view_sy(&ses->view, r->y);
    if (!(fabs(cx) < 1e7 && fabs(cy) < 1e7))
        return;
    const double lambda[2] = { e.lmax, e.lmin };
    const double *v[2] = { e.vmax, e.vmin };
    for (int edge = 1; edge >= 0; edge--)
        for (int i = 0; i < 2; i++) {
            const double half = s * fmax(AXIS_SHORTEST, AXIS_LONGEST * fabs(lambda[i]) / big);
            const Rgba col = edge ? pal->marker_edge : lambda[i] < 0 ? pal->unstable : pal->minimum;
            /* Screen y grows downwards: the direction's y flips. */
            axis(c, cx, cy, v[i][0], -v[i][1], half, (edge ? 4.2 : 2.0) * s, col, lambda[i] < 0);
        }
}
