package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/understand"
)

type newCaseData struct {
	Form       intakeForm
	Message    string // the customer's message pasted into the paste box
	Understood *understand.Result
	Error      string
	Classifier bool
}

// newCaseForm shows the intake form of SOP §2 with the paste box.
func (s *Server) newCaseForm(w http.ResponseWriter, r *http.Request) error {
	d := newCaseData{Form: intakeForm{Codes: allCodes(), Platform: "taobao"}, Classifier: s.classifier != nil}
	return s.render(w, r, http.StatusOK, "new", layout{Title: "新建工单", Nav: "new", Data: d})
}

// newCase either pre-fills the form from the pasted message (action=parse) or opens
// the case, with the message as its first event.
func (s *Server) newCase(w http.ResponseWriter, r *http.Request) error {
	d := newCaseData{Form: formFromRequest(r), Message: strings.TrimSpace(r.PostFormValue("first_message")), Classifier: s.classifier != nil}
	if r.PostFormValue("action") == "parse" {
		if s.classifier != nil && d.Message != "" {
			res := s.classifier.Classify(d.Message)
			d.Understood = &res
			prefill(&d.Form, res, d.Message)
		}
		return s.render(w, r, http.StatusOK, "new", layout{Title: "新建工单", Nav: "new", Data: d})
	}
	in, perrs := d.Form.intake()
	if len(perrs) > 0 {
		d.Form.Errors, d.Error = perrs, "请修改标出的内容"
		return s.render(w, r, http.StatusUnprocessableEntity, "new", layout{Title: "新建工单", Nav: "new", Data: d})
	}
	c, _, err := s.desk.Create(r.Context(), actorOf(r), desk.NewCase{Intake: in, FirstMessage: d.Message,
		IdempotencyKey: strings.TrimSpace(r.PostFormValue("idempotency_key"))})
	if err != nil {
		p := explain(err)
		if p.Status >= 500 {
			return err
		}
		d.Form.Errors, d.Error = p.Fields, p.Message
		return s.render(w, r, p.Status, "new", layout{Title: "新建工单", Nav: "new", Data: d})
	}
	return s.redirect(w, r, caseURL(c.ID), flash{Kind: "ok", Message: "工单 #" + itoa(c.ID) + " 已创建"})
}

// prefill puts what the classifier understood into the form: the codes always (they
// are its reading of the message), the entities only where the agent typed nothing.
func prefill(f *intakeForm, res understand.Result, msg string) {
	if res.Type != "" && res.Type != "presale" {
		f.Type = string(res.Type)
	}
	f.Demand, f.Emotion = string(res.Demand), string(res.Emotion)
	if res.Level != 0 {
		f.Level = strconv.Itoa(int(res.Level))
	}
	e := res.Entities
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	if len(e.OrderNumbers) > 0 {
		fill(&f.OrderNo, e.OrderNumbers[0])
	}
	if len(e.TrackingNumbers) > 0 {
		fill(&f.TrackingNo, e.TrackingNumbers[0].Number)
		fill(&f.Courier, e.TrackingNumbers[0].Courier)
	}
	if len(e.Phones) > 0 {
		fill(&f.CustomerPhone, e.Phones[0])
	}
	if len(e.Amounts) > 0 {
		fill(&f.Amount, e.Amounts[0].Amount.String())
	}
	if len(e.Products) > 0 {
		fill(&f.SKU, e.Products[0])
	}
	fill(&f.Description, msg)
}
