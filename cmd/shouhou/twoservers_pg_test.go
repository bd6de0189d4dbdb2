package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// roundRobin sends each request to the next server in turn, as a load balancer
// without session affinity would.
type roundRobin struct {
	hosts []string
	n     atomic.Int64
	hits  []atomic.Int64
}

func (r *roundRobin) RoundTrip(req *http.Request) (*http.Response, error) {
	i := int(r.n.Add(1)) % len(r.hosts)
	r.hits[i].Add(1)
	req = req.Clone(req.Context())
	req.URL.Host, req.Host = r.hosts[i], r.hosts[i]
	return http.DefaultTransport.RoundTrip(req)
}

// TestTwoServersOnOnePostgresUnderMixedLoad runs two real `shouhou serve` processes on
// one database behind a round-robin client: the session made on one server works on
// the other, a mixed load (creates, customer messages to shared cases, remarks, lists,
// searches) gets only successes, every acknowledged write is in the log, and every
// case's version is its log's length with no gap in the sequence. (Timers firing once
// across two processes: TestTwoServersOnOnePostgresFireEachTimerOnce.)
func TestTwoServersOnOnePostgresUnderMixedLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	dsn, db := pgSchema(t)
	env := []string{"SHOUHOU_DATABASE_URL=" + dsn}
	bin := buildBinary(t)
	data := t.TempDir()
	add := exec.Command(bin, "user", "add", "duo", "--data", data, "--password", "password1")
	add.Env = append(os.Environ(), env...)
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	var srv [2]*server
	var wg sync.WaitGroup
	for i := range srv {
		wg.Add(1)
		go func() { defer wg.Done(); srv[i] = startServerEnv(t, bin, data, freeAddr(t), env) }()
	}
	wg.Wait()
	if srv[0] == nil || srv[1] == nil {
		t.Fatal("a server did not start")
	}
	rr := &roundRobin{hits: make([]atomic.Int64, 2)}
	for _, s := range srv {
		rr.hosts = append(rr.hosts, strings.TrimPrefix(s.base, "http://"))
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: rr}
	base := srv[0].base
	status, _, err := postJSON(client, base+"/api/v1/auth/login", map[string]any{"username": "duo", "password": "password1"})
	if err != nil || status != 200 {
		t.Fatalf("login: %d %v", status, err)
	}
	// The session made on one server is good on both.
	for range 2 {
		resp, err := client.Get(base + "/api/v1/cases?limit=1")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("session on the other server: %v %v", resp, err)
		}
		resp.Body.Close()
	}

	// Four shared cases that every worker writes to, through both servers.
	var shared []string
	for i := range 4 {
		status, c, err := postJSON(client, base+"/api/v1/cases", intakeBody(fmt.Sprintf("DUO%04d", i)))
		if err != nil || status != 201 {
			t.Fatalf("create: %d %v", status, err)
		}
		shared = append(shared, fmt.Sprint(c["id"]))
	}
	var mu sync.Mutex
	acked := map[string]map[string]bool{} // case id → acknowledged message texts
	created := map[string]string{}        // order number → case id
	statuses := map[string]int{}
	stop := time.Now().Add(2 * time.Second)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(stop); i++ {
				id := shared[(w+i)%len(shared)]
				var op string
				var status int
				var err error
				switch i % 5 {
				case 0:
					op = "create"
					order := fmt.Sprintf("DUO%d%05d", w, i)
					var c map[string]any
					status, c, err = postJSON(client, base+"/api/v1/cases", intakeBody(order))
					if status == 201 {
						mu.Lock()
						created[order] = fmt.Sprint(c["id"])
						mu.Unlock()
					}
				case 1, 2:
					op = "message"
					text := fmt.Sprintf("w%d-m%d", w, i)
					status, _, err = postJSON(client, base+"/api/v1/cases/"+id+"/events", map[string]any{"type": "message.received", "payload": map[string]any{"text": text}})
					if status == 200 {
						mu.Lock()
						if acked[id] == nil {
							acked[id] = map[string]bool{}
						}
						acked[id][text] = true
						mu.Unlock()
					}
				case 3:
					op = "remark"
					status, _, err = postJSON(client, base+"/api/v1/cases/"+id+"/remarks", map[string]any{"text": fmt.Sprintf("备注 w%d-%d", w, i)})
				default:
					op = "list"
					var resp *http.Response
					resp, err = client.Get(base + "/api/v1/cases?q=DUO&limit=20")
					if err == nil {
						status = resp.StatusCode
						resp.Body.Close()
					}
				}
				if err != nil {
					status = -1
				}
				mu.Lock()
				statuses[fmt.Sprintf("%s %d", op, status)]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	t.Logf("answers: %v; requests per server: %d, %d", statuses, rr.hits[0].Load(), rr.hits[1].Load())
	for k, n := range statuses {
		if !strings.HasSuffix(k, " 200") && !strings.HasSuffix(k, " 201") {
			t.Errorf("%d answers %q under load on two servers", n, k)
		}
	}
	if rr.hits[0].Load() == 0 || rr.hits[1].Load() == 0 {
		t.Fatalf("one server got no requests: %d, %d", rr.hits[0].Load(), rr.hits[1].Load())
	}

	// No acknowledged message lost, read back through both servers.
	for id, texts := range acked {
		for range 2 {
			resp, err := client.Get(base + "/api/v1/cases/" + id + "/events")
			if err != nil {
				t.Fatal(err)
			}
			var log struct {
				Events []struct{ Payload struct{ Text string } }
			}
			json.NewDecoder(resp.Body).Decode(&log)
			resp.Body.Close()
			stored := map[string]bool{}
			for _, e := range log.Events {
				stored[e.Payload.Text] = true
			}
			for text := range texts {
				if !stored[text] {
					t.Errorf("case %s: acknowledged message %s missing", id, text)
				}
			}
		}
	}
	// Every created case is found by its order number on both servers.
	for order, id := range created {
		for range 2 {
			var page struct{ Cases []struct{ ID json.Number } }
			resp, err := client.Get(base + "/api/v1/cases?q=" + url.QueryEscape(order))
			if err != nil {
				t.Fatal(err)
			}
			json.NewDecoder(resp.Body).Decode(&page)
			resp.Body.Close()
			if len(page.Cases) == 0 || page.Cases[0].ID.String() != id {
				t.Errorf("order %s (case %s) not found first by search: %v", order, id, page.Cases)
			}
		}
	}
	// Versions: each case's version is its log's length, its sequence has no gap.
	rows, err := db.Query(`SELECT c.id, c.version, count(e.id), coalesce(max(e.seq), 0), count(DISTINCT e.seq)
		FROM ` + schemaOf(dsn) + `.cases c LEFT JOIN ` + schemaOf(dsn) + `.case_events e ON e.case_id = c.id GROUP BY c.id, c.version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, version, events, maxSeq, distinct int64
		if err := rows.Scan(&id, &version, &events, &maxSeq, &distinct); err != nil {
			t.Fatal(err)
		}
		n++
		if version != events || maxSeq != events || distinct != events {
			t.Errorf("case %d: version %d, %d events, last seq %d, %d distinct seqs", id, version, events, maxSeq, distinct)
		}
	}
	if n != len(shared)+len(created) {
		t.Errorf("%d cases stored, %d acknowledged", n, len(shared)+len(created))
	}
}
