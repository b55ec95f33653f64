/* The live session and every action that changes it (see ui.h). */
#include "ui.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "func.h"
#include "optim.h"
#include "sched.h"

#define SPEED_MIN 0.5
#define SPEED_MAX 5000
#define ZOOM_STEP 1.2
/* How far the kept path may stray from the points it stands for, as a fraction of the home
 * view's width: 0.064 pixel on a map 1280 pixels wide. */
#define TRAIL_TOLERANCE 5e-5

static const char *run_name(const Run *r)
{
    return r->label;
}

void ui_message(Ui *ui, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const int n = vsnprintf(ui->message, sizeof ui->message, fmt, ap);
    va_end(ap);
    /* Cut short: not inside a UTF-8 sequence. */
    if (n >= (int)sizeof ui->message) {
        const unsigned char *m = (const unsigned char *)ui->message;
        const size_t len = sizeof ui->message - 1;
        size_t lead = len;
        while (lead > 0 && (m[lead - 1] & 0xc0) == 0x80)
            lead--;
        if (lead > 0) {
            lead--;
            const size_t need = m[lead] >= 0xf0 ? 4 : m[lead] >= 0xe0 ? 3 : m[lead] >= 0xc0 ? 2 : 1;
            if (lead + need > len)
                ui->message[lead] = '\0';
        }
    }
    ui->message_serial++;
}

static void reset_trail(Ui *ui, int i)
{
    const Run *r = &ui->sim.runs[i];
    trail_reset(&ui->trails[i], TRAIL_TOLERANCE * (ui->home[1] - ui->home[0]), r->x, r->y);
    history_reset(&ui->hist[i]);
    history_push(&ui->hist[i], 0, r->loss, r->lr);
}

static void restart_all(Ui *ui)
{
    sim_restart(&ui->sim);
    for (int i = 0; i < ui->sim.nruns; i++)
        reset_trail(ui, i);
}

int ui_init(Ui *ui, const Config *c, double px, double py, double pw, double ph, char *err, size_t errlen)
{
    memset(ui, 0, sizeof *ui);
    if (config_make_sim(c, &ui->sim, err, errlen) < 0)
        return -1;
    memcpy(ui->home, c->view, sizeof ui->home);
    view_fit_beside(&ui->view, ui->home, px, py, pw, ph, ui->panel_room);
    ui->speed = c->speed;
    ui->panels = c->panels;
    ui->theme = c->theme;
    memcpy(ui->title, c->title, sizeof ui->title);
    for (int i = 0; i < ui->sim.nruns; i++)
        reset_trail(ui, i);
    return 0;
}

/* The home view, its box beside the panels. */
static void fit_home(Ui *ui)
{
    view_fit_beside(&ui->view, ui->home, ui->view.px, ui->view.py, ui->view.pw, ui->view.ph, ui->panel_room);
}

void ui_set_panel_room(Ui *ui, double room)
{
    ui->panel_room = room;
    fit_home(ui);
}

void ui_resize(Ui *ui, double px, double py, double pw, double ph)
{
    view_resize(&ui->view, px, py, pw, ph);
}

unsigned ui_step(Ui *ui)
{
    const unsigned diverged = sim_step(&ui->sim);
    for (int i = 0; i < ui->sim.nruns; i++) {
        const Run *r = &ui->sim.runs[i];
        if (diverged & (1u << i)) {
            ui_message(ui, "%s diverged at step %ld", run_name(r), r->step + 1);
            continue;
        }
        if (r->diverged)
            continue;
        trail_push(&ui->trails[i], r->x, r->y);
        history_push(&ui->hist[i], r->step, r->loss, r->lr_used);
    }
    return diverged;
}

static Run *selected(Ui *ui)
{
    return ui->sim.nruns ? &ui->sim.runs[ui->selected] : NULL;
}

/* An lr in a message, to three significant digits shown even when zero ("0.0100"), as a
 * lecture compares one with the next. */
static const char *lr_text(char *buf, size_t len, double v)
{
    snprintf(buf, len, v >= 1e-4 && v < 100 ? "%#.3g" : "%.3g", v);
    return buf;
}

/* The message names the optimizer's lr, as PyTorch's param_group holds it, and also the lr
 * the next update uses when a schedule makes it another. */
static void change_lr(Ui *ui, Run *r, double factor)
{
    const double before = sim_base_lr(r), used_before = r->lr;
    sim_scale_lr(r, factor);
    const char *sched = sched_def(r->sched.kind)->kind.name;
    char a[32], b[32], u[32];
    lr_text(a, sizeof a, before);
    lr_text(b, sizeof b, sim_base_lr(r));
    lr_text(u, sizeof u, r->lr);
    if (sim_base_lr(r) == before)
        ui_message(ui, "%s: lr stays %s (limit)", run_name(r), a);
    else if (r->lr == used_before)
        ui_message(ui, "%s: lr %s \xe2\x86\x92 %s, but %s sets the lr used (%s)", run_name(r), a, b, sched, u);
    else if (r->lr != sim_base_lr(r))
        ui_message(ui, "%s: lr %s \xe2\x86\x92 %s (after %s: %s)", run_name(r), a, b, sched, u);
    else
        ui_message(ui, "%s: lr %s \xe2\x86\x92 %s", run_name(r), a, b);
}

static void change_all_lr(Ui *ui, double factor)
{
    for (int i = 0; i < ui->sim.nruns; i++)
        sim_scale_lr(&ui->sim.runs[i], factor);
    ui_message(ui, "every run: lr \xc3\x97 %.2f", factor);
}

static void change_momentum(Ui *ui, Run *r, double delta)
{
    const int p = optim_def(r->opt.kind)->momentum;
    const SpecKind *k = spec_kind(&optim_table, r->opt.kind);
    if (p < 0) {
        ui_message(ui, "%s: %s has no momentum", run_name(r), k->name);
        return;
    }
    const double before = r->opt.v[p];
    const double v = fmin(UI_MOMENTUM_MAX, fmax(0, round((before + delta) / UI_MOMENTUM_STEP) * UI_MOMENTUM_STEP));
    const double next = delta > 0 && v <= before ? UI_MOMENTUM_MAX : v;
    char err[160];
    if (next == before)
        ui_message(ui, "%s: %s stays %.3g (limit)", run_name(r), k->params[p].name, before);
    else if (sim_set_hyper(r, p, next, err, sizeof err) < 0)
        ui_message(ui, "%s", err);
    else
        ui_message(ui, "%s: %s %.3g \xe2\x86\x92 %.3g", run_name(r), k->params[p].name, before, next);
}

static void change_decay(Ui *ui, Run *r, int dir)
{
    const SchedDef *d = sched_def(r->sched.kind);
    if (d->tune < 0) {
        ui_message(ui, "%s: %s schedule has no decay (D changes the schedule)", run_name(r), d->kind.name);
        return;
    }
    const char *name = d->kind.params[d->tune].name;
    const double before = r->sched.v[d->tune];
    if (sched_tune(&r->sched, dir) < 0) {
        ui_message(ui, "%s: %s stays %.4g (limit)", run_name(r), name, before);
        return;
    }
    sim_refresh_lr(r);
    ui_message(ui, "%s: %s %.4g \xe2\x86\x92 %.4g", run_name(r), name, before, r->sched.v[d->tune]);
}

/* Cycles through the schedules that need no list (multistep wants its milestones). */
static void next_schedule(Ui *ui, int i)
{
    Run *r = &ui->sim.runs[i];
    int k = r->sched.kind;
    do {
        k = (k + 1) % sched_table.count;
    } while (sched_def(k)->kind.nparams && sched_def(k)->kind.params[0].type == PARAM_LIST);
    Spec s;
    spec_defaults(&sched_table, k, &s);
    sim_set_schedule(&ui->sim, i, &s);
    ui_message(ui, "%s: schedule %s", run_name(r), sched_def(k)->kind.name);
}

static void next_optimizer(Ui *ui, int i)
{
    Run *r = &ui->sim.runs[i];
    const char *before = spec_kind(&optim_table, r->opt.kind)->name;
    Spec s;
    spec_defaults(&optim_table, (r->opt.kind + 1) % optim_table.count, &s);
    sim_set_optimizer(&ui->sim, i, &s);
    ui_message(ui, "%s: optimizer %s \xe2\x86\x92 %s", run_name(r), before, spec_kind(&optim_table, s.kind)->name);
}

static void set_function(Ui *ui, int kind)
{
    const FuncDef *f = func_def(kind);
    spec_defaults(&func_table, kind, &ui->sim.func);
    memcpy(ui->sim.start, f->start, sizeof ui->sim.start);
    memcpy(ui->home, f->view, sizeof ui->home);
    fit_home(ui);
    restart_all(ui);
    ui_message(ui, "function %s", f->kind.name);
}

static void set_start(Ui *ui, double sx, double sy)
{
    const View *v = &ui->view;
    if (sx < v->px || sy < v->py || sx > v->px + v->pw || sy > v->py + v->ph)
        return; /* a click beside the map (on the tick labels) means nothing */
    const double x = view_wx(v, sx), y = view_wy(v, sy);
    if (!(fabs(x) <= SIM_LIMIT && fabs(y) <= SIM_LIMIT)) {
        ui_message(ui, "start must lie within |x|, |y| <= 1e6");
        return;
    }
    ui->sim.start[0] = x;
    ui->sim.start[1] = y;
    restart_all(ui);
    ui_message(ui, "start (%.4g, %.4g)", x, y);
}

static void toggle_panel(Ui *ui, unsigned panel, const char *name)
{
    ui->panels ^= panel;
    ui_message(ui, "%s %s", name, ui->panels & panel ? "on" : "off");
}

static void change_speed(Ui *ui, double factor)
{
    ui->speed = fmin(SPEED_MAX, fmax(SPEED_MIN, ui->speed * factor));
    ui_message(ui, "speed %.3g steps/s", ui->speed);
}

/* Actions that concern the selected run; they need at least one run. */
static void apply_to_run(Ui *ui, const Action *a)
{
    Run *r = selected(ui);
    if (!r)
        return;
    switch (a->kind) {
    case ACTION_LR_UP: change_lr(ui, r, UI_LR_FACTOR); break;
    case ACTION_LR_DOWN: change_lr(ui, r, 1 / UI_LR_FACTOR); break;
    case ACTION_DECAY_DOWN: change_decay(ui, r, -1); break;
    case ACTION_DECAY_UP: change_decay(ui, r, +1); break;
    case ACTION_SCHEDULE_NEXT: next_schedule(ui, ui->selected); break;
    case ACTION_MOMENTUM_UP: change_momentum(ui, r, UI_MOMENTUM_STEP); break;
    case ACTION_MOMENTUM_DOWN: change_momentum(ui, r, -UI_MOMENTUM_STEP); break;
    case ACTION_OPTIMIZER_NEXT: next_optimizer(ui, ui->selected); break;
    case ACTION_TOGGLE_RUN:
        r->hidden = !r->hidden;
        ui_message(ui, "%s %s", run_name(r), r->hidden ? "hidden" : "shown");
        break;
    default: break;
    }
}

static void select_run(Ui *ui, int i)
{
    if (i < 0 || i >= ui->sim.nruns)
        return;
    ui->selected = i;
    ui_message(ui, "selected %s", run_name(&ui->sim.runs[i]));
}

void ui_apply(Ui *ui, const Action *a)
{
    const int nfunc = func_table.count;
    switch (a->kind) {
    case ACTION_NONE: break;
    case ACTION_PAUSE:
        ui->paused = !ui->paused;
        ui_message(ui, ui->paused ? "paused" : "running");
        break;
    case ACTION_STEP:
        ui->paused = 1;
        ui_step(ui);
        break;
    case ACTION_SLOWER: change_speed(ui, 1 / 1.5); break;
    case ACTION_FASTER: change_speed(ui, 1.5); break;
    case ACTION_SELECT_NEXT: select_run(ui, ui->sim.nruns ? (ui->selected + 1) % ui->sim.nruns : 0); break;
    case ACTION_SELECT: select_run(ui, a->arg); break;
    case ACTION_LR_UP_ALL: change_all_lr(ui, UI_LR_FACTOR); break;
    case ACTION_LR_DOWN_ALL: change_all_lr(ui, 1 / UI_LR_FACTOR); break;
    case ACTION_FUNCTION_NEXT: set_function(ui, (ui->sim.func.kind + 1) % nfunc); break;
    case ACTION_FUNCTION_PREV: set_function(ui, (ui->sim.func.kind + nfunc - 1) % nfunc); break;
    case ACTION_RESTART:
        restart_all(ui);
        ui_message(ui, "restarted from (%.4g, %.4g)", ui->sim.start[0], ui->sim.start[1]);
        break;
    case ACTION_SET_START: set_start(ui, a->x, a->y); break;
    case ACTION_PAN: view_pan(&ui->view, a->x, a->y); break;
    case ACTION_ZOOM:
        if (view_zoom(&ui->view, a->x, a->y, a->factor) < 0)
            ui_message(ui, "zoom limit reached");
        break;
    case ACTION_VIEW_RESET:
        fit_home(ui);
        ui_message(ui, "view reset");
        break;
    case ACTION_TOGGLE_CONTOURS: toggle_panel(ui, PANEL_CONTOURS, "contours"); break;
    case ACTION_TOGGLE_FIELD: toggle_panel(ui, PANEL_FIELD, "gradient field"); break;
    case ACTION_TOGGLE_PLOTS: toggle_panel(ui, PANEL_PLOTS, "plots"); break;
    case ACTION_TOGGLE_THEME:
        ui->theme = ui->theme == THEME_DARK ? THEME_LIGHT : THEME_DARK;
        ui_message(ui, "%s theme", ui->theme == THEME_DARK ? "dark" : "light");
        break;
    case ACTION_HELP: ui->show_help = !ui->show_help; break;
    case ACTION_SCREENSHOT: ui->shot_request = 1; break;
    case ACTION_SCREENSHOT_2X: ui->shot_request = 2; break;
    case ACTION_QUIT: ui->quit = 1; break;
    default: apply_to_run(ui, a); break;
    }
}

static void json_number(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.17g", v);
    else
        fputs("null", out);
}

/* The length of the well-formed UTF-8 sequence at p (without overlongs or surrogates), or 0. */
static int utf8_length(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    const int n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
    for (int i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((n == 3 && p[0] == 0xe0 && p[1] < 0xa0) || (n == 3 && p[0] == 0xed && p[1] >= 0xa0) ||
        (n == 4 && p[0] == 0xf0 && p[1] < 0x90) || (n == 4 && p[0] == 0xf4 && p[1] >= 0x90))
        return 0;
    return n;
}

/* A JSON string: messages may quote paths, which may hold anything; bytes that are not
 * UTF-8 become U+FFFD. */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        const int n = utf8_length(p);
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

static void dump_run(const Run *r, FILE *out)
{
    const SpecKind *k = spec_kind(&optim_table, r->opt.kind);
    char sched[256];
    spec_format(&sched_table, &r->sched, sched, sizeof sched);
    fprintf(out, "    {\"label\": \"%s\", \"optimizer\": \"%s\", \"hyper\": {", r->label, k->name);
    for (int p = 0; p < k->nparams; p++) {
        fprintf(out, "%s\"%s\": ", p ? ", " : "", k->params[p].name);
        json_number(out, r->opt.v[p]);
    }
    fprintf(out, "}, \"schedule\": \"%s\", \"step\": %ld, \"x\": ", sched, r->step);
    json_number(out, r->x);
    fputs(", \"y\": ", out);
    json_number(out, r->y);
    fputs(", \"loss\": ", out);
    json_number(out, r->loss);
    fputs(", \"lr\": ", out);
    json_number(out, r->lr);
    fprintf(out, ", \"diverged\": %s, \"hidden\": %s}", r->diverged ? "true" : "false", r->hidden ? "true" : "false");
}

void ui_dump_json(const Ui *ui, FILE *out)
{
    char func[256];
    spec_format(&func_table, &ui->sim.func, func, sizeof func);
    fprintf(out, "{\n  \"function\": \"%s\",\n  \"function_spec\": \"%s\",\n  \"start\": [",
            spec_kind(&func_table, ui->sim.func.kind)->name, func);
    json_number(out, ui->sim.start[0]);
    fputs(", ", out);
    json_number(out, ui->sim.start[1]);
    fputs("],\n  \"view\": [", out);
    const double v[4] = { ui->view.x0, ui->view.x1, ui->view.y0, ui->view.y1 };
    for (int i = 0; i < 4; i++) {
        fputs(i ? ", " : "", out);
        json_number(out, v[i]);
    }
    fprintf(out, "],\n  \"map_pixels\": [%.17g, %.17g, %.17g, %.17g]", ui->view.px, ui->view.py, ui->view.pw,
            ui->view.ph);
    fprintf(out, ",\n  \"paused\": %s,\n  \"speed\": %.17g,\n  \"selected\": %d,\n  \"message\": ",
            ui->paused ? "true" : "false", ui->speed, ui->selected);
    json_string(out, ui->message);
    fputs(",\n  \"runs\": [\n", out);
    for (int i = 0; i < ui->sim.nruns; i++) {
        dump_run(&ui->sim.runs[i], out);
        fputs(i + 1 < ui->sim.nruns ? ",\n" : "\n", out);
    }
    fputs("  ]\n}\n", out);
}
