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
	"github.com/shouhou/shouhou/internal/policy"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

// TestAnAppliedPolicyIsInForceOnEveryServerAndAfterARestart: a policy file an admin
// applied through one desk is in force on another desk over the same database (another
// server process, or this one after a restart) from its next write on.
func TestAnAppliedPolicyIsInForceOnEveryServerAndAfterARestart(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "db"), sqlstore.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	def, err := policy.New(policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	clk := t0
	open := func() *Desk {
		return New(Opts{Store: st, SLA: clock.DefaultSLA(), Limits: def, Now: func() time.Time { return clk }})
	}
	a, b := open(), open()
	admin := Actor{Name: "boss", Role: store.RoleAdmin}
	if _, err := a.ApplyPolicy(ctx, agent, "p.yaml", []byte("role_limits:\n  agent: 80\n")); !errors.Is(err, ErrForbidden) {
		t.Fatalf("an agent applied a policy: %v", err)
	}
	c := create(t, b, intake())
	offer := json.RawMessage(`{"kind":"compensation","amount":70}`)
	if _, _, err := b.Append(ctx, agent, c.ID, AnyVersion, cases.EvSolutionOffer, offer); err == nil {
		t.Fatal("70 passed the default 50 limit")
	}
	pv, err := a.ApplyPolicy(ctx, admin, "p.yaml", []byte("role_limits:\n  agent: 80\n"))
	if err != nil || len(pv.Changes) != 1 || pv.Changes[0].Key != "role_limits.agent" {
		t.Fatalf("apply: %+v %v", pv, err)
	}
	clk = clk.Add(policyRefresh + time.Second) // b asks the store again after the refresh interval
	if _, _, err := b.Append(ctx, agent, c.ID, AnyVersion, cases.EvSolutionOffer, offer); err != nil {
		t.Fatalf("the other server still refuses 70 under the new 80 limit: %v", err)
	}
	if _, _, err := open().Append(ctx, agent, c.ID, AnyVersion, cases.EvSolutionOffer, offer); err != nil {
		t.Fatalf("after a restart the applied policy is not in force: %v", err)
	}
}
