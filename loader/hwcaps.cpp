#include "hwcaps.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "containers.h"

namespace staticdl {

namespace {

struct KnownDir {
  OwnedStr dir;
  bool exists;
};

Vec<KnownDir>& known_dirs() {
  static Vec<KnownDir> dirs;  // guarded by the loader lock
  return dirs;
}

}  // namespace

uint32_t hwcaps_priority(const Hwcaps& hw, const char* name, size_t len) {
  for (uint32_t i = 0; hw.subdirs && hw.subdirs[i]; i++)
    if (strlen(hw.subdirs[i]) == len && memcmp(hw.subdirs[i], name, len) == 0) return i + 1;
  return 0;
}

bool hwcaps_root_exists(const char* dir) {
  for (const KnownDir& k : known_dirs())
    if (!strcmp(k.dir.c_str(), dir)) return k.exists;
  char root[4096];
  struct stat st;
  int n = snprintf(root, sizeof root, "%s/glibc-hwcaps", dir);
  bool exists = n > 0 && static_cast<size_t>(n) < sizeof root && stat(root, &st) == 0 && S_ISDIR(st.st_mode);
  KnownDir k{OwnedStr(), exists};
  if (OwnedStr::make(dir, &k.dir)) (void)known_dirs().push(std::move(k));  // no memory: asked again next time
  return exists;
}

void hwcaps_forget_dirs() { known_dirs().clear(); }

}  // namespace staticdl
