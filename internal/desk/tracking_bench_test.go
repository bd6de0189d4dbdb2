package desk

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store/storetest"
	"github.com/shouhou/shouhou/internal/tracking"
)

// BenchmarkPushOfThreeNewScans measures one provider push at the desk: three new scans
// of a followed number recorded on its case (dedup rows, parcel.scanned events, facts,
// the parcel row, timers) in one transaction, on the embedded database
// (docs/PERFORMANCE.md). Each iteration is a different case.
func BenchmarkPushOfThreeNewScans(b *testing.B) {
	st := storetest.SQLite(b)
	rules, err := sop.Load(sop.Files{})
	if err != nil {
		b.Fatal(err)
	}
	src := clock.NewSource(func() time.Time { return t0 }, 0)
	d := New(Opts{Store: st, SLA: clock.DefaultSLA(), Rules: rules.Engine, Limits: rules.Policy, Now: src.Now, Timing: timerConfig()})
	ctx := context.Background()
	numbers := make([]string, b.N)
	for i := range b.N {
		in := intake()
		in.OrderNo, in.TrackingNo = fmt.Sprintf("P%08d", i), fmt.Sprintf("SF9%09d", i)
		if _, _, err := d.Create(ctx, agent, NewCase{Intake: in}); err != nil {
			b.Fatal(err)
		}
		numbers[i] = in.TrackingNo
	}
	b.ResetTimer()
	for i := range b.N {
		scans := []tracking.Scan{
			{At: t0.Add(time.Hour), Place: "杭州市", Status: "已收取快件", State: tracking.StatePickedUp},
			{At: t0.Add(5 * time.Hour), Place: "上海市", Status: "到达上海转运中心", State: tracking.StateInTransit},
			{At: t0.Add(9 * time.Hour), Place: "北京市", Status: "派件员正在派件", State: tracking.StateDelivering},
		}
		n, err := d.RecordScans(ctx, numbers[i], scans)
		if err != nil || n != 3 {
			b.Fatalf("record: %d %v", n, err)
		}
	}
}
