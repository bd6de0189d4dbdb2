package execution

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/validation"
)

// StaleError says the solution is no longer in the state the agent saw: someone else
// moved it first. The API answers 409 with Current so the agent can reload.
type StaleError struct {
	SolutionID int64 `json:"solution_id"`
	Saw        State `json:"saw"`
	Current    State `json:"current"`
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("方案已是「%s」(你看到的是「%s」)，请刷新后再操作", StateLabel(e.Current), StateLabel(e.Saw))
}

// TransitionError says the kind has no transition From → To (a skipped or backward
// step, a final state, an unknown state or kind).
type TransitionError struct {
	Kind Kind  `json:"kind"`
	From State `json:"from"`
	To   State `json:"to"`
}

func (e *TransitionError) Error() string {
	if !e.Kind.Valid() {
		return fmt.Sprintf("未知的方案 %q", e.Kind)
	}
	if Final(e.From) {
		return fmt.Sprintf("%s已是「%s」，不能再改", KindLabel(e.Kind), StateLabel(e.From))
	}
	return fmt.Sprintf("%s不能从「%s」改为「%s」", KindLabel(e.Kind), StateLabel(e.From), StateLabel(e.To))
}

const (
	maxItems   = 20
	maxPhotos  = 20
	maxCount   = 10000
	maxNote    = 500
	maxReason  = 200
	maxCourier = 32
	maxItem    = 64
	// maxAmount bounds any amount so that a typo of extra digits is caught.
	maxAmount = money.Amount(10_000_000 * 100)
)

var (
	trackingPattern  = regexp.MustCompile(`^[A-Za-z0-9]{6,40}$`)
	referencePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{4,64}$`)
	hashPattern      = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// Open starts the execution of an accepted solution in its Start state, with the data
// that state holds: reship lists its items, a courier claim its courier and claim
// number. Every problem is reported at once as a validation.Error.
func Open(o Opening, actor string, at time.Time) (Solution, error) {
	d := o.Data.trimmed()
	c := &checker{}
	c.actor(actor)
	c.check("id", o.ID <= 0, "缺少方案编号")
	c.check("kind", !o.Kind.Valid(), fmt.Sprintf("未知的方案 %q", o.Kind))
	c.amount("amount", o.Amount)
	c.amount("order_amount", o.OrderAmount)
	c.text("note", d.Note, maxNote, "")
	s := Solution{ID: o.ID, Kind: o.Kind, State: Start(o.Kind, o.NeedsApproval, d.Mode), Amount: o.Amount,
		OrderAmount: o.OrderAmount, OriginalTrackingNo: strings.TrimSpace(o.OriginalTrackingNo), Freight: o.Freight}
	c.tracking("original_tracking_no", s.OriginalTrackingNo, false, "")
	switch o.Kind {
	case KindCompensation, KindPriceDifference:
		c.check("amount", o.Amount <= 0, "请填写打款金额")
		c.payee(d.Payee, false)
		s.Payee, s.AfterGoodReview = d.Payee, d.AfterGoodReview
	case KindNextOrderDiscount:
		c.check("amount", o.Amount <= 0, "请填写优惠金额")
	case KindRepair:
		c.check("mode", d.Mode != RepairSendIn && d.Mode != RepairOnSite, "请选择维修方式: 寄修(send_in)或上门(on_site)")
		c.text("part", d.Part, maxItem, "")
		c.check("warranty", o.Warranty == nil, "缺少保修判断")
		s.Mode, s.Part, s.RepairNo, s.Warranty, s.AppointmentAt = d.Mode, d.Part, o.RepairNo, o.Warranty, d.AppointmentAt
	case KindRefurbish:
		c.check("amount", o.Amount <= 0, "补色翻新须填写顾客承担的费用")
	case KindReship:
		c.items(d.Items)
		s.Items = d.Items
	case KindExchange, KindReturnRefund:
		c.text("return_courier", d.ReturnCourier, maxCourier, "")
		c.tracking("return_tracking_no", d.ReturnTrackingNo, false, "")
		s.ReturnCourier, s.ReturnTrackingNo = d.ReturnCourier, d.ReturnTrackingNo
	case KindRefundOnly:
		c.refundCap("amount", o.Amount, o.OrderAmount)
	case KindCourierClaim:
		c.text("courier", d.Courier, maxCourier, "请填写索赔的快递公司")
		c.reference("claim_no", d.ClaimNo, "请填写索赔单号", "索赔单号")
		s.ClaimCourier, s.ClaimNo = d.Courier, d.ClaimNo
	}
	if err := c.err(); err != nil {
		return Solution{}, err
	}
	s.History = []HistoryEntry{{To: s.State, Actor: actor, At: at, Note: d.Note}}
	return s, nil
}

// Step moves s as t asks, by actor at at, and returns the new solution; s itself is
// never modified. It refuses, in this order: a transition for another solution
// (validation.Error), a From that is not s.State (*StaleError), a transition the
// kind does not have (*TransitionError), missing or malformed data
// (validation.Error, every field at once).
//
// A bad inspection (a bad item, or marked failed) on awaiting_return → received does
// not go on: the solution lands in reopened and the agent must choose again. The
// history entry records the state reached, and Step accepts that recorded
// transition (awaiting_return → reopened with the same inspection) on replay.
func Step(s Solution, t Transition, actor string, at time.Time) (Solution, error) {
	if t.SolutionID != s.ID {
		return s, validation.Error{{Field: "solution_id", Message: "方案编号不符"}}
	}
	if t.From != s.State {
		return s, &StaleError{SolutionID: s.ID, Saw: t.From, Current: s.State}
	}
	if !allowed(s, t.To) {
		return s, &TransitionError{Kind: s.Kind, From: t.From, To: t.To}
	}
	d := t.Data.trimmed()
	c := &checker{}
	c.actor(actor)
	c.text("note", d.Note, maxNote, "")
	next, to := s, t.To
	switch t.To {
	case StateCancelled:
		c.text("reason", d.Reason, maxReason, "请填写取消原因")
		next.Reason = d.Reason
	case StateApproved:
		c.payee(d.Payee, false)
		c.check("payee", t.From == StateApproved && d.Payee == nil && !d.ReviewConfirmed, "请填写收款账号或确认顾客已好评")
		if d.Payee != nil {
			next.Payee = d.Payee
		}
		next.ReviewConfirmed = s.ReviewConfirmed || d.ReviewConfirmed
	case StatePaid:
		c.reference("reference", d.Reference, "请填写打款流水号", "打款流水号")
		c.payee(d.Payee, false)
		if d.Payee != nil { // paid in one go with where it went
			next.Payee = d.Payee
		}
		c.check("payee", next.Payee == nil, "请填写收款方式和账号")
		c.check("review", s.AfterGoodReview && !s.ReviewConfirmed, "约定好评后打款: 请先确认顾客已好评")
		next.Reference = d.Reference
	case StatePayFailed:
		c.text("reason", d.Reason, maxReason, "请填写打款失败的原因")
		next.Reason = d.Reason
	case StateIssued:
		c.text("coupon_code", d.CouponCode, maxItem, "")
		c.check("coupon_code", d.CouponCode == "" && d.Note == "", "请填写优惠券码或发放说明")
		next.CouponCode = d.CouponCode
	case StateScheduled:
		c.check("appointment_at", d.AppointmentAt == nil, "请填写上门时间")
		next.AppointmentAt = d.AppointmentAt
	case StateFeePaid:
		c.reference("reference", d.Reference, "请填写收款流水号", "收款流水号")
		next.Reference = d.Reference
	case StateShipped, StateReplacementShipped:
		c.text("courier", d.Courier, maxCourier, "请填写快递公司")
		c.tracking("tracking_no", d.TrackingNo, true, "请填写快递单号")
		next.Courier, next.TrackingNo = d.Courier, d.TrackingNo
	case StateAwaitingReturn:
		c.text("return_courier", d.ReturnCourier, maxCourier, "")
		c.tracking("return_tracking_no", d.ReturnTrackingNo, true, "请填写顾客的退货快递单号")
		next.ReturnCourier, next.ReturnTrackingNo = d.ReturnCourier, d.ReturnTrackingNo
	case StateReceived, StateReopened:
		if s.Kind == KindRepair || s.Kind == KindRefurbish {
			break // the item came in for work: no inspection decides anything
		}
		c.text("return_courier", d.ReturnCourier, maxCourier, "")
		c.tracking("return_tracking_no", d.ReturnTrackingNo, s.ReturnTrackingNo == "", "请填写顾客的退货快递单号")
		if d.ReturnTrackingNo != "" {
			next.ReturnCourier, next.ReturnTrackingNo = d.ReturnCourier, d.ReturnTrackingNo
		}
		c.inspection(d.Inspection)
		if d.Inspection != nil {
			c.check("inspection", t.To == StateReopened && !d.Inspection.IsBad(), "验货合格，不能重新决定，请选择「已收货验货」")
			next.Inspection = d.Inspection
			if d.Inspection.IsBad() {
				to = StateReopened
			}
		}
	case StateRefunded:
		c.refundCap("amount", d.Amount, s.OrderAmount)
		c.check("amount", d.Amount == 0, "请填写退款金额")
		c.reference("reference", d.Reference, "请填写退款流水号", "退款流水号")
		next.RefundAmount, next.Reference = d.Amount, d.Reference
	case StateSettled:
		c.amount("amount", d.Amount)
		c.check("amount", d.Amount == 0, "请填写快递赔付金额")
		c.reference("reference", d.Reference, "", "赔付流水号")
		next.SettledAmount, next.Reference = d.Amount, d.Reference
	case StateRejected:
		c.text("reason", d.Reason, maxReason, "请填写快递拒赔的原因")
		next.Reason = d.Reason
	}
	if err := c.err(); err != nil {
		return s, err
	}
	next.State = to
	next.History = append(slices.Clip(s.History), HistoryEntry{From: t.From, To: to, Actor: actor, At: at, Note: d.Note})
	return next, nil
}

// trimmed is d with surrounding spaces removed and its slices and inspection copied,
// so that a Solution never shares memory with the input it was built from.
func (d Data) trimmed() Data {
	trim := strings.TrimSpace
	d.Courier, d.TrackingNo, d.ReturnCourier, d.ReturnTrackingNo = trim(d.Courier), trim(d.TrackingNo), trim(d.ReturnCourier), trim(d.ReturnTrackingNo)
	d.Reference, d.ClaimNo, d.Reason, d.Note = trim(d.Reference), trim(d.ClaimNo), trim(d.Reason), trim(d.Note)
	d.Mode, d.Part, d.CouponCode = trim(d.Mode), trim(d.Part), trim(d.CouponCode)
	if d.Payee != nil {
		p := Payee{Channel: trim(d.Payee.Channel), Account: trim(d.Payee.Account), Name: trim(d.Payee.Name)}
		d.Payee = &p
	}
	items := make([]string, 0, len(d.Items))
	for _, it := range d.Items {
		items = append(items, trim(it))
	}
	d.Items = items
	if d.Inspection != nil {
		in := *d.Inspection
		in.Note = trim(in.Note)
		in.Photos = slices.Clone(in.Photos)
		d.Inspection = &in
	}
	return d
}

// checker collects field errors, at most one per field (the first found).
type checker struct{ errs validation.Error }

func (c *checker) check(field string, bad bool, msg string) {
	if !bad {
		return
	}
	for _, f := range c.errs {
		if f.Field == field {
			return
		}
	}
	c.errs = append(c.errs, validation.FieldError{Field: field, Message: msg})
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}

func (c *checker) actor(actor string) {
	c.check("actor", strings.TrimSpace(actor) == "", "缺少操作人")
}

// text checks a free text of at most max characters; a non-empty missing message makes
// it required.
func (c *checker) text(field, v string, max int, missing string) {
	c.check(field, missing != "" && v == "", missing)
	c.check(field, utf8.RuneCountInString(v) > max, fmt.Sprintf("不能超过%d个字", max))
}

func (c *checker) tracking(field, v string, required bool, missing string) {
	c.check(field, required && v == "", missing)
	c.check(field, v != "" && !trackingPattern.MatchString(v), "快递单号须为6-40位字母或数字")
}

// reference checks a transaction or claim number; an empty missing message makes it
// optional.
func (c *checker) reference(field, v, missing, name string) {
	c.check(field, missing != "" && v == "", missing)
	c.check(field, v != "" && !referencePattern.MatchString(v), name+"须为4-64位字母、数字、下划线或短横线")
}

func (c *checker) amount(field string, a money.Amount) {
	c.check(field, a < 0, "金额不能为负数")
	c.check(field, a > maxAmount, "金额不能超过1000万元")
}

// refundCap checks a refund amount: not negative, and not above the order amount when
// the order amount is known.
func (c *checker) refundCap(field string, a, order money.Amount) {
	c.amount(field, a)
	c.check(field, order > 0 && a > order, fmt.Sprintf("退款金额不能超过实付金额%s元", order))
}

var alipayAccount = regexp.MustCompile(`^(1[3-9][0-9]{9}|[^@\s]{1,64}@[^@\s]{1,255}\.[a-zA-Z]{2,})$`)

// payee checks where a payout goes: Alipay needs an account (phone or e-mail) and the
// real name; a platform payout goes to the order and needs neither.
func (c *checker) payee(p *Payee, required bool) {
	if p == nil {
		c.check("payee", required, "请填写收款账号")
		return
	}
	switch p.Channel {
	case PayAlipay:
		c.check("payee.account", !alipayAccount.MatchString(p.Account), "支付宝账号须为手机号或邮箱")
		c.text("payee.name", p.Name, 32, "请填写收款人真实姓名")
	case PayPlatform:
		c.text("payee.account", p.Account, 64, "")
	default:
		c.check("payee.channel", true, "收款方式须为支付宝(alipay)或平台小额打款(platform)")
	}
}

func (c *checker) items(items []string) {
	c.check("items", len(items) == 0, "请列出补发的配件或商品")
	c.check("items", len(items) > maxItems, fmt.Sprintf("补发清单最多%d项", maxItems))
	for _, it := range items {
		c.check("items", it == "" || utf8.RuneCountInString(it) > maxItem, fmt.Sprintf("补发清单每项须为1-%d个字", maxItem))
	}
}

func (c *checker) inspection(in *Inspection) {
	if in == nil {
		c.check("inspection", true, "请填写验货结果")
		return
	}
	c.check("inspection.good", in.Good < 0, "良品数量不能为负数")
	c.check("inspection.bad", in.Bad < 0, "不良品数量不能为负数")
	c.check("inspection.good", in.Good > maxCount, "良品数量过大")
	c.check("inspection.bad", in.Bad > maxCount, "不良品数量过大")
	c.check("inspection.good", in.Good == 0 && in.Bad == 0 && !in.Failed, "请填写验货件数")
	c.check("inspection.photos", in.IsBad() && len(in.Photos) == 0, "验货不合格须上传照片")
	c.check("inspection.photos", len(in.Photos) > maxPhotos, fmt.Sprintf("验货照片最多%d张", maxPhotos))
	for _, h := range in.Photos {
		c.check("inspection.photos", !hashPattern.MatchString(h), "验货照片须为已上传证据的哈希")
	}
	c.text("inspection.note", in.Note, maxNote, "")
	c.check("inspection.note", in.IsBad() && in.Note == "", "验货不合格请说明问题")
}
