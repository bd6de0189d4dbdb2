package web

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/calendar"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/report"
)

// chartBar is one labelled value of a chart.
type chartBar struct {
	Label string
	Value int64
	Note  string // shown after the value, e.g. the share
}

// chart is a titled bar chart rendered on the server as inline SVG.
type chart struct {
	ID    string
	Title string
	SVG   template.HTML
}

// barChart draws horizontal bars, one per line, scaled to the largest value; the
// labels are escaped, nothing is fetched from elsewhere.
func barChart(id, title string, bars []chartBar) chart {
	const labelW, barW, rowH, valueW = 130, 300, 24, 110
	if len(bars) == 0 {
		return chart{ID: id, Title: title}
	}
	var max int64
	for _, b := range bars {
		max = maxInt(max, b.Value)
	}
	h := rowH*len(bars) + 4
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="%s" width="%d" height="%d" viewBox="0 0 %d %d">`,
		html.EscapeString(title), labelW+barW+valueW, h, labelW+barW+valueW, h)
	for i, b := range bars {
		y := i*rowH + 2
		w := 0
		if max > 0 {
			w = int(float64(barW) * float64(b.Value) / float64(max))
		}
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end" font-size="13">%s</text>`, labelW-6, y+16, html.EscapeString(b.Label))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" fill="#3a7bd5"><title>%s</title></rect>`, labelW, y+3, maxInt(w, 1), rowH-8, html.EscapeString(b.Label))
		fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="13">%s</text>`, labelW+w+6, y+16, html.EscapeString(strconv.FormatInt(b.Value, 10)+b.Note))
	}
	sb.WriteString(`</svg>`)
	return chart{ID: id, Title: title, SVG: template.HTML(sb.String())}
}

func maxInt[T int | int64](a, b T) T {
	if a > b {
		return a
	}
	return b
}

func pct(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

func countBars(list []report.Count, name func(string) string) []chartBar {
	out := make([]chartBar, 0, len(list))
	for _, c := range list {
		out = append(out, chartBar{Label: name(c.Key), Value: c.Count, Note: " (" + pct(c.Share) + ")"})
	}
	return out
}

type reportsData struct {
	Filter   report.Filter
	Report   report.Report
	Charts   []chart
	Codes    codeLists
	Agents   []string
	Error    string
	Yuan     func(int64) string
	Pct      func(float64) string
	Duration func(int64) string
	Ratio    func(a, b int64) float64
	TypeName func(string) string
}

// reportsPage is 报表 (supervisors): the KPIs of the date range and filters from the
// daily rollups, with charts drawn as inline SVG.
func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) error {
	d := reportsData{Codes: allCodes(), Yuan: func(f int64) string { return money.Amount(f).String() }, Pct: pct, Duration: minutesText,
		Ratio: func(a, b int64) float64 {
			if b == 0 {
				return 0
			}
			return float64(a) / float64(b)
		},
		TypeName: func(k string) string { return label(cases.ProblemTypes, k) }}
	f, err := s.desk.ReportQuery(r.URL.Query())
	d.Filter = f
	if err != nil {
		d.Error = explain(err).Message
		return s.render(w, r, http.StatusUnprocessableEntity, "reports", layout{Title: "报表", Nav: "reports", Data: d})
	}
	rep, err := s.desk.Report(r.Context(), actorOf(r), f)
	if err != nil {
		return err
	}
	d.Report = rep
	names, err := s.userNames(r.Context())
	if err != nil {
		return err
	}
	typeName := func(k string) string { return label(cases.ProblemTypes, k) }
	levelName := func(k string) string { l, _ := strconv.Atoi(k); return levelLabel(cases.Level(l)) }
	agentName := func(k string) string {
		if k == "" {
			return "未分配"
		}
		return names.of(k)
	}
	solName := func(k string) string { l, _ := cases.SolutionLabel(k); return l }
	d.Charts = []chart{
		barChart("chart-type", "问题类型", countBars(rep.ByType, typeName)),
		barChart("chart-level", "等级", countBars(rep.ByLevel, levelName)),
		barChart("chart-platform", "平台", countBars(rep.ByPlatform, func(k string) string { return label(cases.Platforms, k) })),
		barChart("chart-stage", "阶段", countBars(rep.ByStage, func(k string) string { return stageLabel(cases.Stage(k)) })),
		barChart("chart-status", "状态", countBars(rep.ByStatus, func(k string) string { return cases.StatusLabel(cases.Status(k)) })),
		barChart("chart-solution", "方案占比", countBars(rep.Solutions, solName)),
		barChart("chart-reason", "退货原因", countBars(rep.Reasons, reasonLabel)),
		barChart("chart-csat", "满意度分布", countBars(rep.CSAT, func(k string) string { return k + "分" })),
		barChart("chart-agent", "客服工单数", countBars(rep.ByAgent, agentName)),
	}
	var out []chartBar
	perAgent := map[string]int64{}
	var order []string
	for _, o := range rep.Output {
		if _, ok := perAgent[o.Agent]; !ok {
			order = append(order, o.Agent)
		}
		perAgent[o.Agent] += o.Cases
	}
	days := 0
	if from, err1 := calendar.ParseDate(f.From); err1 == nil {
		if to, err2 := calendar.ParseDate(f.To); err2 == nil {
			days = int(to.Start(time.UTC).Sub(from.Start(time.UTC)).Hours()/24) + 1
		}
	}
	for _, a := range order {
		note := ""
		if days > 0 {
			note = fmt.Sprintf(" (日均%.1f)", float64(perAgent[a])/float64(days))
		}
		out = append(out, chartBar{Label: agentName(a), Value: perAgent[a], Note: note})
	}
	d.Charts = append(d.Charts, barChart("chart-output", "产能(有备注的工单)", out))
	l := layout{Title: "报表", Nav: "reports", Data: d}
	if err := s.shopsOf(r, &l); err != nil {
		return err
	}
	if l.MultiShop {
		// Rows written before shops carry no shop until `shouhou reports rebuild`.
		shopName := func(k string) string {
			id, err := strconv.ParseInt(k, 10, 64)
			if err != nil {
				return "未区分店铺"
			}
			if n := l.ShopNames[id]; n != "" {
				return n
			}
			return "店铺" + k
		}
		d.Charts = append([]chart{barChart("chart-shop", "店铺", countBars(rep.ByShop, shopName))}, d.Charts...)
		l.Data = d
	}
	return s.render(w, r, http.StatusOK, "reports", l)
}

// minutesText shows minutes as 1小时30分 / 45分.
func minutesText(m int64) string {
	if m >= 60 {
		return fmt.Sprintf("%d小时%d分", m/60, m%60)
	}
	return fmt.Sprintf("%d分", m)
}
