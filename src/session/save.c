/* The setup as it is now as a scene file (Ctrl+S): loading it gives the same runs, view and
 * panels again, from step 0. */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/optim.h"
#include "../core/sched.h"

/* A spec with the run's label, which the spec's own text leaves out. A typed formula may
 * be long: the buffer grows until the whole text fits. */
static void write_spec(FILE *out, const char *key, const SpecTable *t, const Spec *s)
{
    char small[512], *text = small;
    size_t len = sizeof small;
    spec_format(t, s, text, len);
    while (strlen(text) + 1 >= len) { /* filled up: perhaps cut */
        char *more = realloc(text == small ? NULL : text, len * 2);
        if (!more)
            break;
        text = more;
        len *= 2;
        spec_format(t, s, text, len);
    }
    fprintf(out, "%s %s", key, text);
    if (s->label[0])
        fprintf(out, "%clabel=%s", strchr(text, ':') ? ',' : ':', s->label);
    fputc('\n', out);
    if (text != small)
        free(text);
}

static void write_lines(FILE *out, const char *key, const char *lines)
{
    for (const char *p = lines; *p; p += strcspn(p, "\n") + 1)
        fprintf(out, "%s %.*s\n", key, (int)strcspn(p, "\n"), p);
}

void session_write_scene(const Session *ses, FILE *out)
{
    char panels[256];
    show_panels_text(ses->shown, panels, sizeof panels);
    const Sim *sim = &ses->sim;
    fprintf(out, "# Saved by optiscope at step %ld; the runs start again from step 0.\n", ses->tick);
    if (session_title(ses)[0])
        fprintf(out, "title %s\n", session_title(ses));
    write_lines(out, "caption", session_caption(ses));
    write_lines(out, "note", ses->note);
    write_spec(out, "function", &func_table, &sim->func);
    fprintf(out, "start %.17g,%.17g\n", sim->start[0], sim->start[1]);
    fprintf(out, "view %.17g,%.17g,%.17g,%.17g\n", ses->view.x0, ses->view.x1, ses->view.y0, ses->view.y1);
    fprintf(out, "noise %.17g\nseed %llu\nspeed %.17g\n", sim->noise, (unsigned long long)sim->seed, ses->speed);
    fprintf(out, "theme %s\nlegend %s\npanels %s\n", ses->theme == THEME_LIGHT ? "light" : "dark",
            show_legend_name(ses->legend), panels);
    if (ses->stop_at > 0)
        fprintf(out, "steps %ld\n", ses->stop_at);
    if (ses->views != VIEWS_MAP) /* the 3D view and where its camera stands */
        fprintf(out, "view3d %.17g,%.17g\n", ses->camera.azimuth, ses->camera.elevation);
    for (int i = 0; i < sim->nruns; i++) {
        write_spec(out, "optimizer", &optim_table, &sim->runs[i].opt);
        write_spec(out, "schedule", &sched_table, &sim->runs[i].sched);
    }
}
