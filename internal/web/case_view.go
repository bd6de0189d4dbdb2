package web

import (
	"context"
	"html/template"
	"net/http"
	"regexp"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/script"
	"github.com/shouhou/shouhou/internal/store"
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
	PayChannels     []cases.Code
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
	FollowUpDue     bool // closed and its 回访 visit is due (待回访)
	FollowUpError   string
	SolutionError   string
	Executions      []executionView
	ExecutionError  string
	EvidenceKinds   []cases.Code
	Names           userNames
	SLA             slaView
	Assign          assignView
	// Links are the customer's upload links; NewLink the one just made (shown once).
	Links     []linkView
	NewLink   *newLinkView
	LinkError string
	// Parcels are the case's tracking numbers with their tracks; Receipts what the
	// warehouse found in returned parcels.
	Parcels  []parcelView
	Receipts []receiptView
	// Practice is set on a practice case (培训): the attempt, its clock and buttons.
	Practice *practice
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
		d.Left, d.Overdue = cases.StatusLabel(c.Status), false
	}
	d.SLA = slaOf(c, s.now())
	d.Assign = s.assignOf(r, c)
	if d.Links, err = s.linksOf(ctx, id); err != nil {
		return caseData{}, err
	}
	if d.SLA.Paused {
		d.Left, d.Overdue = "时限暂停", false
	}
	limit := s.desk.CompensationLimit(ctx, actorOf(r), c)
	d.Limit, d.Unlimited = limit.Limit, limit.Unlimited
	for _, a := range c.Approvals {
		if a.Granted && a.Kind == "compensation" && a.Amount > d.Approved {
			d.Approved = a.Amount
		}
	}
	names, err := s.userNames(ctx)
	if err != nil {
		return caseData{}, err
	}
	d.Names = names
	d.Events = viewEvents(events, s.factLabels(c.Type, g.Questions), names, s.desk.Zone())
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
	if d.Scripts, err = s.scriptsFor(ctx, userOf(r), c, events, g); err != nil {
		return caseData{}, err
	}
	if d.Parcels, d.Receipts, err = s.parcelsOf(ctx, c, events, names); err != nil {
		return caseData{}, err
	}
	d.Executions = executionViews(c, events)
	d.SuggestedRemark = suggestRemark(c, events)
	d.PayChannels = desk.PayChannels
	d.Form = formFromIntake(c.Intake, s.desk.Zone())
	d.Form.Disabled = !d.Open
	d.FollowUpDue = c.Status == cases.StatusClosed && c.Stage == cases.StageFollowUp
	if s.practice != nil {
		s.practice.dress(&d)
	}
	return d, nil
}

// scriptsFor shows the desk's scripts for the current step (the same list as the API's
// GET /api/v1/cases/{id}/scripts), the first few, with the missing placeholders marked.
func (s *Server) scriptsFor(ctx context.Context, u store.User, c cases.Case, events []cases.Event, g playbook.Guide) ([]scriptView, error) {
	_, list, err := s.desk.StepScripts(ctx, u, c, events, g)
	if err != nil {
		return nil, err
	}
	var out []scriptView
	for _, sc := range list[:min(len(list), maxScripts)] {
		out = append(out, scriptView{Script: sc.Script, Filled: sc.Filled, HTML: markMissing(sc.Filled), Missing: sc.Missing})
	}
	return out, nil
}

// factLabels names the facts of the case's whole flow (not only the current step's
// questions) so that facts recorded earlier read 外包装:轻微破损 on the timeline.
func (s *Server) factLabels(t cases.ProblemType, current []playbook.Ask) factLabels {
	facts := factLabels{}
	add := func(asks []playbook.Ask) {
		for _, q := range asks {
			if _, ok := facts[q.Key]; !ok {
				facts[q.Key] = q.Question
			}
			for _, v := range q.Values {
				if _, ok := facts[q.Key+"="+v.Value]; !ok {
					facts[q.Key+"="+v.Value] = v.Label
				}
			}
		}
	}
	add(current)
	if s.flows != nil {
		if flow, ok := s.flows.ForType(t); ok {
			for _, st := range flow.Steps {
				add(st.Asks)
			}
		}
		// A fact of another flow (recorded before the type was corrected) is still
		// named by the flow that asks it.
		for _, flow := range s.flows.Flows() {
			for _, st := range flow.Steps {
				add(st.Asks)
			}
		}
	}
	add(desk.RuleFacts)
	add(playbook.SystemFacts)
	return facts
}
