package training

import (
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"

	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

type fixture struct {
	sp      *Space
	records *sqlstore.Store
	space   *sqlstore.Store
}

// newFixture is a training space over two embedded stores (the shop's records and
// the practice cases) with the shipped SOP and scenarios.
func newFixture(t testing.TB) fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	records, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "shop.db"), sqlstore.SQLiteOptions{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { records.Close() })
	space, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "training.db"), sqlstore.SQLiteOptions{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { space.Close() })
	if err := space.StartCaseIDsAt(ctx, cases.TrainingCaseBase); err != nil {
		t.Fatal(err)
	}
	rules, err := sop.Load(sop.Files{})
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewDir(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	set, err := Load(rules.Flows, DefaultScenarios())
	if err != nil {
		t.Fatal(err)
	}
	opts := desk.Opts{SLA: clock.DefaultSLA(), Rules: rules.Engine, Limits: rules.Policy, FollowUp: config.Default().FollowUp,
		Calendar: rules.Calendar, Days: rules.Calendar, Zone: rules.Calendar.Location()}
	sp, err := NewSpace(ctx, Opts{Desk: opts, Cases: space, SOP: records, Records: records, Scenarios: set, Flows: rules.Flows, Blobs: blobs})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{sp: sp, records: records, space: space}
}

var trainee = desk.Actor{Name: "xiaoxin", Role: store.RoleAgent}

func (f fixture) play(t *testing.T, id string, slip Slip) Card {
	t.Helper()
	ctx := context.Background()
	a, err := f.sp.Start(ctx, trainee, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !cases.IsTrainingCase(a.CaseID) {
		t.Fatalf("practice case numbered %d, not in the training range", a.CaseID)
	}
	if err := f.sp.Model(ctx, trainee, a.ID, slip); err != nil {
		t.Fatalf("model trainee (%s): %v", slip, err)
	}
	_, card, err := f.sp.Finish(ctx, trainee, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return card
}

func TestModelTraineeFollowingTheSOPScoresFullMarksOnEveryScenario(t *testing.T) {
	f := newFixture(t)
	for _, sc := range f.sp.Scenarios().All() {
		t.Run(sc.ID, func(t *testing.T) {
			card := f.play(t, sc.ID, SlipNone)
			if card.Points != card.Max || card.Max == 0 {
				for _, l := range card.Lines {
					t.Logf("%-15s %2d/%2d applies=%v %s | %s", l.Rule, l.Points, l.Max, l.Applies, l.Did, l.Expected)
				}
				t.Fatalf("model trainee scored %d/%d, lost %v", card.Points, card.Max, card.Lost())
			}
		})
	}
}

func TestEachSlipLosesExactlyItsLine(t *testing.T) {
	f := newFixture(t)
	for _, sc := range f.sp.Scenarios().All() {
		slips := map[Slip]string{SlipBadRemark: RuleRemark}
		if sc.AsksReturn {
			slips[SlipSkipRetention] = RuleReturnOrder
		}
		if offersMoney(sc) {
			slips[SlipOverLimit] = RuleMoney
		}
		for slip, rule := range slips {
			t.Run(sc.ID+"/"+string(slip), func(t *testing.T) {
				card := f.play(t, sc.ID, slip)
				if lost := card.Lost(); !slices.Equal(lost, []string{rule}) {
					for _, l := range card.Lines {
						t.Logf("%-15s %2d/%2d %s", l.Rule, l.Points, l.Max, l.Did)
					}
					t.Fatalf("slip %s lost %v, want exactly [%s]", slip, lost, rule)
				}
				if l, _ := card.Line(rule); l.Seq == 0 || l.Did == "" {
					t.Errorf("line %s names no event: %+v", rule, l)
				}
			})
		}
	}
}

// offersMoney: the model settles with an offer the customer is made (the over-limit
// slip offers compensation first).
func offersMoney(sc *Scenario) bool {
	return sc.Model.Accept != nil && !slices.Contains([]string{"return_refund", "refund_only"}, sc.Model.Accept.Kind)
}

func desk2(name string) desk.Actor { return desk.Actor{Name: name, Role: store.RoleAgent} }

func fsRead(fsys interface {
	Open(string) (fs.File, error)
}, name string) ([]byte, error) {
	return fs.ReadFile(fsys.(fs.FS), name)
}

func TestPracticeCaseLandsInAShopOfItsScenariosPlatformWhenThereAreSeveral(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	jd, err := f.records.CreateShop(ctx, store.Shop{Code: "jd-main", Platform: cases.PlatformJD, Name: "小熊京东店"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.sp.Start(ctx, trainee, "logistics-lost", 0)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := f.sp.DeskForCase(ctx, trainee, a.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Get(ctx, a.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.ShopID != jd.ID || c.Platform != cases.PlatformJD {
		t.Fatalf("practice case in shop %d on %s, want the JD shop %d", c.ShopID, c.Platform, jd.ID)
	}
	if _, err := d.CreateShop(ctx, desk.Actor{Name: "admin", Role: store.RoleAdmin}, store.Shop{Code: "x", Platform: cases.PlatformJD, Name: "练习店"}); err == nil {
		t.Fatal("a shop was created through a practice desk")
	}
}
