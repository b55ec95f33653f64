/* The 3D view's camera (see camera.h). */
#include "camera.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define DEG (3.14159265358979323846 / 180.0)

Camera camera_default(void)
{
    return (Camera){ .azimuth = CAMERA_AZIMUTH, .elevation = CAMERA_ELEVATION, .zoom = 1.0 };
}

static double wrap_degrees(double a)
{
    a = fmod(a, 360.0);
    return a < 0 ? a + 360.0 : a;
}

int camera_orbit(Camera *c, double daz, double del)
{
    const Camera was = *c;
    c->azimuth = wrap_degrees(c->azimuth + daz);
    c->elevation = fmin(CAMERA_ELEVATION_MAX, fmax(CAMERA_ELEVATION_MIN, c->elevation + del));
    return was.azimuth != c->azimuth || was.elevation != c->elevation;
}

int camera_zoom(Camera *c, double factor)
{
    const double was = c->zoom > 0 ? c->zoom : 1.0;
    if (!(factor > 0) || !isfinite(factor))
        return 0;
    c->zoom = fmin(CAMERA_ZOOM_MAX, fmax(CAMERA_ZOOM_MIN, was * factor));
    return c->zoom != was;
}

int camera_parse(Camera *c, const char *text, char *err, size_t errlen)
{
    char *end;
    const double az = strtod(text, &end);
    int ok = end != text && *end == ',';
    const char *second = end + 1;
    const double el = ok ? strtod(second, &end) : NAN;
    ok = ok && end != second && *end == '\0' && isfinite(az) && isfinite(el) && el >= CAMERA_ELEVATION_MIN &&
         el <= CAMERA_ELEVATION_MAX;
    if (!ok) {
        snprintf(err, errlen,
                 "--view3d must be AZIMUTH,ELEVATION in degrees, a finite azimuth and an elevation from %g to %g, "
                 "got '%s'",
                 CAMERA_ELEVATION_MIN, CAMERA_ELEVATION_MAX, text);
        return -1;
    }
    c->azimuth = wrap_degrees(az);
    c->elevation = el;
    return 0;
}

/* The box's far corners reach sqrt(2) from its axis and half its height above and below its
 * middle: a scale that keeps that sphere inside the pixels keeps the surface there at any angle,
 * and the picture does not breathe as the camera turns. */
void camera_projection(Projection *p, const Camera *c, WorldBox box, double px, double py, double pw, double ph)
{
    p->box = box;
    p->ca = cos(c->azimuth * DEG), p->sa = sin(c->azimuth * DEG);
    p->ce = cos(c->elevation * DEG), p->se = sin(c->elevation * DEG);
    /* What the box spans on screen at this elevation: its plane's diagonal across, its
     * height and the plane's depth foreshortened up. */
    const double across = sqrt(2.0), up = sqrt(2.0) * p->se + CAMERA_HEIGHT * p->ce;
    const double zoom = c->zoom > 0 ? c->zoom : 1.0;
    p->scale = 0.96 * zoom * fmin(pw / (2 * across), ph / (2 * up > 0 ? up : 1));
    p->cx = px + pw / 2;
    p->cy = py + ph / 2;
}

/* The viewer stands at azimuth a: towards (cos a, sin a) in the plane. The screen's right is
 * (-sin a, cos a), what lies away from the viewer is -(cos a, sin a); the elevation tilts
 * that back direction up the screen and the height towards the viewer. */
void camera_project_unit(const Projection *p, double u, double v, double w, double out[3])
{
    const double right = -p->sa * u + p->ca * v;
    const double back = -(p->ca * u + p->sa * v);
    const double zc = w - CAMERA_HEIGHT / 2; /* about the box's middle */
    const double up = zc * p->ce + back * p->se;
    out[0] = p->cx + right * p->scale;
    out[1] = p->cy - up * p->scale;
    out[2] = back * p->ce - zc * p->se;
}

void camera_project(const Projection *p, double x, double y, double h, double out[3])
{
    const WorldBox *b = &p->box;
    const double u = 2 * (x - b->x0) / (b->x1 - b->x0) - 1, v = 2 * (y - b->y0) / (b->y1 - b->y0) - 1;
    camera_project_unit(p, u, v, h * CAMERA_HEIGHT, out);
}

void camera_towards_viewer(const Projection *p, double out[3])
{
    out[0] = p->ca * p->ce;
    out[1] = p->sa * p->ce;
    out[2] = p->se;
}

double camera_height(const Camera *c, double t, double f, double lo, double hi)
{
    if (!c->linear)
        return t;
    if (!(f < HUGE_VAL))
        return 1.0;
    if (!(hi > lo))
        return 0.5;
    const double h = (f - lo) / (hi - lo);
    return h < 0 ? 0 : h > 1 ? 1 : h;
}
