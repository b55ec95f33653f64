/* A strict JSON validator (RFC 8259) for the tests and fuzz targets that check the state
 * dump: one value, then only white space; strings valid UTF-8 without raw control
 * characters; numbers in JSON's own syntax. */
#ifndef OPTISCOPE_TEST_JSON_H
#define OPTISCOPE_TEST_JSON_H

#include <stddef.h>

/* 0 when text[0..len) is one valid JSON document; else -1 and the offset of the error. */
int json_validate(const char *text, size_t len, size_t *where);

#endif
