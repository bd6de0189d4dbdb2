package training

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/validation"
)

var phoneRe = regexp.MustCompile(`1[3-9]\d{9}`)

// MaskPhone keeps the first three and the last four digits: 138****1234.
func MaskPhone(p string) string {
	return phoneRe.ReplaceAllStringFunc(p, func(m string) string { return m[:3] + "****" + m[7:] })
}

// maskText replaces the customer's name and masks phone numbers in a text.
func maskText(text, name, alias string) string {
	if name != "" {
		text = strings.ReplaceAll(text, name, alias)
	}
	return MaskPhone(text)
}

// alias is the replaced name: 顾客 with the form of address kept (先生/女士), so the
// trainee still knows how to address them.
func alias(name string) string {
	for _, title := range []string{"先生", "女士", "小姐"} {
		if strings.HasSuffix(name, title) {
			return "顾客" + title
		}
	}
	return "顾客A"
}

var replayID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{2,40}$`)

// Replay turns a closed real case into a scenario (the team learns from its own hard
// cases): the customer's name replaced, phone numbers masked (138****1234), the order
// number replaced; the facts the agent recorded become hidden facts, the evidence the
// photos, the solutions refused and accepted the customer's answers and the model.
func (sp *Space) Replay(ctx context.Context, by Actor, caseID int64, id string) (*Scenario, error) {
	if !trainer(by) {
		return nil, desk.ErrForbidden
	}
	if id == "" {
		id = fmt.Sprintf("replay-%d", caseID)
	}
	if !replayID.MatchString(id) {
		return nil, validation.Error{{Field: "id", Message: "场景编号须为3到41位小写字母、数字或连字符"}}
	}
	if _, ok := sp.Scenarios().Get(id); ok {
		return nil, validation.Error{{Field: "id", Message: fmt.Sprintf("已有编号为 %q 的场景", id)}}
	}
	if sp.o.Real == nil {
		return nil, errors.New("no real cases to replay")
	}
	c, err := sp.o.Real.Get(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if c.Status != cases.StatusClosed {
		return nil, validation.Error{{Field: "case_id", Message: "只能用已结案的工单生成培训场景"}}
	}
	log, err := sp.o.Real.Events(ctx, caseID, 0, 0)
	if err != nil {
		return nil, err
	}
	sc := fromCase(c, log, id)
	if err := sc.Validate(sp.o.Flows); err != nil {
		return nil, err
	}
	body, err := yaml.Marshal(sc)
	if err != nil {
		return nil, err
	}
	if err := sp.o.Records.SaveScenario(ctx, store.TrainingScenario{ID: id, Body: string(body), SourceCase: caseID,
		CreatedBy: by.Name, CreatedAt: sp.o.Desk.Now().UTC()}); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return nil, validation.Error{{Field: "id", Message: fmt.Sprintf("已有编号为 %q 的场景", id)}}
		}
		return nil, err
	}
	for {
		old := sp.scenarios.Load()
		if sp.scenarios.CompareAndSwap(old, old.With(sc)) {
			break
		}
	}
	return sc, nil
}

func fromCase(c cases.Case, log []cases.Event, id string) *Scenario {
	who := alias(c.CustomerName)
	mask := func(s string) string { return maskText(s, c.CustomerName, who) }
	sc := &Scenario{ID: id, Title: "真实案例 #" + fmt.Sprint(c.ID) + ":" + mask(c.Description), Type: c.Type, Level: c.Level, Seed: uint64(c.ID),
		Customer: Customer{Name: who, Phone: MaskPhone(c.CustomerPhone), Platform: c.Platform, OrderNo: fmt.Sprintf("PX%06d", c.ID),
			Product: c.SKU, Price: c.Amount.Yuan(), Courier: c.Courier, FreightInsurance: c.FreightInsurance,
			Description: mask(c.Description), Emotion: c.Emotion, Wants: c.Demand},
		Findings: map[string]string{}, File: id + ".yaml"}
	if sc.Customer.Product == "" {
		sc.Customer.Product = "商品"
	}
	if c.SignedAt != nil {
		sc.Customer.SignedHoursAgo = max(1, int(c.CreatedAt.Sub(*c.SignedAt).Hours()))
	}
	if sc.Customer.Emotion == "" {
		sc.Customer.Emotion = cases.EmotionCalm
	}
	if sc.Customer.Wants == "" {
		sc.Customer.Wants = cases.DemandNone
	}
	for _, e := range log {
		switch e.Type {
		case cases.EvMessageIn:
			if m, ok := cases.PayloadAs[cases.MessagePayload](e); ok && sc.Opening == "" {
				sc.Opening = mask(m.Text)
			}
		case cases.EvReturnAsked:
			sc.AsksReturn = true
		case cases.EvFactRecorded:
			if p, ok := cases.PayloadAs[cases.FactPayload](e); ok {
				sc.Findings[p.Key] = p.Value
			}
		case cases.EvEvidenceAdded:
			if ev, ok := cases.PayloadAs[cases.Evidence](e); ok && slices.Contains(evidenceKinds, ev.Kind) && !slices.Contains(sc.Photos, ev.Kind) {
				sc.Photos = append(sc.Photos, ev.Kind)
			}
		case cases.EvRetention:
			if p, ok := cases.PayloadAs[cases.SolutionPayload](e); ok {
				sc.Model.Retention = p.Amount.Yuan()
			}
		case cases.EvReasonGuided:
			if p, ok := cases.PayloadAs[cases.ReasonPayload](e); ok {
				sc.Model.Reason = p.Reason
			}
		case cases.EvSolutionRefuse:
			if p, ok := cases.PayloadAs[cases.SolutionPayload](e); ok {
				sc.Model.Refused = append(sc.Model.Refused, offerOf(p))
			}
		case cases.EvSolutionAccept:
			if p, ok := cases.PayloadAs[cases.SolutionPayload](e); ok {
				o := offerOf(p)
				sc.Model.Accept = &o
				sc.Accepts = []Accept{{Kind: p.Kind, Min: o.Amount}}
			}
		case cases.EvExecStepped:
			if t, ok := cases.PayloadAs[execution.Transition](e); ok {
				switch t.To {
				case execution.StatePaid:
					sc.Model.Carry = "paid"
				case execution.StateShipped:
					sc.Model.Carry, sc.Model.TrackingNo = "shipped", fmt.Sprintf("SIM%010d", c.ID)
				}
			}
		}
	}
	if sc.Opening == "" {
		sc.Opening = sc.Customer.Description
	}
	if sc.AsksReturn && sc.Model.Retention == "" {
		sc.Model.Retention = "10"
	}
	sc.Model.Remark = mask(c.LastRemark())
	if sc.Accepts == nil {
		sc.Accepts = []Accept{}
	}
	return sc
}

func offerOf(p cases.SolutionPayload) Offer {
	o := Offer{Kind: p.Kind}
	if p.Amount > 0 {
		o.Amount = p.Amount.Yuan()
	}
	if p.Data != nil {
		o.Items = p.Data.Items
	}
	return o
}
