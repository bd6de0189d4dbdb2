package training

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/demo"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/store"
)

// The demo's closed sample cases, played through their real flows, replay as masked
// scenarios that the model trainee then plays through to full marks.
func TestReplayedClosedCasesAreMaskedAndPlayableToFullMarks(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	real := desk.New(desk.Opts{Store: f.records, SLA: f.sp.o.Desk.SLA, Rules: f.sp.o.Desk.Rules, Limits: f.sp.o.Desk.Limits, FollowUp: f.sp.o.Desk.FollowUp})
	f.sp.o.Real = real
	opts := f.sp.o.Desk
	opts.Store = f.records
	if err := demo.SeedCases(ctx, opts, f.sp.o.Flows, f.sp.o.Blobs.(demo.Blobs), time.Now()); err != nil {
		t.Fatal(err)
	}
	page, err := f.records.ListCases(ctx, store.CaseFilter{Status: cases.StatusClosed, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Cases) < 3 {
		t.Fatalf("%d closed demo cases", len(page.Cases))
	}
	trainer := desk.Actor{Name: "laowang", Role: store.RoleSupervisor}
	for _, c := range page.Cases {
		t.Run(fmt.Sprint(c.ID), func(t *testing.T) {
			sc, err := f.sp.Replay(ctx, trainer, c.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			body := fmt.Sprintf("%+v", *sc)
			if strings.Contains(body, c.CustomerName) || strings.Contains(body, c.OrderNo) {
				t.Errorf("replay of #%d keeps the customer's name or order: %s", c.ID, body)
			}
			a, err := f.sp.Start(ctx, trainee, sc.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.sp.Model(ctx, trainee, a.ID, SlipNone); err != nil {
				t.Fatalf("model on the replay of #%d (%s): %v", c.ID, c.Type, err)
			}
			_, card, err := f.sp.Finish(ctx, trainee, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if card.Points != card.Max {
				for _, l := range card.Lines {
					t.Logf("%-15s %2d/%2d %s", l.Rule, l.Points, l.Max, l.Did)
				}
				t.Errorf("replay of #%d scored %d/%d", c.ID, card.Points, card.Max)
			}
		})
	}
	if _, err := f.sp.Replay(ctx, trainee, page.Cases[0].ID, "x-by-agent"); err == nil {
		t.Error("an agent made a scenario")
	}
}

func TestMaskPhoneKeepsThreeAndFourDigits(t *testing.T) {
	for in, want := range map[string]string{"13812341234": "138****1234", "电话 15988887777，谢谢": "电话 159****7777，谢谢", "0571-88886666": "0571-88886666"} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
