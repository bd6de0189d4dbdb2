package export

import "testing"

func TestCellsNeverRunAsFormulasAndIDsStayText(t *testing.T) {
	tests := []struct {
		name, in, text, id string
	}{
		{"hyperlink formula", `=HYPERLINK("http://x","点我")`, `'=HYPERLINK("http://x","点我")`, `'=HYPERLINK("http://x","点我")`},
		{"plus", "+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"minus", "-2+3", "'-2+3", "'-2+3"},
		{"at", "@SUM(A1)", "'@SUM(A1)", "'@SUM(A1)"},
		{"tab", "\t=1", "'\t=1", "'\t=1"},
		{"carriage return", "\r=1", "'\r=1", "'\r=1"},
		{"plain Chinese", "陈女士", "陈女士", "陈女士"},
		{"long order number", "4312098871623456789", "4312098871623456789", `="4312098871623456789"`},
		{"letters and digits", "TB3390018231", "TB3390018231", "TB3390018231"},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.text {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.text)
			}
			if got := ID(tt.in); got != tt.id {
				t.Errorf("ID(%q) = %q, want %q", tt.in, got, tt.id)
			}
		})
	}
}
