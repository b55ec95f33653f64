/* Work split into a few independent parts, each on a thread of its own. */
#ifndef OPTISCOPE_PARALLEL_H
#define OPTISCOPE_PARALLEL_H

#include <stddef.h>

#define PARALLEL_MAX 16

/* Calls work(part) for the n parts at parts, parts + size, ... (n clamped to
 * 1..PARALLEL_MAX) and returns when all are done. The calling thread takes the first; a
 * thread that cannot be started is no reason to fail: its part runs inline, so the result
 * is the same either way. */
void parallel_run(void *parts, size_t size, int n, void *(*work)(void *));

#endif
