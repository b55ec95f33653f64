/* libFuzzer target: the preferences file (scene syntax, only the options it may set), then
 * the command line finished with it. Any crash, hang or sanitizer report is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    static Config c;
    char err[512];
    config_defaults(&c);
    if (config_scene_from(&c, text, "config", CONFIG_FROM_PREFS, err, sizeof err) == 0)
        config_finish(&c, err, sizeof err);
    free(text);
    return 0;
}
