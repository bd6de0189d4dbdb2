package desk

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

func TestACaseRefusesRemarksAndEventsPastItsLimitsAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	s, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "db"), sqlstore.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	d := New(Opts{Store: s, SLA: clock.DefaultSLA(), Now: func() time.Time { return t0 },
		CaseLimits: CaseLimits{MaxEvents: 8, MaxRemarks: 2, MaxEvidence: 1}})
	c := create(t, d, intake())
	for range 2 {
		if c, _, err = d.Remark(ctx, agent, c.ID, AnyVersion, "破损，已登记"); err != nil {
			t.Fatal(err)
		}
	}
	var rule *RuleError
	if _, _, err := d.Remark(ctx, agent, c.ID, AnyVersion, "破损，已登记"); !errors.As(err, &rule) || rule.Code != "case_full" {
		t.Fatalf("third remark over a limit of 2: %v", err)
	}
	for err == nil {
		_, _, err = d.Append(ctx, agent, c.ID, AnyVersion, cases.EvNote, json.RawMessage(`{"text":"跟进"}`))
	}
	if !errors.As(err, &rule) || rule.Code != "case_full" {
		t.Fatalf("events past the limit: %v", err)
	}
	got, _ := d.Get(ctx, c.ID)
	if got.Version != 8 || len(got.Remarks) != 2 {
		t.Fatalf("case at version %d with %d remarks; want 8 and 2", got.Version, len(got.Remarks))
	}
}
