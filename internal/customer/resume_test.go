package customer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/uploadlink"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

func startUpload(t *testing.T, env *webtest.Env, token, kind string, size int) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/u/%s/uploads?kind=%s&name=v.mp4&size=%d", env.Server.URL, token, kind, size), nil)
	req.Header.Set("Origin", env.Server.URL)
	return do(t, req)
}

func piece(t *testing.T, env *webtest.Env, token, id string, offset int, content []byte) answer {
	t.Helper()
	req, _ := http.NewRequest("PATCH", fmt.Sprintf("%s/u/%s/uploads/%s", env.Server.URL, token, id), bytes.NewReader(content))
	req.Header.Set("Origin", env.Server.URL)
	req.Header.Set("Upload-Offset", fmt.Sprint(offset))
	return do(t, req)
}

// brokenPiece sends a piece announced as n bytes but cuts the connection after sent.
func brokenPiece(t *testing.T, env *webtest.Env, token, id string, offset int, content []byte, sent int) {
	t.Helper()
	u, _ := url.Parse(env.Server.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "PATCH /u/%s/uploads/%s HTTP/1.1\r\nHost: %s\r\nOrigin: %s\r\nUpload-Offset: %d\r\nContent-Length: %d\r\n\r\n",
		token, id, u.Host, env.Server.URL, offset, len(content))
	conn.Write(content[:sent])
	time.Sleep(50 * time.Millisecond)
	conn.Close()
}

// A large file on a bad connection: the page sends it in pieces; a piece cut off in
// the middle keeps what arrived, the page asks for the offset and goes on from there,
// and the file on the case is exactly the file sent.
func TestABrokenUploadResumesFromWhatArrived(t *testing.T) {
	env := newEnv(t, nil, uploadlink.Config{})
	agent := env.Login(webtest.Agent)
	c := env.CreateCase(webtest.Agent, webtest.Intake("ORDER-7001"), "碎了")
	token, _ := makeLink(t, env, agent, c.ID)
	content := video(200 << 10)
	start := startUpload(t, env, token, "video", len(content))
	if start.status != http.StatusCreated {
		t.Fatalf("start: %d %s", start.status, start.raw)
	}
	id := start.body["id"].(string)
	if r := piece(t, env, token, id, 0, content[:64<<10]); r.status != 200 || r.body["offset"] != float64(64<<10) {
		t.Fatalf("first piece: %d %s", r.status, r.raw)
	}
	if r := piece(t, env, token, id, 0, content[:64<<10]); r.status != http.StatusConflict || r.body["offset"] != float64(64<<10) {
		t.Fatalf("a piece at a stale offset: %d %s", r.status, r.raw)
	}
	brokenPiece(t, env, token, id, 64<<10, content[64<<10:128<<10], 30000)
	// The server notices the cut when it reads on: ask until it has.
	r := get(t, env, "/u/"+token+"/uploads/"+id)
	for deadline := time.Now().Add(5 * time.Second); r.body["offset"] == float64(64<<10) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		r = get(t, env, "/u/"+token+"/uploads/"+id)
	}
	if r.status != 200 || r.body["offset"] != float64(64<<10+30000) {
		t.Fatalf("offset after a broken piece: %d %s", r.status, r.raw)
	}
	at := int(r.body["offset"].(float64))
	done := piece(t, env, token, id, at, content[at:])
	if done.status != http.StatusCreated || len(kinds(done.body)) != 3 {
		t.Fatalf("last piece: %d %s", done.status, done.raw)
	}
	got, _ := env.Desk.Get(context.Background(), c.ID)
	sum := sha256.Sum256(content)
	if len(got.Evidence) != 1 || got.Evidence[0].Hash != hex.EncodeToString(sum[:]) || got.Evidence[0].Size != int64(len(content)) || got.Evidence[0].Mime != "video/mp4" {
		t.Fatalf("evidence: %+v", got.Evidence)
	}
	if r := get(t, env, "/u/"+token+"/uploads/"+id); r.status != http.StatusNotFound {
		t.Fatalf("a finished upload is still open: %d", r.status)
	}
}

func TestResumableUploadsRefuseWrongFilesEarly(t *testing.T) {
	env := newEnv(t, nil, uploadlink.Config{})
	agent := env.Login(webtest.Agent)
	c := env.CreateCase(webtest.Agent, webtest.Intake("ORDER-8001"), "碎了")
	other := env.CreateCase(webtest.Agent, webtest.Intake("ORDER-8002"), "碎了")
	token, _ := makeLink(t, env, agent, c.ID)
	otherToken, _ := makeLink(t, env, agent, other.ID)
	for _, tc := range []struct {
		name   string
		size   int
		status int
		msg    string
	}{
		{"over every limit", 300 << 10, http.StatusRequestEntityTooLarge, "文件太大"},
		{"empty", 0, http.StatusUnprocessableEntity, "文件是空的"},
		{"no size", -1, http.StatusUnprocessableEntity, "文件大小不正确"},
	} {
		if r := startUpload(t, env, token, "video", tc.size); r.status != tc.status || !strings.Contains(fmt.Sprint(r.body["message"]), tc.msg) {
			t.Errorf("%s: %d %s", tc.name, r.status, r.raw)
		}
	}
	text := startUpload(t, env, token, "other", 2000)
	id := text.body["id"].(string)
	if r := get(t, env, "/u/"+otherToken+"/uploads/"+id); r.status != http.StatusNotFound {
		t.Errorf("another link's upload: %d", r.status)
	}
	if r := piece(t, env, otherToken, id, 0, []byte("x")); r.status != http.StatusNotFound {
		t.Errorf("a piece through another link: %d", r.status)
	}
	if r := piece(t, env, token, id, 0, bytes.Repeat([]byte("文字"), 334)[:1000]); r.status != http.StatusUnsupportedMediaType || !strings.Contains(fmt.Sprint(r.body["message"]), "只能上传照片") {
		t.Errorf("text: %d %s", r.status, r.raw)
	}
	if r := get(t, env, "/u/"+token+"/uploads/"+id); r.status != http.StatusNotFound {
		t.Errorf("a refused upload stays open: %d", r.status)
	}
	// A photo bigger than the photo limit (but within the video limit) is refused at
	// its first bytes.
	big := startUpload(t, env, token, "six_sides", 100<<10)
	if r := piece(t, env, token, big.body["id"].(string), 0, append(photo(t, 1), make([]byte, 600)...)[:600]); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("photo over its limit: %d %s", r.status, r.raw)
	}
	var open int
	for i := range 6 {
		if r := startUpload(t, env, token, "video", 1000); r.status == http.StatusCreated {
			open++
		} else if r.status != http.StatusTooManyRequests || i != 5 {
			t.Errorf("upload %d: %d %s", i+1, r.status, r.raw)
		}
	}
	if open != 5 {
		t.Errorf("%d uploads open at once, want 5", open)
	}
	got, _ := env.Desk.Get(context.Background(), c.ID)
	if len(got.Evidence) != 0 {
		t.Fatalf("refused uploads recorded: %+v", got.Evidence)
	}
}
