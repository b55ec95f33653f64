/* The map layer's pixels (see map.h): heat map and isolines of a sampled field. */
#include "map.h"

#include <math.h>

#define MAP_MAX_SAMPLES 1e6

/* Every pixel of a map up to MAP_MAX_SAMPLES pixels, every other beyond (every third at
 * 4K). Between samples two pixels apart the heat map interpolates t and the isolines run
 * straight, which changes no pixel visibly (on the benchmark scene at 1920x1080, by at
 * most 10 of 255 on a few dozen); sampling every pixel there (a function value and a log
 * each) costs more than a frame. */
int map_step(const View *v)
{
    return (int)ceil(sqrt(v->pw * v->ph / MAP_MAX_SAMPLES));
}

int map_sample(Field *f, const Spec *func, const View *v, CanvasBox pixels, int step, const Field *like,
               int threads, char *err, size_t errlen)
{
    const int nx = (int)ceil((pixels.w - 1) / (double)step) + 1, ny = (int)ceil((pixels.h - 1) / (double)step) + 1;
    const double x = pixels.x + 0.5, y = pixels.y + 0.5;
    const WorldBox box = { view_wx(v, x), view_wx(v, x + (nx - 1) * step), view_wy(v, y + (ny - 1) * step),
                           view_wy(v, y) };
    if (like)
        return field_sample_like(f, like, func, box, nx < 2 ? 2 : nx, ny < 2 ? 2 : ny, threads, err, errlen);
    return field_sample(f, func, box, nx < 2 ? 2 : nx, ny < 2 ? 2 : ny, THEME_ISOLINES, threads, err, errlen);
}

static Rgba mix(Rgba a, Rgba b, double t)
{
    Rgba c = { (unsigned char)(a.r + (b.r - a.r) * t + 0.5), (unsigned char)(a.g + (b.g - a.g) * t + 0.5),
               (unsigned char)(a.b + (b.b - a.b) * t + 0.5), 255 };
    return c;
}

void map_lut(uint32_t lut[MAP_LUT], const Palette *pal)
{
    for (int i = 0; i < MAP_LUT; i++) {
        const Rgba c = mix(theme_colormap(i / (double)(MAP_LUT - 1)), pal->heat_toward, pal->heat_mix);
        lut[i] = canvas_pixel(c);
    }
}

MapPaint map_paint_of(const View *v, const Field *f, const uint32_t *lut, int step, const Palette *pal, double s)
{
    const int x = (int)v->px, y = (int)v->py;
    return (MapPaint){
        .field = f,
        .lut = lut,
        .box = { x, y, (int)v->pw, (int)v->ph },
        .fx = x,
        .fy = y,
        .step = step,
        .surround = 1,
        .background = canvas_pixel(pal->background),
        .isoline = pal->isoline,
        .isoline_width = THEME_ISOLINE_WIDTH * s,
    };
}

/* Pixels [x, x + w) of row y, counted from sample (0, 0): t between the field's rows, then
 * between its columns, step pixels per sample; pixels past the last sample keep its colour. */
static void heat_row(const Field *f, const uint32_t *lut, int step, int y, int x, uint32_t *row, int w)
{
    int j = y / step;
    if (j > f->ny - 2)
        j = f->ny - 2;
    const float fy = fminf(1.0f, (float)(y - j * step) / (float)step), scale = MAP_LUT - 1;
    const float *r0 = f->t + (size_t)j * (size_t)f->nx, *r1 = r0 + f->nx;
    int i = x / step, k = x % step, n = 0;
    if (i > f->nx - 1)
        i = f->nx - 1, k = 0;
    float left = r0[i] + (r1[i] - r0[i]) * fy;
    for (; i + 1 < f->nx && n < w; i++, k = 0) {
        const float right = r0[i + 1] + (r1[i + 1] - r0[i + 1]) * fy, d = (right - left) / (float)step;
        for (; k < step && n < w; k++, n++)
            row[n] = lut[(int)((left + d * (float)k) * scale + 0.5f)];
        left = right;
    }
    for (; n < w; n++)
        row[n] = lut[(int)(left * scale + 0.5f)];
}

static void fill_pixels(uint32_t *p, int n, uint32_t v)
{
    for (int i = 0; i < n; i++)
        p[i] = v;
}

void map_heat(Canvas *c, const MapPaint *m, int row0, int row1)
{
    const CanvasBox b = m->box;
    /* A map pushed past the canvas's edge by huge text is cut there. */
    const int left = b.x < 0 ? 0 : b.x < c->w ? b.x : c->w, end = b.x + b.w < c->w ? b.x + b.w : c->w;
    const int right = end > left ? end : left;
    for (int y = row0 < 0 ? 0 : row0; y < row1 && y < c->h; y++) {
        uint32_t *row = c->px + (size_t)y * (size_t)c->w;
        if (y < b.y || y >= b.y + b.h) {
            if (m->surround)
                fill_pixels(row, c->w, m->background);
            continue;
        }
        if (m->surround) {
            fill_pixels(row, left, m->background);
            fill_pixels(row + right, c->w - right, m->background);
        }
        if (right > left)
            heat_row(m->field, m->lut, m->step, y - m->fy, left - m->fx, row + left, right - left);
    }
}

typedef struct {
    CanvasStroke stroke;
    double ox, oy, step;
} IsoCtx;

static void emit_segment(void *ctx, int level, float ax, float ay, float bx, float by)
{
    IsoCtx *k = ctx;
    (void)level;
    canvas_stroke_line(&k->stroke, k->ox + ax * k->step, k->oy + ay * k->step, k->ox + bx * k->step,
                       k->oy + by * k->step);
}

/* Cells a little above and below the rows can reach into them. */
void map_isolines(Canvas *c, const MapPaint *m, int row0, int row1)
{
    IsoCtx k = { .ox = m->fx + 0.5, .oy = m->fy + 0.5, .step = m->step };
    canvas_stroke_begin(&k.stroke, c, m->isoline_width, m->isoline, row0, row1);
    const double reach = m->isoline_width / 2 + 2;
    const int j0 = (int)floor((row0 - reach - k.oy) / m->step) - 1;
    const int j1 = (int)ceil((row1 + reach - k.oy) / m->step) + 1;
    field_isolines_rows(m->field, j0 < 0 ? 0 : j0, j1, emit_segment, &k);
    canvas_stroke_end(&k.stroke);
}
