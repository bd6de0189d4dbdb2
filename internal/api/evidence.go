package api

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/cases"
)

const multipartMemory = 8 << 20

// uploadEvidence stores one photo or video (multipart field "file", with "kind") by
// content hash and records it on the case. The type is sniffed from the content; the
// size limit depends on whether it is a photo or a video.
func (s *Server) uploadEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	s.uploadDeadline(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, s.limits.VideoBytes+multipartMemory)
	if err := r.ParseMultipartForm(multipartMemory); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apiError(http.StatusRequestEntityTooLarge, "too_large", "文件过大")
		}
		return fieldError("file", "请用 multipart/form-data 上传文件")
	}
	defer r.MultipartForm.RemoveAll()
	kind := r.FormValue("kind")
	if kind == "" {
		kind = "other"
	}
	if _, ok := cases.EvidenceLabel(kind); !ok {
		return fieldError("kind", "凭证类型须为 six_sides、waybill、contents、video 或 other")
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		return fieldError("file", "请选择要上传的照片或视频")
	}
	defer file.Close()
	version, err := expected(r, formVersion(r))
	if err != nil {
		return err
	}
	// The case is checked before the file is stored: an upload to a missing, stale,
	// closed or full case leaves nothing on disk.
	if err := s.desk.CheckEvidence(r.Context(), id, version); err != nil {
		return err
	}
	ev, err := s.storeEvidence(r, file, header, kind)
	if err != nil {
		return err
	}
	c, err := s.desk.AddEvidence(r.Context(), actorOf(r), id, version, ev)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, caseView{Case: c})
	return nil
}

func formVersion(r *http.Request) *int64 {
	v, err := strconv.ParseInt(r.FormValue("version"), 10, 64)
	if err != nil {
		return nil
	}
	return &v
}

func (s *Server) storeEvidence(r *http.Request, file multipart.File, header *multipart.FileHeader, kind string) (cases.Evidence, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(file, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return cases.Evidence{}, fieldError("file", "文件为空")
	}
	mime, ok := blob.Sniff(head[:n])
	if !ok {
		return cases.Evidence{}, fieldError("file", "只支持 JPEG、PNG、GIF、WebP 图片和 MP4、MOV、WebM 视频")
	}
	limit := s.limits.PhotoBytes
	if blob.IsVideo(mime) {
		limit = s.limits.VideoBytes
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return cases.Evidence{}, err
	}
	hash, size, err := s.blobs.Put(r.Context(), file, limit)
	if errors.Is(err, blob.ErrTooLarge) {
		return cases.Evidence{}, apiError(http.StatusRequestEntityTooLarge, "too_large",
			"文件过大: 图片不超过"+strconv.FormatInt(s.limits.PhotoBytes>>20, 10)+"MB,视频不超过"+strconv.FormatInt(s.limits.VideoBytes>>20, 10)+"MB")
	}
	if err != nil {
		return cases.Evidence{}, err
	}
	name := filepath.Base(header.Filename)
	if !utf8.ValidString(name) || len(name) > 200 {
		name = hash[:12]
	}
	return cases.Evidence{Hash: hash, Name: name, Mime: mime, Size: size, Kind: kind}, nil
}

// downloadEvidence serves a file that is recorded on the case (and only then).
func (s *Server) downloadEvidence(w http.ResponseWriter, r *http.Request) error {
	// A 100 MiB video to a phone takes longer than the server's write timeout.
	SetDeadlines(w, 0, s.timeouts.UploadMax)
	ev, err := s.pathEvidence(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", disposition(ev.Name, r.URL.Query().Get("download") == "1"))
	return s.serveBlob(w, r, ev.Hash, ev.Mime, ev.At)
}

// pathEvidence is the evidence {hash} recorded on case {id}; a file the case does not
// hold is not found, whoever else holds it.
func (s *Server) pathEvidence(r *http.Request) (cases.Evidence, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return cases.Evidence{}, err
	}
	c, err := s.desk.Get(r.Context(), id)
	if err != nil {
		return cases.Evidence{}, err
	}
	hash := r.PathValue("hash")
	for _, ev := range c.Evidence {
		if ev.Hash == hash {
			return ev, nil
		}
	}
	return cases.Evidence{}, apiError(http.StatusNotFound, "not_found", "该工单没有这个凭证")
}

// disposition names the file for the browser: shown inline (photos, videos on the case
// page) or saved with ?download=1, under its recorded name (RFC 6266, UTF-8).
func disposition(name string, download bool) string {
	kind := "inline"
	if download {
		kind = "attachment"
	}
	return kind + "; filename*=UTF-8''" + url.PathEscape(name)
}

// serveBlob streams a stored file; with no mime given it is sniffed again from the
// content, and only photo and video types are ever served.
func (s *Server) serveBlob(w http.ResponseWriter, r *http.Request, hash, mime string, modified time.Time) error {
	f, err := s.blobs.Open(r.Context(), hash)
	if err != nil {
		return err
	}
	defer f.Close()
	if mime == "" {
		head := make([]byte, 512)
		n, _ := io.ReadFull(f, head)
		var ok bool
		if mime, ok = blob.Sniff(head[:n]); !ok {
			return apiError(http.StatusNotFound, "not_found", "找不到该文件")
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", mime)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	http.ServeContent(w, r, "", modified, f)
	return nil
}
