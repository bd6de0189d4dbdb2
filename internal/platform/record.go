package platform

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

// Record is a platform after-sale record as any way in delivers it (file import,
// intake API, connector): raw values, the platform's own words.
type Record struct {
	Platform cases.Platform `json:"platform"`
	// Shop is the shop's code; "" is the business's only shop.
	Shop         string       `json:"shop,omitempty"`
	AfterSaleID  string       `json:"aftersale_id"`
	OrderNo      string       `json:"order_no"`
	Type         string       `json:"type"`
	Status       string       `json:"status"`
	Intervention string       `json:"intervention,omitempty"`
	RefundAmount money.Amount `json:"refund_amount"`
	OrderAmount  money.Amount `json:"order_amount,omitempty"`
	// Deadline is the platform's own timeout of the current step, when it gives one.
	Deadline    *time.Time `json:"deadline,omitempty"`
	AppliedAt   *time.Time `json:"applied_at,omitempty"`
	ModifiedAt  *time.Time `json:"modified_at,omitempty"`
	BuyerNick   string     `json:"buyer_nick"`
	BuyerPhone  string     `json:"buyer_phone,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	Description string     `json:"description,omitempty"`
	SKU         string     `json:"sku,omitempty"`
	// ProblemType is the case's problem type (SOP §8) for a new case; empty: read
	// from the reason.
	ProblemType cases.ProblemType `json:"problem_type,omitempty"`
}

// Key identifies a record: (platform, shop, after-sale id).
func (r Record) Key() string { return string(r.Platform) + "|" + r.Shop + "|" + r.AfterSaleID }

var (
	idPattern   = regexp.MustCompile(`^[A-Za-z0-9_-]{2,64}$`)
	shopPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{0,64}$`)
)

// Checked is a record that passed: the after-sale record for the case and, for a new
// case, its intake form.
type Checked struct {
	Record    Record
	AfterSale cases.AfterSale
}

// Check reads a record against the catalog: every bad field is listed (field names as
// in the JSON), nothing is guessed. Source is recorded on the after-sale record.
func (c *Catalog) Check(r Record, source string, now time.Time) (Checked, cases.ValidationError) {
	r.Shop, r.AfterSaleID, r.OrderNo = strings.TrimSpace(r.Shop), strings.TrimSpace(r.AfterSaleID), strings.TrimSpace(r.OrderNo)
	r.BuyerNick, r.Status, r.Type = strings.TrimSpace(r.BuyerNick), strings.TrimSpace(r.Status), strings.TrimSpace(r.Type)
	r.Intervention = strings.TrimSpace(r.Intervention)
	var errs cases.ValidationError
	bad := func(f, msg string) {
		if !errs.Has(f) {
			errs = append(errs, cases.FieldError{Field: f, Message: msg})
		}
	}
	m, ok := c.Model(r.Platform)
	if !ok {
		bad("platform", fmt.Sprintf("未知的平台 %q,须为 taobao、tmall、jd、douyin、pinduoduo 之一", r.Platform))
		return Checked{Record: r}, errs
	}
	if !idPattern.MatchString(r.AfterSaleID) {
		bad("aftersale_id", "售后单号(退款编号)须为2-64位字母、数字、下划线或短横线")
	}
	if !shopPattern.MatchString(r.Shop) {
		bad("shop", "店铺代码须为字母、数字、下划线或短横线,最多64位")
	}
	out := cases.AfterSale{Platform: r.Platform, Shop: r.Shop, ID: r.AfterSaleID, OrderNo: r.OrderNo, RawStatus: r.Status,
		Intervention: r.Intervention, RefundAmount: r.RefundAmount, Reason: strings.TrimSpace(r.Reason), Source: source, ModifiedAt: r.ModifiedAt}
	if r.Type == "" {
		bad("type", "请填写售后类型")
	}
	if r.Status == "" {
		bad("status", "请填写售后状态")
	}
	if t, ok := m.Type(r.Type); ok {
		out.Type, out.TypeLabel = t.Type, t.Label
	} else if code, ok := canonicalType(r.Type); ok {
		// The platform's own words, or the canonical type's Chinese name for its code
		// (an ERP's mapping gives refund_only): never a code on the case.
		out.Type, out.TypeLabel = code, r.Type
		if r.Type == code {
			out.TypeLabel, _ = cases.LabelOf(Types, code)
		}
	} else {
		bad("type", fmt.Sprintf("%s没有售后类型 %q(可用:%s)", m.Name, r.Type, m.typeNames()))
	}
	mapped, err := c.Map(r.Platform, r.Status, r.Intervention)
	if err != nil {
		field := "status"
		if _, ok := m.Status(r.Status); ok {
			field = "intervention"
		}
		bad(field, err.Error())
	} else {
		out.Status, out.StatusLabel, out.Intervened = mapped.State, mapped.Status.Label, mapped.Intervened
		out.InterventionLabel, out.Actor, out.Expect = mapped.InterventionLabel, mapped.Actor, mapped.Expect
		out.Deadline = deadline(r, mapped)
	}
	if r.RefundAmount < 0 || r.RefundAmount > money.Yuan(10_000_000) {
		bad("refund_amount", "退款金额须在0到1000万元之间")
	}
	if r.OrderAmount < 0 || r.OrderAmount > money.Yuan(10_000_000) {
		bad("order_amount", "订单金额须在0到1000万元之间")
	}
	for _, t := range []struct {
		f string
		v *time.Time
	}{{"applied_at", r.AppliedAt}, {"modified_at", r.ModifiedAt}} {
		if t.v != nil && t.v.After(now.Add(time.Minute)) {
			bad(t.f, "时间不能晚于现在")
		}
	}
	if utf8.RuneCountInString(out.Reason) > 200 {
		bad("reason", "退款原因不能超过200个字")
	}
	if r.ProblemType != "" && (!r.ProblemType.Valid() || r.ProblemType == cases.TypePresale) {
		bad("problem_type", fmt.Sprintf("未知的问题类型 %q", r.ProblemType))
	}
	// The intake of a new case must pass the form's own checks too.
	in := IntakeOf(r, out)
	if verr := in.Validate(now); verr != nil {
		for _, fe := range verr.(cases.ValidationError) {
			switch fe.Field {
			case "customer_name":
				bad("buyer_nick", "请填写买家昵称")
			case "order_no":
				bad("order_no", fe.Message)
			case "customer_phone":
				bad("buyer_phone", fe.Message)
			case "amount":
				bad("order_amount", fe.Message)
			case "description":
				bad("description", fe.Message)
			}
		}
	}
	if len(errs) > 0 {
		return Checked{Record: r}, errs
	}
	return Checked{Record: r, AfterSale: out}, nil
}

func (m *Model) typeNames() string {
	names := make([]string, len(m.Types))
	for i, t := range m.Types {
		names[i] = t.Label
	}
	return strings.Join(names, "、")
}

// deadline is the platform's own deadline when the source gives it; otherwise the
// step's timeout from the data file counted from the platform's last change (never
// from the time of the import, so importing twice gives the same deadline).
func deadline(r Record, m Mapped) *time.Time {
	if m.Actor == "" || Terminal(m.State) {
		return nil
	}
	if r.Deadline != nil {
		t := r.Deadline.UTC()
		return &t
	}
	from := r.ModifiedAt
	if from == nil {
		from = r.AppliedAt
	}
	if from == nil || m.Hours == 0 {
		return nil
	}
	t := from.UTC().Add(time.Duration(m.Hours) * time.Hour)
	return &t
}

// reasonTypes reads the problem type of a new case from the platform's reason text.
var reasonTypes = []struct {
	words []string
	t     cases.ProblemType
}{
	{[]string{"破损", "压坏", "碎"}, cases.TypeDamaged},
	{[]string{"漏水", "漏液"}, cases.TypeLeak},
	{[]string{"质量", "故障", "不工作", "坏了", "无法使用"}, cases.TypeMalfunction},
	{[]string{"瑕疵", "划痕", "污渍", "色差"}, cases.TypeFlaw},
	{[]string{"少件", "漏发", "缺件"}, cases.TypeMissing},
	{[]string{"错发", "发错", "与描述不符", "描述不符"}, cases.TypeWrong},
	{[]string{"未收到", "没收到", "未送达"}, cases.TypeNotReceived},
	{[]string{"丢件", "丢失"}, cases.TypeLost},
	{[]string{"尺码", "大小"}, cases.TypePersonalSize},
	{[]string{"未按约定时间发货", "发货慢", "催发货"}, cases.TypeChase},
}

// ProblemTypeOf is the problem type a reason text names (个人原因 when none does:
// 不想要了, 七天无理由, 拍错 …).
func ProblemTypeOf(reason string) cases.ProblemType {
	for _, rt := range reasonTypes {
		for _, w := range rt.words {
			if strings.Contains(reason, w) {
				return rt.t
			}
		}
	}
	return cases.TypeDislike
}

var demands = map[string]cases.Demand{
	"refund_only": cases.DemandRefundOnly, "return_refund": cases.DemandReturnRefund, "exchange": cases.DemandExchange,
	"reship": cases.DemandReship, "repair": cases.DemandRepair, "price_protect": cases.DemandCompensation,
}

// IntakeOf is the intake form of the case a new record opens.
func IntakeOf(r Record, a cases.AfterSale) cases.Intake {
	t := r.ProblemType
	if t == "" {
		t = ProblemTypeOf(a.Reason + " " + r.Description)
	}
	desc := strings.TrimSpace(strings.Join([]string{a.Reason, strings.TrimSpace(r.Description)}, " "))
	if desc == "" {
		desc = "平台售后单 " + a.ID
	}
	desc = fmt.Sprintf("[%s售后 %s %s] %s", cases.PlatformLabel(r.Platform), a.ID, a.TypeLabel, desc)
	amount := r.OrderAmount
	if amount == 0 {
		amount = r.RefundAmount
	}
	in := cases.Intake{CustomerName: strings.TrimSpace(r.BuyerNick), CustomerPhone: strings.TrimSpace(r.BuyerPhone), Platform: r.Platform,
		OrderNo: strings.TrimSpace(r.OrderNo), Amount: amount, SKU: strings.TrimSpace(r.SKU), Type: t, Description: desc,
		Demand: demands[a.Type]}
	in.Normalize()
	return in
}

// Same reports whether two after-sale records say the same (the source and the
// platform's modification time aside, and the raw spelling of a status: a code and
// its back-office label are the same status): a re-import of an unchanged row changes nothing.
func Same(a, b cases.AfterSale) bool {
	a.Source, b.Source, a.ModifiedAt, b.ModifiedAt = "", "", nil, nil
	return a.Platform == b.Platform && a.Shop == b.Shop && a.ID == b.ID && a.OrderNo == b.OrderNo && a.Type == b.Type &&
		a.TypeLabel == b.TypeLabel && a.StatusLabel == b.StatusLabel && a.Status == b.Status &&
		a.InterventionLabel == b.InterventionLabel && a.Intervened == b.Intervened &&
		a.RefundAmount == b.RefundAmount && timeEq(a.Deadline, b.Deadline) && a.Actor == b.Actor && a.Expect == b.Expect && a.Reason == b.Reason
}

// StatusChanged reports whether the status itself moved (not only amounts or deadline).
func StatusChanged(old *cases.AfterSale, next cases.AfterSale) bool {
	return old == nil || old.StatusLabel != next.StatusLabel || old.Status != next.Status || old.InterventionLabel != next.InterventionLabel
}

func timeEq(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// canonicalType reads a canonical type by its code or Chinese name (what an ERP's own
// type words are translated to).
func canonicalType(v string) (string, bool) {
	for _, t := range Types {
		if t.Code == v || t.Label == v {
			return t.Code, true
		}
	}
	return "", false
}
