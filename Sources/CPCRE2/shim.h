#ifndef POLICYD_CPCRE2_SHIM_H
#define POLICYD_CPCRE2_SHIM_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// PCRE2_ZERO_TERMINATED and PCRE2_UNSET are casts of ~0 that Swift does not import as constants.
static inline size_t cpcre2_unset(void) { return PCRE2_UNSET; }

#endif
