package script

import (
	"testing"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

func TestFillReplacesKnownValuesAndListsMissingOnes(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		values  map[string]string
		want    string
		missing []string
	}{
		{"no placeholders", "亲，您好", nil, "亲，您好", nil},
		{"all values known", "补偿您{金额}元，单号{快递单号}", map[string]string{"金额": "10", "快递单号": "SF123"}, "补偿您10元，单号SF123", nil},
		{"missing stays visible and is listed", "补偿您{金额}元", map[string]string{}, "补偿您{金额}元", []string{"金额"}},
		{"empty value counts as missing", "补偿您{金额}元", map[string]string{"金额": ""}, "补偿您{金额}元", []string{"金额"}},
		{"missing listed once in order", "{店铺名}{客服工号}{店铺名}", nil, "{店铺名}{客服工号}{店铺名}", []string{"店铺名", "客服工号"}},
		{"repeated placeholder filled everywhere", "{金额}元/{金额}元", map[string]string{"金额": "5"}, "5元/5元", nil},
		{"malformed braces are left alone", "{金额 元} 和 }{", map[string]string{"金额": "5"}, "{金额 元} 和 }{", []string{"金额 元"}},
		{"unclosed brace is left alone", "补偿{金额", map[string]string{"金额": "5"}, "补偿{金额", nil},
		{"placeholder never spans lines", "{金\n额}", map[string]string{"金\n额": "5"}, "{金\n额}", nil},
		{"values are not filled twice", "{a}", map[string]string{"a": "{b}", "b": "x"}, "{b}", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, missing := Fill(tt.text, tt.values)
			equal(t, tt.want, got, "filled")
			equal(t, tt.missing, missing, "missing")
		})
	}
}

func TestValuesFromCaseFillsWhatTheCaseKnows(t *testing.T) {
	c := &cases.Case{Intake: cases.Intake{
		CustomerName: "王女士", OrderNo: "JD20240101", Platform: cases.PlatformJD,
		Amount: money.Amount(12950), Courier: "顺丰", TrackingNo: "SF1234567890",
	}}
	equal(t, map[string]string{
		"顾客称呼": "王女士", "订单号": "JD20240101", "平台": "京东", "实付金额": "129.5",
		"快递公司": "顺丰", "快递单号": "SF1234567890",
	}, ValuesFromCase(c))
}

func TestValuesFromCaseLeavesTheOfferedAmountToTheAgent(t *testing.T) {
	c := &cases.Case{Intake: cases.Intake{Amount: money.Yuan(200)}}
	filled, missing := Fill("补偿您{金额}元", ValuesFromCase(c))
	equal(t, "补偿您{金额}元", filled)
	equal(t, []string{"金额"}, missing)
}

func TestValuesFromCaseOmitsEmptyFields(t *testing.T) {
	equal(t, map[string]string{}, ValuesFromCase(&cases.Case{}))
	equal(t, map[string]string{}, ValuesFromCase(nil))
}

func TestDefaultPlaceholdersAreDescribedAndUnique(t *testing.T) {
	list := DefaultPlaceholders()
	if len(list) == 0 {
		t.Fatal("no default placeholders")
	}
	seen := map[string]bool{}
	for _, p := range list {
		noError(t, p.validate())
		if seen[p.Name] {
			t.Errorf("duplicate %s", p.Name)
		}
		seen[p.Name] = true
	}
	for _, name := range []string{"金额", "快递单号", "顾客称呼", "店铺名", "客服工号", "订单号"} {
		if !seen[name] {
			t.Errorf("placeholder %s is missing", name)
		}
	}
}

func TestNamesListsEachPlaceholderOnce(t *testing.T) {
	equal(t, []string{"店铺名", "客服工号"}, Names("{店铺名},{客服工号},{店铺名}"))
	equal(t, nil, Names("没有占位符"))
}

func FuzzFill(f *testing.F) {
	for _, seed := range []string{"补偿您{金额}元", "{", "}", "{{}}", "{金\n额}", "{a}{b}", "\xff{金额}"} {
		f.Add(seed, "10")
	}
	f.Fuzz(func(t *testing.T, text, value string) {
		values := map[string]string{}
		for _, name := range Names(text) {
			values[name] = value
		}
		filled, missing := Fill(text, values)
		if value != "" && len(missing) > 0 {
			t.Fatalf("all names had a value but %v missing", missing)
		}
		if value == "" && len(Names(text)) != len(missing) {
			t.Fatalf("no value given but missing %v of %v", missing, Names(text))
		}
		if utf8.ValidString(text) && utf8.ValidString(value) && !utf8.ValidString(filled) {
			t.Fatalf("Fill produced invalid UTF-8 from %q", text)
		}
	})
}
