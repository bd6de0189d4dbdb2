// Package training is the 培训 simulator: scenarios as data (a simulated customer and
// the reference handling), the customer's rule engine that answers in a practice
// case's chat, and the score card computed from the case's event log with the desk's
// own checks. Practice cases live in a training space of their own (space.go): a
// second case store whose cases never appear in the team's queues, lists, search,
// register, exports, reports, alerts or notifications.
package training

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/validation"
)

//go:embed scenarios/*.yaml
var embedded embed.FS

// DefaultScenarios is the folder of the scenarios shipped with shouhou: one per
// problem type of SOP §8 and the scenes of seed 004.
func DefaultScenarios() fs.FS {
	sub, err := fs.Sub(embedded, "scenarios")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}

// Scenario is one practice case: who the customer is, what they say, want, accept and
// refuse, what they reveal only when asked, and how a trainee who follows the SOP
// handles it (Model, which the tests play and the trainer may show).
type Scenario struct {
	ID    string            `yaml:"id" json:"id"`
	Title string            `yaml:"title" json:"title"`
	Scene string            `yaml:"scene,omitempty" json:"scene,omitempty"` // seed 004's scene, when it is one
	Type  cases.ProblemType `yaml:"type" json:"type"`
	Level cases.Level       `yaml:"level,omitempty" json:"level,omitempty"`
	// Seed fixes every chance of the scenario (the retention offer's): the same moves
	// always get the same answers.
	Seed     uint64   `yaml:"seed" json:"seed"`
	Customer Customer `yaml:"customer" json:"customer"`
	Opening  string   `yaml:"opening" json:"opening"`
	// AsksReturn: the customer asks to return the item (劝留 and 原因引导 are due).
	AsksReturn bool `yaml:"asks_return,omitempty" json:"asks_return,omitempty"`
	// Accepts are the solutions the customer takes (an amount at least Min); any other
	// offer is refused.
	Accepts []Accept `yaml:"accepts" json:"accepts"`
	// Retention is how likely the customer keeps the item for a retention offer within
	// the shop's range.
	Retention Retention `yaml:"retention,omitempty" json:"retention,omitempty"`
	// Facts are hidden: the customer tells one only when the trainee's message asks
	// about it (one of its Ask words).
	Facts []Fact `yaml:"facts,omitempty" json:"facts,omitempty"`
	// Photos are the evidence kinds the customer sends when asked for photos or a
	// video, PhotosAfterHours later on the practice clock (0: at once).
	// Findings are what the trainee learns outside the chat, by checking with the
	// factory, the courier, the warehouse or the back office (flow question → answer);
	// the practice page shows them under 查询结果.
	Findings         map[string]string `yaml:"findings,omitempty" json:"findings,omitempty"`
	Photos           []string          `yaml:"photos,omitempty" json:"photos,omitempty"`
	PhotosAfterHours int               `yaml:"photos_after_hours,omitempty" json:"photos_after_hours,omitempty"`
	Model            Model             `yaml:"model" json:"model"`

	File string `yaml:"-" json:"file"`
}

// Customer is the simulated customer and the order.
type Customer struct {
	Name             string         `yaml:"name" json:"name"`
	Phone            string         `yaml:"phone,omitempty" json:"phone,omitempty"`
	Platform         cases.Platform `yaml:"platform" json:"platform"`
	OrderNo          string         `yaml:"order_no" json:"order_no"`
	Product          string         `yaml:"product" json:"product"`
	Price            string         `yaml:"price" json:"price"` // yuan, e.g. "269"
	SignedHoursAgo   int            `yaml:"signed_hours_ago,omitempty" json:"signed_hours_ago,omitempty"`
	Courier          string         `yaml:"courier,omitempty" json:"courier,omitempty"`
	TrackingNo       string         `yaml:"tracking_no,omitempty" json:"tracking_no,omitempty"`
	FreightInsurance bool           `yaml:"freight_insurance,omitempty" json:"freight_insurance,omitempty"`
	Description      string         `yaml:"description" json:"description"`
	Emotion          cases.Emotion  `yaml:"emotion" json:"emotion"`
	Wants            cases.Demand   `yaml:"wants" json:"wants"`
}

// Accept is a solution the customer takes.
type Accept struct {
	Kind string `yaml:"kind" json:"kind"`
	Min  string `yaml:"min,omitempty" json:"min,omitempty"` // yuan; compensation below it is refused
	Say  string `yaml:"say,omitempty" json:"say,omitempty"`
}

// Retention is the chance (0–1) that a retention offer keeps the customer.
type Retention struct {
	Chance float64 `yaml:"chance" json:"chance"`
}

// Fact is a hidden fact: its flow question key and answer, the words of a question
// that reveal it, and what the customer says.
type Fact struct {
	Key   string   `yaml:"key" json:"key"`
	Value string   `yaml:"value" json:"value"`
	Ask   []string `yaml:"ask" json:"ask"`
	Say   string   `yaml:"say" json:"say"`
}

// Model is the reference handling, step by step the SOP's: the offers the customer
// turns down first, the solution accepted, how far it is carried out, the remark.
type Model struct {
	Refused   []Offer `yaml:"refused,omitempty" json:"refused,omitempty"`
	Accept    *Offer  `yaml:"accept,omitempty" json:"accept,omitempty"`
	Retention string  `yaml:"retention,omitempty" json:"retention,omitempty"` // yuan offered to keep the item
	Reason    string  `yaml:"reason,omitempty" json:"reason,omitempty"`       // 原因引导
	// Carry is how far the accepted solution is carried out: paid, shipped.
	Carry      string `yaml:"carry,omitempty" json:"carry,omitempty"`
	TrackingNo string `yaml:"tracking_no,omitempty" json:"tracking_no,omitempty"`
	Remark     string `yaml:"remark" json:"remark"`
}

// Offer is a solution with its amount (yuan) and items.
type Offer struct {
	Kind   string   `yaml:"kind" json:"kind"`
	Amount string   `yaml:"amount,omitempty" json:"amount,omitempty"`
	Items  []string `yaml:"items,omitempty" json:"items,omitempty"`
}

// Yuan parses a scenario's amount ("" is zero).
func Yuan(s string) money.Amount {
	if s == "" {
		return 0
	}
	a, _ := money.Parse(s) // validated at load
	return a
}

// Intake is the case's form as the customer's order and complaint give it.
func (s *Scenario) Intake(now time.Time) cases.Intake {
	c := s.Customer
	in := cases.Intake{CustomerName: c.Name, CustomerPhone: c.Phone, Platform: c.Platform, OrderNo: c.OrderNo,
		Amount: Yuan(c.Price), FreightInsurance: c.FreightInsurance, Courier: c.Courier, TrackingNo: c.TrackingNo,
		SKU: c.Product, Type: s.Type, Description: c.Description, Demand: c.Wants, Emotion: c.Emotion, Level: s.Level}
	if strings.Contains(in.CustomerPhone, "*") {
		in.CustomerPhone = "" // a replayed case's masked phone (138****1234) is no number to store
	}
	if c.SignedHoursAgo > 0 {
		at := now.Add(-time.Duration(c.SignedHoursAgo) * time.Hour).UTC().Truncate(time.Millisecond)
		in.SignedAt = &at
	}
	return in
}

// Fact returns the hidden fact with that key.
func (s *Scenario) Fact(key string) (Fact, bool) {
	i := slices.IndexFunc(s.Facts, func(f Fact) bool { return f.Key == key })
	if i < 0 {
		return Fact{}, false
	}
	return s.Facts[i], true
}

// Set is the validated scenarios, by id.
type Set struct {
	byID  map[string]*Scenario
	order []string
}

// Get returns a scenario.
func (s *Set) Get(id string) (*Scenario, bool) {
	sc, ok := s.byID[id]
	return sc, ok
}

// All lists the scenarios by id.
func (s *Set) All() []*Scenario {
	out := make([]*Scenario, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.byID[id])
	}
	return out
}

// With returns a copy of the set with sc added or replaced (a replayed real case).
func (s *Set) With(sc *Scenario) *Set {
	next := &Set{byID: map[string]*Scenario{}, order: slices.Clone(s.order)}
	for k, v := range s.byID {
		next.byID[k] = v
	}
	if _, ok := next.byID[sc.ID]; !ok {
		next.order = append(next.order, sc.ID)
		sort.Strings(next.order)
	}
	next.byID[sc.ID] = sc
	return next
}

// Load reads the *.yaml files of each layer in order (the shipped scenarios, then
// the shop's folder): a later file with the same id replaces the earlier one. Every
// scenario is checked against the flows; all problems are returned together, each
// naming its file and field.
func Load(flows *playbook.Set, layers ...fs.FS) (*Set, error) {
	set := &Set{byID: map[string]*Scenario{}}
	var errs []error
	for _, layer := range layers {
		names, err := fs.Glob(layer, "*.yaml")
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			raw, err := fs.ReadFile(layer, name)
			if err != nil {
				return nil, err
			}
			sc, err := Parse(raw, name)
			if err == nil {
				err = sc.Validate(flows)
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if _, ok := set.byID[sc.ID]; !ok {
				set.order = append(set.order, sc.ID)
			}
			set.byID[sc.ID] = sc
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sort.Strings(set.order)
	return set, nil
}

// Parse decodes one scenario file; unknown fields are errors.
func Parse(raw []byte, file string) (*Scenario, error) {
	var sc Scenario
	if err := yaml.NewDecoder(bytes.NewReader(raw), yaml.Strict()).Decode(&sc); err != nil {
		return nil, fmt.Errorf("%s: %s", file, yaml.FormatError(err, false, true))
	}
	sc.File = path.Base(file)
	return &sc, nil
}

var evidenceKinds = []string{"six_sides", "waybill", "contents", "video"}

// Validate checks a scenario against the taxonomy, the money format and its flow:
// every fact answers a question of the flow with an allowed value, every photo is a
// known evidence kind, the model's offers are solutions the shop knows.
func (s *Scenario) Validate(flows *playbook.Set) error {
	var errs validation.Error
	add := func(field, msg string) { errs = append(errs, validation.FieldError{Field: field, Message: msg}) }
	if s.ID == "" || strings.ContainsAny(s.ID, " /\\") {
		add("id", "场景编号不能为空,且不能含空格或斜杠")
	}
	if strings.TrimSpace(s.Title) == "" {
		add("title", "请填写场景标题")
	}
	if _, ok := cases.LabelOf(cases.ProblemTypes, string(s.Type)); !ok {
		add("type", fmt.Sprintf("未知的问题类型 %q", s.Type))
	}
	if s.Level != 0 && (s.Level < 1 || s.Level > 3) {
		add("level", "级别须为1、2或3")
	}
	c := s.Customer
	if strings.TrimSpace(c.Name) == "" {
		add("customer.name", "请填写顾客称呼")
	}
	if _, ok := cases.LabelOf(cases.Platforms, string(c.Platform)); !ok {
		add("customer.platform", fmt.Sprintf("未知的平台 %q", c.Platform))
	}
	if c.OrderNo == "" {
		add("customer.order_no", "请填写订单号")
	}
	if _, err := money.Parse(c.Price); err != nil || c.Price == "" {
		add("customer.price", "价格须为元,例如 269 或 39.90")
	}
	if _, ok := cases.LabelOf(cases.Emotions, string(c.Emotion)); !ok {
		add("customer.emotion", fmt.Sprintf("未知的情绪 %q(calm/upset/angry)", c.Emotion))
	}
	if _, ok := cases.LabelOf(cases.Demands, string(c.Wants)); !ok {
		add("customer.wants", fmt.Sprintf("未知的诉求 %q", c.Wants))
	}
	if strings.TrimSpace(s.Opening) == "" {
		add("opening", "请填写顾客的第一句话")
	}
	if s.Retention.Chance < 0 || s.Retention.Chance > 1 {
		add("retention.chance", "劝留成功的概率须在0到1之间")
	}
	for i, a := range s.Accepts {
		if _, ok := cases.SolutionLabel(a.Kind); !ok {
			add(fmt.Sprintf("accepts[%d].kind", i), fmt.Sprintf("未知的方案 %q", a.Kind))
		}
		if _, err := money.Parse(a.Min); a.Min != "" && err != nil {
			add(fmt.Sprintf("accepts[%d].min", i), "金额须为元,例如 10")
		}
	}
	for i, p := range s.Photos {
		if !slices.Contains(evidenceKinds, p) {
			add(fmt.Sprintf("photos[%d]", i), fmt.Sprintf("未知的凭证 %q(six_sides/waybill/contents/video)", p))
		}
	}
	flow, ok := flows.ForType(s.Type)
	if ok {
		for i, f := range s.Facts {
			ask, found := askOf(flow, f.Key)
			switch {
			case !found:
				add(fmt.Sprintf("facts[%d].key", i), fmt.Sprintf("流程「%s」没有问题 %q", flow.Name, f.Key))
			case !slices.ContainsFunc(ask.Values, func(c playbook.Choice) bool { return c.Value == f.Value }):
				add(fmt.Sprintf("facts[%d].value", i), fmt.Sprintf("问题 %q 没有答案 %q", f.Key, f.Value))
			}
			if len(f.Ask) == 0 || strings.TrimSpace(f.Say) == "" {
				add(fmt.Sprintf("facts[%d]", i), "隐藏事实须有提问关键词(ask)和顾客的回答(say)")
			}
		}
	}
	if ok {
		for key, value := range s.Findings {
			ask, found := askOf(flow, key)
			switch {
			case !found:
				add("findings."+key, fmt.Sprintf("流程「%s」没有问题 %q", flow.Name, key))
			case !slices.ContainsFunc(ask.Values, func(c playbook.Choice) bool { return c.Value == value }):
				add("findings."+key, fmt.Sprintf("问题 %q 没有答案 %q", key, value))
			}
		}
	}
	for i, o := range append(slices.Clone(s.Model.Refused), derefOffer(s.Model.Accept)...) {
		if _, ok := cases.SolutionLabel(o.Kind); !ok {
			add(fmt.Sprintf("model.offers[%d].kind", i), fmt.Sprintf("未知的方案 %q", o.Kind))
		}
		if _, err := money.Parse(o.Amount); o.Amount != "" && err != nil {
			add(fmt.Sprintf("model.offers[%d].amount", i), "金额须为元,例如 10")
		}
	}
	if s.Model.Carry != "" && s.Model.Carry != "paid" && s.Model.Carry != "shipped" {
		add("model.carry", "执行进度须为 paid(已打款)或 shipped(已寄出)")
	}
	if err := cases.ValidateRemark(s.Model.Remark); err != nil {
		add("model.remark", "示范备注须为「问题描述+进度」,例如:破损，补发已寄出")
	}
	if s.AsksReturn && s.Model.Retention == "" {
		add("model.retention", "顾客要求退货时,示范处理须先劝留(填写劝留金额)")
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w", s.File, errs)
}

func derefOffer(o *Offer) []Offer {
	if o == nil {
		return nil
	}
	return []Offer{*o}
}

func askOf(f *playbook.Flow, key string) (playbook.Ask, bool) {
	for _, st := range f.Steps {
		for _, a := range st.Asks {
			if a.Key == key {
				return a, true
			}
		}
	}
	return playbook.Ask{}, false
}
