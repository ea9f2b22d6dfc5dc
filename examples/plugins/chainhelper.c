/* The dependency of libchain.so; never dlopen()ed directly. */
static int factor = 10; /* data relocated with the library */

int helper_scale(int x) { return x * factor; }
const char *helper_name(void) { return "libchainhelper.so"; }
