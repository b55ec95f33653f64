/* Label templates: fields filled with the values of the moment, escapes, errors; a run's
 * label following a live change; the legend's lr in compact, and 2/L only beside plain
 * gradient descent. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/label.h"
#include "../src/core/optim.h"
#include "../src/core/sched.h"
#include "../src/render/panels.h"
#include "../src/render/text.h"
#include "../src/session/session.h"
#include "check.h"
#include "proc.h"

static Spec optimizer(const char *text)
{
    Spec s;
    char err[256];
    if (optim_parse(text, &s, err, sizeof err) < 0)
        CHECK(0, "%s: %s", text, err);
    return s;
}

static Spec schedule(const char *text)
{
    Spec s;
    char err[256];
    if (sched_parse(text, &s, err, sizeof err) < 0)
        CHECK(0, "%s: %s", text, err);
    return s;
}

static void expect_fill(const char *tmpl, const char *opt, const char *sched, double lr, double momentum,
                        const char *want)
{
    const Spec o = optimizer(opt), s = schedule(sched);
    const LabelValues v = { .opt = &o, .sched = &s, .lr = lr, .momentum = momentum };
    char out[LABEL_TEXT_MAX];
    label_fill(tmpl, &v, 0, out, sizeof out);
    CHECK(strcmp(out, want) == 0, "'%s' with %s, %s: '%s', want '%s'", tmpl, opt, sched, out, want);
}

static void check_fields(void)
{
    expect_fill("lr {lr}", "sgd:lr=0.21", "constant", 0.168, NAN, "lr 0.168");
    expect_fill("lr {lr}", "sgd:lr=0.21", "constant", 0.00001234, NAN, "lr 1.23e-05");
    expect_fill("{optimizer} \xce\xb2={momentum}", "sgd:lr=0.1,momentum=0.9", "constant", 0.1, NAN, "sgd \xce\xb2=0.9");
    expect_fill("{optimizer} {beta1}/{beta2} wd {weight_decay}", "adamw", "constant", 1e-3, NAN,
                "adamw 0.9/0.999 wd 0.01");
    expect_fill("{optimizer} {beta1}", "adam", "onecycle:total_steps=100", 1e-3, 0.85, "adam 0.85");
    expect_fill("{schedule} \xce\xb3 {gamma} every {step_size}", "sgd", "step:step_size=100000,gamma=0.5", 1e-3, NAN,
                "step \xce\xb3 0.5 every 100000");
    expect_fill("at {milestones}", "sgd", "multistep:milestones=30/80/150", 1e-3, NAN, "at 30/80/150");
    expect_fill("n{nesterov} {line_search}", "sgd:momentum=0.9,nesterov=1", "constant", 1e-3, NAN, "n1 {line_search}");
    expect_fill("{line_search}", "lbfgs:line_search=strong_wolfe", "constant", 1, NAN, "strong_wolfe");
    expect_fill("{{lr}} {{{lr}}} }}", "sgd", "constant", 0.5, NAN, "{lr} {0.5} }");
    expect_fill("plain", "sgd", "constant", 0.5, NAN, "plain");

    const Spec o = optimizer("sgd"), s = schedule("constant");
    const LabelValues v = { .opt = &o, .sched = &s, .lr = 0.5, .momentum = NAN };
    char out[LABEL_TEXT_MAX], small[8];
    label_fill("lr {lr} m {momentum}", &v, LABEL_WIDEST_LR | LABEL_WIDEST_MOMENTUM, out, sizeof out);
    CHECK(strcmp(out, "lr " LABEL_NUMBER_WIDEST " m 0") == 0, "widest: '%s'", out);
    const LabelValues cycled = { .opt = &o, .sched = &s, .lr = 0.5, .momentum = 0.9 };
    label_fill("lr {lr} m {momentum} d {dampening}", &cycled, LABEL_WIDEST_MOMENTUM, out, sizeof out);
    CHECK(strcmp(out, "lr 0.5 m " LABEL_NUMBER_WIDEST " d 0") == 0, "only what moves is widest: '%s'", out);
    label_fill("\xce\xb2\xce\xb2\xce\xb2\xce\xb2", &v, 0, small, sizeof small);
    CHECK(strcmp(small, "\xce\xb2\xce\xb2\xce\xb2") == 0, "cut between characters: '%s'", small);
    CHECK(label_has_field("a {lr} b", "lr") && !label_has_field("{{lr}}", "lr") && !label_has_field("{lrs}", "lr"),
          "label_has_field");
    label_number(out, sizeof out, 0.0001234);
    CHECK(strcmp(out, "1.23e-04") == 0, "label_number: '%s'", out);
}

static void expect_error(const char *tmpl, const char *opt, const char *sched, const char *want1, const char *want2)
{
    const Spec o = optimizer(opt), s = schedule(sched ? sched : "constant");
    char err[512] = "";
    const int rc = label_check(tmpl, &o, sched ? &s : NULL, err, sizeof err);
    CHECK(rc < 0 && strstr(err, want1) && strstr(err, want2), "'%s': %d '%s', want '%s' and '%s'", tmpl, rc, err,
          want1, want2);
}

static void check_errors(void)
{
    expect_error("lr {rate}", "sgd", "constant", "unknown field {rate}", "valid: lr, optimizer, schedule, momentum");
    expect_error("lr {lr", "sgd", "constant", "'{' without its '}'", "write {{");
    expect_error("lr } x", "sgd", "constant", "lone '}'", "write }}");
    expect_error("{gamma}", "sgd", "cosine", "unknown field {gamma}", "t_max, eta_min");
    expect_error("{beta1}", "sgd", NULL, "unknown field {beta1}", "or a parameter of its schedule");
    expect_error("{}", "adam", "constant", "unknown field {}", "beta1, beta2");
    const Spec o = optimizer("sgd"), s = schedule("step");
    char err[256] = "";
    CHECK(label_check("{gamma} {lr} {{x}} {optimizer}", &o, &s, err, sizeof err) == 0, "fields accepted: %s", err);
    CHECK(label_check("{gamma}", &o, NULL, err, sizeof err) == 0, "a schedule's field before the schedule: %s", err);
    CHECK(label_check("", &o, &s, err, sizeof err) == 0, "no label");
}

/* Bad labels through the real command line: one line, exit status 2. */
static void check_bad_input(void)
{
    static const struct {
        const char *spec, *sched, *want;
    } cases[] = {
        { "sgd:label=lr {rate}", NULL, "unknown field {rate} (valid: lr, optimizer, schedule" },
        { "sgd:label=lr {lr", NULL, "'{' without its '}'" },
        { "sgd:label=x }", NULL, "lone '}'" },
        { "sgd:label={gamma}", NULL, "unknown field {gamma}" },
        { "sgd:label={gamma}", "cosine", "unknown field {gamma}" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *args[] = { "--headless", "--steps", "1", "--optimizer", cases[i].spec,
                               cases[i].sched ? "--schedule" : NULL, cases[i].sched, NULL };
        ProcResult r;
        proc_run(args, 10, &r);
        const char *nl = r.err ? strchr(r.err, '\n') : NULL;
        CHECK(r.status == 2 && strstr(r.err, cases[i].want) && nl && nl[1] == '\0', "%s: status %d, '%s'",
              cases[i].spec, r.status, r.err);
        proc_free(&r);
    }
}

static Session *session_of(const char *func, const char *const *runs, const char *const *scheds, int n)
{
    Config c;
    char err[256];
    config_defaults(&c);
    config_apply(&c, "function", func, 0, err, sizeof err);
    for (int i = 0; i < n; i++) {
        config_apply(&c, "optimizer", runs[i], 0, err, sizeof err);
        if (scheds && scheds[i])
            config_apply(&c, "schedule", scheds[i], 0, err, sizeof err);
    }
    Session *ses = calloc(1, sizeof *ses);
    if (config_finish(&c, err, sizeof err) < 0 || session_init(ses, &c, 0, 0, 800, 600, err, sizeof err) < 0)
        CHECK(0, "session: %s", err);
    return ses;
}

/* The case: ↓ on a run labelled "lr {lr}" at 0.21; the label, the message and the
 * dump read the new lr, and Ctrl+S's scene keeps the template. */
static void check_session(void)
{
    const char *runs[] = { "sgd:lr=0.21,label=lr {lr}", "sgd:lr=0.21,momentum=0.9,label={optimizer} \xce\xb2={momentum}" };
    Session *ses = session_of("quadratic:a=0.4,b=10", runs, NULL, 2);
    char label[LABEL_TEXT_MAX];
    sim_label(&ses->sim.runs[0], label, sizeof label);
    CHECK(strcmp(label, "lr 0.21") == 0, "before: '%s'", label);
    session_apply(ses, &(Action){ .kind = ACTION_LR_DOWN });
    sim_label(&ses->sim.runs[0], label, sizeof label);
    CHECK(strcmp(label, "lr 0.168") == 0, "after \xe2\x86\x93: '%s'", label);
    CHECK(strncmp(ses->message, "lr 0.168: lr", 12) == 0, "the message names the run as it is: '%s'", ses->message);
    session_apply(ses, &(Action){ .kind = ACTION_SELECT, .arg = 1 });
    session_apply(ses, &(Action){ .kind = ACTION_MOMENTUM_DOWN });
    sim_label(&ses->sim.runs[1], label, sizeof label);
    CHECK(strcmp(label, "sgd \xce\xb2=0.85") == 0, "after Shift+M: '%s'", label);

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    session_dump_json(ses, NULL, f);
    fclose(f);
    CHECK(text && strstr(text, "\"label\": \"lr 0.168\", \"label_template\": \"lr {lr}\""), "dump: %.300s",
          text ? strstr(text, "\"runs\"") : "");
    free(text);
    text = NULL;
    f = open_memstream(&text, &len);
    session_write_scene(ses, f);
    fclose(f);
    CHECK(text && strstr(text, "label=lr {lr}\n") && strstr(text, "label={optimizer} \xce\xb2={momentum}\n"),
          "the scene keeps the templates: %s", text);
    free(text);
    session_free(ses);
}

/* The trace names a run once, by its label at the start, though {lr} then moves. */
static void check_trace(void)
{
    const char *args[] = { "--headless", "--steps", "3", "--trace", "-", "--function", "quadratic", "--optimizer", "sgd:lr=0.1,label=lr {lr}",
                           "--schedule", "exponential:gamma=0.5", NULL };
    ProcResult r;
    proc_run(args, 10, &r);
    CHECK(r.status == 0 && strstr(r.out, "\nlr 0.1,3,") && !strstr(r.out, "lr 0.05,"), "trace: %s", r.out);
    proc_free(&r);
}

static void check_legend(void)
{
    char err[256];
    Text *tx = text_open(1.5, err, sizeof err);
    if (!tx) {
        CHECK(0, "text: %s", err);
        return;
    }
    /* 2/L is the bound of plain gradient descent: beside sgd, not beside adam, adagrad,
     * heavy ball or weight decay. */
    const char *runs[] = { "sgd:lr=0.1", "adam:lr=0.1", "adagrad:lr=0.3", "sgd:lr=0.1,momentum=0.5",
                           "sgd:lr=0.1,weight_decay=0.1" };
    Session *ses = session_of("quadratic:a=0.4,b=10", runs, NULL, 5);
    for (int i = 0; i < 5; i++) {
        char text[1024];
        panels_legend_text(ses, i, LEGEND_LINES_FULL, text, sizeof text);
        CHECK((strstr(text, "2/L 0.2") != NULL) == (i == 0), "%s: '%s'", runs[i], text);
    }
    LegendNeed need = panels_legend_need(ses, tx, 1.5);
    CHECK(need.row_height[LEGEND_LINES_MINIMAL] > need.row_height[LEGEND_LINES_COMPACT],
          "runs that differ in lr keep it below the label: %d", need.row_height[LEGEND_LINES_MINIMAL]);
    char text[1024];
    panels_legend_text(ses, 2, LEGEND_LINES_MINIMAL, text, sizeof text);
    CHECK(strstr(text, "adagrad") && strstr(text, "\nlr 0.3"), "minimal with lr: '%s'", text);
    panels_legend_text(ses, 2, LEGEND_LINES_COMPACT, text, sizeof text);
    CHECK(strstr(text, "lr 0.3"), "compact with lr: '%s'", text);
    session_free(ses);

    /* Same lr and schedule: the lr says nothing, the short line drops it. */
    const char *same[] = { "sgd:lr=0.1", "adam:lr=0.1" };
    ses = session_of("quadratic:a=0.4,b=10", same, NULL, 2);
    need = panels_legend_need(ses, tx, 1.5);
    CHECK(need.row_height[LEGEND_LINES_MINIMAL] == need.row_height[LEGEND_LINES_COMPACT], "one lr: one line");
    panels_legend_text(ses, 1, LEGEND_LINES_MINIMAL, text, sizeof text);
    CHECK(!strstr(text, "lr"), "minimal without lr: '%s'", text);
    session_free(ses);

    /* The legend measures a label's moving numbers at their widest: the width holds while a
     * schedule moves the lr. */
    const char *moving[] = { "sgd:lr=0.1,label=lr {lr}", "sgd:lr=0.1" };
    const char *scheds[] = { "exponential:gamma=0.9", NULL };
    ses = session_of("quadratic:a=0.4,b=10", moving, scheds, 2);
    const LegendNeed before = panels_legend_need(ses, tx, 1.5);
    for (int k = 0; k < 40; k++)
        session_apply(ses, &(Action){ .kind = ACTION_STEP });
    const LegendNeed after = panels_legend_need(ses, tx, 1.5);
    CHECK(memcmp(&before, &after, sizeof before) == 0, "widths hold: %d %d %d, then %d %d %d", before.width[0],
          before.width[1], before.width[2], after.width[0], after.width[1], after.width[2]);
    session_free(ses);
    text_close(tx);
}

/* The legend box of a headless picture of scene 3 at a projector's size, with two runs. */
static int legend_height(const char *run1, const char *run2, int *plots)
{
    const char *args[] = { "--headless", "--scene", "assets/scenes/03_lr_too_large.scene", "--size", "1280x720",
                           "--font-scale", "1.5", "--steps", "5", "--optimizer", run1, "--optimizer", run2,
                           "--dump-state", "-", NULL };
    ProcResult r;
    proc_run(args, 20, &r);
    int x, y, w, h = -1;
    const char *box = r.out ? strstr(r.out, "\"legend\": [") : NULL;
    if (!box || sscanf(box, "\"legend\": [%d, %d, %d, %d]", &x, &y, &w, &h) != 4)
        CHECK(0, "no legend box: status %d, %s", r.status, r.err);
    *plots = r.out && strstr(r.out, "\"plot_lr\"") != NULL;
    proc_free(&r);
    return h;
}

/* Scene 3 at 1280x720 with text 1.5x: the compact line does not fit, so the legend is
 * short; runs at two lrs keep them on a line under their labels, the plots stay. */
static void check_short_legend(void)
{
    int plots_differ, plots_same;
    const int differ = legend_height("sgd:lr=0.19,label=lr {lr}", "sgd:lr=0.21,label=lr {lr}", &plots_differ);
    const int same = legend_height("sgd:lr=0.2,label=a", "sgd:lr=0.2,label=b", &plots_same);
    CHECK(differ > same && plots_differ && plots_same, "legend %d px high for two lrs, %d for one; plots %d %d", differ,
          same, plots_differ, plots_same);
}

void test_label(void)
{
    check_fields();
    check_errors();
    check_bad_input();
    check_session();
    check_trace();
    check_legend();
    check_short_legend();
}
