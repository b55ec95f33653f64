/* Until the window lands, running without --headless prints the scene's trace. */
#include <stdio.h>

#include "app.h"

int app_run(const Config *c, char *err, size_t errlen)
{
    Config trace = *c;
    trace.headless = 1;
    trace.trace = "-";
    return headless_run(&trace, err, errlen);
}
