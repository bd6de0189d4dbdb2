package desk

import (
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/understand"
)

// Prefill is what the classifier's reading of a customer's message fills in on the
// intake form (SOP §2): the codes, and the entities it found. The agent checks and
// corrects them before the case is created. The API (POST /api/v1/classify) and the
// workbench's paste box both show this one.
type Prefill struct {
	Type          cases.ProblemType `json:"type,omitempty"`
	Demand        cases.Demand      `json:"demand,omitempty"`
	Emotion       cases.Emotion     `json:"emotion,omitempty"`
	Level         cases.Level       `json:"level,omitempty"`
	OrderNo       string            `json:"order_no,omitempty"`
	TrackingNo    string            `json:"tracking_no,omitempty"`
	Courier       string            `json:"courier,omitempty"`
	CustomerPhone string            `json:"customer_phone,omitempty"`
	Amount        *money.Amount     `json:"amount,omitempty"`
	SKU           string            `json:"sku,omitempty"`
	Description   string            `json:"description,omitempty"`
	// Alternatives holds the two most probable codes of each field read with less
	// confidence than the classifier's threshold; such a field is not pre-filled:
	// the agent picks one of the two (or another).
	Alternatives map[understand.Field][]understand.Choice `json:"alternatives,omitempty"`
}

// Understand reads what an agent pasted: a customer's message or a whole
// conversation copied from a back office (千牛, 京麦, 抖店, 拼多多 …; see
// understand.ParseConversation); ok is false when the desk has no classifier.
func (d *Desk) Understand(text string) (res understand.Result, p Prefill, ok bool) {
	if d.classifier == nil {
		return res, p, false
	}
	res = d.classifier.ClassifyConversation(text)
	return res, prefillOf(res, understand.CustomerText(understand.ParseConversation(text))), true
}

// UnderstandTurns reads a conversation given as turns (customer and agent).
func (d *Desk) UnderstandTurns(turns []understand.Turn) (res understand.Result, p Prefill, ok bool) {
	if d.classifier == nil {
		return res, p, false
	}
	res = d.classifier.ClassifyTurns(turns)
	return res, prefillOf(res, understand.CustomerText(turns)), true
}

func prefillOf(r understand.Result, text string) Prefill {
	p := Prefill{Description: text, Alternatives: r.Alternatives}
	if !r.Uncertain(understand.FieldType) && r.Type != cases.TypePresale { // a pre-sale question opens no case: the agent picks
		p.Type = r.Type
	}
	if !r.Uncertain(understand.FieldDemand) {
		p.Demand = r.Demand
	}
	if !r.Uncertain(understand.FieldEmotion) {
		p.Emotion = r.Emotion
	}
	if !r.Uncertain(understand.FieldLevel) {
		p.Level = r.Level
	}
	e := r.Entities
	if len(e.OrderNumbers) > 0 {
		p.OrderNo = e.OrderNumbers[0]
	}
	if len(e.TrackingNumbers) > 0 {
		p.TrackingNo, p.Courier = e.TrackingNumbers[0].Number, e.TrackingNumbers[0].Courier
	}
	if len(e.Phones) > 0 {
		p.CustomerPhone = e.Phones[0]
	}
	if len(e.Amounts) > 0 {
		a := e.Amounts[0].Amount
		p.Amount = &a
	}
	if len(e.Products) > 0 {
		p.SKU = e.Products[0]
	}
	return p
}

// Understands reports whether the desk can read messages (a classifier is set up).
func (d *Desk) Understands() bool { return d.classifier != nil }
