// Package customer is the customer's face: the public upload page of an upload link
// (凭证上传, internal/uploadlink). No sign-in: the link's token is the key. The page
// shows the product and the evidence the guide still needs, nothing else about the
// case or the shop; files stream into the evidence store and become evidence events.
package customer

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/api"
	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/httpx"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/uploadlink"
)

//go:embed upload.html
var pageHTML string

//go:embed static
var staticFS embed.FS

// Opts are the page's dependencies.
type Opts struct {
	Desk     *desk.Desk
	Blobs    blob.Store
	Limits   api.Limits   // photo and video sizes (zero: api.DefaultLimits)
	Timeouts api.Timeouts // an upload gets time by its length (zero: api.DefaultTimeouts)
	Logger   *slog.Logger
	// TempDir holds resumable uploads in progress (a new temporary folder when empty).
	TempDir string
}

// Server serves /u/{token}.
type Server struct {
	desk     *desk.Desk
	blobs    blob.Store
	limits   api.Limits
	timeouts api.Timeouts
	logger   *slog.Logger
	limiter  *uploadlink.Limiter
	page     *template.Template
	parts    *partials
}

// New builds the customer's page.
func New(o Opts) *Server {
	if o.Limits == (api.Limits{}) {
		o.Limits = api.DefaultLimits()
	}
	if o.Timeouts == (api.Timeouts{}) {
		o.Timeouts = api.DefaultTimeouts()
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Server{desk: o.Desk, blobs: o.Blobs, limits: o.Limits, timeouts: o.Timeouts, logger: o.Logger,
		limiter: uploadlink.NewLimiter(o.Desk.Now), page: template.Must(template.New("upload").Parse(pageHTML)),
		parts: &partials{m: map[string]*partial{}, dir: o.TempDir}}
}

// Register adds the page's routes.
func (s *Server) Register(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/u/", http.FileServerFS(static))
	mux.Handle("GET /static/u/", s.headers(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	}))
	mux.Handle("GET /u/{token}", s.headers(s.showPage))
	mux.Handle("GET /u/{token}/state", s.headers(s.state))
	mux.Handle("POST /u/{token}/files", s.headers(s.upload))
	mux.Handle("POST /u/{token}/uploads", s.headers(s.startUpload))
	mux.Handle("GET /u/{token}/uploads/{id}", s.headers(s.uploadOffset))
	mux.Handle("PATCH /u/{token}/uploads/{id}", s.headers(s.uploadPiece))
}

// headers: no framing, no sniffing, no referrer (the URL is the key), no caching, own
// script and styles only.
func (s *Server) headers(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("X-Robots-Tag", "noindex, nofollow")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "+
			"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'")
		if !strings.HasPrefix(r.URL.Path, "/static/u/") {
			w.Header().Set("Cache-Control", "no-store")
		}
		h(w, r)
	})
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// open rate-limits the request (per address, then per link) and opens the link.
func (s *Server) open(r *http.Request) (desk.CustomerView, error) {
	cfg := s.desk.LinkConfig()
	token := r.PathValue("token")
	if !s.limiter.Allow("addr:"+clientAddr(r), cfg.PerAddrPerMinute) || !s.limiter.Allow("link:"+uploadlink.Hash(token), cfg.PerLinkPerMinute) {
		return desk.CustomerView{}, uploadlink.ErrLimited
	}
	return s.desk.OpenUploadLink(r.Context(), token)
}

// refusal maps a refused link or upload to a status and a Chinese message.
func refusal(err error) (int, string, string) {
	var rf *uploadlink.Refusal
	if errors.As(err, &rf) {
		switch rf {
		case uploadlink.ErrUnknown:
			return http.StatusNotFound, rf.Code, rf.Message
		case uploadlink.ErrLimited:
			return http.StatusTooManyRequests, rf.Code, rf.Message
		case uploadlink.ErrClosed, uploadlink.ErrFull:
			return http.StatusConflict, rf.Code, rf.Message
		}
		return http.StatusGone, rf.Code, rf.Message
	}
	p := httpx.Explain(err)
	if p.Status >= 500 {
		return p.Status, p.Code, "服务器暂时无法处理,请稍后重试"
	}
	return p.Status, p.Code, p.Message
}

type pageData struct {
	Token    string
	Product  string
	Missing  []playbook.Need
	Choices  []choice
	Received int
	Expires  string
	Refused  string
	PhotoMB  int64
	VideoMB  int64
}

type choice struct {
	Kind, Label, Accept string
	Missing             bool
}

// choices are the kinds the customer can send: the missing ones first.
func choices(missing []playbook.Need) []choice {
	var first, rest []choice
	for _, k := range cases.EvidenceKinds {
		c := choice{Kind: k.Code, Label: k.Label, Accept: "image/*"}
		switch k.Code {
		case cases.EvidenceVideo:
			c.Accept = "video/*"
		case cases.EvidenceOther:
			c.Accept = "image/*,video/*"
		}
		for _, n := range missing {
			if n.Kind == k.Code {
				c.Missing = true
			}
		}
		if c.Missing {
			first = append(first, c)
		} else {
			rest = append(rest, c)
		}
	}
	return append(first, rest...)
}

func (s *Server) showPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.open(r)
	data := pageData{PhotoMB: s.limits.PhotoBytes >> 20, VideoMB: s.limits.VideoBytes >> 20}
	status := http.StatusOK
	if err != nil {
		status, _, data.Refused = refusal(err)
	} else {
		data.Token, data.Product, data.Missing, data.Received = r.PathValue("token"), v.Product, v.Missing, v.Received
		data.Choices = choices(v.Missing)
		data.Expires = v.Link.ExpiresAt.In(s.desk.Zone()).Format("1月2日 15:04")
	}
	var buf bytes.Buffer
	if err := s.page.Execute(&buf, data); err != nil {
		s.logger.Error("upload page", slog.Any("err", err))
		http.Error(w, "服务器内部错误", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// stateView is what the page's script reads after each file.
type stateView struct {
	Product  string          `json:"product"`
	Missing  []playbook.Need `json:"missing"`
	Received int             `json:"received"`
}

func (s *Server) state(w http.ResponseWriter, r *http.Request) {
	v, err := s.open(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, stateView{Product: v.Product, Missing: nonNil(v.Missing), Received: v.Received})
}

func nonNil(n []playbook.Need) []playbook.Need {
	if n == nil {
		return []playbook.Need{}
	}
	return n
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	status, code, msg := refusal(err)
	if status >= 500 {
		s.logger.Error("customer upload", slog.Any("err", err))
	}
	httpx.WriteJSON(w, status, map[string]string{"code": code, "message": msg})
}

func problem(status int, code, msg string) error {
	return httpx.New(status, code, msg)
}

// upload takes one file as the request body (?kind=&name=): the type is sniffed from
// its first bytes, the size checked as it streams into the evidence store, and the
// file recorded on the case as the customer's evidence.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	v, kind, err := s.admit(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	largest := max(s.limits.PhotoBytes, s.limits.VideoBytes)
	if r.ContentLength > largest {
		s.fail(w, s.tooLarge())
		return
	}
	s.uploadDeadline(w, r)
	body := http.MaxBytesReader(w, r.Body, largest+1)
	head := make([]byte, 512)
	n, err := io.ReadFull(body, head)
	if n == 0 {
		s.fail(w, problem(http.StatusUnprocessableEntity, "empty", "文件是空的,请重新选择"))
		return
	}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		s.fail(w, errBroken)
		return
	}
	mime, limit, err := s.sniff(head[:n])
	if err != nil {
		s.fail(w, err)
		return
	}
	hash, size, err := s.blobs.Put(r.Context(), io.MultiReader(bytes.NewReader(head[:n]), body), limit)
	var maxErr *http.MaxBytesError
	switch {
	case errors.Is(err, blob.ErrTooLarge) || errors.As(err, &maxErr):
		s.fail(w, s.tooLarge())
		return
	case err != nil:
		s.fail(w, errBroken)
		s.logger.Warn("customer upload", slog.Any("err", err))
		return
	}
	s.record(w, r, v, cases.Evidence{Hash: hash, Name: fileName(r.URL.Query().Get("name"), hash, mime), Mime: mime, Size: size, Kind: kind})
}

var errBroken = problem(http.StatusBadRequest, "upload_broken", "上传中断,请重试")

// admit opens the link (rate-limited) and checks what every upload needs: same
// origin, a known kind, room on the link and on the case.
func (s *Server) admit(r *http.Request) (desk.CustomerView, string, error) {
	v, err := s.open(r)
	if err != nil {
		return v, "", err
	}
	if !auth.SameOrigin(r) {
		return v, "", problem(http.StatusForbidden, "cross_site", "拒绝跨站请求")
	}
	kind := r.URL.Query().Get("kind")
	if _, ok := cases.EvidenceLabel(kind); !ok {
		return v, "", problem(http.StatusUnprocessableEntity, "bad_kind", "请选择凭证类型(六面照、面单、内件照片、视频或其他)")
	}
	if v.Link.Uploads >= s.desk.LinkConfig().MaxFiles {
		return v, "", uploadlink.ErrFull
	}
	return v, kind, s.desk.CheckEvidence(r.Context(), v.Link.CaseID, desk.AnyVersion)
}

func (s *Server) tooLarge() error {
	return problem(http.StatusRequestEntityTooLarge, "too_large",
		"文件太大:照片不超过"+strconv.FormatInt(s.limits.PhotoBytes>>20, 10)+"MB,视频不超过"+strconv.FormatInt(s.limits.VideoBytes>>20, 10)+"MB")
}

// sniff names the type of a file from its first bytes and gives the size limit of
// that type.
func (s *Server) sniff(head []byte) (mime string, limit int64, err error) {
	mime, ok := blob.Sniff(head)
	if !ok {
		return "", 0, problem(http.StatusUnsupportedMediaType, "bad_type", "只能上传照片(JPG、PNG、GIF、WebP)或视频(MP4、MOV、WebM)")
	}
	if blob.IsVideo(mime) {
		return mime, s.limits.VideoBytes, nil
	}
	return mime, s.limits.PhotoBytes, nil
}

// uploadDeadline gives a request time by its length, as the API does for uploads.
func (s *Server) uploadDeadline(w http.ResponseWriter, r *http.Request) {
	t := s.timeouts
	if r.ContentLength > 0 && t.UploadRate > 0 {
		d := min(t.Read+time.Duration(r.ContentLength/t.UploadRate)*time.Second, t.UploadMax)
		api.SetDeadlines(w, d, d+t.Write)
	}
}

// record has the desk record a stored file and answers with the new missing list.
func (s *Server) record(w http.ResponseWriter, r *http.Request, v desk.CustomerView, ev cases.Evidence) {
	if _, err := s.desk.CustomerEvidence(r.Context(), v.Link, ev); err != nil {
		s.fail(w, err)
		return
	}
	after, err := s.desk.OpenUploadLink(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, stateView{Product: after.Product, Missing: nonNil(after.Missing), Received: after.Received})
}

// fileName keeps the customer's file name when it is sane, else names it by hash.
func fileName(name, hash, mime string) string {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), "\\", "/"))
	if name == "." || name == "/" || name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > 100 || strings.ContainsAny(name, "\x00\r\n") {
		ext := ".jpg"
		if blob.IsVideo(mime) {
			ext = ".mp4"
		}
		return "顾客上传-" + hash[:8] + ext
	}
	return name
}
