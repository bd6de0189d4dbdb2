package export

import (
	"bytes"
	"strings"
	"testing"
)

func TestCellNeutralisesFormulasAndKeepsLongNumbersAsText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+86 138", "'+86 138"}, {"-5", "'-5"}, {"@SUM(A1)", "'@SUM(A1)"}, {"\tx", "'\tx"}, {"\rx", "'\rx"},
		{"4012345678901234", `="4012345678901234"`}, {"12345678901", "12345678901"},
		{"刘女士", "刘女士"}, {"", ""}, {"10.00", "10.00"},
	} {
		if got := Cell(tt.in); got != tt.want {
			t.Errorf("Cell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriterStartsWithTheBOMAndTheHeader(t *testing.T) {
	var b bytes.Buffer
	w, err := NewWriter(&b, []string{"订单号", "顾客"})
	if err != nil {
		t.Fatal(err)
	}
	w.Row([]string{"4012345678901234", "=cmd|' /C calc'!A0"})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if !strings.HasPrefix(got, BOM+"订单号,顾客\n") || !strings.Contains(got, `"=""4012345678901234""",'=cmd|' /C calc'!A0`) {
		t.Fatalf("csv:\n%s", got)
	}
}
