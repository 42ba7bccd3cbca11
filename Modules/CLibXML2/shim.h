#ifndef BESKPLAN_CLIBXML2_SHIM_H
#define BESKPLAN_CLIBXML2_SHIM_H

/* Debian builds libxml2 with ICU, whose headers clash with the ICU copy inside Swift's
   Foundation. beskplan never touches libxml2's encoding handlers, so hide the ICU parts. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlstring.h>

#include <locale.h>
#include <stdlib.h>

/* `xmlFree` is a global mutable function pointer in libxml2's headers, which Swift 6 refuses to
   touch from concurrent code; calling it through a function keeps the Swift side clean. */
static inline void beskplan_xml_free(void *pointer) { xmlFree(pointer); }

/* glibc's strtod_l is a GNU extension the Swift Glibc module does not declare. */
double strtod_l(const char *text, char **end, locale_t locale);

/* memmem is a GNU extension too (used to find record boundaries in large documents). */
void *memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

/* strtod in the C locale: a decimal point whatever the process locale is. */
static inline double beskplan_strtod_c(const char *text, char **end) {
    static locale_t c_locale = (locale_t)0;
    if (c_locale == (locale_t)0) c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    return strtod_l(text, end, c_locale);
}

#endif
