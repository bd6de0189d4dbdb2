// Command shouhou-bench is the load benchmark of the case store (docs/PERFORMANCE.md):
// it seeds N cases through the store, then runs create, append, list, search and
// filter operations with concurrent clients and prints throughput, p50, p99 and
// memory. On PostgreSQL it also measures raw single-row pgx inserts in the same run,
// the yardstick of the append path. Run it with scripts/bench.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

type config struct {
	store    string
	path     string
	dsn      string
	n        int
	clients  int
	duration time.Duration
	only     string
	reuse    bool
	profile  string
	repeat   int
}

func main() {
	var c config
	flag.StringVar(&c.store, "store", "sqlite", "sqlite or postgres")
	flag.StringVar(&c.path, "db", "", "SQLite file (default: a new file in a temporary directory)")
	flag.StringVar(&c.dsn, "dsn", os.Getenv("SHOUHOU_BENCH_POSTGRES"), "PostgreSQL connection string (default $SHOUHOU_BENCH_POSTGRES); use an empty database")
	flag.IntVar(&c.n, "n", 100_000, "cases to seed")
	flag.IntVar(&c.clients, "clients", 16, "concurrent clients of the throughput runs (reads are also run with 1 client for latency)")
	flag.DurationVar(&c.duration, "duration", 3*time.Second, "how long each operation runs")
	flag.StringVar(&c.only, "only", "", "comma-separated operation name prefixes to run (default all)")
	flag.BoolVar(&c.reuse, "reuse", false, "the database is already seeded with -n cases by an earlier run: skip seeding")
	flag.StringVar(&c.profile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.IntVar(&c.repeat, "repeat", 1, "run the selected operations this many times in turn (A/B comparisons under a varying machine load)")
	flag.Parse()
	if c.profile != "" {
		f, err := os.Create(c.profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "shouhou-bench:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(context.Background(), c); err != nil {
		fmt.Fprintln(os.Stderr, "shouhou-bench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	var s *sqlstore.Store
	var err error
	switch c.store {
	case "sqlite":
		if c.path == "" {
			dir, err := os.MkdirTemp("", "shouhou-bench")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			c.path = filepath.Join(dir, "bench.db")
		}
		s, err = sqlstore.OpenSQLite(ctx, c.path, sqlstore.SQLiteOptions{})
	case "postgres":
		if c.dsn == "" {
			return errors.New("-dsn (or SHOUHOU_BENCH_POSTGRES) is required for -store postgres")
		}
		s, err = sqlstore.OpenPostgres(ctx, c.dsn)
	default:
		return fmt.Errorf("-store must be sqlite or postgres, not %q", c.store)
	}
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Printf("store %s, %d cases, %d clients, %s per operation, GOMAXPROCS %d\n", c.store, c.n, c.clients, c.duration, runtime.GOMAXPROCS(0))
	if !c.reuse {
		start := time.Now()
		if err := seed(ctx, s, c.n); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		el := time.Since(start)
		fmt.Printf("seeded %d cases in %s (%.0f cases/s)\n", c.n, el.Round(time.Millisecond), float64(c.n)/el.Seconds())
	}
	var pool *pgxpool.Pool
	if c.store == "postgres" {
		if pool, err = rawPool(ctx, c.dsn, c.clients); err != nil {
			return err
		}
		defer pool.Close()
	}
	ops := operations(s, pool, c.n)
	for _, p := range strings.Split(c.only, ",") {
		if p = strings.TrimSpace(p); p != "" && !slices.ContainsFunc(ops, func(o operation) bool { return strings.HasPrefix(o.name, p) }) {
			return fmt.Errorf("-only: no operation starts with %q", p)
		}
	}
	fmt.Printf("%-26s %8s %10s %9s %9s %9s %9s\n", "operation", "clients", "ops/s", "p50 ms", "p99 ms", "heap MB", "rss MB")
	for range max(c.repeat, 1) {
		if err := runOps(ctx, c, ops); err != nil {
			return err
		}
	}
	return nil
}

func runOps(ctx context.Context, c config, ops []operation) error {
	for _, o := range ops {
		if !selected(c.only, o.name) {
			continue
		}
		clients := []int{c.clients}
		if o.read {
			clients = []int{1, c.clients}
		}
		for _, n := range clients {
			r, err := measure(ctx, o.fn, n, c.duration)
			if err != nil {
				return fmt.Errorf("%s: %w", o.name, err)
			}
			fmt.Printf("%-26s %8d %10.0f %9.2f %9.2f %9.1f %9.1f\n", o.name, n, r.rate, ms(r.p50), ms(r.p99), r.heapMB, r.rssMB)
		}
	}
	return nil
}

func selected(only, name string) bool {
	if only == "" {
		return true
	}
	for _, p := range strings.Split(only, ",") {
		if strings.HasPrefix(name, strings.TrimSpace(p)) {
			return true
		}
	}
	return false
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// ---- the seeded data: case i is a pure function of i, so searches can aim at it.

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = strings.Fields("伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 小明 建华 志强 海燕 雪梅 子涵 浩然 欣怡 梓轩 一诺 雨桐 宇航 思远 佳怡 俊杰 晓东 春花")
	phrases  = strings.Fields("收到时外箱压坏杯子碎了 保温杯漏水瓶盖松动 快递三天没有更新物流 少发了一个杯盖 颜色和图片不一致 杯身有划痕 不保温早上倒的水中午就凉了 想换一个大一点的尺寸 地址填错了需要修改 退款还没有到账 客服回复太慢要投诉 发错了型号 收到的是二手的有使用痕迹 杯底有异味 吸管断了 包装破损 赠品没有收到 物流显示签收但没收到 不会用预约功能 想问一下什么时候发货")
	agents   = func() []string {
		a := make([]string, 20)
		for i := range a {
			a[i] = fmt.Sprintf("agent%02d", i+1)
		}
		return a
	}()
	// now is the moment the seeded data is seen from: cases were created over the 90
	// days before it; about a sixth of the open cases are past their deadline.
	now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
)

type seeded struct {
	name, phone, order, tracking, fragment string
}

func seededCase(i int) seeded {
	r := rand.New(rand.NewPCG(uint64(i), 17))
	name := string(surnames[r.IntN(len(surnames))]) + given[r.IntN(len(given))]
	p := phrases[r.IntN(len(phrases))]
	pr := []rune(p)
	at := r.IntN(len(pr) - 3)
	return seeded{
		name:     name,
		phone:    fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000)),
		order:    fmt.Sprintf("P%011d", i),
		tracking: fmt.Sprintf("SF%010d", 3_000_000_000+uint64(i)*7919%7_000_000_000),
		fragment: string(pr[at : at+4]),
	}
}

func makeCase(i int) (cases.Case, []cases.Event, error) {
	d := seededCase(i)
	r := rand.New(rand.NewPCG(uint64(i), 23))
	created := now.Add(-time.Duration(r.Int64N(int64(90 * 24 * time.Hour))))
	in := cases.Intake{
		CustomerName: d.name, CustomerPhone: d.phone, Platform: cases.Platform(cases.Platforms[r.IntN(len(cases.Platforms))].Code),
		OrderNo: d.order, Amount: money.Yuan(int64(20 + r.IntN(500))), TrackingNo: d.tracking,
		SKU: fmt.Sprintf("CUP-%03d", r.IntN(200)), Batch: fmt.Sprintf("B%04d", r.IntN(500)),
		Type:        cases.ProblemType(cases.ProblemTypes[r.IntN(len(cases.ProblemTypes))].Code),
		Description: phrases[r.IntN(len(phrases))] + "，" + phrases[r.IntN(len(phrases))],
	}
	in.Normalize()
	payload, err := json.Marshal(cases.CreatedPayload{Intake: in})
	if err != nil {
		return cases.Case{}, nil, err
	}
	events := []cases.Event{{Seq: 1, Type: cases.EvCreated, Actor: "bench", At: created, Payload: payload}}
	c, err := cases.Replay(events)
	if err != nil {
		return c, nil, err
	}
	c.Level = cases.Level(1 + r.IntN(3))
	c.Stage = cases.Stages[r.IntN(len(cases.Stages)-1)]
	if r.IntN(10) > 0 {
		c.Assignee = agents[r.IntN(len(agents))]
	}
	respDue := created.Add(4 * time.Hour)
	c.ResponseDueAt = &respDue
	if r.IntN(20) > 0 {
		c.FirstRespondedAt = &created
	} else {
		// An unanswered case: its first-response deadline is close to now.
		d := now.Add(time.Duration(r.IntN(8)-4) * time.Hour)
		c.ResponseDueAt = &d
	}
	due := now.Add(time.Duration(r.IntN(6*24)-24) * time.Hour)
	c.ResolveDueAt = &due
	if r.IntN(10) == 0 {
		c.Status, c.Stage = cases.StatusClosed, cases.StageClosed
		c.ClosedAt = &created
	}
	return c, events, nil
}

func seed(ctx context.Context, s *sqlstore.Store, n int) error {
	const batch = 500
	next := atomic.Int64{}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				from := int(next.Add(batch)) - batch
				if from >= n {
					return
				}
				err := s.InTx(ctx, func(tx store.Tx) error {
					for i := from; i < min(from+batch, n); i++ {
						c, ev, err := makeCase(i)
						if err != nil {
							return err
						}
						if _, err := tx.InsertCase(ctx, c, ev); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// ---- operations

type operation struct {
	name string
	read bool
	fn   func(ctx context.Context, r *rand.Rand) error
}

func operations(s *sqlstore.Store, pool *pgxpool.Pool, n int) []operation {
	var created atomic.Int64
	created.Store(int64(n))
	payload, _ := json.Marshal(cases.MessagePayload{Text: "亲，已经为您加急处理", Intent: "soothe"})
	list := func(f func(r *rand.Rand) store.CaseFilter) func(ctx context.Context, r *rand.Rand) error {
		return func(ctx context.Context, r *rand.Rand) error {
			_, err := s.ListCases(ctx, f(r))
			return err
		}
	}
	pick := func(r *rand.Rand) seeded { return seededCase(r.IntN(n)) }
	week := now.Add(-7 * 24 * time.Hour)
	ops := []operation{
		{name: "create", fn: func(ctx context.Context, r *rand.Rand) error {
			c, ev, err := makeCase(int(created.Add(1)))
			if err != nil {
				return err
			}
			return s.InTx(ctx, func(tx store.Tx) error {
				_, err := tx.InsertCase(ctx, c, ev)
				return err
			})
		}},
		{name: "append", fn: func(ctx context.Context, r *rand.Rand) error {
			id := 1 + r.Int64N(int64(n))
			err := s.InTx(ctx, func(tx store.Tx) error {
				c, err := tx.GetCase(ctx, id)
				if err != nil {
					return err
				}
				e := cases.Event{CaseID: id, Seq: c.Version + 1, Type: cases.EvMessageOut, Actor: "bench", At: time.Now().UTC(), Payload: payload}
				next, err := cases.Apply(c, e)
				if err != nil {
					return err
				}
				return tx.AppendEvents(ctx, c.Version, next, []cases.Event{e})
			})
			if errors.Is(err, store.ErrNotFound) {
				return nil // an id the database skipped (PostgreSQL sequences may)
			}
			return err
		}},
	}
	if pool != nil {
		var seq atomic.Int64
		ops = append(ops, operation{name: "raw pgx insert", fn: func(ctx context.Context, r *rand.Rand) error {
			_, err := pool.Exec(ctx, `INSERT INTO bench_raw (case_id, seq, type, actor, at, payload) VALUES ($1,$2,$3,$4,$5,$6)`,
				r.Int64N(int64(n)), seq.Add(1), string(cases.EvMessageOut), "bench", time.Now().UnixMilli(), string(payload))
			return err
		}})
	}
	ops = append(ops,
		operation{name: "list recent", read: true, fn: list(func(*rand.Rand) store.CaseFilter { return store.CaseFilter{} })},
		operation{name: "list due", read: true, fn: list(func(*rand.Rand) store.CaseFilter { return store.CaseFilter{Sort: "due", Status: cases.StatusOpen} })},
		operation{name: "search order number", read: true, fn: list(func(r *rand.Rand) store.CaseFilter { return store.CaseFilter{Query: pick(r).order} })},
		operation{name: "search phone tail", read: true, fn: list(func(r *rand.Rand) store.CaseFilter {
			p := pick(r).phone
			return store.CaseFilter{Query: p[len(p)-4:]}
		})},
		operation{name: "search name", read: true, fn: list(func(r *rand.Rand) store.CaseFilter { return store.CaseFilter{Query: pick(r).name} })},
		operation{name: "search name fragment", read: true, fn: list(func(r *rand.Rand) store.CaseFilter {
			return store.CaseFilter{Query: string([]rune(pick(r).name)[1:])}
		})},
		operation{name: "search tracking number", read: true, fn: list(func(r *rand.Rand) store.CaseFilter { return store.CaseFilter{Query: pick(r).tracking} })},
		operation{name: "search text", read: true, fn: list(func(r *rand.Rand) store.CaseFilter { return store.CaseFilter{Query: pick(r).fragment} })},
		// The team queue's search box: open cases holding the text, by due time.
		operation{name: "search text in queue", read: true, fn: list(func(r *rand.Rand) store.CaseFilter {
			return store.CaseFilter{Query: pick(r).fragment, Status: cases.StatusOpen, Sort: "due"}
		})},
		operation{name: "search order in queue", read: true, fn: list(func(r *rand.Rand) store.CaseFilter {
			return store.CaseFilter{Query: pick(r).order, Status: cases.StatusOpen, Sort: "due"}
		})},
		operation{name: "filter overdue", read: true, fn: list(func(*rand.Rand) store.CaseFilter {
			return store.CaseFilter{OverdueAt: now, OverdueKind: store.OverdueResolve}
		})},
		operation{name: "filter overdue response", read: true, fn: list(func(*rand.Rand) store.CaseFilter {
			return store.CaseFilter{OverdueAt: now, OverdueKind: store.OverdueResponse}
		})},
		operation{name: "filter overdue any", read: true, fn: list(func(*rand.Rand) store.CaseFilter {
			return store.CaseFilter{OverdueAt: now, OverdueKind: store.OverdueAny}
		})},
		operation{name: "filter stage", read: true, fn: list(func(r *rand.Rand) store.CaseFilter {
			return store.CaseFilter{Stage: cases.Stages[r.IntN(len(cases.Stages))]}
		})},
		operation{name: "filter level", read: true, fn: list(func(r *rand.Rand) store.CaseFilter { return store.CaseFilter{Level: cases.Level(1 + r.IntN(3))} })},
		operation{name: "filter platform", read: true, fn: list(func(r *rand.Rand) store.CaseFilter {
			return store.CaseFilter{Platform: cases.Platform(cases.Platforms[r.IntN(len(cases.Platforms))].Code)}
		})},
		operation{name: "filter type", read: true, fn: list(func(r *rand.Rand) store.CaseFilter {
			return store.CaseFilter{Type: cases.ProblemType(cases.ProblemTypes[r.IntN(len(cases.ProblemTypes))].Code)}
		})},
		operation{name: "filter assignee", read: true, fn: list(func(r *rand.Rand) store.CaseFilter { return store.CaseFilter{Assignee: agents[r.IntN(len(agents))]} })},
		operation{name: "filter assignee due", read: true, fn: list(func(r *rand.Rand) store.CaseFilter {
			return store.CaseFilter{Assignee: agents[r.IntN(len(agents))], Status: cases.StatusOpen, Sort: "due"}
		})},
		operation{name: "filter unassigned", read: true, fn: list(func(*rand.Rand) store.CaseFilter { return store.CaseFilter{Unassigned: true} })},
		operation{name: "filter closed", read: true, fn: list(func(*rand.Rand) store.CaseFilter { return store.CaseFilter{Status: cases.StatusClosed} })},
		operation{name: "filter last 7 days", read: true, fn: list(func(*rand.Rand) store.CaseFilter {
			return store.CaseFilter{CreatedFrom: week, CreatedBefore: now}
		})},
		operation{name: "filter platform+level", read: true, fn: list(func(r *rand.Rand) store.CaseFilter {
			return store.CaseFilter{Platform: cases.Platform(cases.Platforms[r.IntN(len(cases.Platforms))].Code), Level: cases.Level(1 + r.IntN(3))}
		})},
	)
	return ops
}

func rawPool(ctx context.Context, dsn string, clients int) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = int32(clients)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	// The same shape and indexes as case_events.
	_, err = pool.Exec(ctx, `DROP TABLE IF EXISTS bench_raw;
		CREATE TABLE bench_raw (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, case_id BIGINT NOT NULL,
		seq BIGINT NOT NULL, type TEXT NOT NULL, actor TEXT NOT NULL, at BIGINT NOT NULL, payload JSONB NOT NULL,
		UNIQUE (case_id, seq));
		CREATE INDEX bench_raw_type ON bench_raw (type, at)`)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("raw insert table: %w", err)
	}
	return pool, nil
}

// ---- measurement

type result struct {
	rate          float64
	p50, p99      time.Duration
	heapMB, rssMB float64
}

func measure(ctx context.Context, fn func(context.Context, *rand.Rand) error, clients int, d time.Duration) (result, error) {
	var wg sync.WaitGroup
	lat := make([][]time.Duration, clients)
	errs := make(chan error, clients)
	deadline := time.Now().Add(d)
	start := time.Now()
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano())))
			for time.Now().Before(deadline) {
				t := time.Now()
				if err := fn(ctx, r); err != nil {
					errs <- err
					return
				}
				lat[w] = append(lat[w], time.Since(t))
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return result{}, err
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) == 0 {
		return result{}, errors.New("no operation finished")
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return result{
		rate: float64(len(all)) / el.Seconds(),
		p50:  all[len(all)/2], p99: all[len(all)*99/100],
		heapMB: float64(m.HeapInuse) / (1 << 20), rssMB: float64(ru.Maxrss) / 1024,
	}, nil
}
