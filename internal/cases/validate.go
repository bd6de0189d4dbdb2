package cases

import (
	"fmt"
	"github.com/shouhou/shouhou/internal/validation"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// FieldError and ValidationError are the invalid-input error of package validation,
// named here where most input is checked.
type (
	FieldError      = validation.FieldError
	ValidationError = validation.Error
)

var (
	orderNoPattern  = regexp.MustCompile(`^[A-Za-z0-9_-]{4,64}$`)
	trackingPattern = regexp.MustCompile(`^[A-Za-z0-9-]{6,40}$`)
	phonePattern    = regexp.MustCompile(`^\+?[0-9][0-9 -]{4,19}$`)
)

// maxAmount bounds a single order's amount so a typo of extra digits is caught.
const maxAmount = 10_000_000 * 100

// maxFreight bounds a return freight (1000 yuan).
const maxFreight = 1000 * 100

type fieldCheck struct {
	field string
	bad   bool
	msg   string
}

// Normalize fills defaults that an intake may leave out: demand none, emotion calm and
// the level of the problem type (SOP §8 labelling conventions).
func (in *Intake) Normalize() {
	in.CustomerName = strings.TrimSpace(in.CustomerName)
	in.OrderNo = strings.TrimSpace(in.OrderNo)
	in.TrackingNo = strings.TrimSpace(in.TrackingNo)
	in.Description = strings.TrimSpace(in.Description)
	if in.Demand == "" {
		in.Demand = DemandNone
	}
	if in.Emotion == "" {
		in.Emotion = EmotionCalm
	}
	if in.Level == 0 {
		in.Level = DefaultLevel(in.Type)
	}
}

// DefaultLevel is the level a problem type has when nothing raises it (SOP §8): level 2
// for a defect that stops use, a leak, a wrong item, a lost or not-received parcel.
func DefaultLevel(t ProblemType) Level {
	switch t {
	case TypeLeak, TypeMalfunction, TypeWrong, TypeLost, TypeNotReceived, TypeDamaged:
		return 2
	}
	return 3
}

// Validate checks the intake form of SOP §2 at now and returns every problem at once.
func (in Intake) Validate(now time.Time) error {
	checks := []fieldCheck{
		{"customer_name", in.CustomerName == "", "请填写顾客姓名或昵称"},
		{"customer_name", utf8.RuneCountInString(in.CustomerName) > 64, "顾客姓名不能超过64个字"},
		{"customer_phone", in.CustomerPhone != "" && !phonePattern.MatchString(in.CustomerPhone), "联系电话格式不正确"},
		{"customer_address", utf8.RuneCountInString(in.CustomerAddress) > 200, "地址不能超过200个字"},
		{"platform", in.Platform == "", "请选择平台"},
		{"platform", !in.Platform.Valid(), fmt.Sprintf("未知的平台 %q", in.Platform)},
		{"order_no", in.OrderNo == "", "请填写订单号"},
		{"order_no", !orderNoPattern.MatchString(in.OrderNo), "订单号须为4-64位字母、数字、下划线或短横线"},
		{"amount", in.Amount < 0 || in.Amount > maxAmount, "实付金额须在0到1000万元之间"},
		{"signed_at", in.SignedAt != nil && in.SignedAt.After(now.Add(time.Minute)), "签收时间不能晚于现在"},
		{"paid_at", in.PaidAt != nil && in.PaidAt.After(now.Add(time.Minute)), "付款时间不能晚于现在"},
		{"shipped_at", in.ShippedAt != nil && in.ShippedAt.After(now.Add(time.Minute)), "发货时间不能晚于现在"},
		{"shipped_at", in.ShippedAt != nil && in.PaidAt != nil && in.ShippedAt.Before(*in.PaidAt), "发货时间不能早于付款时间"},
		{"signed_at", in.SignedAt != nil && in.ShippedAt != nil && in.SignedAt.Before(*in.ShippedAt), "签收时间不能早于发货时间"},
		{"return_freight", in.ReturnFreight < 0 || in.ReturnFreight > maxFreight, "退货运费须在0到1000元之间"},
		{"tracking_no", in.TrackingNo != "" && !trackingPattern.MatchString(in.TrackingNo), "快递单号须为6-40位字母或数字"},
		{"courier", utf8.RuneCountInString(in.Courier) > 32, "快递公司名称过长"},
		{"sku", utf8.RuneCountInString(in.SKU) > 128, "商品型号过长"},
		{"batch", utf8.RuneCountInString(in.Batch) > 64, "批次过长"},
		{"channel", utf8.RuneCountInString(in.Channel) > 64, "购买渠道过长"},
		{"type", !in.Type.Valid(), fmt.Sprintf("未知的问题类型 %q", in.Type)},
		{"type", in.Type == TypePresale, "售前咨询不建售后工单"},
		{"description", in.Description == "", "请填写问题描述(何时发现、具体表现、影响程度)"},
		{"description", utf8.RuneCountInString(in.Description) > 2000, "问题描述不能超过2000个字"},
		{"demand", !in.Demand.Valid(), fmt.Sprintf("未知的顾客诉求 %q", in.Demand)},
		{"emotion", !in.Emotion.Valid(), fmt.Sprintf("未知的情绪 %q", in.Emotion)},
		{"level", !in.Level.Valid(), "等级须为1、2或3"},
	}
	var errs ValidationError
	for _, c := range checks {
		if c.bad && !errs.Has(c.field) {
			errs = append(errs, FieldError{Field: c.field, Message: c.msg})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
