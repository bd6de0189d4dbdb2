package web

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/calendar"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/policy"
	"github.com/shouhou/shouhou/internal/store"
)

// policyRow is one number of the money policy in force, in Chinese, and whether the
// shop's file changed it.
type policyRow struct {
	Label, Value, Group string
	Shop                bool
}

type calendarDay struct {
	Date, Name string
	Workday    bool // a make-up working day (调休上班)
}

type slaRow struct {
	Level                  string
	FirstResponse, Resolve int
}

// flowView is a flow as people read it: steps numbered, branches and timers in words.
type flowView struct {
	*playbook.Flow
	Steps []stepView
}

type stepView struct {
	playbook.Step
	N        int
	Branches []string
	Next     string
	Timers   []string
}

type sopData struct {
	// Admins: the dry run of an uploaded policy file, its error, the file to apply and
	// the audit log of the files applied.
	Preview     *desk.PolicyPreview
	PolicyError string
	PolicyName  string
	PolicyText  string
	PolicyLog   []store.SOPChange
	IsAdmin     bool
	Flows       []flowView
	Policy      []policyRow
	Year        int
	Days        []calendarDay
	SLA         []slaRow
	Coverage    string
}

// policyGroups name the policy's sections as docs/POLICY.md does.
var policyGroups = map[string]string{
	"minor_flaw": "轻微瑕疵补偿", "retention": "劝留补偿", "role_limits": "审批权限", "freight": "运费",
	"exchange": "换货", "discount": "折扣底线", "warranty": "三包", "size": "尺码误差", "shipping": "延迟发货",
	"no_reason": "七天无理由",
}

// sopPage shows the SOP in force (supervisors): every flow with its steps, evidence,
// questions, branches, timers and solutions; every number of the money policy with
// whether the shop's file set it; the year's holidays and make-up working days; the
// SLA of each level.
func (s *Server) sopPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSOP(w, r, http.StatusOK, sopData{})
}

// sopPolicy takes an admin's policy file (uploaded or pasted): action preview shows
// what it changes and which open cases it touches; action apply puts it in force (no
// restart) and records it in the audit log. A mistake names the file, line and cause.
func (s *Server) sopPolicy(w http.ResponseWriter, r *http.Request) error {
	name, raw := "policy.yaml", []byte(r.PostFormValue("content"))
	if f, h, err := r.FormFile("file"); err == nil {
		defer f.Close()
		if raw, err = io.ReadAll(io.LimitReader(f, 1<<20)); err != nil {
			return err
		}
		name = h.Filename
	} else if n := strings.TrimSpace(r.PostFormValue("name")); n != "" {
		name = n
	}
	d := sopData{PolicyName: name, PolicyText: string(raw)}
	var pv desk.PolicyPreview
	var err error
	if r.PostFormValue("action") == "apply" {
		if pv, err = s.desk.ApplyPolicy(r.Context(), actorOf(r), name, raw); err == nil {
			return s.redirect(w, r, "/sop#policy", flash{Kind: "ok", Message: fmt.Sprintf("新的金额规则已生效(%d项变更)", len(pv.Changes))})
		}
	} else {
		pv, err = s.desk.PreviewPolicy(r.Context(), actorOf(r), name, raw)
	}
	if err != nil {
		p := explain(err)
		if p.Status >= 500 || p.Status == http.StatusForbidden {
			return err
		}
		d.PolicyError = p.Message
		return s.renderSOP(w, r, p.Status, d)
	}
	d.Preview = &pv
	return s.renderSOP(w, r, http.StatusOK, d)
}

func (s *Server) renderSOP(w http.ResponseWriter, r *http.Request, status int, d sopData) error {
	d.IsAdmin = userOf(r).Role == store.RoleAdmin
	if d.IsAdmin {
		log, err := s.desk.PolicyChanges(r.Context())
		if err != nil {
			return err
		}
		d.PolicyLog = log
	}
	if s.flows != nil {
		flows := s.flows.Flows()
		slices.SortFunc(flows, func(a, b *playbook.Flow) int { return strings.Compare(a.Name, b.Name) })
		for _, f := range flows {
			d.Flows = append(d.Flows, s.viewFlow(f))
		}
	}
	if cfg, ok := s.desk.PolicyConfig(); ok {
		rows, err := policyRows(cfg)
		if err != nil {
			return err
		}
		d.Policy = rows
	}
	now := s.desk.Now().In(s.desk.Zone())
	d.Year = now.Year()
	if s.calendar != nil {
		d.Days = yearDays(s.calendar, d.Year)
		switch s.calendar.Coverage(d.Year) {
		case calendar.CoverageProvisional:
			d.Coverage = fmt.Sprintf("%d年的放假安排为暂定(仅法定节假日,无调休),国务院公布后请更新", d.Year)
		case calendar.CoverageNone:
			d.Coverage = fmt.Sprintf("没有%d年的放假安排:只按周末计算工作日,请在日历文件中补充", d.Year)
		}
	}
	sla := s.desk.SLA()
	for l := cases.Level(1); l <= 3; l++ {
		v := sla.Levels[l]
		d.SLA = append(d.SLA, slaRow{Level: levelLabel(l), FirstResponse: v.FirstResponseHours, Resolve: v.ResolveHours})
	}
	return s.render(w, r, status, "sop", layout{Title: "当前SOP", Nav: "sop", Data: d})
}

// policyRows flattens the policy in force into its keys, marking the ones the shop's
// file changed from the SOP's defaults.
func policyRows(cfg policy.Config) ([]policyRow, error) {
	now, err := policy.Flatten(cfg)
	if err != nil {
		return nil, err
	}
	def, err := policy.Flatten(policy.Default())
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(now))
	for k := range now {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rows := make([]policyRow, 0, len(now))
	for _, k := range keys {
		group, _, _ := strings.Cut(k, ".")
		platform := ""
		if p, ok := strings.CutPrefix(k, "shipping.deadline_hours."); ok {
			platform = label(cases.Platforms, p)
		}
		name, _ := policy.KeyLabel(k, platform)
		rows = append(rows, policyRow{Label: name, Value: policy.ValueLabel(now[k]), Group: policyGroups[group], Shop: def[k] != now[k]})
	}
	return rows, nil
}

// yearDays are the year's holidays and make-up working days, in date order.
func yearDays(c *calendar.Calendar, year int) []calendarDay {
	var out []calendarDay
	for t := time.Date(year, 1, 1, 12, 0, 0, 0, c.Location()); t.Year() == year; t = t.AddDate(0, 0, 1) {
		weekend := t.Weekday() == time.Saturday || t.Weekday() == time.Sunday
		if name, ok := c.Holiday(t); ok {
			out = append(out, calendarDay{Date: t.Format("01-02 周") + weekdays[t.Weekday()], Name: name})
		} else if weekend && c.IsWorkingDay(t) {
			out = append(out, calendarDay{Date: t.Format("01-02 周") + weekdays[t.Weekday()], Name: "调休上班", Workday: true})
		}
	}
	return out
}

var weekdays = [...]string{"日", "一", "二", "三", "四", "五", "六"}

// viewFlow words a flow's branches and timers: "产品破损程度？=轻微 → 第5步(方案)".
func (s *Server) viewFlow(f *playbook.Flow) flowView {
	num := map[string]string{}
	answers := map[string]string{}
	for i, st := range f.Steps {
		num[st.ID] = fmt.Sprintf("第%d步(%s)", i+1, cases.StageLabels[st.Stage])
		for _, q := range st.Asks {
			answers[q.Key] = q.Question
			for _, v := range q.Values {
				answers[q.Key+"="+v.Value] = v.Label
			}
		}
	}
	v := flowView{Flow: f}
	for i, st := range f.Steps {
		sv := stepView{Step: st, N: i + 1, Next: num[st.Next]}
		sv.Instruction = s.desk.RenderFlowText(f, st.Instruction)
		for _, b := range st.Branches {
			var conds []string
			for k, val := range b.When {
				conds = append(conds, strings.TrimRight(answers[k], "？?")+":"+answers[k+"="+val])
			}
			slices.Sort(conds)
			if b.Accepted != "" {
				label, _ := cases.SolutionLabel(b.Accepted)
				conds = append(conds, "顾客同意"+label)
			}
			sv.Branches = append(sv.Branches, strings.Join(conds, "且")+" → "+num[b.To])
		}
		for _, tm := range st.Timers {
			sv.Timers = append(sv.Timers, s.desk.TimerSpan(tm)+"后:"+s.desk.RenderFlowText(f, tm.OnExpiry))
		}
		v.Steps = append(v.Steps, sv)
	}
	return v
}
