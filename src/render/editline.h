/* The one input line (a typed function, a typed value, the palette's search), drawn in the
 * layout's `input` box: the text with its cursor, and below it the error with a caret under
 * its place, or a hint. */
#ifndef OPTISCOPE_EDITLINE_H
#define OPTISCOPE_EDITLINE_H

#include "layout.h"
#include "panels.h"

void editline_draw(const Paint *p, const Session *ses, const Layout *l);

#endif
