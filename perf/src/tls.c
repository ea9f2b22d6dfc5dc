/* TLS access plugin (perf case 4). Built -O2 twice from this source:
 * -mtls-dialect=gnu (general dynamic: every access calls __tls_get_addr)
 * and -mtls-dialect=gnu2 (TLS descriptors: `call *tls_counter@TLSCALL`).
 * tls_counter has default visibility, so the compiler cannot use the
 * local-dynamic model, and bump_tls() is out of line so every iteration
 * computes the address afresh (a compiler hoists a TLS address out of a
 * loop in one function). plain_loop() is the same loop on an ordinary
 * variable: the call overhead both share. perf/run.sh checks the
 * disassembly. */
__thread long tls_counter;
static long plain_counter;

__attribute__((noinline)) static void bump_tls(void) {
  tls_counter++;
  __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void bump_plain(void) {
  plain_counter++;
  __asm__ volatile("" ::: "memory");
}

long tls_loop(long n) {
  for (long i = 0; i < n; i++) bump_tls();
  return tls_counter;
}

long plain_loop(long n) {
  for (long i = 0; i < n; i++) bump_plain();
  return plain_counter;
}
