package desk

import (
	"context"

	"github.com/shouhou/shouhou/internal/calendar"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/store"
)

// Payout views: what the payer works through.
const (
	PayoutsDue     = "due"     // ready to pay: payee known, good review confirmed if awaited
	PayoutsWaiting = "waiting" // approved but waiting for the payee's account or the good review
	PayoutsPaid    = "paid"    // paid on the day asked for
	PayoutsFailed  = "pay_failed"
)

// PayoutList is one view of the payer's list with its total.
type PayoutList struct {
	View    string         `json:"view"`
	Day     string         `json:"day,omitempty"`
	Payouts []store.Payout `json:"payouts"`
	Count   int            `json:"count"`
	Total   money.Amount   `json:"total"`
}

// Payouts is the payer's list (seed 001, 小额打款): what is due now, what waits for an
// account or a good review, what failed, and what was paid on a day (YYYY-MM-DD in the
// shop's zone; empty: today). An empty view is the due list.
func (d *Desk) Payouts(ctx context.Context, view, day string) (PayoutList, error) {
	if view == "" {
		view = PayoutsDue
	}
	f := store.PayoutFilter{State: view}
	out := PayoutList{View: view}
	switch view {
	case PayoutsDue, PayoutsWaiting, PayoutsFailed:
	case PayoutsPaid:
		date := calendar.DateOf(d.clockNow().In(d.zone))
		if day != "" {
			var err error
			if date, err = calendar.ParseDate(day); err != nil {
				return out, invalid("day", "日期格式须为 YYYY-MM-DD")
			}
		}
		f.PaidFrom, f.PaidTo, out.Day = date.Start(d.zone), date.AddDays(1).Start(d.zone), date.String()
	default:
		return out, invalid("view", "清单须为 due(待打款)、waiting(待补充)、paid(已打款)或 pay_failed(打款失败)")
	}
	list, err := d.store.Payouts(ctx, f)
	if err != nil {
		return out, err
	}
	out.Payouts, out.Count = list, len(list)
	for _, p := range list {
		out.Total += p.Amount
	}
	return out, nil
}

// PayoutViews are the views with their Chinese names, in the payer's order.
var PayoutViews = []cases.Code{
	{Code: PayoutsDue, Label: "待打款"}, {Code: PayoutsWaiting, Label: "待补充账号/好评"},
	{Code: PayoutsFailed, Label: "打款失败"}, {Code: PayoutsPaid, Label: "已打款"},
}
