package money

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseAcceptsYuanWithUpToTwoDecimals(t *testing.T) {
	cases := []struct {
		in   string
		want Amount
		ok   bool
	}{
		{"12", 1200, true}, {"12.5", 1250, true}, {"12.50", 1250, true}, {"0.01", 1, true},
		{"-3", -300, true}, {"12.505", 0, false}, {"", 0, false}, {"abc", 0, false}, {"1.", 0, false}, {".5", 0, false},
		// Found by the hostile test: a second sign, a sign inside the decimals, and
		// an overflow all used to parse.
		{"--5", 0, false}, {"12.+5", 0, false}, {"12.-5", 0, false}, {"--92233720368547758", 0, false},
		{"92233720368547758", 0, false}, {"+5", 0, false}, {"1e5", 0, false}, {"1_000", 0, false},
		{"１２", 0, false}, {"12. 5", 0, false}, {"- 5", 0, false}, {"-", 0, false}, {" 7.5 ", 750, true},
		{"10000000000000", 1000000000000000, true}, {"10000000000001", 0, false}, {"-0", 0, true},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("Parse(%q) = %v, %v; want %v ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestJSONRoundTripsAsYuanNumber(t *testing.T) {
	for _, a := range []Amount{0, 1, 10, 1200, 1250, 1234, -500} {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var back Amount
		if err := json.Unmarshal(b, &back); err != nil || back != a {
			t.Errorf("%v -> %s -> %v (%v)", a, b, back, err)
		}
	}
	if b, _ := json.Marshal(Amount(1250)); string(b) != "12.5" {
		t.Errorf("12.50 yuan marshals as %s, want 12.5", b)
	}
}

func TestPercentBPRoundsHalfUpToTheFen(t *testing.T) {
	if got := Yuan(199).PercentBP(500); got != 995 { // 5 % of 199 = 9.95
		t.Errorf("5%% of 199 = %v", got)
	}
	if got := Amount(101).PercentBP(50); got != 1 { // 0.5 % of 1.01 = 0.00505 -> 0.01
		t.Errorf("0.5%% of 1.01 = %v", got)
	}
}

func FuzzParseRoundTrips(f *testing.F) {
	for _, s := range []string{"12", "12.5", "0.01", "-3", "1e5", "１２", "12.505", "", "9999999999999.99",
		"--5", "12.+5", "--92233720368547758", "0x10", "12.5.5", "-12.05"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		if a > Yuan(MaxYuan) || a < -Yuan(MaxYuan) {
			t.Fatalf("%q parsed to %v, beyond the bound", s, a)
		}
		for _, r := range strings.TrimSpace(s) {
			if !strings.ContainsRune("-.0123456789", r) {
				t.Fatalf("%q parsed though it holds %q", s, r)
			}
		}
		if strings.Count(s, "-") > 1 || strings.Count(s, ".") > 1 {
			t.Fatalf("%q parsed though it holds two signs or points", s)
		}
		back, err := Parse(a.String())
		if err != nil || back != a {
			t.Fatalf("%q -> %v -> %q -> %v (%v)", s, a, a.String(), back, err)
		}
	})
}

func TestYuanDropsTrailingZeros(t *testing.T) {
	for _, tt := range []struct {
		in   Amount
		want string
	}{{1000, "10"}, {10000, "100"}, {1050, "10.5"}, {1005, "10.05"}, {5, "0.05"}, {0, "0"}, {-300, "-3"}} {
		if got := tt.in.Yuan(); got != tt.want {
			t.Errorf("Amount(%d).Yuan() = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}
