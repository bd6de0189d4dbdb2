package api

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/store/storetest"
)

// cutProxy forwards TCP to a database and can cut it: cut closes every connection
// and refuses new ones (as a database that went down), mend lets them through again.
type cutProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *cutProxy) serve(c net.Conn) {
	p.mu.Lock()
	if p.down {
		p.mu.Unlock()
		c.Close()
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		p.mu.Unlock()
		c.Close()
		return
	}
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	go func() { io.Copy(up, c); up.Close() }()
	io.Copy(c, up)
	c.Close()
}

func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

func (p *cutProxy) mend() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

// TestADatabaseOutageAnswers503AndRecovers cuts the server off PostgreSQL: the
// health check and every request answer 503 with Retry-After (before: /healthz said
// ok and writes gave 500), nothing is half-written, and all is well once the
// database is back.
func TestADatabaseOutageAnswers503AndRecovers(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCutProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	q := u.Query()
	q.Set("connect_timeout", "2")
	u.RawQuery = q.Encode()
	st, err := sqlstore.OpenPostgres(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := newHarnessWith(t, auth.Opts{}, st)
	id := h.createCase()
	remark := func() reply {
		return h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/remarks", id), map[string]any{"text": "物流慢，已催促"})
	}
	if r := remark(); r.status != http.StatusOK {
		t.Fatalf("remark with the database up: %d %s", r.status, r.raw)
	}

	proxy.cut()
	for _, c := range []struct {
		name string
		do   func() reply
	}{
		{"health check", func() reply { return h.do("", "GET", "/healthz", nil) }},
		{"remark", remark},
		{"read a case", func() reply { return h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil) }},
		{"new case", func() reply { return h.do(store.RoleAgent, "POST", "/api/v1/cases", newCaseBody()) }},
		{"login", func() reply {
			return h.do("", "POST", "/api/v1/auth/login", map[string]any{"username": "agent1", "password": "password1"})
		}},
	} {
		r := c.do()
		if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
			t.Errorf("%s with the database down: %d %s; want 503 with Retry-After", c.name, r.status, r.raw)
		}
	}

	proxy.mend()
	deadline := time.Now().Add(15 * time.Second)
	for h.do("", "GET", "/healthz", nil).status != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("the health check did not recover within 15 s of the database coming back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if r := remark(); r.status != http.StatusOK {
		t.Fatalf("remark after recovery: %d %s", r.status, r.raw)
	}
	events := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/events", id), nil).body["events"].([]any)
	remarks := 0
	for _, e := range events {
		if e.(map[string]any)["type"] == "remark.added" {
			remarks++
		}
	}
	if remarks != 2 {
		t.Fatalf("%d remarks after the outage; want the 2 acknowledged", remarks)
	}
}
