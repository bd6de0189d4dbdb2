package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/store/storetest"
	"github.com/shouhou/shouhou/internal/understand"
)

type harness struct {
	t      *testing.T
	dir    string // the blobs are in dir/blobs
	auth   *auth.Manager
	store  *sqlstore.Store
	srv    *httptest.Server
	api    *Server
	tokens map[store.Role]string
}

// sharedClassifier trains the classifier once per test binary: it is read-only.
var sharedClassifier = sync.OnceValues(func() (*understand.Classifier, error) {
	return understand.NewDefault(understand.DefaultConfig(), nil)
})

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWith(t, auth.Opts{}, nil)
}

// newHarnessWith builds the harness with auth options (the store is filled in) and,
// when st is not nil, on that store.
func newHarnessWith(t *testing.T, authOpts auth.Opts, st *sqlstore.Store) *harness {
	t.Helper()
	return buildHarness(t, sop.Files{}, authOpts, st)
}

// newHarnessSOP runs the API on the shop's SOP files (a policy file, flows …).
func newHarnessSOP(t *testing.T, files sop.Files) *harness {
	t.Helper()
	return buildHarness(t, files, auth.Opts{}, nil)
}

func buildHarness(t *testing.T, files sop.Files, authOpts auth.Opts, st *sqlstore.Store) *harness {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	if st == nil {
		st = openStore(t, dir)
	}
	authOpts.Store = st
	am, err := auth.New(authOpts)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewDir(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	limits := DefaultLimits()
	limits.PhotoBytes, limits.VideoBytes = 64<<10, 256<<10
	rules, err := sop.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	classifier, err := sharedClassifier()
	if err != nil {
		t.Fatal(err)
	}
	scripts, err := desk.NewScriptBook(st, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	d := desk.New(desk.Opts{Store: st, SLA: clock.DefaultSLA(), Rules: rules.Engine, Limits: rules.Policy, Classifier: classifier, Scripts: scripts})
	s := New(Opts{Desk: d, Auth: am, Blobs: blobs, Limits: limits, Scripts: scripts, Classifier: classifier, Health: st})
	h := &harness{t: t, dir: dir, auth: am, store: st, srv: httptest.NewServer(s.Handler()), api: s, tokens: map[store.Role]string{}}
	t.Cleanup(h.srv.Close)
	for _, role := range []store.Role{store.RoleAgent, store.RoleSupervisor, store.RoleAdmin, store.RoleWarehouse} {
		u, err := am.AddUser(ctx, auth.NewUser{Username: string(role) + "1", Role: role, Password: "password1"})
		if err != nil {
			t.Fatal(err)
		}
		if h.tokens[role], _, err = am.CreateToken(ctx, u.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// openStore is the store the API tests run on: SQLite, or PostgreSQL when
// SHOUHOU_API_STORE=postgres (scripts/test runs the suite both ways).
func openStore(t *testing.T, dir string) *sqlstore.Store {
	if os.Getenv("SHOUHOU_API_STORE") == "postgres" {
		return storetest.Postgres(t)
	}
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(dir, "db"), sqlstore.SQLiteOptions{Synchronous: os.Getenv("SHOUHOU_BENCH_SYNC")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

type reply struct {
	status int
	body   map[string]any
	raw    []byte
	header http.Header
}

func (h *harness) do(role store.Role, method, path string, body any, headers ...string) reply {
	h.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		r = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, h.srv.URL+path, r)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+h.tokens[role])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return h.send(req)
}

func (h *harness) send(req *http.Request) reply {
	h.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := reply{status: resp.StatusCode, raw: raw, header: resp.Header}
	json.Unmarshal(raw, &out.body)
	return out
}

func newCaseBody() map[string]any {
	return map[string]any{"customer_name": "刘女士", "platform": "tmall", "order_no": "TM88001", "amount": 399,
		"type": "quality.damaged", "description": "茶具套装到手茶杯裂了", "emotion": "upset", "first_message": "杯子裂了怎么办"}
}

func (h *harness) createCase() int64 {
	h.t.Helper()
	r := h.do(store.RoleAgent, "POST", "/api/v1/cases", newCaseBody())
	if r.status != http.StatusCreated {
		h.t.Fatalf("create: %d %s", r.status, r.raw)
	}
	return int64(r.body["id"].(float64))
}

var pathParam = regexp.MustCompile(`\{[a-z]+\}`)

func concrete(pattern string) string { return pathParam.ReplaceAllString(pattern, "1") }

func TestEveryProtectedRouteAnswers401WithoutCredentials(t *testing.T) {
	h := newHarness(t)
	for _, rt := range h.api.routes {
		if rt.perm == permPublic {
			continue
		}
		r := h.do("", rt.method, concrete(rt.pattern), "{}")
		if r.status != http.StatusUnauthorized || r.body["code"] != "unauthenticated" || r.body["message"] == "" {
			t.Errorf("%s %s without credentials: %d %s", rt.method, rt.pattern, r.status, r.raw)
		}
		req, _ := http.NewRequest(rt.method, h.srv.URL+concrete(rt.pattern), strings.NewReader("{}"))
		req.Header.Set("Authorization", "Bearer sht_forged")
		if r := h.send(req); r.status != http.StatusUnauthorized || r.body["code"] != "bad_token" {
			t.Errorf("%s %s with a forged token: %d %s; want 401 bad_token", rt.method, rt.pattern, r.status, r.raw)
		}
	}
}

func TestEveryRouteAboveAnAgentAnswers403ToLowerRoles(t *testing.T) {
	h := newHarness(t)
	checked := 0
	for _, rt := range h.api.routes {
		if rt.perm == permWarehouse || rt.perm == permUser || rt.scope() != "" {
			continue // not a rank: the authorization matrix checks who may call these
		}
		if rt.perm != permPublic {
			checked++
			if r := h.do(store.RoleWarehouse, rt.method, concrete(rt.pattern), "{}"); r.status != http.StatusForbidden || r.body["code"] != "forbidden" {
				t.Errorf("%s %s as warehouse: %d %s", rt.method, rt.pattern, r.status, r.raw)
			}
		}
		for role, rank := range roleRank {
			if rank >= rt.perm || rt.perm == permPublic {
				continue
			}
			checked++
			r := h.do(role, rt.method, concrete(rt.pattern), "{}")
			if r.status != http.StatusForbidden || r.body["code"] != "forbidden" {
				t.Errorf("%s %s as %s: %d %s", rt.method, rt.pattern, role, r.status, r.raw)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no route needs more than an agent: the 403 sweep checked nothing")
	}
	id := h.createCase()
	approve := map[string]any{"type": "approval.granted", "payload": map[string]any{"kind": "compensation", "amount": 60}}
	if r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/events", id), approve); r.status != http.StatusForbidden {
		t.Errorf("an agent granting an approval: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleSupervisor, "POST", fmt.Sprintf("/api/v1/cases/%d/events", id), approve); r.status != http.StatusOK {
		t.Errorf("a supervisor granting an approval: %d %s", r.status, r.raw)
	}
}

func TestOpenAPIDocumentsExactlyTheRoutes(t *testing.T) {
	h := newHarness(t)
	r := h.do("", "GET", "/api/v1/openapi.json", nil)
	paths, _ := r.body["paths"].(map[string]any)
	if r.status != 200 || paths == nil {
		t.Fatalf("openapi: %d", r.status)
	}
	documented := map[string]bool{}
	for path, ops := range paths {
		for method := range ops.(map[string]any) {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	for _, rt := range h.api.routes {
		key := rt.method + " " + rt.pattern
		if !documented[key] {
			t.Errorf("route %s is not in openapi.json", key)
		}
		delete(documented, key)
	}
	for key := range documented {
		t.Errorf("openapi.json documents %s, which is not a route", key)
	}
}

func TestCreateWithIdempotencyKeyMakesOneCase(t *testing.T) {
	h := newHarness(t)
	first := h.do(store.RoleAgent, "POST", "/api/v1/cases", newCaseBody(), "Idempotency-Key", "tmall-hook-1")
	again := h.do(store.RoleAgent, "POST", "/api/v1/cases", newCaseBody(), "Idempotency-Key", "tmall-hook-1")
	if first.status != 201 || again.status != 200 || first.body["id"] != again.body["id"] {
		t.Fatalf("first %d %v, retry %d %v", first.status, first.body["id"], again.status, again.body["id"])
	}
	if list := h.do(store.RoleAgent, "GET", "/api/v1/cases", nil); len(list.body["cases"].([]any)) != 1 {
		t.Fatalf("%d cases after a retried create", len(list.body["cases"].([]any)))
	}
}

func TestBadInputGetsAFieldErrorInChineseAndChangesNothing(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"missing order number", func() any { b := newCaseBody(); delete(b, "order_no"); return b }(), 422, "order_no"},
		{"unknown type", func() any { b := newCaseBody(); b["type"] = "quality.smelly"; return b }(), 422, "type"},
		{"amount with three decimals", func() any { b := newCaseBody(); b["amount"] = 1.234; return b }(), 422, ""},
		{"misspelt field", func() any { b := newCaseBody(); b["ordre_no"] = "x"; return b }(), 422, "ordre_no"},
		{"not JSON", "{customer_name:", 400, ""},
		{"level as text", func() any { b := newCaseBody(); b["level"] = "urgent"; return b }(), 422, "level"},
	}
	han := regexp.MustCompile(`\p{Han}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do(store.RoleAgent, "POST", "/api/v1/cases", tt.body)
			if r.status != tt.status || (tt.field != "" && r.body["field"] != tt.field) {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			if msg, _ := r.body["message"].(string); !han.MatchString(msg) || r.body["code"] == "" {
				t.Fatalf("error without a Chinese message: %s", r.raw)
			}
		})
	}
	if list := h.do(store.RoleAgent, "GET", "/api/v1/cases", nil); len(list.body["cases"].([]any)) != 0 {
		t.Fatal("refused creates left cases behind")
	}
	for _, q := range []string{"level=9", "stage=nowhere", "sort=random", "limit=0", "created_from=2026/11/01", "cursor=garbage!"} {
		if r := h.do(store.RoleAgent, "GET", "/api/v1/cases?"+q, nil); r.status != 422 && r.status != 400 {
			t.Errorf("list with %s: %d", q, r.status)
		}
	}
}

func TestStaleVersionGets409WithTheCurrentVersion(t *testing.T) {
	h := newHarness(t)
	id := h.createCase()
	path := fmt.Sprintf("/api/v1/cases/%d", id)
	v := h.do(store.RoleAgent, "GET", path, nil).body["version"].(float64)
	ok := h.do(store.RoleAgent, "PATCH", path, map[string]any{"version": v, "fields": map[string]any{"courier": "顺丰", "tracking_no": "SF1234567890"}})
	if ok.status != 200 || ok.body["courier"] != "顺丰" {
		t.Fatalf("update: %d %s", ok.status, ok.raw)
	}
	stale := h.do(store.RoleAgent, "PATCH", path, map[string]any{"version": v, "fields": map[string]any{"courier": "中通"}})
	if stale.status != 409 || stale.body["current_version"] != ok.body["version"] {
		t.Fatalf("stale update: %d %s", stale.status, stale.raw)
	}
	if now := h.do(store.RoleAgent, "GET", path, nil); now.body["courier"] != "顺丰" {
		t.Fatal("the stale update overwrote the field")
	}
	if r := h.do(store.RoleAgent, "PATCH", path, map[string]any{"fields": map[string]any{"courier": "中通"}}); r.status != 422 || r.body["field"] != "version" {
		t.Fatalf("update without a version: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAgent, "POST", path+"/remarks", map[string]any{"text": "破损，待顾客发照片"}, "If-Match", `"1"`); r.status != 409 {
		t.Fatalf("remark with a stale If-Match: %d", r.status)
	}
}

func TestCloseWithoutRemarkIsRefusedWithTheReason(t *testing.T) {
	h := newHarness(t)
	id := h.createCase()
	r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/close", id), map[string]any{})
	if r.status != 422 || r.body["code"] != "remark_required" || !strings.Contains(r.body["message"].(string), "备注") {
		t.Fatalf("close without remark: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/remarks", id), map[string]any{"text": "破损"}); r.status != 422 {
		t.Fatalf("remark without progress: %d", r.status)
	}
	h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/remarks", id), map[string]any{"text": "破损，补偿10元已发"})
	if r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/close", id), map[string]any{"text": "已解决"}); r.status != 200 || r.body["status"] != "closed" {
		t.Fatalf("close with remark: %d %s", r.status, r.raw)
	}
}

func upload(h *harness, id int64, name, kind string, content []byte) reply {
	return uploadTo(h, store.RoleAgent, fmt.Sprintf("/api/v1/cases/%d/evidence", id), name, content, "kind", kind)
}

func uploadTo(h *harness, role store.Role, path, name string, content []byte, fields ...string) reply {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", h.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+h.tokens[role])
	return h.send(req)
}

func TestEvidenceIsStoredByHashAndServedOnlyForItsCase(t *testing.T) {
	h := newHarness(t)
	id, other := h.createCase(), h.createCase()
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), make([]byte, 100)...)
	r := upload(h, id, "六面照.png", "six_sides", png)
	if r.status != 201 {
		t.Fatalf("upload: %d %s", r.status, r.raw)
	}
	ev := r.body["evidence"].([]any)[0].(map[string]any)
	if ev["mime"] != "image/png" || ev["kind"] != "six_sides" || ev["size"] != float64(len(png)) || ev["actor"] != "agent1" {
		t.Fatalf("evidence %v", ev)
	}
	got := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/evidence/%s", id, ev["hash"]), nil)
	if got.status != 200 || !bytes.Equal(got.raw, png) || got.header.Get("Content-Type") != "image/png" {
		t.Fatalf("download: %d %s", got.status, got.header.Get("Content-Type"))
	}
	if r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/evidence/%s", other, ev["hash"]), nil); r.status != 404 {
		t.Fatalf("another case's evidence served: %d", r.status)
	}
	if r := upload(h, id, "x.html", "other", []byte("<html><script>alert(1)</script></html>")); r.status != 422 || r.body["field"] != "file" {
		t.Fatalf("html upload: %d %s", r.status, r.raw)
	}
	if r := upload(h, id, "big.png", "six_sides", append(png, make([]byte, 64<<10)...)); r.status != 413 {
		t.Fatalf("oversized photo: %d %s", r.status, r.raw)
	}
	if r := upload(h, id, "a.png", "selfie", png); r.status != 422 || r.body["field"] != "kind" {
		t.Fatalf("unknown kind: %d", r.status)
	}
	if c := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil); len(c.body["evidence"].([]any)) != 1 {
		t.Fatal("refused uploads were recorded")
	}
}

func TestBrowserSessionLoginCookieAndCrossSiteRefusal(t *testing.T) {
	h := newHarness(t)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	post := func(path, body string, headers ...string) *http.Response {
		req, _ := http.NewRequest("POST", h.srv.URL+path, strings.NewReader(body))
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post("/api/v1/auth/login", `{"username":"agent1","password":"nope"}`); resp.StatusCode != 401 {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	if resp := post("/api/v1/auth/login", `{"username":"agent1","password":"password1"}`); resp.StatusCode != 200 {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	body, _ := json.Marshal(newCaseBody())
	if resp := post("/api/v1/cases", string(body), "Origin", "https://evil.example"); resp.StatusCode != 403 {
		t.Fatalf("cross-site write with the cookie: %d", resp.StatusCode)
	}
	if resp := post("/api/v1/cases", string(body), "Origin", h.srv.URL); resp.StatusCode != 201 {
		t.Fatalf("same-origin write with the cookie: %d", resp.StatusCode)
	}
	post("/api/v1/auth/logout", "", "Origin", h.srv.URL)
	resp, _ := client.Get(h.srv.URL + "/api/v1/me")
	if resp.StatusCode != 401 {
		t.Fatalf("after logout: %d", resp.StatusCode)
	}
}

func TestListPagesFiltersAndSearches(t *testing.T) {
	h := newHarness(t)
	for range 7 {
		h.createCase()
	}
	b := newCaseBody()
	b["order_no"], b["type"], b["customer_name"] = "JD555", "logistics.lost", "赵先生"
	b["customer_phone"], b["tracking_no"], b["sku"] = "13700001111", "SF5550001", "TEA-SET-6"
	h.do(store.RoleSupervisor, "POST", "/api/v1/cases", b)
	seen := 0
	cursor := ""
	for {
		r := h.do(store.RoleAgent, "GET", "/api/v1/cases?limit=3&cursor="+cursor, nil)
		seen += len(r.body["cases"].([]any))
		if cursor, _ = r.body["next_cursor"].(string); cursor == "" {
			break
		}
	}
	if seen != 8 {
		t.Fatalf("pages held %d of 8 cases", seen)
	}
	checks := map[string]int{"type=logistics.lost": 1, "q=赵": 1, "q=JD555": 1, "q=sf5550001": 1, "q=1111": 1, "q=tea-set": 1, "q=茶杯裂": 8, "q=杯裂": 0, "q=先生": 1, "q=女士": 7, "assignee=me": 7, "platform=jd": 0, "overdue=true": 0, "sort=due": 8}
	for q, want := range checks {
		if r := h.do(store.RoleAgent, "GET", "/api/v1/cases?"+q, nil); len(r.body["cases"].([]any)) != want {
			t.Errorf("%s: %d cases, want %d", q, len(r.body["cases"].([]any)), want)
		}
	}
}

func TestMergeAndSplitThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	a, b := h.createCase(), h.createCase()
	got := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", a), nil)
	if rel := got.body["related"].([]any); len(rel) != 1 || rel[0] != float64(b) {
		t.Fatalf("same-order cases not linked: %v", got.body["related"])
	}
	if r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/merge", b), map[string]any{"into": a}); r.status != 200 {
		t.Fatalf("merge: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", b), nil); r.body["status"] != "merged" || r.body["merged_into"] != float64(a) {
		t.Fatalf("merged case: %s", r.raw)
	}
	part := newCaseBody()
	part["type"], part["description"] = "fulfilment.missing", "少了杯盖"
	r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/split", a), part)
	if r.status != 201 || r.body["split_from"] != float64(a) {
		t.Fatalf("split: %d %s", r.status, r.raw)
	}
	events := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/events", a), nil).body["events"].([]any)
	last := events[len(events)-1].(map[string]any)
	if last["type"] != "case.split_off" || last["actor"] != "agent1" {
		t.Fatalf("last event of the source: %v", last)
	}
}

func TestAdminManagesUsers(t *testing.T) {
	h := newHarness(t)
	r := h.do(store.RoleAdmin, "POST", "/api/v1/users", map[string]any{"username": "xiaoli", "role": "agent", "password": "password1"})
	if r.status != 201 {
		t.Fatalf("create user: %d %s", r.status, r.raw)
	}
	if _, leaked := r.body["user"].(map[string]any)["password_hash"]; leaked {
		t.Fatal("password hash in the response")
	}
	id := r.body["user"].(map[string]any)["id"].(float64)
	if r := h.do(store.RoleAdmin, "PATCH", fmt.Sprintf("/api/v1/users/%d", int(id)), map[string]any{"role": "supervisor"}); r.status != 200 {
		t.Fatalf("promote: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAdmin, "POST", "/api/v1/users", map[string]any{"username": "xiaoli", "role": "agent", "password": "password1"}); r.status != 422 {
		t.Fatalf("duplicate user: %d", r.status)
	}
}

func TestGuessingPasswordsIsThrottledWith429(t *testing.T) {
	h := newHarness(t)
	for range 5 {
		if r := h.do("", "POST", "/api/v1/auth/login", map[string]any{"username": "supervisor1", "password": "guess"}); r.status != 401 {
			t.Fatalf("wrong password: %d", r.status)
		}
	}
	r := h.do("", "POST", "/api/v1/auth/login", map[string]any{"username": "supervisor1", "password": "password1"})
	if r.status != http.StatusTooManyRequests || r.body["code"] != "too_many_attempts" ||
		!strings.Contains(r.body["message"].(string), "1秒后") || r.header.Get("Retry-After") != "1" {
		t.Fatalf("sixth attempt: %d %s %v", r.status, r.raw, r.header)
	}
}
