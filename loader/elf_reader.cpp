#include "elf_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>

#include "arch.h"
#include "fault.h"
#include "range.h"
#include "zstd_input.h"

namespace staticdl {

static constexpr uint16_t kMaxPhnum = 4096;

Status Input::read(const char* name, void* dst, uint64_t off, uint64_t n) const {
  if (zstd) return zstd->read(name, dst, off, n);
  if (!range_within(off, n, size))
    return fail(Errc::BadElf, "%s: file too short", name);
  if (mem || off + n <= head_len) {
    memcpy(dst, (mem ? mem : head) + off, n);
    return Status::ok();
  }
  uint8_t* p = static_cast<uint8_t*>(dst);
  while (n) {
    ssize_t r = sd_pread(fd, p, n, static_cast<off_t>(off));
    if (r < 0) return fail(Errc::Io, "%s: error reading file data: %s", name, strerror(errno));
    if (r == 0) return fail(Errc::BadElf, "%s: file too short", name);
    p += r, off += static_cast<uint64_t>(r), n -= static_cast<uint64_t>(r);
  }
  return Status::ok();
}

// A character or block device: glibc reads its first bytes as a file's
// (/dev/null: "file too short", /dev/zero: "invalid ELF header"); staticdl
// gives the same texts and never maps one.
static Error device_error(const char* name, int fd) {
  unsigned char head[sizeof(Elf64_Ehdr)];
  ssize_t r = sd_pread(fd, head, sizeof head, 0);
  if (r < 0) return fail(Errc::Io, "%s: cannot read file data: %s", name, strerror(errno));
  if (static_cast<size_t>(r) < sizeof head) return fail(Errc::BadElf, "%s: file too short", name);
  if (memcmp(head, ELFMAG, SELFMAG) != 0) return fail(Errc::BadElf, "%s: invalid ELF header", name);
  return fail(Errc::BadElf, "%s: cannot read file data: not a regular file", name);
}

static Expected<Input> input_from_open_fd(const char* name, int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0)
    return fail(Errc::Io, "%s: cannot stat shared object: %s", name, strerror(errno));
  // glibc's text for a directory (its read() fails with EISDIR) and for a
  // device; a FIFO or socket is refused, where glibc would block reading it.
  if (S_ISDIR(st.st_mode)) return fail(Errc::BadElf, "%s: cannot read file data: %s", name, strerror(EISDIR));
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return device_error(name, fd);
  if (!S_ISREG(st.st_mode)) return fail(Errc::BadElf, "%s: cannot read file data: not a regular file", name);
  Input in;
  in.fd = fd;
  in.size = static_cast<uint64_t>(st.st_size);
  in.dev = st.st_dev, in.ino = st.st_ino;
  in.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  in.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
  uint64_t want = in.size < sizeof in.head ? in.size : sizeof in.head;
  ssize_t r = sd_pread(fd, in.head, want, 0);  // a failed read is retried by Input::read
  in.head_len = r > 0 ? static_cast<uint32_t>(r) : 0;
  return in;
}

Expected<Input> open_path(const char* path, Fd* owner) {
  // O_NONBLOCK: a FIFO without a writer would block the open (and glibc);
  // it changes nothing for regular files, and anything else is refused.
  int fd = sd_open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    Errc code = (errno == ENOENT || errno == ENOTDIR) ? Errc::NotFound : Errc::Io;  // only those keep a search going
    return fail(code, "%s: cannot open shared object file: %s", path, strerror(errno));
  }
  *owner = Fd(fd);
  return input_from_open_fd(path, fd);
}

Expected<Input> input_from_fd(const char* name, int fd) { return input_from_open_fd(name, fd); }

Input input_from_memory(const void* data, size_t size) {
  Input in;
  in.mem = static_cast<const uint8_t*>(data);
  in.size = size;
  return in;
}

uint64_t runtime_page_size() {
  unsigned long p = getauxval(AT_PAGESZ);
  return (p && is_pow2(p)) ? p : 4096;
}

static const char* machine_name(unsigned m) {
  switch (m) {
    case EM_386: return "EM_386";
    case EM_ARM: return "EM_ARM";
    case EM_X86_64: return "EM_X86_64";
    case EM_AARCH64: return "EM_AARCH64";
    case EM_RISCV: return "EM_RISCV";
    case EM_PPC64: return "EM_PPC64";
    case EM_S390: return "EM_S390";
    default: return "EM_???";
  }
}

Status verify_elf_header(const char* name, const Elf64_Ehdr& eh) {
  if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) return fail(Errc::BadElf, "%s: invalid ELF header", name);
  if (eh.e_ident[EI_CLASS] != ELFCLASS64)
    return fail(Errc::BadElf, "%s: wrong ELF class: %s", name,
                eh.e_ident[EI_CLASS] == ELFCLASS32 ? "ELFCLASS32" : "ELFCLASSNONE");
  if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
    return fail(Errc::BadElf, "%s: ELF file data encoding not little-endian", name);
  if (eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT)
    return fail(Errc::BadElf, "%s: ELF file version does not match current one", name);
  if (eh.e_ident[EI_OSABI] != ELFOSABI_SYSV && eh.e_ident[EI_OSABI] != ELFOSABI_GNU)
    return fail(Errc::BadElf, "%s: ELF file OS ABI invalid", name);
  if (eh.e_type == ET_EXEC) return fail(Errc::BadElf, "%s: cannot dynamically load executable", name);
  if (eh.e_type != ET_DYN) return fail(Errc::BadElf, "%s: only ET_DYN and ET_EXEC can be loaded", name);
  if (eh.e_machine != Arch::kMachine)
    return fail(Errc::BadElf, "%s: is for %s (%u) instead of %s (%u)", name, machine_name(eh.e_machine),
                eh.e_machine, Arch::kMachineName, Arch::kMachine);
  if (eh.e_phentsize != sizeof(Elf64_Phdr))
    return fail(Errc::BadElf, "%s: ELF file's phentsize not the expected size", name);
  if (eh.e_phnum == 0 || eh.e_phnum > kMaxPhnum)
    return fail(Errc::BadElf, "%s: invalid program header count %u", name, eh.e_phnum);
  return Status::ok();
}

// One PT_LOAD: sizes, alignment, protections.
static Status verify_load(const char* name, const Elf64_Phdr& ph, size_t i, uint64_t page, uint64_t file_size) {
  if (ph.p_filesz > ph.p_memsz)
    return fail(Errc::BadElf, "%s: segment %zu has p_filesz 0x%lx > p_memsz 0x%lx", name, i,
                (unsigned long)ph.p_filesz, (unsigned long)ph.p_memsz);
  if (!range_within(ph.p_offset, ph.p_filesz, file_size))
    return fail(Errc::BadElf, "%s: segment %zu extends past the end of the file", name, i);
  uint64_t end;
  if (!add_ok(ph.p_vaddr, ph.p_memsz, &end) || !page_up(end, page, &end) || end > (1ull << 47))
    return fail(Errc::BadElf, "%s: segment %zu has an invalid size 0x%lx", name, i, (unsigned long)ph.p_memsz);
  if (ph.p_align > 1 && !is_pow2(ph.p_align))
    return fail(Errc::BadElf, "%s: segment %zu alignment 0x%lx is not a power of two", name, i,
                (unsigned long)ph.p_align);
  if (ph.p_align > 1 && (ph.p_vaddr - ph.p_offset) % ph.p_align != 0)
    return fail(Errc::BadElf, "%s: ELF load command address/offset not properly aligned", name);
  if (!(ph.p_flags & PF_R) && ph.p_memsz)
    return fail(Errc::Unsupported, "%s: segment %zu is not readable", name, i);
  if ((ph.p_flags & PF_W) && (ph.p_flags & PF_X))
    return fail(Errc::Unsupported, "%s: segment %zu is writable and executable (W+X refused)", name, i);
  return Status::ok();
}

// Sorted, non-overlapping PT_LOADs; records the span and the special phdrs.
static Status verify_layout(const char* name, ElfImage& img) {
  bool first = true;
  uint64_t prev_end = 0;
  img.align = img.page;
  for (size_t i = 0; i < img.phdrs.size(); i++) {
    const Elf64_Phdr& ph = img.phdrs[i];
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    if (!first && ph.p_vaddr < prev_end)
      return fail(Errc::BadElf, "%s: segment %zu overlaps the previous one or is out of order", name, i);
    if (first) img.min_vaddr = page_down(ph.p_vaddr, img.page);
    first = false;
    prev_end = ph.p_vaddr + ph.p_memsz;
    if (ph.p_align > img.align) img.align = ph.p_align;
  }
  if (first) return fail(Errc::BadElf, "%s: object has no loadable segments", name);
  if (img.align > (1ull << 30))
    return fail(Errc::BadElf, "%s: segment alignment 0x%lx is too large", name, (unsigned long)img.align);
  if (!page_up(prev_end, img.page, &img.max_vaddr))
    return fail(Errc::BadElf, "%s: invalid segment layout", name);
  return Status::ok();
}

static bool inside_load_file(const ElfImage& img, const Elf64_Phdr& ph) {
  for (const Elf64_Phdr& l : img.phdrs)
    if (l.p_type == PT_LOAD && (l.p_flags & PF_R) && range_contains(l.p_vaddr, l.p_filesz, ph.p_vaddr, ph.p_filesz))
      return true;
  return false;
}

Status verify_program_headers(const char* name, ElfImage& img, uint64_t file_size) {
  for (size_t i = 0; i < img.phdrs.size(); i++) {
    const Elf64_Phdr& ph = img.phdrs[i];
    switch (ph.p_type) {
      case PT_LOAD:
        STATICDL_TRY(verify_load(name, ph, i, img.page, file_size));
        break;
      case PT_DYNAMIC:
        if (img.dynamic >= 0) return fail(Errc::BadElf, "%s: more than one PT_DYNAMIC segment", name);
        img.dynamic = static_cast<int>(i);
        break;
      case PT_GNU_RELRO: img.relro = static_cast<int>(i); break;
      case PT_TLS:
        if (img.tls >= 0) return fail(Errc::BadElf, "%s: more than one PT_TLS segment", name);
        img.tls = static_cast<int>(i);
        break;
      case PT_GNU_EH_FRAME: img.eh_frame = static_cast<int>(i); break;
      case PT_GNU_STACK:
        if (ph.p_flags & PF_X)
          return fail(Errc::Unsupported, "%s: cannot enable executable stack as shared object requires", name);
        break;
      default: break;
    }
  }
  STATICDL_TRY(verify_layout(name, img));
  if (img.dynamic < 0) return fail(Errc::BadElf, "%s: object has no dynamic section", name);
  const Elf64_Phdr& dyn = img.phdrs[static_cast<size_t>(img.dynamic)];
  if (dyn.p_vaddr % alignof(Elf64_Dyn))
    return fail(Errc::BadElf, "%s: PT_DYNAMIC address 0x%lx is misaligned", name, (unsigned long)dyn.p_vaddr);
  if (dyn.p_filesz < sizeof(Elf64_Dyn) || !inside_load_file(img, dyn))
    return fail(Errc::BadElf, "%s: PT_DYNAMIC is not inside a loadable segment", name);
  return Status::ok();
}

Expected<ElfImage> read_elf(const char* name, const Input& in) {
  ElfImage img;
  img.page = runtime_page_size();
  if (in.size < sizeof(Elf64_Ehdr))
    return fail(Errc::BadElf, "%s: file too short", name);
  STATICDL_TRY(in.read(name, &img.ehdr, 0, sizeof img.ehdr));
  STATICDL_TRY(verify_elf_header(name, img.ehdr));
  const Elf64_Ehdr& eh = img.ehdr;
  if (!array_within(eh.e_phoff, eh.e_phnum, sizeof(Elf64_Phdr), in.size))
    return fail(Errc::BadElf, "%s: program headers extend past the end of the file", name);
  if (!img.phdrs.reserve(eh.e_phnum)) return fail(Errc::NoMemory, "%s: cannot allocate memory", name);
  for (uint16_t i = 0; i < eh.e_phnum; i++) (void)img.phdrs.push(Elf64_Phdr{});
  STATICDL_TRY(in.read(name, img.phdrs.begin(), eh.e_phoff, eh.e_phnum * sizeof(Elf64_Phdr)));
  STATICDL_TRY(verify_program_headers(name, img, in.size));
  return img;
}

}  // namespace staticdl
