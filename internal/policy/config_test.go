package policy

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

func TestDefaultsAreTheSOPNumbersAndValid(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"return freight", c.MinorFlaw.ReturnFreight, money.Yuan(12)},
		{"exchange freight", c.MinorFlaw.ExchangeFreight, money.Yuan(24)},
		{"agent limit", c.RoleLimits.Agent, money.Yuan(50)},
		{"admin unlimited", c.RoleLimits.Admin == nil, true},
		{"depreciation 0.5 % a day", c.Exchange.DepreciationPerDay, Percent(50)},
		{"pinduoduo 72 h", c.Shipping.DeadlineHours[cases.PlatformPinduoduo], 72},
		{"7-day window", c.NoReason.WindowDays, 7},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestDefaultReturnsFreshMapsAndSlices(t *testing.T) {
	a := Default()
	a.Shipping.DeadlineHours[cases.PlatformJD] = 1
	a.Freight.SellerFaultTypes[0] = cases.TypeLost
	b := Default()
	if b.Shipping.DeadlineHours[cases.PlatformJD] != 72 || b.Freight.SellerFaultTypes[0] != cases.TypeWrong {
		t.Errorf("Default shares state between calls: %+v", b)
	}
}

func TestPolicyKeepsItsOwnCopyOfTheConfig(t *testing.T) {
	cfg := Default()
	admin := money.Yuan(500)
	cfg.RoleLimits.Admin = &admin
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Shipping.DeadlineHours[cases.PlatformJD] = 1
	admin = money.Yuan(1)
	got := p.Config()
	if got.Shipping.DeadlineHours[cases.PlatformJD] != 72 || *got.RoleLimits.Admin != money.Yuan(500) {
		t.Errorf("policy changed with the caller's config: %+v", got)
	}
}

func TestParseOverlaysShopFileOnDefaults(t *testing.T) {
	f, err := os.Open("testdata/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := Load(f)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Default()
	want.MinorFlaw.ReturnFreight = money.Yuan(18)
	want.RoleLimits.Agent = money.Yuan(80)
	admin := money.Yuan(1000)
	want.RoleLimits.Admin = &admin
	want.Shipping.DeadlineHours[cases.PlatformJD] = 24
	want.Shipping.PenaltyMax = money.Yuan(50)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("overlay mismatch (-want +got):\n%s", diff)
	}
}

func TestParseEmptyOrCommentOnlyFileGivesDefaults(t *testing.T) {
	for _, doc := range []string{"", "\n", "# nothing set yet\n"} {
		got, err := Parse([]byte(doc))
		if err != nil {
			t.Fatalf("Parse(%q): %v", doc, err)
		}
		if diff := cmp.Diff(Default(), got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", doc, diff)
		}
	}
}

func TestParseAcceptsDecimalAndQuotedNumbers(t *testing.T) {
	c, err := Parse([]byte("exchange:\n  depreciation_per_day: 0.75\nretention:\n  min: \"10.5\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Exchange.DepreciationPerDay != 75 || c.Retention.Min != 1050 {
		t.Errorf("got %v and %v, want 0.75%% and 10.50", c.Exchange.DepreciationPerDay, c.Retention.Min)
	}
}

func TestParseAdminNullMeansUnlimited(t *testing.T) {
	c, err := Parse([]byte("role_limits:\n  admin: null\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.RoleLimits.Admin != nil {
		t.Errorf("admin = %v, want unlimited", *c.RoleLimits.Admin)
	}
}

func TestParseRejectsBadFilesNamingTheProblem(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"unknown key (typo) with its line", "minor_flaw:\n  return_freigth: 18\n", `[2:3] unknown field "return_freigth"`},
		{"unknown section", "compensation:\n  agent: 50\n", `unknown field "compensation"`},
		{"amount with three decimals", "retention:\n  min: 10.125\n", "金额格式不正确"},
		{"fraction where a whole number is needed", "no_reason:\n  window_days: 7.5\n", "应为整数"},
		{"percentage with three decimals", "discount:\n  floor_percent: 60.125\n", "百分比格式不正确"},
		{"negative cap", "role_limits:\n  agent: -1\n", "role_limits.agent: 不能为负数"},
		{"floor above cap", "shipping:\n  penalty_min: 40\n", "shipping.penalty_min: 不能大于 shipping.penalty_max"},
		{"agent limit above supervisor", "role_limits:\n  agent: 300\n", "role_limits.agent: 不能大于 role_limits.supervisor"},
		{"admin limit below supervisor", "role_limits:\n  admin: 100\n", "role_limits.supervisor: 不能大于 role_limits.admin"},
		{"unknown platform", "shipping:\n  deadline_hours:\n    amazon: 24\n", `未知的平台 "amazon"`},
		{"zero shipping window", "shipping:\n  deadline_hours:\n    jd: 0\n", "shipping.deadline_hours.jd: 必须大于0"},
		{"unknown problem type", "freight:\n  seller_fault_types: [logistics.lostt]\n", `未知的问题类型 "logistics.lostt"`},
		{"percentage above 100", "discount:\n  floor_percent: 120\n", "discount.floor_percent: 必须在0%到100%之间"},
		{"zero rounding unit", "minor_flaw:\n  round_to: 0\n", "minor_flaw.round_to: 必须大于0"},
		{"syntax error", "retention: [\n", "[1:12]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestValidateReportsEveryProblemAsFieldErrors(t *testing.T) {
	data, err := os.ReadFile("testdata/inconsistent.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(data)
	var fields []string
	for _, e := range flatten(err) {
		var fe *FieldError
		if errors.As(e, &fe) {
			fields = append(fields, fe.Field)
		}
	}
	slices.Sort(fields)
	want := []string{"minor_flaw.raise_min", "retention.min"}
	if !slices.Equal(fields, want) {
		t.Errorf("fields = %v, want %v (error: %v)", fields, want, err)
	}
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	if u := errors.Unwrap(err); u != nil {
		return flatten(u)
	}
	return []error{err}
}

func TestNewRejectsInvalidConfig(t *testing.T) {
	cfg := Default()
	cfg.Retention.Max = money.Yuan(5)
	_, err := New(cfg)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "retention.min" {
		t.Errorf("New error = %v, want a FieldError on retention.min", err)
	}
}

func TestLoadTypoFileFailsInsteadOfFallingBack(t *testing.T) {
	f, err := os.Open("testdata/typo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := Load(f); err == nil || !strings.Contains(err.Error(), "return_freigth") {
		t.Errorf("Load error = %v, want the misspelt key named", err)
	}
}

func TestEveryPolicyKeyHasAChineseName(t *testing.T) {
	raw, err := json.Marshal(Default())
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	for group, keys := range tree {
		for k := range keys {
			key := group + "." + k
			if _, ok := KeyLabel(key, ""); !ok && key != "shipping.deadline_hours" {
				t.Errorf("policy key %s has no Chinese name in KeyLabels", key)
			}
		}
	}
}

func TestPercentsAreWrittenAsPercentNumbers(t *testing.T) {
	flat, err := Flatten(Default())
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"discount.floor_percent": "60", "exchange.depreciation_per_day": "0.5", "shipping.penalty_percent": "5"} {
		if flat[key] != want {
			t.Errorf("%s = %s, want %s", key, flat[key], want)
		}
	}
	var back Config
	raw, _ := json.Marshal(Default())
	if err := json.Unmarshal(raw, &back); err != nil || back.Discount.FloorPercent != Percentage(60) {
		t.Fatalf("round trip: %v %v", back.Discount.FloorPercent, err)
	}
}
