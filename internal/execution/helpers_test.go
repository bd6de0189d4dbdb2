package execution_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
)

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// photo is a well-formed evidence hash.
var photo = strings.Repeat("ab", 32)

const solutionID = 41

func goodInspection() *execution.Inspection {
	return &execution.Inspection{Good: 1, Photos: []string{photo}}
}

func badInspection() *execution.Inspection {
	return &execution.Inspection{Good: 0, Bad: 1, Photos: []string{photo}, Note: "机身有裂痕"}
}

// validData is data that satisfies the transition into to.
func validData(to execution.State) execution.Data {
	switch to {
	case execution.StatePaid:
		return execution.Data{Reference: "ZFB2026112700001"}
	case execution.StateShipped, execution.StateReplacementShipped:
		return execution.Data{Courier: "顺丰", TrackingNo: "SF1234567890"}
	case execution.StateAwaitingReturn:
		return execution.Data{ReturnCourier: "圆通", ReturnTrackingNo: "YT9876543210"}
	case execution.StateReceived:
		return execution.Data{ReturnTrackingNo: "YT9876543210", Inspection: goodInspection()}
	case execution.StateReopened:
		return execution.Data{ReturnTrackingNo: "YT9876543210", Inspection: badInspection()}
	case execution.StateRefunded:
		return execution.Data{Amount: money.Yuan(50), Reference: "RF2026112701"}
	case execution.StateSettled:
		return execution.Data{Amount: money.Yuan(30)}
	case execution.StateRejected:
		return execution.Data{Reason: "外包装完好，快递不认"}
	case execution.StateCancelled:
		return execution.Data{Reason: "顾客不要了"}
	case execution.StateApproved:
		return execution.Data{ReviewConfirmed: true}
	case execution.StatePayFailed:
		return execution.Data{Reason: "支付宝账号与姓名不符"}
	case execution.StateIssued:
		return execution.Data{CouponCode: "NEXT10OFF"}
	case execution.StateScheduled:
		at := t0.Add(24 * time.Hour)
		return execution.Data{AppointmentAt: &at}
	case execution.StateFeePaid:
		return execution.Data{Reference: "FEE2026112701"}
	}
	return execution.Data{}
}

// opening is a valid opening of kind k.
func opening(k execution.Kind, needsApproval bool) execution.Opening {
	o := execution.Opening{ID: solutionID, Kind: k, NeedsApproval: needsApproval, Amount: money.Yuan(20),
		OrderAmount: money.Yuan(100), OriginalTrackingNo: "ZT1111111111"}
	switch k {
	case execution.KindReship:
		o.Items = []string{"滤芯", "电源线"}
	case execution.KindCourierClaim:
		o.Courier, o.ClaimNo = "中通", "CLM20261127"
	case execution.KindCompensation, execution.KindPriceDifference:
		o.Payee = &execution.Payee{Channel: execution.PayAlipay, Account: "13800138000", Name: "张三"}
	case execution.KindRepair:
		o.Mode, o.Part = execution.RepairSendIn, "压缩机"
		o.Warranty = &execution.Warranty{Covered: true, RuleID: "warranty.in_period", RuleText: "在保修期内，免费维修"}
	}
	return o
}

// reach opens a solution of kind k and steps it with valid data along the shortest
// path to state want.
func reach(t *testing.T, k execution.Kind, want execution.State) execution.Solution {
	t.Helper()
	for i := range 4 {
		o := opening(k, i%2 == 0)
		if k == execution.KindRepair && i >= 2 {
			o.Mode = execution.RepairOnSite
		}
		s, err := execution.Open(o, "agent1", t0)
		if err != nil {
			t.Fatalf("open %s: %v", k, err)
		}
		if path := pathTo(k, o.Mode, s.State, want); path != nil {
			for i, to := range path {
				tr := execution.Transition{SolutionID: s.ID, From: s.State, To: to, Data: validData(to)}
				if s, err = execution.Step(s, tr, "agent1", t0.Add(time.Duration(i+1)*time.Hour)); err != nil {
					t.Fatalf("reach %s %s: step to %s: %v", k, want, to, err)
				}
			}
			return s
		}
	}
	t.Fatalf("%s has no path to %s", k, want)
	return execution.Solution{}
}

// pathTo is the shortest list of states after from that ends in want; empty when
// from is want, nil when want cannot be reached.
func pathTo(k execution.Kind, mode string, from, want execution.State) []execution.State {
	prev := map[execution.State]execution.State{from: ""}
	queue := []execution.State{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == want {
			path := []execution.State{}
			for s := cur; s != from; s = prev[s] {
				path = append([]execution.State{s}, path...)
			}
			return path
		}
		for _, n := range execution.Next(execution.Solution{Kind: k, State: cur, Mode: mode}) {
			if _, seen := prev[n]; !seen {
				prev[n] = cur
				queue = append(queue, n)
			}
		}
	}
	return nil
}
