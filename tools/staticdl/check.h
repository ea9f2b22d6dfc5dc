// The `staticdl check` command.
#pragma once

namespace sdtool {

// staticdl check --host HOST PLUGIN... [--json] [-L DIR]... [--libc FILE]
// Exit 0: every plugin loads; 1: some will not; 2: usage.
int cmd_check(int argc, char** argv);

}  // namespace sdtool
