package execution

import (
	"fmt"
	"strings"
)

// closing is how every flow ends (SOP §6): remark, then the register.
const closing = "写备注并登记表格"

// NextAction is the Chinese instruction of what the agent does next for s. After a
// shipment the customer must be told the new tracking number (SOP §6); trackingSent
// reports whether that number has been sent to the customer already (nil: not sent).
func NextAction(s Solution, trackingSent func(number string) bool) string {
	switch s.State {
	case StatePendingApproval:
		return fmt.Sprintf("补偿%s元超出你的权限，等主管审批", s.Amount)
	case StateApproved:
		if s.Kind == KindRefundOnly {
			return "给顾客退款(不退货)，填写退款金额和退款流水号"
		}
		return fmt.Sprintf("给顾客打款%s元，填写打款流水号", s.Amount)
	case StatePaid:
		return fmt.Sprintf("已打款%s元，告诉顾客已到账，%s", s.Amount, closing)
	case StatePreparing:
		return fmt.Sprintf("安排补发(%s)，发出后填写快递公司和快递单号", strings.Join(s.Items, "、"))
	case StateShipped, StateReplacementShipped:
		if trackingSent == nil || !trackingSent(s.TrackingNo) {
			return fmt.Sprintf("把新快递单号发给顾客: %s %s", s.Courier, s.TrackingNo)
		}
		return fmt.Sprintf("新快递单号已发给顾客，跟进物流(%s %s)直到签收", s.Courier, s.TrackingNo)
	case StateDelivered:
		if s.Kind == KindExchange {
			return "换货已签收，向顾客确认商品无误，" + closing
		}
		return "补发已签收，向顾客确认收到，" + closing
	case StateAwaitingReturn:
		if s.ReturnTrackingNo == "" {
			return "请顾客寄回商品(运费先由顾客垫付)，拿到顾客的退货快递单号后填写" + freightNote(s)
		}
		return fmt.Sprintf("等仓库收到退货(%s %s)，验货后填写良品、不良品数量和照片", s.ReturnCourier, s.ReturnTrackingNo)
	case StateReceived:
		action := "验货合格，寄出换货商品，填写快递公司和快递单号"
		if s.Kind == KindReturnRefund {
			action = "验货合格，给顾客退款，填写退款金额和退款流水号"
		}
		if f := s.Freight; f != nil && f.SellerReimburses > 0 {
			action += fmt.Sprintf("；补给顾客垫付的退货运费%s元", f.SellerReimburses)
		}
		return action
	case StateRefunded:
		return fmt.Sprintf("已退款%s元，告诉顾客退款去向和到账时间，%s", s.RefundAmount, closing)
	case StateFiled:
		return fmt.Sprintf("跟进%s理赔(索赔单号%s)，有结果后填写赔付金额或拒赔原因", s.ClaimCourier, s.ClaimNo)
	case StateSettled:
		return fmt.Sprintf("%s已赔付%s元，%s", s.ClaimCourier, s.SettledAmount, closing)
	case StateRejected:
		return fmt.Sprintf("%s拒赔(%s)，与主管商量是否由店铺承担，%s", s.ClaimCourier, s.Reason, closing)
	case StateCancelled:
		return fmt.Sprintf("%s已取消(%s)，告诉顾客并%s", KindLabel(s.Kind), s.Reason, closing)
	case StateReopened:
		bad := 0
		if s.Inspection != nil {
			bad = s.Inspection.Bad
		}
		if bad > 0 {
			return fmt.Sprintf("验货不合格(不良品%d件)，%s不能继续，与顾客重新商定方案", bad, KindLabel(s.Kind))
		}
		return fmt.Sprintf("验货不合格，%s不能继续，与顾客重新商定方案", KindLabel(s.Kind))
	}
	return fmt.Sprintf("未知的状态 %q，请联系主管", s.State)
}

// freightNote is the freight rule attached to a return or exchange, when there is one.
func freightNote(s Solution) string {
	if s.Freight == nil || s.Freight.RuleText == "" {
		return ""
	}
	return "。运费: " + s.Freight.RuleText
}
