/* What can be shown besides the runs (the SHOW_* bits) and how much the legend says: each
 * with its one name table, which the parser, the scene writer, the messages and the help read. */
#ifndef OPTISCOPE_SHOW_H
#define OPTISCOPE_SHOW_H

#include <stddef.h>

/* One bit each: map layers (contours, gradient arrows), panels (plots, colour bar, axis
 * labels, the caption line under the map), and whether the map takes the whole
 * picture with the panels floating over it. */
enum {
    SHOW_CONTOURS = 1,
    SHOW_ARROWS = 2,
    SHOW_PLOTS = 4,
    SHOW_COLORBAR = 8,
    SHOW_AXIS_LABELS = 16,
    SHOW_CAPTION = 32,
    SHOW_FLOAT = 64,
    SHOW_CURVATURE = 128, /* the selected run's Hessian axes and stability readout */
    SHOW_BASINS = 256,    /* the basin map of the selected run's optimizer */
    SHOW_SHARPNESS = 512, /* a plot of λmax at each run's point against 2/lr */
    SHOW_GRADNORM = 1024, /* a plot of the gradient's norm at each run's point */
    SHOW_DATA = 2048,     /* a loss over data: the points and the runs' models w·x + b */
    SHOW_INTERNALS = 4096, /* the selected run's next step taken apart, drawn at its point */
    SHOW_INTERNALS_ALL = 8192, /* ... at every run's point instead */
    SHOW_RULE = 16384,     /* the selected run's update rule with this step's numbers */
    SHOW_BIGPLOT = 32768,  /* the loss and lr plots in the map's place, the map in the panels' */
};
/* The data panel is on by default: on a loss over data the line through the points is what
 * a class looks at first, and elsewhere the bit shows nothing. */
#define SHOW_DEFAULT (SHOW_CONTOURS | SHOW_COLORBAR | SHOW_AXIS_LABELS | SHOW_DATA)

typedef enum { LEGEND_FULL, LEGEND_COMPACT, LEGEND_HIDDEN, LEGEND_MODES } LegendMode;

/* A name and the value it stands for. */
typedef struct {
    const char *name;
    unsigned value;
} ShowName;

/* Every SHOW_* bit by its --panels name, in the order the scene writer lists them. */
extern const ShowName show_panels[];
extern const int show_panel_count;

/* The bit a --panels name of n bytes stands for ("field" is the arrows' older name), or 0. */
unsigned show_panel_bit(const char *name, size_t n);
/* Bits as a --panels value: "contours,colorbar,axes", or "none". */
void show_panels_text(unsigned bits, char *buf, size_t len);
/* The name of a legend mode ("full", "compact", "hidden"). */
const char *show_legend_name(LegendMode m);
/* The legend mode a name stands for; -1 when none. */
int show_legend_parse(const char *name, LegendMode *out);
/* Every name of a table joined by sep, the last by `last` ("full, compact or hidden");
 * panels is 1 for the panels' names, 0 for the legend's modes. */
void show_names_text(int panels, const char *sep, const char *last, char *buf, size_t len);

#endif
