package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/tracking"
)

// Bounds of a warehouse receipt (仓库收货).
const (
	maxReceiptItems  = 20
	maxReceiptItem   = 64
	maxReceiptCount  = 999
	maxReceiptPhotos = 9
	maxReceiptRemark = 500
)

// Receipt is what the warehouse found in a returned parcel: the items, how many are
// good and bad, photos (stored evidence) and remarks. CaseID 0 is a parcel that matched
// no case (未知包裹).
type Receipt struct {
	CaseID int64            `json:"case_id"`
	Number string           `json:"number"`
	Items  []string         `json:"items"`
	Good   int              `json:"good"`
	Bad    int              `json:"bad"`
	Remark string           `json:"remark"`
	Photos []cases.Evidence `json:"photos"`
}

// Check validates a receipt; every problem is reported with its field, in Chinese.
func (r *Receipt) Check() error {
	var errs cases.ValidationError
	bad := func(field, msg string) { errs = append(errs, cases.FieldError{Field: field, Message: msg}) }
	r.Number = tracking.Normalize(r.Number)
	r.Remark = strings.TrimSpace(r.Remark)
	if !tracking.ValidNumber(r.Number) {
		bad("number", "请扫描或填写退货快递单号（6-40位字母或数字）")
	}
	items := r.Items[:0:0]
	for _, it := range r.Items {
		if it = strings.TrimSpace(it); it != "" {
			items = append(items, it)
		}
	}
	r.Items = items
	if len(r.Items) > maxReceiptItems {
		bad("items", fmt.Sprintf("收到的商品最多%d项", maxReceiptItems))
	}
	for _, it := range r.Items {
		if utf8.RuneCountInString(it) > maxReceiptItem {
			bad("items", fmt.Sprintf("每项商品名称最多%d个字", maxReceiptItem))
			break
		}
	}
	switch {
	case r.Good < 0 || r.Bad < 0:
		bad("good", "数量不能为负数")
	case r.Good > maxReceiptCount || r.Bad > maxReceiptCount:
		bad("good", "数量过大")
	case r.Good == 0 && r.Bad == 0:
		bad("good", "请填写良品和不良品数量")
	}
	if len(r.Photos) > maxReceiptPhotos {
		bad("photos", fmt.Sprintf("照片最多%d张", maxReceiptPhotos))
	}
	if r.Bad > 0 && len(r.Photos) == 0 {
		bad("photos", "有不良品时请拍照上传")
	}
	if r.Bad > 0 && r.Remark == "" {
		bad("remark", "有不良品时请写明问题")
	}
	if utf8.RuneCountInString(r.Remark) > maxReceiptRemark {
		bad("remark", fmt.Sprintf("备注最多%d个字", maxReceiptRemark))
	}
	if !store.CleanText(r.Remark) || !store.CleanText(strings.Join(r.Items, "")) {
		bad("remark", "文字含有无效字符")
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// ReturnMatch is a case a scanned number belongs to, as the warehouse sees it: no
// phone or address, the order, the product and what waits for the parcel.
type ReturnMatch struct {
	CaseID        int64  `json:"case_id"`
	CustomerName  string `json:"customer_name"`
	OrderNo       string `json:"order_no"`
	Platform      string `json:"platform"`
	SKU           string `json:"sku,omitempty"`
	Role          string `json:"role"`
	RoleLabel     string `json:"role_label"`
	SolutionID    int64  `json:"solution_id,omitempty"`
	SolutionLabel string `json:"solution_label,omitempty"`
	State         string `json:"state,omitempty"`
	StateLabel    string `json:"state_label,omitempty"`
	// Awaiting: an exchange or return waits for this parcel's inspection.
	Awaiting bool `json:"awaiting"`
	Received bool `json:"received"`
}

// FindReturns lists the cases a scanned or typed number belongs to.
func (d *Desk) FindReturns(ctx context.Context, number string) ([]ReturnMatch, error) {
	number = tracking.Normalize(number)
	if !tracking.ValidNumber(number) {
		return nil, invalid("number", "请扫描或填写退货快递单号（6-40位字母或数字）")
	}
	ps, err := d.parcelStore()
	if err != nil {
		return nil, err
	}
	rows, err := ps.ParcelsByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	out := []ReturnMatch{}
	for _, row := range rows {
		c, err := d.store.GetCase(ctx, row.CaseID)
		if err != nil {
			return nil, err
		}
		if c.Status == cases.StatusMerged {
			continue
		}
		m := ReturnMatch{CaseID: c.ID, CustomerName: c.CustomerName, OrderNo: c.OrderNo, Platform: cases.PlatformLabel(c.Platform), SKU: c.SKU,
			Role: row.Role, RoleLabel: tracking.Role(row.Role).Label()}
		if s, ok := returnAwaiting(c, number, false); ok {
			m.SolutionID, m.SolutionLabel, m.State, m.StateLabel = s.ID, execution.KindLabel(s.Kind), string(s.State), execution.StateLabelOf(s.Kind, s.State)
			m.Awaiting = s.State == execution.StateAwaitingReturn
			m.Received = s.Inspection != nil
		}
		out = append(out, m)
	}
	return out, nil
}

// returnAwaiting is the execution of c that waits for parcel number: the one that
// recorded it, else (any: a claimed parcel) the only return or exchange still waiting.
func returnAwaiting(c cases.Case, number string, any bool) (execution.Solution, bool) {
	for _, s := range slices.Backward(c.Executions) {
		if tracking.Normalize(s.ReturnTrackingNo) == number {
			return s, true
		}
	}
	if !any {
		return execution.Solution{}, false
	}
	var waiting []execution.Solution
	for _, s := range c.Executions {
		if s.State == execution.StateAwaitingReturn && s.ReturnTrackingNo == "" {
			waiting = append(waiting, s)
		}
	}
	if len(waiting) == 1 {
		return waiting[0], true
	}
	return execution.Solution{}, false
}

// Receive records the warehouse's receipt on the case the parcel belongs to: the
// photos as evidence, parcel.received, and — when a return or exchange waits for the
// parcel — the inspection that moves it (good: received, the refund or the replacement
// may go on; bad: the decision re-opens). The case's agent is notified.
func (d *Desk) Receive(ctx context.Context, actor Actor, r Receipt) (cases.Case, error) {
	if err := r.Check(); err != nil {
		return cases.Case{}, err
	}
	if r.CaseID <= 0 {
		return cases.Case{}, invalid("case_id", "请选择包裹所属的工单；找不到工单请登记为未知包裹")
	}
	return caseOnly(d.change(ctx, actor, r.CaseID, AnyVersion, func(tx store.Tx, c cases.Case) ([]draft, error) {
		on := slices.ContainsFunc(wantedParcels(c), func(p store.Parcel) bool { return p.Number == r.Number })
		if !on {
			return nil, invalid("number", fmt.Sprintf("单号 %s 不属于工单 #%d", r.Number, c.ID))
		}
		log, err := tx.Events(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, e := range log {
			if p, ok := cases.PayloadAs[cases.ParcelReceiptPayload](e); ok && p.Number == r.Number {
				// Two people scanning one parcel: the second receipt is refused, not doubled.
				return nil, &RuleError{Code: "parcel_received", Message: fmt.Sprintf("单号 %s 已于 %s 收货验货,不能重复记录", r.Number, e.At.In(d.zone).Format("01-02 15:04"))}
			}
		}
		return d.receiptDrafts(actor, c, r, 0, false)
	}))
}

func (d *Desk) receiptDrafts(actor Actor, c cases.Case, r Receipt, parcelID int64, claimed bool) ([]draft, error) {
	now := d.clockNow()
	var drafts []draft
	hashes := make([]string, 0, len(r.Photos))
	for _, ev := range r.Photos {
		ev.Actor, ev.At = actor.Name, now
		if ev.Kind == "" {
			ev.Kind = "contents"
		}
		if !slices.ContainsFunc(c.Evidence, func(e cases.Evidence) bool { return e.Hash == ev.Hash }) {
			drafts = append(drafts, draft{cases.EvEvidenceAdded, ev})
		}
		hashes = append(hashes, ev.Hash)
	}
	receipt := cases.ParcelReceiptPayload{Number: r.Number, Items: r.Items, Good: r.Good, Bad: r.Bad, Photos: hashes, Remark: r.Remark, ParcelID: parcelID}
	text := fmt.Sprintf("仓库已收到退货包裹 %s：良品%d件，不良品%d件", r.Number, r.Good, r.Bad)
	if s, ok := returnAwaiting(c, r.Number, claimed); ok && s.State == execution.StateAwaitingReturn {
		receipt.SolutionID = s.ID
		note := r.Remark
		if len(r.Items) > 0 {
			note = strings.TrimSpace("收到：" + strings.Join(r.Items, "、") + "。" + r.Remark)
		}
		t := execution.Transition{SolutionID: s.ID, From: s.State, To: execution.StateReceived, Data: execution.Data{
			Inspection: &execution.Inspection{Good: r.Good, Bad: r.Bad, Photos: hashes, Note: truncate(note, 500)}}}
		if s.ReturnTrackingNo == "" {
			t.ReturnTrackingNo = r.Number
		}
		next, err := execution.Step(s, t, actor.Name, now)
		if err != nil {
			return nil, err
		}
		t.To = next.State
		drafts = append(drafts, draft{cases.EvParcelReceived, receipt}, draft{cases.EvExecStepped, t})
		if next.State == execution.StateReopened {
			text += "，验货不合格：" + execution.KindLabel(s.Kind) + "需重新决定，请联系顾客协商新方案"
		} else {
			text += "，验货合格：可以继续" + execution.KindLabel(s.Kind)
		}
	} else {
		drafts = append(drafts, draft{cases.EvParcelReceived, receipt})
	}
	if tracking.Normalize(c.TrackingNo) == r.Number && c.Status == cases.StatusOpen {
		// The original shipment came back (截件, refused): the flow's 包裹是否已退回.
		drafts = append(drafts, factDrafts(c, [][2]string{{factParcelReturned, "yes"}})...)
	}
	return append(drafts, d.caseNotice(c, notify.KindWarehouse, text)), nil
}

// RecordUnknown keeps a parcel that matched no case in the 未知包裹 list.
func (d *Desk) RecordUnknown(ctx context.Context, actor Actor, r Receipt) (store.UnknownParcel, error) {
	if err := r.Check(); err != nil {
		return store.UnknownParcel{}, err
	}
	ps, err := d.parcelStore()
	if err != nil {
		return store.UnknownParcel{}, err
	}
	now := d.clockNow()
	for i := range r.Photos {
		r.Photos[i].Actor, r.Photos[i].At = actor.Name, now
		if r.Photos[i].Kind == "" {
			r.Photos[i].Kind = "contents"
		}
	}
	return ps.InsertUnknownParcel(ctx, store.UnknownParcel{Number: r.Number, Items: r.Items, Good: r.Good, Bad: r.Bad, Photos: r.Photos,
		Remark: r.Remark, ReceivedBy: actor.Name, ReceivedAt: now})
}

// UnknownParcels lists the parcels nobody claimed (claimed: those claimed).
func (d *Desk) UnknownParcels(ctx context.Context, claimed bool, limit int) ([]store.UnknownParcel, error) {
	ps, err := d.parcelStore()
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	return ps.UnknownParcels(ctx, claimed, limit)
}

// UnknownParcel reads one parcel of the 未知包裹 list.
func (d *Desk) UnknownParcel(ctx context.Context, id int64) (store.UnknownParcel, error) {
	ps, err := d.parcelStore()
	if err != nil {
		return store.UnknownParcel{}, err
	}
	return ps.UnknownParcelByID(ctx, id)
}

// ClaimParcel puts an unknown parcel on a case (an agent recognises it): in the case's
// transaction the parcel is marked claimed (once: a second claim is refused) and its
// receipt recorded as if it had been found by its number, the number becoming the
// return number of the only return or exchange waiting for one.
func (d *Desk) ClaimParcel(ctx context.Context, actor Actor, parcelID, caseID int64) (cases.Case, error) {
	if actor.Role == store.RoleWarehouse {
		return cases.Case{}, fmt.Errorf("%w: 仓库账号不能认领包裹", ErrForbidden)
	}
	// The case comes in the body, not the path: check it is one the agent may see.
	if err := d.CheckVisible(ctx, actor, caseID); err != nil {
		return cases.Case{}, err
	}
	return caseOnly(d.change(ctx, actor, caseID, AnyVersion, func(tx store.Tx, c cases.Case) ([]draft, error) {
		pt, ok := d.parcelTx(tx)
		if !ok {
			return nil, errors.New("store keeps no parcels")
		}
		u, err := pt.UnknownParcel(ctx, parcelID)
		if err != nil {
			return nil, err
		}
		won, err := pt.ClaimUnknownParcel(ctx, parcelID, c.ID, actor.Name, d.clockNow())
		if err != nil {
			return nil, err
		}
		if !won {
			return nil, &RuleError{Code: "parcel_claimed", Message: fmt.Sprintf("该包裹已被认领到工单 #%d", u.CaseID)}
		}
		r := Receipt{CaseID: c.ID, Number: u.Number, Items: u.Items, Good: u.Good, Bad: u.Bad, Remark: u.Remark, Photos: u.Photos}
		return d.receiptDrafts(Actor{Name: u.ReceivedBy, Role: store.RoleWarehouse}, c, r, u.ID, true)
	}))
}
