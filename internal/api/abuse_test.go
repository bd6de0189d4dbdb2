package api

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/store"
)

// TestLoginFloodMemoryStaysBounded sends 300 sign-ins at once with unique user
// names, as from a botnet (the throttle is opened wide so that every attempt reaches
// the password check). Each check is argon2id with 19 MiB: before the gate, 300 ran at
// once (2.9 → 5.8 GB). Now a few run, 64 wait, the rest get 503 at once, and a
// signed-in user's requests go on. The figures are logged for docs/SECURITY.md.
func TestLoginFloodMemoryStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a 300-login flood")
	}
	h := newHarnessWith(t, auth.Opts{Throttle: auth.ThrottleOpts{PairFailures: 1 << 30, AddressFailures: 1 << 30}}, nil)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)

	var peak atomic.Uint64
	stop := make(chan struct{})
	var bg sync.WaitGroup
	bg.Add(2)
	go func() { // sample the heap
		defer bg.Done()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	var latencies []time.Duration
	go func() { // a signed-in agent keeps working
		defer bg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			start := time.Now()
			req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/cases?limit=20", nil)
			req.Header.Set("Authorization", "Bearer "+h.tokens[store.RoleAgent])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("the signed-in agent got %d during the flood", resp.StatusCode)
			}
			latencies = append(latencies, time.Since(start))
		}
	}()

	const flood = 300
	var refused, busy, other atomic.Int64
	var wg sync.WaitGroup
	started := time.Now()
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: flood}, Timeout: 30 * time.Second}
	for i := range flood {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"username":"flood%058d","password":"guess"}`, i)
			resp, err := client.Post(h.srv.URL+"/api/v1/auth/login", "application/json", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusUnauthorized:
				refused.Add(1)
			case http.StatusServiceUnavailable:
				busy.Add(1)
				if resp.Header.Get("Retry-After") == "" {
					t.Error("503 without Retry-After")
				}
			default:
				other.Add(1)
			}
		}()
	}
	wg.Wait()
	took := time.Since(started)
	close(stop)
	bg.Wait()

	if other.Load() != 0 || refused.Load()+busy.Load() != flood {
		t.Fatalf("answers: %d 401, %d 503, %d other; want every login answered 401 or 503", refused.Load(), busy.Load(), other.Load())
	}
	growth := int64(peak.Load()) - int64(base.HeapInuse)
	slots := min(max(runtime.GOMAXPROCS(0), 2), 8)
	// Each running check holds 19 MiB; the collector lets garbage of finished checks
	// build up to about as much again, and more while it runs concurrently: four
	// times the live checks, plus the server's own, is the bound. 300 unbounded checks
	// would need 5.7 GB.
	bound := int64(slots)*19<<20*4 + 64<<20
	if growth > bound {
		t.Fatalf("the heap grew by %d MiB during the flood; the bound is %d MiB", growth>>20, bound>>20)
	}
	slices.Sort(latencies)
	if len(latencies) == 0 {
		t.Fatal("the signed-in agent made no request during the flood")
	}
	p := func(q float64) time.Duration {
		return latencies[int(q*float64(len(latencies)-1))].Round(time.Millisecond)
	}
	t.Logf("login flood of %d: %d checked (401), %d refused busy (503) in %s; heap growth %d MiB (bound %d MiB, %d checks at once); "+
		"signed-in list requests during it: %d, p50 %s, p95 %s, max %s",
		flood, refused.Load(), busy.Load(), took.Round(time.Millisecond), growth>>20, bound>>20, slots,
		len(latencies), p(0.5), p(0.95), p(1))
}

// TestASlowBodyIsCutOffByTheReadTimeout trickles request bodies one byte at a time
// on 50 connections: the server's read timeout closes every one of them (before, the
// body was never timed out and 2,000 such connections were all held after 40 s).
func TestASlowBodyIsCutOffByTheReadTimeout(t *testing.T) {
	h := newHarness(t)
	tm := DefaultTimeouts()
	tm.Read, tm.ReadHeader, tm.Write, tm.Idle = 500*time.Millisecond, 500*time.Millisecond, time.Second, time.Second
	srv := NewHTTPServer(h.api.Handler(), tm, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	const conns = 50
	var wg sync.WaitGroup
	var held atomic.Int64
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			fmt.Fprintf(c, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
			closed := make(chan struct{})
			go func() { // keep trickling until the server hangs up
				for i := 0; ; i++ {
					select {
					case <-closed:
						return
					case <-time.After(50 * time.Millisecond):
					}
					if _, err := c.Write([]byte("{")); err != nil {
						return
					}
				}
			}()
			defer close(closed)
			// The client gives up after 10 s: far beyond the 0.5 s read timeout.
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, err = io.Copy(io.Discard, bufio.NewReader(c))
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				held.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := held.Load(); n > 0 {
		t.Fatalf("%d of %d slow bodies were still held after 10 s", n, conns)
	}
}

// TestARouteMayStreamPastTheWriteTimeout: a long-lived response (server-sent events,
// a big export) lifts its own write deadline with SetDeadlines.
func TestARouteMayStreamPastTheWriteTimeout(t *testing.T) {
	tm := DefaultTimeouts()
	tm.Write = 200 * time.Millisecond
	mux := http.NewServeMux()
	stream := func(lift bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if lift {
				SetDeadlines(w, 0, -1)
			}
			for i := range 4 {
				fmt.Fprintf(w, "data: %d\n\n", i)
				http.NewResponseController(w).Flush()
				time.Sleep(100 * time.Millisecond)
			}
		}
	}
	mux.HandleFunc("/lifted", stream(true))
	mux.HandleFunc("/bounded", stream(false))
	srv := NewHTTPServer(mux, tm, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	read := func(path string) string {
		resp, err := http.Get("http://" + ln.Addr().String() + path)
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if got := read("/lifted"); strings.Count(got, "data:") != 4 {
		t.Errorf("a lifted stream got %q; want all 4 events", got)
	}
	if got := read("/bounded"); strings.Count(got, "data:") == 4 {
		t.Errorf("a stream past the write timeout was not cut: %q", got)
	}
}

// TestParallelPasswordGuessesAreCountedBeforeTheyAreChecked: 40 wrong guesses at once
// for one name (before: all 40 were checked, the count being read before written).
func TestParallelPasswordGuessesAreCountedBeforeTheyAreChecked(t *testing.T) {
	h := newHarness(t)
	var checked, throttled, other atomic.Int64
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"username":"admin1","password":"guess%d"}`, i)
			resp, err := http.Post(h.srv.URL+"/api/v1/auth/login", "application/json", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusUnauthorized:
				checked.Add(1)
			case http.StatusTooManyRequests:
				throttled.Add(1)
			default:
				other.Add(1)
			}
		}()
	}
	wg.Wait()
	if checked.Load() != 5 || throttled.Load() != 35 || other.Load() != 0 {
		t.Fatalf("40 parallel guesses: %d checked, %d throttled, %d other; want 5, 35, 0", checked.Load(), throttled.Load(), other.Load())
	}
}
