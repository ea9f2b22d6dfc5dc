// Key functions of the shared types, defined once, in the host.
#include <stdio.h>

#include "shared.h"

const char* HostError::what() const noexcept { return "HostError"; }
Shape::~Shape() {}
Guard::~Guard() { printf("  unwind: ~Guard(%s)\n", name); }
