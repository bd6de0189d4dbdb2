package script

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	noError(t, err)
	return b
}

// parseErrors flattens the joined errors of Parse into line → messages.
func parseErrors(t *testing.T, err error) map[int][]string {
	t.Helper()
	if err == nil {
		t.Fatal("want errors, got none")
	}
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	out := map[int][]string{}
	for _, e := range errs {
		var pe *ParseError
		if !errors.As(e, &pe) {
			t.Fatalf("want *ParseError, got %T: %v", e, e)
		}
		out[pe.Line] = append(out[pe.Line], pe.Err.Error())
	}
	return out
}

func TestParseNamesTheLineAndProblemOfEachBadScript(t *testing.T) {
	_, err := Parse(readFixture(t, "bad_scripts.yaml"))
	equal(t, map[int][]string{
		7: {`话术 "bad-01": text: 未知的占位符“{赔偿金额}”`},
		12: {
			`话术 "ok-01": text: 话术内容为空; stages[0]: 未知的环节代码“later”`,
			"编号“ok-01”重复，第2行已使用",
		},
	}, parseErrors(t, err))
	if !strings.HasPrefix(err.Error(), "第7行: ") {
		t.Errorf("message should start with the line: %q", err.Error())
	}
}

func TestParseRejectsUnknownFieldsWithTheirLine(t *testing.T) {
	_, err := Parse(readFixture(t, "bad_field.yaml"))
	got := parseErrors(t, err)
	if len(got[4]) != 1 || !strings.Contains(got[4][0], `unknown field "txt"`) {
		t.Errorf("want the misspelt field on line 4, got %v", got)
	}
}

func TestParseRejectsBrokenYAMLWithItsLine(t *testing.T) {
	_, err := Parse([]byte("scripts:\n  - id: a\n    stages: [soothe\n"))
	for line, msgs := range parseErrors(t, err) {
		if line == 0 || !strings.HasPrefix(msgs[0], "YAML 格式错误: ") {
			t.Errorf("line %d: %v", line, msgs)
		}
	}
}

func TestParseRejectsAPlaceholderThatRedefinesADefault(t *testing.T) {
	_, err := Parse(readFixture(t, "bad_placeholder.yaml"))
	equal(t, map[int][]string{2: {"占位符“金额”重复定义"}}, parseErrors(t, err))
}

func TestParseAcceptsTheShopsOwnPlaceholdersAndImages(t *testing.T) {
	lib, err := Parse(readFixture(t, "shop.yaml"))
	noError(t, err)
	s, ok := lib.Get("size-chart-01")
	if !ok {
		t.Fatal("size-chart-01 missing")
	}
	equal(t, "亲，这是尺码表，请您参考\n误差3cm以内属于正常范围哦", s.Text)
	equal(t, []string{"size-chart.png"}, s.Images)
	names := map[string]bool{}
	for _, p := range lib.Placeholders() {
		names[p.Name] = true
	}
	if !names["赠品名"] || !names["金额"] {
		t.Errorf("placeholders should be the defaults plus the shop's: %v", names)
	}
}

func TestMarshalWritesWhatParseReads(t *testing.T) {
	for _, name := range []string{"default", "shop.yaml"} {
		lib := loadLibrary(t, name)
		b, err := lib.Marshal()
		noError(t, err)
		again, err := Parse(b)
		noError(t, err)
		equal(t, lib.Scripts(), again.Scripts(), name)
		equal(t, lib.Placeholders(), again.Placeholders(), name)
	}
}

func loadLibrary(t *testing.T, name string) *Library {
	t.Helper()
	if name == "default" {
		lib, err := LoadDefault()
		noError(t, err)
		return lib
	}
	lib, err := Parse(readFixture(t, name))
	noError(t, err)
	return lib
}

func TestDefaultLibraryHoldsEveryPhraseOfTheSeeds(t *testing.T) {
	lib := loadLibrary(t, "default")
	count := map[string]int{}
	for _, s := range lib.Scripts() {
		count[s.ID[:strings.LastIndex(s.ID, "-")]]++
	}
	equal(t, map[string]int{
		// seed 000
		"soothe": 8, "verify": 2, "compensate": 2, "reship": 2, "exchange": 1,
		"retain-nonquality": 2, "retain-quality": 2, "reason-jd": 1,
		// seed 003
		"verify-parcel": 1, "missing-confirmed": 1, "missing-unconfirmed": 1, "wrong-item": 1,
		"stalled": 1, "no-pickup": 1, "address-collect": 1, "address-notified": 1,
		"intercept": 1, "lost": 1, "tracking": 1,
		// seed 003's 退/换货 instructions ("提醒买家寄出后在后台填写寄回的单号",
		// "退货都是寄回环球仓(冲牙器除外)") as one script: the only phrase of the seeds
		// that names where returns go, so the return and exchange steps can give the
		// customer the {退货地址} of the case's shop and product line.
		"return-address": 1,
		// seed 004
		"welcome": 2, "farewell": 2,
	}, count)
}

func TestDefaultLibraryCitesASeedForEveryScript(t *testing.T) {
	for _, s := range loadLibrary(t, "default").Scripts() {
		if !strings.HasPrefix(s.Source, "seed 00") {
			t.Errorf("%s: source %q names no seed", s.ID, s.Source)
		}
	}
}

func TestDefaultLibraryIsSimplifiedChinese(t *testing.T) {
	const traditional = "們為務歡臨謝顧給號會對說請這麼樂點"
	for _, s := range loadLibrary(t, "default").Scripts() {
		if i := strings.IndexAny(s.Text+s.Title, traditional); i >= 0 {
			t.Errorf("%s holds a traditional character at byte %d", s.ID, i)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(defaultYAML)
	for _, name := range []string{"shop.yaml", "bad_scripts.yaml", "bad_field.yaml", "bad_placeholder.yaml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("scripts: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lib, err := Parse(data)
		if err != nil {
			return
		}
		for _, s := range lib.Scripts() {
			if err := s.ValidateWith(lib.Placeholders()); err != nil {
				t.Fatalf("Parse accepted an invalid script: %v", err)
			}
		}
	})
}
