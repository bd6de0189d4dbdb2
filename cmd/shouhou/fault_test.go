package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

// startServerEnv is startServer with extra environment (SHOUHOU_DATABASE_URL).
func startServerEnv(t *testing.T, bin, data, addr string, env []string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", addr)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, base: "http://" + addr}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			return s
		}
	}
	t.Fatal("server did not come up")
	return nil
}

// load writes customer messages to one case from several workers until stop closes,
// and tallies the answers; acked holds the texts that got 200.
type load struct {
	mu       sync.Mutex
	statuses map[int]int
	acked    map[string]bool
	wg       sync.WaitGroup
	stop     chan struct{}
}

func startLoad(client *http.Client, caseURL string, workers int) *load {
	l := &load{statuses: map[int]int{}, acked: map[string]bool{}, stop: make(chan struct{})}
	for w := range workers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				text := fmt.Sprintf("w%d-m%d", w, i)
				status, _, err := postJSON(client, caseURL+"/events", map[string]any{"type": "message.received", "payload": map[string]any{"text": text}})
				if err != nil {
					status = -1 // the connection failed: counted, not fatal
				}
				l.mu.Lock()
				l.statuses[status]++
				if status == 200 {
					l.acked[text] = true
				}
				l.mu.Unlock()
				if status != 200 {
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
	return l
}

func (l *load) finish() { close(l.stop); l.wg.Wait() }

// checkAcked reads the case's log and reports acknowledged messages that are missing.
func checkAcked(t *testing.T, client *http.Client, caseURL string, acked map[string]bool) {
	t.Helper()
	resp, err := client.Get(caseURL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var log struct {
		Events []struct{ Payload struct{ Text string } }
	}
	json.NewDecoder(resp.Body).Decode(&log)
	stored := map[string]bool{}
	for _, e := range log.Events {
		stored[e.Payload.Text] = true
	}
	missing := 0
	for text := range acked {
		if !stored[text] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged writes are missing", missing, len(acked))
	}
}

// TestPostgresRestartUnderLoad restarts PostgreSQL while writes stream in: requests
// during the restart answer 503 (never 500), writes succeed again once it is back,
// and every acknowledged write is kept.
func TestPostgresRestartUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary and restarts PostgreSQL")
	}
	dsn, pgDir := os.Getenv("SHOUHOU_TEST_POSTGRES"), os.Getenv("SHOUHOU_TEST_POSTGRES_DIR")
	if dsn == "" || pgDir == "" {
		t.Skip("SHOUHOU_TEST_POSTGRES and SHOUHOU_TEST_POSTGRES_DIR (set by scripts/test) name a PostgreSQL this test may restart")
	}
	pgCtl, err := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if err != nil || len(pgCtl) == 0 {
		t.Skip("pg_ctl not found")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	rand.Read(b)
	db := "restart_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + db); err != nil {
		t.Fatal(err)
	}
	admin.Close()
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", dsn); err == nil {
			a.Exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)")
			a.Close()
		}
	})
	u, _ := url.Parse(dsn)
	u.Path = "/" + db
	env := []string{"SHOUHOU_DATABASE_URL=" + u.String()}

	bin := buildBinary(t)
	data := t.TempDir()
	add := exec.Command(bin, "user", "add", "restart", "--data", data, "--password", "password1")
	add.Env = append(os.Environ(), env...)
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	srv := startServerEnv(t, bin, data, freeAddr(t), env)
	client := login(t, srv.base, "restart", "password1")
	status, created, err := postJSON(client, srv.base+"/api/v1/cases", intakeBody("PGRESTART1"))
	if err != nil || status != 201 {
		t.Fatalf("create: %d %v", status, err)
	}
	caseURL := fmt.Sprintf("%s/api/v1/cases/%v", srv.base, created["id"])

	l := startLoad(client, caseURL, 8)
	time.Sleep(500 * time.Millisecond)
	// -l: the restarted server logs to its file, not to this test's pipes (which
	// it would otherwise hold open, so that waiting for pg_ctl never ended).
	restart := exec.Command(pgCtl[len(pgCtl)-1], "-D", filepath.Join(pgDir, "data"), "-l", filepath.Join(pgDir, "log"),
		"-m", "fast", "-w", "-t", "60", "restart")
	if os.Geteuid() == 0 {
		restart = exec.Command("runuser", append([]string{"-u", "postgres", "--"}, restart.Args...)...)
	}
	if err := restart.Run(); err != nil {
		l.finish()
		t.Fatalf("pg_ctl restart: %v", err)
	}
	restarted := time.Now()
	// Once PostgreSQL is back, writes must land again.
	for {
		l.mu.Lock()
		before := len(l.acked)
		l.mu.Unlock()
		time.Sleep(500 * time.Millisecond)
		l.mu.Lock()
		after := len(l.acked)
		l.mu.Unlock()
		if after > before {
			break
		}
		if time.Since(restarted) > 20*time.Second {
			l.finish()
			t.Fatal("no write succeeded within 20 s of PostgreSQL's restart")
		}
	}
	l.finish()
	for status, n := range l.statuses {
		if status != 200 && status != http.StatusServiceUnavailable {
			t.Errorf("%d requests answered %d during the restart; want only 200 or 503", n, status)
		}
	}
	checkAcked(t, client, caseURL, l.acked)
	t.Logf("PostgreSQL restarted under load: answers %v; %d acknowledged writes all kept", l.statuses, len(l.acked))
}

// TestAFullDiskRefusesWritesCleanlyAndRecovers runs the server on a small tmpfs,
// fills it, and checks that writes are refused with 503 (never 500) while reads go
// on, that writes work again once space returns, and that the database is intact
// with every acknowledged write.
func TestAFullDiskRefusesWritesCleanlyAndRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a tmpfs")
	}
	if os.Geteuid() != 0 {
		t.Skip("the disk-full test mounts a small tmpfs, which needs root")
	}
	data := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", data).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s): the disk-full test is skipped", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() { exec.Command("umount", "-l", data).Run() })

	bin := buildBinary(t)
	if out, err := exec.Command(bin, "user", "add", "full", "--create", "--data", data, "--password", "password1").CombinedOutput(); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	srv := startServerEnv(t, bin, data, freeAddr(t), nil)
	client := login(t, srv.base, "full", "password1")
	status, created, err := postJSON(client, srv.base+"/api/v1/cases", intakeBody("DISKFULL01"))
	if err != nil || status != 201 {
		t.Fatalf("create: %d %v", status, err)
	}
	caseURL := fmt.Sprintf("%s/api/v1/cases/%v", srv.base, created["id"])

	// Fill the volume to the last byte.
	filler := filepath.Join(data, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	for n := 4096; n > 0; n /= 2 { // the last partial blocks
		for {
			if _, err := f.Write(chunk[:n]); err != nil {
				break
			}
		}
	}
	f.Close()

	l := startLoad(client, caseURL, 4)
	deadline := time.Now().Add(20 * time.Second)
	for {
		time.Sleep(200 * time.Millisecond)
		l.mu.Lock()
		refused := l.statuses[http.StatusServiceUnavailable]
		l.mu.Unlock()
		if refused > 0 {
			break
		}
		if time.Now().After(deadline) {
			l.finish()
			t.Fatalf("no write was refused on a full disk: %v", l.statuses)
		}
	}
	// An evidence upload on the full disk is refused too.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("kind", "six_sides")
	fw, _ := mw.CreateFormFile("file", "a.png")
	fw.Write(append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), make([]byte, 200<<10)...))
	mw.Close()
	req, _ := http.NewRequest("POST", caseURL+"/evidence", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode >= 500 && resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("an upload on a full disk: %d; want 503", resp.StatusCode)
		}
	}
	if resp, err := client.Get(caseURL); err != nil || resp.StatusCode != 200 {
		t.Errorf("reading the case on a full disk: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	os.Remove(filler) // space returns
	l.mu.Lock()
	ackedAtFull := len(l.acked)
	l.mu.Unlock()
	deadline = time.Now().Add(20 * time.Second)
	for {
		time.Sleep(200 * time.Millisecond)
		l.mu.Lock()
		n := len(l.acked)
		l.mu.Unlock()
		if n > ackedAtFull+10 {
			break
		}
		if time.Now().After(deadline) {
			l.finish()
			t.Fatalf("writes did not resume within 20 s of the space returning: %v", l.statuses)
		}
	}
	l.finish()
	for status, n := range l.statuses {
		if status != 200 && status != http.StatusServiceUnavailable {
			t.Errorf("%d writes answered %d; want only 200 or 503", n, status)
		}
	}
	checkAcked(t, client, caseURL, l.acked)

	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.cmd.Wait()
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(data, "shouhou.db"), sqlstore.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.IntegrityCheck(context.Background()); err != nil {
		t.Fatalf("the database after the full disk: %v", err)
	}
	t.Logf("full disk: answers %v; %d acknowledged writes all kept; integrity check ok", l.statuses, len(l.acked))
}
