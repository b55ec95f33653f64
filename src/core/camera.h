/* The 3D view's camera: where the viewer stands around the surface (azimuth, elevation,
 * zoom), how the loss becomes height (log or linear, as the colour bar reads), and the
 * projection of a point (x, y, height) to a pixel and a depth. Orthographic, so a depth
 * is a plain number along the line of sight and a line on the surface stays a line. */
#ifndef OPTISCOPE_CAMERA_H
#define OPTISCOPE_CAMERA_H

#include <stddef.h>

#include "box.h"

/* matplotlib's default view (azim -60, elev 30), so a figure made there looks alike. */
#define CAMERA_AZIMUTH 300.0
#define CAMERA_ELEVATION 30.0
#define CAMERA_ELEVATION_MIN 0.0
#define CAMERA_ELEVATION_MAX 90.0
#define CAMERA_ZOOM_MIN 0.25
#define CAMERA_ZOOM_MAX 8.0
/* The height of the surface's box against its side of 2: low enough that a valley reads,
 * high enough that a ridge hides what lies behind it. */
#define CAMERA_HEIGHT 0.9

typedef struct {
    double azimuth;   /* degrees, [0, 360): where the viewer stands, from the x axis towards y */
    double elevation; /* degrees above the plane, CAMERA_ELEVATION_MIN..MAX */
    double zoom;      /* 1: the surface's box fills its pixels' box; 0 counts as 1 */
    int linear;       /* height linear in the loss, else log (the colour bar's scale) */
} Camera;

/* The camera at its defaults. */
Camera camera_default(void);
/* Turned by (daz, del) degrees (the elevation clamped to its range, the azimuth wrapped)
 * and zoomed by factor (clamped); returns whether anything changed. */
int camera_orbit(Camera *c, double daz, double del);
int camera_zoom(Camera *c, double factor);
/* "AZ,EL" in degrees into c; -1 with a message naming what is valid. */
int camera_parse(Camera *c, const char *text, char *err, size_t errlen);

/* A camera fitted to a world box and a pixel box: the box's centre at the pixels' centre. */
typedef struct {
    WorldBox box;
    double ca, sa, ce, se; /* cos and sin of azimuth and elevation */
    double scale;          /* pixels per unit of the normalised box (side 2) */
    double cx, cy;         /* the pixel the box's centre goes to */
} Projection;

void camera_projection(Projection *p, const Camera *c, WorldBox box, double px, double py, double pw, double ph);
/* The point at world (x, y) with height h in [0, 1] of CAMERA_HEIGHT: its pixel (sx, sy)
 * and its depth (larger is farther from the viewer). */
void camera_project(const Projection *p, double x, double y, double h, double out[3]);
/* The same for a point in the normalised box: u, v in [-1, 1], w = h * CAMERA_HEIGHT. */
void camera_project_unit(const Projection *p, double u, double v, double w, double out[3]);
/* The unit vector towards the viewer in the normalised box (for lighting). */
void camera_towards_viewer(const Projection *p, double out[3]);

/* Height in [0, 1] of a loss f: the log-scaled t the colour bar reads (given), or linear
 * between lo and hi. */
double camera_height(const Camera *c, double t, double f, double lo, double hi);

#endif
