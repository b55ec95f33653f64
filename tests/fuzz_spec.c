/* libFuzzer target: the spec parser for functions, optimizers and schedules, and the
 * formatter on whatever it accepts. Any crash, hang or sanitizer report is a bug. */
#include <stdint.h>
#include <string.h>

#include "../src/core/func.h"
#include "../src/core/optim.h"
#include "../src/core/sched.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[1024], err[256], out[2048];
    if (size >= sizeof text)
        size = sizeof text - 1;
    memcpy(text, data, size);
    text[size] = '\0';
    const SpecTable *tables[] = { &func_table, &optim_table, &sched_table };
    for (int i = 0; i < 3; i++) {
        Spec s;
        if (spec_parse(tables[i], text, &s, err, sizeof err) == 0) {
            spec_format(tables[i], &s, out, sizeof out);
            Spec again;
            /* What the formatter writes must parse again. */
            if (spec_parse(tables[i], out, &again, err, sizeof err) != 0)
                __builtin_trap();
        }
    }
    Spec s;
    optim_parse(text, &s, err, sizeof err);
    if (sched_parse(text, &s, err, sizeof err) == 0) {
        SchedState st;
        sched_start(&s, &st, 0.1, 1.0, 1.0);
        for (int t = 0; t < 50; t++)
            sched_advance(&s, &st, 0.1, 1.0 - t * 0.01, 1.0);
        volatile double lr = sched_lr(&s, &st, 0.1);
        (void)lr;
    }
    return 0;
}
