package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
)

func TestPutIsContentAddressedAndDeduplicates(t *testing.T) {
	ctx := context.Background()
	d, err := NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h1, n, err := d.Put(ctx, bytes.NewReader([]byte("photo")), 100)
	if err != nil || n != 5 {
		t.Fatal(n, err)
	}
	h2, _, _ := d.Put(ctx, bytes.NewReader([]byte("photo")), 100)
	if h1 != h2 || h1 != "55c64d0fcd6f9d5f7c828093857e3fdfda68478bb4e9bd24d481ef391c7804e8" {
		t.Fatalf("same content, hashes %s %s", h1, h2)
	}
	f, err := d.Open(ctx, h1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, _ := io.ReadAll(f); string(b) != "photo" {
		t.Fatalf("read back %q", b)
	}
}

func TestPutRefusesContentOverTheLimit(t *testing.T) {
	d, _ := NewDir(t.TempDir())
	if _, _, err := d.Put(context.Background(), bytes.NewReader(make([]byte, 101)), 100); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("101 bytes over a 100 limit: %v", err)
	}
	if _, _, err := d.Put(context.Background(), bytes.NewReader(make([]byte, 100)), 100); err != nil {
		t.Fatalf("100 bytes at a 100 limit: %v", err)
	}
}

func TestOpenRejectsPathsThatAreNotHashes(t *testing.T) {
	d, _ := NewDir(t.TempDir())
	for _, bad := range []string{"../../etc/passwd", "", "ABC", "zz"} {
		if _, err := d.Open(context.Background(), bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("Open(%q) = %v", bad, err)
		}
	}
}

func TestSniffAcceptsPhotosAndVideosOnly(t *testing.T) {
	tests := []struct {
		name string
		head []byte
		mime string
		ok   bool
	}{
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "image/jpeg", true},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), "image/png", true},
		{"mp4", []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00"), "video/mp4", true},
		{"mov", []byte("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00"), "video/quicktime", true},
		{"html pretending", []byte("<html><script>alert(1)</script>"), "text/html; charset=utf-8", false},
		{"pdf", []byte("%PDF-1.7\n"), "application/pdf", false},
	}
	for _, tt := range tests {
		mime, ok := Sniff(tt.head)
		if mime != tt.mime || ok != tt.ok {
			t.Errorf("%s: %s %v", tt.name, mime, ok)
		}
	}
}
