package web

import (
	"context"
	"html/template"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/script"
)

// caseData is everything the case page shows.
type caseData struct {
	Case            cases.Case
	Open            bool
	Left            string
	Overdue         bool
	Related         []int64
	Events          []eventView
	Guide           playbook.Guide
	Options         []optionView
	OtherSolutions  []cases.Code
	Limit           money.Amount
	Unlimited       bool
	Approved        money.Amount // the largest compensation a supervisor granted on the case
	Scripts         []scriptView
	SuggestedRemark string
	Form            intakeForm
	FormMessage     string
	Remark          string
	RemarkError     string
	CloseError      string
	SolutionError   string
	Executions      []executionView
	ExecutionError  string
	EvidenceKinds   []cases.Code
	SLA             slaView
	Assign          assignView
}

// optionView is an allowed solution of the guide with the rule behind it.
type optionView struct {
	playbook.Option
	Rule string
}

// ladderRules say why each rung of the solution ladder is where it is (SOP §4).
var ladderRules = map[string]string{
	"compensation":  "阶梯第1位:最快,在补偿权限内优先",
	"reship":        "阶梯第2位:缺件或部件损坏时补发,可与补偿同时",
	"exchange":      "阶梯第3位:补偿、补发不成或被拒时换货",
	"return_refund": "阶梯第4位:只在顾客主动提出时,先劝留再原因引导",
	"refund_only":   "仅在无需寄回时(未发货、丢件、未收到、低价商品)",
	"retention":     "顾客要求退货时必须先劝留",
}

// scriptView is a script of the current step filled from the case.
type scriptView struct {
	script.Script
	Filled  string
	HTML    template.HTML // Filled with the missing placeholders marked
	Missing []string
}

var placeholderRE = regexp.MustCompile(`\{[^{}\n]+\}`)

// markMissing escapes text and wraps the placeholders Fill could not fill.
func markMissing(text string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range placeholderRE.FindAllStringIndex(text, -1) {
		b.WriteString(template.HTMLEscapeString(text[last:m[0]]))
		b.WriteString(`<mark class="missing" title="请补充">`)
		b.WriteString(template.HTMLEscapeString(text[m[0]:m[1]]))
		b.WriteString(`</mark>`)
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String())
}

// caseView shows the case page.
func (s *Server) caseView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.caseData(r.Context(), r, id)
	if err != nil {
		return err
	}
	return s.renderCase(w, r, http.StatusOK, d)
}

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, status int, d caseData) error {
	return s.render(w, r, status, "case", layout{Title: "工单 #" + itoa(d.Case.ID), Nav: "case", Data: d})
}

const maxScripts = 6

func (s *Server) caseData(ctx context.Context, r *http.Request, id int64) (caseData, error) {
	c, events, g, err := s.desk.Guide(ctx, id)
	if err != nil {
		return caseData{}, err
	}
	related, err := s.desk.Related(ctx, c)
	if err != nil {
		return caseData{}, err
	}
	d := caseData{Case: c, Open: c.Status == cases.StatusOpen, Related: related, Guide: g, EvidenceKinds: cases.EvidenceKinds}
	d.Left, d.Overdue = timeLeft(c.ResolveDueAt, s.now())
	if !d.Open {
		d.Left, d.Overdue = statusLabel(c.Status), false
	}
	d.SLA = slaOf(c, s.now())
	d.Assign = s.assignOf(r, c)
	if d.SLA.Paused {
		d.Left, d.Overdue = "时限暂停", false
	}
	d.Limit, d.Unlimited = s.desk.CompensationLimit(actorOf(r))
	for _, a := range c.Approvals {
		if a.Granted && a.Kind == "compensation" && a.Amount > d.Approved {
			d.Approved = a.Amount
		}
	}
	d.Events = viewEvents(events, s.factLabels(c.Type, g.Questions))
	seen := map[string]bool{}
	for _, o := range g.Solutions {
		d.Options = append(d.Options, optionView{Option: o, Rule: ladderRules[o.Kind]})
		seen[o.Kind] = true
	}
	for _, sol := range cases.Solutions {
		if !seen[sol.Code] && sol.Code != cases.SolutionRetention {
			d.OtherSolutions = append(d.OtherSolutions, sol)
		}
	}
	if d.Scripts, err = s.scriptsFor(ctx, c, g); err != nil {
		return caseData{}, err
	}
	d.Executions = executionViews(c, events)
	d.SuggestedRemark = suggestRemark(c, events)
	d.Form = formFromIntake(c.Intake)
	d.Form.Disabled = !d.Open
	return d, nil
}

// scriptsFor picks the scripts of the current step (script.Library.ForStep) and fills
// their placeholders from the case.
func (s *Server) scriptsFor(ctx context.Context, c cases.Case, g playbook.Guide) ([]scriptView, error) {
	lib, err := s.scripts.Library(ctx)
	if err != nil {
		return nil, err
	}
	stage := c.Stage
	if g.Step != nil {
		stage = g.Step.Stage
	}
	solution := ""
	for _, o := range g.Solutions {
		if !o.Refused && o.Blocked == "" {
			solution = o.Kind
			break
		}
	}
	list := lib.ForStep(stage, c.Type, solution, c.Platform)
	if len(list) == 0 && solution != "" {
		list = lib.ForStep(stage, c.Type, "", c.Platform)
	}
	values := script.ValuesFromCase(&c)
	var out []scriptView
	for _, sc := range list {
		if len(out) == maxScripts {
			break
		}
		filled, missing := script.Fill(sc.Text, values)
		out = append(out, scriptView{Script: sc, Filled: filled, HTML: markMissing(filled), Missing: missing})
	}
	return out, nil
}

// factLabels names the facts of the case's whole flow (not only the current step's
// questions) so that facts recorded earlier read 外包装:轻微破损 on the timeline.
func (s *Server) factLabels(t cases.ProblemType, current []playbook.Ask) factLabels {
	asks := slices.Clone(current)
	if s.flows != nil {
		if flow, ok := s.flows.ForType(t); ok {
			for _, st := range flow.Steps {
				asks = append(asks, st.Asks...)
			}
		}
	}
	facts := factLabels{}
	for _, q := range asks {
		facts[q.Key] = q.Question
		for _, v := range q.Values {
			facts[q.Key+"="+v.Value] = v.Label
		}
	}
	return facts
}
