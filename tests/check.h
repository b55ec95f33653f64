/* A minimal test harness: CHECK records a pass or prints the failure with its place.
 * Each tests/test_MODULE.c offers `void test_MODULE(void)`; tests/unit.c runs them all and
 * prints the closing `N passed, N failed` line. */
#ifndef OPTISCOPE_CHECK_H
#define OPTISCOPE_CHECK_H

#include <stdio.h>

extern int check_passed, check_failed;

#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        if (cond) {                                                             \
            check_passed++;                                                     \
        } else {                                                                \
            check_failed++;                                                     \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);               \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
        }                                                                       \
    } while (0)

#endif
