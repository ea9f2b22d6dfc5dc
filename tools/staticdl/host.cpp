// Reads the static host: its exports (loader/host.cpp) and TLS reserve.
#include "host.h"

#include <vector>

namespace sdtool {

bool load_host(const std::string& path, Host* h, std::string* err) {
  h->obj = open_obj(path, err);
  if (!h->obj) return false;
  Obj& o = *h->obj;
  h->from_dynsym = o.has_dynsym;
  if (o.has_dynsym) {
    for (const Sym& s : o.dynsym)
      if (exportable(s)) h->exports.insert(s.name);
  } else {
    for (const Sym& s : o.symtab)
      if (exportable(s) || internalized(s)) h->exports.insert(s.name);
  }
  for (const std::vector<Sym>* t : {&o.symtab, &o.dynsym})
    for (const Sym& s : *t) {
      if (s.shndx == SHN_UNDEF) continue;
      if (s.name == "staticdl_tls_reserve" && s.type == STT_TLS && !h->reserve_known) {
        h->reserve_known = true;
        h->reserve = s.size > 64 ? s.size - 64 : 0;
      }
      if (s.name == "staticdl_tls_reserve" || s.name == "staticdl_version" || s.name == "staticdl_open_fd")
        h->has_staticdl = true;
    }
  return true;
}

}  // namespace sdtool
