/* The scene writer (Ctrl+S): what it saves loads back unchanged, every panel, every legend
 * mode and a typed formula of any length; the help names every panel and mode too. */
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/expr.h"
#include "../src/core/func.h"
#include "../src/session/session.h"
#include "check.h"

static Session *make(const Config *c)
{
    char err[256];
    Session *ses = calloc(1, sizeof *ses);
    if (session_init(ses, c, 0, 0, 800, 600, err, sizeof err) < 0)
        fprintf(stderr, "session_init: %s\n", err);
    return ses;
}

/* The session written as a scene (malloc'd text). */
static char *saved(const Session *ses)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    session_write_scene(ses, f);
    fclose(f);
    return text;
}

/* A session from scene text; NULL with the reason in err when it does not load. */
static Session *reload(const char *text, char *err, size_t errlen)
{
    Config c;
    config_defaults(&c);
    if (config_scene(&c, text, "saved.scene", err, errlen) < 0 || config_finish(&c, err, errlen) < 0)
        return NULL;
    return make(&c);
}

static Session *from_function(const char *spec)
{
    Config c;
    char err[256];
    config_defaults(&c);
    if (config_apply(&c, "function", spec, CONFIG_FROM_ARGS, err, sizeof err) < 0 || config_finish(&c, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return NULL;
    }
    return make(&c);
}

/* Each panel alone, all of them, none; each legend mode. */
static void check_panels_and_legend(void)
{
    Config c;
    config_defaults(&c);
    config_finish(&c, (char[256]){ 0 }, 256);
    Session *a = make(&c);
    unsigned all = 0;
    for (int i = 0; i < show_panel_count; i++)
        all |= show_panels[i].value;
    for (int i = -2; i < show_panel_count; i++) {
        for (int m = 0; m < LEGEND_MODES; m++) {
            a->shown = i == -2 ? 0 : i == -1 ? all : show_panels[i].value;
            a->legend = (LegendMode)m;
            char *text = saved(a), err[512] = "";
            Session *b = reload(text, err, sizeof err);
            CHECK(b && b->shown == a->shown && b->legend == a->legend,
                  "panels %#x, legend %s saved and reloaded as %#x, %s (%s):\n%s", a->shown,
                  show_legend_name(a->legend), b ? b->shown : 0, b ? show_legend_name(b->legend) : "-", err, text);
            free(text);
            session_free(b);
        }
    }
    session_free(a);
}

/* A typed formula longer than the writer's old 512-byte buffer, and the longest a function
 * spec can be: the formula at its limit, every parameter, a view and a start. */
static void check_long_formula(void)
{
    char spec[4096] = "expr:x^2 + y^2";
    while (strlen(spec) < 5 + 539)
        strcat(spec, " + (x - y)^2/1000");
    char longest[4096] = "expr:x^2 + y^2";
    while (strlen(longest) < 5 + EXPR_TEXT_MAX - 8)
        strcat(longest, " + x*y/9");
    strcat(longest, ", a=0.10000000000000001, b=-2.2250738585072014e-308, cc=123456789.12345679, "
                    "d=-0.33333333333333331, e1=1e-300, f=7, g=8, h=9, view=-1.0000000000000002/1.0000000000000002/"
                    "-2.0000000000000004/2.0000000000000004, start=0.33333333333333331/-0.66666666666666663");
    const char *specs[] = { spec, longest };
    for (int k = 0; k < 2; k++) {
        Session *a = from_function(specs[k]);
        CHECK(a != NULL, "the %zu-byte function spec loads", strlen(specs[k]));
        if (!a)
            continue;
        char *text = saved(a), err[512] = "";
        Session *b = reload(text, err, sizeof err);
        char fa[2048], fb[2048];
        func_formula_text(&a->sim.func, fa, sizeof fa);
        if (b)
            func_formula_text(&b->sim.func, fb, sizeof fb);
        CHECK(b && strcmp(fa, fb) == 0 && memcmp(&a->sim.func, &b->sim.func, sizeof a->sim.func) == 0,
              "a %zu-byte function saved and reloaded: %s\n%s\nvs\n%s", strlen(specs[k]), err, fa, b ? fb : "-");
        free(text);
        session_free(a);
        session_free(b);
    }
}

/* Typed schedules, commas, blanks and all, and a warmup before a constant lr. */
static void check_typed_schedule(void)
{
    Config c;
    char err[512] = "";
    config_defaults(&c);
    const char *opts[][2] = { { "optimizer", "sgd:lr=0.01" }, { "schedule", "expr:if(loss < prev_loss, lr*1.05, lr*0.5)" },
                              { "optimizer", "adam" }, { "schedule", "constant:warmup=20,warmup_factor=0.25" } };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        config_apply(&c, opts[i][0], opts[i][1], CONFIG_FROM_ARGS, err, sizeof err);
    config_finish(&c, err, sizeof err);
    Session *a = make(&c);
    char *text = saved(a);
    Session *b = reload(text, err, sizeof err);
    CHECK(b && b->sim.nruns == 2 && memcmp(&a->sim.runs[0].sched, &b->sim.runs[0].sched, sizeof a->sim.runs[0].sched) == 0 &&
              memcmp(&a->sim.runs[1].sched, &b->sim.runs[1].sched, sizeof a->sim.runs[1].sched) == 0,
          "typed and warmup schedules saved and reloaded (%s):\n%s", err, text);
    free(text);
    session_free(a);
    session_free(b);
}

/* The line of text that holds `key`, and the next one (the manual page's help line), or "". */
static void lines_of(const char *text, const char *key, char *out, size_t len)
{
    const char *p = strstr(text, key), *end = p ? strchr(p, '\n') : NULL;
    end = end ? strchr(end + 1, '\n') : NULL;
    snprintf(out, len, "%.*s", p ? (int)(end ? end - p : (long)strlen(p)) : 0, p ? p : "");
}

/* --help and the manual page name every panel and legend mode of the one name table. */
static void check_help_names(void)
{
    char *help = NULL, *man = NULL;
    size_t hl = 0, ml = 0;
    FILE *f = open_memstream(&help, &hl);
    config_usage(f);
    fclose(f);
    f = open_memstream(&man, &ml);
    config_man(f);
    fclose(f);
    char hp[512], mp[512], hlg[512], mlg[512];
    lines_of(help, "--panels", hp, sizeof hp);
    lines_of(man, "\\-\\-panels", mp, sizeof mp);
    lines_of(help, "--legend", hlg, sizeof hlg);
    lines_of(man, "legend \"", mlg, sizeof mlg);
    for (int i = 0; i < show_panel_count; i++)
        CHECK(strstr(hp, show_panels[i].name) && strstr(mp, show_panels[i].name), "--help or --man lacks the panel %s:\n%s\n%s",
              show_panels[i].name, hp, mp);
    for (int m = 0; m < LEGEND_MODES; m++)
        CHECK(strstr(hlg, show_legend_name((LegendMode)m)) && strstr(mlg, show_legend_name((LegendMode)m)),
              "--help or --man lacks the legend mode %s:\n%s\n%s", show_legend_name((LegendMode)m), hlg, mlg);
    free(help);
    free(man);
}

void test_save(void)
{
    check_help_names();
    check_panels_and_legend();
    check_long_formula();
    check_typed_schedule();
}
