/* A plugin with a DT_NEEDED dependency: libchainhelper.so lives in deps/
 * next to this file and is found through DT_RUNPATH $ORIGIN/deps. */
int helper_scale(int x); /* from libchainhelper.so */
const char *helper_name(void);

int chain_compute(int x) { return helper_scale(x) + 1; }
const char *chain_via(void) { return helper_name(); }
