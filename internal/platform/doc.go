package platform

import (
	"fmt"
	"slices"
	"strings"
)

// Reference is docs/PLATFORMS.md: every platform's raw statuses, intervention statuses
// and types with their canonical meaning, written from the data files (a test keeps
// the page equal to them).
func (c *Catalog) Reference() string {
	var b strings.Builder
	b.WriteString("# Platform after-sale statuses\n\n")
	b.WriteString("Generated from `internal/platform/data/*.yaml` by `SHOUHOU_UPDATE_DOCS=1 go test ./internal/platform`; do not edit by hand.\n\n")
	b.WriteString("Each platform's raw after-sale status (the API code and the back office's Chinese text) maps to one canonical\n")
	b.WriteString("state; an active intervention/arbitration status makes a record that has not ended `intervened`. \"Next\" is\n")
	b.WriteString("what the platform expects and from whom (the guide shows it with the deadline, e.g. 卖家需在12月3日 10:00前处理退款申请);\n")
	b.WriteString("\"Timeout\" is used only when the source gives no deadline of its own, counted from the platform's last change.\n\n")
	b.WriteString("## Canonical states\n\n| state | 中文 |\n|---|---|\n")
	for _, s := range States {
		fmt.Fprintf(&b, "| `%s` | %s |\n", s.Code, s.Label)
	}
	for _, m := range c.models {
		fmt.Fprintf(&b, "\n## %s (`%s`, %s)\n\n", m.Name, strings.Join(m.Platforms, "`, `"), m.File)
		b.WriteString("| raw status | 后台显示 | also read as | canonical | next | timeout |\n|---|---|---|---|---|---|\n")
		for _, s := range m.Statuses {
			next := ""
			if s.Actor != "" {
				next = actors[s.Actor] + ":" + s.Expect
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | `%s` %s | %s | %s |\n", s.Code, s.Label, strings.Join(s.Also, "、"), s.State, StateLabel(s.State), next, hours(s.Hours))
		}
		if len(m.Interventions) > 0 {
			b.WriteString("\n| intervention | 后台显示 | also read as | active | next | timeout |\n|---|---|---|---|---|---|\n")
			for _, iv := range m.Interventions {
				active, next := "", ""
				if iv.Active {
					active = "yes → `intervened`"
				}
				if iv.Actor != "" {
					next = actors[iv.Actor] + ":" + iv.Expect
				}
				fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", iv.Code, iv.Label, strings.Join(iv.Also, "、"), active, next, hours(iv.Hours))
			}
		}
		b.WriteString("\n| type codes | 类型 | canonical |\n|---|---|---|\n")
		for _, t := range m.Types {
			fmt.Fprintf(&b, "| %s | %s | `%s` |\n", strings.Join(t.Codes, "、"), t.Label, t.Type)
		}
	}
	b.WriteString("\n## Export column mappings (internal/platform/sources/sources.yaml)\n\n| source | platform | column → field |\n|---|---|---|\n")
	srcs, _ := Sources()
	for _, s := range srcs {
		p := string(s.Platform)
		if p == "" {
			p = "from the 平台 column"
		}
		var cols []string
		for _, f := range Fields {
			for col, field := range s.Columns {
				if field == f.Code {
					cols = append(cols, col+"→"+field)
				}
			}
		}
		sortStrings(cols)
		fmt.Fprintf(&b, "| `%s` %s | %s | %s |\n", s.ID, s.Name, p, strings.Join(cols, ", "))
	}
	return b.String()
}

func hours(h int) string {
	if h == 0 {
		return ""
	}
	return fmt.Sprintf("%dh", h)
}

func sortStrings(s []string) { slices.Sort(s) }
