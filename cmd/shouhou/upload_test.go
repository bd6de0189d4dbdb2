package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/blob/s3test"
)

// rssKB reads a process's resident memory (VmRSS) from /proc.
func rssKB(t *testing.T, pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// zeroVideo streams an MP4 header and n bytes without holding them.
type zeroVideo struct{ head, left int64 }

func (z *zeroVideo) Read(p []byte) (int, error) {
	if z.left <= 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > z.left {
		n = z.left
	}
	clear(p[:n])
	if z.head == 0 && n >= 24 {
		copy(p, append([]byte{0, 0, 0, 0x18}, "ftypisom\x00\x00\x02\x00isomiso2"...))
		z.head = 1
	}
	z.left -= n
	return int(n), nil
}

// uploadLink makes a case and an upload link on a running server and returns the
// link's token and the case's URL.
func uploadLink(t *testing.T, base string, client *http.Client, order string) (token, caseURL string) {
	t.Helper()
	body := intakeBody(order)
	body["type"] = "quality.damaged"
	status, created, err := postJSON(client, base+"/api/v1/cases", body)
	if err != nil || status != 201 {
		t.Fatalf("create case: %d %v %v", status, created, err)
	}
	caseURL = fmt.Sprintf("%s/api/v1/cases/%v", base, created["id"])
	status, link, err := postJSON(client, caseURL+"/upload-links", nil)
	if err != nil || status != 201 {
		t.Fatalf("create link: %d %v %v", status, link, err)
	}
	url := link["url"].(string)
	return url[strings.LastIndex(url, "/")+1:], caseURL
}

// sendPieces sends a file as a resumable upload in pieces of the given size.
func sendPieces(base, token string, r io.Reader, size, pieceSize int64) (int, string, error) {
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/u/%s/uploads?kind=video&name=big.mp4&size=%d", base, token, size), nil)
	req.Header.Set("Origin", base)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	var start struct{ ID string }
	json.NewDecoder(resp.Body).Decode(&start)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		return resp.StatusCode, "", nil
	}
	for offset := int64(0); offset < size; offset += pieceSize {
		n := min(pieceSize, size-offset)
		req, _ := http.NewRequest("PATCH", base+"/u/"+token+"/uploads/"+start.ID, io.LimitReader(r, n))
		req.ContentLength = n
		req.Header.Set("Origin", base)
		req.Header.Set("Upload-Offset", fmt.Sprint(offset))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if offset+n == size || resp.StatusCode != 200 {
			return resp.StatusCode, string(raw), nil
		}
	}
	return 0, "", nil
}

func sendVideo(base, token string, r io.Reader, size int64) (int, string, error) {
	req, _ := http.NewRequest("POST", base+"/u/"+token+"/files?kind=video&name=big.mp4", r)
	req.ContentLength = size
	req.Header.Set("Origin", base)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw), nil
}

// A customer's 100 MB video streams through the real server into the evidence store:
// the server's resident memory stays within 64 MB of what it was idle, on local disk
// and on an S3-compatible server (figures in docs/PERFORMANCE.md).
func TestA100MBVideoUploadKeepsServerMemoryLow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	for _, store := range []string{"disk", "s3"} {
		t.Run(store, func(t *testing.T) {
			data := t.TempDir()
			var env []string
			if store == "s3" {
				s3 := s3test.Start(t)
				env = []string{"SHOUHOU_S3_ENDPOINT=" + s3.Endpoint, "SHOUHOU_S3_BUCKET=" + s3.Bucket,
					"SHOUHOU_S3_ACCESS_KEY=" + s3.AccessKey, "SHOUHOU_S3_SECRET_KEY=" + s3.SecretKey}
			}
			user := exec.Command(bin, "user", "add", "mem", "--create", "--data", data, "--password", "password1")
			user.Env = append(os.Environ(), env...)
			if out, err := user.CombinedOutput(); err != nil {
				t.Fatalf("user add: %v %s", err, out)
			}
			cfg := filepath.Join(t.TempDir(), "shouhou.yaml")
			os.WriteFile(cfg, []byte("evidence:\n  video_mb: 120\n"), 0o600)
			addr := freeAddr(t)
			cmd := exec.Command(bin, "serve", "--config", cfg, "--data", data, "--addr", addr)
			cmd.Env = append(os.Environ(), env...)
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			base := "http://" + addr
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				if resp, err := http.Get(base + "/healthz"); err == nil {
					resp.Body.Close()
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("server did not come up")
				}
			}
			client := login(t, base, "mem", "password1")
			token, caseURL := uploadLink(t, base, client, "MEM0001")
			// Warm up (first requests, pools), then idle.
			if status, body, err := sendVideo(base, token, &zeroVideo{left: 1 << 20}, 1<<20); err != nil || status != 201 {
				t.Fatalf("warm-up upload: %d %s %v", status, body, err)
			}
			time.Sleep(500 * time.Millisecond)
			const size = 100 << 20
			// Both ways the page sends a file: whole (POST …/files) and in 2 MiB pieces
			// (the resumable upload the page uses above 4 MiB).
			for _, way := range []string{"whole", "pieces"} {
				idle := rssKB(t, cmd.Process.Pid)
				peak := idle
				done := make(chan struct{})
				go func() {
					defer close(done)
					var status int
					var body string
					var err error
					if way == "whole" {
						status, body, err = sendVideo(base, token, &zeroVideo{left: size}, size)
					} else {
						status, body, err = sendPieces(base, token, &zeroVideo{left: size}, size, 2<<20)
					}
					if err != nil || status != 201 {
						t.Errorf("100 MB upload (%s): %d %s %v", way, status, body, err)
					}
				}()
				tick := time.NewTicker(10 * time.Millisecond)
				for running := true; running; {
					select {
					case <-done:
						running = false
					case <-tick.C:
						peak = max(peak, rssKB(t, cmd.Process.Pid))
					}
				}
				tick.Stop()
				t.Logf("%s, %s: idle %d MB, peak during a 100 MB upload %d MB, above idle %d MB", store, way, idle>>10, peak>>10, (peak-idle)>>10)
				if above := (peak - idle) >> 10; above >= 64 {
					t.Errorf("a 100 MB upload (%s) took %d MB above idle (limit 64 MB)", way, above)
				}
			}
			// The video is on the case and downloads whole.
			resp, err := client.Get(caseURL)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !bytes.Contains(raw, []byte(`"size":104857600`)) {
				t.Fatalf("case after the upload: %s", raw[:min(len(raw), 400)])
			}
		})
	}
}

// Two server processes on one PostgreSQL database with the evidence in one S3 bucket:
// a photo the customer sends through the first is downloaded, byte for byte, from the
// second.
func TestTwoServersOnOnePostgresSeeTheSameEvidence(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dsn, _ := pgSchema(t)
	s3 := s3test.Start(t)
	bin := buildBinary(t)
	env := []string{"SHOUHOU_DATABASE_URL=" + dsn, "SHOUHOU_S3_ENDPOINT=" + s3.Endpoint, "SHOUHOU_S3_BUCKET=" + s3.Bucket,
		"SHOUHOU_S3_ACCESS_KEY=" + s3.AccessKey, "SHOUHOU_S3_SECRET_KEY=" + s3.SecretKey}
	user := exec.Command(bin, "user", "add", "two", "--create", "--data", t.TempDir(), "--password", "password1")
	user.Env = append(os.Environ(), env...)
	if out, err := user.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	a := startServerEnv(t, bin, t.TempDir(), freeAddr(t), env)
	b := startServerEnv(t, bin, t.TempDir(), freeAddr(t), env)
	token, caseURL := uploadLink(t, a.base, login(t, a.base, "two", "password1"), "TWO0001")
	photo := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte("两台服务器"), 1000)...)
	req, _ := http.NewRequest("POST", a.base+"/u/"+token+"/files?kind=six_sides&name=a.png", bytes.NewReader(photo))
	req.Header.Set("Origin", a.base)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("upload to the first server: %d", resp.StatusCode)
	}
	other := login(t, b.base, "two", "password1")
	caseOnB := strings.Replace(caseURL, a.base, b.base, 1)
	resp, err = other.Get(caseOnB)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	i := bytes.Index(raw, []byte(`"hash":"`))
	if i < 0 {
		t.Fatalf("case on the second server has no evidence: %s", raw)
	}
	hash := string(raw[i+8 : i+8+64])
	resp, err = other.Get(caseOnB + "/evidence/" + hash)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, photo) || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("download from the second server: %d, %d bytes, %s", resp.StatusCode, len(got), resp.Header.Get("Content-Type"))
	}
}

// With the evidence in an S3 bucket, backup still writes one archive with every file,
// and restore puts the files into the (new) bucket, each checked against its name.
func TestBackupAndRestoreCarryS3Evidence(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	s3env := func(c blob.S3Config) []string {
		return []string{"SHOUHOU_S3_ENDPOINT=" + c.Endpoint, "SHOUHOU_S3_BUCKET=" + c.Bucket,
			"SHOUHOU_S3_ACCESS_KEY=" + c.AccessKey, "SHOUHOU_S3_SECRET_KEY=" + c.SecretKey}
	}
	runEnv := func(env []string, args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
		return string(out)
	}
	first := s3test.Start(t)
	data := t.TempDir()
	runEnv(s3env(first), "user", "add", "bak", "--create", "--data", data, "--password", "password1")
	srv := startServerEnv(t, bin, data, freeAddr(t), s3env(first))
	token, _ := uploadLink(t, srv.base, login(t, srv.base, "bak", "password1"), "BAK0001")
	photo := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte("备份"), 500)...)
	req, _ := http.NewRequest("POST", srv.base+"/u/"+token+"/files?kind=waybill&name=a.png", bytes.NewReader(photo))
	req.Header.Set("Origin", srv.base)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("upload: %v %v", resp, err)
	}
	resp.Body.Close()
	if entries, _ := os.ReadDir(filepath.Join(data, "blobs")); len(entries) > 1 {
		t.Fatalf("with S3 the evidence went to local disk too: %v", entries)
	}
	archive := filepath.Join(t.TempDir(), "b.tar.gz")
	if out := runEnv(s3env(first), "backup", "-o", archive, "--data", data); !strings.Contains(out, "1 evidence files") {
		t.Fatalf("backup: %s", out)
	}
	runEnv(nil, "restore", "--check", archive)

	second := s3test.Start(t)
	restored := filepath.Join(t.TempDir(), "r")
	if out := runEnv(s3env(second), "restore", archive, "--data", restored); !strings.Contains(out, "1 evidence files copied to the S3 bucket") {
		t.Fatalf("restore: %s", out)
	}
	bucket, err := blob.NewS3(context.Background(), second)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(photo)
	r, err := bucket.Open(context.Background(), hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatalf("the restored bucket lacks the photo: %v", err)
	}
	got, _ := io.ReadAll(r)
	r.Close()
	if !bytes.Equal(got, photo) {
		t.Fatal("restored photo differs")
	}
}
