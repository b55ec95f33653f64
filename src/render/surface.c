/* The 3D view (issue 30): the loss over the map's view box as a lit mesh in the map's
 * colours, with the map's isolines on it, drawn by the canvas's own rasteriser with a depth
 * buffer; the runs' trails over it, depth-tested, so a path behind a ridge is hidden; the
 * start and the minima; and on the frame each run's current point.
 *
 * What it keeps, in canvases the size of its box:
 *   mesh   the surface, its isolines, the start and the minima, with its depth buffer:
 *          drawn again only when its key (function, view box, camera, theme, box) changes
 *   surf   mesh + every trail: a step adds its new segments, depth-tested against the mesh
 * and only the rows and columns that changed go into the scene, so while the camera stands a
 * frame costs what the new segments cover. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/func.h"
#include "draw_parts.h"

/* Lines on the surface pass the depth test within this much of it (the mesh is flat between
 * its samples, the function is not); a ridge hides what lies further behind it. */
#define SURFACE_DEPTH_BIAS 0.035
/* Samples of the mesh per pixel of its box's smaller side, and the bounds on them. */
#define SURFACE_PIXELS_PER_SAMPLE 6
#define SURFACE_SAMPLES_MIN 32
#define SURFACE_SAMPLES_MAX 240
/* Fine samples a side of each cell, whose mean makes a vertex, while their grid stays within
 * SURFACE_FINE_MAX a side (beyond, one sample a vertex). */
#define SURFACE_FINE 3
#define SURFACE_FINE_MAX 800
/* A trail's segment on the surface is cut into pieces this long at most (of the box's side 2),
 * each lifted onto the surface at its ends. */
#define SURFACE_TRAIL_PIECE (2.0 / 160)
#define SURFACE_TRAIL_PIECES_MAX 256
#define SURFACE_TRAIL_MERGE 1.5f

int surface_shown(const Session *ses, const Layout *l)
{
    return ses->views != VIEWS_MAP && l->surface.w > 8 && l->surface.h > 8;
}

/* The map's view box cut, about its centre, to the proportions of the function's home box:
 * a map squeezed into half its room looks at a tall strip of the plane, which as a square
 * surface would be squashed out of shape. */
static WorldBox surface_box(const Session *ses)
{
    WorldBox b = view_box(&ses->view);
    const double want = (ses->home.x1 - ses->home.x0) / (ses->home.y1 - ses->home.y0);
    const double w = b.x1 - b.x0, h = b.y1 - b.y0, cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
    if (!(want > 0) || !isfinite(want))
        return b;
    if (w / h > want)
        b.x0 = cx - h * want / 2, b.x1 = cx + h * want / 2;
    else
        b.y0 = cy - w / want / 2, b.y1 = cy + w / want / 2;
    return b;
}

static void surface_key(const Draw *d, const Session *ses, SurfaceKey *k)
{
    memset(k, 0, sizeof *k);
    k->func = ses->sim.func;
    k->box = surface_box(ses);
    k->camera = ses->camera;
    k->theme = ses->theme;
    k->pixels = d->layout.surface;
    k->contours = (ses->shown & SHOW_CONTOURS) != 0;
    k->start[0] = ses->sim.start[0], k->start[1] = ses->sim.start[1];
    k->s = d->s;
}

static int grow_canvas(Canvas *c, int w, int h, char *err, size_t errlen)
{
    if (c->px && c->w == w && c->h == h)
        return 0;
    canvas_free(c);
    return canvas_init(c, w, h, err, errlen);
}

/* The box's buffers, sized to it (only when it changes size: no allocation per frame). */
static int surface_buffers(Draw *d, CanvasBox b, char *err, size_t errlen)
{
    if (grow_canvas(&d->surf_mesh, b.w, b.h, err, errlen) < 0 || grow_canvas(&d->surf, b.w, b.h, err, errlen) < 0)
        return -1;
    if (!d->lifted) {
        d->lifted = malloc((size_t)3 * SURFACE_LIFTED_MAX * sizeof *d->lifted);
        d->lifted_step = malloc((size_t)3 * SURFACE_STEP_MAX * sizeof *d->lifted_step);
        if (!d->lifted || !d->lifted_step) {
            snprintf(err, errlen, "out of memory for the 3D view's trails");
            return -1;
        }
    }
    const size_t n = (size_t)b.w * (size_t)b.h;
    if (d->surf_pixels < n) {
        free(d->zbuf);
        free(d->tbuf);
        d->zbuf = malloc(n * sizeof *d->zbuf);
        d->tbuf = malloc(n * sizeof *d->tbuf);
        if (!d->zbuf || !d->tbuf) {
            snprintf(err, errlen, "out of memory for the 3D view's depth");
            d->surf_pixels = 0;
            return -1;
        }
        d->surf_pixels = n;
    }
    return 0;
}

/* The height of the drawn surface at world (x, y) in the box: the mesh's two triangles per
 * cell interpolated as the rasteriser fills them, so a trail or a marker lies on the surface
 * shown, not above or under it where the mesh cuts a corner of the function. */
static double mesh_height(const Draw *d, double x, double y)
{
    const WorldBox *b = &d->proj.box;
    const int n = d->mesh_n;
    double gx = (x - b->x0) / (b->x1 - b->x0) * (n - 1), gy = (b->y1 - y) / (b->y1 - b->y0) * (n - 1);
    gx = gx < 0 ? 0 : gx > n - 1 ? n - 1 : gx;
    gy = gy < 0 ? 0 : gy > n - 1 ? n - 1 : gy;
    const int i = gx >= n - 1 ? n - 2 : (int)gx, j = gy >= n - 1 ? n - 2 : (int)gy;
    const double fx = gx - i, fy = gy - j;
    const float *h = d->surf_h + (size_t)j * n + i;
    const double h00 = h[0], h10 = h[1], h01 = h[n], h11 = h[n + 1];
    if (fx >= fy) /* the triangle v00, v10, v11 */
        return h00 + fx * (h10 - h00) + fy * (h11 - h10);
    return h00 + fy * (h01 - h00) + fx * (h11 - h01); /* v00, v11, v01 */
}

typedef SurfaceVertex Vertex;

/* Lambert under a light above, a little left of and towards the viewer, over an ambient
 * floor so that no slope goes black. */
static void light_direction(const Projection *p, double l[3])
{
    double v[3];
    camera_towards_viewer(p, v);
    const double right[3] = { -p->sa, p->ca, 0 };
    for (int k = 0; k < 3; k++)
        l[k] = 0.55 * v[k] + 0.75 * (k == 2) - 0.35 * right[k];
    const double n = sqrt(l[0] * l[0] + l[1] * l[1] + l[2] * l[2]);
    for (int k = 0; k < 3; k++)
        l[k] /= n;
}

/* Each vertex's colour t and height: the mean over the fine samples around it (the mesh's
 * SURFACE_FINE samples a side per cell), so a crease narrower than a cell, like a log-scaled
 * valley's floor, becomes an even groove instead of teeth where vertices fall in and out
 * of it. */
static void vertex_values(Draw *d, const Camera *cam)
{
    const Field *m = &d->mesh;
    const int n = d->mesh_n, st = d->mesh_stride;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            double t = 0, h = 0;
            int c = 0;
            for (int dj = -st / 2; dj <= st / 2; dj++)
                for (int di = -st / 2; di <= st / 2; di++) {
                    const int fi = i * st + di, fj = j * st + dj;
                    if (fi < 0 || fj < 0 || fi >= m->nx || fj >= m->ny)
                        continue;
                    const size_t k = (size_t)fj * m->nx + fi;
                    t += m->t[k];
                    h += camera_height(cam, m->t[k], m->f[k], m->lo, m->hi);
                    c++;
                }
            d->surf_t[(size_t)j * n + i] = (float)(t / c);
            d->surf_h[(size_t)j * n + i] = (float)(h / c);
        }
}

static void project_mesh(Draw *d, const Session *ses)
{
    const int nx = d->mesh_n, ny = d->mesh_n;
    double l[3];
    light_direction(&d->proj, l);
    const double du = 2.0 / (nx - 1), dv = 2.0 / (ny - 1);
    vertex_values(d, &ses->camera);
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            const size_t k = (size_t)j * nx + i;
            const int il = i > 0 ? i - 1 : i, ir = i < nx - 1 ? i + 1 : i;
            const int ja = j > 0 ? j - 1 : j, jb = j < ny - 1 ? j + 1 : j;
            /* Row 0 is the top (largest y): v grows as j falls. */
            const double dwdu = (d->surf_h[(size_t)j * nx + ir] - d->surf_h[(size_t)j * nx + il]) * CAMERA_HEIGHT /
                                ((ir - il) * du);
            const double dwdv = (d->surf_h[(size_t)ja * nx + i] - d->surf_h[(size_t)jb * nx + i]) * CAMERA_HEIGHT /
                                ((jb - ja) * dv);
            const double nn = sqrt(dwdu * dwdu + dwdv * dwdv + 1);
            const double lam = (-dwdu * l[0] - dwdv * l[1] + l[2]) / nn;
            double out[3];
            camera_project_unit(&d->proj, -1 + i * du, 1 - j * dv, d->surf_h[k] * CAMERA_HEIGHT, out);
            d->verts[k] = (Vertex){ (float)out[0], (float)out[1], (float)out[2], d->surf_t[k],
                                    (float)(0.42 + 0.58 * (lam > 0 ? lam : 0)) };
        }
}

static uint32_t shade(uint32_t c, float light)
{
    const int k = (int)(light * 256);
    const uint32_t r = (((c >> 16) & 255) * k) >> 8, g = (((c >> 8) & 255) * k) >> 8, b = ((c & 255) * k) >> 8;
    return 0xff000000u | (r > 255 ? 255 : r) << 16 | (g > 255 ? 255 : g) << 8 | (b > 255 ? 255 : b);
}

static float min3(float a, float b, float c)
{
    const float m = a < b ? a : b;
    return m < c ? m : c;
}

static float max3(float a, float b, float c)
{
    const float m = a > b ? a : b;
    return m > c ? m : c;
}

/* A triangle into rows [row0, row1) of the mesh canvas: the pixels whose centres it covers,
 * nearer than what is there, get its interpolated colour t and light. The weights step by
 * constant amounts along a row (edge functions). */
static void raster_triangle(Draw *d, const Vertex *a, const Vertex *b, const Vertex *c, int row0, int row1)
{
    const Canvas *cv = &d->surf_mesh;
    const float area = (b->x - a->x) * (c->y - a->y) - (b->y - a->y) * (c->x - a->x);
    if (!(area > 1e-12f || area < -1e-12f))
        return;
    const int x0 = clamp_int((int)floorf(min3(a->x, b->x, c->x)), 0, cv->w);
    const int x1 = clamp_int((int)ceilf(max3(a->x, b->x, c->x)), 0, cv->w);
    const int y0 = clamp_int((int)floorf(min3(a->y, b->y, c->y)), row0, row1);
    const int y1 = clamp_int((int)ceilf(max3(a->y, b->y, c->y)), row0, row1);
    if (x0 >= x1 || y0 >= y1)
        return;
    const float inv = 1.0f / area;
    /* wa = ((b.x - px)(c.y - py) - (b.y - py)(c.x - px)) / area, linear in px: */
    const float dwa = (b->y - c->y) * inv, dwb = (c->y - a->y) * inv;
    const float dz = dwa * (a->z - c->z) + dwb * (b->z - c->z);
    const float dt = dwa * (a->t - c->t) + dwb * (b->t - c->t);
    const float dl = dwa * (a->light - c->light) + dwb * (b->light - c->light);
    const float eps = -1e-5f;
    for (int y = y0; y < y1; y++) {
        const float py = y + 0.5f, px = x0 + 0.5f;
        float wa = ((b->x - px) * (c->y - py) - (b->y - py) * (c->x - px)) * inv;
        float wb = ((c->x - px) * (a->y - py) - (c->y - py) * (a->x - px)) * inv;
        float z = c->z + wa * (a->z - c->z) + wb * (b->z - c->z);
        float t = c->t + wa * (a->t - c->t) + wb * (b->t - c->t);
        float l = c->light + wa * (a->light - c->light) + wb * (b->light - c->light);
        float *zrow = d->zbuf + (size_t)y * cv->w;
        for (int x = x0; x < x1; x++, wa += dwa, wb += dwb, z += dz, t += dt, l += dl) {
            if (wa < eps || wb < eps || 1.0f - wa - wb < eps || z >= zrow[x])
                continue;
            const size_t p = (size_t)y * cv->w + x;
            zrow[x] = z;
            d->tbuf[p] = t;
            const float tc = t < 0 ? 0 : t > 1 ? 1 : t;
            cv->px[p] = shade(d->lut[(int)(tc * (MAP_LUT - 1) + 0.5f)], l);
        }
    }
}

static void *mesh_band(void *arg)
{
    const Band *bd = arg;
    Draw *d = bd->d;
    const Canvas *cv = &d->surf_mesh;
    const int row0 = (int)((long long)cv->h * bd->row0 / d->base.h), row1 = (int)((long long)cv->h * bd->row1 / d->base.h);
    const uint32_t bg = canvas_pixel(bd->pal->background);
    for (int y = row0; y < row1; y++)
        for (int x = 0; x < cv->w; x++) {
            cv->px[(size_t)y * cv->w + x] = bg;
            d->zbuf[(size_t)y * cv->w + x] = INFINITY;
        }
    const int nx = d->mesh_n, ny = d->mesh_n;
    for (int j = 0; j + 1 < ny; j++)
        for (int i = 0; i + 1 < nx; i++) {
            const Vertex *v00 = &d->verts[(size_t)j * nx + i], *v10 = v00 + 1, *v01 = v00 + nx, *v11 = v01 + 1;
            const float top = fminf(fminf(v00->y, v10->y), fminf(v01->y, v11->y));
            const float bottom = fmaxf(fmaxf(v00->y, v10->y), fmaxf(v01->y, v11->y));
            if (bottom < row0 || top > row1)
                continue;
            raster_triangle(d, v00, v10, v11, row0, row1);
            raster_triangle(d, v00, v11, v01, row0, row1);
        }
    return NULL;
}

/* The isolines in the picture's own pixels: where t is within half a line's width (in pixels,
 * by t's gradient there) of a level, the isoline's colour goes over the surface. Drawn on
 * the surface itself, they are hidden where it is. */
static void *isoline_band(void *arg)
{
    const Band *bd = arg;
    Draw *d = bd->d;
    Canvas *cv = &d->surf_mesh;
    const int row0 = (int)((long long)cv->h * bd->row0 / d->base.h), row1 = (int)((long long)cv->h * bd->row1 / d->base.h);
    const int n = d->mesh.nlevels, w = cv->w;
    const Rgba col = bd->pal->isoline;
    const float half = (float)(THEME_ISOLINE_WIDTH * d->s / 2);
    for (int y = row0 < 1 ? 1 : row0; y < row1 && y < cv->h - 1; y++)
        for (int x = 1; x < w - 1; x++) {
            const size_t p = (size_t)y * w + x;
            const float z = d->zbuf[p];
            if (!(z < INFINITY))
                continue;
            const float zl = d->zbuf[p - 1], zr = d->zbuf[p + 1], zu = d->zbuf[p - w], zd = d->zbuf[p + w];
            if (!(zl < INFINITY && zr < INFINITY && zu < INFINITY && zd < INFINITY))
                continue;
            /* Not across an edge where the surface folds behind itself. */
            if (fabsf(zl - zr) > 0.05f || fabsf(zu - zd) > 0.05f)
                continue;
            const float t = d->tbuf[p];
            const float gx = (d->tbuf[p + 1] - d->tbuf[p - 1]) / 2, gy = (d->tbuf[p + w] - d->tbuf[p - w]) / 2;
            const float g = sqrtf(gx * gx + gy * gy);
            if (!(g > 1e-7f))
                continue;
            const int k = (int)floorf(t * n - 0.5f);
            float best = INFINITY;
            for (int q = k; q <= k + 1; q++)
                if (q >= 0 && q < n)
                    best = fminf(best, fabsf(t - d->mesh.level_t[q]) / g);
            /* Where the surface turns edge on, its isolines crowd into a dark smear: they fade
             * out as the gap between levels shrinks below three widths. */
            const float gap = 1.0f / (n * g), fade = (gap - 2 * half) / (4 * half);
            const float cover = fminf(1.0f, fmaxf(0.0f, half + 0.5f - best)) * fminf(1.0f, fmaxf(0.0f, fade));
            if (cover <= 0)
                continue;
            const uint32_t under = cv->px[p];
            const int a = (int)(cover * col.a);
            const uint32_t r = (col.r * a + ((under >> 16) & 255) * (255 - a) + 127) / 255;
            const uint32_t g8 = (col.g * a + ((under >> 8) & 255) * (255 - a) + 127) / 255;
            const uint32_t b = (col.b * a + (under & 255) * (255 - a) + 127) / 255;
            cv->px[p] = 0xff000000u | r << 16 | g8 << 8 | b;
        }
    return NULL;
}


static uint32_t blend(uint32_t under, Rgba col, double cover)
{
    const int al = (int)((cover < 1 ? cover : 1) * col.a + 0.5);
    const uint32_t r = (col.r * al + ((under >> 16) & 255) * (255 - al) + 127) / 255;
    const uint32_t g = (col.g * al + ((under >> 8) & 255) * (255 - al) + 127) / 255;
    const uint32_t b = (col.b * al + (under & 255) * (255 - al) + 127) / 255;
    return 0xff000000u | r << 16 | g << 8 | b;
}

/* The surface's outline softened: a background pixel beside it takes a share of its
 * neighbours on the surface (a quarter of the way for each, at most two thirds), so the
 * edge does not stair-step. Only background pixels are written, from surface pixels no
 * band writes now: the bands may run at once. */
static void *outline_band(void *arg)
{
    const Band *bd = arg;
    Draw *d = bd->d;
    Canvas *cv = &d->surf_mesh;
    const int row0 = (int)((long long)cv->h * bd->row0 / d->base.h), row1 = (int)((long long)cv->h * bd->row1 / d->base.h);
    const int w = cv->w;
    for (int y = row0 < 1 ? 1 : row0; y < row1 && y < cv->h - 1; y++)
        for (int x = 1; x < w - 1; x++) {
            const size_t p = (size_t)y * w + x;
            if (d->zbuf[p] < INFINITY)
                continue;
            const size_t nb[4] = { p - 1, p + 1, p - w, p + w };
            unsigned r = 0, g = 0, b = 0, k = 0;
            for (int q = 0; q < 4; q++)
                if (d->zbuf[nb[q]] < INFINITY) {
                    const uint32_t c = cv->px[nb[q]];
                    r += (c >> 16) & 255, g += (c >> 8) & 255, b += c & 255, k++;
                }
            if (!k)
                continue;
            const Rgba mean = { (uint8_t)(r / k), (uint8_t)(g / k), (uint8_t)(b / k), 255 };
            cv->px[p] = blend(cv->px[p], mean, k < 3 ? k / 4.0 : 2 / 3.0);
        }
    return NULL;
}

/* A depth-tested anti-aliased segment into canvas c (the box's own pixels), in rows [row0,
 * row1): a stroke `outer` pixels wide in edge_col with one `inner` wide in col over it (a
 * colour with alpha 0 is left out). Pixels whose point of the segment lies no farther than the surface there
 * (within the bias) take it. */
static CanvasBox depth_line(Draw *d, Canvas *c, const double a[3], const double b[3], double inner, double outer,
                            Rgba col, Rgba edge_col, int row0, int row1)
{
    const double hw = outer / 2 + 0.5, hi = inner / 2 + 0.5;
    int x0 = (int)floor(fmin(a[0], b[0]) - hw), x1 = (int)ceil(fmax(a[0], b[0]) + hw);
    int y0 = (int)floor(fmin(a[1], b[1]) - hw), y1 = (int)ceil(fmax(a[1], b[1]) + hw);
    x0 = clamp_int(x0, 0, c->w), x1 = clamp_int(x1, 0, c->w), y0 = clamp_int(y0, row0, row1), y1 = clamp_int(y1, row0, row1);
    const double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy, reach2 = hw * hw;
    const double inv = len2 > 0 ? 1 / len2 : 0;
    for (int y = y0; y < y1; y++) {
        const double py = y + 0.5 - a[1];
        for (int x = x0; x < x1; x++) {
            const double px = x + 0.5 - a[0];
            double u = (px * dx + py * dy) * inv;
            u = u < 0 ? 0 : u > 1 ? 1 : u;
            const double ex = px - u * dx, ey = py - u * dy, d2 = ex * ex + ey * ey;
            if (d2 >= reach2)
                continue;
            const size_t p = (size_t)y * c->w + x;
            if (a[2] + u * (b[2] - a[2]) - SURFACE_DEPTH_BIAS > d->zbuf[p])
                continue;
            const double dist = sqrt(d2);
            uint32_t v = edge_col.a ? blend(c->px[p], edge_col, hw - dist) : c->px[p];
            if (dist < hi && col.a)
                v = blend(v, col, hi - dist);
            c->px[p] = v;
        }
    }
    return (CanvasBox){ x0, y0, x1 - x0, y1 - y0 };
}

static CanvasBox box_union(CanvasBox a, CanvasBox b)
{
    if (a.w <= 0 || a.h <= 0)
        return b;
    if (b.w <= 0 || b.h <= 0)
        return a;
    const int x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
    const int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w, y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
    return (CanvasBox){ x0, y0, x1 - x0, y1 - y0 };
}

/* The part of segment p-q inside the box (Liang and Barsky); 0 when none is. */
static int clip_to_box(const WorldBox *b, double p[2], double q[2])
{
    double t0 = 0, t1 = 1;
    const double dx = q[0] - p[0], dy = q[1] - p[1];
    const double pe[4] = { -dx, dx, -dy, dy }, qe[4] = { p[0] - b->x0, b->x1 - p[0], p[1] - b->y0, b->y1 - p[1] };
    for (int k = 0; k < 4; k++) {
        if (pe[k] == 0) {
            if (qe[k] < 0)
                return 0;
            continue;
        }
        const double r = qe[k] / pe[k];
        if (pe[k] < 0)
            t0 = r > t0 ? r : t0;
        else
            t1 = r < t1 ? r : t1;
    }
    if (t0 > t1 || !isfinite(t0) || !isfinite(t1))
        return 0;
    const double a[2] = { p[0] + t0 * dx, p[1] + t0 * dy }, e[2] = { p[0] + t1 * dx, p[1] + t1 * dy };
    p[0] = a[0], p[1] = a[1], q[0] = e[0], q[1] = e[1];
    return 1;
}

/* The point at world (x, y) on the surface, projected into the box's pixels. */
static void surface_point(const Draw *d, double x, double y, double out[3])
{
    camera_project(&d->proj, x, y, mesh_height(d, x, y), out);
}

/* World segment p-q along the surface, cut into pieces each lifted onto it at its ends, as
 * pixel points of the box with their depths into out (a NaN point before it when its start
 * does not continue the points before); returns how many, within room. *open: -1 before
 * any point, 1 while the path goes on inside the box, 0 once it has left it. */
static int lift_segment(Draw *d, const double p0[2], const double q0[2], int *open, float *out,
                        int room)
{
    double p[2] = { p0[0], p0[1] }, q[2] = { q0[0], q0[1] };
    if (!(isfinite(p[0]) && isfinite(p[1]) && isfinite(q[0]) && isfinite(q[1])) || !clip_to_box(&d->proj.box, p, q)) {
        *open = *open < 0 ? -1 : 0;
        return 0;
    }
    const WorldBox *b = &d->proj.box;
    const double du = 2 * (q[0] - p[0]) / (b->x1 - b->x0), dv = 2 * (q[1] - p[1]) / (b->y1 - b->y0);
    int pieces = (int)ceil(sqrt(du * du + dv * dv) / SURFACE_TRAIL_PIECE);
    pieces = pieces < 1 ? 1 : pieces > SURFACE_TRAIL_PIECES_MAX ? SURFACE_TRAIL_PIECES_MAX : pieces;
    const int cut = p[0] != p0[0] || p[1] != p0[1];
    int n = 0;
    double e[3];
    for (int k = (*open == 1 && !cut) ? 1 : 0; k <= pieces && n + 2 <= room; k++) {
        if (k == 0 && *open >= 0) { /* the path left the box and comes back: a gap */
            out[3 * n] = out[3 * n + 1] = out[3 * n + 2] = NAN;
            n++;
        }
        const double u = (double)k / pieces;
        surface_point(d, p[0] + u * (q[0] - p[0]), p[1] + u * (q[1] - p[1]), e);
        out[3 * n] = (float)e[0], out[3 * n + 1] = (float)e[1], out[3 * n + 2] = (float)e[2];
        n++;
    }
    *open = q[0] == q0[0] && q[1] == q0[1];
    return n;
}

/* A run's path from point `from` of its kept points, after `last` (NULL: from the first), to
 * its current point, lifted onto the surface into out (room for `room` points). */
static int lift_path(Draw *d, const Session *ses, int i, int from, const double *last, float *out, int room)
{
    const Trail *t = &ses->trails[i];
    const Run *r = &ses->sim.runs[i];
    double prev[2] = { 0, 0 };
    int have = 0, open = -1, n = 0;
    if (last)
        prev[0] = last[0], prev[1] = last[1], have = 1;
    for (int k = from; k <= t->n; k++) {
        const double pt[2] = { k < t->n ? t->xy[2 * k] : r->x, k < t->n ? t->xy[2 * k + 1] : r->y };
        if (have)
            n += lift_segment(d, prev, pt, &open, out + 3 * n, room - n);
        prev[0] = pt[0], prev[1] = pt[1], have = 1;
    }
    return n;
}

/* Lifted points drawn into rows [row0, row1) of the trails' canvas: an edge in the markers'
 * edge colour, then the run's colour. */
static CanvasBox draw_lifted(Draw *d, const Session *ses, int i, const float *pts, int n, int edge_from, int row0,
                             int row1)
{
    const Palette *pal = theme_palette(ses->theme);
    const double w = THEME_TRAIL_WIDTH * d->s, edge = w + 2 * theme_size.marker_edge * d->s;
    const Rgba none = { 0, 0, 0, 0 };
    CanvasBox changed = { 0, 0, 0, 0 };
    /* The edge under the whole path first (from point edge_from: the points before it are
     * drawn again only in colour, over the edge of the segments that join them), then its
     * colour: a segment's edge must not cover the colour of the one before. Points closer than SURFACE_TRAIL_MERGE pixels to the
     * last one drawn to are passed over: a long run crowds thousands near its minimum. */
    for (int pass = 0; pass < 2; pass++) {
        const float *a = NULL;
        for (int k = 0; k < n; k++) {
            const float *b = pts + 3 * k;
            if (b[0] != b[0]) {
                a = NULL;
                continue;
            }
            if (!a) {
                a = b;
                continue;
            }
            const float dx = b[0] - a[0], dy = b[1] - a[1];
            const int last = k + 1 == n || pts[3 * (k + 1)] != pts[3 * (k + 1)];
            if (dx * dx + dy * dy < SURFACE_TRAIL_MERGE * SURFACE_TRAIL_MERGE && !last)
                continue;
            const double pa[3] = { a[0], a[1], a[2] }, pb[3] = { b[0], b[1], b[2] };
            if (pass)
                changed = box_union(changed, depth_line(d, &d->surf, pa, pb, w, w, pal->runs[i], none, row0, row1));
            else if (k > edge_from)
                changed = box_union(changed, depth_line(d, &d->surf, pa, pb, 0, edge, none, pal->marker_edge, row0, row1));
            a = b;
        }
    }
    return changed;
}

/* Every run's lifted trail in drawing order, a band of rows per thread. */
static void *trails_band(void *arg)
{
    const Band *bd = arg;
    Draw *d = bd->d;
    const int h = d->surf.h;
    const int row0 = (int)((long long)h * bd->row0 / d->base.h), row1 = (int)((long long)h * bd->row1 / d->base.h);
    int order[SIM_MAX_RUNS];
    const int n = trails_order(bd->ses, order);
    for (int k = 0; k < n; k++)
        if (!bd->ses->sim.runs[order[k]].hidden)
            draw_lifted(d, bd->ses, order[k], d->lifted + 3 * (size_t)d->lifted_at[order[k]], d->lifted_n[order[k]], 0,
                        row0, row1);
    return NULL;
}

static void cross_on_surface(Draw *d, Canvas *c, double x, double y, Rgba outer, Rgba inner)
{
    const WorldBox *b = &d->proj.box;
    if (x < b->x0 || x > b->x1 || y < b->y0 || y > b->y1)
        return;
    double p[3];
    surface_point(d, x, y, p);
    const int px = (int)p[0], py = (int)p[1];
    if (px < 0 || py < 0 || px >= c->w || py >= c->h || p[2] - SURFACE_DEPTH_BIAS > d->zbuf[(size_t)py * c->w + px])
        return;
    const double r = theme_size.cross_half * d->s;
    for (int edge = 1; edge >= 0; edge--) {
        const double w = (edge ? theme_size.cross_edge : 1.6) * d->s;
        canvas_line(c, p[0] - r, p[1] - r, p[0] + r, p[1] + r, w, edge ? outer : inner);
        canvas_line(c, p[0] - r, p[1] + r, p[0] + r, p[1] - r, w, edge ? outer : inner);
    }
}

/* The mesh for the key: sampled, projected, rasterised with its isolines on every core; then
 * the minima and the start where they show. */
static int build_mesh(Draw *d, const Session *ses, const SurfaceKey *key, char *err, size_t errlen)
{
    const CanvasBox b = key->pixels;
    const int side = b.w < b.h ? b.w : b.h;
    int n = side / SURFACE_PIXELS_PER_SAMPLE;
    n = n < SURFACE_SAMPLES_MIN ? SURFACE_SAMPLES_MIN : n > SURFACE_SAMPLES_MAX ? SURFACE_SAMPLES_MAX : n;
    /* The fine samples change with the function and the box, not with the camera. */
    const int st = (n - 1) * SURFACE_FINE + 1 <= SURFACE_FINE_MAX ? SURFACE_FINE : 1;
    if (!d->mesh_valid || d->mesh_n != n || d->mesh_stride != st || memcmp(&d->mesh_func, &key->func, sizeof key->func) ||
        memcmp(&d->mesh_box, &key->box, sizeof key->box)) {
        d->mesh_valid = 0;
        const int fine = (n - 1) * st + 1;
        if (field_sample(&d->mesh, &ses->sim.func, key->box, fine, fine, THEME_ISOLINES, d->threads, err, errlen) < 0)
            return -1;
        d->mesh_n = n, d->mesh_stride = st, d->mesh_func = key->func, d->mesh_box = key->box;
        d->mesh_valid = 1;
    }
    const size_t nv = (size_t)n * n;
    if (d->verts_cap < nv) {
        free(d->verts);
        free(d->surf_h);
        free(d->surf_t);
        d->verts = malloc(nv * sizeof *d->verts);
        d->surf_h = malloc(nv * sizeof *d->surf_h);
        d->surf_t = malloc(nv * sizeof *d->surf_t);
        if (!d->verts || !d->surf_h || !d->surf_t) {
            d->verts_cap = 0;
            snprintf(err, errlen, "out of memory for the 3D view's mesh");
            return -1;
        }
        d->verts_cap = nv;
    }
    camera_projection(&d->proj, &ses->camera, key->box, 0, 0, b.w, b.h);
    const Palette *pal = theme_palette(ses->theme);
    map_lut(d->lut, pal);
    project_mesh(d, ses);
    draw_rows(d, (Band){ .d = d, .ses = ses, .pal = pal }, mesh_band);
    if (key->contours && !d->mesh.flat)
        draw_rows(d, (Band){ .d = d, .ses = ses, .pal = pal }, isoline_band);
    draw_rows(d, (Band){ .d = d, .ses = ses, .pal = pal }, outline_band);
    double m[FUNC_MAX_MINIMA][2];
    const int nm = func_minima(&ses->sim.func, m);
    for (int i = 0; i < nm; i++)
        cross_on_surface(d, &d->surf_mesh, m[i][0], m[i][1], pal->marker_edge, pal->minimum);
    for (int i = 0; i < ses->nfound; i++)
        cross_on_surface(d, &d->surf_mesh, ses->found[i][0], ses->found[i][1], pal->minimum, pal->marker_edge);
    d->skey = *key;
    d->surf_valid = 1;
    d->surf_builds++;
    return 0;
}

int surface_prepare(Draw *d, const Session *ses, char *err, size_t errlen)
{
    SurfaceKey key;
    surface_key(d, ses, &key);
    if (d->surf_valid && memcmp(&key, &d->skey, sizeof key) == 0)
        return 0;
    if (surface_buffers(d, key.pixels, err, errlen) < 0 || build_mesh(d, ses, &key, err, errlen) < 0) {
        d->surf_valid = 0;
        return -1;
    }
    d->surf_runs = -1; /* every trail again */
    return 0;
}

/* The last points of a run's lifted path drawn, since its last break (a NaN point). */
static void keep_tail(Draw *d, int i, const float *pts, int n)
{
    int from = n - SURFACE_TAIL < 0 ? 0 : n - SURFACE_TAIL;
    for (int k = n - 1; k >= from; k--)
        if (pts[3 * k] != pts[3 * k]) {
            from = k + 1;
            break;
        }
    d->surf_tail_n[i] = n - from;
    memcpy(d->surf_tail[i], pts + 3 * from, (size_t)(n - from) * 3 * sizeof *pts);
}

/* Whether the trails drawn so far still stand for the runs as they are: else all again. */
static int trails_hold(const Draw *d, const Session *ses)
{
    if (d->surf_runs != ses->sim.nruns || d->surf_selected != ses->selected)
        return 0;
    for (int i = 0; i < ses->sim.nruns; i++) {
        const Run *r = &ses->sim.runs[i];
        const Trail *t = &ses->trails[i];
        if (t->version != d->surf_version[i] || t->n < d->surf_drawn[i] || r->step < d->surf_step[i] ||
            r->hidden != d->surf_hidden[i])
            return 0;
    }
    return 1;
}

static void note_drawn(Draw *d, const Session *ses)
{
    d->surf_runs = ses->sim.nruns;
    d->surf_selected = ses->selected;
    for (int i = 0; i < ses->sim.nruns; i++) {
        const Run *r = &ses->sim.runs[i];
        d->surf_version[i] = ses->trails[i].version;
        d->surf_drawn[i] = ses->trails[i].n;
        d->surf_step[i] = r->step;
        d->surf_hidden[i] = r->hidden;
        d->surf_last[i][0] = r->x, d->surf_last[i][1] = r->y;
    }
}

/* Whether the scene changed inside the box since its last sync (a map's trail running past
 * the map, a new base): then the box is copied whole. */
static int scene_touched(const Draw *d, CanvasBox b)
{
    for (int y = b.y; y < b.y + b.h; y++) {
        int lo, hi;
        if (canvas_damaged(&d->scene, y, &lo, &hi) && hi >= b.x && lo < b.x + b.w)
            return 1;
    }
    return 0;
}

int surface_update(Draw *d, const Session *ses, char *err, size_t errlen)
{
    if (!surface_shown(ses, &d->layout))
        return 0;
    if (surface_prepare(d, ses, err, errlen) < 0)
        return -1;
    const CanvasBox b = d->layout.surface;
    CanvasBox changed = { 0, 0, 0, 0 };
    int order[SIM_MAX_RUNS];
    const int n = trails_order(ses, order);
    if (!trails_hold(d, ses)) {
        canvas_copy(&d->surf, &d->surf_mesh);
        int used = 0;
        for (int i = 0; i < ses->sim.nruns; i++) {
            d->lifted_at[i] = used;
            d->lifted_n[i] = ses->sim.runs[i].hidden ? 0 : lift_path(d, ses, i, 0, NULL, d->lifted + 3 * (size_t)used,
                                                                     SURFACE_LIFTED_MAX - used);
            used += d->lifted_n[i];
        }
        draw_rows(d, (Band){ .d = d, .ses = ses }, trails_band);
        for (int i = 0; i < ses->sim.nruns; i++)
            keep_tail(d, i, d->lifted + 3 * (size_t)d->lifted_at[i], d->lifted_n[i]);
        changed = (CanvasBox){ 0, 0, b.w, b.h };
    } else {
        for (int k = 0; k < n; k++) {
            const int i = order[k];
            const Run *r = &ses->sim.runs[i];
            if (r->hidden || (r->step == d->surf_step[i] && ses->trails[i].n == d->surf_drawn[i]))
                continue;
            /* The last points drawn, then the new ones: see draw_lifted. */
            const int tail = d->surf_tail_n[i];
            memcpy(d->lifted_step, d->surf_tail[i], (size_t)tail * 3 * sizeof *d->lifted_step);
            const int m = tail + lift_path(d, ses, i, d->surf_drawn[i], d->surf_last[i], d->lifted_step + 3 * tail,
                                           SURFACE_STEP_MAX - tail);
            changed = box_union(changed, draw_lifted(d, ses, i, d->lifted_step, m, tail - 1, 0, d->surf.h));
            keep_tail(d, i, d->lifted_step, m);
        }
    }
    note_drawn(d, ses);
    if (scene_touched(d, b))
        changed = (CanvasBox){ 0, 0, b.w, b.h };
    if (changed.w <= 0 || changed.h <= 0)
        return 0;
    for (int y = changed.y; y < changed.y + changed.h; y++)
        memcpy(d->scene.px + (size_t)(b.y + y) * d->scene.w + b.x + changed.x,
               d->surf.px + (size_t)y * d->surf.w + changed.x, (size_t)changed.w * sizeof *d->scene.px);
    canvas_touch(&d->scene, (CanvasBox){ b.x + changed.x, b.y + changed.y, changed.w, changed.h });
    return 0;
}

int surface_run_pixel(const Draw *d, const Session *ses, int i, double out[2])
{
    const Run *r = &ses->sim.runs[i];
    const WorldBox *b = &d->proj.box;
    if (!d->surf_valid || r->hidden || !(r->x >= b->x0 && r->x <= b->x1 && r->y >= b->y0 && r->y <= b->y1))
        return 0;
    double p[3];
    surface_point(d, r->x, r->y, p);
    const int px = (int)floor(p[0]), py = (int)floor(p[1]);
    const Canvas *c = &d->surf_mesh;
    if (px < 0 || py < 0 || px >= c->w || py >= c->h || p[2] - SURFACE_DEPTH_BIAS > d->zbuf[(size_t)py * c->w + px])
        return 0;
    out[0] = d->skey.pixels.x + p[0];
    out[1] = d->skey.pixels.y + p[1];
    return 1;
}

void surface_markers(Draw *d, const Session *ses)
{
    if (!surface_shown(ses, &d->layout) || !d->surf_valid)
        return;
    const Palette *pal = theme_palette(ses->theme);
    const ThemeSizes *ts = &theme_size;
    const double s = d->s, r = THEME_MARKER_RADIUS * s;
    canvas_clip(&d->frame, d->layout.surface);
    const WorldBox *b = &d->proj.box;
    const double x0 = ses->sim.start[0], y0 = ses->sim.start[1];
    if (x0 >= b->x0 && x0 <= b->x1 && y0 >= b->y0 && y0 <= b->y1) {
        double p[3];
        surface_point(d, x0, y0, p);
        const int px = (int)p[0], py = (int)p[1];
        if (px >= 0 && py >= 0 && px < d->surf_mesh.w && py < d->surf_mesh.h &&
            p[2] - SURFACE_DEPTH_BIAS <= d->zbuf[(size_t)py * d->surf_mesh.w + px]) {
            const double sx = d->skey.pixels.x + p[0], sy = d->skey.pixels.y + p[1];
            draw_start(&d->frame, sx, sy, s, pal);
        }
    }
    int order[SIM_MAX_RUNS];
    const int n = trails_order(ses, order);
    for (int k = 0; k < n; k++) {
        const int i = order[k];
        double p[2];
        if (!surface_run_pixel(d, ses, i, p))
            continue;
        if (ses->sim.runs[i].diverged) {
            for (int edge = 1; edge >= 0; edge--) {
                const double w = (edge ? ts->diverged_edge : ts->diverged_width) * s;
                const Rgba col = edge ? pal->marker_edge : pal->runs[i];
                canvas_line(&d->frame, p[0] - r, p[1] - r, p[0] + r, p[1] + r, w, col);
                canvas_line(&d->frame, p[0] - r, p[1] + r, p[0] + r, p[1] - r, w, col);
            }
            continue;
        }
        draw_mark(&d->frame, theme_run_style[i].mark, p[0], p[1], r, ts->marker_edge * s, pal->runs[i], pal->marker_edge);
    }
    canvas_unclip(&d->frame);
}

void surface_free(Draw *d)
{
    canvas_free(&d->surf_mesh);
    canvas_free(&d->surf);
    field_free(&d->mesh);
    free(d->zbuf);
    free(d->tbuf);
    free(d->verts);
    free(d->surf_h);
    free(d->surf_t);
    free(d->lifted);
    free(d->lifted_step);
}

int draw_surface_pixels(Draw *d, const Session *ses, int live, double out[SIM_MAX_RUNS][2], int on[SIM_MAX_RUNS],
                        char *err, size_t errlen)
{
    draw_layout(d, ses, live, &d->layout);
    if (!surface_shown(ses, &d->layout))
        return -1;
    if (surface_prepare(d, ses, err, errlen) < 0)
        return -2;
    for (int i = 0; i < ses->sim.nruns; i++)
        on[i] = surface_run_pixel(d, ses, i, out[i]);
    return 0;
}

unsigned long draw_surface_builds(const Draw *d)
{
    return d->surf_builds;
}

int draw_surface_mesh(const Draw *d)
{
    return d->mesh_n;
}
