package customer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/api"
	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/blob/s3test"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/uploadlink"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

// limits small enough to go over in a test.
var limits = api.Limits{JSONBody: 1 << 20, PhotoBytes: 64 << 10, VideoBytes: 256 << 10}

func newEnv(t *testing.T, blobs blob.Store, links uploadlink.Config) *webtest.Env {
	return webtest.New(t, webtest.Options{Timers: true, Blobs: blobs, Limits: limits, Links: links})
}

func photo(t *testing.T, shade uint8) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	img.Set(0, 0, color.RGBA{1, 2, 3, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// video is the start of an MP4 file (its ftyp box) and some data.
func video(n int) []byte {
	v := append([]byte{0, 0, 0, 0x18}, "ftypisom\x00\x00\x02\x00isomiso2"...)
	return append(v, bytes.Repeat([]byte{7}, n)...)
}

type answer struct {
	status int
	body   map[string]any
	raw    []byte
	header http.Header
}

func do(t *testing.T, req *http.Request) answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, raw: raw, header: resp.Header}
	json.Unmarshal(raw, &a.body)
	return a
}

func sendFile(t *testing.T, env *webtest.Env, token, kind, name string, content []byte) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", env.Server.URL+"/u/"+token+"/files?kind="+kind+"&name="+name, bytes.NewReader(content))
	req.Header.Set("Origin", env.Server.URL)
	return do(t, req)
}

func get(t *testing.T, env *webtest.Env, path string) answer {
	t.Helper()
	req, _ := http.NewRequest("GET", env.Server.URL+path, nil)
	return do(t, req)
}

func makeLink(t *testing.T, env *webtest.Env, agent *webtest.Client, id int64) (token string, link map[string]any) {
	t.Helper()
	resp := agent.PostJSON(fmt.Sprintf("/api/v1/cases/%d/upload-links", id), nil)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		raw, _ := io.ReadAll(resp.Body)
		t.Fatalf("create link: %d %s", resp.StatusCode, raw)
	}
	json.NewDecoder(resp.Body).Decode(&link)
	url := link["url"].(string)
	return url[strings.LastIndex(url, "/")+1:], link
}

func kinds(body map[string]any) []string {
	var out []string
	for _, n := range body["missing"].([]any) {
		out = append(out, n.(map[string]any)["kind"].(string))
	}
	return out
}

// The whole path on both evidence stores: the agent makes a link, the customer opens
// it without signing in, sends photos and a video; each becomes an evidence event by
// the link, the missing list shrinks, the clock paused for the customer runs again,
// the agent is told, and the agent downloads the very bytes with the right headers.
func TestCustomerSendsEvidenceThroughTheLinkOnDiskAndS3(t *testing.T) {
	stores := map[string]func(t *testing.T) blob.Store{
		"disk": func(t *testing.T) blob.Store { return nil },
		"s3":   func(t *testing.T) blob.Store { return s3test.Store(t) },
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			env := newEnv(t, open(t), uploadlink.Config{})
			ctx := context.Background()
			c := env.CreateCase(webtest.Agent, webtest.Intake("ORDER-1001"), "杯子收到就碎了")
			agent := env.Login(webtest.Agent)
			if _, _, err := env.Desk.Append(ctx, desk.Actor{Name: webtest.Agent, Role: store.RoleAgent}, c.ID, desk.AnyVersion,
				cases.EvSLAPaused, json.RawMessage(`{"reason":"customer","note":"等顾客拍照"}`)); err != nil {
				t.Fatal(err)
			}
			token, link := makeLink(t, env, agent, c.ID)
			expires, _ := time.Parse(time.RFC3339, link["expires_at"].(string))
			if want := env.Desk.Now().Add(72 * time.Hour); !expires.Equal(want) {
				t.Errorf("expires %v, want 72 h from now %v", expires, want)
			}
			if s := link["script"].(string); !strings.Contains(s, link["url"].(string)) || !strings.Contains(s, "六面照") {
				t.Errorf("script line %q lacks the link or the missing evidence", s)
			}

			page := get(t, env, "/u/"+token)
			if page.status != 200 || !strings.Contains(string(page.raw), "保温杯-500ml") || !strings.Contains(string(page.raw), "六面照") {
				t.Fatalf("page: %d %s", page.status, page.raw)
			}
			for _, secret := range []string{"王女士", "13800138000", "ORDER-1001", "ZT7788990011", "外壳裂了", "199", webtest.Agent} {
				if strings.Contains(string(page.raw), secret) {
					t.Errorf("the customer's page shows %q", secret)
				}
			}
			if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP %q", csp)
			}
			if page.header.Get("Referrer-Policy") != "no-referrer" || page.header.Get("Cache-Control") != "no-store" {
				t.Errorf("headers %v", page.header)
			}

			pic := photo(t, 9)
			r := sendFile(t, env, token, "six_sides", "六面照.png", pic)
			if r.status != http.StatusCreated {
				t.Fatalf("photo: %d %s", r.status, r.raw)
			}
			if got := kinds(r.body); strings.Contains(strings.Join(got, ","), "six_sides") || len(got) != 2 {
				t.Fatalf("missing after six_sides: %v", got)
			}
			if r := sendFile(t, env, token, "waybill", "面单.png", photo(t, 30)); r.status != 201 || len(kinds(r.body)) != 1 {
				t.Fatalf("second photo: %d %s", r.status, r.raw)
			}
			mp4 := video(200 << 10)
			if r := sendFile(t, env, token, "video", "开箱.mp4", mp4); r.status != 201 {
				t.Fatalf("video: %d %s", r.status, r.raw)
			}

			got, err := env.Desk.Get(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Evidence) != 3 {
				t.Fatalf("evidence %+v", got.Evidence)
			}
			if _, paused := got.Paused(); paused {
				t.Error("the clock paused for the customer did not resume on the customer's evidence")
			}
			events, _ := env.Desk.Events(ctx, c.ID, 0, 500)
			linkID := int64(link["id"].(float64))
			var byLink, created int
			for _, e := range events {
				switch e.Type {
				case cases.EvEvidenceAdded:
					if e.Actor != cases.UploadLinkActor(linkID) {
						t.Errorf("evidence by %q", e.Actor)
					}
					byLink++
				case cases.EvUploadLinkCreated:
					created++
					if strings.Contains(string(e.Payload), token) {
						t.Error("the event carries the token")
					}
				}
			}
			if byLink != 3 || created != 1 {
				t.Errorf("%d evidence events by the link, %d link events", byLink, created)
			}
			to := got.Assignee
			if to == "" {
				to = webtest.Supervisor
			}
			ns, err := env.Desk.Notifications(ctx, store.User{Username: to}, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			told := 0
			for _, n := range ns {
				if n.Kind == notify.KindEvidence && n.CaseID == c.ID {
					told++
				}
			}
			if told != 3 {
				t.Errorf("%s was told %d times about the customer's files: %+v", to, told, ns)
			}

			// The agent sees the files; nobody else.
			ev := got.Evidence[2]
			dl := agent.Get(fmt.Sprintf("/api/v1/cases/%d/evidence/%s?download=1", c.ID, ev.Hash))
			body, _ := io.ReadAll(dl.Body)
			dl.Body.Close()
			if dl.StatusCode != 200 || !bytes.Equal(body, mp4) || dl.Header.Get("Content-Type") != "video/mp4" ||
				dl.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment; filename*=UTF-8''") {
				t.Fatalf("download: %d %d bytes %v", dl.StatusCode, len(body), dl.Header)
			}
			if r := get(t, env, fmt.Sprintf("/api/v1/cases/%d/evidence/%s", c.ID, ev.Hash)); r.status != http.StatusUnauthorized {
				t.Errorf("anonymous download: %d", r.status)
			}
			links := agent.Get(fmt.Sprintf("/api/v1/cases/%d/upload-links", c.ID))
			var list struct{ Links []map[string]any }
			json.NewDecoder(links.Body).Decode(&list)
			links.Body.Close()
			if len(list.Links) != 1 || list.Links[0]["uploads"] != float64(3) || list.Links[0]["state"] != "active" || list.Links[0]["url"] != nil {
				t.Errorf("links: %+v", list.Links)
			}
		})
	}
}

// Every refusal is in Chinese and records nothing.
func TestLinksRefuseWrongFilesAndDeadLinks(t *testing.T) {
	env := newEnv(t, nil, uploadlink.Config{})
	ctx := context.Background()
	agent := env.Login(webtest.Agent)
	c := env.CreateCase(webtest.Agent, webtest.Intake("ORDER-2001"), "碎了")
	other := env.CreateCase(webtest.Agent, webtest.Intake("ORDER-2002"), "也碎了")
	token, link := makeLink(t, env, agent, c.ID)
	revokedToken, revoked := makeLink(t, env, agent, c.ID)
	del := func(caseID int64, l map[string]any) *http.Response {
		req, _ := http.NewRequest("DELETE", env.Server.URL+fmt.Sprintf("/api/v1/cases/%d/upload-links/%v", caseID, l["id"]), nil)
		req.Header.Set("Origin", env.Server.URL)
		resp, err := agent.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := del(other.ID, revoked); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("revoking a link through another case: %d", resp.StatusCode)
	}
	if resp := del(c.ID, revoked); resp.StatusCode != 200 {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if resp := del(c.ID, revoked); resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusConflict {
		t.Fatalf("revoking twice: %d", resp.StatusCode)
	}
	_ = link
	before, _ := env.Desk.Get(ctx, c.ID)
	for _, tc := range []struct {
		name, token, kind string
		content           []byte
		status            int
		message           string
	}{
		{"text file named .jpg", token, "six_sides", []byte("这不是照片,只是一段文字 hello"), http.StatusUnsupportedMediaType, "只能上传照片"},
		{"html", token, "six_sides", []byte("<html><script>alert(1)</script></html>"), http.StatusUnsupportedMediaType, "只能上传照片"},
		{"photo over the limit", token, "six_sides", append(photo(t, 1), make([]byte, 64<<10)...), http.StatusRequestEntityTooLarge, "文件太大"},
		{"video over the limit", token, "video", video(300 << 10), http.StatusRequestEntityTooLarge, "文件太大"},
		{"empty", token, "six_sides", nil, http.StatusUnprocessableEntity, "文件是空的"},
		{"unknown kind", token, "selfie", photo(t, 2), http.StatusUnprocessableEntity, "凭证类型"},
		{"revoked link", revokedToken, "six_sides", photo(t, 3), http.StatusGone, "客服已撤销"},
		{"unknown link", "AAAAAAAAAAAAAAAAAAAAAA", "six_sides", photo(t, 4), http.StatusNotFound, "链接无效"},
		{"mangled link", token[:10], "six_sides", photo(t, 5), http.StatusNotFound, "链接无效"},
	} {
		r := sendFile(t, env, tc.token, tc.kind, "a.jpg", tc.content)
		if r.status != tc.status || !strings.Contains(fmt.Sprint(r.body["message"]), tc.message) {
			t.Errorf("%s: %d %s, want %d %q", tc.name, r.status, r.raw, tc.status, tc.message)
		}
	}
	for _, tc := range []struct{ token, message string }{{revokedToken, "客服已撤销"}, {"AAAAAAAAAAAAAAAAAAAAAA", "链接无效"}} {
		if r := get(t, env, "/u/"+tc.token); !strings.Contains(string(r.raw), tc.message) || strings.Contains(string(r.raw), "保温杯") {
			t.Errorf("page of %s: %d %s", tc.token, r.status, r.raw)
		}
	}
	req, _ := http.NewRequest("POST", env.Server.URL+"/u/"+token+"/files?kind=six_sides", bytes.NewReader(photo(t, 6)))
	req.Header.Set("Origin", "https://evil.example")
	if r := do(t, req); r.status != http.StatusForbidden {
		t.Errorf("cross-site upload: %d", r.status)
	}
	after, _ := env.Desk.Get(ctx, c.ID)
	if after.Version != before.Version+0 || len(after.Evidence) != 0 {
		t.Fatalf("refused uploads changed the case: v%d→v%d, %d files", before.Version, after.Version, len(after.Evidence))
	}

	// The link ends after 72 hours.
	if _, err := env.Desk.AdvanceClock(72 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if r := sendFile(t, env, token, "six_sides", "a.png", photo(t, 7)); r.status != http.StatusGone || !strings.Contains(fmt.Sprint(r.body["message"]), "已过期") {
		t.Errorf("expired link: %d %s", r.status, r.raw)
	}
	if r := get(t, env, "/u/"+token); r.status != http.StatusGone || !strings.Contains(string(r.raw), "已过期") {
		t.Errorf("expired page: %d", r.status)
	}
}

func TestLinksAreRateLimited(t *testing.T) {
	cfg := uploadlink.DefaultConfig()
	cfg.PerLinkPerMinute, cfg.PerAddrPerMinute = 5, 8
	env := newEnv(t, nil, cfg)
	agent := env.Login(webtest.Agent)
	c := env.CreateCase(webtest.Agent, webtest.Intake("ORDER-3001"), "碎了")
	token, _ := makeLink(t, env, agent, c.ID)
	for i := range 5 {
		if r := get(t, env, "/u/"+token+"/state"); r.status != 200 {
			t.Fatalf("request %d: %d", i+1, r.status)
		}
	}
	if r := get(t, env, "/u/"+token+"/state"); r.status != http.StatusTooManyRequests || !strings.Contains(fmt.Sprint(r.body["message"]), "太频繁") {
		t.Fatalf("6th request a minute on one link: %d %s", r.status, r.raw)
	}
	// Guessing tokens from one address runs into the address's limit.
	for i := range 3 {
		get(t, env, fmt.Sprintf("/u/guess%017d", i))
	}
	if r := get(t, env, "/u/AAAAAAAAAAAAAAAAAAAAAB"); r.status != http.StatusTooManyRequests {
		t.Fatalf("guessing past the address's limit: %d", r.status)
	}
	env.Desk.AdvanceClock(time.Minute)
	if r := get(t, env, "/u/"+token+"/state"); r.status != 200 {
		t.Fatalf("a minute later: %d", r.status)
	}
}

// A link takes at most max_files files: the check before storing and the count in
// the recording transaction.
func TestALinkTakesAtMostItsFiles(t *testing.T) {
	cfg := uploadlink.DefaultConfig()
	cfg.MaxFiles = 2
	env := newEnv(t, nil, cfg)
	agent := env.Login(webtest.Agent)
	c := env.CreateCase(webtest.Agent, webtest.Intake("ORDER-6001"), "碎了")
	token, _ := makeLink(t, env, agent, c.ID)
	for i := range 2 {
		if r := sendFile(t, env, token, "other", "a.png", photo(t, uint8(i))); r.status != 201 {
			t.Fatalf("file %d: %d %s", i+1, r.status, r.raw)
		}
	}
	if r := sendFile(t, env, token, "other", "a.png", photo(t, 9)); r.status != http.StatusConflict || !strings.Contains(fmt.Sprint(r.body["message"]), "已达上限") {
		t.Fatalf("third file: %d %s", r.status, r.raw)
	}
	// The transaction's own count refuses even when the early check is passed.
	got, _ := env.Desk.Get(context.Background(), c.ID)
	links, _ := env.Desk.UploadLinks(context.Background(), c.ID)
	if _, err := env.Desk.CustomerEvidence(context.Background(), links[0], got.Evidence[0]); !errors.Is(err, uploadlink.ErrFull) {
		t.Fatalf("recording past the limit: %v", err)
	}
}

// A closed case takes no more files through its link.
func TestClosedCaseRefusesTheLink(t *testing.T) {
	env := newEnv(t, nil, uploadlink.Config{})
	agent := env.Login(webtest.Agent)
	c := env.CreateCase(webtest.Agent, webtest.Intake("ORDER-4001"), "碎了")
	token, _ := makeLink(t, env, agent, c.ID)
	ctx := context.Background()
	actor := desk.Actor{Name: webtest.Agent, Role: store.RoleAgent}
	if _, _, err := env.Desk.Remark(ctx, actor, c.ID, desk.AnyVersion, "问题描述:杯子破损。进度:已补偿"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.Desk.Close(ctx, actor, c.ID, desk.AnyVersion, ""); err != nil {
		t.Fatal(err)
	}
	if r := sendFile(t, env, token, "six_sides", "a.png", photo(t, 1)); r.status != http.StatusConflict || !strings.Contains(fmt.Sprint(r.body["message"]), "处理完毕") {
		t.Fatalf("closed case: %d %s", r.status, r.raw)
	}
}

// Photos on the case page are thumbnails, made once and kept in the evidence store;
// videos have none.
func TestPhotoThumbnailsOnDiskAndS3(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) blob.Store{
		"disk": func(t *testing.T) blob.Store { return nil },
		"s3":   func(t *testing.T) blob.Store { return s3test.Store(t) },
	} {
		t.Run(name, func(t *testing.T) {
			env := newEnv(t, open(t), uploadlink.Config{})
			agent := env.Login(webtest.Agent)
			c := env.CreateCase(webtest.Agent, webtest.Intake("ORDER-5001"), "碎了")
			token, _ := makeLink(t, env, agent, c.ID)
			img := image.NewRGBA(image.Rect(0, 0, 800, 600))
			for i := range img.Pix {
				img.Pix[i] = uint8(i * 7)
			}
			var big bytes.Buffer
			png.Encode(&big, img)
			if r := sendFile(t, env, token, "six_sides", "a.png", big.Bytes()); r.status != 201 {
				t.Fatalf("photo: %d %s", r.status, r.raw)
			}
			if r := sendFile(t, env, token, "video", "v.mp4", video(1000)); r.status != 201 {
				t.Fatalf("video: %d %s", r.status, r.raw)
			}
			got, _ := env.Desk.Get(context.Background(), c.ID)
			thumbURL := fmt.Sprintf("/api/v1/cases/%d/evidence/%s/thumb", c.ID, got.Evidence[0].Hash)
			var first []byte
			for i := range 2 {
				resp := agent.Get(thumbURL)
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
					t.Fatalf("thumbnail: %d %v", resp.StatusCode, resp.Header)
				}
				small, _, err := image.Decode(bytes.NewReader(raw))
				if err != nil || small.Bounds().Dx() != 320 || small.Bounds().Dy() != 240 || len(raw) >= big.Len() {
					t.Fatalf("thumbnail %v, %d bytes (photo %d): %v", small.Bounds(), len(raw), big.Len(), err)
				}
				if i == 1 && !bytes.Equal(raw, first) {
					t.Fatal("the thumbnail was made again differently")
				}
				first = raw
			}
			if thumb, ok, err := env.Desk.Thumb(context.Background(), got.Evidence[0].Hash); !ok || err != nil || thumb == got.Evidence[0].Hash {
				t.Fatalf("thumbnail not remembered: %s %v %v", thumb, ok, err)
			}
			resp := agent.Get(fmt.Sprintf("/api/v1/cases/%d/evidence/%s/thumb", c.ID, got.Evidence[1].Hash))
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("video thumbnail: %d", resp.StatusCode)
			}
			page := agent.Get(fmt.Sprintf("/cases/%d", c.ID))
			html, _ := io.ReadAll(page.Body)
			page.Body.Close()
			if !strings.Contains(string(html), thumbURL) {
				t.Fatal("the case page does not show the thumbnail")
			}
		})
	}
}
