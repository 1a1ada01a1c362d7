#ifndef POLICYD_CJANSSON_SHIM_H
#define POLICYD_CJANSSON_SHIM_H

#include <jansson.h>

// jansson's reference counting is an inline function that Swift does not import reliably; this
// wrapper gives Swift one plain function. (jansson only words why a policy file is refused: its
// values are never read, so no type test or iterator is needed.)
static inline void cjansson_decref(json_t *value) { json_decref(value); }

#endif
