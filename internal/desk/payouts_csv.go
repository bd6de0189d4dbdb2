package desk

import (
	"fmt"
	"io"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/export"
)

// payoutHeader is the batch-transfer file's columns (支付宝批量转账 takes account, name,
// amount and a note; platform payouts are paid from the order in the back office).
var payoutHeader = []string{"序号", "收款方式", "收款账号", "收款人姓名", "金额(元)", "备注", "平台", "订单号", "方案"}

// WritePayoutsCSV writes a payout list as the batch-transfer file.
func WritePayoutsCSV(w io.Writer, l PayoutList) error {
	cw, err := export.NewWriter(w, payoutHeader, 2, 7) // the account and the order number stay text
	if err != nil {
		return err
	}
	for i, p := range l.Payouts {
		kind, _ := cases.SolutionLabel(p.Kind)
		if err := cw.Row([]string{fmt.Sprint(i + 1), payChannelLabel(p.Channel), p.Account, p.PayeeName, p.Amount.String(),
			fmt.Sprintf("售后工单#%d %s", p.CaseID, kind), cases.PlatformLabel(p.Platform), p.OrderNo, kind}); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// PayChannels are the payout channels with their Chinese names.
var PayChannels = []cases.Code{{Code: execution.PayAlipay, Label: "支付宝转账"}, {Code: execution.PayPlatform, Label: "平台小额打款"}}

func payChannelLabel(c string) string {
	if l, ok := cases.LabelOf(PayChannels, c); ok {
		return l
	}
	return c
}
