package platform_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

// fakeDoudian is a local platform: a change feed of after-sale items, where every
// change gets the next sequence number and the cursor is the last number read.
type fakeDoudian struct {
	mu       sync.Mutex
	secret   string
	seq      int
	items    map[string]map[string]any
	changed  map[string]int
	failNext []int // statuses to answer the next requests with
	requests int
}

func newFake(secret string) *fakeDoudian {
	return &fakeDoudian{secret: secret, items: map[string]map[string]any{}, changed: map[string]int{}}
}

func (f *fakeDoudian) put(id string, status, arbitrate int, deadline time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	f.items[id] = map[string]any{"aftersale_id": id, "order_id": "49283710293847" + id[len(id)-5:], "aftersale_type": 0,
		"aftersale_status": status, "arbitrate_status": arbitrate, "refund_amount": 25900, "pay_amount": 25900,
		"status_deadline": deadline.Unix(), "apply_time": time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC).Unix(),
		"update_time": time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC).Unix() + int64(f.seq), "buyer_nick": "抖音用户" + id[len(id)-3:], "reason": "质量问题"}
	f.changed[id] = f.seq
}

func (f *fakeDoudian) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	if len(f.failNext) > 0 {
		code := f.failNext[0]
		f.failNext = f.failNext[1:]
		w.WriteHeader(code)
		return
	}
	if r.URL.Path != "/aftersale/changes" || r.Header.Get("X-Sign") != platform.Sign(f.secret, r.URL.RawQuery) {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"code":40001,"msg":"sign error"}`))
		return
	}
	after, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	size, _ := strconv.Atoi(r.URL.Query().Get("size"))
	var ids []string
	for id, s := range f.changed {
		if s > after {
			ids = append(ids, id)
		}
	}
	// oldest change first
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			if f.changed[ids[j]] < f.changed[ids[i]] {
				ids[i], ids[j] = ids[j], ids[i]
			}
		}
	}
	more := len(ids) > size
	if more {
		ids = ids[:size]
	}
	items := []map[string]any{}
	next := after
	for _, id := range ids {
		items = append(items, f.items[id])
		next = f.changed[id]
	}
	json.NewEncoder(w).Encode(map[string]any{"code": 0, "items": items, "next_cursor": strconv.Itoa(next), "has_more": more})
}

type connectorEnv struct {
	store *sqlstore.Store
	desk  *desk.Desk
	fake  *fakeDoudian
	conn  *platform.Doudian
	url   string
	slept []time.Duration
}

func (e *connectorEnv) connURL() string { return e.url }

func newConnectorEnv(t *testing.T) *connectorEnv {
	t.Helper()
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "db"), sqlstore.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := func() time.Time { return time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC) }
	// The business's one shop is the 抖店 the connector serves.
	sh, err := st.Shop(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	sh.Code, sh.Platform = "dy-main", cases.PlatformDouyin
	if err := st.UpdateShop(context.Background(), sh); err != nil {
		t.Fatal(err)
	}
	d := desk.New(desk.Opts{Store: st, SLA: clock.DefaultSLA(), Now: now})
	fake := newFake("s3cret")
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	conn := platform.NewDoudian(platform.ConnectorConfig{Name: "dy-main", Kind: "doudian", BaseURL: srv.URL, AppKey: "k", AppSecret: "s3cret", Shop: "dy-main"}, srv.Client(), now)
	return &connectorEnv{store: st, desk: d, fake: fake, conn: conn, url: srv.URL}
}

func (e *connectorEnv) poller(t *testing.T, cursors platform.Cursors, sink platform.Sink) *platform.Poller {
	t.Helper()
	if cursors == nil {
		cursors = e.store
	}
	if sink == nil {
		sink = e.desk.PlatformSink(desk.Actor{Name: "connector", Role: store.RoleAdmin})
	}
	sleep := func(ctx context.Context, d time.Duration) error { e.slept = append(e.slept, d); return ctx.Err() }
	p, err := platform.NewPoller(platform.PollerOpts{Connector: e.conn, Sink: sink, Cursors: cursors, Sleep: sleep,
		Limiter: platform.NewBucket(1000, 1000, nil, nil), MaxAttempts: 3, Backoff: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// platformEvents counts the platform.* events of the case of a Douyin after-sale.
func (e *connectorEnv) platformEvents(t *testing.T, id string) (int, cases.Case) {
	t.Helper()
	cid, found, err := e.store.AfterSaleCase(context.Background(), cases.PlatformDouyin, "dy-main", id)
	if err != nil || !found {
		t.Fatalf("no case for %s: %v", id, err)
	}
	log, err := e.desk.Events(context.Background(), cid, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range log {
		if strings.HasPrefix(string(ev.Type), "platform.") {
			n++
		}
	}
	c, _ := e.desk.Get(context.Background(), cid)
	return n, c
}

func (e *connectorEnv) cases(t *testing.T) int {
	t.Helper()
	page, err := e.desk.List(context.Background(), store.CaseFilter{Limit: 100}, false)
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Cases)
}

func TestConnectorPollsTwiceAndAStatusChangeIsExactlyOneEvent(t *testing.T) {
	e := newConnectorEnv(t)
	ctx := context.Background()
	dl := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	e.fake.put("7311829300100001", 6, 0, dl)
	e.fake.put("7311829300100002", 7, 0, dl)
	e.fake.put("7311829300100003", 6, 1, dl)
	p := e.poller(t, nil, nil)
	st, err := p.PollOnce(ctx)
	if err != nil || st.Created != 3 {
		t.Fatalf("first poll: %+v %v", st, err)
	}
	e.fake.put("7311829300100001", 11, 0, dl.Add(24*time.Hour)) // the buyer sent the goods back
	st, err = p.PollOnce(ctx)
	if err != nil || st.Records != 1 || st.Updated != 1 {
		t.Fatalf("second poll: %+v %v", st, err)
	}
	n, c := e.platformEvents(t, "7311829300100001")
	if n != 2 || c.AfterSale.Status != platform.ReturnedAwaitingSeller || c.AfterSale.StatusLabel != "待商家二次同意" {
		t.Fatalf("%d platform events, record %+v", n, c.AfterSale)
	}
	if _, c := e.platformEvents(t, "7311829300100003"); c.AfterSale.Status != platform.Intervened {
		t.Fatalf("arbitration: %+v", c.AfterSale)
	}
	if st, _ := p.PollOnce(ctx); st.Records != 0 {
		t.Fatalf("a poll with nothing new read %+v", st)
	}
	if cur, _ := e.store.PlatformCursor(ctx, "dy-main"); cur != "4" {
		t.Fatalf("cursor %q", cur)
	}
}

// crashingCursors commits nothing of the cursor and ends the process's context, as a
// crash between the batch's commit and the cursor's save would.
type crashingCursors struct {
	platform.Cursors
	cancel context.CancelFunc
}

func (c crashingCursors) SavePlatformCursor(ctx context.Context, name, cursor string, now time.Time) error {
	c.cancel()
	return context.Canceled
}

// crashingSink dies after the fetch, before writing anything.
type crashingSink struct{ cancel context.CancelFunc }

func (c crashingSink) Upsert(ctx context.Context, r platform.Record, source string) (string, cases.ValidationError, error) {
	c.cancel()
	return "", nil, context.Canceled
}

func TestACrashBetweenPollsLosesNothingAndDuplicatesNothing(t *testing.T) {
	e := newConnectorEnv(t)
	dl := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	e.fake.put("7311829300100001", 6, 0, dl)
	e.fake.put("7311829300100002", 6, 0, dl)
	if _, err := e.poller(t, nil, nil).PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Crash after the fetch, before any write: the change is not lost.
	e.fake.put("7311829300100001", 7, 0, dl)
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := e.poller(t, nil, crashingSink{cancel}).PollOnce(ctx); err == nil {
		t.Fatal("the crashed poll reported success")
	}
	// Crash after the batch committed, before the cursor was saved.
	e.fake.put("7311829300100002", 27, 0, dl)
	ctx, cancel = context.WithCancel(context.Background())
	st, err := e.poller(t, crashingCursors{e.store, cancel}, nil).PollOnce(ctx)
	if !errors.Is(err, context.Canceled) || st.Updated != 2 {
		t.Fatalf("crashed poll: %+v %v", st, err)
	}
	// The restarted server replays the page from the saved cursor: both changes are
	// there once, nothing twice.
	st, err = e.poller(t, nil, nil).PollOnce(context.Background())
	if err != nil || st.Records != 2 || st.Unchanged != 2 {
		t.Fatalf("replay: %+v %v", st, err)
	}
	for id, want := range map[string]string{"7311829300100001": platform.AwaitingReturn, "7311829300100002": platform.Refused} {
		n, c := e.platformEvents(t, id)
		if n != 2 || c.AfterSale.Status != want {
			t.Errorf("%s: %d platform events, status %s; want 2 and %s", id, n, c.AfterSale.Status, want)
		}
	}
	if n := e.cases(t); n != 2 {
		t.Fatalf("%d cases; want 2", n)
	}
}

func TestConnectorRetriesTransientFailuresWithBackoffAndStopsOnARefusal(t *testing.T) {
	e := newConnectorEnv(t)
	e.fake.put("7311829300100001", 6, 0, time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC))
	e.fake.failNext = []int{503, 429}
	st, err := e.poller(t, nil, nil).PollOnce(context.Background())
	if err != nil || st.Created != 1 {
		t.Fatalf("poll after two failures: %+v %v", st, err)
	}
	if len(e.slept) != 2 || e.slept[0] != 500*time.Millisecond || e.slept[1] != time.Second {
		t.Fatalf("backoff %v; want 500ms then 1s", e.slept)
	}
	e.fake.failNext = []int{503, 503, 503}
	if _, err := e.poller(t, nil, nil).PollOnce(context.Background()); err == nil || !strings.Contains(err.Error(), "3 attempts failed") {
		t.Fatalf("three failures: %v", err)
	}
	requests := e.fake.requests
	e.conn = platform.NewDoudian(platform.ConnectorConfig{Name: "dy-main", BaseURL: e.connURL(), AppKey: "k", AppSecret: "wrong", Shop: "dy-main"}, nil, nil)
	if _, err := e.poller(t, nil, nil).PollOnce(context.Background()); !errors.Is(err, platform.ErrPermanent) || e.fake.requests != requests+1 {
		t.Fatalf("a refused signature: %v after %d requests", err, e.fake.requests-requests)
	}
}
