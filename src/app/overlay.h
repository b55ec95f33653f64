/* Legend, plots, title, status line, message and help, drawn over the map each frame. */
#ifndef OPTISCOPE_OVERLAY_H
#define OPTISCOPE_OVERLAY_H

#include "../core/ui.h"
#include "draw.h"

void overlay_draw(Draw *d, const Ui *ui, double message_alpha);

#endif
