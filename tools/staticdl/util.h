// Small helpers of the staticdl tool: paths, whole-file I/O, zstd frames,
// JSON string escaping; and the command line's name and usage (main.cpp).
#pragma once

#include <stddef.h>

#include <string>
#include <vector>

namespace sdtool {

extern const char* g_prog;  // the program name in messages

// Prints msg (if any) and the usage to stderr; returns 2 (main.cpp).
int usage(const char* msg);

std::string base_name(const std::string& p);
std::string dir_name(const std::string& p);
bool starts_with(const std::string& s, const char* p);
bool file_exists(const std::string& p);
std::string exe_dir();  // the directory of this executable ("" if unknown)

bool read_file(const std::string& path, std::vector<unsigned char>* out, std::string* err);
bool write_file_atomic(const std::string& path, const void* data, size_t size, std::string* err);

bool is_zstd(const std::vector<unsigned char>& d);
bool zstd_decompress(const std::vector<unsigned char>& in, std::vector<unsigned char>* out, std::string* err);

std::string json_str(const std::string& s);  // a quoted, escaped JSON string

}  // namespace sdtool
