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
}

// Understand reads a customer's message; ok is false when the desk has no classifier.
func (d *Desk) Understand(text string) (res understand.Result, p Prefill, ok bool) {
	if d.classifier == nil {
		return res, p, false
	}
	res = d.classifier.Classify(text)
	return res, prefillOf(res, text), true
}

func prefillOf(r understand.Result, text string) Prefill {
	p := Prefill{Demand: r.Demand, Emotion: r.Emotion, Level: r.Level, Description: text}
	if r.Type != cases.TypePresale { // a pre-sale question opens no case: the agent picks
		p.Type = r.Type
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
