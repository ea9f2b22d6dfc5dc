// staticdl cache list|prune DIR [--all]: a relocation cache directory's
// entries, and the removal of those no load can use (cache.cpp).
#pragma once

namespace sdtool {

int cmd_cache(int argc, char** argv);  // argv: what follows "cache"

}  // namespace sdtool
