package api

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"github.com/shouhou/shouhou/internal/blob"
)

// thumbEdge is the longer side of a photo's thumbnail on the case page, in pixels.
const thumbEdge = 320

// evidenceThumb serves a small JPEG of a photo recorded on the case, made on first
// view (at most two at once: decoding a photo takes memory) and kept in the evidence
// store; a photo it cannot be made of is served whole.
func (s *Server) evidenceThumb(w http.ResponseWriter, r *http.Request) error {
	ev, err := s.pathEvidence(r)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(ev.Mime, "image/") {
		return apiError(http.StatusNotFound, "not_found", "视频没有缩略图")
	}
	thumb, ok, err := s.desk.Thumb(r.Context(), ev.Hash)
	if err != nil {
		return err
	}
	if !ok {
		if thumb, err = s.makeThumb(r, ev.Hash); errors.Is(err, blob.ErrNoThumbnail) {
			return s.serveBlob(w, r, ev.Hash, ev.Mime, ev.At)
		} else if err != nil {
			return err
		}
	}
	return s.serveBlob(w, r, thumb, "image/jpeg", ev.At)
}

func (s *Server) makeThumb(r *http.Request, hash string) (string, error) {
	select {
	case s.thumbing <- struct{}{}:
		defer func() { <-s.thumbing }()
	case <-r.Context().Done():
		return "", r.Context().Err()
	}
	f, err := s.blobs.Open(r.Context(), hash)
	if err != nil {
		return "", err
	}
	defer f.Close()
	small, err := blob.Thumbnail(f, thumbEdge)
	if err != nil {
		return "", err
	}
	thumb, _, err := s.blobs.Put(r.Context(), bytes.NewReader(small), int64(len(small)))
	if err != nil {
		return "", err
	}
	return thumb, s.desk.SaveThumb(r.Context(), hash, thumb)
}
