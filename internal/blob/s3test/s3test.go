// Package s3test starts a real S3-compatible server (versitygw, serving a temporary
// folder on loopback) for tests of the S3 evidence store. scripts/test builds the
// binary once and caches it; without it the tests skip, unless SHOUHOU_REQUIRE_S3=1.
package s3test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/shouhou/shouhou/internal/blob"
)

// Binary is the versitygw to run: $SHOUHOU_VERSITYGW, else the one scripts/test
// caches in ~/.cache/shouhou-s3/bin, else one on PATH.
func Binary() string {
	if p := os.Getenv("SHOUHOU_VERSITYGW"); p != "" {
		return p
	}
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, ".cache", "shouhou-s3", "bin", "versitygw")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, _ := exec.LookPath("versitygw")
	return p
}

const (
	accessKey = "shouhou-test"
	secretKey = "shouhou-test-secret"
)

// Start runs a server for the test and returns the configuration of a fresh bucket.
func Start(t testing.TB) blob.S3Config {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("SHOUHOU_REQUIRE_S3") == "1" {
			t.Fatal("versitygw not found (SHOUHOU_REQUIRE_S3=1): run scripts/test, which builds it")
		}
		t.Skip("no S3-compatible server (versitygw): scripts/test builds it; set SHOUHOU_VERSITYGW to a binary")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	cmd := exec.Command(bin, "--access", accessKey, "--secret", secretKey, "--port", addr, "posix", dir)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY=", "ROOT_SECRET_KEY=")
	out, err := os.Create(filepath.Join(t.TempDir(), "versitygw.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start versitygw: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); out.Close() })
	client, err := minio.New(addr, &minio.Options{Creds: credentials.NewStaticV4(accessKey, secretKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	bucket := "evidence"
	ctx := context.Background()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err = client.MakeBucket(ctx, bucket, minio.MakeBucketOptions{})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(out.Name())
			t.Fatalf("versitygw on %s did not answer: %v\n%s", addr, err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return blob.S3Config{Endpoint: addr, Bucket: bucket, AccessKey: accessKey, SecretKey: secretKey, TempDir: t.TempDir()}
}

// Store is a connected S3 store on a fresh server.
func Store(t testing.TB) *blob.S3 {
	t.Helper()
	s, err := blob.NewS3(context.Background(), Start(t))
	if err != nil {
		t.Fatal(fmt.Errorf("s3 store: %w", err))
	}
	return s
}
