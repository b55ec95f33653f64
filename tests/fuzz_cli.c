/* libFuzzer target: the command line. The input is split into arguments at newlines;
 * a --scene argument reads the part after the first NUL byte as the scene's text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 2);
    memcpy(buf, data, size);
    buf[size] = '\0';
    buf[size + 1] = '\0';
    const size_t args_len = strlen(buf);
    fuzz_scene_text = buf + args_len + (args_len < size ? 1 : 0);
    char *argv[FUZZ_MAX_ARGS];
    const int argc = fuzz_split_args(buf, argv);
    static Config c;
    char err[512];
    config_defaults(&c);
    if (config_parse_args(&c, argc, argv, fuzz_read_scene, err, sizeof err) == 0)
        config_finish(&c, err, sizeof err);
    free(buf);
    return 0;
}
