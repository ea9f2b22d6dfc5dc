/* The system's libsqlite3.so.0 (with its libm) loaded by staticdl into a
 * host that does not link it: an in-memory database, a table, an aggregate
 * query whose rows come back through a host callback, a host function
 * called by SQL, an error message freed with sqlite3_free. */
#include "common.h"

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_context sqlite3_context;
typedef struct sqlite3_value sqlite3_value;
typedef int (*row_fn)(void*, int, char**, char**);
typedef void (*sql_fn)(sqlite3_context*, int, sqlite3_value**);

static int (*db_open)(const char*, sqlite3**);
static int (*db_exec)(sqlite3*, const char*, row_fn, void*, char**);
static int (*db_close)(sqlite3*);
static void (*db_free)(void*);
static int (*db_create_function)(sqlite3*, const char*, int, int, void*, sql_fn, void*, void*);
static long long (*value_int64)(sqlite3_value*);
static void (*result_int64)(sqlite3_context*, long long);

static int print_row(void* tag, int n, char** values, char** names) {
  printf("%s:", (const char*)tag);
  for (int i = 0; i < n; i++) printf(" %s=%s", names[i], values[i] ? values[i] : "NULL");
  printf("\n");
  return 0;
}

/* twice(x): a host function called from SQL running in the module. */
static void twice(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  (void)argc;
  result_int64(ctx, 2 * value_int64(argv[0]));
}

static int run(sqlite3* db, const char* sql, const char* tag) {
  char* err = NULL;
  int rc = db_exec(db, sql, print_row, (void*)tag, &err);
  if (rc != 0) {
    printf("%s: error %d: %s\n", tag, rc, err ? err : "(no message)");
    db_free(err); /* allocated by sqlite3_malloc: the process's malloc */
  }
  return rc;
}

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  void* h = open_or_die(NULL, "libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);
#ifdef STATICDL_HYBRID_TEST
  if (system_has("libsqlite3.so.0")) {
    printf("FAIL: the system loader has libsqlite3.so.0\n");
    return 1;
  }
#endif
  *(void**)&db_open = sym_or_die(h, "sqlite3_open");
  *(void**)&db_exec = sym_or_die(h, "sqlite3_exec");
  *(void**)&db_close = sym_or_die(h, "sqlite3_close");
  *(void**)&db_free = sym_or_die(h, "sqlite3_free");
  *(void**)&db_create_function = sym_or_die(h, "sqlite3_create_function");
  *(void**)&value_int64 = sym_or_die(h, "sqlite3_value_int64");
  *(void**)&result_int64 = sym_or_die(h, "sqlite3_result_int64");

  sqlite3* db = NULL;
  if (db_open(":memory:", &db) != 0) return 1;
  /* SQLITE_UTF8 = 1 */
  if (db_create_function(db, "twice", 1, 1, NULL, twice, NULL, NULL) != 0) return 1;
  int rc = run(db,
               "CREATE TABLE fruit(name TEXT, qty INTEGER, price REAL);"
               "INSERT INTO fruit VALUES('apple', 3, 0.5), ('pear', 2, 0.75),"
               " ('apple', 4, 0.5), ('plum', 10, 0.2), ('pear', 1, 0.8);",
               "create");
  rc |= run(db,
            "SELECT name, count(*) AS n, sum(qty) AS total, twice(sum(qty)) AS doubled,"
            " printf('%.2f', sum(qty * price)) AS value FROM fruit GROUP BY name ORDER BY name;",
            "row");
  rc |= run(db, "SELECT sqrt(16.0) AS root, round(avg(price), 3) AS avg_price FROM fruit;", "math");
  run(db, "SELECT * FROM no_such_table;", "missing");
  printf("close: %d\n", db_close(db));
  printf("dlclose: %d\n", DL_CLOSE(h));
  return rc != 0;
}
