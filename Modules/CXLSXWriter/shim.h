#ifndef BESKPLAN_CXLSXWRITER_SHIM_H
#define BESKPLAN_CXLSXWRITER_SHIM_H

/* libxlsxwriter (Debian's libxlsxwriter-dev): spreadsheets are written by it, never by hand. */
#include <xlsxwriter.h>

#endif
