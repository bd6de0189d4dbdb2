package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/understand"
)

type newCaseData struct {
	Form       intakeForm
	Message    string // the customer's message pasted into the paste box
	Understood *understand.Result
	// Choices are the fields read with too little confidence to pre-fill: the two
	// most probable codes of each, for the agent to pick.
	Choices    []fieldChoices
	Error      string
	Classifier bool
}

type fieldChoices struct {
	Field, Label string
	Options      []choiceOption
}

type choiceOption struct {
	Field, Value, Label string
	Pct                 int
}

// choicesOf turns the prefill's alternatives into the paste box's choice buttons.
func choicesOf(alt map[understand.Field][]understand.Choice) []fieldChoices {
	var out []fieldChoices
	for _, f := range []struct {
		field understand.Field
		label string
		name  func(string) string
	}{
		{understand.FieldType, "问题类型", func(c string) string { return label(cases.ProblemTypes, c) }},
		{understand.FieldDemand, "顾客诉求", func(c string) string { return label(cases.Demands, c) }},
		{understand.FieldEmotion, "情绪", func(c string) string { return label(cases.Emotions, c) }},
		{understand.FieldLevel, "等级", func(c string) string { n, _ := strconv.Atoi(c); return levelLabel(cases.Level(n)) }},
	} {
		list, ok := alt[f.field]
		if !ok {
			continue
		}
		fc := fieldChoices{Field: string(f.field), Label: f.label}
		for _, ch := range list {
			fc.Options = append(fc.Options, choiceOption{Field: string(f.field), Value: ch.Code, Label: f.name(ch.Code), Pct: int(ch.Confidence*100 + 0.5)})
		}
		out = append(out, fc)
	}
	return out
}

// newCaseForm shows the intake form of SOP §2 with the paste box.
func (s *Server) newCaseForm(w http.ResponseWriter, r *http.Request) error {
	d := newCaseData{Form: intakeForm{Codes: allCodes(), Platform: "taobao"}, Classifier: s.desk.Understands()}
	return s.newPage(w, r, http.StatusOK, d)
}

// newCase either pre-fills the form from the pasted message (action=parse) or opens
// the case, with the message as its first event.
func (s *Server) newCase(w http.ResponseWriter, r *http.Request) error {
	d := newCaseData{Form: formFromRequest(r), Message: strings.TrimSpace(r.PostFormValue("first_message")), Classifier: s.desk.Understands()}
	if r.PostFormValue("action") == "parse" {
		if res, p, ok := s.desk.Understand(d.Message); ok && d.Message != "" {
			d.Understood = &res
			d.Choices = choicesOf(p.Alternatives)
			prefill(&d.Form, p)
		}
		return s.newPage(w, r, http.StatusOK, d)
	}
	in, perrs := d.Form.intake(s.desk.Zone())
	if len(perrs) > 0 {
		d.Form.Errors, d.Error = perrs, "请修改标出的内容"
		return s.newPage(w, r, http.StatusUnprocessableEntity, d)
	}
	c, _, err := s.desk.Create(r.Context(), actorOf(r), desk.NewCase{Intake: in, FirstMessage: d.Message,
		IdempotencyKey: strings.TrimSpace(r.PostFormValue("idempotency_key"))})
	if err != nil {
		p := explain(err)
		if p.Status >= 500 {
			return err
		}
		d.Form.Errors, d.Error = p.Fields, p.Message
		return s.newPage(w, r, p.Status, d)
	}
	return s.redirect(w, r, caseURL(c.ID), flash{Kind: "ok", Message: "工单 #" + itoa(c.ID) + " 已创建"})
}

// prefill puts the desk's reading of the message (desk.Prefill, the same as the API's)
// into the form: the codes always (they are its reading of the message), the entities
// only where the agent typed nothing.
func prefill(f *intakeForm, p desk.Prefill) {
	if p.Type != "" {
		f.Type = string(p.Type)
	}
	f.Demand, f.Emotion = string(p.Demand), string(p.Emotion)
	if p.Level != 0 {
		f.Level = strconv.Itoa(int(p.Level))
	}
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&f.OrderNo, p.OrderNo)
	fill(&f.TrackingNo, p.TrackingNo)
	fill(&f.Courier, p.Courier)
	fill(&f.CustomerPhone, p.CustomerPhone)
	if p.Amount != nil {
		fill(&f.Amount, p.Amount.String())
	}
	fill(&f.SKU, p.SKU)
	fill(&f.Description, p.Description)
}

// newPage renders the new-case form; with more than one shop it offers the shops the
// user serves (the case's shop fills {店铺名} and {退货地址}).
func (s *Server) newPage(w http.ResponseWriter, r *http.Request, status int, d newCaseData) error {
	l := layout{Title: "新建工单", Nav: "new"}
	if err := s.shopsOf(r, &l); err != nil {
		return err
	}
	d.Form.Shops = l.Shops
	if d.Form.Shop == "" {
		// An agent who serves one shop of several finds it chosen.
		only, err := s.desk.OnlyServedShop(r.Context(), actorOf(r))
		if err != nil {
			return err
		}
		if only != 0 {
			d.Form.Shop = strconv.FormatInt(only, 10)
		}
	}
	if len(l.Shops) > 0 && r.Method == http.MethodGet {
		d.Form.Platform = "" // 按店铺: the chosen shop's platform
	}
	l.Data = d
	return s.render(w, r, status, "new", l)
}
