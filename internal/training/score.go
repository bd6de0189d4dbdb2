package training

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/script"
)

// Rule ids of the score card, one per SOP rule it checks.
const (
	RuleSootheFirst   = "soothe_first"   // SOP §1.1
	RuleEvidenceFirst = "evidence_first" // SOP §1.2, §6
	RuleLadder        = "ladder"         // SOP §4
	RuleReturnOrder   = "return_order"   // SOP §4: 劝留 → 原因引导 → 退货
	RuleMoney         = "money"          // SOP §5
	RuleTalk          = "talk"           // SOP §7: no negative or arguing phrases
	RuleFirstResponse = "first_response" // SOP §3
	RuleRemark        = "remark"         // SOP §1.5
	RuleRegistered    = "registered"     // SOP §1.6
	RuleFollowedUp    = "followed_up"    // SOP §1.7
)

// PointsPerRule is what one line of the score card is worth.
const PointsPerRule = 10

// Line is one SOP rule on the score card: what the SOP expects, what the trainee did
// (with the event's number), and the points.
type Line struct {
	Rule     string `json:"rule"`
	Title    string `json:"title"`
	Expected string `json:"expected"`
	Did      string `json:"did"`
	Seq      int64  `json:"seq,omitempty"`
	Applies  bool   `json:"applies"`
	Points   int    `json:"points"`
	Max      int    `json:"max"`
}

// Card is the score card of one attempt.
type Card struct {
	Lines   []Line `json:"lines"`
	Points  int    `json:"points"`
	Max     int    `json:"max"`
	Percent int    `json:"percent"`
}

// Lost lists the rules that applied and lost points.
func (c Card) Lost() []string {
	var out []string
	for _, l := range c.Lines {
		if l.Applies && l.Points < l.Max {
			out = append(out, l.Rule)
		}
	}
	return out
}

// Line returns the line of a rule.
func (c Card) Line(rule string) (Line, bool) {
	i := slices.IndexFunc(c.Lines, func(l Line) bool { return l.Rule == rule })
	if i < 0 {
		return Line{}, false
	}
	return c.Lines[i], true
}

// Inputs are what a score card is computed from: the case after the attempt, its
// whole log, the guide's reading of it (the playbook engine's history violations),
// whether the case's flow ends with the register, and the desk's message checks.
type Inputs struct {
	Case      cases.Case
	Log       []cases.Event
	Guide     playbook.Guide
	Registers bool
	Checks    Checks
}

// Score computes the score card of an attempt from its event log. Every line reads
// what the desk recorded, with the desk's own rules: the playbook engine's
// violations, the lint, the remark format, the refused moves (training.refused).
func Score(s *Scenario, in Inputs) Card {
	var card Card
	add := func(l Line) {
		l.Max = PointsPerRule
		if l.Applies {
			card.Max += l.Max
			card.Points += l.Points
		} else {
			l.Max, l.Points = 0, 0
		}
		card.Lines = append(card.Lines, l)
	}
	log := in.Log
	refused := refusals(log)
	add(sootheFirst(s, log, in.Checks))
	add(evidenceFirst(s, log))
	add(ladder(log, in.Guide, refused))
	add(returnOrder(s, log, refused))
	add(moneyLine(log, refused))
	add(talk(log, in.Checks))
	add(firstResponse(in.Case, log))
	add(remarkLine(in.Case, log, refused))
	add(registered(log, in.Registers))
	add(followedUp(log))
	if card.Max > 0 {
		card.Percent = card.Points * 100 / card.Max
	}
	return card
}

type refusal struct {
	seq int64
	cases.RefusedPayload
}

func refusals(log []cases.Event) []refusal {
	var out []refusal
	for _, e := range log {
		if e.Type == cases.EvRefused {
			if p, ok := cases.PayloadAs[cases.RefusedPayload](e); ok {
				out = append(out, refusal{e.Seq, p})
			}
		}
	}
	return out
}

func full(l Line) Line { l.Points = PointsPerRule; return l }

func first(log []cases.Event, match func(cases.Event) bool) (cases.Event, bool) {
	i := slices.IndexFunc(log, match)
	if i < 0 {
		return cases.Event{}, false
	}
	return log[i], true
}

func quote(text string) string {
	r := []rune(text)
	if len(r) > 40 {
		text = string(r[:40]) + "…"
	}
	return "「" + text + "」"
}

func sootheFirst(s *Scenario, log []cases.Event, ch Checks) Line {
	l := Line{Rule: RuleSootheFirst, Title: "先安抚情绪", Expected: "顾客不满或情绪激动时,第一条回复先安抚(共情、引导、承诺),再谈方案",
		Applies: s.Customer.Emotion == cases.EmotionUpset || s.Customer.Emotion == cases.EmotionAngry}
	if !l.Applies {
		l.Did = "顾客情绪平静,不适用"
		return l
	}
	e, ok := first(log, func(e cases.Event) bool { return e.Type == cases.EvMessageOut && byTrainee(e) })
	if !ok {
		l.Did = "没有回复顾客"
		return l
	}
	m, _ := cases.PayloadAs[cases.MessagePayload](e)
	l.Seq = e.Seq
	if m.Intent == script.IntentSoothe || ch.Soothing(script.Outgoing{Text: m.Text, Intent: m.Intent}) {
		l.Did = "第一条回复是安抚:" + quote(m.Text)
		return full(l)
	}
	l.Did = "第一条回复没有安抚:" + quote(m.Text)
	return l
}

// decision is the first event that decides the case: an offer, an acceptance, a
// retention offer.
func decision(e cases.Event) bool {
	return byTrainee(e) && (e.Type == cases.EvSolutionOffer || e.Type == cases.EvSolutionAccept || e.Type == cases.EvRetention)
}

func evidenceFirst(s *Scenario, log []cases.Event) Line {
	labels := make([]string, len(s.Photos))
	for i, k := range s.Photos {
		labels[i] = evidenceLabel(k)
	}
	var asks []string
	for _, f := range s.Facts {
		asks = append(asks, "问清"+f.Ask[0])
	}
	l := Line{Rule: RuleEvidenceFirst, Title: "先要凭证再定方案", Applies: len(s.Photos) > 0 || len(s.Facts) > 0}
	if !l.Applies {
		l.Expected, l.Did = "本场景不需要凭证", "不适用"
		return l
	}
	l.Expected = "给出方案前," + strings.Join(append(prefixed("请顾客提供", strings.Join(labels, "、")), asks...), ",") + ";没问顾客不记录核实结果"
	upTo := log
	if d, ok := first(log, decision); ok {
		upTo = log[:slices.IndexFunc(log, func(e cases.Event) bool { return e.Seq == d.Seq })]
		l.Seq = d.Seq
	}
	var missing []string
	for i, k := range s.Photos {
		if !slices.ContainsFunc(upTo, func(e cases.Event) bool {
			ev, ok := cases.PayloadAs[cases.Evidence](e)
			return e.Type == cases.EvEvidenceAdded && ok && ev.Kind == k
		}) {
			missing = append(missing, labels[i])
		}
	}
	for _, f := range s.Facts {
		rec, recorded := first(log, func(e cases.Event) bool {
			p, ok := cases.PayloadAs[cases.FactPayload](e)
			return e.Type == cases.EvFactRecorded && byTrainee(e) && ok && p.Key == f.Key
		})
		told, wasTold := first(log, func(e cases.Event) bool {
			m, ok := cases.PayloadAs[cases.MessagePayload](e)
			return e.Type == cases.EvMessageIn && ok && m.Text == f.Say
		})
		if recorded && (!wasTold || told.Seq > rec.Seq) {
			l.Seq, l.Did = rec.Seq, "没有问顾客就记录了核实结果("+f.Ask[0]+")"
			return l
		}
	}
	if len(missing) == 0 {
		l.Did = "定方案前已" + strings.Join(append(prefixed("收到", strings.Join(labels, "、")), asks...), ",")
		return full(l)
	}
	l.Did = "定方案前缺少" + strings.Join(missing, "、")
	return l
}

// prefixed is []string{prefix+text}, or nothing for an empty text.
func prefixed(prefix, text string) []string {
	if text == "" {
		return nil
	}
	return []string{prefix + text}
}

func evidenceLabel(kind string) string {
	switch kind {
	case "six_sides":
		return "外箱六面照"
	case "waybill":
		return "面单照片"
	case "contents":
		return "内件照片"
	case "video":
		return "视频"
	}
	return kind
}

var ladderRules = []string{playbook.RuleLadderSkipped, playbook.RuleSolutionNotInFlow, playbook.RuleReturnCustomerOnly}

func ladder(log []cases.Event, g playbook.Guide, refused []refusal) Line {
	l := Line{Rule: RuleLadder, Title: "按方案阶梯", Expected: "补偿 → 补发 → 换货,先提出当前步骤允许的更高一级方案;退货只能由顾客提出",
		Applies: slices.ContainsFunc(log, decision)}
	if !l.Applies {
		l.Did = "本次没有提出方案,不适用"
		return l
	}
	for _, v := range g.Violations {
		if slices.Contains(ladderRules, v.Rule) {
			l.Seq, l.Did = v.Seq, v.Message
			return l
		}
	}
	for _, r := range refused {
		if slices.Contains(ladderRules, r.Code) {
			l.Seq, l.Did = r.seq, "被拒绝:"+r.Message
			return l
		}
	}
	var kinds []string
	for _, e := range log {
		if (e.Type == cases.EvSolutionOffer || e.Type == cases.EvSolutionAccept) && byTrainee(e) {
			p, _ := cases.PayloadAs[cases.SolutionPayload](e)
			label, _ := cases.SolutionLabel(p.Kind)
			if len(kinds) == 0 || kinds[len(kinds)-1] != label {
				kinds = append(kinds, label)
			}
		}
	}
	l.Did = "方案顺序:" + strings.Join(kinds, " → ")
	return full(l)
}

var returnRules = []string{playbook.RuleReturnRetentionFirst, playbook.RuleReasonAfterRetention}

func returnOrder(s *Scenario, log []cases.Event, refused []refusal) Line {
	asked, hasAsk := first(log, func(e cases.Event) bool { return e.Type == cases.EvReturnAsked })
	l := Line{Rule: RuleReturnOrder, Title: "劝留 → 原因引导 → 退货", Applies: s.AsksReturn || hasAsk,
		Expected: "顾客要求退货后,先劝留,再原因引导(七天无理由/其他),最后才办理退货"}
	if !l.Applies {
		l.Did = "顾客没有要求退货,不适用"
		return l
	}
	if !hasAsk {
		l.Did = "没有记录顾客的退货要求"
		return l
	}
	for _, r := range refused {
		if slices.Contains(returnRules, r.Code) {
			l.Seq, l.Did = r.seq, "被拒绝:"+r.Message
			return l
		}
	}
	ret, ok := first(log, func(e cases.Event) bool { return e.Type == cases.EvRetention && e.Seq > asked.Seq })
	if !ok {
		l.Seq, l.Did = asked.Seq, "顾客要求退货后没有劝留"
		return l
	}
	l.Seq = ret.Seq
	p, _ := cases.PayloadAs[cases.SolutionPayload](ret)
	l.Did = fmt.Sprintf("已劝留(%s元)", p.Amount.Yuan())
	if g, ok := first(log, func(e cases.Event) bool { return e.Type == cases.EvReasonGuided }); ok {
		if g.Seq < ret.Seq {
			l.Seq, l.Did = g.Seq, "原因引导在劝留之前"
			return l
		}
		l.Did += ",再原因引导"
	}
	return full(l)
}

// moneyLine loses its points when a move broke a money rule of SOP §5: the desk
// refused it (over the agent's limit, outside the retention range, above the
// minor-flaw ladder …).
func moneyLine(log []cases.Event, refused []refusal) Line {
	l := Line{Rule: RuleMoney, Title: "金额在规定范围内", Expected: "补偿、劝留金额在权限和规定范围内(小瑕疵补偿低于退货运费,超权限先申请主管审批)"}
	moved := func(e cases.Event) bool {
		if !byTrainee(e) || (e.Type != cases.EvSolutionOffer && e.Type != cases.EvSolutionAccept && e.Type != cases.EvRetention) {
			return false
		}
		p, _ := cases.PayloadAs[cases.SolutionPayload](e)
		return p.Amount > 0
	}
	for _, r := range refused {
		if moneyRefusal(r) {
			l.Applies, l.Seq, l.Did = true, r.seq, "被拒绝:"+r.Message
			return l
		}
	}
	e, ok := first(log, moved)
	l.Applies = ok
	if !ok {
		l.Did = "本次没有涉及金额,不适用"
		return l
	}
	l.Seq = e.Seq
	var amounts []string
	for _, e := range log {
		if moved(e) {
			p, _ := cases.PayloadAs[cases.SolutionPayload](e)
			amounts = append(amounts, p.Amount.Yuan()+"元")
		}
	}
	l.Did = "金额均在范围内:" + strings.Join(slices.Compact(amounts), "、")
	return full(l)
}

func moneyRefusal(r refusal) bool {
	switch r.Type {
	case cases.EvSolutionOffer, cases.EvSolutionAccept, cases.EvRetention, cases.EvApprovalAsked:
	default:
		return false
	}
	if r.Code == "invalid" || slices.Contains(ladderRules, r.Code) || slices.Contains(returnRules, r.Code) {
		return false
	}
	return !strings.HasPrefix(r.Code, "reason.") && r.Code != "case_closed"
}

func talk(log []cases.Event, ch Checks) Line {
	l := Line{Rule: RuleTalk, Title: "不用否定词、不争辩", Expected: "避免「不能、没有、不可以」等否定词(用了要解释),不与顾客争辩"}
	var history []script.Outgoing
	n := 0
	for _, e := range log {
		m, ok := outgoing(e)
		if !ok || !byTrainee(e) {
			continue
		}
		n++
		for _, w := range ch.Lint(m.Text, history...) {
			if w.Rule == script.RuleSootheWithoutSolution {
				continue // the soothing loop is the guide's anti-pattern, not talk
			}
			l.Applies, l.Seq, l.Did = true, e.Seq, w.Message+":"+quote(m.Text)
			return l
		}
		history = append(history, script.Outgoing{Text: m.Text, Intent: m.Intent})
	}
	l.Applies = n > 0
	if !l.Applies {
		l.Did = "没有回复顾客"
		return l
	}
	l.Did = fmt.Sprintf("%d条回复均无否定词、争辩", n)
	return full(l)
}

func firstResponse(c cases.Case, log []cases.Event) Line {
	l := Line{Rule: RuleFirstResponse, Title: "首次响应及时", Applies: true, Expected: "在本级别的首次响应时限内回复顾客"}
	if c.ResponseDueAt != nil {
		l.Expected = fmt.Sprintf("%d级工单:在%s前首次回复", c.Level, c.ResponseDueAt.Format("01-02 15:04"))
	}
	e, ok := first(log, func(e cases.Event) bool { return e.Type == cases.EvMessageOut && byTrainee(e) })
	if !ok {
		l.Did = "没有回复顾客"
		return l
	}
	l.Seq = e.Seq
	if c.ResponseDueAt != nil && e.At.After(*c.ResponseDueAt) {
		l.Did = "首次回复超时" + chineseSpan(e.At.Sub(*c.ResponseDueAt))
		return l
	}
	l.Did = "开单后" + chineseSpan(e.At.Sub(c.CreatedAt)) + "内首次回复"
	return full(l)
}

func remarkLine(c cases.Case, log []cases.Event, refused []refusal) Line {
	l := Line{Rule: RuleRemark, Title: "备注「问题描述+进度」", Applies: true, Expected: "备注写成「问题描述+进度」,例如:破损，换货待寄回(无备注等于0产能)"}
	for _, r := range refused {
		if r.Type == cases.EvRemarkAdded {
			p, _ := cases.PayloadAs[cases.RemarkPayload](cases.Event{Payload: r.Payload})
			l.Seq, l.Did = r.seq, "备注格式不对:"+quote(p.Text)
			return l
		}
	}
	e, ok := first(log, func(e cases.Event) bool { return e.Type == cases.EvRemarkAdded })
	if !ok {
		l.Did = "没有备注"
		return l
	}
	l.Seq, l.Did = e.Seq, "备注:"+quote(c.LastRemark())
	return full(l)
}

func registered(log []cases.Event, registers bool) Line {
	l := Line{Rule: RuleRegistered, Title: "登记表格", Applies: registers, Expected: "处理完成后登记售后登记表"}
	if !registers {
		l.Did = "本流程不需要登记,不适用"
		return l
	}
	if e, ok := first(log, func(e cases.Event) bool { return e.Type == cases.EvRegistered }); ok {
		l.Seq, l.Did = e.Seq, "已登记"
		return full(l)
	}
	l.Did = "没有登记"
	return l
}

func followedUp(log []cases.Event) Line {
	l := Line{Rule: RuleFollowedUp, Title: "回访", Applies: true, Expected: "结案后回访顾客,记录满意度和问题是否解决"}
	if e, ok := first(log, func(e cases.Event) bool { return e.Type == cases.EvFollowedUp }); ok {
		p, _ := cases.PayloadAs[cases.FollowUpPayload](e)
		l.Seq, l.Did = e.Seq, fmt.Sprintf("已回访,满意度%d分", p.CSAT)
		return full(l)
	}
	l.Did = "没有回访"
	return l
}

// chineseSpan says a span as the pages do: 不到1分钟, 25分钟, 3小时5分钟.
func chineseSpan(d time.Duration) string {
	switch m := int(d.Minutes()); {
	case m < 1:
		return "1分钟"
	case m < 60:
		return fmt.Sprintf("%d分钟", m)
	case m%60 == 0:
		return fmt.Sprintf("%d小时", m/60)
	default:
		return fmt.Sprintf("%d小时%d分钟", m/60, m%60)
	}
}
