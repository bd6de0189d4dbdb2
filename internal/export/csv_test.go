package export

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriterStartsWithTheBOMAndMakesEveryCellSafe(t *testing.T) {
	var b bytes.Buffer
	w, err := NewWriter(&b, []string{"订单号", "顾客", "金额"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	w.Row([]string{"4012345678901234", "=cmd|' /C calc'!A0", "10.00"})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if !strings.HasPrefix(got, BOM+"订单号,顾客,金额\n") || !strings.Contains(got, `"=""4012345678901234""",'=cmd|' /C calc'!A0,10.00`) {
		t.Fatalf("csv:\n%s", got)
	}
}
