/* The map's explanations (see core/curvature.h and core/basin.h): the selected run's
 * Hessian axes on the frame, and the basin map under the trails. */
#ifndef OPTISCOPE_WHY_H
#define OPTISCOPE_WHY_H

#include "../core/basin.h"
#include "../session/session.h"
#include "canvas.h"
#include "text.h"
#include "theme.h"

/* The Hessian's eigen-directions at the selected run's point as two axes, their lengths in
 * proportion to |λ|; a negative curvature (a saddle direction) is dashed in the unstable
 * colour. */
void why_axes(Canvas *c, const Session *ses, double s, const Palette *pal);

/* The next step taken apart (SHOW_INTERNALS) at the selected run's point, or every run's
 * (SHOW_INTERNALS_ALL): arrows for the plain gradient step -lr·∇f, the momentum or
 * first-moment term and the step taken, and an adaptive rule's per-coordinate step size
 * as a box (see core/internals.h), all at one scale why_internals_scale gives. */
void why_internals(Canvas *c, const Session *ses, double s, const Palette *pal);
/* The factor the internals are drawn at: 1, or a power of ten that makes the longest arrow
 * 40 points long at least, or 2 or 5 times one (with every run's shown: the least of their factors, so none
 * is blown up past its own). */
double why_internals_scale(const Session *ses, double s);


/* The basin map of the selected run's settings over the view. Live, it is computed on
 * threads of its own, a coarse grid first and then a fine one, and a frame only picks up
 * what is ready; otherwise (pictures, dumps) it is computed at once on `threads` threads,
 * so pictures are deterministic. */
typedef struct WhyBasins WhyBasins;

WhyBasins *why_basins_new(int threads, char *err, size_t errlen);
void why_basins_free(WhyBasins *b);
/* The map to draw for the session now (NULL: none asked for, or none ready yet); *version
 * changes whenever the map returned does. */
const BasinMap *why_basins_update(WhyBasins *b, const Session *ses, int live, unsigned long *version);
/* Whether the worker has a map in hand or one ready that no frame has taken yet: frames
 * must keep coming until it is shown. */
int why_basins_pending(WhyBasins *b);
/* Tints rows [row0, row1) of the map's pixels by basin (see Palette's basins), with a
 * darker line along borders. */
void why_basins_paint(Canvas *c, const BasinMap *m, const View *v, const Palette *pal, int row0, int row1);
/* Rings at the minima the map found besides the known ones (those have their ×). */
void why_basins_found(Canvas *c, const BasinMap *m, const View *v, double s, const Palette *pal);

/* The basin map's key: a title line, then one line per minimum the starts reached (its
 * tint, where it is and its loss), then the diverged and the
 * unsettled starts. Its room is fixed by the function alone, so the layout does not move
 * when a map arrives: WHY_KEY_SLOTS_MIN..MAX entries (the last says how many more). */
#define WHY_KEY_SLOTS_MIN 4
#define WHY_KEY_SLOTS_MAX 6
typedef struct {
    Rgba tint;
    int swatch; /* 0: a line of text only ("+2 more") */
    char text[112];
} WhyKeyEntry;

/* The key's lines of small text for the session (title included), 0 when the basin map is off. */
int why_basins_key_rows(const Session *ses);
/* The width the key's lines need, swatch and padding included (its longest lines). */
int why_basins_key_width(Text *tx, double s);
/* The key's entries for m, at most `slots`; returns how many. */
int why_basins_key_entries(const BasinMap *m, const Spec *func, const Palette *pal, WhyKeyEntry *out, int slots);
/* The key's title, and the colour bar's while the tints lie over the heat map. */
#define WHY_KEY_TITLE "Basin: where starts end"
#define WHY_COLORBAR_TITLE "loss (log) \xc2\xb7 tint: basin"

#endif
