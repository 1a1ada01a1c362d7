#ifndef POLICYD_LIBFUZZER_DRIVER_H
#define POLICYD_LIBFUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

// libFuzzer's entry for programs that have a main of their own (clang's FuzzerInterface.h).
// SwiftPM links every Swift executable with `--defsym main=<module>_main`, so libFuzzer's own
// main is never linked in; each target's @main calls this instead. Defined by
// libclang_rt.fuzzer, which `-sanitize=fuzzer` links.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
