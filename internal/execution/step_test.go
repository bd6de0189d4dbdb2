package execution_test

import (
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
)

type (
	K = execution.Kind
	S = execution.State
)

const (
	comp    = execution.KindCompensation
	reship  = execution.KindReship
	exch    = execution.KindExchange
	ret     = execution.KindReturnRefund
	refund  = execution.KindRefundOnly
	claim   = execution.KindCourierClaim
	pending = execution.StatePendingApproval
	appr    = execution.StateApproved
	paid    = execution.StatePaid
	prep    = execution.StatePreparing
	shipped = execution.StateShipped
	deliv   = execution.StateDelivered
	await   = execution.StateAwaitingReturn
	recv    = execution.StateReceived
	repl    = execution.StateReplacementShipped
	refd    = execution.StateRefunded
	filed   = execution.StateFiled
	settled = execution.StateSettled
	rej     = execution.StateRejected
	canc    = execution.StateCancelled
	reop    = execution.StateReopened
)

func TestKindsAreSolutionKindsWithTheirLabels(t *testing.T) {
	for _, k := range execution.Kinds() {
		label, ok := cases.SolutionLabel(string(k))
		if !ok {
			t.Errorf("kind %q is not a solution kind", k)
		}
		if got := execution.KindLabel(k); got != label {
			t.Errorf("label of %q is %q, cases says %q", k, got, label)
		}
		if !k.Valid() {
			t.Errorf("kind %q is not Valid", k)
		}
	}
	if K("retention").Valid() {
		t.Error("retention has no execution and must not be a valid kind")
	}
}

func TestStartStateOfEachKind(t *testing.T) {
	tests := []struct {
		kind          K
		needsApproval bool
		want          S
	}{
		{comp, true, pending}, {comp, false, appr},
		{reship, false, prep}, {reship, true, prep},
		{exch, false, await}, {ret, false, await},
		{refund, false, appr}, {claim, false, filed},
		{K("repair"), false, await}, {K("price_difference"), true, pending}, {K("next_order_discount"), false, appr},
		{K("refurbish"), false, await}, {K("warranty_card"), false, ""},
	}
	for _, tt := range tests {
		if got := execution.Start(tt.kind, tt.needsApproval, ""); got != tt.want {
			t.Errorf("Start(%s, %v) = %q, want %q", tt.kind, tt.needsApproval, got, tt.want)
		}
	}
}

func TestEveryStateHasAChineseLabel(t *testing.T) {
	want := map[S]string{pending: "待审批", appr: "已审批", paid: "已打款", await: "待寄回", recv: "已收货验货",
		shipped: "已发出", deliv: "已签收", refd: "已退款", filed: "已索赔", settled: "已结算", canc: "已取消", reop: "需重新决定"}
	for s, label := range want {
		if got := execution.StateLabel(s); got != label {
			t.Errorf("label of %s = %q, want %q", s, got, label)
		}
	}
	for _, k := range execution.Kinds() {
		for _, s := range execution.States(k) {
			if execution.StateLabel(s) == string(s) {
				t.Errorf("state %s of %s has no Chinese label", s, k)
			}
		}
	}
}

func TestOpenRecordsTheStartStateAndItsData(t *testing.T) {
	s, err := execution.Open(opening(reship, false), "agent1", t0)
	if err != nil {
		t.Fatal(err)
	}
	if s.State != prep || !slices.Equal(s.Items, []string{"滤芯", "电源线"}) || s.OriginalTrackingNo != "ZT1111111111" {
		t.Errorf("opened %+v", s)
	}
	if len(s.History) != 1 || s.History[0] != (execution.HistoryEntry{To: prep, Actor: "agent1", At: t0}) {
		t.Errorf("history %+v, want one opening entry", s.History)
	}
	c, err := execution.Open(opening(claim, false), "agent1", t0)
	if err != nil || c.ClaimCourier != "中通" || c.ClaimNo != "CLM20261127" {
		t.Errorf("claim opened %+v, %v", c, err)
	}
}

func TestOpenRefusesMissingOrBadStartData(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*execution.Opening)
		actor  string
		field  string
		substr string
	}{
		{"unknown kind", func(o *execution.Opening) { o.Kind = "retention" }, "a", "kind", "未知的方案"},
		{"repair without a mode", func(o *execution.Opening) { o.Kind = execution.KindRepair; o.Warranty = &execution.Warranty{} }, "a", "mode", "维修方式"},
		{"repair without the warranty verdict", func(o *execution.Opening) { o.Kind, o.Mode = execution.KindRepair, execution.RepairOnSite }, "a", "warranty", "保修"},
		{"refurbish without its fee", func(o *execution.Opening) { o.Kind, o.Amount = execution.KindRefurbish, 0 }, "a", "amount", "费用"},
		{"alipay without the real name", func(o *execution.Opening) {
			o.Kind, o.Payee = comp, &execution.Payee{Channel: execution.PayAlipay, Account: "13800138000"}
		}, "a", "payee.name", "真实姓名"},
		{"alipay with a bad account", func(o *execution.Opening) {
			o.Kind, o.Payee = comp, &execution.Payee{Channel: execution.PayAlipay, Account: "12345", Name: "张三"}
		}, "a", "payee.account", "手机号或邮箱"},
		{"unknown payout channel", func(o *execution.Opening) {
			o.Kind, o.Payee = comp, &execution.Payee{Channel: "bank"}
		}, "a", "payee.channel", "收款方式"},
		{"no id", func(o *execution.Opening) { o.ID = 0 }, "a", "id", "缺少方案编号"},
		{"no actor", func(o *execution.Opening) {}, " ", "actor", "缺少操作人"},
		{"compensation without amount", func(o *execution.Opening) { o.Kind, o.Amount = comp, 0 }, "a", "amount", "请填写打款金额"},
		{"negative amount", func(o *execution.Opening) { o.Kind, o.Amount = comp, -1 }, "a", "amount", "不能为负数"},
		{"reship without items", func(o *execution.Opening) { o.Kind, o.Items = reship, nil }, "a", "items", "请列出补发"},
		{"reship with a blank item", func(o *execution.Opening) { o.Kind, o.Items = reship, []string{"滤芯", "  "} }, "a", "items", "每项"},
		{"claim without claim number", func(o *execution.Opening) { o.Kind, o.Courier, o.ClaimNo = claim, "中通", "" }, "a", "claim_no", "请填写索赔单号"},
		{"claim without courier", func(o *execution.Opening) { o.Kind, o.Courier, o.ClaimNo = claim, "", "CLM1234" }, "a", "courier", "请填写索赔的快递公司"},
		{"refund only above the order amount", func(o *execution.Opening) { o.Kind, o.Amount = refund, money.Yuan(101) }, "a", "amount", "不能超过实付金额100.00元"},
		{"malformed return tracking number", func(o *execution.Opening) { o.Kind, o.ReturnTrackingNo = exch, "YT-123" }, "a", "return_tracking_no", "6-40位"},
		{"malformed original tracking number", func(o *execution.Opening) { o.OriginalTrackingNo = "12345" }, "a", "original_tracking_no", "6-40位"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opening(exch, false)
			tt.edit(&o)
			_, err := execution.Open(o, tt.actor, t0)
			wantFieldError(t, err, tt.field, tt.substr)
		})
	}
}

// allowedCases lists every transition of every kind with valid data and what it must
// record. TestEveryEdgeIsInTheTable keeps it complete.
var allowedCases = []struct {
	name     string
	kind     K
	from, to S
	data     execution.Data
	want     S
	recorded func(execution.Solution) bool
}{
	{"compensation approved by the supervisor", comp, pending, appr, execution.Data{}, appr, nil},
	{"compensation paid records the payment reference", comp, appr, paid, validData(paid), paid,
		func(s execution.Solution) bool { return s.Reference == "ZFB2026112700001" }},
	{"compensation records the good review it waits for", comp, appr, appr, execution.Data{ReviewConfirmed: true}, appr,
		func(s execution.Solution) bool { return s.ReviewConfirmed }},
	{"compensation payout failed records why", comp, appr, execution.StatePayFailed, validData(execution.StatePayFailed), execution.StatePayFailed,
		func(s execution.Solution) bool { return s.Reason == "支付宝账号与姓名不符" }},
	{"failed payout paid on retry", comp, execution.StatePayFailed, paid, validData(paid), paid, nil},
	{"failed payout back on the list with a new payee", comp, execution.StatePayFailed, appr,
		execution.Data{Payee: &execution.Payee{Channel: execution.PayPlatform}}, appr,
		func(s execution.Solution) bool { return s.Payee.Channel == execution.PayPlatform }},
	{"price difference approved", execution.KindPriceDifference, pending, appr, execution.Data{}, appr, nil},
	{"price difference payee recorded", execution.KindPriceDifference, appr, appr,
		execution.Data{Payee: &execution.Payee{Channel: execution.PayAlipay, Account: "a@b.cn", Name: "李四"}}, appr,
		func(s execution.Solution) bool { return s.Payee.Account == "a@b.cn" }},
	{"price difference paid", execution.KindPriceDifference, appr, paid, validData(paid), paid, nil},
	{"price difference payout failed", execution.KindPriceDifference, appr, execution.StatePayFailed, validData(execution.StatePayFailed), execution.StatePayFailed, nil},
	{"price difference paid on retry", execution.KindPriceDifference, execution.StatePayFailed, paid, validData(paid), paid, nil},
	{"price difference back on the list", execution.KindPriceDifference, execution.StatePayFailed, appr, execution.Data{ReviewConfirmed: true}, appr, nil},
	{"next-order discount issued records the coupon", execution.KindNextOrderDiscount, appr, execution.StateIssued, validData(execution.StateIssued), execution.StateIssued,
		func(s execution.Solution) bool { return s.CouponCode == "NEXT10OFF" }},
	{"repair sent in records the tracking number", execution.KindRepair, await, await, validData(await), await,
		func(s execution.Solution) bool { return s.ReturnTrackingNo == "YT9876543210" }},
	{"repair item received", execution.KindRepair, await, recv, execution.Data{}, recv, nil},
	{"repair done", execution.KindRepair, recv, execution.StateRepaired, execution.Data{}, execution.StateRepaired, nil},
	{"repaired item shipped back", execution.KindRepair, execution.StateRepaired, shipped, validData(shipped), shipped,
		func(s execution.Solution) bool { return s.TrackingNo == "SF1234567890" }},
	{"repaired item delivered", execution.KindRepair, shipped, deliv, execution.Data{}, deliv, nil},
	{"on-site repair rescheduled", execution.KindRepair, execution.StateScheduled, execution.StateScheduled, validData(execution.StateScheduled), execution.StateScheduled,
		func(s execution.Solution) bool { return s.AppointmentAt != nil }},
	{"on-site repair done", execution.KindRepair, execution.StateScheduled, execution.StateRepaired, execution.Data{}, execution.StateRepaired, nil},
	{"refurbish sent in", execution.KindRefurbish, await, await, validData(await), await, nil},
	{"refurbish item received", execution.KindRefurbish, await, recv, execution.Data{}, recv, nil},
	{"refurbish fee paid records the reference", execution.KindRefurbish, recv, execution.StateFeePaid, validData(execution.StateFeePaid), execution.StateFeePaid,
		func(s execution.Solution) bool { return s.Reference == "FEE2026112701" }},
	{"refurbished item shipped back", execution.KindRefurbish, execution.StateFeePaid, shipped, validData(shipped), shipped, nil},
	{"refurbished item delivered", execution.KindRefurbish, shipped, deliv, execution.Data{}, deliv, nil},
	{"reship shipped records courier and tracking number", reship, prep, shipped, validData(shipped), shipped,
		func(s execution.Solution) bool { return s.Courier == "顺丰" && s.TrackingNo == "SF1234567890" }},
	{"reship delivered", reship, shipped, deliv, execution.Data{}, deliv, nil},
	{"exchange records the buyer's return tracking number", exch, await, await, validData(await), await,
		func(s execution.Solution) bool {
			return s.ReturnTrackingNo == "YT9876543210" && s.ReturnCourier == "圆通"
		}},
	{"exchange received with a good inspection", exch, await, recv, validData(recv), recv,
		func(s execution.Solution) bool { return s.Inspection != nil && s.Inspection.Good == 1 }},
	{"exchange reopened by a bad inspection recorded as such", exch, await, reop, validData(reop), reop,
		func(s execution.Solution) bool { return s.Inspection != nil && s.Inspection.Bad == 1 }},
	{"exchange replacement shipped records courier and tracking number", exch, recv, repl, validData(repl), repl,
		func(s execution.Solution) bool { return s.TrackingNo == "SF1234567890" }},
	{"exchange replacement delivered", exch, repl, deliv, execution.Data{}, deliv, nil},
	{"return records the buyer's return tracking number", ret, await, await, validData(await), await,
		func(s execution.Solution) bool { return s.ReturnTrackingNo == "YT9876543210" }},
	{"return received with a good inspection", ret, await, recv, validData(recv), recv,
		func(s execution.Solution) bool { return s.Inspection != nil && !s.Inspection.IsBad() }},
	{"return reopened by a bad inspection recorded as such", ret, await, reop, validData(reop), reop, nil},
	{"return refunded records amount and reference", ret, recv, refd, validData(refd), refd,
		func(s execution.Solution) bool {
			return s.RefundAmount == money.Yuan(50) && s.Reference == "RF2026112701"
		}},
	{"refund only refunded", refund, appr, refd, validData(refd), refd,
		func(s execution.Solution) bool { return s.RefundAmount == money.Yuan(50) }},
	{"refund of exactly the order amount", refund, appr, refd, execution.Data{Amount: money.Yuan(100), Reference: "RF0001"}, refd, nil},
	{"courier claim settled records the amount received", claim, filed, settled, validData(settled), settled,
		func(s execution.Solution) bool { return s.SettledAmount == money.Yuan(30) }},
	{"courier claim rejected records the reason", claim, filed, rej, validData(rej), rej,
		func(s execution.Solution) bool { return s.Reason == "外包装完好，快递不认" }},
	{"received without a tracking number in the transition uses the recorded one", exch, await, recv,
		execution.Data{Inspection: goodInspection()}, recv, nil},
	{"spaces around a tracking number are trimmed", reship, prep, shipped,
		execution.Data{Courier: " 顺丰 ", TrackingNo: " SF1234567890\t"}, shipped,
		func(s execution.Solution) bool { return s.TrackingNo == "SF1234567890" && s.Courier == "顺丰" }},
}

func TestAllowedTransitionsRecordTheirData(t *testing.T) {
	for _, tt := range allowedCases {
		t.Run(tt.name, func(t *testing.T) {
			s := reach(t, tt.kind, tt.from)
			if tt.name == "received without a tracking number in the transition uses the recorded one" {
				s = step(t, s, await, validData(await))
			}
			before := len(s.History)
			at := t0.Add(48 * time.Hour)
			got, err := execution.Step(s, execution.Transition{SolutionID: s.ID, From: tt.from, To: tt.to, Data: tt.data}, "agent2", at)
			if err != nil {
				t.Fatalf("step: %v", err)
			}
			if got.State != tt.want {
				t.Errorf("state %s, want %s", got.State, tt.want)
			}
			if tt.recorded != nil && !tt.recorded(got) {
				t.Errorf("data not recorded: %+v", got)
			}
			wantEntry := execution.HistoryEntry{From: tt.from, To: tt.want, Actor: "agent2", At: at}
			if len(got.History) != before+1 || got.History[before] != wantEntry {
				t.Errorf("history %+v, want %+v appended", got.History, wantEntry)
			}
			if len(s.History) != before {
				t.Errorf("Step modified its input's history")
			}
		})
	}
}

func TestEveryEdgeIsInTheTable(t *testing.T) {
	for _, k := range execution.Kinds() {
		for _, e := range execution.Edges(k) {
			found := false
			for _, c := range allowedCases {
				found = found || (c.kind == k && c.from == e.From && c.to == e.To)
			}
			if !found {
				t.Errorf("%s %s → %s has no allowed-transition case", k, e.From, e.To)
			}
		}
	}
}

func step(t *testing.T, s execution.Solution, to S, d execution.Data) execution.Solution {
	t.Helper()
	got, err := execution.Step(s, execution.Transition{SolutionID: s.ID, From: s.State, To: to, Data: d}, "agent1", t0.Add(time.Hour))
	if err != nil {
		t.Fatalf("step %s → %s: %v", s.State, to, err)
	}
	return got
}

func TestBadInspectionReopensTheDecision(t *testing.T) {
	tests := []struct {
		name       string
		kind       K
		inspection execution.Inspection
	}{
		{"exchange with a bad item", exch, execution.Inspection{Good: 1, Bad: 1, Photos: []string{photo}, Note: "一件漏水"}},
		{"exchange marked failed without a bad count", exch, execution.Inspection{Good: 1, Failed: true, Photos: []string{photo}, Note: "已使用，不能二次销售"}},
		{"return with a bad item", ret, execution.Inspection{Bad: 2, Photos: []string{photo}, Note: "屏幕碎裂"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := reach(t, tt.kind, await)
			in := tt.inspection
			got := step(t, s, recv, execution.Data{ReturnTrackingNo: "YT9876543210", Inspection: &in})
			if got.State != reop {
				t.Fatalf("state %s, want reopened", got.State)
			}
			if last := got.History[len(got.History)-1]; last.From != await || last.To != reop {
				t.Errorf("history records %s → %s, want awaiting_return → reopened", last.From, last.To)
			}
			if next := execution.Next(got); next != nil {
				t.Errorf("a reopened solution goes nowhere, got %v", next)
			}
			// The recorded transition replays to the same solution.
			replayed, err := execution.Step(s, execution.Transition{SolutionID: s.ID, From: await, To: reop,
				Data: execution.Data{ReturnTrackingNo: "YT9876543210", Inspection: &in}}, "agent1", t0.Add(time.Hour))
			if err != nil || !reflect.DeepEqual(replayed, got) {
				t.Errorf("replay of the recorded transition: %v\n got %+v\nwant %+v", err, replayed, got)
			}
		})
	}
}

func TestRefusedTransitions(t *testing.T) {
	long := strings.Repeat("字", 201)
	tests := []struct {
		name     string
		kind     K
		at       S // the solution's current state
		from, to S // the transition asked
		data     execution.Data
		actor    string
		check    func(*testing.T, error)
	}{
		{"stale from: someone approved first", comp, appr, pending, appr, execution.Data{}, "a", wantStale(appr)},
		{"stale from: already shipped", reship, shipped, prep, shipped, validData(shipped), "a", wantStale(shipped)},
		{"compensation cannot skip approval", comp, pending, pending, paid, validData(paid), "a", wantTransition},
		{"reship cannot skip shipping", reship, prep, prep, deliv, execution.Data{}, "a", wantTransition},
		{"reship cannot go back", reship, shipped, shipped, prep, execution.Data{}, "a", wantTransition},
		{"exchange cannot ship before receiving the return", exch, await, await, repl, validData(repl), "a", wantTransition},
		{"exchange cannot refund", exch, recv, recv, refd, validData(refd), "a", wantTransition},
		{"return cannot skip inspection", ret, await, await, refd, validData(refd), "a", wantTransition},
		{"refund only has no shipment", refund, appr, appr, shipped, validData(shipped), "a", wantTransition},
		{"claim cannot be paid", claim, filed, filed, paid, validData(paid), "a", wantTransition},
		{"unknown state", reship, prep, prep, "lost", execution.Data{}, "a", wantTransition},
		{"final state goes nowhere", comp, paid, paid, appr, execution.Data{}, "a", wantTransition},
		{"reopened cannot be received again", exch, reop, reop, recv, validData(recv), "a", wantTransition},
		{"received cannot be recorded twice", exch, recv, recv, recv, validData(recv), "a", wantTransition},
		{"missing actor", reship, prep, prep, shipped, validData(shipped), "", wantField("actor", "缺少操作人")},
		{"paid without reference", comp, appr, appr, paid, execution.Data{}, "a", wantField("reference", "请填写打款流水号")},
		{"paid with a malformed reference", comp, appr, appr, paid, execution.Data{Reference: "单号"}, "a", wantField("reference", "4-64位")},
		{"shipped without tracking number", reship, prep, prep, shipped, execution.Data{Courier: "顺丰"}, "a", wantField("tracking_no", "请填写快递单号")},
		{"shipped without courier", reship, prep, prep, shipped, execution.Data{TrackingNo: "SF1234567890"}, "a", wantField("courier", "请填写快递公司")},
		{"tracking number too short", reship, prep, prep, shipped, execution.Data{Courier: "顺丰", TrackingNo: "SF123"}, "a", wantField("tracking_no", "6-40位字母或数字")},
		{"tracking number too long", exch, recv, recv, repl, execution.Data{Courier: "顺丰", TrackingNo: strings.Repeat("9", 41)}, "a", wantField("tracking_no", "6-40位")},
		{"tracking number with other characters", exch, recv, recv, repl, execution.Data{Courier: "顺丰", TrackingNo: "SF12-345678"}, "a", wantField("tracking_no", "6-40位")},
		{"courier name too long", reship, prep, prep, shipped, execution.Data{Courier: strings.Repeat("快", 33), TrackingNo: "SF1234567890"}, "a", wantField("courier", "不能超过32个字")},
		{"return tracking number missing", exch, await, await, await, execution.Data{}, "a", wantField("return_tracking_no", "请填写顾客的退货快递单号")},
		{"received without any return tracking number", exch, await, await, recv, execution.Data{Inspection: goodInspection()}, "a", wantField("return_tracking_no", "退货快递单号")},
		{"received without inspection", ret, await, await, recv, execution.Data{ReturnTrackingNo: "YT9876543210"}, "a", wantField("inspection", "请填写验货结果")},
		{"negative good count", ret, await, await, recv, inspect(execution.Inspection{Good: -1, Bad: 0}), "a", wantField("inspection.good", "不能为负数")},
		{"negative bad count", ret, await, await, recv, inspect(execution.Inspection{Good: 1, Bad: -1}), "a", wantField("inspection.bad", "不能为负数")},
		{"inspection of nothing", ret, await, await, recv, inspect(execution.Inspection{}), "a", wantField("inspection.good", "请填写验货件数")},
		{"bad inspection without photos", exch, await, await, recv, inspect(execution.Inspection{Bad: 1, Note: "裂了"}), "a", wantField("inspection.photos", "须上传照片")},
		{"bad inspection without a note", exch, await, await, recv, inspect(execution.Inspection{Bad: 1, Photos: []string{photo}}), "a", wantField("inspection.note", "请说明问题")},
		{"photo that is not a hash", exch, await, await, recv, inspect(execution.Inspection{Good: 1, Photos: []string{"a.jpg"}}), "a", wantField("inspection.photos", "哈希")},
		{"reopen with a good inspection", exch, await, await, reop, validData(recv), "a", wantField("inspection", "验货合格")},
		{"refund above the order amount", ret, recv, recv, refd, execution.Data{Amount: money.Amount(10001), Reference: "RF0001"}, "a", wantField("amount", "不能超过实付金额100.00元")},
		{"refund without amount", refund, appr, appr, refd, execution.Data{Reference: "RF0001"}, "a", wantField("amount", "请填写退款金额")},
		{"negative refund", refund, appr, appr, refd, execution.Data{Amount: -1, Reference: "RF0001"}, "a", wantField("amount", "不能为负数")},
		{"refund without reference", refund, appr, appr, refd, execution.Data{Amount: money.Yuan(5)}, "a", wantField("reference", "请填写退款流水号")},
		{"settled without amount", claim, filed, filed, settled, execution.Data{}, "a", wantField("amount", "请填写快递赔付金额")},
		{"rejected without reason", claim, filed, filed, rej, execution.Data{}, "a", wantField("reason", "拒赔的原因")},
		{"cancel without reason", reship, shipped, shipped, canc, execution.Data{Reason: "  "}, "a", wantField("reason", "请填写取消原因")},
		{"cancel reason too long", reship, shipped, shipped, canc, execution.Data{Reason: long}, "a", wantField("reason", "不能超过200个字")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := reach(t, tt.kind, tt.at)
			got, err := execution.Step(s, execution.Transition{SolutionID: s.ID, From: tt.from, To: tt.to, Data: tt.data}, tt.actor, t0.Add(time.Hour))
			tt.check(t, err)
			if !reflect.DeepEqual(got, s) {
				t.Errorf("a refused step changed the solution:\n got %+v\nwant %+v", got, s)
			}
		})
	}
}

func TestStepRefusesAnotherSolutionsTransition(t *testing.T) {
	s := reach(t, reship, prep)
	_, err := execution.Step(s, execution.Transition{SolutionID: s.ID + 1, From: prep, To: shipped, Data: validData(shipped)}, "a", t0)
	wantFieldError(t, err, "solution_id", "方案编号不符")
}

func inspect(in execution.Inspection) execution.Data {
	return execution.Data{ReturnTrackingNo: "YT9876543210", Inspection: &in}
}

func wantStale(current S) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var stale *execution.StaleError
		if !errors.As(err, &stale) {
			t.Fatalf("err %v (%T), want *StaleError", err, err)
		}
		if stale.Current != current || stale.SolutionID != solutionID {
			t.Errorf("stale error %+v, want current %s", stale, current)
		}
		if !strings.Contains(err.Error(), execution.StateLabel(current)) {
			t.Errorf("message %q does not name the current state", err)
		}
	}
}

func wantTransition(t *testing.T, err error) {
	t.Helper()
	var te *execution.TransitionError
	if !errors.As(err, &te) {
		t.Fatalf("err %v (%T), want *TransitionError", err, err)
	}
	if !strings.Contains(err.Error(), "不能") {
		t.Errorf("message %q is not an agent-readable refusal", err)
	}
}

func wantField(field, substr string) func(*testing.T, error) {
	return func(t *testing.T, err error) { t.Helper(); wantFieldError(t, err, field, substr) }
}

func wantFieldError(t *testing.T, err error, field, substr string) {
	t.Helper()
	var verr cases.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err %v (%T), want cases.ValidationError", err, err)
	}
	for _, f := range verr {
		if f.Field == field {
			if !strings.Contains(f.Message, substr) {
				t.Errorf("%s: message %q does not contain %q", field, f.Message, substr)
			}
			return
		}
	}
	t.Errorf("no error on %s in %v", field, verr)
}

func TestCancelFromEveryNonFinalStateAndNeverFromAFinalOne(t *testing.T) {
	for _, k := range execution.Kinds() {
		for _, st := range execution.States(k) {
			t.Run(string(k)+"/"+string(st), func(t *testing.T) {
				s := reach(t, k, st)
				got, err := execution.Step(s, execution.Transition{SolutionID: s.ID, From: st, To: canc, Data: execution.Data{Reason: "顾客不要了"}}, "agent1", t0.Add(time.Hour))
				if execution.Final(st) {
					wantTransition(t, err)
					return
				}
				if err != nil || got.State != canc || got.Reason != "顾客不要了" {
					t.Errorf("cancel from %s: state %s reason %q err %v", st, got.State, got.Reason, err)
				}
			})
		}
	}
}

func TestFinalStatesAreExactlyTheOnesWithNoWayOut(t *testing.T) {
	for _, k := range execution.Kinds() {
		for _, mode := range []string{execution.RepairSendIn, execution.RepairOnSite} {
			for _, st := range reachable(k, mode) {
				s := execution.Solution{Kind: k, State: st, Mode: mode}
				onSiteDone := k == execution.KindRepair && mode == execution.RepairOnSite && st == execution.StateRepaired
				if got := len(execution.Next(s)) == 0; got != (execution.Final(st) || onSiteDone) {
					t.Errorf("%s (%s) %s: no way out %v, Final %v", k, mode, st, got, execution.Final(st))
				}
			}
		}
	}
}

// reachable lists the states a solution of kind k in mode can reach from its starts.
func reachable(k execution.Kind, mode string) []execution.State {
	seen := map[execution.State]bool{}
	var out []execution.State
	queue := []execution.State{execution.Start(k, false, mode), execution.Start(k, true, mode)}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		if seen[st] {
			continue
		}
		seen[st] = true
		out = append(out, st)
		queue = append(queue, execution.Next(execution.Solution{Kind: k, State: st, Mode: mode})...)
	}
	return out
}

func TestOnlyApprovingACompensationNeedsASupervisor(t *testing.T) {
	for _, k := range execution.Kinds() {
		for _, from := range execution.States(k) {
			for _, to := range execution.Next(execution.Solution{Kind: k, State: from}) {
				want := (k == comp || k == execution.KindPriceDifference) && from == pending && to == appr
				if got := execution.NeedsSupervisor(k, from, to); got != want {
					t.Errorf("NeedsSupervisor(%s, %s, %s) = %v, want %v", k, from, to, got, want)
				}
			}
		}
	}
}

func TestDocsDiagramShowsEveryEdge(t *testing.T) {
	b, err := os.ReadFile("../../docs/EXECUTION.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, k := range execution.Kinds() {
		title := "**" + execution.KindLabel(k) + " " + string(k) + "**"
		i := strings.Index(doc, title)
		if i < 0 {
			t.Errorf("docs/EXECUTION.md has no diagram titled %s", title)
			continue
		}
		block, _, _ := strings.Cut(doc[i:], "```\n\n")
		for _, e := range execution.Edges(k) {
			if !strings.Contains(block, string(e.From)+" --> "+string(e.To)) {
				t.Errorf("the %s diagram lacks %s --> %s", k, e.From, e.To)
			}
		}
		if !strings.Contains(block, "[*] --> "+string(execution.Start(k, false, ""))) {
			t.Errorf("the %s diagram lacks its start state", k)
		}
	}
}

func TestAnApprovedSolutionIsNamedByWhatComesNext(t *testing.T) {
	for k, want := range map[K]string{comp: "待打款", execution.KindPriceDifference: "待打款", refund: "待退款",
		execution.KindNextOrderDiscount: "待发放", execution.KindReship: "已审批"} {
		if got := execution.StateLabelOf(k, appr); got != want {
			t.Errorf("%s approved reads %q, want %q", k, got, want)
		}
	}
}
