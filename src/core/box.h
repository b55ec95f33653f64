/* A rectangle of the plane in world coordinates, one named field per edge: the view, a
 * function's home, the box a field samples or a basin map covers. */
#ifndef OPTISCOPE_BOX_H
#define OPTISCOPE_BOX_H

typedef struct {
    double x0, x1, y0, y1;
} WorldBox;

#endif
