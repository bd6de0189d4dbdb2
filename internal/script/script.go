// Package script is the script library (话术库) of SOP §7: the default scripts of the
// seeds as embedded data, placeholders such as {金额} and the lint that warns an agent
// about negative words, endless apologising and arguing. It is pure: no database,
// HTTP or clock; the integrator stores edited scripts and passes them in.
package script

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
)

// Script is one reusable reply. Empty Types or Platforms mean "any"; Stages is required
// because a script that fits every stage would crowd every step of the guide.
type Script struct {
	ID        string              `json:"id" yaml:"id"`
	Title     string              `json:"title" yaml:"title"`
	Text      string              `json:"text" yaml:"text"`
	Stages    []cases.Stage       `json:"stages" yaml:"stages"`
	Types     []cases.ProblemType `json:"types,omitempty" yaml:"types,omitempty"`
	Solutions []string            `json:"solutions,omitempty" yaml:"solutions,omitempty"`
	Intent    string              `json:"intent" yaml:"intent"`
	Platforms []cases.Platform    `json:"platforms,omitempty" yaml:"platforms,omitempty"`
	Images    []string            `json:"images,omitempty" yaml:"images,omitempty"`
	Source    string              `json:"source,omitempty" yaml:"source,omitempty"`
}

// Intent codes say what an outgoing message does in SOP terms; the guide counts
// "soothe" (only apologising, SOP §1.1) and "tracking" (new tracking number sent).
const (
	IntentGreeting       = "greeting"
	IntentSoothe         = "soothe"
	IntentVerify         = "verify"
	IntentCollectInfo    = "collect_info"
	IntentOffer          = "offer"
	IntentReasonGuidance = "reason_guidance"
	IntentInform         = "inform"
	IntentTracking       = "tracking"
	IntentFarewell       = "farewell"
)

// Intents lists the intent codes with their Chinese labels.
func Intents() []cases.Code {
	return []cases.Code{
		{Code: IntentGreeting, Label: "欢迎语"},
		{Code: IntentSoothe, Label: "安抚"},
		{Code: IntentVerify, Label: "核实取证"},
		{Code: IntentCollectInfo, Label: "收集信息"},
		{Code: IntentOffer, Label: "提出方案"},
		{Code: IntentReasonGuidance, Label: "原因引导"},
		{Code: IntentInform, Label: "告知进度"},
		{Code: IntentTracking, Label: "发送单号"},
		{Code: IntentFarewell, Label: "欢送语"},
	}
}

// Solutions lists the solution tags a script may carry with their Chinese labels: the
// solution kinds of a case (cases.Solutions) and the steps of SOP §4 and §6 that scripts
// also serve.
func Solutions() []cases.Code {
	return append(slices.Clone(cases.Solutions),
		cases.Code{Code: "reason_guidance", Label: "原因引导"},
		cases.Code{Code: "courier_chase", Label: "催促快递"},
		cases.Code{Code: "intercept", Label: "截件"},
		cases.Code{Code: "address_change", Label: "改地址"},
	)
}

// FieldError is one problem with one field, in Chinese for the supervisor's form.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// ValidationError lists every problem of one script so the form can mark all fields
// at once instead of one per save.
type ValidationError struct {
	ID     string       `json:"id"`
	Fields []FieldError `json:"fields"`
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return fmt.Sprintf("话术 %q: %s", e.ID, strings.Join(parts, "; "))
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks the script against the default placeholders.
func (s Script) Validate() error {
	return s.ValidateWith(DefaultPlaceholders())
}

// ValidateWith checks the script against the given placeholder names, so that a shop
// that declares its own placeholders can use them.
func (s Script) ValidateWith(known []Placeholder) error {
	errs := append(s.textErrors(known), s.tagErrors()...)
	if len(errs) > 0 {
		return &ValidationError{ID: s.ID, Fields: errs}
	}
	return nil
}

func (s Script) textErrors(known []Placeholder) []FieldError {
	var errs []FieldError
	if !idPattern.MatchString(s.ID) {
		errs = append(errs, FieldError{"id", "编号须由小写字母、数字和连字符组成，如 soothe-01"})
	}
	if strings.TrimSpace(s.Title) == "" {
		errs = append(errs, FieldError{"title", "标题为空"})
	}
	if strings.TrimSpace(s.Text) == "" {
		errs = append(errs, FieldError{"text", "话术内容为空"})
	}
	for _, problem := range checkPlaceholders(s.Text, known) {
		errs = append(errs, FieldError{"text", problem})
	}
	for i, img := range s.Images {
		if strings.TrimSpace(img) == "" {
			errs = append(errs, FieldError{fmt.Sprintf("images[%d]", i), "图片为空"})
		}
	}
	return errs
}

func (s Script) tagErrors() []FieldError {
	var errs []FieldError
	if len(s.Stages) == 0 {
		errs = append(errs, FieldError{"stages", "至少选择一个环节"})
	}
	sendable := func(st cases.Stage) bool { return st.Valid() && st != cases.StageClosed }
	errs = append(errs, invalidCodes("stages", s.Stages, sendable, "未知的环节代码")...)
	errs = append(errs, invalidCodes("types", s.Types, cases.ProblemType.Valid, "未知的问题类型代码")...)
	errs = append(errs, invalidCodes("platforms", s.Platforms, cases.Platform.Valid, "未知的平台代码")...)
	isSolution := func(code string) bool { return hasCode(Solutions(), code) }
	errs = append(errs, invalidCodes("solutions", s.Solutions, isSolution, "未知的方案代码")...)
	if !hasCode(Intents(), s.Intent) {
		errs = append(errs, FieldError{"intent", fmt.Sprintf("未知的用途代码“%s”", s.Intent)})
	}
	return errs
}

// invalidCodes reports each entry of a tag list that valid refuses, by its index.
func invalidCodes[T ~string](field string, list []T, valid func(T) bool, label string) []FieldError {
	var errs []FieldError
	for i, v := range list {
		if !valid(v) {
			errs = append(errs, FieldError{fmt.Sprintf("%s[%d]", field, i), fmt.Sprintf("%s“%s”", label, v)})
		}
	}
	return errs
}

func hasCode(list []cases.Code, code string) bool {
	return slices.ContainsFunc(list, func(c cases.Code) bool { return c.Code == code })
}
