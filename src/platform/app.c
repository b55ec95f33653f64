/* What the window and the headless jobs share: a session laid out in a picture, a slide
 * picture written to PNG, and the state dump. */
#include "app.h"
#include "shipped.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../render/panels.h"
#include "output.h"

Draw *app_prepare(Session *ses, const Config *c, int w, int h, double s, int live, char *err, size_t errlen)
{
    Draw *d = draw_new(w, h, s, err, errlen);
    if (!d)
        return NULL;
    if (session_init(ses, c, 0, 0, w, h, err, errlen) < 0) {
        draw_free(d);
        return NULL;
    }
    app_relayout(d, ses, live);
    app_next_title(ses, c);
    return d;
}

void app_next_title(Session *ses, const Config *c)
{
    char title[CONFIG_TITLE_MAX];
    config_deck_title(c, c->deck_at + 1, shipped_read_scene, title, sizeof title);
    const Action a = { .kind = ACTION_NEXT_TITLE, .text = title };
    session_apply(ses, &a);
}

void app_relayout(Draw *d, Session *ses, int live)
{
    Layout l;
    draw_layout(d, ses, live, &l);
    const int pages = draw_help_pages(d, ses, &l);
    if (pages != ses->help_pages) {
        const Action a = { .kind = ACTION_HELP_PAGES, .arg = pages };
        session_apply(ses, &a);
    }
    const View *v = &ses->view;
    if (l.map.x != v->px || l.map.y != v->py || l.map.w != v->pw || l.map.h != v->ph || ses->fit_pending) {
        const Action a = session_map_box(l.map.x, l.map.y, l.map.w, l.map.h);
        session_apply(ses, &a);
    }
}

int app_screenshot(const Session *ses, int w, int h, double s, const char *path, char *err, size_t errlen)
{
    Session *copy = malloc(sizeof *copy);
    if (!copy) {
        snprintf(err, errlen, "out of memory for the screenshot");
        return -1;
    }
    Draw *d = draw_new(w, h, s, err, errlen);
    const int rc = d && app_draw_slide(d, copy, ses, err, errlen) == 0 &&
                           output_png(draw_picture(d), path, err, errlen) == 0
                       ? 0
                       : -1;
    draw_free(d);
    free(copy);
    return rc;
}

int app_draw_slide(Draw *d, Session *copy, const Session *ses, char *err, size_t errlen)
{
    session_copy_shown(copy, ses);
    /* What was visible stays visible: the same world box fitted into the slide's map. */
    Layout l;
    draw_layout(d, copy, 0, &l);
    view_fit(&copy->view, view_box(&ses->view), l.map.x, l.map.y, l.map.w, l.map.h);
    const DrawOptions o = { .live = 0 };
    return draw_frame(d, copy, &o, err, errlen);
}

int app_dump_state(const Session *ses, Draw *d, int live, const char *path, char *err, size_t errlen)
{
    Output o;
    if (output_open(&o, "state", path, err, errlen) < 0)
        return -1;
    SessionDumpExtra extra;
    memset(&extra, 0, sizeof extra);
    char colours[SIM_MAX_RUNS][8], layout[2048], basins[1024], help[96], ranges[160], internals[2048];
    double visible[SIM_MAX_RUNS], surface_px[SIM_MAX_RUNS][2];
    int surface_on[SIM_MAX_RUNS];
    if (d) {
        for (int i = 0; i < ses->sim.nruns; i++) {
            draw_run_colour(ses, i, colours[i]);
            extra.colours[i] = colours[i];
        }
        Layout l;
        draw_layout(d, ses, live, &l);
        layout_json(&l, layout, sizeof layout);
        extra.layout = layout;
        if (live && ses->show_help) {
            HelpFit fit;
            draw_help_fit(d, ses, live, &fit);
            snprintf(help, sizeof help, "{\"rows\": %d, \"cut\": %d, \"page\": %d, \"pages\": %d}", fit.rows,
                     fit.cut, ses->help_page + 1, fit.pages);
            extra.help = help;
        }
        if (draw_basins_json(d, ses, live, basins, sizeof basins) == 0)
            extra.basins = basins;
        if (draw_internals_json(d, ses, internals, sizeof internals) == 0)
            extra.internals = internals;
        double loss[2], lr[2];
        if (plots_ranges(ses, loss, lr) == 0) {
            snprintf(ranges, sizeof ranges, "{\"loss\": [%.17g, %.17g], \"lr\": [%.17g, %.17g]}", loss[0], loss[1],
                     lr[0], lr[1]);
            extra.plot_ranges = ranges;
        }
        if (draw_visible_fractions(d, ses, visible, err, errlen) < 0) {
            output_abort(&o);
            return -1;
        }
        extra.visible = visible;
        const int has3d = draw_surface_pixels(d, ses, live, surface_px, surface_on, err, errlen);
        if (has3d == -2) {
            output_abort(&o);
            return -1;
        }
        if (has3d == 0) {
            extra.surface_px = (const double(*)[2])surface_px;
            extra.surface_on = surface_on;
        }
    }
    session_dump_json(ses, &extra, o.f);
    return output_commit(&o, err, errlen);
}

int app_save_scene(const Session *ses, const char *path, char *err, size_t errlen)
{
    Output o;
    if (output_open(&o, "scene", path, err, errlen) == 0) {
        session_write_scene(ses, o.f);
        if (output_commit(&o, err, errlen) == 0)
            return 0;
    }
    unlink(path); /* the name reserved for it: a 0-byte scene would load as the default one */
    return -1;
}
