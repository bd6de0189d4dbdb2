// Package blob stores evidence (photos, videos) by the SHA-256 of its content, so the
// same photo uploaded twice is stored once and a stored file can never change under
// its name. Dir keeps blobs in a local directory; an S3-compatible store can
// implement the same methods.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// ErrNotFound means no blob has that hash.
var ErrNotFound = errors.New("blob not found")

// ErrTooLarge means the content is over the limit given to Put.
var ErrTooLarge = errors.New("blob too large")

// Dir is a content-addressed store in a local directory.
type Dir struct {
	root string
}

// NewDir opens (creating) a blob directory.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(filepath.Join(root, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("blob dir: %w", err)
	}
	return &Dir{root: root}, nil
}

var hashPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (d *Dir) path(hash string) string {
	return filepath.Join(d.root, hash[:2], hash)
}

// Put stores r's content (at most limit bytes) and returns its hash and size. The file
// is written to a temporary name, synced and renamed, so a crash never leaves a
// partial blob under a real hash.
func (d *Dir) Put(ctx context.Context, r io.Reader, limit int64) (hash string, size int64, err error) {
	tmp, err := os.CreateTemp(filepath.Join(d.root, "tmp"), "upload-*")
	if err != nil {
		return "", 0, fmt.Errorf("blob temp: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if err != nil {
		return "", 0, fmt.Errorf("blob write: %w", err)
	}
	if size > limit {
		return "", size, ErrTooLarge
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, fmt.Errorf("blob sync: %w", err)
	}
	hash = hex.EncodeToString(h.Sum(nil))
	dest := d.path(hash)
	if _, err := os.Stat(dest); err == nil {
		return hash, size, nil
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o750); err != nil {
		return "", 0, fmt.Errorf("blob dir: %w", err)
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return "", 0, fmt.Errorf("blob rename: %w", err)
	}
	return hash, size, syncDir(filepath.Dir(dest))
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Open returns a blob's content.
func (d *Dir) Open(ctx context.Context, hash string) (io.ReadSeekCloser, error) {
	if !hashPattern.MatchString(hash) {
		return nil, ErrNotFound
	}
	f, err := os.Open(d.path(hash))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}
