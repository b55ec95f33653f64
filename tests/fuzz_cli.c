/* libFuzzer target: the command line. The input is split into arguments at newlines;
 * a --scene argument reads the part after the first NUL byte as the scene's text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *scene_text;

static int read_scene(const char *path, char **text, char *err, size_t errlen)
{
    (void)path;
    (void)err;
    (void)errlen;
    *text = strdup(scene_text);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 2);
    memcpy(buf, data, size);
    buf[size] = '\0';
    buf[size + 1] = '\0';
    const size_t args_len = strlen(buf);
    scene_text = buf + args_len + (args_len < size ? 1 : 0);
    char *argv[64];
    int argc = 0;
    argv[argc++] = "optiscope";
    for (char *save = NULL, *a = strtok_r(buf, "\n", &save); a && argc < 63; a = strtok_r(NULL, "\n", &save))
        argv[argc++] = a;
    argv[argc] = NULL;
    static Config c;
    char err[512];
    config_defaults(&c);
    if (config_parse_args(&c, argc, argv, read_scene, err, sizeof err) == 0)
        config_finish(&c, err, sizeof err);
    free(buf);
    return 0;
}
