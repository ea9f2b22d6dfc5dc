// Hybrid mode: the CPU's glibc-hwcaps subdirectories (hybrid_hwcaps.cpp),
// for the system scope's hwcaps hook (loader/host.h).
#pragma once

#include "hwcaps.h"

namespace staticdl {

const Hwcaps* sys_hwcaps();

}  // namespace staticdl
