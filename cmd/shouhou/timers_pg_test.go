package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

// pgSchema makes a fresh schema in SHOUHOU_TEST_POSTGRES and returns a connection
// string that uses it; the schema is dropped when the test ends.
func pgSchema(t *testing.T) (string, *sql.DB) {
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
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	// The search index's pg_trgm, once per database in public (as storetest does), so
	// no test schema owns it and drops it with itself.
	admin.Exec("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema, admin
}

// TestTwoServersOnOnePostgresFireEachTimerOnce schedules 1,000 timers (250 level-1
// cases, four SLA timers each) that are all overdue, then starts two real `shouhou
// serve` processes on the same database at once: between them every timer fires, and
// none twice — counted in the event log.
func TestTwoServersOnOnePostgresFireEachTimerOnce(t *testing.T) {
	dsn, db := pgSchema(t)
	ctx := context.Background()
	st, err := sqlstore.OpenPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	// Schedule a week in the past, so that everything is due when the servers start.
	past := clock.NewSource(nil, -7*24*time.Hour)
	d := desk.New(desk.Opts{Store: st, SLA: clock.DefaultSLA(), Now: past.Now,
		Timing: config.Default().Timers})
	agent := desk.Actor{Name: "xiaomei", Role: store.RoleAgent}
	for i := range 250 {
		in := cases.Intake{CustomerName: "顾客", Platform: cases.PlatformTaobao, OrderNo: fmt.Sprintf("TB%06d", i),
			Amount: money.Yuan(50), Type: cases.TypeDamaged, Description: "破损", Emotion: cases.EmotionCalm, Level: 1}
		if _, _, err := d.Create(ctx, agent, desk.NewCase{Intake: in}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	var scheduled int
	db.QueryRow(`SELECT count(*) FROM ` + schemaOf(dsn) + `.case_timers`).Scan(&scheduled)
	if scheduled != 1000 {
		t.Fatalf("scheduled %d timers, want 1000", scheduled)
	}

	bin := buildBinary(t)
	cfgFile := filepath.Join(t.TempDir(), "shouhou.yaml")
	// Small batches make the two processes interleave on the same due rows.
	os.WriteFile(cfgFile, []byte("timers:\n  batch: 8\n"), 0o600)
	var logs [2]*bytes.Buffer
	var cmds [2]*exec.Cmd
	var wg sync.WaitGroup
	for i := range 2 {
		logs[i] = &bytes.Buffer{}
		cmd := exec.Command(bin, "serve", "--config", cfgFile, "--data", t.TempDir(), "--addr", freeAddr(t))
		cmd.Env = append(os.Environ(), "SHOUHOU_DATABASE_URL="+dsn)
		cmd.Stderr = &lockedWriter{w: logs[i]}
		cmds[i] = cmd
		wg.Add(1)
		go func() { defer wg.Done(); cmd.Start() }()
	}
	wg.Wait()
	defer func() {
		for _, c := range cmds {
			if c.Process != nil {
				c.Process.Kill()
				c.Wait()
			}
		}
	}()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var left int
		db.QueryRow(`SELECT count(*) FROM ` + schemaOf(dsn) + `.case_timers`).Scan(&left)
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d timers still not fired", left)
		}
	}
	for _, c := range cmds {
		c.Process.Signal(syscall.SIGTERM)
		c.Wait()
	}

	var fired, distinct int
	q := `SELECT count(*), count(DISTINCT (case_id, payload->>'kind')) FROM ` + schemaOf(dsn) + `.case_events WHERE type = $1`
	if err := db.QueryRow(q, string(cases.EvTimerFired)).Scan(&fired, &distinct); err != nil {
		t.Fatal(err)
	}
	if fired != 1000 || distinct != 1000 {
		t.Fatalf("timer.fired events: %d (%d distinct timers), want each of the 1000 exactly once", fired, distinct)
	}
	var share [2]int
	for i, l := range logs {
		share[i] = firedIn(l.String())
	}
	t.Logf("process 1 fired %d, process 2 fired %d", share[0], share[1])
	if share[0]+share[1] < 1000 {
		t.Errorf("the processes claimed %d timers in all", share[0]+share[1])
	}
}

// lockedWriter lets a process's stderr be read while it is being written.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

var firedTotal = regexp.MustCompile(`timers fired"? count=(\d+)`)

// firedIn adds up the "timers fired count=N" lines of a server's log.
func firedIn(log string) int {
	n := 0
	for _, m := range firedTotal.FindAllStringSubmatch(log, -1) {
		v, _ := strconv.Atoi(m[1])
		n += v
	}
	return n
}

func schemaOf(dsn string) string {
	return dsn[strings.LastIndex(dsn, "search_path=")+len("search_path="):]
}
