package desk

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

type heard struct{ events []cases.Event }

func (h *heard) Committed(_ context.Context, _ *Desk, _ cases.Case, events []cases.Event) {
	h.events = append(h.events, events...)
}

// A refused remark is recorded as training.refused only on a desk that records
// refusals (the training space); the shop's desk leaves no trace of a refused write.
func TestARefusedMoveIsRecordedOnlyWhereRefusalsAreRecorded(t *testing.T) {
	ctx := context.Background()
	for _, record := range []bool{false, true} {
		s, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "db"), sqlstore.SQLiteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		obs := &heard{}
		d := New(Opts{Store: s, SLA: clock.DefaultSLA(), Now: func() time.Time { return t0 }, RecordRefusals: record, Observer: obs})
		c := create(t, d, intake())
		if _, _, err := d.Remark(ctx, agent, c.ID, AnyVersion, "已处理"); err == nil {
			t.Fatal("a remark without 进度 was accepted")
		}
		log, _ := d.Events(ctx, c.ID, 0, 0)
		last := log[len(log)-1]
		switch {
		case record && last.Type != cases.EvRefused:
			t.Fatalf("refusal not recorded: last event %s", last.Type)
		case !record && len(log) != int(c.Version):
			t.Fatalf("the shop's desk recorded a refused write: %d events for version %d", len(log), c.Version)
		}
		if record {
			p, _ := cases.PayloadAs[cases.RefusedPayload](last)
			var rem cases.RemarkPayload
			_ = json.Unmarshal(p.Payload, &rem)
			if p.Type != cases.EvRemarkAdded || p.Code != "invalid" || rem.Text != "已处理" || p.Message == "" {
				t.Errorf("refusal payload %+v", p)
			}
			after, _ := d.Get(ctx, c.ID)
			if after.Remarked() {
				t.Error("a refused remark counts as a remark")
			}
		}
		if _, _, err := d.Remark(ctx, agent, c.ID, AnyVersion, "破损，补偿10元已发"); err != nil {
			t.Fatal(err)
		}
		if n := len(obs.events); n == 0 || obs.events[n-1].Type != cases.EvRemarkAdded {
			t.Errorf("the observer did not hear the commit: %d events", n)
		}
	}
}

// FireDueOf fires one case's due timers at the desk's clock, not another case's.
func TestFireDueOfFiresOnlyThatCasesTimers(t *testing.T) {
	ctx := context.Background()
	s, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "db"), sqlstore.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	now := t0
	d := New(Opts{Store: s, SLA: clock.DefaultSLA(), Now: func() time.Time { return now }})
	a, b := create(t, d, intake()), create(t, d, intake())
	now = t0.Add(72 * time.Hour)
	fired, err := d.FireDueOf(ctx, a.ID)
	if err != nil || fired == 0 {
		t.Fatalf("fired %d: %v", fired, err)
	}
	if ts, _ := d.Timers(ctx, b.ID); len(ts) == 0 {
		t.Fatal("the other case's timers are gone")
	}
	logB, _ := d.Events(ctx, b.ID, 0, 0)
	for _, e := range logB {
		if e.Type == cases.EvTimerFired {
			t.Fatal("the other case's timer fired")
		}
	}
}
