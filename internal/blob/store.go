package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// Store keeps evidence by content hash: the local directory (Dir) by default, an
// S3-compatible bucket (S3) when configured, so that several servers on one database
// see the same files. Put streams (at most limit bytes; ErrTooLarge beyond) and
// returns the hash and size; Open returns the content or ErrNotFound.
type Store interface {
	Put(ctx context.Context, r io.Reader, limit int64) (hash string, size int64, err error)
	Open(ctx context.Context, hash string) (io.ReadSeekCloser, error)
}

var (
	_ Store = (*Dir)(nil)
	_ Store = (*S3)(nil)
)

// spool copies r (at most limit bytes) into a temporary file in dir while hashing it,
// and returns the file positioned at its start: the content is never held in memory,
// and its hash is known before it goes anywhere under its real name.
func spool(dir string, r io.Reader, limit int64) (f *os.File, hash string, size int64, err error) {
	f, err = os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, "", 0, fmt.Errorf("blob temp: %w", err)
	}
	fail := func(e error) (*os.File, string, int64, error) {
		f.Close()
		os.Remove(f.Name())
		return nil, "", size, e
	}
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), io.LimitReader(r, limit+1))
	if err != nil {
		return fail(fmt.Errorf("blob write: %w", err))
	}
	if size > limit {
		return fail(ErrTooLarge)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fail(err)
	}
	return f, hex.EncodeToString(h.Sum(nil)), size, nil
}
