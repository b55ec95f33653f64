/* Legend, plots, title, status line, message and help, drawn over the map each frame. */
#ifndef OPTISCOPE_OVERLAY_H
#define OPTISCOPE_OVERLAY_H

#include "../session/session.h"
#include "draw.h"

void overlay_draw(Draw *d, const Session *ses, double message_alpha);
/* How many pixels at the map's right the legend and the plots (when shown) take. */
int overlay_panel_room(Draw *d, const Session *ses);

#endif
