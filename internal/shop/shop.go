// Package shop holds the rules of a business's shops (store.Shop): what a valid shop
// is, which return address serves a case's product line, the script placeholders a
// shop fills ({店铺名}, {退货地址}) and the agent's ({客服工号}), and a shop's overrides
// of the SLA. It is pure: the desk keeps the shops (desk/shops.go) and the admins edit
// them on the workbench's 店铺 pages and through /api/v1/shops.
package shop

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/store"
)

// MaxAddresses bounds a shop's return addresses; MaxProducts an address's keywords.
const (
	MaxAddresses = 8
	MaxProducts  = 20
)

// maxSLAHours bounds an overridden clock (a month).
const maxSLAHours = 720

var codeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// AddressString is the address as a customer copies it: 收件人 电话 地址.
func AddressString(a store.ShopAddress) string {
	return strings.Join(strings.Fields(a.Recipient+" "+a.Phone+" "+a.Address), " ")
}

func emptyAddress(a store.ShopAddress) bool {
	return strings.TrimSpace(a.Label+a.Recipient+a.Phone+a.Address+strings.Join(a.Products, "")) == ""
}

// Normalize trims every field, drops empty addresses and keywords, and lower-cases
// the code.
func Normalize(sh store.Shop) store.Shop {
	sh.Code = strings.ToLower(strings.TrimSpace(sh.Code))
	sh.Name = strings.TrimSpace(sh.Name)
	sh.Platform = cases.Platform(strings.TrimSpace(string(sh.Platform)))
	addrs := []store.ShopAddress{}
	for _, a := range sh.ReturnAddresses {
		a.Label, a.Recipient = strings.TrimSpace(a.Label), strings.TrimSpace(a.Recipient)
		a.Phone, a.Address = strings.TrimSpace(a.Phone), strings.TrimSpace(a.Address)
		var products []string
		for _, p := range a.Products {
			for _, k := range strings.FieldsFunc(p, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' || r == '\n' }) {
				if k = strings.TrimSpace(k); k != "" && !slices.Contains(products, k) {
					products = append(products, k)
				}
			}
		}
		a.Products = products
		if !emptyAddress(a) {
			addrs = append(addrs, a)
		}
	}
	sh.ReturnAddresses = addrs
	return sh
}

// Validate checks a shop; each error names the field as the API and the workbench
// form call it (return_addresses.0.phone, overrides.sla.1.resolve_hours).
func Validate(sh store.Shop) error {
	var errs cases.ValidationError
	add := func(field, msg string) { errs = append(errs, cases.FieldError{Field: field, Message: msg}) }
	if !codeRE.MatchString(sh.Code) {
		add("code", "店铺代码须为1-32位小写字母、数字、-或_,如 tmall-main")
	}
	if !sh.Platform.Valid() {
		add("platform", "未知的平台")
	}
	if n := utf8.RuneCountInString(sh.Name); n == 0 || n > 40 {
		add("name", "请填写店铺名(1-40字)")
	}
	if len(sh.ReturnAddresses) > MaxAddresses {
		add("return_addresses", fmt.Sprintf("最多%d个退货地址", MaxAddresses))
	}
	defaults := 0
	for i, a := range sh.ReturnAddresses {
		f := fmt.Sprintf("return_addresses.%d.", i)
		switch {
		case a.Recipient == "":
			add(f+"recipient", "请填写收件人")
		case utf8.RuneCountInString(a.Recipient) > 20:
			add(f+"recipient", "收件人不能超过20个字")
		}
		if a.Phone == "" || utf8.RuneCountInString(a.Phone) > 20 || strings.Trim(a.Phone, "0123456789-+ ") != "" {
			add(f+"phone", "请填写正确的联系电话")
		}
		if n := utf8.RuneCountInString(a.Address); n < 5 || n > 120 {
			add(f+"address", "请填写完整的退货地址(5-120字)")
		}
		if utf8.RuneCountInString(a.Label) > 20 {
			add(f+"label", "名称不能超过20个字")
		}
		if len(a.Products) > MaxProducts {
			add(f+"products", fmt.Sprintf("每个地址最多%d个产品关键词", MaxProducts))
		}
		for _, p := range a.Products {
			if utf8.RuneCountInString(p) > 20 {
				add(f+"products", "产品关键词不能超过20个字")
				break
			}
		}
		if a.Default {
			defaults++
		}
	}
	if defaults > 1 {
		add("return_addresses", "只能有一个默认退货地址")
	}
	for l, v := range sh.Overrides.SLA {
		f := fmt.Sprintf("overrides.sla.%d.", l)
		if !l.Valid() {
			add(fmt.Sprintf("overrides.sla.%d", l), "等级须为1、2或3")
			continue
		}
		if v.FirstResponseHours < 0 || v.FirstResponseHours > maxSLAHours {
			add(f+"first_response_hours", fmt.Sprintf("首次响应时限须在1到%d小时之间", maxSLAHours))
		}
		if v.ResolveHours < 0 || v.ResolveHours > maxSLAHours {
			add(f+"resolve_hours", fmt.Sprintf("解决时限须在1到%d小时之间", maxSLAHours))
		}
	}
	if fr := sh.Overrides.ReturnFreight; fr != nil && (*fr <= 0 || *fr > money.Yuan(500)) {
		add("overrides.return_freight", "退货运费须在0.01到500元之间")
	}
	if al := sh.Overrides.AgentLimit; al != nil && *al < 0 {
		add("overrides.agent_limit", "客服审批上限不能为负数")
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// CheckSLA is Validate's check of the overrides against the configuration's clocks:
// a level's first response may not come after its resolution once laid over base.
func CheckSLA(base clock.SLA, o store.ShopOverrides) error {
	merged := SLA(base, o)
	for l := range o.SLA {
		if v := merged.Levels[l]; v.FirstResponseHours > v.ResolveHours {
			return cases.ValidationError{{Field: fmt.Sprintf("overrides.sla.%d.first_response_hours", l), Message: "首次响应时限不能长于解决时限"}}
		}
	}
	return nil
}

// SLA lays a shop's overrides over the configuration's clocks: only the numbers the
// shop names change.
func SLA(base clock.SLA, o store.ShopOverrides) clock.SLA {
	if len(o.SLA) == 0 {
		return base
	}
	out := base
	out.Levels = make(map[cases.Level]clock.LevelSLA, len(base.Levels))
	for l, v := range base.Levels {
		if ov, ok := o.SLA[l]; ok {
			if ov.FirstResponseHours > 0 {
				v.FirstResponseHours = ov.FirstResponseHours
			}
			if ov.ResolveHours > 0 {
				v.ResolveHours = ov.ResolveHours
			}
		}
		out.Levels[l] = v
	}
	return out
}

// ReturnAddress is the address that serves the case: the first whose product keyword
// is in the case's SKU, else the first whose keyword is in its description, else the
// default address (the one marked default, else the first without keywords, else the
// first). ok is false when the shop has no address.
func ReturnAddress(sh store.Shop, c cases.Case) (store.ShopAddress, bool) {
	if len(sh.ReturnAddresses) == 0 {
		return store.ShopAddress{}, false
	}
	for _, text := range []string{c.SKU, c.Description} {
		text = strings.ToLower(text)
		if text == "" {
			continue
		}
		for _, a := range sh.ReturnAddresses {
			for _, p := range a.Products {
				if strings.Contains(text, strings.ToLower(p)) {
					return a, true
				}
			}
		}
	}
	if i := slices.IndexFunc(sh.ReturnAddresses, func(a store.ShopAddress) bool { return a.Default }); i >= 0 {
		return sh.ReturnAddresses[i], true
	}
	if i := slices.IndexFunc(sh.ReturnAddresses, func(a store.ShopAddress) bool { return len(a.Products) == 0 }); i >= 0 {
		return sh.ReturnAddresses[i], true
	}
	return sh.ReturnAddresses[0], true
}

// Values are the placeholders the case's shop fills: {店铺名} and the {退货地址} of the
// case's product line. An empty name or no address fills nothing, so the script shows
// the placeholder for the agent to complete.
func Values(sh store.Shop, c cases.Case) map[string]string {
	v := map[string]string{}
	if sh.Name != "" {
		v["店铺名"] = sh.Name
	}
	if a, ok := ReturnAddress(sh, c); ok {
		v["退货地址"] = AddressString(a)
	}
	return v
}

// AgentValues are the placeholders the agent's profile fills.
func AgentValues(u store.User) map[string]string {
	v := map[string]string{}
	if no := strings.TrimSpace(u.AgentNo); no != "" {
		v["客服工号"] = no
	}
	return v
}
