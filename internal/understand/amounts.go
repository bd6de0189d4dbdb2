package understand

import (
	"slices"
	"strings"

	"github.com/shouhou/shouhou/internal/money"
)

// moneyVerbs introduce a bare number as a sum of money: 补偿200, 赔我50.
var moneyVerbs = []string{"补偿", "赔偿", "赔", "补", "返现", "返", "退", "红包", "差价", "便宜", "优惠", "花了", "付了", "价格", "才"}

// moneyFillers may stand between a money verb and its number.
var moneyFillers = []string{"给我", "我", "你", "个", "了", "一下", "下", "点", "金", "款", "大概", "至少", "最少", "只"}

// moneyUnits follow a number that is a sum of money. 块 after a Chinese numeral also
// counts pieces (碎了一块), so it needs a money verb or 钱.
var moneyUnits = []string{"块钱", "元", "圆", "rmb", "RMB", "块"}

func extractAmounts(rs []rune) []AmountEntity {
	var out []AmountEntity
	used := -1
	for i := 0; i < len(rs); i++ {
		if i < used || !startsNumber(rs, i) {
			continue
		}
		j := numberAt(rs, i)
		if j == i {
			continue
		}
		end, ok := amountEnd(rs, i, j)
		if !ok {
			i = j - 1
			continue
		}
		v, ok := parseNumber(rs[i:j])
		if ok && v > 0 {
			start := i
			if i > 0 && (rs[i-1] == '¥' || rs[i-1] == '￥') {
				start = i - 1
			}
			out = append(out, AmountEntity{Text: string(rs[start:end]), Amount: money.Amount(v)})
		}
		used, i = end, end-1
	}
	return out
}

// startsNumber is true at the first rune of a number (not inside one).
func startsNumber(rs []rune, i int) bool {
	r := rs[i]
	if !(r >= '0' && r <= '9' || isCNNumeral(r)) {
		return false
	}
	if i == 0 {
		return true
	}
	p := rs[i-1]
	return !(p >= '0' && p <= '9' || p == '.' || isCNNumeral(p) || isAlnum(p))
}

// amountEnd decides whether the number rs[i:j] is money and returns the end of its text.
func amountEnd(rs []rune, i, j int) (int, bool) {
	rest := string(rs[j:min(len(rs), j+8)])
	chinese := !(rs[i] >= '0' && rs[i] <= '9')
	verb := moneyVerbBefore(rs, i)
	for _, u := range moneyUnits {
		if !strings.HasPrefix(rest, u) {
			continue
		}
		if u == "块" && chinese && !verb {
			return 0, false
		}
		return j + len([]rune(u)), true
	}
	if i > 0 && (rs[i-1] == '¥' || rs[i-1] == '￥') {
		return j, true
	}
	if verb && !followedByCounter(rest) {
		return j, true
	}
	return 0, false
}

// followedByCounter rejects 补发2个, 退3件: counted goods, not money.
func followedByCounter(rest string) bool {
	for _, c := range []string{"个", "件", "只", "双", "条", "套", "台", "天", "次", "号", "码", "cm", "厘米", "公分", "斤", "%"} {
		if strings.HasPrefix(rest, c) {
			return true
		}
	}
	return false
}

// moneyVerbBefore reports whether a money verb, possibly followed by fillers, ends
// right before rs[i].
func moneyVerbBefore(rs []rune, i int) bool {
	before := string(rs[max(0, i-6):i])
	for range 3 {
		trimmed := before
		for _, f := range moneyFillers {
			trimmed = strings.TrimSuffix(trimmed, f)
		}
		if trimmed == before {
			break
		}
		before = trimmed
	}
	return slices.ContainsFunc(moneyVerbs, func(v string) bool { return strings.HasSuffix(before, v) })
}
