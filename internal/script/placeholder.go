package script

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/shouhou/shouhou/internal/cases"
)

// Placeholder is a name that may appear in a script as {name}. From tells the UI where
// shouhou fills it: case.<field>, shop, agent, or empty when the agent types it.
type Placeholder struct {
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description" yaml:"description"`
	From        string `json:"from,omitempty" yaml:"from"`
}

//go:embed data/placeholders.yaml
var placeholdersYAML []byte

// DefaultPlaceholders returns the built-in placeholder names. The embedded file is
// checked by a test, so a parse failure here is a build defect, hence the panic.
func DefaultPlaceholders() []Placeholder {
	var list []Placeholder
	if err := yaml.UnmarshalWithOptions(placeholdersYAML, &list, yaml.Strict()); err != nil {
		panic(fmt.Sprintf("script: embedded placeholders.yaml: %v", err))
	}
	return list
}

// ref is one well-formed {name} in a text, by byte offsets of the braces.
type ref struct {
	name       string
	start, end int
}

// scan finds the well-formed placeholders of text and describes every malformed brace.
// A placeholder never spans a line, so one stray "{" cannot swallow the rest of a script.
func scan(text string) (refs []ref, problems []string) {
	open := -1
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '{':
			if open >= 0 {
				problems = append(problems, "“{”未闭合")
			}
			open = i
		case '}':
			switch {
			case open < 0:
				problems = append(problems, "多余的“}”")
			case open+1 == i:
				problems = append(problems, "占位符“{}”缺少名称")
			default:
				refs = append(refs, ref{name: text[open+1 : i], start: open, end: i + 1})
			}
			open = -1
		case '\n':
			if open >= 0 {
				problems = append(problems, "“{”未闭合")
				open = -1
			}
		}
	}
	if open >= 0 {
		problems = append(problems, "“{”未闭合")
	}
	if strings.ContainsAny(text, "｛｝") {
		problems = append(problems, "占位符请使用半角花括号 {}")
	}
	return refs, problems
}

// Names returns the placeholder names used in text, each once, in order of appearance.
func Names(text string) []string {
	refs, _ := scan(text)
	var names []string
	for _, r := range refs {
		if !slices.Contains(names, r.name) {
			names = append(names, r.name)
		}
	}
	return names
}

func checkPlaceholders(text string, known []Placeholder) []string {
	_, problems := scan(text)
	for _, name := range Names(text) {
		if !slices.ContainsFunc(known, func(p Placeholder) bool { return p.Name == name }) {
			problems = append(problems, fmt.Sprintf("未知的占位符“{%s}”", name))
		}
	}
	return problems
}

// Fill replaces each {name} that has a non-empty value. Placeholders without a value
// stay visible as {name} and are listed in missing (once each, in order) so that the
// UI can ask the agent for them; malformed braces are left as they are.
func Fill(text string, values map[string]string) (filled string, missing []string) {
	refs, _ := scan(text)
	var b strings.Builder
	last := 0
	for _, r := range refs {
		b.WriteString(text[last:r.start])
		if v := values[r.name]; v != "" {
			b.WriteString(v)
		} else {
			b.WriteString(text[r.start:r.end])
			if !slices.Contains(missing, r.name) {
				missing = append(missing, r.name)
			}
		}
		last = r.end
	}
	b.WriteString(text[last:])
	return b.String(), missing
}

// ValuesFromCase returns the placeholder values the case knows. {金额} is deliberately
// absent: in scripts it is the amount offered, and filling it with the amount paid
// would offer the whole price; the paid amount is {实付金额}. {店铺名} and {客服工号}
// come from the shop settings and the agent, not the case. Empty fields are left out
// so that Fill reports them as missing.
func ValuesFromCase(c *cases.Case) map[string]string {
	values := map[string]string{}
	if c == nil {
		return values
	}
	set := func(name, v string) {
		if v = strings.TrimSpace(v); v != "" {
			values[name] = v
		}
	}
	set("顾客称呼", c.CustomerName)
	set("订单号", c.OrderNo)
	set("平台", platformLabel(c.Platform))
	set("快递公司", c.Courier)
	set("快递单号", c.TrackingNo)
	if c.Amount > 0 {
		set("实付金额", c.Amount.Yuan())
	}
	return values
}

func platformLabel(p cases.Platform) string {
	for _, c := range cases.Platforms {
		if c.Code == string(p) {
			return c.Label
		}
	}
	return ""
}
