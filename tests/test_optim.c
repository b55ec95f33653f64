/* The optimizer table against torch.optim's documented names and defaults; the update
 * rules themselves are pinned by the reference trajectories (test_reference.c). */
#include <float.h>
#include <math.h>
#include <string.h>

#include "../src/core/func.h"
#include "../src/core/optim.h"
#include "../src/core/sched.h"
#include "check.h"

/* Parameters are filled by designated initializers at named indices: an index left out
 * would leave a row with no name (and a default of 0) in the middle of a table. */
static void check_rows_named(const SpecTable *t)
{
    for (int i = 0; i < t->count; i++) {
        const SpecKind *k = spec_kind(t, i);
        CHECK(k->nparams <= SPEC_MAX_PARAMS, "%s: %d parameters", k->name, k->nparams);
        for (int j = 0; j < k->nparams; j++)
            CHECK(k->params[j].name != NULL, "%s %s: parameter %d has no row", t->what, k->name, j);
    }
}

static const struct {
    const char *name;
    const char *keys;     /* parameter names in table order */
    double defaults[SPEC_MAX_PARAMS];
} torch_defaults[] = {
    { "sgd", "lr momentum dampening nesterov weight_decay", { 1e-3, 0, 0, 0, 0 } },
    { "adagrad", "lr lr_decay eps initial_accumulator_value weight_decay", { 1e-2, 0, 1e-10, 0, 0 } },
    { "rmsprop", "lr alpha eps momentum centered weight_decay", { 1e-2, 0.99, 1e-8, 0, 0, 0 } },
    { "adadelta", "lr rho eps weight_decay", { 1.0, 0.9, 1e-6, 0 } },
    { "adam", "lr beta1 beta2 eps weight_decay amsgrad", { 1e-3, 0.9, 0.999, 1e-8, 0, 0 } },
    { "adamw", "lr beta1 beta2 eps weight_decay amsgrad", { 1e-3, 0.9, 0.999, 1e-8, 1e-2, 0 } },
    { "adamax", "lr beta1 beta2 eps weight_decay", { 2e-3, 0.9, 0.999, 1e-8, 0 } },
    { "nadam", "lr beta1 beta2 eps weight_decay momentum_decay decoupled_weight_decay",
      { 2e-3, 0.9, 0.999, 1e-8, 0, 4e-3, 0 } },
    { "radam", "lr beta1 beta2 eps weight_decay decoupled_weight_decay", { 1e-3, 0.9, 0.999, 1e-8, 0, 0 } },
    { "rprop", "lr eta_minus eta_plus step_min step_max", { 1e-2, 0.5, 1.2, 1e-6, 50 } },
    { "asgd", "lr lambd alpha t0 weight_decay", { 1e-2, 1e-4, 0.75, 1e6, 0 } },
    { "adafactor", "lr beta2_decay eps1 eps2 d weight_decay", { 1e-2, -0.8, DBL_EPSILON, 1e-3, 1, 0 } },
    { "lbfgs", "lr history_size line_search tolerance_grad tolerance_change", { 1, 100, 0, 1e-7, 1e-9 } },
    { "newton", "lr damping", { 1, 0 } },
    /* The authors' defaults (lion-pytorch, qhoptim's recommended QHM/QHAdam values,
     * schedule_free, prodigyopt); beta3 = 0 stands for sqrt(beta2), growth_rate = 0 for inf. */
    { "lion", "lr beta1 beta2 weight_decay", { 1e-4, 0.9, 0.99, 0 } },
    { "qhm", "lr momentum nu weight_decay", { 1e-3, 0.999, 0.7, 0 } },
    { "qhadam", "lr beta1 beta2 nu1 nu2 weight_decay eps", { 1e-3, 0.995, 0.999, 0.7, 1.0, 0, 1e-8 } },
    { "sgd_schedulefree", "lr momentum weight_decay warmup_steps r weight_lr_power", { 1, 0.9, 0, 0, 0, 2 } },
    { "adamw_schedulefree", "lr beta1 beta2 eps weight_decay warmup_steps r weight_lr_power",
      { 0.0025, 0.9, 0.999, 1e-8, 0, 0, 0, 2 } },
    { "prodigy",
      "lr beta1 beta2 beta3 eps weight_decay decouple use_bias_correction safeguard_warmup d0 d_coef growth_rate",
      { 1, 0.9, 0.999, 0, 1e-8, 0, 1, 0, 0, 1e-6, 1, 0 } },
};

void test_optim(void)
{
    check_rows_named(&func_table);
    check_rows_named(&optim_table);
    check_rows_named(&sched_table);

    int n = (int)(sizeof torch_defaults / sizeof torch_defaults[0]);
    CHECK(optim_table.count == n, "%d optimizers, expected %d", optim_table.count, n);
    for (int i = 0; i < n; i++) {
        int kind = spec_find(&optim_table, torch_defaults[i].name);
        CHECK(kind >= 0, "optimizer %s missing", torch_defaults[i].name);
        if (kind < 0)
            continue;
        const SpecKind *k = spec_kind(&optim_table, kind);
        char keys[256] = "";
        for (int j = 0; j < k->nparams; j++) {
            strcat(keys, j ? " " : "");
            strcat(keys, k->params[j].name);
            CHECK(k->params[j].def == torch_defaults[i].defaults[j], "%s.%s default %g", k->name, k->params[j].name,
                  k->params[j].def);
        }
        CHECK(strcmp(keys, torch_defaults[i].keys) == 0, "%s keys '%s'", k->name, keys);
    }

    /* Momentum with dampening follows torch: the first step takes the raw gradient. */
    Spec s;
    char err[128];
    OptimState st;
    CHECK(optim_parse("sgd:lr=0.1,momentum=0.5,dampening=0.5", &s, err, sizeof err) == 0, "%s", err);
    optim_init(&s, &st);
    double x[2] = { 1, 1 };
    const OptimEval e = { .g = { 1, 2 } };
    optim_step(&s, &st, 0.1, NAN, x, &e);
    CHECK(x[0] == 1 - 0.1 && x[1] == 1 - 0.2, "first sgd step %g %g", x[0], x[1]);
    optim_step(&s, &st, 0.1, NAN, x, &e);
    CHECK(x[0] == 0.9 - 0.1 * (0.5 * 1 + 0.5 * 1), "second sgd step: buf = 0.5 buf + 0.5 g (%g)", x[0]);
}
