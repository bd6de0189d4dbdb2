package web

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/httpx"
	"github.com/shouhou/shouhou/internal/money"
)

// executionView is an accepted solution being carried out (执行), as the case page
// shows it: where it stands, what the agent does next, and the steps it may take.
type executionView struct {
	execution.Solution
	KindLabel  string
	StateLabel string
	NextAction string
	Next       []cases.Code
	Final      bool
}

func executionViews(c cases.Case, events []cases.Event) []executionView {
	actions := desk.NextActions(c, events)
	views := make([]executionView, 0, len(c.Executions))
	for _, s := range c.Executions {
		v := executionView{Solution: s, KindLabel: execution.KindLabel(s.Kind), StateLabel: execution.StateLabel(s.State),
			NextAction: actions[s.ID], Final: execution.Done(s)}
		for _, st := range execution.Next(s) {
			v.Next = append(v.Next, cases.Code{Code: string(st), Label: execution.StateLabel(st)})
		}
		views = append(views, v)
	}
	return views
}

// caseExecute moves an accepted solution on from the state the agent saw: shipped with
// a tracking number, received and inspected, refunded, paid …
func (s *Server) caseExecute(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sid, err := httpx.PathID(r, "sid")
	if err != nil {
		return err
	}
	t, err := s.transitionFromForm(r, sid)
	if err == nil {
		_, _, err = s.desk.Step(r.Context(), actorOf(r), id, t)
	}
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.ExecutionError = p.Message })
	}
	return s.done(w, r, id, "方案执行已更新为「"+execution.StateLabel(t.To)+"」", nil)
}

// transitionFromForm reads the execution form; fields a step does not need are empty
// and ignored, and the desk says which required ones are missing.
func (s *Server) transitionFromForm(r *http.Request, sid int64) (execution.Transition, error) {
	field := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	t := execution.Transition{SolutionID: sid, From: execution.State(field("from")), To: execution.State(field("to")),
		Data: execution.Data{Courier: field("courier"), TrackingNo: field("tracking_no"), ReturnCourier: field("return_courier"),
			ReturnTrackingNo: field("return_tracking_no"), Reference: field("reference"), ClaimNo: field("claim_no"),
			Reason: field("reason"), Note: field("note"), CouponCode: field("coupon_code"),
			Payee: payeeFromForm(r), ReviewConfirmed: field("review_confirmed") != ""}}
	if t.To == execution.StateCancelled || t.To == execution.StatePayFailed || t.To == execution.StateRejected {
		t.Reason = cmp.Or(t.Reason, t.Note)
	}
	if v := field("appointment_at"); v != "" {
		at, err := time.ParseInLocation(dateTimeLocal, v, s.desk.Zone())
		if err != nil {
			return t, cases.ValidationError{{Field: "appointment_at", Message: "上门时间格式不正确"}}
		}
		at = at.UTC()
		t.AppointmentAt = &at
	}
	if v := field("amount"); v != "" {
		a, err := money.Parse(v)
		if err != nil {
			return t, cases.ValidationError{{Field: "amount", Message: "金额格式不正确,例如 10 或 12.5"}}
		}
		t.Amount = a
	}
	if field("good") != "" || field("bad") != "" {
		good, gerr := strconv.Atoi(orZero(field("good")))
		bad, berr := strconv.Atoi(orZero(field("bad")))
		if gerr != nil || berr != nil {
			return t, cases.ValidationError{{Field: "inspection", Message: "验货件数须为整数"}}
		}
		t.Inspection = &execution.Inspection{Good: good, Bad: bad, Failed: field("failed") != "", Photos: r.PostForm["photos"], Note: field("note")}
	}
	return t, nil
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// payeeFromForm reads where a payout goes; nil when no channel was chosen.
func payeeFromForm(r *http.Request) *execution.Payee {
	field := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	if field("pay_channel") == "" {
		return nil
	}
	return &execution.Payee{Channel: field("pay_channel"), Account: field("pay_account"), Name: field("pay_name")}
}

// openingData is what the solution picker sends for carrying a solution out from the
// start: the parts to reship, the courier and claim number of a claim, the payee of a
// payout, the mode of a repair and its receipt. Only the fields of the chosen kind
// are kept.
func (s *Server) openingData(r *http.Request, kind string) (*execution.Data, error) {
	field := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	var d execution.Data
	switch execution.Kind(kind) {
	case execution.KindReship:
		for _, item := range strings.FieldsFunc(field("exec_items"), func(r rune) bool { return strings.ContainsRune("，,、;；\n", r) }) {
			d.Items = append(d.Items, strings.TrimSpace(item))
		}
	case execution.KindCourierClaim:
		d.Courier, d.ClaimNo = field("exec_courier"), field("exec_claim_no")
	case execution.KindCompensation, execution.KindPriceDifference:
		d.Payee, d.AfterGoodReview = payeeFromForm(r), field("after_good_review") != ""
	case execution.KindRepair:
		d.Mode, d.Part, d.Receipt = field("repair_mode"), field("part"), field("receipt")
		if v := field("purchased_at"); v != "" {
			day, err := time.ParseInLocation(time.DateOnly, v, s.desk.Zone())
			if err != nil {
				return nil, cases.ValidationError{{Field: "purchased_at", Message: "购买日期格式不正确"}}
			}
			day = day.UTC()
			d.PurchasedAt = &day
		}
	default:
		return nil, nil
	}
	return &d, nil
}
