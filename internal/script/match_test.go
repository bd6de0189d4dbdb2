package script

import (
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
)

func TestForWantsResolvesIdsAndTagsAndFallsBackToTheStage(t *testing.T) {
	lib, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	byID := lib.ForWants([]Want{{ID: "soothe-03"}, {ID: "soothe-03"}, {ID: "no-such"}}, cases.StageSoothe, cases.TypeLeak, cases.PlatformTaobao)
	if len(byID) != 1 || byID[0].ID != "soothe-03" {
		t.Fatalf("by id: %v", ids(byID))
	}
	byIntent := lib.ForWants([]Want{{Intent: IntentVerify}}, cases.StageVerify, cases.TypeDamaged, cases.PlatformTaobao)
	if len(byIntent) == 0 {
		t.Fatal("no verify script for a damaged parcel")
	}
	for _, s := range byIntent {
		if s.Intent != IntentVerify {
			t.Errorf("intent filter let %s (%s) through", s.ID, s.Intent)
		}
	}
	fallback := lib.ForWants(nil, cases.StageSoothe, cases.TypeLeak, cases.PlatformTaobao)
	if len(fallback) < 8 {
		t.Fatalf("soothing stage offers %d scripts, want the 8 of seed 000", len(fallback))
	}
}
