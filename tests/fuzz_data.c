/* libFuzzer target: a data file (the losses over data read it), then what a run does with
 * it: both losses' checks, a value, a gradient and a Hessian, and a minibatch. Any crash,
 * hang or sanitizer report is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char err[512];
    Data *d = data_parse(text, "fuzz.csv", err, sizeof err);
    free(text);
    if (!d)
        return 0;
    static const DataLoss losses[] = { DATA_MSE, DATA_BCE };
    for (int i = 0; i < 2; i++) {
        if (data_check(d, losses[i], err, sizeof err) < 0)
            continue;
        double g[2], h[3], m[2], view[4], start[2];
        data_value(d, losses[i], 0.5, -0.25, NULL, 0);
        data_grad(d, losses[i], 0.5, -0.25, NULL, 0, g);
        data_hessian(d, losses[i], 0.5, -0.25, NULL, 0, h);
        data_minimum(d, losses[i], m);
        data_home(d, losses[i], view, start);
        const uint32_t *rows;
        const long size = d->n > 3 ? 3 : d->n;
        const long n = data_batch(d, 7, 1, data_batches(d, size) - 1, size, &rows);
        data_grad(d, losses[i], 0.5, -0.25, rows, n, g);
        data_hessian(d, losses[i], 0.5, -0.25, rows, n, h);
    }
    data_free(d);
    return 0;
}
