/* libFuzzer target: deck files (`# optiscope deck` and the scene files it lists, each of
 * which reads as a small scene here), then each scene of the deck loaded in turn. Any crash,
 * hang or sanitizer report is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *deck_data;
static size_t deck_size;

/* The deck is the fuzzer's input; every other file is a scene of one line. */
static int read_file(const char *path, char **text, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    const int deck = strcmp(path, "fuzz.deck") == 0;
    const char *scene = "function quadratic\noptimizer sgd:lr=0.1\n";
    const size_t n = deck ? deck_size : strlen(scene);
    *text = malloc(n + 1);
    memcpy(*text, deck ? (const char *)deck_data : scene, n);
    (*text)[n] = '\0';
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Config c;
    char err[512];
    char *argv[] = { "optiscope", "--scene", "fuzz.deck", NULL };
    deck_data = data;
    deck_size = size;
    config_defaults(&c);
    if (config_parse_args(&c, 3, argv, read_file, err, sizeof err) < 0 || config_finish(&c, err, sizeof err) < 0)
        return 0;
    const int count = c.deck_count;
    for (int at = 1; at < count; at++) {
        config_defaults(&c);
        c.deck_at = at;
        if (config_parse_args(&c, 3, argv, read_file, err, sizeof err) == 0)
            config_finish(&c, err, sizeof err);
    }
    return 0;
}
