/* Text for the manual page: strings from the option and key tables written as roff, so
 * the page is generated from the same rows as --help and --keys. */
#ifndef OPTISCOPE_ROFF_H
#define OPTISCOPE_ROFF_H

#include <stdio.h>

/* Writes s as roff body text: backslashes and hyphens escaped, a leading dot or quote made
 * harmless, every non-ASCII character as \[uXXXX] (so the page renders the same in any
 * locale), and Markdown's backticks dropped. */
void roff_text(FILE *out, const char *s);

#endif
