/* The static TLS reserve: initial-exec TLS of plugins is carved out of it.
 *
 * It is initialised thread-local data (.tdata), so it is part of the TLS
 * template that musl copies into every new thread, and staticdl installs
 * a module's image in the template as well as in live threads (see
 * loader/tls.h). The first 64 bytes are a marker by which the loader finds
 * the array inside the template; the rest is handed out.
 *
 * This file is an archive member of libstaticdl.a with the default size.
 * A host that needs another size compiles its own copy with
 * -DSTATICDL_TLS_RESERVE=<bytes> (staticdl_add_host(... TLS_RESERVE n) does that),
 * and the linker then never pulls this one in.
 */
#ifndef STATICDL_TLS_RESERVE
#define STATICDL_TLS_RESERVE 16384
#endif

#define STATICDL_RESERVE_BYTES (64 + (STATICDL_TLS_RESERVE))

__attribute__((aligned(64), used, tls_model("initial-exec"))) __thread unsigned char
    staticdl_tls_reserve[STATICDL_RESERVE_BYTES] = {'s', 't', 'a', 't', 'i', 'c', 'd', 'l',
                                                    '-', 't', 'l', 's', '-', 'r', 's', 'v'};
const unsigned long staticdl_tls_reserve_size = STATICDL_RESERVE_BYTES;
