#include "expected.h"

#include <stdio.h>
#include <string.h>

namespace staticdl {

Error Error::vmake(Errc code, const char* fmt, va_list ap) {
  Error e;
  e.code_ = code;
  vsnprintf(e.msg_, kMax, fmt, ap);
  return e;
}

Error Error::make(Errc code, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Error e = vmake(code, fmt, ap);
  va_end(ap);
  return e;
}

Error fail(Errc code, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Error e = Error::vmake(code, fmt, ap);
  va_end(ap);
  return e;
}

Error& Error::prefix(const char* what) {
  char tmp[kMax];
  snprintf(tmp, kMax, "%s: %s", what, msg_);
  memcpy(msg_, tmp, kMax);
  return *this;
}

}  // namespace staticdl
