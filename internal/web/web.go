// Package web is the agent workbench: server-rendered Chinese pages over the desk for
// the whole SOP (queue, case page with the guide, new case, register, supervisor view).
// Handlers are thin, one per file named for the action; templates and static files are
// embedded. The browser session is the API's (shouhou_session), so pages may also call
// /api/v1 for live checks and the evidence upload.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/calendar"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/httpx"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/training"
)

// SessionCookie is the API's session cookie; the workbench shares it.
const SessionCookie = httpx.SessionCookie

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Opts are the workbench's dependencies.
type Opts struct {
	Desk *desk.Desk
	Auth *auth.Manager
	// Calendar is the shop's working days (the 当前SOP page shows the year's holidays).
	Calendar *calendar.Calendar
	// Flows name the facts of every step in Chinese on the timeline; nil shows keys.
	Flows        *playbook.Set
	Logger       *slog.Logger
	SecureCookie bool
	Now          func() time.Time
	// Training is the 培训 space (nil: the 培训 pages say training is off).
	Training *training.Space
}

// Server serves the workbench pages.
type Server struct {
	desk     *desk.Desk
	auth     *auth.Manager
	flows    *playbook.Set
	calendar *calendar.Calendar
	logger   *slog.Logger
	secure   bool
	now      func() time.Time
	pages    map[string]*template.Template
	training *training.Space
	// practice is set on the copy of the server that serves a practice case (the
	// training space's desk of that attempt): the case page shows it as 培训.
	practice *practice
}

// New builds the workbench.
func New(o Opts) (*Server, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	pages, err := parsePages(o.Desk.Zone())
	if err != nil {
		return nil, err
	}
	return &Server{desk: o.Desk, auth: o.Auth, flows: o.Flows, calendar: o.Calendar,
		logger: o.Logger, secure: o.SecureCookie, now: o.Now, pages: pages, training: o.Training}, nil
}

// Must panics on an error from New: the templates and scripts are embedded, so an
// error is a build defect.
func Must(s *Server, err error) *Server {
	if err != nil {
		panic(err)
	}
	return s
}

// notFound answers a path the workbench does not have with a page in Chinese (the
// mux's own answer is an English line).
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return httpx.New(http.StatusNotFound, "not_found", "找不到这个页面,请检查地址")
}

// role is the least role a page needs.
type role int

const (
	anyone role = iota
	agent
	supervisor
	admin
	// warehouseDesk is the receiving desk: the warehouse role, supervisors and admins.
	warehouseDesk
)

// Register adds the workbench's routes to mux (routeTable). The case routes of a
// practice case (a number from cases.TrainingCaseBase) run on the training space's
// desk of its attempt (inSpace).
func (s *Server) Register(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	for i, rt := range s.routeTable() {
		h := rt.handle
		if strings.Contains(rt.pattern, "/cases/{id}") {
			h = s.inSpace(i, h)
		}
		mux.Handle(rt.pattern, s.wrap(rt.need, h))
	}
}

// webRoute is one workbench route and the least role it needs.
type webRoute struct {
	pattern string
	need    role
	handle  func(w http.ResponseWriter, r *http.Request) error
}

// routeTable declares every workbench route once, with the role it needs.
func (s *Server) routeTable() []webRoute {
	return []webRoute{
		{"GET /{$}", agent, s.home},
		{"/", anyone, s.notFound},
		{"GET /login", anyone, s.loginForm},
		{"POST /login", anyone, s.login},
		{"POST /logout", agent, s.logout},
		{"GET /queue", agent, s.myQueue},
		{"GET /team", agent, s.teamQueue},
		{"GET /unassigned", agent, s.unassignedQueue},
		{"GET /followups", agent, s.followUpQueue},
		{"POST /cases/{id}/followup", agent, s.caseFollowUp},
		{"POST /me/status", agent, s.myStatus},
		{"GET /notifications", agent, s.notificationsPage},
		{"POST /notifications/read", agent, s.notificationsRead},
		{"POST /cases/{id}/assign", agent, s.caseAssign},
		{"GET /new", agent, s.newCaseForm},
		{"POST /new", agent, s.newCase},
		{"GET /cases/{id}", agent, s.caseView},
		{"POST /cases/{id}/edit", agent, s.caseEdit},
		{"POST /cases/{id}/fact", agent, s.caseFact},
		{"POST /cases/{id}/sent", agent, s.caseSent},
		{"POST /cases/{id}/solution", agent, s.caseSolution},
		{"POST /cases/{id}/executions/{sid}", agent, s.caseExecute},
		{"POST /cases/{id}/remark", agent, s.caseRemark},
		{"POST /cases/{id}/stage", agent, s.caseStage},
		{"POST /cases/{id}/registered", agent, s.caseRegistered},
		{"POST /cases/{id}/close", agent, s.caseClose},
		{"POST /cases/{id}/pause", agent, s.casePause},
		{"POST /cases/{id}/resume", agent, s.caseResume},
		{"POST /cases/{id}/reopen", agent, s.caseReopen},
		{"POST /cases/{id}/upload-links", agent, s.caseLinkCreate},
		{"POST /cases/{id}/upload-links/{lid}/revoke", agent, s.caseLinkRevoke},
		{"GET /cases/{id}/merge", agent, s.caseMergePreview},
		{"POST /cases/{id}/merge", agent, s.caseMerge},
		{"POST /cases/{id}/split", agent, s.caseSplit},
		{"POST /cases/{id}/decide", supervisor, s.approvalDecide},
		{"GET /register", agent, s.register},
		{"GET /register.csv", agent, s.registerCSV},
		{"GET /register.xlsx", agent, s.registerXLSX},
		{"GET /register/import", supervisor, s.registerImportForm},
		{"POST /register/import", supervisor, s.registerImport},
		{"GET /aftersales/import", supervisor, s.afterSaleImportForm},
		{"POST /aftersales/import", supervisor, s.afterSaleImport},
		{"GET /supervisor", supervisor, s.supervisorView},
		{"GET /sop", supervisor, s.sopPage},
		{"POST /sop/policy", admin, s.sopPolicy},
		{"GET /scripts", agent, s.scriptsPage},
		{"GET /scripts/{id}", agent, s.scriptEdit},
		{"POST /scripts/{id}", supervisor, s.scriptSave},
		{"POST /scripts/{id}/hide", supervisor, s.scriptHide},
		{"POST /scripts/{id}/restore", supervisor, s.scriptRestore},
		{"GET /payouts", supervisor, s.payouts},
		{"GET /alerts", supervisor, s.alertsPage},
		{"GET /reports", supervisor, s.reportsPage},
		{"POST /alerts/{id}/ack", supervisor, s.alertAck},
		{"GET /payouts.csv", supervisor, s.payoutsCSV},
		{"POST /payouts/{id}/{sid}", supervisor, s.payoutMark},
		{"GET /profile", agent, s.profile},
		{"POST /profile", agent, s.profileSave},
		{"GET /warehouse", warehouseDesk, s.warehousePage},
		{"GET /parcels", agent, s.unknownParcelsPage},
		{"POST /parcels/{id}/claim", agent, s.claimParcel},
		{"GET /admin/users", admin, s.users},
		{"POST /admin/users", admin, s.userCreate},
		{"POST /admin/users/{id}", admin, s.userUpdate},
		{"POST /admin/users/{id}/shops", admin, s.userShops},
		{"GET /admin/shop", admin, s.shopsRedirect},
		{"GET /admin/shops", admin, s.shopsList},
		{"GET /admin/shops/new", admin, s.shopNew},
		{"POST /admin/shops", admin, s.shopSave},
		{"GET /admin/shops/{id}", admin, s.shopEdit},
		{"POST /admin/shops/{id}", admin, s.shopSave},
		{"GET /training", agent, s.trainingPage},
		{"POST /training/start", agent, s.trainingStart},
		{"POST /training/assign", supervisor, s.trainingAssign},
		{"POST /training/replay", supervisor, s.trainingReplay},
		{"GET /training/attempts/{id}", agent, s.trainingAttempt},
		{"POST /training/attempts/{id}/skip", agent, s.trainingSkip},
		{"POST /training/attempts/{id}/finish", agent, s.trainingFinish},
	}
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

type ctxKey struct{}

// userOf is the signed-in user of a request that passed wrap.
func userOf(r *http.Request) store.User {
	u, _ := r.Context().Value(ctxKey{}).(store.User)
	return u
}

func actorOf(r *http.Request) desk.Actor {
	u := userOf(r)
	return desk.Actor{Name: u.Username, Role: u.Role}
}

func canApprove(u store.User) bool {
	return u.Role == store.RoleSupervisor || u.Role == store.RoleAdmin
}

// slowPage is logged: every page is meant to answer within 300 ms server time.
const slowPage = 300 * time.Millisecond

// wrap authenticates (redirecting to the login page, with a message when the session
// expired), checks the role and the origin of writes, and recovers from panics.
func (s *Server) wrap(need role, h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p) // a deliberate abort of a response already under way
				}
				s.logger.Error("panic", slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
				s.errorPage(w, r, http.StatusInternalServerError, "服务器内部错误,请稍后重试")
			}
		}()
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		// Pages load only their own script, styles and media (evidence previews are
		// blob: URLs); nothing inline, so injected markup cannot run.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "+
			"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		if !auth.SameOrigin(r) {
			s.errorPage(w, r, http.StatusForbidden, "拒绝跨站请求")
			return
		}
		if need > anyone {
			c, err := r.Cookie(SessionCookie)
			if err != nil || c.Value == "" {
				s.toLogin(w, r, "")
				return
			}
			u, err := s.auth.FromSession(r.Context(), c.Value)
			if err != nil {
				if errors.Is(err, auth.ErrUnauthenticated) {
					s.clearSession(w)
					s.toLogin(w, r, "expired")
					return
				}
				s.fail(w, r, err)
				return
			}
			if u.Role == store.RoleWarehouse && need != warehouseDesk && r.URL.Path != "/logout" {
				if r.Method == http.MethodGet && (r.URL.Path == "/" || r.URL.Path == "/queue") {
					http.Redirect(w, r, "/warehouse", http.StatusSeeOther)
					return
				}
				s.errorPage(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, u)), http.StatusForbidden, "没有权限:仓库账号只能使用仓库收货页面")
				return
			}
			if need == warehouseDesk && u.Role != store.RoleWarehouse && !canApprove(u) {
				s.errorPage(w, r, http.StatusForbidden, "没有权限:只有仓库、主管可以使用仓库收货页面")
				return
			}
			if need == supervisor && !canApprove(u) {
				s.errorPage(w, r, http.StatusForbidden, "没有权限:只有主管可以查看此页面")
				return
			}
			if need == admin && u.Role != store.RoleAdmin {
				s.errorPage(w, r, http.StatusForbidden, "没有权限:只有管理员可以查看此页面")
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, u))
			// An agent never opens or changes a case of a shop they do not serve.
			if strings.Contains(r.Pattern, " /cases/{id}") {
				if id, err := strconv.ParseInt(r.PathValue("id"), 10, 64); err == nil {
					if err := s.desk.CheckVisible(r.Context(), actorOf(r), id); err != nil {
						s.fail(w, r, err)
						return
					}
				}
			}
		}
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
		if took := time.Since(start); took > slowPage {
			s.logger.Warn("slow page", slog.String("path", r.URL.Path), slog.Duration("took", took))
		}
	})
}

// toLogin sends the browser to the login page and back to where it was afterwards.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request, why string) {
	q := url.Values{}
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		q.Set("next", r.URL.RequestURI())
	}
	if why != "" {
		q.Set("why", why)
	}
	target := "/login"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (s *Server) setSession(w http.ResponseWriter, secret string, ttl time.Duration) {
	httpx.SetSession(w, secret, ttl, s.secure)
}

func (s *Server) clearSession(w http.ResponseWriter) { httpx.SetSession(w, "", -1, s.secure) }

// home is where signing in lands: agents on their queue, supervisors and admins on
// what needs them (pending approvals, overdue cases), not on an empty queue of their
// own.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	target := "/queue"
	if canApprove(userOf(r)) {
		target = "/supervisor"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

func pathID(r *http.Request) (int64, error) { return httpx.PathID(r, "id") }
