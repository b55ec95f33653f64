/* Sorting numbers, for medians and percentiles (field scaling, benchmark times). */
#ifndef OPTISCOPE_SORT_H
#define OPTISCOPE_SORT_H

#include <stddef.h>

/* Ascending; NaNs are not expected. */
void sort_doubles(double *v, size_t n);

#endif
