package customer

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/httpx"
	"github.com/shouhou/shouhou/internal/uploadlink"
)

// Resumable uploads for large files on slow connections: the page opens an upload
// with the file's size (POST /u/{token}/uploads), sends it in pieces, each naming the
// offset it starts at (PATCH …/uploads/{id}, header Upload-Offset), and after a broken
// piece asks how much arrived (GET …/uploads/{id}) and goes on from there. The pieces
// are appended to a temporary file of this server process; when the last one
// arrives the file goes into the evidence store and onto the case like a whole
// upload. An upload unknown to the server (another process, a restart) is 404: the
// page starts that file again.

// partial is one resumable upload in progress.
type partial struct {
	id, linkHash string
	kind, name   string
	size, offset int64
	limit        int64
	mime         string
	path         string
	created      time.Time
	busy         bool
}

// partials are the resumable uploads of this process.
type partials struct {
	mu    sync.Mutex
	m     map[string]*partial
	dir   string
	ready bool
}

// maxPartialsPerLink bounds the uploads one link has open at once.
const maxPartialsPerLink = 5

// partialTTL: an upload not finished within a day is dropped.
const partialTTL = 24 * time.Hour

func (p *partials) folder() (string, error) {
	if p.ready {
		return p.dir, nil
	}
	if p.dir == "" {
		dir, err := os.MkdirTemp("", "shouhou-uploads-")
		if err != nil {
			return "", err
		}
		p.dir = dir
	}
	if err := os.MkdirAll(p.dir, 0o750); err != nil {
		return "", err
	}
	// Pieces a stopped process left behind are dropped after partialTTL.
	entries, _ := os.ReadDir(p.dir)
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > partialTTL {
			os.Remove(filepath.Join(p.dir, e.Name()))
		}
	}
	p.ready = true
	return p.dir, nil
}

// sweep drops uploads older than partialTTL (called with mu held).
func (p *partials) sweep(now time.Time) {
	for id, u := range p.m {
		if !u.busy && now.Sub(u.created) > partialTTL {
			os.Remove(u.path)
			delete(p.m, id)
		}
	}
}

func (p *partials) drop(u *partial) {
	p.mu.Lock()
	defer p.mu.Unlock()
	os.Remove(u.path)
	delete(p.m, u.id)
}

type partialView struct {
	ID     string `json:"id"`
	Offset int64  `json:"offset"`
	Size   int64  `json:"size"`
}

// startUpload opens a resumable upload of ?size= bytes.
func (s *Server) startUpload(w http.ResponseWriter, r *http.Request) {
	_, kind, err := s.admit(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	size, err := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
	switch {
	case err != nil || size < 0:
		s.fail(w, problem(http.StatusUnprocessableEntity, "bad_size", "文件大小不正确,请重新选择文件"))
		return
	case size == 0:
		s.fail(w, problem(http.StatusUnprocessableEntity, "empty", "文件是空的,请重新选择"))
		return
	case size > max(s.limits.PhotoBytes, s.limits.VideoBytes):
		s.fail(w, s.tooLarge())
		return
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		s.fail(w, err)
		return
	}
	now := s.desk.Now()
	s.parts.mu.Lock()
	defer s.parts.mu.Unlock()
	s.parts.sweep(now)
	open := 0
	for _, u := range s.parts.m {
		if u.linkHash == linkKey(r) {
			open++
		}
	}
	if open >= maxPartialsPerLink {
		s.fail(w, problem(http.StatusTooManyRequests, "too_many_uploads", "同时上传的文件太多,请等前面的文件传完"))
		return
	}
	dir, err := s.parts.folder()
	if err != nil {
		s.fail(w, err)
		return
	}
	u := &partial{id: base64.RawURLEncoding.EncodeToString(b), linkHash: linkKey(r), kind: kind,
		name: r.URL.Query().Get("name"), size: size, created: now}
	u.path = filepath.Join(dir, u.id)
	f, err := os.OpenFile(u.path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		s.fail(w, err)
		return
	}
	f.Close()
	s.parts.m[u.id] = u
	httpx.WriteJSON(w, http.StatusCreated, partialView{ID: u.id, Size: size})
}

func linkKey(r *http.Request) string { return r.PathValue("token") }

// claim finds the link's upload {id} and marks it busy (one piece at a time).
func (s *Server) claim(r *http.Request) (*partial, error) {
	s.parts.mu.Lock()
	defer s.parts.mu.Unlock()
	u, ok := s.parts.m[r.PathValue("id")]
	if !ok || u.linkHash != linkKey(r) {
		return nil, problem(http.StatusNotFound, "upload_unknown", "上传已失效,请重新上传这个文件")
	}
	if u.busy {
		return nil, problem(http.StatusConflict, "upload_busy", "这个文件正在上传")
	}
	u.busy = true
	return u, nil
}

func (s *Server) release(u *partial) {
	s.parts.mu.Lock()
	u.busy = false
	s.parts.mu.Unlock()
}

// uploadOffset says how much of an upload arrived.
func (s *Server) uploadOffset(w http.ResponseWriter, r *http.Request) {
	if _, err := s.open(r); err != nil {
		s.fail(w, err)
		return
	}
	s.parts.mu.Lock()
	u, ok := s.parts.m[r.PathValue("id")]
	var view partialView
	if ok && u.linkHash == linkKey(r) {
		view = partialView{ID: u.id, Offset: u.offset, Size: u.size}
	}
	s.parts.mu.Unlock()
	if !ok || view.ID == "" {
		s.fail(w, problem(http.StatusNotFound, "upload_unknown", "上传已失效,请重新上传这个文件"))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, view)
}

// uploadPiece appends a piece at its offset. Whatever part of a broken piece arrived
// is kept. The first bytes are sniffed as soon as they are in: a file of the wrong
// type, or over its type's limit, is refused then and dropped. The last piece stores
// and records the file (201 with the missing list).
//
// Pieces are not rate-limited: only an upload opened through the (rate-limited) start
// takes them, and its size bounds them. The link is checked again on every piece.
func (s *Server) uploadPiece(w http.ResponseWriter, r *http.Request) {
	if !auth.SameOrigin(r) {
		s.fail(w, problem(http.StatusForbidden, "cross_site", "拒绝跨站请求"))
		return
	}
	u, err := s.claim(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	defer s.release(u)
	v, err := s.desk.OpenUploadLink(r.Context(), linkKey(r))
	var refused *uploadlink.Refusal
	if errors.As(err, &refused) {
		s.dropAndFail(w, u, err) // revoked or expired meanwhile: the upload ends
		return
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	at, err := strconv.ParseInt(r.Header.Get("Upload-Offset"), 10, 64)
	if err != nil || at != u.offset {
		httpx.WriteJSON(w, http.StatusConflict, map[string]any{"code": "offset_mismatch", "message": "上传位置不一致,将从断点继续", "offset": u.offset})
		return
	}
	s.uploadDeadline(w, r)
	f, err := os.OpenFile(u.path, os.O_WRONLY, 0)
	if err != nil {
		s.fail(w, problem(http.StatusNotFound, "upload_unknown", "上传已失效,请重新上传这个文件"))
		return
	}
	// Drop anything past the offset (a piece whose end was lost), then append.
	if err := f.Truncate(u.offset); err != nil {
		f.Close()
		s.fail(w, err)
		return
	}
	if _, err := f.Seek(u.offset, io.SeekStart); err != nil {
		f.Close()
		s.fail(w, err)
		return
	}
	body := http.MaxBytesReader(w, r.Body, u.size-u.offset)
	n, copyErr := io.Copy(f, body)
	if err := f.Close(); err != nil {
		copyErr = errors.Join(copyErr, err)
		n = 0 // what was written may not be on disk: that piece is sent again
	}
	s.parts.mu.Lock()
	u.offset += n
	s.parts.mu.Unlock()
	var maxErr *http.MaxBytesError
	if errors.As(copyErr, &maxErr) {
		s.dropAndFail(w, u, problem(http.StatusRequestEntityTooLarge, "too_large", "文件比开始时说的大,请重新选择文件"))
		return
	}
	if u.mime == "" && (u.offset >= 512 || u.offset == u.size) {
		if err := s.sniffPartial(u); err != nil {
			s.dropAndFail(w, u, err)
			return
		}
	}
	if copyErr != nil {
		httpx.WriteJSON(w, http.StatusBadRequest, map[string]any{"code": "upload_broken", "message": "上传中断,将从断点继续", "offset": u.offset})
		return
	}
	if u.offset < u.size {
		httpx.WriteJSON(w, http.StatusOK, partialView{ID: u.id, Offset: u.offset, Size: u.size})
		return
	}
	s.finish(w, r, v, u)
}

func (s *Server) dropAndFail(w http.ResponseWriter, u *partial, err error) {
	s.parts.drop(u)
	s.fail(w, err)
}

// sniffPartial names the type from the first bytes in the file and checks the size
// against that type's limit.
func (s *Server) sniffPartial(u *partial) error {
	f, err := os.Open(u.path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	mime, limit, err := s.sniff(head[:n])
	if err != nil {
		return err
	}
	if u.size > limit {
		return s.tooLarge()
	}
	u.mime, u.limit = mime, limit
	return nil
}

// finish stores the complete file and records it.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, v desk.CustomerView, u *partial) {
	f, err := os.Open(u.path)
	if err != nil {
		s.fail(w, err)
		return
	}
	hash, size, err := s.blobs.Put(r.Context(), f, u.limit)
	f.Close()
	if err != nil {
		if errors.Is(err, blob.ErrTooLarge) {
			s.dropAndFail(w, u, s.tooLarge())
			return
		}
		s.logger.Warn("customer upload", slog.Any("err", err))
		s.fail(w, fmt.Errorf("store upload: %w", err))
		return
	}
	s.parts.drop(u)
	s.record(w, r, v, cases.Evidence{Hash: hash, Name: fileName(u.name, hash, u.mime), Mime: u.mime, Size: size, Kind: u.kind})
}
