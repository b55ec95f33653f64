/* The live session and every action that changes it (see ses.h). */
#include "session.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/func.h"
#include "../core/optim.h"
#include "../core/sched.h"

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

void session_message(Session *ses, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const int n = vsnprintf(ses->message, sizeof ses->message, fmt, ap);
    va_end(ap);
    /* Cut short: not inside a UTF-8 sequence. */
    if (n >= (int)sizeof ses->message) {
        const unsigned char *m = (const unsigned char *)ses->message;
        const size_t len = sizeof ses->message - 1;
        size_t lead = len;
        while (lead > 0 && (m[lead - 1] & 0xc0) == 0x80)
            lead--;
        if (lead > 0) {
            lead--;
            const size_t need = m[lead] >= 0xf0 ? 4 : m[lead] >= 0xe0 ? 3 : m[lead] >= 0xc0 ? 2 : 1;
            if (lead + need > len)
                ses->message[lead] = '\0';
        }
    }
    ses->message_serial++;
}

static void reset_trail(Session *ses, int i)
{
    const Run *r = &ses->sim.runs[i];
    trail_reset(&ses->trails[i], TRAIL_TOLERANCE * (ses->home[1] - ses->home[0]), r->x, r->y);
    history_reset(&ses->hist[i]);
    history_push(&ses->hist[i], 0, r->loss, r->lr);
}

static void restart_all(Session *ses)
{
    sim_restart(&ses->sim);
    for (int i = 0; i < ses->sim.nruns; i++)
        reset_trail(ses, i);
}

int session_init(Session *ses, const Config *c, double px, double py, double pw, double ph, char *err, size_t errlen)
{
    memset(ses, 0, sizeof *ses);
    if (config_make_sim(c, &ses->sim, err, errlen) < 0)
        return -1;
    memcpy(ses->home, c->view, sizeof ses->home);
    view_fit_beside(&ses->view, ses->home, px, py, pw, ph, ses->panel_room);
    ses->speed = c->speed;
    ses->panels = c->panels;
    ses->theme = c->theme;
    memcpy(ses->title, c->title, sizeof ses->title);
    for (int i = 0; i < ses->sim.nruns; i++)
        reset_trail(ses, i);
    return 0;
}

/* The home view, its box beside the panels. */
static void fit_home(Session *ses)
{
    view_fit_beside(&ses->view, ses->home, ses->view.px, ses->view.py, ses->view.pw, ses->view.ph, ses->panel_room);
}

void session_set_panel_room(Session *ses, double room)
{
    ses->panel_room = room;
    fit_home(ses);
}

void session_resize(Session *ses, double px, double py, double pw, double ph)
{
    view_resize(&ses->view, px, py, pw, ph);
}

unsigned session_step(Session *ses)
{
    const unsigned diverged = sim_step(&ses->sim);
    for (int i = 0; i < ses->sim.nruns; i++) {
        const Run *r = &ses->sim.runs[i];
        if (diverged & (1u << i)) {
            session_message(ses, "%s diverged at step %ld", run_name(r), r->step + 1);
            continue;
        }
        if (r->diverged)
            continue;
        trail_push(&ses->trails[i], r->x, r->y);
        history_push(&ses->hist[i], r->step, r->loss, r->lr_used);
    }
    return diverged;
}

static Run *selected(Session *ses)
{
    return ses->sim.nruns ? &ses->sim.runs[ses->selected] : NULL;
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
static void change_lr(Session *ses, Run *r, double factor)
{
    const double before = sim_base_lr(r), used_before = r->lr;
    sim_scale_lr(r, factor);
    const char *sched = sched_def(r->sched.kind)->kind.name;
    char a[32], b[32], u[32];
    lr_text(a, sizeof a, before);
    lr_text(b, sizeof b, sim_base_lr(r));
    lr_text(u, sizeof u, r->lr);
    if (sim_base_lr(r) == before)
        session_message(ses, "%s: lr stays %s (limit)", run_name(r), a);
    else if (r->lr == used_before)
        session_message(ses, "%s: lr %s \xe2\x86\x92 %s, but %s sets the lr used (%s)", run_name(r), a, b, sched, u);
    else if (r->lr != sim_base_lr(r))
        session_message(ses, "%s: lr %s \xe2\x86\x92 %s (after %s: %s)", run_name(r), a, b, sched, u);
    else
        session_message(ses, "%s: lr %s \xe2\x86\x92 %s", run_name(r), a, b);
}

static void change_all_lr(Session *ses, double factor)
{
    for (int i = 0; i < ses->sim.nruns; i++)
        sim_scale_lr(&ses->sim.runs[i], factor);
    session_message(ses, "every run: lr \xc3\x97 %.2f", factor);
}

static void change_momentum(Session *ses, Run *r, double delta)
{
    const int p = optim_def(r->opt.kind)->momentum;
    const SpecKind *k = spec_kind(&optim_table, r->opt.kind);
    if (p < 0) {
        session_message(ses, "%s: %s has no momentum", run_name(r), k->name);
        return;
    }
    const double before = r->opt.v[p];
    const double v = fmin(SESSION_MOMENTUM_MAX, fmax(0, round((before + delta) / SESSION_MOMENTUM_STEP) * SESSION_MOMENTUM_STEP));
    const double next = delta > 0 && v <= before ? SESSION_MOMENTUM_MAX : v;
    char err[160];
    if (next == before)
        session_message(ses, "%s: %s stays %.3g (limit)", run_name(r), k->params[p].name, before);
    else if (sim_set_hyper(r, p, next, err, sizeof err) < 0)
        session_message(ses, "%s", err);
    else
        session_message(ses, "%s: %s %.3g \xe2\x86\x92 %.3g", run_name(r), k->params[p].name, before, next);
}

static void change_decay(Session *ses, Run *r, int dir)
{
    const SchedDef *d = sched_def(r->sched.kind);
    if (d->tune < 0) {
        session_message(ses, "%s: %s schedule has no decay (D changes the schedule)", run_name(r), d->kind.name);
        return;
    }
    const char *name = d->kind.params[d->tune].name;
    const double before = r->sched.v[d->tune];
    if (sched_tune(&r->sched, dir) < 0) {
        session_message(ses, "%s: %s stays %.4g (limit)", run_name(r), name, before);
        return;
    }
    sim_refresh_lr(r);
    session_message(ses, "%s: %s %.4g \xe2\x86\x92 %.4g", run_name(r), name, before, r->sched.v[d->tune]);
}

/* Cycles through the schedules that need no list (multistep wants its milestones). */
static void next_schedule(Session *ses, int i)
{
    Run *r = &ses->sim.runs[i];
    int k = r->sched.kind;
    do {
        k = (k + 1) % sched_table.count;
    } while (sched_def(k)->kind.nparams && sched_def(k)->kind.params[0].type == PARAM_LIST);
    Spec s;
    spec_defaults(&sched_table, k, &s);
    sim_set_schedule(&ses->sim, i, &s);
    session_message(ses, "%s: schedule %s", run_name(r), sched_def(k)->kind.name);
}

static void next_optimizer(Session *ses, int i)
{
    Run *r = &ses->sim.runs[i];
    const char *before = spec_kind(&optim_table, r->opt.kind)->name;
    Spec s;
    spec_defaults(&optim_table, (r->opt.kind + 1) % optim_table.count, &s);
    sim_set_optimizer(&ses->sim, i, &s);
    session_message(ses, "%s: optimizer %s \xe2\x86\x92 %s", run_name(r), before, spec_kind(&optim_table, s.kind)->name);
}

static void set_function(Session *ses, int kind)
{
    const FuncDef *f = func_def(kind);
    spec_defaults(&func_table, kind, &ses->sim.func);
    memcpy(ses->sim.start, f->start, sizeof ses->sim.start);
    memcpy(ses->home, f->view, sizeof ses->home);
    fit_home(ses);
    restart_all(ses);
    session_message(ses, "function %s", f->kind.name);
}

static void set_start(Session *ses, double sx, double sy)
{
    const View *v = &ses->view;
    if (sx < v->px || sy < v->py || sx > v->px + v->pw || sy > v->py + v->ph)
        return; /* a click beside the map (on the tick labels) means nothing */
    const double x = view_wx(v, sx), y = view_wy(v, sy);
    if (!(fabs(x) <= SIM_LIMIT && fabs(y) <= SIM_LIMIT)) {
        session_message(ses, "start must lie within |x|, |y| <= 1e6");
        return;
    }
    ses->sim.start[0] = x;
    ses->sim.start[1] = y;
    restart_all(ses);
    session_message(ses, "start (%.4g, %.4g)", x, y);
}

static void toggle_panel(Session *ses, unsigned panel, const char *name)
{
    ses->panels ^= panel;
    session_message(ses, "%s %s", name, ses->panels & panel ? "on" : "off");
}

static void change_speed(Session *ses, double factor)
{
    ses->speed = fmin(SPEED_MAX, fmax(SPEED_MIN, ses->speed * factor));
    session_message(ses, "speed %.3g steps/s", ses->speed);
}

/* Actions that concern the selected run; they need at least one run. */
static void apply_to_run(Session *ses, const Action *a)
{
    Run *r = selected(ses);
    if (!r)
        return;
    switch (a->kind) {
    case ACTION_LR_UP: change_lr(ses, r, SESSION_LR_FACTOR); break;
    case ACTION_LR_DOWN: change_lr(ses, r, 1 / SESSION_LR_FACTOR); break;
    case ACTION_DECAY_DOWN: change_decay(ses, r, -1); break;
    case ACTION_DECAY_UP: change_decay(ses, r, +1); break;
    case ACTION_SCHEDULE_NEXT: next_schedule(ses, ses->selected); break;
    case ACTION_MOMENTUM_UP: change_momentum(ses, r, SESSION_MOMENTUM_STEP); break;
    case ACTION_MOMENTUM_DOWN: change_momentum(ses, r, -SESSION_MOMENTUM_STEP); break;
    case ACTION_OPTIMIZER_NEXT: next_optimizer(ses, ses->selected); break;
    case ACTION_TOGGLE_RUN:
        r->hidden = !r->hidden;
        session_message(ses, "%s %s", run_name(r), r->hidden ? "hidden" : "shown");
        break;
    default: break;
    }
}

static void select_run(Session *ses, int i)
{
    if (i < 0 || i >= ses->sim.nruns)
        return;
    ses->selected = i;
    session_message(ses, "selected %s", run_name(&ses->sim.runs[i]));
}

void session_apply(Session *ses, const Action *a)
{
    const int nfunc = func_table.count;
    switch (a->kind) {
    case ACTION_NONE: break;
    case ACTION_PAUSE:
        ses->paused = !ses->paused;
        session_message(ses, ses->paused ? "paused" : "running");
        break;
    case ACTION_STEP:
        ses->paused = 1;
        session_step(ses);
        break;
    case ACTION_SLOWER: change_speed(ses, 1 / 1.5); break;
    case ACTION_FASTER: change_speed(ses, 1.5); break;
    case ACTION_SELECT_NEXT: select_run(ses, ses->sim.nruns ? (ses->selected + 1) % ses->sim.nruns : 0); break;
    case ACTION_SELECT: select_run(ses, a->arg); break;
    case ACTION_LR_UP_ALL: change_all_lr(ses, SESSION_LR_FACTOR); break;
    case ACTION_LR_DOWN_ALL: change_all_lr(ses, 1 / SESSION_LR_FACTOR); break;
    case ACTION_FUNCTION_NEXT: set_function(ses, (ses->sim.func.kind + 1) % nfunc); break;
    case ACTION_FUNCTION_PREV: set_function(ses, (ses->sim.func.kind + nfunc - 1) % nfunc); break;
    case ACTION_RESTART:
        restart_all(ses);
        session_message(ses, "restarted from (%.4g, %.4g)", ses->sim.start[0], ses->sim.start[1]);
        break;
    case ACTION_SET_START: set_start(ses, a->x, a->y); break;
    case ACTION_PAN: view_pan(&ses->view, a->x, a->y); break;
    case ACTION_ZOOM:
        if (view_zoom(&ses->view, a->x, a->y, a->factor) < 0)
            session_message(ses, "zoom limit reached");
        break;
    case ACTION_VIEW_RESET:
        fit_home(ses);
        session_message(ses, "view reset");
        break;
    case ACTION_TOGGLE_CONTOURS: toggle_panel(ses, PANEL_CONTOURS, "contours"); break;
    case ACTION_TOGGLE_FIELD: toggle_panel(ses, PANEL_FIELD, "gradient field"); break;
    case ACTION_TOGGLE_PLOTS: toggle_panel(ses, PANEL_PLOTS, "plots"); break;
    case ACTION_TOGGLE_THEME:
        ses->theme = ses->theme == THEME_DARK ? THEME_LIGHT : THEME_DARK;
        session_message(ses, "%s theme", ses->theme == THEME_DARK ? "dark" : "light");
        break;
    case ACTION_HELP: ses->show_help = !ses->show_help; break;
    case ACTION_SCREENSHOT: ses->shot_request = 1; break;
    case ACTION_SCREENSHOT_2X: ses->shot_request = 2; break;
    case ACTION_RECORD: ses->record_request = 1; break;
    case ACTION_QUIT: ses->quit = 1; break;
    default: apply_to_run(ses, a); break;
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

void session_dump_json(const Session *ses, FILE *out)
{
    char func[256];
    spec_format(&func_table, &ses->sim.func, func, sizeof func);
    fprintf(out, "{\n  \"function\": \"%s\",\n  \"function_spec\": \"%s\",\n  \"start\": [",
            spec_kind(&func_table, ses->sim.func.kind)->name, func);
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
    fputs(",\n  \"runs\": [\n", out);
    for (int i = 0; i < ses->sim.nruns; i++) {
        dump_run(&ses->sim.runs[i], out);
        fputs(i + 1 < ses->sim.nruns ? ",\n" : "\n", out);
    }
    fputs("  ]\n}\n", out);
}
