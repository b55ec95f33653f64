/* Tick spacing (see ticks.h). */
#include "ticks.h"

#include <math.h>

double ticks_step(double least)
{
    const double p = pow(10, floor(log10(least)));
    const double m = least / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}
