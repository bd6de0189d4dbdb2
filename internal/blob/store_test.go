package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"testing"

	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/blob/s3test"
)

// stores are the evidence stores every behaviour is checked on: the local folder and
// a real S3-compatible server.
func stores(t *testing.T) map[string]func(t *testing.T) blob.Store {
	return map[string]func(t *testing.T) blob.Store{
		"disk": func(t *testing.T) blob.Store {
			d, err := blob.NewDir(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return d
		},
		"s3": func(t *testing.T) blob.Store { return s3test.Store(t) },
	}
}

func TestEveryStoreKeepsContentByHashAndRefusesTooLarge(t *testing.T) {
	ctx := context.Background()
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			content := bytes.Repeat([]byte("照片"), 100_000) // 600 kB
			sum := sha256.Sum256(content)
			hash, size, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
			if err != nil || hash != hex.EncodeToString(sum[:]) || size != int64(len(content)) {
				t.Fatalf("put: %s %d %v", hash, size, err)
			}
			if again, _, err := s.Put(ctx, bytes.NewReader(content), 1<<20); err != nil || again != hash {
				t.Fatalf("same content again: %s %v", again, err)
			}
			f, err := s.Open(ctx, hash)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(f)
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("read back %d bytes, %v", len(got), err)
			}
			// Ranged reads (a video scrubbed on the case page) seek.
			if _, err := f.Seek(600_000-6, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			tail, _ := io.ReadAll(f)
			f.Close()
			if string(tail) != "照片" {
				t.Fatalf("after seek: %q", tail)
			}
			if _, _, err := s.Put(ctx, bytes.NewReader(content), int64(len(content))-1); !errors.Is(err, blob.ErrTooLarge) {
				t.Fatalf("over the limit: %v", err)
			}
			for _, missing := range []string{hex.EncodeToString(make([]byte, 32)), "../../etc/passwd", ""} {
				if _, err := s.Open(ctx, missing); !errors.Is(err, blob.ErrNotFound) {
					t.Errorf("open %q: %v", missing, err)
				}
			}
		})
	}
}

func TestS3StoreRefusesAMissingBucketAtStart(t *testing.T) {
	cfg := s3test.Start(t)
	cfg.Bucket = "no-such-bucket"
	if _, err := blob.NewS3(context.Background(), cfg); err == nil {
		t.Fatal("a missing bucket was accepted")
	}
}
