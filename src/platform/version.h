/* The program's version, in one place: --version, the manual page, the Makefile's install
 * and the Debian package all read it from here. */
#ifndef OPTISCOPE_VERSION_H
#define OPTISCOPE_VERSION_H

#define OPTISCOPE_VERSION "0.2.0"

#endif
