package script

import (
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
)

func ids(scripts []Script) []string {
	out := []string{}
	for _, s := range scripts {
		out = append(out, s.ID)
	}
	return out
}

func TestForStepReturnsFittingScriptsBestFirst(t *testing.T) {
	lib := loadLibrary(t, "default")
	tests := []struct {
		name     string
		stage    cases.Stage
		typ      cases.ProblemType
		solution string
		platform cases.Platform
		want     []string
	}{
		{"stage alone keeps library order", cases.StageFollowUp, "", "", "", []string{"farewell-01", "farewell-02"}},
		{"scripts for the problem type come before generic ones", cases.StageSoothe, cases.TypeChase, "", "",
			[]string{"stalled-01", "no-pickup-01", "soothe-01", "soothe-02", "soothe-03", "soothe-04", "soothe-05", "soothe-06", "soothe-07", "soothe-08", "welcome-01", "welcome-02"}},
		{"scripts tagged for another type are left out", cases.StageSoothe, cases.TypeDamaged, "", "",
			[]string{"soothe-01", "soothe-02", "soothe-03", "soothe-04", "soothe-05", "soothe-06", "soothe-07", "soothe-08", "welcome-01", "welcome-02"}},
		{"the chosen solution as main tag ranks above it as a side tag", cases.StageSolution, cases.TypeFlaw, "compensation", "",
			[]string{"compensate-01", "compensate-02", "retain-quality-02", "reship-02"}},
		{"non-quality retention for a personal reason", cases.StageSolution, cases.TypeDislike, "retention", cases.PlatformJD,
			[]string{"retain-nonquality-01", "retain-nonquality-02"}},
		{"platform script ranks first on its platform", cases.StageSolution, cases.TypeDislike, "reason_guidance", cases.PlatformJD,
			[]string{"reason-jd-01", "retain-nonquality-02"}},
		{"platform script is left out on other platforms", cases.StageSolution, cases.TypeDislike, "reason_guidance", cases.PlatformTaobao,
			[]string{"retain-nonquality-02"}},
		{"tracking number after a reship", cases.StageExecute, cases.TypeLost, "reship", "", []string{"tracking-01"}},
		{"no script for a closed case", cases.StageClosed, "", "", "", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			equal(t, tt.want, ids(lib.ForStep(tt.stage, tt.typ, tt.solution, tt.platform)))
		})
	}
}

func TestSearchMatchesTitleAndTextIgnoringCaseAndWidth(t *testing.T) {
	lib := loadLibrary(t, "default")
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"Chinese substring, title hits first", "运费", []string{"reship-01", "exchange-01", "retain-quality-01", "retain-quality-02"}},
		{"every word must match", "抱歉 换货", []string{"exchange-01", "retain-quality-01", "retain-quality-02", "wrong-item-01"}},
		{"case-insensitive", "JD", []string{"reason-jd-01"}},
		{"full-width letters match half-width", "ＪＤ", []string{"reason-jd-01"}},
		{"placeholder names are searchable", "{新快递单号}", []string{"tracking-01"}},
		{"no match", "维修站", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			equal(t, tt.want, ids(lib.Search(tt.query)))
		})
	}
}

func TestSearchWithEmptyQueryReturnsEverything(t *testing.T) {
	lib := loadLibrary(t, "default")
	equal(t, ids(lib.Scripts()), ids(lib.Search("  ")))
}

func TestStackJoinsScriptsIntoOneReply(t *testing.T) {
	lib := loadLibrary(t, "shop.yaml")
	lib, err := lib.With(Script{ID: "sorry-01", Title: "道歉", Text: "实在抱歉亲", Stages: []cases.Stage{cases.StageSoothe}, Intent: IntentSoothe})
	noError(t, err)
	tests := []struct {
		name string
		ids  []string
		want Reply
		err  string
	}{
		{"apology then offer, in the given order, is recorded as an offer", []string{"sorry-01", "gift-01"}, Reply{
			Text:      "实在抱歉亲\n亲，漏发的{赠品名}这边给您补发，有单号及时给您留言哟",
			ScriptIDs: []string{"sorry-01", "gift-01"}, Intents: []string{IntentSoothe, IntentOffer}, Intent: IntentOffer,
		}, ""},
		{"intents and images listed once", []string{"size-chart-01", "size-chart-01"}, Reply{
			Text:      "亲，这是尺码表，请您参考\n误差3cm以内属于正常范围哦\n亲，这是尺码表，请您参考\n误差3cm以内属于正常范围哦",
			ScriptIDs: []string{"size-chart-01", "size-chart-01"}, Intents: []string{IntentVerify}, Intent: IntentVerify, Images: []string{"size-chart.png"},
		}, ""},
		{"a lone apology is recorded as soothing", []string{"sorry-01"}, Reply{
			Text: "实在抱歉亲", ScriptIDs: []string{"sorry-01"}, Intents: []string{IntentSoothe}, Intent: IntentSoothe,
		}, ""},
		{"unknown id is an error", []string{"sorry-01", "nope"}, Reply{}, "未知的话术编号“nope”"},
		{"nothing to stack is an error", nil, Reply{}, "请至少选择一条话术"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := lib.Stack(tt.ids...)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("want error %q, got %v", tt.err, err)
				}
				return
			}
			noError(t, err)
			equal(t, tt.want, got)
		})
	}
}

func TestWithReplacesOrAppendsAndLeavesTheOriginalAlone(t *testing.T) {
	lib := loadLibrary(t, "shop.yaml")
	edited, _ := lib.Get("gift-01")
	edited.Text = "亲，{赠品名}已为您补发"
	added := Script{ID: "new-01", Title: "新话术", Text: "亲，您好", Stages: []cases.Stage{cases.StageSoothe}, Intent: IntentGreeting}

	next, err := lib.With(edited)
	noError(t, err)
	next, err = next.With(added)
	noError(t, err)

	equal(t, []string{"gift-01", "size-chart-01", "new-01"}, ids(next.Scripts()))
	got, _ := next.Get("gift-01")
	equal(t, edited.Text, got.Text)
	orig, _ := lib.Get("gift-01")
	equal(t, "亲，漏发的{赠品名}这边给您补发，有单号及时给您留言哟", orig.Text)
	equal(t, []string{"gift-01"}, ids(next.Without("new-01").Without("size-chart-01").Scripts()))
	equal(t, 3, len(next.Scripts()), "Without leaves the library it was called on alone")
}

func TestWithRejectsAnInvalidScript(t *testing.T) {
	lib := loadLibrary(t, "shop.yaml")
	bad, _ := lib.Get("gift-01")
	bad.Text = "补偿{金额"
	if _, err := lib.With(bad); err == nil {
		t.Fatal("With accepted an unclosed placeholder")
	}
	dup := []Script{bad, bad}
	dup[0].Text, dup[1].Text = "亲", "亲"
	if _, err := New(dup, nil); err == nil {
		t.Fatal("New accepted a duplicate id")
	}
}
