package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/httpx"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/script"
	"github.com/shouhou/shouhou/internal/store"
)

// pageNames are the templates/<name>.html pages; each is parsed with layout.html.
var pageNames = []string{"login", "queue", "case", "new", "register", "supervisor", "payouts", "error", "users", "profile", "shop", "notifications", "scripts", "script", "merge", "sop", "alerts", "reports", "import", "shops", "warehouse", "parcels", "training", "attempt", "aftersales_import"}

// parsePages parses every page with the template functions; times show in zone, the
// shop's (desk.Zone).
func parsePages(zone *time.Location) (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	fm := maps.Clone(funcs)
	fm["when"] = func(t time.Time) string { return fmtTime(t, zone) }
	fm["whenp"] = func(t *time.Time) string { return fmtTimeP(t, zone) }
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(fm).ParseFS(templateFS,
			"templates/layout.html", "templates/intake.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

var funcs = template.FuncMap{
	"receiptForm": func(number string, caseID int64) map[string]any {
		return map[string]any{"Number": number, "CaseID": caseID}
	},
	"typeLabel":     func(t cases.ProblemType) string { return label(cases.ProblemTypes, string(t)) },
	"platformLabel": func(p cases.Platform) string { return label(cases.Platforms, string(p)) },
	"demandLabel":   func(d cases.Demand) string { return label(cases.Demands, string(d)) },
	"emotionLabel":  func(e cases.Emotion) string { return label(cases.Emotions, string(e)) },
	"stageLabel":    func(s cases.Stage) string { return stageLabel(s) },
	"statusLabel":   cases.StatusLabel,
	"levelLabel":    levelLabel,
	"yuan":          func(a money.Amount) string { return a.String() },
	"when":          func(time.Time) string { panic("when: set by parsePages") },
	"whenp":         func(*time.Time) string { panic("whenp: set by parsePages") },
	"roleLabel":     roleLabel,
	"solutionLabel": solutionLabel,
	"intentLabel":   func(i string) string { return label(script.Intents(), i) },
	"has": func(list any, v string) bool {
		switch l := list.(type) {
		case []cases.Stage:
			return slices.Contains(l, cases.Stage(v))
		case []cases.ProblemType:
			return slices.Contains(l, cases.ProblemType(v))
		case []cases.Platform:
			return slices.Contains(l, cases.Platform(v))
		case []string:
			return slices.Contains(l, v)
		}
		return false
	},
	"stateLabel": func(kind, s string) string { return execution.StateLabelOf(execution.Kind(kind), execution.State(s)) },
	"payChannelLabel": func(c string) string {
		if l, ok := cases.LabelOf(desk.PayChannels, c); ok {
			return l
		}
		return "未填写"
	},
	"evidenceLabel": func(k string) string { return evidenceKindLabel(k) },
	"isVideo":       blob.IsVideo,
	"isImage":       func(m string) bool { return strings.HasPrefix(m, "image/") },
	"pct":           func(f float64) float64 { return f * 100 },
	"fieldArgs":     fieldArgs,
	"who":           displayName,
	"timerLabel":    timerLabel,
	"join":          strings.Join,
	"shopName": func(names map[int64]string, id int64) string {
		if n := names[id]; n != "" {
			return n
		}
		return fmt.Sprintf("店铺%d", id)
	},
}

// fieldView is one text input of the intake form with its error.
type fieldView struct {
	Name, Label, Value, Type, Error string
	Required                        bool
}

func fieldArgs(f intakeForm, name, label, value, typ string, required bool) fieldView {
	return fieldView{Name: name, Label: label, Value: value, Type: typ, Error: f.Errors[name], Required: required}
}

func label(list []cases.Code, code string) string {
	for _, c := range list {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

func stageLabel(s cases.Stage) string {
	if l, ok := cases.StageLabels[s]; ok {
		return l
	}
	return string(s)
}

func levelLabel(l cases.Level) string {
	switch l {
	case 1:
		return "一级"
	case 2:
		return "二级"
	case 3:
		return "三级"
	}
	return "—"
}

func roleLabel(r store.Role) string { return cases.RoleLabel(string(r)) }

func solutionLabel(kind string) string {
	if l, ok := cases.SolutionLabel(kind); ok {
		return l
	}
	return kind
}

func evidenceKindLabel(k string) string { return label(cases.EvidenceKinds, k) }

// fmtTime shows a time in the shop's zone.
func fmtTime(t time.Time, zone *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(zone).Format("2006-01-02 15:04")
}

func fmtTimeP(t *time.Time, zone *time.Location) string {
	if t == nil {
		return "—"
	}
	return fmtTime(*t, zone)
}

// timeLeft says how long until a deadline, or how long it is overdue.
func timeLeft(due *time.Time, now time.Time) (text string, overdue bool) {
	if due == nil {
		return "—", false
	}
	d := due.Sub(now)
	if d < 0 {
		return "超时 " + humanDuration(-d), true
	}
	return "剩 " + humanDuration(d), false
}

func humanDuration(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d天%d小时", int(d.Hours())/24, int(d.Hours())%24)
	case d >= time.Hour:
		return fmt.Sprintf("%d小时%d分", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%d分钟", int(d.Minutes()))
	}
}

// layout is what every page passes to layout.html.
type layout struct {
	Title  string
	Nav    string
	User   store.User
	Header headerInfo
	Flash  *flash
	Data   any
	// Names are the users' display names by user name ({{who $.Names .Assignee}}).
	Names userNames
	// MultiShop: the business has more than one shop, so pages show a shop column and
	// select; ShopNames are the shops' names by id, Shops the shops the user may pick.
	MultiShop bool
	ShopNames map[int64]string
	Shops     []store.Shop
}

func (l layout) CanApprove() bool { return canApprove(l.User) }

// IsWarehouse: the warehouse's account sees only the receiving desk.
func (l layout) IsWarehouse() bool { return l.User.Role == store.RoleWarehouse }

// IsAdmin shows the admin's pages in the navigation.
func (l layout) IsAdmin() bool { return l.User.Role == store.RoleAdmin }

// flash is a message carried over a redirect (POST → 303 → GET) in a short cookie.
type flash struct {
	Kind     string   `json:"k"` // ok, error, warn
	Message  string   `json:"m"`
	Warnings []string `json:"w,omitempty"`
}

const flashCookie = "shouhou_flash"

func (s *Server) setFlash(w http.ResponseWriter, f flash) {
	raw, _ := json.Marshal(f)
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString(raw), Path: "/",
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	var f flash
	if json.Unmarshal(raw, &f) != nil || f.Message == "" {
		return nil
	}
	return &f
}

// redirect answers a successful form with 303 to target and a message for the next page.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, target string, f flash) error {
	if f.Message != "" {
		s.setFlash(w, f)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

func warningTexts(vs []playbook.Violation) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Message
	}
	return out
}

// render writes a page with the layout; Title and Nav come from the caller.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, l layout) error {
	l.User = userOf(r)
	if l.User.Username != "" && l.Names == nil {
		names, err := s.userNames(r.Context())
		if err != nil {
			return err
		}
		l.Names = names
	}
	if l.User.Username != "" {
		if err := s.shopsOf(r, &l); err != nil {
			return err
		}
	}
	l.Header = s.headerOf(r)
	if l.Flash == nil {
		l.Flash = s.takeFlash(w, r)
	}
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", l); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if err := s.render(w, r, status, "error", layout{Title: "出错了", Data: msg}); err != nil {
		http.Error(w, msg, status)
	}
}

// problem is an error as the agent reads it: status, a Chinese message, and the
// fields at fault (from cases.ValidationError) for inline display.
type problem struct {
	Status  int
	Message string
	Fields  map[string]string
}

// explain is the shared error mapping (httpx.Explain, the same as the API's) as the
// agent reads it: the message, and the fields at fault for inline display.
func explain(err error) problem {
	p := httpx.Explain(err)
	out := problem{Status: p.Status, Message: p.Message}
	switch {
	case len(p.Errors) > 0:
		out.Message, out.Fields = "请修改标出的内容: "+p.Message, map[string]string{}
		for _, f := range p.Errors {
			if _, ok := out.Fields[f.Field]; !ok {
				out.Fields[f.Field] = f.Message
			}
		}
	case p.Field != "":
		out.Fields = map[string]string{p.Field: p.Message}
	}
	return out
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := explain(err)
	if p.Status >= 500 {
		s.logger.ErrorContext(r.Context(), "page failed", slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	s.errorPage(w, r, p.Status, p.Message)
}

// withQuery returns path?q with key set to value (empty removes it).
func withQuery(path string, q url.Values, key, value string) string {
	n := url.Values{}
	for k, v := range q {
		n[k] = v
	}
	if value == "" {
		n.Del(key)
	} else {
		n.Set(key, value)
	}
	if len(n) == 0 {
		return path
	}
	return path + "?" + n.Encode()
}

// shopsOf fills the layout's shops: the ones the user serves (every shop for
// supervisors, admins and agents who serve all).
func (s *Server) shopsOf(r *http.Request, l *layout) error {
	shops, err := s.desk.Shops(r.Context())
	if err != nil || len(shops) < 2 {
		return err
	}
	served, err := s.desk.ServedShops(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	l.MultiShop, l.ShopNames = true, map[int64]string{}
	for _, sh := range shops {
		name := sh.Name
		if name == "" {
			name = sh.Code
		}
		l.ShopNames[sh.ID] = name
		if len(served) == 0 || slices.Contains(served, sh.ID) {
			l.Shops = append(l.Shops, sh)
		}
	}
	return nil
}
