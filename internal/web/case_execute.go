package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
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
	sid, err := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	if err != nil {
		return &httpError{status: http.StatusNotFound, msg: "找不到该方案"}
	}
	t, err := transitionFromForm(r, sid)
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
func transitionFromForm(r *http.Request, sid int64) (execution.Transition, error) {
	field := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	t := execution.Transition{SolutionID: sid, From: execution.State(field("from")), To: execution.State(field("to")),
		Data: execution.Data{Courier: field("courier"), TrackingNo: field("tracking_no"), ReturnCourier: field("return_courier"),
			ReturnTrackingNo: field("return_tracking_no"), Reference: field("reference"), ClaimNo: field("claim_no"),
			Reason: field("reason"), Note: field("note")}}
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

// openingData is what the solution picker sends for carrying a solution out from the
// start: the parts to reship, or the courier and claim number of a claim.
func openingData(r *http.Request) *execution.Data {
	field := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	d := execution.Data{Courier: field("exec_courier"), ClaimNo: field("exec_claim_no")}
	for _, item := range strings.FieldsFunc(field("exec_items"), func(r rune) bool { return strings.ContainsRune("，,、;；\n", r) }) {
		d.Items = append(d.Items, strings.TrimSpace(item))
	}
	if len(d.Items) == 0 && d.Courier == "" && d.ClaimNo == "" {
		return nil
	}
	return &d
}
