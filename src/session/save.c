/* The setup as it is now as a scene file (Ctrl+S): loading it gives the same runs, view and
 * panels again, from step 0. */
#include "session.h"

#include <stdio.h>
#include <string.h>

#include "../core/optim.h"
#include "../core/sched.h"

/* A spec with the run's label, which the spec's own text leaves out. */
static void write_spec(FILE *out, const char *key, const SpecTable *t, const Spec *s)
{
    char text[512];
    spec_format(t, s, text, sizeof text);
    fprintf(out, "%s %s", key, text);
    if (s->label[0])
        fprintf(out, "%clabel=%s", strchr(text, ':') ? ',' : ':', s->label);
    fputc('\n', out);
}

static void write_lines(FILE *out, const char *key, const char *lines)
{
    for (const char *p = lines; *p; p += strcspn(p, "\n") + 1)
        fprintf(out, "%s %.*s\n", key, (int)strcspn(p, "\n"), p);
}

void session_write_scene(const Session *ses, FILE *out)
{
    static const char *const legend[LEGEND_MODES] = { "full", "compact", "hidden" };
    static const struct {
        unsigned bit;
        const char *name;
    } panels[] = { { SHOW_CONTOURS, "contours" }, { SHOW_ARROWS, "arrows" }, { SHOW_PLOTS, "plots" },
                   { SHOW_COLORBAR, "colorbar" }, { SHOW_AXIS_LABELS, "axes" }, { SHOW_CAPTION, "caption" },
                   { SHOW_FLOAT, "float" } };
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
    fprintf(out, "theme %s\nlegend %s\npanels ", ses->theme == THEME_LIGHT ? "light" : "dark", legend[ses->legend]);
    int any = 0;
    for (size_t i = 0; i < sizeof panels / sizeof panels[0]; i++)
        if (ses->shown & panels[i].bit)
            fprintf(out, "%s%s", any++ ? "," : "", panels[i].name);
    fputs(any ? "\n" : "none\n", out);
    if (ses->stop_at > 0)
        fprintf(out, "steps %ld\n", ses->stop_at);
    for (int i = 0; i < sim->nruns; i++) {
        write_spec(out, "optimizer", &optim_table, &sim->runs[i].opt);
        write_spec(out, "schedule", &sched_table, &sim->runs[i].sched);
    }
}
