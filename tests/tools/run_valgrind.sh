#!/bin/sh
# run_valgrind.sh <program> <args>...
# Runs a test program under valgrind's memcheck: any error, or any
# definitely, indirectly or possibly lost block, fails (exit 1). Exit 77
# (CTest SKIP_RETURN_CODE) when valgrind is not installed. No suppressions
# are needed: the false positives a static musl host would give are
# avoided in tests/tools/valgrind_malloc.c.
if ! command -v valgrind >/dev/null 2>&1; then
  echo "SKIP: valgrind is not installed"
  exit 77
fi
exec valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
  --show-leak-kinds=definite,indirect,possible "$@"
