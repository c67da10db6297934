#ifndef SYNAPTOP_SQLITE_SHIM_H
#define SYNAPTOP_SQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast of -1 to a function pointer, which does not import into Swift:
   bind text and blobs through these (SQLite copies the bytes before returning). */
static inline int syn_sqlite3_bind_text(sqlite3_stmt *s, int i, const char *text, int n) {
    return sqlite3_bind_text(s, i, text, n, SQLITE_TRANSIENT);
}
#endif
