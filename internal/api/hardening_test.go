package api

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shouhou/shouhou/internal/store"
)

// The hostile test of issue 11 found each of these; every test here failed before
// its fix. The API suite runs on SQLite and again on PostgreSQL (scripts/test).

func TestLoginFromAnotherSiteIsRefused(t *testing.T) {
	h := newHarness(t)
	body := `{"username":"agent1","password":"password1"}`
	for _, c := range []struct {
		name    string
		headers []string
		want    int
	}{
		{"text/plain from a foreign page", []string{"Content-Type", "text/plain", "Origin", "https://evil.example"}, http.StatusForbidden},
		{"a foreign fetch without Origin", []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"this site's own page", []string{"Content-Type", "application/json", "Origin", h.srv.URL}, http.StatusOK},
		{"a program (no Origin)", []string{"Content-Type", "application/json"}, http.StatusOK},
	} {
		r := h.do("", "POST", "/api/v1/auth/login", body, c.headers...)
		if r.status != c.want {
			t.Errorf("%s: %d %s; want %d", c.name, r.status, r.raw, c.want)
		}
		if c.want == http.StatusForbidden && r.header.Get("Set-Cookie") != "" {
			t.Errorf("%s: a session cookie was set", c.name)
		}
	}
}

func (h *harness) caseCount() int {
	h.t.Helper()
	r := h.do(store.RoleAgent, "GET", "/api/v1/cases?limit=200", nil)
	return len(r.body["cases"].([]any))
}

func TestJSONBodyMustBeExactlyOneValue(t *testing.T) {
	h := newHarness(t)
	id := h.createCase()
	before := h.caseCount()
	one := `{"customer_name":"刘女士","platform":"tmall","order_no":"TM8801","amount":1,"type":"quality.damaged","description":"裂了","emotion":"calm"}`
	for name, body := range map[string]string{
		"garbage after the object": one + `garbage`,
		"a second object":          one + one,
		"a second value":           one + ` 1`,
	} {
		if r := h.do(store.RoleAgent, "POST", "/api/v1/cases", body); r.status != http.StatusBadRequest || r.body["code"] != "bad_json" {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
		event := `{"type":"note.added","payload":{"text":"跟进"}}`
		if r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/events", id), event+event); r.status != http.StatusBadRequest {
			t.Errorf("two events back to back: %d %s", r.status, r.raw)
		}
	}
	if r := h.do(store.RoleAgent, "POST", "/api/v1/cases", one+" \n\t"); r.status != http.StatusCreated {
		t.Errorf("trailing white space is fine: %d %s", r.status, r.raw)
	}
	if n := h.caseCount(); n != before+1 {
		t.Fatalf("%d cases; want %d (only the clean body written)", n, before+1)
	}
}

func TestNULAndInvalidUTF8AreRefusedWith422AndChangeNothing(t *testing.T) {
	h := newHarness(t)
	id := h.createCase()
	version := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil).body["version"]
	events := fmt.Sprintf("/api/v1/cases/%d/events", id)
	for _, c := range []struct {
		name, method, path, body string
	}{
		{"an escaped NUL in a new case", "POST", "/api/v1/cases", `{"customer_name":"刘\u0000","platform":"tmall","order_no":"TM1","amount":1,"type":"quality.damaged","description":"裂了"}`},
		{"invalid UTF-8 in a new case", "POST", "/api/v1/cases", "{\"customer_name\":\"刘\xff\xfe\",\"platform\":\"tmall\",\"order_no\":\"TM1\",\"amount\":1,\"type\":\"quality.damaged\",\"description\":\"裂了\"}"},
		{"a NUL in an event", "POST", events, `{"type":"message.received","payload":{"text":"hi\u0000"}}`},
		{"invalid UTF-8 in an event", "POST", events, "{\"type\":\"message.received\",\"payload\":{\"text\":\"\xc3\x28\"}}"},
		{"a NUL in a remark", "POST", fmt.Sprintf("/api/v1/cases/%d/remarks", id), `{"text":"破损\u0000，已补偿"}`},
		{"a NUL in a field edit", "PATCH", fmt.Sprintf("/api/v1/cases/%d", id), `{"description":"\u0000"}`},
		{"a NUL in the search", "GET", "/api/v1/cases?q=%00", ""},
		{"invalid UTF-8 in the search", "GET", "/api/v1/cases?q=%FF%FE", ""},
		{"a NUL in a filter", "GET", "/api/v1/cases?assignee=a%00b", ""},
		{"a NUL in the user name", "POST", "/api/v1/auth/login", `{"username":"agent1\u0000","password":"x"}`},
	} {
		r := h.do(store.RoleAgent, c.method, c.path, c.body)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(r.body["message"]), "空字符或无效的UTF-8") {
			t.Errorf("%s: %d %s; want 422 naming the bad characters", c.name, r.status, r.raw)
		}
	}
	// The literal text \u0000 (an escaped backslash) is ordinary text.
	if r := h.do(store.RoleAgent, "POST", events, `{"type":"message.received","payload":{"text":"C:\\u0000"}}`); r.status != http.StatusOK {
		t.Errorf("a backslash followed by u0000: %d %s", r.status, r.raw)
	}
	after := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil).body["version"]
	if after != version.(float64)+1 {
		t.Fatalf("version %v -> %v: a refused write changed the case", version, after)
	}
}

func TestAHugeSearchIsRefusedWithAFieldError(t *testing.T) {
	h := newHarness(t)
	h.createCase()
	for _, q := range []string{strings.Repeat("破", 60_000), strings.Repeat("%", store.MaxQueryBytes+1)} {
		r := h.do(store.RoleAgent, "GET", "/api/v1/cases?q="+url.QueryEscape(q), nil)
		if r.status != http.StatusUnprocessableEntity || r.body["field"] != "q" {
			t.Errorf("a %d-byte search: %d %.200s", len(q), r.status, r.raw)
		}
	}
	if r := h.do(store.RoleAgent, "GET", "/api/v1/cases?q="+url.QueryEscape(strings.Repeat("%", store.MaxQueryBytes)), nil); r.status != http.StatusOK {
		t.Errorf("a search at the bound: %d %s", r.status, r.raw)
	}
}

func TestUnversionedWritesAllLandUnderContention(t *testing.T) {
	h := newHarness(t)
	id := h.createCase()
	before := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil).body["version"].(float64)
	const writers = 50
	statuses := make(chan int, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/events", id),
				map[string]any{"type": "message.received", "payload": map[string]any{"text": fmt.Sprintf("第%d条消息", i)}})
			statuses <- r.status
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Errorf("a customer message without a version got %d", s)
		}
	}
	after := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil).body["version"].(float64)
	if after != before+writers {
		t.Fatalf("version %v -> %v; want all %d messages in", before, after, writers)
	}
}

func TestOppositeMergesAtOnceNeverFailWith500(t *testing.T) {
	h := newHarness(t)
	for range 8 {
		a, b := h.createCase(), h.createCase()
		got := make(chan reply, 2)
		for _, pair := range [][2]int64{{a, b}, {b, a}} {
			go func() {
				got <- h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/merge", pair[0]), map[string]any{"into": pair[1]})
			}()
		}
		r1, r2 := <-got, <-got
		ok, refused := 0, 0
		for _, r := range []reply{r1, r2} {
			switch {
			case r.status == http.StatusOK:
				ok++
			case r.status == http.StatusUnprocessableEntity && r.body["code"] == "case_merged":
				refused++
			default:
				t.Errorf("opposite merge of #%d and #%d: %d %s", a, b, r.status, r.raw)
			}
		}
		if ok != 1 || refused != 1 {
			t.Errorf("opposite merges of #%d and #%d: %d merged, %d refused; want 1 and 1", a, b, ok, refused)
		}
	}
}

func blobFiles(t *testing.T, dir string) int {
	n := 0
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func TestAnUploadThatCannotBeRecordedLeavesNoFile(t *testing.T) {
	h := newHarness(t)
	id := h.createCase()
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), make([]byte, 100)...)
	blobs := filepath.Join(h.dir, "blobs")
	for _, c := range []struct {
		name string
		path string
		want int
		more []string
	}{
		{"a missing case", "/api/v1/cases/999999/evidence", http.StatusNotFound, nil},
		{"a stale version", fmt.Sprintf("/api/v1/cases/%d/evidence", id), http.StatusConflict, []string{"version", "1"}},
	} {
		png[20]++ // a different file each time
		r := uploadTo(h, store.RoleAgent, c.path, "a.png", png, append([]string{"kind", "six_sides"}, c.more...)...)
		if r.status != c.want {
			t.Errorf("%s: %d %s", c.name, r.status, r.raw)
		}
		if n := blobFiles(t, blobs); n != 0 {
			t.Errorf("%s left %d files on disk", c.name, n)
		}
	}
	if r := upload(h, id, "a.png", "six_sides", png); r.status != http.StatusCreated || blobFiles(t, blobs) != 1 {
		t.Fatalf("a good upload: %d %s, %d files", r.status, r.raw, blobFiles(t, blobs))
	}
}

func TestAPasswordResetByAnAdminEndsTheUsersSessionsAndTokens(t *testing.T) {
	h := newHarness(t)
	jar := h.login("agent1", "password1")
	users := h.do(store.RoleAdmin, "GET", "/api/v1/users", nil).body["users"].([]any)
	var agentID float64
	for _, u := range users {
		if u.(map[string]any)["username"] == "agent1" {
			agentID = u.(map[string]any)["id"].(float64)
		}
	}
	if r := h.do(store.RoleAdmin, "PATCH", fmt.Sprintf("/api/v1/users/%d", int(agentID)), map[string]any{"password": "a-new-password"}); r.status != http.StatusOK {
		t.Fatalf("reset: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAgent, "GET", "/api/v1/me", nil); r.status != http.StatusUnauthorized {
		t.Errorf("the agent's API token after the reset: %d", r.status)
	}
	resp, err := jar.Get(h.srv.URL + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the agent's browser session after the reset: %d", resp.StatusCode)
	}
	if r := h.do(store.RoleSupervisor, "GET", "/api/v1/me", nil); r.status != http.StatusOK {
		t.Errorf("another user's token: %d", r.status)
	}
}

// login signs a browser in and returns its client (cookie jar).
func (h *harness) login(user, password string) *http.Client {
	h.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Post(h.srv.URL+"/api/v1/auth/login", "application/json",
		strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, user, password)))
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("login %s: %d", user, resp.StatusCode)
	}
	return c
}
