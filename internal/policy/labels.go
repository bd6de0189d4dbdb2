package policy

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
)

// KeyLabels name every key of the policy file in Chinese, for pages that show the
// policy in force (docs/POLICY.md has the same keys with the write each one governs).
// shipping.deadline_hours.<platform> is named by KeyLabel.
var KeyLabels = map[string]string{
	"minor_flaw.return_freight":            "轻微瑕疵:退货运费(元,工单未填时使用)",
	"minor_flaw.exchange_freight":          "轻微瑕疵:换货来回运费(元)",
	"minor_flaw.first_offer_percent":       "轻微瑕疵:首次补偿占运费的比例(%)",
	"minor_flaw.round_to":                  "轻微瑕疵:补偿取整到(元)",
	"minor_flaw.raise_min":                 "轻微瑕疵:被拒后每次最少加价(元)",
	"minor_flaw.raise_max":                 "轻微瑕疵:被拒后每次最多加价(元)",
	"minor_flaw.max_raises":                "轻微瑕疵:最多加价次数,再被拒则寄回",
	"retention.min":                        "非质量问题劝留补偿下限(元)",
	"retention.max":                        "非质量问题劝留补偿上限(元)",
	"role_limits.agent":                    "客服可直接给出的金额上限(元)",
	"role_limits.supervisor":               "主管可审批的金额上限(元)",
	"role_limits.admin":                    "管理员可审批的金额上限(元)",
	"role_limits.kinds":                    "计入审批权限的方案",
	"freight.insurance_min":                "运费险最低赔付(元)",
	"freight.insurance_max":                "运费险最高赔付(元)",
	"freight.buyer_pays_original_shipping": "个人原因退货:买家承担原发货运费",
	"freight.seller_fault_types":           "卖家承担来回运费的问题类型(质量问题之外)",
	"exchange.waive_price_difference":      "换货差价免补上限(元)",
	"exchange.depreciation_after_days":     "换货折旧:频繁使用超过天数",
	"exchange.depreciation_per_day":        "换货折旧:每天折旧比例(%)",
	"discount.floor_percent":               "折扣底线:不低于原价的比例(%)",
	"discount.kinds":                       "适用折扣底线的方案",
	"warranty.repairs_before_exchange":     "三包:同一部位维修次数,再坏可换货",
	"warranty.period_days":                 "三包:保修期(天)",
	"size.tolerance_mm":                    "尺码允许误差(毫米)",
	"shipping.default_deadline_hours":      "其他平台发货时限(小时)",
	"shipping.penalty_percent":             "延迟发货赔付:实付金额比例(%)",
	"shipping.penalty_min":                 "延迟发货赔付下限(元)",
	"shipping.penalty_max":                 "延迟发货赔付上限(元)",
	"shipping.penalty_points":              "延迟发货扣分",
	"shipping.late_reason_percent":         "「未按约定时间发货」退货原因的平台扣款比例(%)",
	"no_reason.window_days":                "七天无理由:签收后天数",
}

// KeyLabel names a policy key in Chinese; ok is false for a key without a name.
func KeyLabel(key, platformLabel string) (string, bool) {
	if l, ok := KeyLabels[key]; ok {
		return l, true
	}
	if platformLabel != "" {
		return platformLabel + "发货时限(小时)", true
	}
	return key, false
}

// Flatten lists the config's values by key (minor_flaw.return_freight: "12"), as
// pages and the dry run of a new policy file show them; lists are joined with ", "
// and an unlimited admin is 不限.
func Flatten(cfg Config) (map[string]string, error) {
	raw, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, v := range x {
				walk(prefix+"."+k, v)
			}
		case []any:
			parts := make([]string, len(x))
			for i, p := range x {
				parts[i] = fmt.Sprint(p)
			}
			out[prefix[1:]] = strings.Join(parts, ", ")
		case nil:
			out[prefix[1:]] = "不限"
		default:
			out[prefix[1:]] = fmt.Sprint(x)
		}
	}
	walk("", tree)
	return out, nil
}

// ValueLabel words a flattened value (Flatten): solution kinds and problem types by their Chinese names,
// yes/no for switches.
func ValueLabel(v string) string {
	switch v {
	case "true":
		return "是"
	case "false":
		return "否"
	}
	parts := strings.Split(v, ", ")
	for i, p := range parts {
		if l, ok := cases.SolutionLabel(p); ok {
			parts[i] = l
		} else if l, ok := cases.LabelOf(cases.ProblemTypes, p); ok {
			parts[i] = l
		}
	}
	return strings.Join(parts, "、")
}
