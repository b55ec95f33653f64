/* The names of what is shown and of the legend's modes (see show.h). */
#include "show.h"

#include <stdio.h>
#include <string.h>

const ShowName show_panels[] = {
    { "contours", SHOW_CONTOURS },   { "arrows", SHOW_ARROWS },       { "plots", SHOW_PLOTS },
    { "colorbar", SHOW_COLORBAR },   { "axes", SHOW_AXIS_LABELS },    { "caption", SHOW_CAPTION },
    { "float", SHOW_FLOAT },         { "curvature", SHOW_CURVATURE }, { "sharpness", SHOW_SHARPNESS },
    { "gradnorm", SHOW_GRADNORM },   { "basins", SHOW_BASINS },       { "data", SHOW_DATA },
    { "internals", SHOW_INTERNALS }, { "internals_all", SHOW_INTERNALS_ALL }, { "rule", SHOW_RULE },
    { "bigplot", SHOW_BIGPLOT },
};
const int show_panel_count = (int)(sizeof show_panels / sizeof show_panels[0]);

static const ShowName legend_modes[LEGEND_MODES] = {
    [LEGEND_FULL] = { "full", LEGEND_FULL },
    [LEGEND_COMPACT] = { "compact", LEGEND_COMPACT },
    [LEGEND_HIDDEN] = { "hidden", LEGEND_HIDDEN },
};

static int same(const char *name, size_t n, const char *word)
{
    return strlen(word) == n && strncmp(name, word, n) == 0;
}

unsigned show_panel_bit(const char *name, size_t n)
{
    if (same(name, n, "field")) /* scenes written before the arrows were called so */
        return SHOW_ARROWS;
    for (int i = 0; i < show_panel_count; i++)
        if (same(name, n, show_panels[i].name))
            return show_panels[i].value;
    return 0;
}

void show_panels_text(unsigned bits, char *buf, size_t len)
{
    size_t used = 0;
    snprintf(buf, len, "none");
    for (int i = 0; i < show_panel_count && used < len; i++)
        if (bits & show_panels[i].value)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "," : "", show_panels[i].name);
}

const char *show_legend_name(LegendMode m)
{
    return m >= 0 && m < LEGEND_MODES ? legend_modes[m].name : "full";
}

int show_legend_parse(const char *name, LegendMode *out)
{
    for (int i = 0; i < LEGEND_MODES; i++)
        if (strcmp(name, legend_modes[i].name) == 0) {
            *out = (LegendMode)legend_modes[i].value;
            return 0;
        }
    return -1;
}

void show_names_text(int panels, const char *sep, const char *last, char *buf, size_t len)
{
    const ShowName *rows = panels ? show_panels : legend_modes;
    const int n = panels ? show_panel_count : LEGEND_MODES;
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i == 0 ? "" : i == n - 1 ? last : sep, rows[i].name);
}
