package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/store"
)

// intakeForm is the 问题受理表 of SOP §2 as typed, so that a refused form comes back
// exactly as the agent left it, with the errors next to the fields.
type intakeForm struct {
	CustomerName, CustomerPhone, CustomerAddress, Platform, OrderNo, Amount, SignedAt string
	PaidAt, ShippedAt, ReturnFreight                                                  string
	FreightInsurance                                                                  bool
	Courier, TrackingNo, SKU, Batch, Channel, Type, Description, Demand, Emotion      string
	Level                                                                             string
	// Shop is the chosen shop's id; Shops the choice (only with more than one shop).
	Shop     string
	Shops    []store.Shop
	Errors   map[string]string
	Codes    codeLists
	Disabled bool
}

const dateTimeLocal = "2006-01-02T15:04"

func formFromIntake(in cases.Intake, zone *time.Location) intakeForm {
	f := intakeForm{CustomerName: in.CustomerName, CustomerPhone: in.CustomerPhone, CustomerAddress: in.CustomerAddress,
		Platform: string(in.Platform), OrderNo: in.OrderNo, FreightInsurance: in.FreightInsurance, Courier: in.Courier,
		TrackingNo: in.TrackingNo, SKU: in.SKU, Batch: in.Batch, Channel: in.Channel, Type: string(in.Type),
		Description: in.Description, Demand: string(in.Demand), Emotion: string(in.Emotion), Codes: allCodes()}
	if in.Amount != 0 {
		f.Amount = in.Amount.String()
	}
	f.SignedAt, f.PaidAt, f.ShippedAt = localTime(in.SignedAt, zone), localTime(in.PaidAt, zone), localTime(in.ShippedAt, zone)
	if in.ReturnFreight != 0 {
		f.ReturnFreight = in.ReturnFreight.String()
	}
	if in.Level != 0 {
		f.Level = strconv.Itoa(int(in.Level))
	}
	return f
}

func formFromRequest(r *http.Request) intakeForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return intakeForm{CustomerName: v("customer_name"), CustomerPhone: v("customer_phone"), CustomerAddress: v("customer_address"),
		Platform: v("platform"), OrderNo: v("order_no"), Amount: v("amount"), SignedAt: v("signed_at"),
		PaidAt: v("paid_at"), ShippedAt: v("shipped_at"), ReturnFreight: v("return_freight"),
		FreightInsurance: r.PostFormValue("freight_insurance") != "", Courier: v("courier"), TrackingNo: v("tracking_no"),
		SKU: v("sku"), Batch: v("batch"), Channel: v("channel"), Type: v("type"), Description: v("description"),
		Demand: v("demand"), Emotion: v("emotion"), Level: v("level"), Shop: v("shop_id"), Codes: allCodes()}
}

// intake converts the form; what cannot even be parsed (an amount, a date) is a field
// error in Chinese, and the desk validates the rest.
func (f intakeForm) intake(zone *time.Location) (cases.Intake, map[string]string) {
	errs := map[string]string{}
	in := cases.Intake{CustomerName: f.CustomerName, CustomerPhone: f.CustomerPhone, CustomerAddress: f.CustomerAddress,
		Platform: cases.Platform(f.Platform), OrderNo: f.OrderNo, FreightInsurance: f.FreightInsurance, Courier: f.Courier,
		TrackingNo: f.TrackingNo, SKU: f.SKU, Batch: f.Batch, Channel: f.Channel, Type: cases.ProblemType(f.Type),
		Description: f.Description, Demand: cases.Demand(f.Demand), Emotion: cases.Emotion(f.Emotion)}
	for _, a := range []struct {
		field, value string
		into         *money.Amount
	}{{"amount", f.Amount, &in.Amount}, {"return_freight", f.ReturnFreight, &in.ReturnFreight}} {
		if a.value == "" {
			continue
		}
		v, err := money.Parse(strings.TrimSuffix(a.value, "元"))
		if err != nil {
			errs[a.field] = "金额格式不正确,例如 59.9"
		}
		*a.into = v
	}
	for _, t := range []struct {
		field, value, name string
		into               **time.Time
	}{{"signed_at", f.SignedAt, "签收时间", &in.SignedAt}, {"paid_at", f.PaidAt, "付款时间", &in.PaidAt}, {"shipped_at", f.ShippedAt, "发货时间", &in.ShippedAt}} {
		if t.value == "" {
			continue
		}
		at, err := time.ParseInLocation(dateTimeLocal, t.value, zone)
		if err != nil {
			errs[t.field] = t.name + "格式不正确"
			continue
		}
		at = at.UTC()
		*t.into = &at
	}
	if f.Shop != "" {
		id, err := strconv.ParseInt(f.Shop, 10, 64)
		if err != nil {
			errs["shop_id"] = "店铺不存在"
		}
		in.ShopID = id
	}
	if f.Level != "" {
		l, err := strconv.Atoi(f.Level)
		if err != nil {
			errs["level"] = "等级须为1、2或3"
		}
		in.Level = cases.Level(l)
	}
	return in, errs
}

// patch is the whole form as a desk.Update patch: every key is present, so clearing an
// optional field clears it.
func (f intakeForm) patch(in cases.Intake) map[string]any {
	p := map[string]any{
		"customer_name": in.CustomerName, "customer_phone": in.CustomerPhone, "customer_address": in.CustomerAddress,
		"platform": in.Platform, "order_no": in.OrderNo, "amount": in.Amount, "signed_at": in.SignedAt,
		"paid_at": in.PaidAt, "shipped_at": in.ShippedAt, "return_freight": in.ReturnFreight,
		"freight_insurance": in.FreightInsurance, "courier": in.Courier, "tracking_no": in.TrackingNo, "sku": in.SKU,
		"batch": in.Batch, "channel": in.Channel, "type": in.Type, "description": in.Description, "demand": in.Demand,
		"emotion": in.Emotion, "level": in.Level,
	}
	return p
}

// localTime shows a time in the shop's zone for a datetime-local input.
func localTime(t *time.Time, zone *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(zone).Format(dateTimeLocal)
}
