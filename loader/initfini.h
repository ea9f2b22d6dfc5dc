// Calling an object's initializers and finalizers (registry.cpp decides
// when, and in which order).
#pragma once

#include "module.h"

namespace staticdl {

// DT_INIT, then DT_INIT_ARRAY in order, each with glibc's (argc, argv,
// envp): the program's arguments (set_init_args(), registry.h) and the
// environment as it is at the call. Entries outside the code are skipped.
void call_initializers(const Module& m);

// DT_FINI_ARRAY in reverse, then DT_FINI.
void call_finalizers(const Module& m);

}  // namespace staticdl
