/* The optimizer table against torch.optim's documented names and defaults; the update
 * rules themselves are pinned by the reference trajectories (test_reference.c). */
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
    double defaults[7];
} torch_defaults[] = {
    { "sgd", "lr momentum dampening nesterov weight_decay", { 1e-3, 0, 0, 0, 0 } },
    { "adagrad", "lr lr_decay eps initial_accumulator_value weight_decay", { 1e-2, 0, 1e-10, 0, 0 } },
    { "rmsprop", "lr alpha eps momentum centered weight_decay", { 1e-2, 0.99, 1e-8, 0, 0, 0 } },
    { "adadelta", "lr rho eps weight_decay", { 1.0, 0.9, 1e-6, 0 } },
    { "adam", "lr beta1 beta2 eps weight_decay amsgrad", { 1e-3, 0.9, 0.999, 1e-8, 0, 0 } },
    { "adamw", "lr beta1 beta2 eps weight_decay amsgrad", { 1e-3, 0.9, 0.999, 1e-8, 1e-2, 0 } },
    { "adamax", "lr beta1 beta2 eps weight_decay", { 2e-3, 0.9, 0.999, 1e-8, 0 } },
    { "nadam", "lr beta1 beta2 eps weight_decay momentum_decay", { 2e-3, 0.9, 0.999, 1e-8, 0, 4e-3 } },
    { "radam", "lr beta1 beta2 eps weight_decay", { 1e-3, 0.9, 0.999, 1e-8, 0 } },
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
    double x[2] = { 1, 1 }, g[2] = { 1, 2 };
    optim_step(&s, &st, 0.1, x, g);
    CHECK(x[0] == 1 - 0.1 && x[1] == 1 - 0.2, "first sgd step %g %g", x[0], x[1]);
    optim_step(&s, &st, 0.1, x, g);
    CHECK(x[0] == 0.9 - 0.1 * (0.5 * 1 + 0.5 * 1), "second sgd step: buf = 0.5 buf + 0.5 g (%g)", x[0]);
}
