package execution

import (
	"fmt"
	"strings"
	"time"
)

// closing is how every flow ends (SOP §6): remark, then the register.
const closing = "写备注并登记表格"

// NextAction is the Chinese instruction of what the agent does next for s. After a
// shipment the customer must be told the new tracking number (SOP §6); trackingSent
// reports whether that number has been sent to the customer already (nil: not sent).
func NextAction(s Solution, trackingSent func(number string) bool) string {
	switch s.State {
	case StatePendingApproval:
		return fmt.Sprintf("%s%s元超出你的权限，等主管审批", KindLabel(s.Kind), s.Amount)
	case StateApproved:
		switch {
		case s.Kind == KindRefundOnly:
			return "给顾客退款(不退货)，填写退款金额和退款流水号"
		case s.Kind == KindNextOrderDiscount:
			return fmt.Sprintf("发放下次购买优惠%s元，填写优惠券码或发放说明", s.Amount)
		case s.Payee == nil:
			return fmt.Sprintf("%s%s元: 向顾客要收款账号(支付宝账号和真实姓名)，或选择平台小额打款", KindLabel(s.Kind), s.Amount)
		case s.AfterGoodReview && !s.ReviewConfirmed:
			return fmt.Sprintf("约定好评后打款%s元: 顾客好评后点「确认已好评」", s.Amount)
		}
		return fmt.Sprintf("打款%s元(已进入打款清单)，打款后填写打款流水号", s.Amount)
	case StatePaid:
		return fmt.Sprintf("已打款%s元，告诉顾客已到账，%s", s.Amount, closing)
	case StatePayFailed:
		return fmt.Sprintf("打款失败(%s)，核对收款账号后重新打款", s.Reason)
	case StateIssued:
		return fmt.Sprintf("已发放下次购买优惠%s元(%s)，告诉顾客使用方法，%s", s.Amount, s.CouponCode, closing)
	case StateScheduled:
		if s.AppointmentAt == nil {
			return "与顾客约定上门维修时间并填写" + warrantyNote(s)
		}
		return fmt.Sprintf("师傅%s上门维修，修好后点「已修好」%s", s.AppointmentAt.In(chinaTime).Format("01-02 15:04"), warrantyNote(s))
	case StateRepaired:
		if s.Mode == RepairOnSite {
			return "已修好，向顾客确认可正常使用，" + closing
		}
		return "已修好，寄回给顾客，填写快递公司和快递单号"
	case StateFeePaid:
		return "已收翻新费，翻新后寄回给顾客，填写快递公司和快递单号"
	case StatePreparing:
		return fmt.Sprintf("安排补发(%s)，发出后填写快递公司和快递单号", strings.Join(s.Items, "、"))
	case StateShipped, StateReplacementShipped:
		if trackingSent == nil || !trackingSent(s.TrackingNo) {
			return fmt.Sprintf("把新快递单号发给顾客: %s %s", s.Courier, s.TrackingNo)
		}
		return fmt.Sprintf("新快递单号已发给顾客，跟进物流(%s %s)直到签收", s.Courier, s.TrackingNo)
	case StateDelivered:
		return KindLabel(s.Kind) + "已签收，向顾客确认商品无误，" + closing
	case StateAwaitingReturn:
		if s.ReturnTrackingNo == "" && (s.Kind == KindRepair || s.Kind == KindRefurbish) {
			return fmt.Sprintf("请顾客寄回需要%s的商品，拿到快递单号后填写%s", KindLabel(s.Kind), warrantyNote(s))
		}
		if s.ReturnTrackingNo == "" {
			return "请顾客寄回商品(运费先由顾客垫付)，拿到顾客的退货快递单号后填写" + freightNote(s)
		}
		return fmt.Sprintf("等仓库收到退货(%s %s)，验货后填写良品、不良品数量和照片", s.ReturnCourier, s.ReturnTrackingNo)
	case StateReceived:
		switch s.Kind {
		case KindRepair:
			return "已收到寄修商品，修好后点「已修好」" + warrantyNote(s)
		case KindRefurbish:
			return fmt.Sprintf("已收到商品，向顾客收取补色翻新费%s元，收到后填写收款流水号", s.Amount)
		}
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

// chinaTime shows appointment times as the agents read them.
var chinaTime = time.FixedZone("CST", 8*3600)

// warrantyNote is the warranty verdict of a repair, when there is one.
func warrantyNote(s Solution) string {
	if s.Warranty == nil {
		return ""
	}
	return "。" + s.Warranty.RuleText
}

// freightNote is the freight rule attached to a return or exchange, when there is one.
func freightNote(s Solution) string {
	if s.Freight == nil || s.Freight.RuleText == "" {
		return ""
	}
	return "。运费: " + s.Freight.RuleText
}
