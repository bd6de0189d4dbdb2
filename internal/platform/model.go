// Package platform knows the platforms' after-sale records: data files per platform
// (data/*.yaml, embedded) map each raw status — the API code or the back office's
// Chinese text — and the intervention/arbitration status to a small canonical set, with
// what the platform expects from whom next and its timeout. It also reads the
// back offices' and ERPs' after-sale exports (sources.go), checks records from any way
// in (record.go) and polls live platform APIs through connectors (connector.go).
package platform

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/shouhou/shouhou/internal/cases"
)

//go:embed data/*.yaml
var dataFS embed.FS

// Canonical states of a platform after-sale record.
const (
	Requested              = "requested"                // 待卖家处理申请
	AwaitingReturn         = "awaiting_return"          // 待买家退货
	ReturnedAwaitingSeller = "returned_awaiting_seller" // 买家已退货,待卖家处理
	AwaitingSellerShip     = "awaiting_seller_ship"     // 待卖家发出换货/补寄
	AwaitingBuyer          = "awaiting_buyer"           // 待买家确认/处理
	Refunded               = "refunded"                 // 已退款
	Completed              = "completed"                // 换货/补寄/维修完成
	Refused                = "refused"                  // 卖家已拒绝
	Closed                 = "closed"                   // 关闭/撤销
	Intervened             = "intervened"               // 平台介入/仲裁中
)

// States lists the canonical states with their Chinese names, in flow order.
var States = []cases.Code{
	{Code: Requested, Label: "待卖家处理"}, {Code: AwaitingReturn, Label: "待买家退货"},
	{Code: ReturnedAwaitingSeller, Label: "买家已退货待卖家处理"}, {Code: AwaitingSellerShip, Label: "待卖家发货"},
	{Code: AwaitingBuyer, Label: "待买家确认"}, {Code: Refunded, Label: "已退款"}, {Code: Completed, Label: "已完成"},
	{Code: Refused, Label: "卖家已拒绝"}, {Code: Closed, Label: "已关闭"}, {Code: Intervened, Label: "平台介入中"},
}

// Types lists the canonical after-sale types.
var Types = []cases.Code{
	{Code: "refund_only", Label: "仅退款"}, {Code: "return_refund", Label: "退货退款"}, {Code: "exchange", Label: "换货"},
	{Code: "reship", Label: "补寄"}, {Code: "repair", Label: "维修"}, {Code: "price_protect", Label: "价保"}, {Code: "other", Label: "其他"},
}

// Actors who may owe the next step.
var actors = map[string]string{"": "", "seller": "卖家", "buyer": "买家", "platform": "平台"}

// StateLabel names a canonical state in Chinese.
func StateLabel(s string) string {
	if l, ok := cases.LabelOf(States, s); ok {
		return l
	}
	return s
}

// Terminal reports whether a canonical state ends the record.
func Terminal(s string) bool { return s == Refunded || s == Completed || s == Closed }

// Status is one raw status of a platform and what it means.
type Status struct {
	Code   string   `yaml:"code"`
	Label  string   `yaml:"label"`
	Also   []string `yaml:"also"`
	State  string   `yaml:"status"`
	Actor  string   `yaml:"actor"`
	Expect string   `yaml:"expect"`
	// Hours is the platform's timeout for the step, used when the source gives none.
	Hours int `yaml:"hours"`
}

// Intervention is one raw intervention/arbitration status; Active ones put the record
// in the intervened state (unless it has ended) and may say who owes the next step.
type Intervention struct {
	Code   string   `yaml:"code"`
	Label  string   `yaml:"label"`
	Also   []string `yaml:"also"`
	Active bool     `yaml:"active"`
	Actor  string   `yaml:"actor"`
	Expect string   `yaml:"expect"`
	Hours  int      `yaml:"hours"`
}

// Type is one raw after-sale type.
type Type struct {
	Codes []string `yaml:"codes"`
	Label string   `yaml:"label"`
	Type  string   `yaml:"type"`
}

// Model is one data file: the platforms it covers and their vocabularies.
type Model struct {
	File          string         `yaml:"-"`
	Platforms     []string       `yaml:"platforms"`
	Name          string         `yaml:"name"`
	Types         []Type         `yaml:"types"`
	Statuses      []Status       `yaml:"statuses"`
	Interventions []Intervention `yaml:"interventions"`
}

// Catalog is every platform's model, by platform code.
type Catalog struct {
	models []*Model
	by     map[cases.Platform]*Model
}

// Load reads the embedded data files and checks them.
func Load() (*Catalog, error) {
	sub, err := fs.Sub(dataFS, "data")
	if err != nil {
		return nil, err
	}
	return LoadFS(sub)
}

// MustLoad is Load for the built-in files, which a test keeps valid.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// LoadFS reads every .yaml file of fsys as a platform model: an unknown canonical
// state, type or actor, a duplicate raw value or a platform covered twice is an error.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	cat := &Catalog{by: map[cases.Platform]*Model{}}
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		m := &Model{File: path.Base(name)}
		if err := yaml.UnmarshalWithOptions(raw, m, yaml.Strict()); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := m.check(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, p := range m.Platforms {
			if _, dup := cat.by[cases.Platform(p)]; dup {
				return nil, fmt.Errorf("%s: platform %q is described by two files", name, p)
			}
			cat.by[cases.Platform(p)] = m
		}
		cat.models = append(cat.models, m)
	}
	if len(cat.models) == 0 {
		return nil, fmt.Errorf("no platform data files")
	}
	return cat, nil
}

func (m *Model) check() error {
	if len(m.Platforms) == 0 || m.Name == "" {
		return fmt.Errorf("platforms and name are required")
	}
	for _, p := range m.Platforms {
		if !cases.Platform(p).Valid() || p == string(cases.PlatformOther) {
			return fmt.Errorf("unknown platform %q", p)
		}
	}
	seen := map[string]string{}
	claim := func(kind, v, owner string) error {
		k := kind + ":" + norm(v)
		if prev, dup := seen[k]; dup && prev != owner {
			return fmt.Errorf("%s %q names both %s and %s", kind, v, prev, owner)
		}
		seen[k] = owner
		return nil
	}
	for _, t := range m.Types {
		if _, ok := cases.LabelOf(Types, t.Type); !ok {
			return fmt.Errorf("type %q: unknown canonical type %q", t.Label, t.Type)
		}
		for _, c := range append(slices.Clone(t.Codes), t.Label) {
			if err := claim("type", c, t.Label); err != nil {
				return err
			}
		}
	}
	for _, s := range m.Statuses {
		if _, ok := cases.LabelOf(States, s.State); !ok {
			return fmt.Errorf("status %q: unknown canonical state %q", s.Code, s.State)
		}
		if _, ok := actors[s.Actor]; !ok {
			return fmt.Errorf("status %q: unknown actor %q (seller, buyer, platform)", s.Code, s.Actor)
		}
		if s.Code == "" || s.Label == "" || (s.Actor != "" && s.Expect == "") || s.Hours < 0 {
			return fmt.Errorf("status %q: code, label, and expect for an actor are required; hours ≥ 0", s.Code)
		}
		for _, c := range append([]string{s.Code, s.Label}, s.Also...) {
			if err := claim("status", c, s.Code); err != nil {
				return err
			}
		}
	}
	for _, iv := range m.Interventions {
		if _, ok := actors[iv.Actor]; !ok {
			return fmt.Errorf("intervention %q: unknown actor %q", iv.Code, iv.Actor)
		}
		if iv.Code == "" || iv.Label == "" {
			return fmt.Errorf("intervention: code and label are required")
		}
		for _, c := range append([]string{iv.Code, iv.Label}, iv.Also...) {
			if err := claim("intervention", c, iv.Code); err != nil {
				return err
			}
		}
	}
	return nil
}

// norm makes back-office text comparable: no spaces, ASCII punctuation, codes upper.
func norm(s string) string {
	s = strings.NewReplacer("，", ",", "：", ":", "（", "(", "）", ")", " ", "", "\u3000", "").Replace(strings.TrimSpace(s))
	return strings.ToUpper(s)
}

// Models lists the data files' models in file order.
func (c *Catalog) Models() []*Model { return c.models }

// Model is the model of a platform.
func (c *Catalog) Model(p cases.Platform) (*Model, bool) {
	m, ok := c.by[p]
	return m, ok
}

// Status finds a raw status by its code, label or another name.
func (m *Model) Status(raw string) (Status, bool) {
	n := norm(raw)
	for _, s := range m.Statuses {
		if norm(s.Code) == n || norm(s.Label) == n || slices.ContainsFunc(s.Also, func(a string) bool { return norm(a) == n }) {
			return s, true
		}
	}
	return Status{}, false
}

// Intervention finds a raw intervention status.
func (m *Model) Intervention(raw string) (Intervention, bool) {
	n := norm(raw)
	for _, iv := range m.Interventions {
		if norm(iv.Code) == n || norm(iv.Label) == n || slices.ContainsFunc(iv.Also, func(a string) bool { return norm(a) == n }) {
			return iv, true
		}
	}
	return Intervention{}, false
}

// Type finds a raw after-sale type.
func (m *Model) Type(raw string) (Type, bool) {
	n := norm(raw)
	for _, t := range m.Types {
		if norm(t.Label) == n || slices.ContainsFunc(t.Codes, func(a string) bool { return norm(a) == n }) {
			return t, true
		}
	}
	return Type{}, false
}

// Mapped is what a raw status and intervention mean.
type Mapped struct {
	Status            Status
	State             string
	Intervened        bool
	InterventionLabel string
	Actor             string
	Expect            string
	Hours             int
}

// Map reads a raw status and intervention status of platform p. An unknown raw value
// is an error naming what the data file knows.
func (c *Catalog) Map(p cases.Platform, rawStatus, rawIntervention string) (Mapped, error) {
	m, ok := c.Model(p)
	if !ok {
		return Mapped{}, fmt.Errorf("没有%s平台的售后状态数据", cases.PlatformLabel(p))
	}
	st, ok := m.Status(rawStatus)
	if !ok {
		return Mapped{}, fmt.Errorf("%s没有售后状态 %q", m.Name, rawStatus)
	}
	out := Mapped{Status: st, State: st.State, Actor: st.Actor, Expect: st.Expect, Hours: st.Hours}
	if strings.TrimSpace(rawIntervention) == "" {
		return out, nil
	}
	iv, ok := m.Intervention(rawIntervention)
	if !ok {
		return Mapped{}, fmt.Errorf("%s没有介入/仲裁状态 %q", m.Name, rawIntervention)
	}
	out.InterventionLabel = iv.Label
	if iv.Active && !Terminal(st.State) {
		out.Intervened, out.State = true, Intervened
		if iv.Actor != "" {
			out.Actor, out.Expect, out.Hours = iv.Actor, iv.Expect, iv.Hours
		}
	}
	return out, nil
}

// Expectation is the guide's sentence for what the platform expects next, e.g.
// 卖家需在12月3日 10:00前处理退款申请 ("" when nobody owes a step).
func Expectation(a *cases.AfterSale, zone *time.Location) string {
	if a == nil || a.Actor == "" || a.Expect == "" || Terminal(a.Status) {
		return ""
	}
	who := actors[a.Actor]
	if a.Deadline == nil {
		return who + "需" + a.Expect
	}
	return who + "需在" + a.Deadline.In(zone).Format("1月2日 15:04") + "前" + a.Expect
}
