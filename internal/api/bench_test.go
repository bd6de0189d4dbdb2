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

// BenchmarkHTTPEventAppend16Clients measures event appends over HTTP on loopback with
// 16 concurrent clients, each on its own case, and reports throughput and p99.
func BenchmarkHTTPEventAppend16Clients(b *testing.B) {
	const clients = 16
	h := newHarness(&testing.T{})
	defer h.srv.Close()
	ids := make([]int64, clients)
	for i := range ids {
		r := h.do(store.RoleAgent, "POST", "/api/v1/cases", newCaseBody())
		ids[i] = int64(r.body["id"].(float64))
	}
	token := h.tokens[store.RoleAgent]
	transport := &http.Transport{MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: transport}
	body := []byte(`{"type":"message.sent","payload":{"text":"亲，这边已经为您加急处理了","intent":"soothe"}}`)
	latencies := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			url := fmt.Sprintf("%s/api/v1/cases/%d/events", h.srv.URL, ids[c])
			for i := c; i < b.N; i += clients {
				req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil || resp.StatusCode != 200 {
					b.Errorf("append: %v %v", resp, err)
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
		b.ReportMetric(float64(len(all))/elapsed.Seconds(), "appends/s")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	}
}
