// Package api is shouhou's JSON API under /api/v1: thin handlers over the desk and
// auth services, with every route and its permission declared once in routes.go.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/httpx"
	"github.com/shouhou/shouhou/internal/script"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/training"
	"github.com/shouhou/shouhou/internal/understand"
	"github.com/shouhou/shouhou/internal/validation"
)

// SessionCookie names the browser session cookie.
const SessionCookie = httpx.SessionCookie

// Limits bound what a request may carry.
type Limits struct {
	JSONBody   int64 // bytes
	PhotoBytes int64
	VideoBytes int64
}

// DefaultLimits: 1 MiB of JSON, 10 MiB photos, 100 MiB videos.
func DefaultLimits() Limits {
	return Limits{JSONBody: 1 << 20, PhotoBytes: 10 << 20, VideoBytes: 100 << 20}
}

// Blobs stores evidence files.
type Blobs interface {
	Put(ctx context.Context, r io.Reader, limit int64) (hash string, size int64, err error)
	Open(ctx context.Context, hash string) (io.ReadSeekCloser, error)
}

// Scripts is the shop's script library (internal/script.Service).
type Scripts interface {
	Library(ctx context.Context) (*script.Library, error)
	Save(ctx context.Context, actor string, sc script.Script) (script.Script, error)
	Delete(ctx context.Context, actor, id string) error
	Restore(ctx context.Context, actor, id string) (script.Script, error)
	History(ctx context.Context, id string) ([]desk.ScriptVersion, error)
}

// Classifier reads a customer's message (internal/understand).
type Classifier interface {
	Classify(text string) understand.Result
}

// Opts are the server's dependencies.
type Opts struct {
	Desk         *desk.Desk
	Auth         *auth.Manager
	Blobs        Blobs
	Scripts      Scripts
	Classifier   Classifier
	Limits       Limits
	Logger       *slog.Logger
	SecureCookie bool // set the Secure flag (behind HTTPS)
	// Timeouts are the HTTP server's (NewHTTPServer); the API uses them to give
	// uploads more time. Zero: DefaultTimeouts.
	Timeouts Timeouts
	// Health is checked by /healthz (the store's Ping); nil: only the process.
	Health Pinger
	// Training is the 培训 space (practice cases, assignments, score cards); nil: the
	// training routes answer that training is off.
	Training *training.Space
}

// Pinger checks that the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server serves the API.
type Server struct {
	desk       *desk.Desk
	auth       *auth.Manager
	blobs      Blobs
	scripts    Scripts
	classifier Classifier
	limits     Limits
	logger     *slog.Logger
	secure     bool
	pinger     Pinger
	timeouts   Timeouts
	routes     []route
	training   *training.Space
	// exam is set on the copy that serves a practice case of an exam: the guide and
	// the scripts show what the workbench shows then (training.ExamGuide).
	exam bool
	// thumbing bounds the photo thumbnails made at once.
	thumbing chan struct{}
}

// New builds the API server.
func New(o Opts) *Server {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Limits == (Limits{}) {
		o.Limits = DefaultLimits()
	}
	if o.Timeouts == (Timeouts{}) {
		o.Timeouts = DefaultTimeouts()
	}
	s := &Server{desk: o.Desk, auth: o.Auth, blobs: o.Blobs, scripts: o.Scripts, classifier: o.Classifier,
		limits: o.Limits, logger: o.Logger, secure: o.SecureCookie, pinger: o.Health, timeouts: o.Timeouts,
		thumbing: make(chan struct{}, 2), training: o.Training}
	s.routes = s.routeTable()
	for i, rt := range s.routes {
		if strings.Contains(rt.pattern, "/cases/{id}") {
			s.routes[i].handle = s.inSpace(i, rt.handle)
		}
	}
	return s
}

// Register adds the API's routes to mux, and a JSON 404 for unknown API paths.
func (s *Server) Register(mux *http.ServeMux) {
	for _, rt := range s.routes {
		mux.Handle(rt.method+" "+rt.pattern, s.wrap(rt))
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, apiError(http.StatusNotFound, "no_route", "没有这个接口"))
	})
}

// Handler returns the API alone on its own mux.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Register(mux)
	return mux
}

type ctxKey struct{}

// userFrom returns the signed-in user of a request that passed authentication.
func userFrom(ctx context.Context) store.User {
	u, _ := ctx.Value(ctxKey{}).(store.User)
	return u
}

func actorOf(r *http.Request) desk.Actor {
	u := userFrom(r.Context())
	return desk.Actor{Name: u.Username, Role: u.Role}
}

// wrap authenticates, authorises and recovers around a handler.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				s.logger.Error("panic", slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
				writeJSON(w, http.StatusInternalServerError, apiError(http.StatusInternalServerError, "internal", "服务器内部错误"))
			}
		}()
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if err := checkURL(r.URL); err != nil {
			s.fail(w, r, err)
			return
		}
		// A public write (the login) from another site is refused too: otherwise a
		// foreign page could sign the victim's browser in as the attacker (login CSRF).
		if rt.perm == permPublic && !auth.SameOrigin(r) {
			s.fail(w, r, apiError(http.StatusForbidden, "cross_origin", "拒绝跨站请求"))
			return
		}
		if rt.perm != permPublic {
			u, scopes, viaCookie, err := s.authenticate(r)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if err := scopeAllows(rt.scope(), scopes); err != nil {
				s.fail(w, r, err)
				return
			}
			if viaCookie && !auth.SameOrigin(r) {
				s.fail(w, r, apiError(http.StatusForbidden, "cross_origin", "拒绝跨站请求"))
				return
			}
			if !allowed(u.Role, rt.perm) {
				s.fail(w, r, apiError(http.StatusForbidden, "forbidden", "没有权限: "+rt.perm.label()))
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, u))
			// An agent never reads or writes a case of a shop they do not serve (404).
			if strings.HasPrefix(rt.pattern, "/api/v1/cases/{id}") {
				if id, err := strconv.ParseInt(r.PathValue("id"), 10, 64); err == nil {
					if err := s.desk.CheckVisible(r.Context(), actorOf(r), id); err != nil {
						s.fail(w, r, err)
						return
					}
				}
			}
		}
		if err := rt.handle(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// authenticate accepts an API token (Authorization: Bearer) or a session cookie; it
// returns the token's scopes (none for a session or a full-access token).
func (s *Server) authenticate(r *http.Request) (u store.User, scopes []string, viaCookie bool, err error) {
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return u, nil, false, auth.ErrUnauthenticated
		}
		u, scopes, err = s.auth.FromTokenScoped(r.Context(), strings.TrimSpace(token))
		return u, scopes, false, err
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return u, nil, false, auth.ErrUnauthenticated
	}
	u, err = s.auth.FromSession(r.Context(), c.Value)
	return u, nil, true, err
}

// scopeAllows refuses a route that needs a token scope to a caller without it, and a
// scoped token every route its scopes do not open.
func scopeAllows(need string, have []string) error {
	switch {
	case need != "" && !slices.Contains(have, need):
		return apiError(http.StatusForbidden, "scope_required", "该接口只接受带 "+need+" 权限范围的API令牌(创建令牌时指定 scopes: [\""+need+"\"])")
	case need == "" && len(have) > 0:
		return apiError(http.StatusForbidden, "token_scope", "该令牌只能调用 "+strings.Join(have, "、")+" 接口")
	}
	return nil
}

// decodeJSON reads a JSON body strictly: unknown fields are errors, so a typo in a
// field name is reported instead of silently ignored; so are anything after the one
// JSON value (garbage, a second object), a NUL and bytes that are not UTF-8.
func (s *Server) decodeJSON(r *http.Request, v any) error {
	return decodeJSONLimit(r, v, s.limits.JSONBody)
}

func decodeJSONLimit(r *http.Request, v any, limit int64) error {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apiError(http.StatusRequestEntityTooLarge, "too_large", "请求内容过大")
		}
		return apiError(http.StatusBadRequest, "bad_body", "请求内容读取失败")
	}
	if err := checkJSONText(raw); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		if _, next := dec.Token(); next != io.EOF {
			return apiError(http.StatusBadRequest, "bad_json", "请求内容只能是一个JSON对象,其后不能再有其他内容")
		}
	}
	if err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) {
			return apiError(http.StatusBadRequest, "bad_json", "请求内容不是有效的JSON")
		}
		verr := validation.JSON(err, "")
		return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: verr[0].Message, Field: verr[0].Field, Errors: verr}
	}
	return nil
}

func (s *Server) setSessionCookie(w http.ResponseWriter, secret string, ttl time.Duration) {
	httpx.SetSession(w, secret, ttl, s.secure)
}
