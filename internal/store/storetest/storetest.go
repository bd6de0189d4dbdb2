// Package storetest opens real stores for tests: SQLite in a temporary directory, and
// PostgreSQL in a schema of its own in the database SHOUHOU_TEST_POSTGRES names.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

// SQLite opens a fresh embedded store that is closed when the test ends.
func SQLite(t testing.TB) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "shouhou.db"), sqlstore.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Postgres opens a store in a fresh schema of the test database, dropped when the
// test ends. Without SHOUHOU_TEST_POSTGRES the test is skipped, or fails when
// SHOUHOU_REQUIRE_POSTGRES=1 (as in CI).
func Postgres(t testing.TB) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.OpenPostgres(context.Background(), PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresDSN makes a fresh schema in the test database, dropped when the test
// ends, and returns a connection string that uses it (skipping like Postgres).
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("SHOUHOU_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("SHOUHOU_REQUIRE_POSTGRES") == "1" {
			t.Fatal("SHOUHOU_TEST_POSTGRES is not set but SHOUHOU_REQUIRE_POSTGRES=1")
		}
		t.Skip("SHOUHOU_TEST_POSTGRES not set")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	// pg_trgm (the search index) lives once per database: made here in public, a test
	// schema's migration finds it instead of creating it in a schema dropped with the
	// test. A concurrent test creating it at the same moment is the only error.
	admin.Exec("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", dsn); err == nil {
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}
