package platform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

// Page is one batch of a platform's change feed: the records changed after the cursor
// asked for, the cursor after them, and whether more are waiting.
type Page struct {
	Records []Record
	Next    string
	More    bool
}

// Connector reads a platform's after-sale changes since a cursor ("" from the start)
// and maps them to records. It does not remember the cursor: the Poller does, after
// the batch is committed.
type Connector interface {
	Name() string
	Changes(ctx context.Context, cursor string) (Page, error)
}

// Sink takes a record into the case store (the desk): it reports whether the record
// was bad (a data error, not worth a retry) apart from a failure to write.
type Sink interface {
	Upsert(ctx context.Context, r Record, source string) (outcome string, bad cases.ValidationError, err error)
}

// Cursors keeps each connector's position.
type Cursors interface {
	PlatformCursor(ctx context.Context, name string) (string, error)
	SavePlatformCursor(ctx context.Context, name, cursor string, now time.Time) error
}

// ErrPermanent wraps a connector failure that a retry will not fix (a refused
// credential, a malformed answer).
var ErrPermanent = errors.New("permanent connector error")

// Bucket is a token bucket: Rate tokens a second up to Burst; Wait takes one.
type Bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
}

// NewBucket makes a full bucket. now and sleep are the clock (nil: the wall clock).
func NewBucket(rate float64, burst int, now func() time.Time, sleep func(context.Context, time.Duration) error) *Bucket {
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = sleepCtx
	}
	if burst < 1 {
		burst = 1
	}
	return &Bucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: now(), now: now, sleep: sleep}
}

// Wait blocks until a token is free (or ctx ends) and takes it.
func (b *Bucket) Wait(ctx context.Context) error {
	for {
		b.mu.Lock()
		now := b.now()
		if el := now.Sub(b.last).Seconds(); el > 0 {
			b.tokens = min(b.burst, b.tokens+el*b.rate)
		}
		b.last = now
		if b.tokens >= 1 {
			b.tokens--
			b.mu.Unlock()
			return nil
		}
		wait := time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
		b.mu.Unlock()
		if err := b.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// PollerOpts configure a Poller.
type PollerOpts struct {
	Connector Connector
	Sink      Sink
	Cursors   Cursors
	Limiter   *Bucket
	// MaxAttempts bounds the tries of one fetch; Backoff is the first wait, doubled
	// after each failure up to MaxBackoff.
	MaxAttempts int
	Backoff     time.Duration
	MaxBackoff  time.Duration
	Now         func() time.Time
	Sleep       func(ctx context.Context, d time.Duration) error
	Logger      *slog.Logger
}

// Poller pulls a connector's changes into the sink: fetch a page (rate limited,
// retried with backoff), upsert every record, and only then save the cursor. A crash
// anywhere before the save replays the page, which the idempotent upsert absorbs.
type Poller struct{ o PollerOpts }

// NewPoller checks the options and fills the defaults.
func NewPoller(o PollerOpts) (*Poller, error) {
	if o.Connector == nil || o.Sink == nil || o.Cursors == nil {
		return nil, errors.New("poller: connector, sink and cursors are required")
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 5
	}
	if o.Backoff <= 0 {
		o.Backoff = 500 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Limiter == nil {
		o.Limiter = NewBucket(2, 4, o.Now, o.Sleep)
	}
	return &Poller{o: o}, nil
}

// PollStats is what one poll did.
type PollStats struct {
	Pages, Records, Created, Updated, Unchanged, Bad int
}

// PollOnce reads every page waiting since the saved cursor.
func (p *Poller) PollOnce(ctx context.Context) (PollStats, error) {
	var st PollStats
	name := p.o.Connector.Name()
	cursor, err := p.o.Cursors.PlatformCursor(ctx, name)
	if err != nil {
		return st, err
	}
	for {
		page, err := p.fetch(ctx, cursor)
		if err != nil {
			return st, err
		}
		st.Pages++
		for _, r := range page.Records {
			outcome, bad, err := p.o.Sink.Upsert(ctx, r, "connector:"+name)
			if err != nil {
				return st, fmt.Errorf("connector %s: record %s: %w", name, r.AfterSaleID, err)
			}
			st.Records++
			switch {
			case bad != nil:
				// A record the platform sent that the data files cannot read is
				// logged, not retried forever: a retry would read it the same way.
				st.Bad++
				p.o.Logger.ErrorContext(ctx, "platform record refused", slog.String("connector", name),
					slog.String("aftersale_id", r.AfterSaleID), slog.String("reason", bad.Error()))
			case outcome == "created":
				st.Created++
			case outcome == "updated":
				st.Updated++
			default:
				st.Unchanged++
			}
		}
		if err := p.o.Cursors.SavePlatformCursor(ctx, name, page.Next, p.o.Now()); err != nil {
			return st, err
		}
		cursor = page.Next
		if !page.More {
			return st, nil
		}
	}
}

// fetch reads one page, waiting for the rate limit and retrying transient failures
// with exponential backoff.
func (p *Poller) fetch(ctx context.Context, cursor string) (Page, error) {
	wait := p.o.Backoff
	var last error
	for attempt := 1; attempt <= p.o.MaxAttempts; attempt++ {
		if err := p.o.Limiter.Wait(ctx); err != nil {
			return Page{}, err
		}
		page, err := p.o.Connector.Changes(ctx, cursor)
		if err == nil {
			return page, nil
		}
		if errors.Is(err, ErrPermanent) || ctx.Err() != nil {
			return Page{}, err
		}
		last = err
		p.o.Logger.WarnContext(ctx, "platform fetch failed; retrying", slog.String("connector", p.o.Connector.Name()),
			slog.Int("attempt", attempt), slog.Duration("wait", wait), slog.Any("err", err))
		if attempt == p.o.MaxAttempts {
			break
		}
		if err := p.o.Sleep(ctx, wait); err != nil {
			return Page{}, err
		}
		wait = min(wait*2, p.o.MaxBackoff)
	}
	return Page{}, fmt.Errorf("connector %s: %d attempts failed: %w", p.o.Connector.Name(), p.o.MaxAttempts, last)
}

// Run polls every interval until ctx ends; a failed poll is logged and tried again at
// the next interval (the cursor has not moved, so nothing is lost).
func (p *Poller) Run(ctx context.Context, interval time.Duration) {
	for {
		st, err := p.PollOnce(ctx)
		if err != nil && ctx.Err() == nil {
			p.o.Logger.ErrorContext(ctx, "platform poll failed", slog.String("connector", p.o.Connector.Name()), slog.Any("err", err))
		} else if st.Records > 0 {
			p.o.Logger.InfoContext(ctx, "platform poll", slog.String("connector", p.o.Connector.Name()), slog.Int("records", st.Records),
				slog.Int("created", st.Created), slog.Int("updated", st.Updated), slog.Int("bad", st.Bad))
		}
		if err := p.o.Sleep(ctx, interval); err != nil {
			return
		}
	}
}
