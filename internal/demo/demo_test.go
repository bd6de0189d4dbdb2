package demo

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

func TestDemoCoversEveryTypeStageAndSeveralPlatforms(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "db"), sqlstore.SQLiteOptions{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	am, _ := auth.New(auth.Opts{Store: st})
	rules, err := sop.Load(sop.Files{})
	if err != nil {
		t.Fatal(err)
	}
	opts := desk.Opts{Store: st, SLA: clock.DefaultSLA(), Rules: rules.Engine, Limits: rules.Policy}
	if err := Seed(ctx, opts, am, time.Now()); err != nil {
		t.Fatal(err)
	}
	page, err := st.ListCases(ctx, store.CaseFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	types, stages, platforms := map[string]bool{}, map[cases.Stage]bool{}, map[cases.Platform]bool{}
	for _, c := range page.Cases {
		types[string(c.Type)], stages[c.Stage], platforms[c.Platform] = true, true, true
		if c.Status == cases.StatusClosed && !c.Remarked() {
			t.Errorf("demo case %d is closed without a remark", c.ID)
		}
	}
	for _, code := range cases.ProblemTypes {
		if !types[code.Code] && code.Code != string(cases.TypePresale) {
			t.Errorf("no demo case of type %s", code.Code)
		}
	}
	for _, s := range cases.Stages {
		if !stages[s] {
			t.Errorf("no demo case in stage %s", s)
		}
	}
	if len(platforms) < 4 {
		t.Errorf("demo covers %d platforms", len(platforms))
	}
	if _, _, err := am.Login(ctx, "xiaomei", "shouhou-demo"); err != nil {
		t.Errorf("printed demo credentials do not work: %v", err)
	}
}
