package script

import (
	"errors"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
)

func validScript() Script {
	return Script{
		ID: "compensate-09", Title: "补偿·测试", Text: "补偿您{金额}元可以吗？",
		Stages: []cases.Stage{cases.StageSolution}, Types: []cases.ProblemType{cases.TypeFlaw},
		Solutions: []string{"compensation"}, Intent: IntentOffer, Platforms: []cases.Platform{cases.PlatformJD},
	}
}

func TestValidateReportsEachBadFieldInChinese(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Script)
		fields map[string]string // field → message
	}{
		{"a complete script is valid", func(*Script) {}, nil},
		{"empty text is refused", func(s *Script) { s.Text = "  " }, map[string]string{"text": "话术内容为空"}},
		{"empty title is refused", func(s *Script) { s.Title = "" }, map[string]string{"title": "标题为空"}},
		{"id must be lowercase with hyphens", func(s *Script) { s.ID = "Soothe 1" }, map[string]string{"id": "编号须由小写字母、数字和连字符组成，如 soothe-01"}},
		{"unknown stage code is refused", func(s *Script) { s.Stages = []cases.Stage{"solution", "later"} }, map[string]string{"stages[1]": "未知的环节代码“later”"}},
		{"closed is no stage to send scripts in", func(s *Script) { s.Stages = []cases.Stage{cases.StageClosed} }, map[string]string{"stages[0]": "未知的环节代码“closed”"}},
		{"a script needs a stage", func(s *Script) { s.Stages = nil }, map[string]string{"stages": "至少选择一个环节"}},
		{"unknown problem type is refused", func(s *Script) { s.Types = []cases.ProblemType{"quality.smell"} }, map[string]string{"types[0]": "未知的问题类型代码“quality.smell”"}},
		{"unknown platform is refused", func(s *Script) { s.Platforms = []cases.Platform{"ebay"} }, map[string]string{"platforms[0]": "未知的平台代码“ebay”"}},
		{"unknown solution is refused", func(s *Script) { s.Solutions = []string{"gift"} }, map[string]string{"solutions[0]": "未知的方案代码“gift”"}},
		{"unknown intent is refused", func(s *Script) { s.Intent = "chat" }, map[string]string{"intent": "未知的用途代码“chat”"}},
		{"empty image name is refused", func(s *Script) { s.Images = []string{""} }, map[string]string{"images[0]": "图片为空"}},
		{"unclosed brace is refused", func(s *Script) { s.Text = "补偿您{金额元" }, map[string]string{"text": "“{”未闭合"}},
		{"stray closing brace is refused", func(s *Script) { s.Text = "补偿您金额}元" }, map[string]string{"text": "多余的“}”"}},
		{"empty placeholder is refused", func(s *Script) { s.Text = "补偿您{}元" }, map[string]string{"text": "占位符“{}”缺少名称"}},
		{"full-width braces are refused", func(s *Script) { s.Text = "补偿您｛金额｝元" }, map[string]string{"text": "占位符请使用半角花括号 {}"}},
		{"unknown placeholder name is refused", func(s *Script) { s.Text = "补偿您{赔偿金额}元" }, map[string]string{"text": "未知的占位符“{赔偿金额}”"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validScript()
			tt.edit(&s)
			err := s.Validate()
			if tt.fields == nil {
				noError(t, err)
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("want *ValidationError, got %v", err)
			}
			got := map[string]string{}
			for _, f := range ve.Fields {
				got[f.Field] = f.Message
			}
			equal(t, tt.fields, got)
		})
	}
}

func TestValidateWithAcceptsTheShopsOwnPlaceholders(t *testing.T) {
	s := validScript()
	s.Text = "赠品{赠品名}已为您备注"
	if s.Validate() == nil {
		t.Fatal("unknown placeholder accepted without the shop's list")
	}
	extra := append(DefaultPlaceholders(), Placeholder{Name: "赠品名", Description: "赠品名称"})
	noError(t, s.ValidateWith(extra))
}

func TestValidationErrorNamesScriptAndFields(t *testing.T) {
	s := validScript()
	s.Text, s.Intent = "", "chat"
	equal(t, `话术 "compensate-09": text: 话术内容为空; intent: 未知的用途代码“chat”`, s.Validate().Error())
}
