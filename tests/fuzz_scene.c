/* libFuzzer target: scene files, then building and stepping the simulation they describe.
 * Any crash, hang, sanitizer report or non-finite point is a bug. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/scene.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    static Config c;
    static Sim sim;
    char err[512];
    config_defaults(&c);
    if (config_scene(&c, text, "fuzz.scene", err, sizeof err) == 0 && config_finish(&c, err, sizeof err) == 0 &&
        config_make_sim(&c, &sim, err, sizeof err) == 0) {
        for (int k = 0; k < 200; k++)
            sim_step(&sim);
        for (int i = 0; i < sim.nruns; i++)
            if (!isfinite(sim.runs[i].x) || !isfinite(sim.runs[i].y) || !isfinite(sim.runs[i].loss))
                __builtin_trap();
    }
    free(text);
    return 0;
}
