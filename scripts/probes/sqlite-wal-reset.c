/* Does the linked SQLite have the WAL-reset race (https://sqlite.org/wal.html#walresetbug)?
 *
 * The race: a checkpoint completes, so the log is wholly copied back; another checkpoint then
 * starts on a second connection while a third connection commits, and that commit rewinds the
 * log. The second checkpoint can miss the rewind and record a wrong count of copied frames; a
 * later checkpoint then skips frames, and committed rows are lost or the file is malformed.
 * Fixed in SQLite 3.51.3 (backports 3.50.7, 3.44.6). traingate's checkpointer never starts a
 * checkpoint on a log its previous round left wholly copied until a commit has been seen
 * (docs/operations.md, "Readers next to a live server"); this probe shows why that matters.
 *
 *   cc -O2 -o probe scripts/probes/sqlite-wal-reset.c -lsqlite3 -lpthread
 *   ./probe /dev/shm/x.db [ROUNDS] [gated]
 * With `gated`, the racing checkpoint waits, as traingate's does, until `PRAGMA data_version`
 * shows a commit since the whole copy, then starts while the writer goes on committing.
 * Exit 0: no loss seen in ROUNDS rounds; 1: rows lost or the database malformed.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sqlite3 *committer;
static atomic_int stop_writing;
static atomic_long acknowledged;

static void must(int rc, sqlite3 *db, const char *what) {
  if (rc != SQLITE_OK) {
    fprintf(stderr, "%s: %s\n", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    exit(2);
  }
}

/* The query's one integer, or -1 with SQLite's error printed. */
static long scalar(sqlite3 *db, const char *query) {
  sqlite3_stmt *statement;
  long value = -1;
  if (sqlite3_prepare_v2(db, query, -1, &statement, 0) == SQLITE_OK && sqlite3_step(statement) == SQLITE_ROW)
    value = (long)sqlite3_column_int64(statement, 0);
  else
    printf("%s: SQLite error %d: %s\n", query, sqlite3_extended_errcode(db), sqlite3_errmsg(db));
  sqlite3_finalize(statement);
  return value;
}

static void *commit_rows(void *unused) {
  (void)unused;
  while (!atomic_load(&stop_writing)) {
    if (sqlite3_exec(committer, "INSERT INTO acknowledged DEFAULT VALUES", 0, 0, 0) == SQLITE_OK)
      atomic_fetch_add(&acknowledged, 1);
  }
  return 0;
}

static sqlite3 *connect(const char *path) {
  sqlite3 *db;
  must(sqlite3_open(path, &db), 0, "open");
  sqlite3_busy_timeout(db, 2000);
  return db;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s DATABASE [ROUNDS]\n", argv[0]);
    return 2;
  }
  const char *path = argv[1];
  int rounds = argc > 2 ? atoi(argv[2]) : 300;
  int gated = argc > 3 && strcmp(argv[3], "gated") == 0;
  char sidecar[4096];
  unlink(path);
  snprintf(sidecar, sizeof sidecar, "%s-wal", path), unlink(sidecar);
  snprintf(sidecar, sizeof sidecar, "%s-shm", path), unlink(sidecar);
  printf("sqlite %s\n", sqlite3_libversion());

  /* A large file read through a large memory map makes a checkpoint's start slow, which
   * widens the window the race needs. */
  sqlite3 *late = connect(path);
  must(sqlite3_exec(late,
                    "PRAGMA journal_mode=WAL; PRAGMA mmap_size=1073741824;"
                    "CREATE TABLE filler(id INTEGER PRIMARY KEY, bytes BLOB);"
                    "CREATE TABLE acknowledged(id INTEGER PRIMARY KEY);"
                    "WITH RECURSIVE n(i) AS (VALUES(1) UNION ALL SELECT i + 1 FROM n WHERE i < 60000)"
                    " INSERT INTO filler SELECT i, randomblob(3900) FROM n;",
                    0, 0, 0),
       late, "fill");
  must(sqlite3_wal_checkpoint_v2(late, "main", SQLITE_CHECKPOINT_TRUNCATE, 0, 0), late, "first checkpoint");
  sqlite3 *early = connect(path);
  sqlite3 *watcher = connect(path);
  committer = connect(path);

  int failed = 0, round;
  for (round = 1; round <= rounds && !failed; round++) {
    if (scalar(late, "SELECT count(bytes) FROM filler") != 60000) { failed = 1; break; }
    must(sqlite3_exec(early, "UPDATE filler SET bytes = randomblob(3900) WHERE id <= 16", 0, 0, 0), early, "update");
    int logged = -1, copied = -2;
    must(sqlite3_wal_checkpoint_v2(early, "main", SQLITE_CHECKPOINT_PASSIVE, &logged, &copied), early, "checkpoint");
    if (logged != copied) continue; /* the race needs a wholly copied log */
    /* Watched from a connection of its own, so the racing one keeps its slow start. */
    long copiedAt = gated ? scalar(watcher, "PRAGMA data_version") : 0;
    atomic_store(&stop_writing, 0);
    pthread_t writer;
    pthread_create(&writer, 0, commit_rows, 0);
    while (gated && scalar(watcher, "PRAGMA data_version") == copiedAt) {} /* no start on a whole copy */
    sqlite3_wal_checkpoint_v2(late, "main", SQLITE_CHECKPOINT_PASSIVE, 0, 0); /* races the rewind */
    atomic_store(&stop_writing, 1);
    pthread_join(writer, 0);
    long seen = scalar(early, "SELECT count(*) FROM acknowledged");
    if (seen != atomic_load(&acknowledged)) {
      printf("round %d: %ld rows acknowledged, %ld readable\n", round, atomic_load(&acknowledged), seen);
      failed = 1;
    }
  }
  sqlite3_wal_checkpoint_v2(early, "main", SQLITE_CHECKPOINT_TRUNCATE, 0, 0);
  long kept = scalar(early, "SELECT count(*) FROM acknowledged");
  long check = scalar(early, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'");
  printf("%s: %d rounds; %ld rows acknowledged, %ld kept; integrity %s\n", gated ? "gated" : "ungated", round - 1, atomic_load(&acknowledged), kept,
         check == 0 ? "ok" : "FAILED");
  sqlite3_close(committer), sqlite3_close(watcher), sqlite3_close(early), sqlite3_close(late);
  return failed || kept != atomic_load(&acknowledged) || check != 0 ? 1 : 0;
}
