/* Shared by the libFuzzer targets that start from a command line: the arguments one a line,
 * and a --scene whose text is given rather than read. Static: each target is one file. */
#ifndef OPTISCOPE_FUZZ_INPUT_H
#define OPTISCOPE_FUZZ_INPUT_H

#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_ARGS 64

static const char *fuzz_scene_text;

/* The ConfigReadFile for --scene: fuzz_scene_text whatever the path. */
static int fuzz_read_scene(const char *path, char **text, char *err, size_t errlen)
{
    (void)path, (void)err, (void)errlen;
    *text = strdup(fuzz_scene_text);
    return 0;
}

/* Splits args in place at newlines into argv (argv[0] is the program); returns argc. */
static int fuzz_split_args(char *args, char **argv)
{
    int argc = 0;
    argv[argc++] = "optiscope";
    for (char *save = NULL, *a = strtok_r(args, "\n", &save); a && argc < FUZZ_MAX_ARGS - 1;
         a = strtok_r(NULL, "\n", &save))
        argv[argc++] = a;
    argv[argc] = NULL;
    return argc;
}

#endif
