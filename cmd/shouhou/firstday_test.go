package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fail runs the binary expecting an error and returns its output.
func fail(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err == nil {
		t.Fatalf("shouhou %s succeeded:\n%s", strings.Join(args, " "), out)
	}
	return string(out)
}

func TestCommandsRefuseADataPathWithoutADatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	typo := filepath.Join(t.TempDir(), "shouhuo")
	for _, args := range [][]string{
		{"backup"}, {"user", "add", "x1", "--password", "password1"}, {"user", "list"}, {"user", "passwd", "x1", "--password", "password1"},
		{"user", "disable", "x1"}, {"corpus", "export"}, {"migrate"}, {"serve", "--addr", freeAddr(t)},
	} {
		out := fail(t, bin, append(args, "--data", typo)...)
		if !strings.Contains(out, "no shouhou database") || !strings.Contains(out, "--create") {
			t.Errorf("%v: %s", args, out)
		}
		if _, err := os.Stat(typo); err == nil {
			t.Fatalf("%v created %s", args, typo)
		}
	}
	// --create is how a first install starts.
	run(t, bin, "user", "add", "boss", "--role", "admin", "--password", "password1", "--create", "--data", typo)
	run(t, bin, "user", "list", "--data", typo)
}

func TestDemoRefusesARealInstallation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	run(t, bin, "user", "add", "boss", "--role", "admin", "--password", "password1", "--create", "--data", data)
	out := fail(t, bin, "demo", "--data", data, "--addr", freeAddr(t))
	if !strings.Contains(out, "not a shouhou demo") {
		t.Fatalf("demo on a real installation: %s", out)
	}
	if list := run(t, bin, "user", "list", "--data", data); strings.Contains(list, "xiaomei") {
		t.Fatalf("the demo added its accounts to a real installation:\n%s", list)
	}
	cmd := exec.Command(bin, "demo", "--data", data, "--addr", freeAddr(t))
	cmd.Env = append(os.Environ(), "SHOUHOU_DATA="+data)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "not a shouhou demo") {
		t.Fatalf("demo via SHOUHOU_DATA: %v %s", err, out)
	}
}

func TestUserPasswdDisableEnableWorkAgainstTheRunningServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	run(t, bin, "user", "add", "boss", "--role", "admin", "--password", "forgotten1", "--create", "--data", data, "--name", "老板", "--agent-no", "客服1号")
	run(t, bin, "user", "passwd", "boss", "--password", "remembered1", "--data", data)
	if out := fail(t, bin, "user", "passwd", "nobody", "--password", "remembered1", "--data", data); !strings.Contains(out, "no user") {
		t.Fatalf("passwd of an unknown user: %s", out)
	}
	if out := fail(t, bin, "user", "passwd", "boss", "--password", "short", "--data", data); !strings.Contains(out, "密码") {
		t.Fatalf("short password: %s", out)
	}
	srv := startServer(t, bin, data, freeAddr(t))
	defer func() { srv.cmd.Process.Kill(); srv.cmd.Wait() }()
	login(t, srv.base, "boss", "remembered1")
	if code := loginStatus(t, srv.base, "boss", "forgotten1"); code != http.StatusUnauthorized {
		t.Fatalf("old password still signs in: %d", code)
	}
	run(t, bin, "user", "disable", "boss", "--data", data)
	if list := run(t, bin, "user", "list", "--data", data); !strings.Contains(list, "disabled") || !strings.Contains(list, "客服1号") {
		t.Fatalf("user list: %s", list)
	}
	if code := loginStatus(t, srv.base, "boss", "remembered1"); code == http.StatusOK {
		t.Fatal("a disabled user signs in")
	}
	run(t, bin, "user", "enable", "boss", "--data", data)
	login(t, srv.base, "boss", "remembered1")
}

func loginStatus(t *testing.T, base, user, password string) int {
	t.Helper()
	raw, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestBackupIsOneArchiveWithEvidenceAndRestoreChecksIt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	run(t, bin, "user", "add", "mei", "--password", "password1", "--create", "--data", data)
	srv := startServer(t, bin, data, freeAddr(t))
	client := login(t, srv.base, "mei", "password1")
	status, created, err := postJSON(client, srv.base+"/api/v1/cases", intakeBody("BACKUP0001"))
	if err != nil || status != 201 {
		t.Fatalf("create: %d %v", status, err)
	}
	photoURL := fmt.Sprintf("%s/api/v1/cases/%v/evidence", srv.base, created["id"])
	var img bytes.Buffer
	png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 3, 3)))
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("kind", "waybill")
	mw.WriteField("version", fmt.Sprint(created["version"]))
	fw, _ := mw.CreateFormFile("file", "waybill.png")
	fw.Write(img.Bytes())
	mw.Close()
	req, _ := http.NewRequest("POST", photoURL, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := client.Do(req)
	if err != nil || resp.StatusCode != 201 {
		msg, _ := io.ReadAll(resp.Body)
		t.Fatalf("upload: %v %s", err, msg)
	}
	resp.Body.Close()

	// A practice case (培训) lives in the training space's own database: it is backed up too.
	status, attempt, err := postJSON(client, srv.base+"/api/v1/training/attempts", map[string]any{"scenario_id": "quality-damaged"})
	if err != nil || status != 201 {
		t.Fatalf("practice: %d %v %v", status, err, attempt)
	}

	archive := filepath.Join(t.TempDir(), "b.tar.gz")
	if out := run(t, bin, "backup", "-o", archive, "--data", data); !strings.Contains(out, "database, training space and 1 evidence files") {
		t.Fatalf("backup: %s", out)
	}
	srv.cmd.Process.Kill()
	srv.cmd.Wait()
	run(t, bin, "restore", "--check", archive)

	// A backup missing its evidence file, or with a damaged one, is refused.
	for name, edit := range map[string]func(name string, b []byte) ([]byte, bool){
		"missing evidence": func(n string, b []byte) ([]byte, bool) { return b, !strings.HasPrefix(n, "blobs/") },
		"damaged evidence": func(n string, b []byte) ([]byte, bool) {
			if strings.HasPrefix(n, "blobs/") {
				b = append([]byte{}, b...)
				b[len(b)-1] ^= 1
			}
			return b, true
		},
	} {
		bad := rewriteArchive(t, archive, edit)
		if out := fail(t, bin, "restore", "--check", bad); !strings.Contains(out, "blobs/") {
			t.Errorf("%s: %s", name, out)
		}
	}
	restored := filepath.Join(t.TempDir(), "r")
	run(t, bin, "restore", archive, "--data", restored)
	srv2 := startServer(t, bin, restored, freeAddr(t))
	defer func() { srv2.cmd.Process.Kill(); srv2.cmd.Wait() }()
	client = login(t, srv2.base, "mei", "password1")
	resp, err = client.Get(fmt.Sprintf("%s/api/v1/cases/%v", srv2.base, created["id"]))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Evidence []struct{ Hash string } `json:"evidence"`
	}
	json.NewDecoder(resp.Body).Decode(&c)
	resp.Body.Close()
	if len(c.Evidence) != 1 {
		t.Fatalf("restored case evidence: %+v", c)
	}
	resp, err = client.Get(fmt.Sprintf("%s/api/v1/cases/%v/evidence/%s", srv2.base, created["id"], c.Evidence[0].Hash))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, img.Bytes()) {
		t.Fatalf("restored evidence differs (%d bytes, status %d)", len(got), resp.StatusCode)
	}
	resp, err = client.Get(fmt.Sprintf("%s/api/v1/cases/%.0f", srv2.base, attempt["case_id"]))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("restored practice case: %v %v", err, resp.Status)
	}
	resp.Body.Close()
}

// rewriteArchive copies a backup, passing each entry through edit (false drops it).
func rewriteArchive(t *testing.T, src string, edit func(name string, b []byte) ([]byte, bool)) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, _ := gzip.NewReader(f)
	tr := tar.NewReader(gz)
	dst := filepath.Join(t.TempDir(), "edited.tar.gz")
	out, _ := os.Create(dst)
	gw := gzip.NewWriter(out)
	tw := tar.NewWriter(gw)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		b, keep := edit(h.Name, b)
		if !keep {
			continue
		}
		h.Size = int64(len(b))
		tw.WriteHeader(h)
		tw.Write(b)
	}
	tw.Close()
	gw.Close()
	out.Close()
	return dst
}

func TestVersionPrintsVersionAndCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "shouhou")
	cmd := exec.Command("go", "build", "-o", bin, "-ldflags", "-X main.version=v9.9.9 -X main.commit=abc1234", ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v %s", err, out)
	}
	out := run(t, bin, "--version")
	if !strings.Contains(out, "v9.9.9") || !strings.Contains(out, "commit abc1234") || !strings.Contains(out, "static") {
		t.Fatalf("--version: %s", out)
	}
}
