package api

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

// loadTest sends b.N requests from clients concurrent clients over loopback and
// reports throughput and latency percentiles. request builds client c's i-th request.
func loadTest(b *testing.B, h *harness, clients int, request func(client int) (url string, body []byte)) {
	token := h.tokens[store.RoleAgent]
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	latencies := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; i < b.N; i += clients {
				url, body := request(c)
				req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil || resp.StatusCode != 200 {
					b.Errorf("request: %v %v", resp, err)
					return
				}
				resp.Body.Close()
				latencies[c] = append(latencies[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(latencies...)
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	}
}

// BenchmarkHTTPEventAppend16Clients measures event appends with 16 concurrent clients,
// each on its own case (issue target: ≥ 2,000/s with p99 < 50 ms on SQLite).
func BenchmarkHTTPEventAppend16Clients(b *testing.B) {
	const clients = 16
	h := newHarness(&testing.T{})
	defer h.srv.Close()
	urls := make([]string, clients)
	for i := range urls {
		r := h.do(store.RoleAgent, "POST", "/api/v1/cases", newCaseBody())
		urls[i] = fmt.Sprintf("%s/api/v1/cases/%d/events", h.srv.URL, int64(r.body["id"].(float64)))
	}
	body := []byte(`{"type":"message.sent","payload":{"text":"亲，这边已经为您加急处理了","intent":"soothe"}}`)
	loadTest(b, h, clients, func(c int) (string, []byte) { return urls[c], body })
}

// BenchmarkHTTPEventAppend16ClientsCaseSized is the same with logs of a case's size:
// each client moves to a new case after 40 messages (a case's whole history is a few
// dozen events), so the figure does not depend on b.N. In
// BenchmarkHTTPEventAppend16Clients every case's log grows by b.N/16 messages, and each
// append reviews the whole log.
func BenchmarkHTTPEventAppend16ClientsCaseSized(b *testing.B) {
	const clients, perCase = 16, 40
	h := newHarness(&testing.T{})
	defer h.srv.Close()
	urls := make([][]string, clients)
	for c := range urls {
		for range b.N/clients/perCase + 1 {
			r := h.do(store.RoleAgent, "POST", "/api/v1/cases", newCaseBody())
			urls[c] = append(urls[c], fmt.Sprintf("%s/api/v1/cases/%d/events", h.srv.URL, int64(r.body["id"].(float64))))
		}
	}
	sent := make([]int, clients) // each client's goroutine counts its own
	body := []byte(`{"type":"message.sent","payload":{"text":"亲，这边已经为您加急处理了","intent":"soothe"}}`)
	loadTest(b, h, clients, func(c int) (string, []byte) {
		url := urls[c][sent[c]/perCase]
		sent[c]++
		return url, body
	})
}

// BenchmarkHTTPEventAppend16ClientsTwoShops is the same with two shops and the agent
// serving one of them: every request also reads the agent's shops and the case's shop
// (an agent never writes another shop's case).
func BenchmarkHTTPEventAppend16ClientsTwoShops(b *testing.B) {
	const clients = 16
	h := newHarness(&testing.T{})
	defer h.srv.Close()
	if r := h.do(store.RoleAdmin, "POST", "/api/v1/shops", map[string]any{"code": "jd-main", "platform": "jd", "name": "京东店"}); r.status != 201 {
		b.Fatalf("shop: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAdmin, "PUT", "/api/v1/agents/agent1", map[string]any{"shops": []int{1}}); r.status != 200 {
		b.Fatalf("agent's shops: %d %s", r.status, r.raw)
	}
	urls := make([]string, clients)
	for i := range urls {
		body := newCaseBody()
		body["shop_id"], body["platform"] = 1, "taobao"
		r := h.do(store.RoleAgent, "POST", "/api/v1/cases", body)
		urls[i] = fmt.Sprintf("%s/api/v1/cases/%d/events", h.srv.URL, int64(r.body["id"].(float64)))
	}
	body := []byte(`{"type":"message.sent","payload":{"text":"亲，这边已经为您加急处理了","intent":"soothe"}}`)
	loadTest(b, h, clients, func(c int) (string, []byte) { return urls[c], body })
}

// BenchmarkHTTPClassify16Clients measures POST /api/v1/classify on a typical message.
func BenchmarkHTTPClassify16Clients(b *testing.B) {
	h := newHarness(&testing.T{})
	defer h.srv.Close()
	body := []byte(`{"text":"你们这破水壶用三天就漏水了！再不处理我就投诉！订单号123456789012"}`)
	loadTest(b, h, 16, func(int) (string, []byte) { return h.srv.URL + "/api/v1/classify", body })
}
