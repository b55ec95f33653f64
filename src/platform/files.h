/* File helpers for the shell: whole-file reads and early checks of output paths. */
#ifndef OPTISCOPE_FILES_H
#define OPTISCOPE_FILES_H

#include <stddef.h>

#define FILES_MAX_SCENE (1 << 20)
#define FILES_MAX_DATA (64L << 20) /* a million rows of two numbers with room to spare */

/* Reads a text file (at most 1 MiB, no NUL bytes) into a malloc'd string; a folder reads as
 * a deck of its *.scene files (CONFIG_DECK_HEADER, then their paths sorted by name). */
int files_read(const char *path, char **text, char *err, size_t errlen);
/* The same for another kind of text file, named `what` in messages; a folder is an error. */
int files_read_as(const char *what, const char *path, char **text, char *err, size_t errlen);
/* A data file (linreg, logreg), at most FILES_MAX_DATA bytes. */
int files_read_data(const char *path, char **text, char *err, size_t errlen);
/* Checks that `path` can be written the way output.c writes it: an existing file opened
 * for writing (nothing is written), a temporary file made and removed beside it. */
int files_check_writable(const char *what, const char *path, char *err, size_t errlen);

#endif
