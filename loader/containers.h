// Minimal containers and RAII owners for the loader.
//
// The loader avoids libc++ (no exceptions, no operator new, no std::string)
// so that libstaticdl.a links into a plain C host with nothing but libc.
// Every allocation can fail, and failure is reported, never thrown:
// Vec::push returns false, the caller turns that into Errc::NoMemory.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <new>
#include <utility>

#include "fault.h"

namespace staticdl {

// Growable array of T. T is moved with its move constructor.
template <typename T>
class Vec {
 public:
  Vec() = default;
  Vec(const Vec&) = delete;
  Vec& operator=(const Vec&) = delete;
  Vec(Vec&& o) : data_(o.data_), size_(o.size_), cap_(o.cap_) { o.data_ = nullptr, o.size_ = o.cap_ = 0; }
  Vec& operator=(Vec&& o) {
    if (this != &o) {
      clear_and_free();
      data_ = o.data_, size_ = o.size_, cap_ = o.cap_;
      o.data_ = nullptr, o.size_ = o.cap_ = 0;
    }
    return *this;
  }
  ~Vec() { clear_and_free(); }

  [[nodiscard]] bool reserve(size_t n) {
    if (n <= cap_) return true;
    if (n > SIZE_MAX / sizeof(T)) return false;
    T* nd = static_cast<T*>(sd_malloc(n * sizeof(T)));
    if (!nd) return false;
    for (size_t i = 0; i < size_; i++) {
      new (&nd[i]) T(std::move(data_[i]));
      data_[i].~T();
    }
    free(data_);
    data_ = nd, cap_ = n;
    return true;
  }
  [[nodiscard]] bool push(T v) {
    if (size_ == cap_ && !reserve(cap_ ? cap_ * 2 : 8)) return false;
    new (&data_[size_++]) T(std::move(v));
    return true;
  }
  void pop() { data_[--size_].~T(); }
  // Inserts v before element i (i <= size()).
  [[nodiscard]] bool insert_at(size_t i, T v) {
    if (!push(std::move(v))) return false;
    for (size_t j = size_ - 1; j > i; j--) std::swap(data_[j], data_[j - 1]);
    return true;
  }
  // Index of the first element equal to v, or size().
  size_t index_of(const T& v) const {
    size_t i = 0;
    while (i < size_ && !(data_[i] == v)) i++;
    return i;
  }
  void erase_at(size_t i) {
    for (size_t j = i; j + 1 < size_; j++) data_[j] = std::move(data_[j + 1]);
    pop();
  }
  // Remove the first element equal to v; returns whether one was found.
  bool remove(const T& v) {
    for (size_t i = 0; i < size_; i++)
      if (data_[i] == v) return erase_at(i), true;
    return false;
  }
  bool contains(const T& v) const { return index_of(v) != size_; }
  void clear() {
    while (size_) pop();
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T& back() { return data_[size_ - 1]; }

 private:
  void clear_and_free() {
    clear();
    free(data_);
    data_ = nullptr, cap_ = 0;
  }
  T* data_ = nullptr;
  size_t size_ = 0, cap_ = 0;
};

// An owned, zeroed heap array whose length its owner keeps track of:
// 8 bytes where a Vec takes 24.
template <typename T>
class HeapArray {
 public:
  HeapArray() = default;
  HeapArray(const HeapArray&) = delete;
  HeapArray& operator=(const HeapArray&) = delete;
  ~HeapArray() { free(p_); }
  [[nodiscard]] bool make(size_t n) {
    free(p_);
    return (p_ = static_cast<T*>(sd_calloc(n, sizeof(T)))) != nullptr;
  }
  explicit operator bool() const { return p_ != nullptr; }
  T& operator[](size_t i) { return p_[i]; }
  const T& operator[](size_t i) const { return p_[i]; }

 private:
  T* p_ = nullptr;
};

// Owned NUL-terminated heap string.
class OwnedStr {
 public:
  OwnedStr() = default;
  static bool make(const char* s, size_t n, OwnedStr* out) {
    char* p = static_cast<char*>(sd_malloc(n + 1));
    if (!p) return false;
    memcpy(p, s, n);
    p[n] = 0;
    free(out->p_);
    out->p_ = p;
    return true;
  }
  static bool make(const char* s, OwnedStr* out) { return make(s, strlen(s), out); }
  OwnedStr(const OwnedStr&) = delete;
  OwnedStr& operator=(const OwnedStr&) = delete;
  OwnedStr(OwnedStr&& o) : p_(o.p_) { o.p_ = nullptr; }
  OwnedStr& operator=(OwnedStr&& o) {
    std::swap(p_, o.p_);
    return *this;
  }
  ~OwnedStr() { free(p_); }
  const char* c_str() const { return p_ ? p_ : ""; }
  bool empty() const { return !p_ || !*p_; }

 private:
  char* p_ = nullptr;
};

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) {
    std::swap(fd_, o.fd_);
    return *this;
  }
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_ = -1;
};

// An owned address range from mmap.
class Mapping {
 public:
  Mapping() = default;
  Mapping(void* p, size_t n) : p_(static_cast<uint8_t*>(p)), n_(n) {}
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  Mapping(Mapping&& o) : p_(o.p_), n_(o.n_) { o.p_ = nullptr, o.n_ = 0; }
  Mapping& operator=(Mapping&& o) {
    std::swap(p_, o.p_), std::swap(n_, o.n_);
    return *this;
  }
  ~Mapping() {
    if (p_) munmap(p_, n_);
  }
  uint8_t* data() const { return p_; }
  size_t size() const { return n_; }
  void release() { p_ = nullptr, n_ = 0; }

 private:
  uint8_t* p_ = nullptr;
  size_t n_ = 0;
};

}  // namespace staticdl
