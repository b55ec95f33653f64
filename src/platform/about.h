/* What optiscope says about itself: --version and the manual page. */
#ifndef OPTISCOPE_ABOUT_H
#define OPTISCOPE_ABOUT_H

#include <stdio.h>

/* The version, and those of the libraries linked in. */
void about_version(FILE *out);
/* The manual page, optiscope(1), in roff: its OPTIONS and KEYS come from the option and
 * key tables that --help and --keys print. */
void about_man(FILE *out);

#endif
