package register_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/register"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/storetest"
)

// BenchmarkExportXLSX writes the register of SHOUHOU_EXPORT_CASES cases (default
// 100 000) as XLSX with every column to a file, reports the CPU time and the peak Go
// heap, and reads the file back row by row.
func BenchmarkExportXLSX(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("SHOUHOU_EXPORT_CASES")); err == nil && v > 0 {
		n = v
	}
	st := storetest.SQLite(b)
	ctx := context.Background()
	t0 := time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)
	for start := 0; start < n; start += 1000 {
		if err := st.InTx(ctx, func(tx store.Tx) error {
			for i := start; i < min(n, start+1000); i++ {
				at := t0.Add(time.Duration(i) * time.Minute)
				in := cases.Intake{CustomerName: "顾客" + strconv.Itoa(i), Platform: cases.PlatformTmall, OrderNo: fmt.Sprintf("TM%012d", i),
					Amount: money.Yuan(int64(10 + i%500)), Type: cases.TypeDamaged, SKU: "SKU-" + strconv.Itoa(i%60), Batch: "B1",
					Description: "收到时杯子碎了,外箱压坏", TrackingNo: fmt.Sprintf("ZT%010d", i), Courier: "中通"}
				in.Normalize()
				created, _ := json.Marshal(cases.CreatedPayload{Intake: in})
				remark, _ := json.Marshal(cases.RemarkPayload{Text: "破损，补偿10元已发"})
				ev := []cases.Event{{Seq: 1, Type: cases.EvCreated, Actor: "a1", At: at, Payload: created},
					{Seq: 2, Type: cases.EvRemarkAdded, Actor: "a1", At: at.Add(time.Minute), Payload: remark}}
				c, err := cases.Replay(ev)
				if err != nil {
					return err
				}
				if _, err := tx.InsertCase(ctx, c, ev); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	d := desk.New(desk.Opts{Store: st})
	all := ""
	for i, c := range register.Columns {
		if i > 0 {
			all += ","
		}
		all += c.ID
	}
	out := filepath.Join(b.TempDir(), "register.xlsx")
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	runtime.GC()
	cpu0 := cpuTime()
	for b.Loop() {
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		written, err := d.ExportRegister(ctx, f, desk.RegisterExport{Format: register.XLSX, Columns: all}, nil)
		if err != nil || written != n {
			b.Fatalf("exported %d of %d: %v", written, n, err)
		}
		f.Close()
	}
	cpu := cpuTime() - cpu0
	close(stop)
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	info, _ := os.Stat(out)
	b.ReportMetric(float64(info.Size())/(1<<20), "file-MB")
	book, err := excelize.OpenFile(out)
	if err != nil {
		b.Fatal(err)
	}
	defer book.Close()
	rows, err := book.Rows(register.Sheet)
	if err != nil {
		b.Fatal(err)
	}
	count := 0
	for rows.Next() {
		count++
	}
	rows.Close()
	if count != n+1 {
		b.Fatalf("read back %d rows, want %d", count, n+1)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
