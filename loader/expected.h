// Error values for the loader.
//
// Nothing inside loader/ throws, aborts, longjmps or prints an error: every
// fallible function returns an Expected<T> (or a Status), and the message is
// turned into dlerror() text only at the dlfcn boundary (runtime/dlfcn.cpp).
// The library is built without exceptions and without the C++ runtime, so
// that a C host needs nothing beyond libc to link it.
//
// An Error carries its formatted message inline (no allocation, so it can
// report an allocation failure) in glibc's style:
//     "libfoo.so: undefined symbol: bar"
//     "libfoo.so: ELF file's phentsize not the expected size"
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <new>
#include <utility>

namespace staticdl {

enum class Errc {
  None = 0,
  NotFound,       // file or symbol not found
  BadElf,         // malformed or unsupported input
  Unsupported,    // valid ELF we refuse (COPY, TEXTREL, W+X, ...)
  Undefined,      // unresolved symbol
  NoMemory,       // malloc/mmap failed
  Io,             // open/read/stat failed
  NoLoad,         // RTLD_NOLOAD and not loaded
  BadHandle,      // dlclose/dlsym on a handle we do not know
  Invalid,        // an invalid argument (EINVAL: a dlmopen namespace)
};

class Error {
 public:
  static constexpr size_t kMax = 512;
  Error() { msg_[0] = 0; }
  // printf-style; the text is truncated to kMax-1 bytes.
  static Error make(Errc code, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  static Error vmake(Errc code, const char* fmt, va_list ap);
  // Prefix "<what>: " to an existing message (used to add the file name
  // when an error crosses from a helper that did not know it).
  Error& prefix(const char* what);
  Errc code() const { return code_; }
  const char* message() const { return msg_; }

 private:
  Errc code_ = Errc::None;
  char msg_[kMax];  // only msg_[0] is set by default: Status::ok() stays cheap
};

// Shorthand used throughout loader/: return fail(Errc::BadElf, "%s: ...", name);
Error fail(Errc code, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// Expected<T>: a T or an Error. T must be movable; the storage is a tagged
// union so that an Error (512 bytes) does not sit beside every value.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T v) : ok_(true) { new (&val_) T(std::move(v)); }
  Expected(Error e) : ok_(false) { new (&err_) Error(e); }
  Expected(Expected&& o) : ok_(o.ok_) {
    if (ok_) new (&val_) T(std::move(o.val_));
    else new (&err_) Error(o.err_);
  }
  Expected(const Expected&) = delete;
  Expected& operator=(const Expected&) = delete;
  ~Expected() {
    if (ok_) val_.~T();
    else err_.~Error();
  }
  explicit operator bool() const { return ok_; }
  T& operator*() { return val_; }
  T* operator->() { return &val_; }
  T take() { return std::move(val_); }
  const Error& error() const { return err_; }
  Error& error() { return err_; }

 private:
  bool ok_;
  union {
    T val_;
    Error err_;
  };
};

// Status: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() : ok_(true) {}
  Status(Error e) : ok_(false), err_(e) {}
  static Status ok() { return Status(); }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return err_; }
  Error& error() { return err_; }

 private:
  bool ok_;
  Error err_;
};

#define STATICDL_TRY(expr)               \
  do {                                   \
    ::staticdl::Status st_ = (expr);     \
    if (!st_) return st_.error();        \
  } while (0)

}  // namespace staticdl
