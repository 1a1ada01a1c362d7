#ifndef POLICYD_CJANSSON_SHIM_H
#define POLICYD_CJANSSON_SHIM_H

#include <jansson.h>

// jansson's type tests and its reference counting are macros or inline functions that Swift
// does not import reliably; these wrappers give Swift one plain function for each.
static inline int cjansson_is_object(const json_t *value) { return json_is_object(value); }
static inline int cjansson_is_array(const json_t *value) { return json_is_array(value); }
static inline int cjansson_is_string(const json_t *value) { return json_is_string(value); }
static inline int cjansson_is_integer(const json_t *value) { return json_is_integer(value); }
static inline int cjansson_is_real(const json_t *value) { return json_is_real(value); }
static inline int cjansson_is_boolean(const json_t *value) { return json_is_boolean(value); }
static inline int cjansson_is_true(const json_t *value) { return json_is_true(value); }
static inline int cjansson_is_null(const json_t *value) { return json_is_null(value); }
static inline void cjansson_decref(json_t *value) { json_decref(value); }

// json_object_foreach is a macro; an iterator pair is what Swift can call.
static inline void *cjansson_object_iter(json_t *object) { return json_object_iter(object); }
static inline void *cjansson_object_iter_next(json_t *object, void *iter) { return json_object_iter_next(object, iter); }
static inline const char *cjansson_object_iter_key(void *iter) { return json_object_iter_key(iter); }
static inline size_t cjansson_object_iter_key_len(void *iter) { return json_object_iter_key_len(iter); }
static inline json_t *cjansson_object_iter_value(void *iter) { return json_object_iter_value(iter); }

#endif
