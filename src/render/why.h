/* The map's explanations (see core/curvature.h and core/basin.h): the selected run's
 * Hessian axes on the frame, and the basin map under the trails. */
#ifndef OPTISCOPE_WHY_H
#define OPTISCOPE_WHY_H

#include "../session/session.h"
#include "canvas.h"
#include "theme.h"

/* The Hessian's eigen-directions at the selected run's point as two axes, their lengths in
 * proportion to |λ|; a negative curvature (a saddle direction) is dashed in the unstable
 * colour. */
void why_axes(Canvas *c, const Session *ses, double s, const Palette *pal);

#endif
