/* The session's state as JSON (--dump-state): what a script or a test reads to check what
 * the picture shows without looking at pixels. */
#include "session.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/curvature.h"
#include "../core/optim.h"
#include "../core/sched.h"
#include "../core/utf8.h"

static void json_number(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.17g", v);
    else
        fputs("null", out);
}

/* A JSON string: messages may quote paths, which may hold anything; bytes that are not
 * UTF-8 become U+FFFD. Every string the dump writes goes through here. */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    const unsigned char *end = (const unsigned char *)s + strlen(s);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        const int n = utf8_length((const char *)p, (size_t)(end - p));
        if (n == 0) {
            fputs("\\ufffd", out);
            p++;
        } else if (*p == '"' || *p == '\\') {
            fprintf(out, "\\%c", *p++);
        } else if (*p < 0x20) {
            fprintf(out, "\\u%04x", *p++);
        } else {
            fwrite(p, 1, (size_t)n, out);
            p += n;
        }
    }
    fputc('"', out);
}

/* Curvature, gradient and step at the run's point (see core/curvature.h); for an adaptive
 * rule, its step per unit gradient on each coordinate. */
static void dump_run_curvature(const Spec *func, const Run *r, FILE *out)
{
    CurvEigen e;
    curv_eigen_at(func, r->x, r->y, &e);
    fputs(", \"hessian_eigenvalues\": [", out);
    json_number(out, e.lmin);
    fputs(", ", out);
    json_number(out, e.lmax);
    fputs("], \"grad_norm\": ", out);
    json_number(out, curv_grad_norm(func, r->x, r->y));
    fputs(", \"step_length\": ", out);
    json_number(out, sim_step_length(r));
    CurvStability st;
    curv_stability(r, &e, &st);
    if (st.rule != CURV_RULE_ADAPTIVE)
        return;
    fputs(", \"effective_lr\": [", out);
    json_number(out, st.eff[0]);
    fputs(", ", out);
    json_number(out, st.eff[1]);
    fputc(']', out);
}

/* For a function with a constant Hessian: the optimal settings of gradient descent and heavy ball. */
static void dump_theory(const Session *ses, FILE *out)
{
    CurvTheory t;
    if (!curv_theory(&ses->sim.func, ses->home, ses->sim.start, &t))
        return;
    const struct {
        const char *name;
        double v;
    } rows[] = {
        { "mu", t.mu }, { "L", t.L }, { "kappa", t.kappa }, { "lr_max_stable", t.lr_max_stable },
        { "lr_best", t.lr_best }, { "rate_best", t.rate_best }, { "heavy_ball_lr", t.heavy_ball_lr },
        { "heavy_ball_momentum", t.heavy_ball_momentum }, { "heavy_ball_rate", t.heavy_ball_rate },
    };
    fputs(",\n  \"theory\": {", out);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fprintf(out, "%s\"%s\": ", i ? ", " : "", rows[i].name);
        json_number(out, rows[i].v);
    }
    fputc('}', out);
}

static void json_pair(FILE *out, const double v[2])
{
    fputc('[', out);
    json_number(out, v[0]);
    fputs(", ", out);
    json_number(out, v[1]);
    fputc(']', out);
}

/* The optimizer's state under torch's names: numbers, vectors as [x, y], lists of either. */
static void dump_run_state(const Run *r, FILE *out)
{
    OptimStateEntry e[OPTIM_STATE_MAX];
    const int n = optim_state(&r->opt, &r->ost, e);
    fputs(", \"state\": {", out);
    for (int i = 0; i < n; i++) {
        fprintf(out, "%s\"%s\": ", i ? ", " : "", e[i].name);
        if (e[i].kind == OPTIM_VALUE_NUMBER) {
            json_number(out, e[i].v[0]);
        } else if (e[i].kind == OPTIM_VALUE_VECTOR) {
            json_pair(out, e[i].v);
        } else {
            const int width = e[i].kind == OPTIM_VALUE_VECTORS ? 2 : 1;
            fputc('[', out);
            for (int k = 0; k < e[i].count; k++) {
                if (k)
                    fputs(", ", out);
                if (width == 2)
                    json_pair(out, e[i].list + 2 * k);
                else
                    json_number(out, e[i].list[k]);
            }
            fputc(']', out);
        }
    }
    fputc('}', out);
}

/* Where a minibatched run is in its data: the epoch, the batch its next update takes, and
 * that batch's loss at its point. */
static void dump_run_batches(const Sim *sim, const Run *r, FILE *out)
{
    if (!sim_batched(sim, r))
        return;
    fprintf(out, ", \"batch_size\": %ld, \"epoch\": %ld, \"batch\": %ld, \"batch_loss\": ", r->opt.batch, r->epoch,
            r->batch);
    json_number(out, r->batch_loss);
}

static void dump_run(const Sim *sim, const Run *r, const char *colour, double visible, const SessionDumpExtra *extra,
                     int i, FILE *out)
{
    const Spec *func = &sim->func;
    const SpecKind *k = spec_kind(&optim_table, r->opt.kind);
    char sched[EXPR_TEXT_MAX + 64];
    spec_format(&sched_table, &r->sched, sched, sizeof sched);
    char label[LABEL_TEXT_MAX];
    sim_label(r, label, sizeof label);
    fputs("    {\"label\": ", out);
    json_string(out, label);
    fputs(", \"label_template\": ", out);
    json_string(out, r->opt.label);
    fprintf(out, ", \"id\": %u, \"optimizer\": ", r->id);
    json_string(out, k->name);
    fputs(", \"hyper\": {", out);
    for (int p = 0; p < k->nparams; p++) {
        fprintf(out, "%s\"%s\": ", p ? ", " : "", k->params[p].name);
        json_number(out, r->opt.v[p]);
    }
    fputs("}, \"schedule\": ", out);
    json_string(out, sched);
    fprintf(out, ", \"step\": %ld, \"x\": ", r->step);
    json_number(out, r->x);
    fputs(", \"y\": ", out);
    json_number(out, r->y);
    fputs(", \"loss\": ", out);
    json_number(out, r->loss);
    dump_run_batches(sim, r, out);
    fputs(", \"lr\": ", out);
    json_number(out, r->lr);
    fputs(", \"momentum\": ", out);
    json_number(out, r->momentum);
    fputs(", \"d\": ", out);
    json_number(out, optim_prodigy_d(&r->opt, &r->ost));
    dump_run_curvature(func, r, out);
    dump_run_state(r, out);
    OptimMark marks[OPTIM_TRIALS_MAX + 2];
    const int nmarks = optim_marks(&r->opt, &r->ost, marks, OPTIM_TRIALS_MAX + 2);
    static const char *const mark_names[] = { [MARK_SF_Y] = "y", [MARK_SF_Z] = "z", [MARK_LINE_SEARCH] = "trial" };
    fputs(", \"marks\": [", out);
    for (int m = 0; m < nmarks; m++) {
        fprintf(out, "%s[\"%s\", ", m ? ", " : "", mark_names[marks[m].kind]);
        json_number(out, marks[m].x);
        fputs(", ", out);
        json_number(out, marks[m].y);
        fputc(']', out);
    }
    char halt[64];
    sim_halt_text(r, halt, sizeof halt);
    fputs("], \"stopped\": ", out);
    json_string(out, halt);
    fprintf(out, ", \"diverged\": %s, \"hidden\": %s", r->diverged ? "true" : "false", r->hidden ? "true" : "false");
    /* The update that failed, as stderr, the message and the legend number it. */
    if (r->diverged)
        fprintf(out, ", \"diverged_at\": %ld", r->step + 1);
    if (colour) {
        fputs(", \"colour\": ", out);
        json_string(out, colour);
    }
    if (visible >= 0) {
        fputs(", \"visible_fraction\": ", out);
        json_number(out, visible);
    }
    if (extra && extra->surface_px) {
        if (extra->surface_on[i])
            fprintf(out, ", \"surface_pixel\": [%.17g, %.17g]", extra->surface_px[i][0], extra->surface_px[i][1]);
        else
            fputs(", \"surface_pixel\": null", out);
    }
    fputc('}', out);
}

/* A loss over data: its axes, its data set, and why it has no minimum when it has none. */
/* The presenter's screen: open or not, and the lines it shows (or would show); whether the
 * notes are in the main window's message box. */
static void dump_presenter(const Session *ses, FILE *out)
{
    static const char *const styles[] = { [PRESENTER_TITLE] = "title", [PRESENTER_HEADING] = "heading",
                                          [PRESENTER_NOTE] = "note", [PRESENTER_RUN] = "run",
                                          [PRESENTER_DIM] = "dim", [PRESENTER_WARN] = "warn" };
    PresenterText *t = malloc(sizeof *t);
    fprintf(out, ",\n  \"notes_shown\": %s,\n  \"presenter\": {\"open\": %s, \"lines\": [",
            ses->show_notes ? "true" : "false", ses->presenter.open ? "true" : "false");
    if (t) {
        session_presenter_text(ses, time(NULL), t);
        for (int i = 0; i < t->n; i++) {
            fprintf(out, "%s{\"style\": \"%s\", \"run\": %d, \"text\": ", i ? ", " : "", styles[t->line[i].style],
                    t->line[i].run);
            json_string(out, t->line[i].text);
            fputc('}', out);
        }
    }
    fputs("]}", out);
    free(t);
}

static void dump_data(const Spec *f, FILE *out)
{
    if (func_data_loss(f) == DATA_NONE || !f->data)
        return;
    const Data *d = f->data;
    fprintf(out, ",\n  \"axes\": [\"%s\", \"%s\"],\n  \"data\": {\"path\": ", func_axis_name(f, 0), func_axis_name(f, 1));
    json_string(out, d->path);
    fprintf(out, ", \"rows\": %ld, \"columns\": [", d->n);
    json_string(out, d->columns[0]);
    fputs(", ", out);
    json_string(out, d->columns[1]);
    fputs("], \"no_minimum\": ", out);
    const char *why = func_no_minimum(f);
    if (why)
        json_string(out, why);
    else
        fputs("null", out);
    fputc('}', out);
}

void session_dump_json(const Session *ses, const SessionDumpExtra *extra, FILE *out)
{
    char func[2048];
    spec_format(&func_table, &ses->sim.func, func, sizeof func);
    fputs("{\n  \"function\": ", out);
    json_string(out, spec_kind(&func_table, ses->sim.func.kind)->name);
    fputs(",\n  \"function_spec\": ", out);
    json_string(out, func);
    dump_data(&ses->sim.func, out);
    fputs(",\n  \"start\": [", out);
    json_number(out, ses->sim.start[0]);
    fputs(", ", out);
    json_number(out, ses->sim.start[1]);
    fputs("],\n  \"view\": [", out);
    const double v[4] = { ses->view.x0, ses->view.x1, ses->view.y0, ses->view.y1 };
    for (int i = 0; i < 4; i++) {
        fputs(i ? ", " : "", out);
        json_number(out, v[i]);
    }
    fprintf(out, "],\n  \"map_pixels\": [%.17g, %.17g, %.17g, %.17g]", ses->view.px, ses->view.py, ses->view.pw,
            ses->view.ph);
    fprintf(out, ",\n  \"paused\": %s,\n  \"speed\": %.17g,\n  \"selected\": %d,\n  \"message\": ",
            ses->paused ? "true" : "false", ses->speed, ses->selected);
    json_string(out, ses->message);
    fprintf(out, ",\n  \"shown\": %u,\n  \"legend\": \"%s\"", ses->shown, show_legend_name(ses->legend));
    fprintf(out, ",\n  \"theme\": \"%s\"", ses->theme == THEME_LIGHT ? "light" : "dark");
    static const char *const views[VIEWS_COUNT] = { [VIEWS_MAP] = "map", [VIEWS_SURFACE] = "surface",
                                                    [VIEWS_BOTH] = "both" };
    fprintf(out, ",\n  \"camera\": {\"azimuth\": %.17g, \"elevation\": %.17g, \"zoom\": %.17g, \"height\": \"%s\", "
                 "\"views\": \"%s\"}",
            ses->camera.azimuth, ses->camera.elevation, ses->camera.zoom > 0 ? ses->camera.zoom : 1.0,
            ses->camera.linear ? "linear" : "log", views[ses->views]);
    if (extra && extra->layout)
        fprintf(out, ",\n  \"layout\": %s", extra->layout);
    fputs(",\n  \"minima_found\": [", out);
    for (int i = 0; i < ses->nfound; i++) {
        fputs(i ? ", [" : "[", out);
        json_number(out, ses->found[i][0]);
        fputs(", ", out);
        json_number(out, ses->found[i][1]);
        fputc(']', out);
    }
    fprintf(out, "],\n  \"edit\": {\"open\": %s, \"cursor\": %d, \"error_column\": %d, \"text\": ",
            ses->edit.open ? "true" : "false", ses->edit.cursor, ses->edit.error_column);
    json_string(out, ses->edit.text);
    fputs(", \"error\": ", out);
    json_string(out, ses->edit.error);
    static const char *const purposes[] = { [EDIT_FOR_FORMULA] = "formula", [EDIT_FOR_VALUE] = "value",
                                            [EDIT_FOR_PALETTE] = "palette", [EDIT_FOR_SCHEDULE] = "schedule" };
    fprintf(out, ", \"for\": \"%s\"", purposes[ses->edit.purpose]);
    fputc('}', out);
    if (extra && extra->basins)
        fprintf(out, ",\n  \"basins\": %s", extra->basins);
    if (extra && extra->help)
        fprintf(out, ",\n  \"help\": %s", extra->help);
    if (extra && extra->internals)
        fprintf(out, ",\n  \"internals\": %s", extra->internals);
    if (extra && extra->plot_ranges)
        fprintf(out, ",\n  \"plot_ranges\": %s", extra->plot_ranges);
    dump_presenter(ses, out);
    dump_theory(ses, out);
    fprintf(out, ",\n  \"undo\": {\"depth\": %d, \"last\": ", ses->nundo);
    if (ses->nundo)
        json_string(out, ses->undo[ses->nundo - 1].what);
    else
        fputs("null", out);
    fputs("}", out);
    fputs(",\n  \"runs\": [\n", out);
    for (int i = 0; i < ses->sim.nruns; i++) {
        dump_run(&ses->sim, &ses->sim.runs[i], extra ? extra->colours[i] : NULL,
                 extra && extra->visible ? extra->visible[i] : -1, extra, i, out);
        fputs(i + 1 < ses->sim.nruns ? ",\n" : "\n", out);
    }
    fputs("  ]\n}\n", out);
}
