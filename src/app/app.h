/* The two ways optiscope runs: a live window, or a headless job (trace, screenshot,
 * benchmark). Each returns the exit status and leaves a message in err when it fails. */
#ifndef OPTISCOPE_APP_H
#define OPTISCOPE_APP_H

#include <stddef.h>

#include "../core/config.h"

int app_run(const Config *c, char *err, size_t errlen);
int headless_run(const Config *c, char *err, size_t errlen);

#endif
