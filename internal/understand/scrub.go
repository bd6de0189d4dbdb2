package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Scrubbing: what never drives a label. Real chats are full of masked spans
// ([数字], [姓名], [地址], [金额]), product links, order and tracking numbers, phone
// numbers and prices; their words (订单号, 快递单号, 价格, 地址) would otherwise vote for
// chasing, an address change or a price complaint. scrub removes them, with the field
// label in front of them (快递单号：SF…, 收货地址：[地址], 价格89元), from the copy of the
// message used for cues and model features; entities are still read from the
// customer's own text. What it removed is kept as a fact: an order or tracking number
// means the customer already has an order (pre-sale vs after-sale, §8).

// scrubbed is the message with its noise removed, and what the noise said.
type scrubbed struct {
	text     string
	hasOrder bool // an order or tracking number (or its masked span) was given
}

// fieldLabels are the words that name a removed value; longer labels first.
var fieldLabels = []string{
	"快递单号", "物流单号", "运单号码", "运单号", "订单编号", "订单号码", "订单号", "快递号", "物流号", "单号", "订单",
	"收货地址", "收件地址", "详细地址", "地址", "收件人", "收货人", "联系人", "姓名", "手机号码", "手机号", "联系电话",
	"联系方式", "电话", "手机", "实付款", "实付", "付款金额", "金额", "价格", "价钱", "售价", "单价", "原价", "券后",
	"宝贝链接", "商品链接", "链接", "商品编号", "编号", "型号", "sku", "id", "no",
}

// orderLabels are the labels whose value proves an order exists.
var orderLabels = []string{"快递单号", "物流单号", "运单号码", "运单号", "订单编号", "订单号码", "订单号", "快递号", "物流号", "单号", "订单"}

// scrub removes masked spans, URLs, long digit runs (order, tracking, phone numbers)
// and prices with their field labels from a normalised, lower-cased message.
func scrub(key string) scrubbed {
	if !hasNoise(key) {
		return scrubbed{text: key}
	}
	out := make([]byte, 0, len(key))
	res := scrubbed{}
	for i := 0; i < len(key); {
		r, size := utf8.DecodeRuneInString(key[i:])
		switch {
		case r == '[' || r == '【':
			if end, tag := maskedSpan(key[i:]); end > 0 {
				label := dropLabel(&out)
				if isOrderLabel(label) || tag == "订单号" || tag == "单号" || tag == "快递单号" {
					res.hasOrder = true
				}
				i += end
				i += skipUnit(key[i:])
				continue
			}
		case strings.HasPrefix(key[i:], "http") || strings.HasPrefix(key[i:], "www."):
			j := i
			for j < len(key) && key[j] < utf8.RuneSelf && key[j] > ' ' {
				if key[j] == '[' {
					if end, _ := maskedSpan(key[j:]); end > 0 {
						j += end
						continue
					}
				}
				j++
			}
			dropLabel(&out)
			i = j
			continue
		case r == '¥' || r == '￥' || r == '$':
			j := i + size
			for j < len(key) && (isDigit(key[j]) || key[j] == '.') {
				j++
			}
			if j > i+size {
				dropLabel(&out)
				i = j + skipUnit(key[j:])
				continue
			}
		case r < utf8.RuneSelf && (isDigit(byte(r)) || unicode.IsLetter(r)):
			j, digits := i, 0
			for j < len(key) && key[j] < utf8.RuneSelf && (isDigit(key[j]) || isASCIILetter(key[j]) || key[j] == '-') {
				if isDigit(key[j]) {
					digits++
				}
				j++
			}
			if digits >= 6 || (digits >= 4 && j-i >= 8) {
				label := dropLabel(&out)
				if label == "" || isOrderLabel(label) {
					res.hasOrder = res.hasOrder || isOrderLabel(label) || digits >= 10
				}
				i = j
				continue
			}
			if digits > 0 && digits == j-i && isPriceAt(string(out[max(0, len(out)-32):]), key[j:]) {
				dropLabel(&out)
				i = j + skipUnit(key[j:])
				continue
			}
			out = append(out, key[i:j]...)
			i = j
			continue
		}
		out = append(out, key[i:i+size]...)
		i += size
	}
	res.text = sharePhrases.Replace(string(out))
	return res
}

// sharePhrases are the words a shared product link carries (「商品」点击链接直接打开).
var sharePhrases = strings.NewReplacer("点击链接直接打开", "", "「商品」", "", "复制这条信息", "", "打开手机淘宝", "", "复制打开", "", "点击链接", "", "商品链接", "", "宝贝链接", "")

func hasNoise(key string) bool {
	digits := 0
	for i := 0; i < len(key); i++ {
		switch b := key[i]; {
		case b == '[' || b == '$':
			return true
		case isDigit(b):
			digits++
			if digits >= 2 {
				return true
			}
		case b == 'h' || b == 'w':
			if strings.HasPrefix(key[i:], "http") || strings.HasPrefix(key[i:], "www.") {
				return true
			}
		}
	}
	return strings.Contains(key, "【") || strings.ContainsRune(key, '¥') || strings.ContainsRune(key, '￥')
}

// maskedSpan returns the byte length of a masked span ([数字], 【姓名】, [图片]) at the
// start of s and its tag, or 0 when s does not start with one. A bracket holding
// more than 12 runes is text, not a mask.
func maskedSpan(s string) (int, string) {
	open, size := utf8.DecodeRuneInString(s)
	closing := ']'
	if open == '【' {
		closing = '】'
	}
	n := 0
	for j := size; j < len(s); {
		r, sz := utf8.DecodeRuneInString(s[j:])
		if r == closing {
			if n == 0 {
				return 0, ""
			}
			return j + sz, s[size:j]
		}
		if r == '\n' || n >= 12 {
			return 0, ""
		}
		n++
		j += sz
	}
	return 0, ""
}

// dropLabel removes a field label (and the separator after it) from the end of b and
// returns it. It looks at the tail only, so scrubbing stays linear.
func dropLabel(b *[]byte) string {
	t := *b
	for len(t) > 0 {
		r, size := utf8.DecodeLastRune(t)
		if r != ':' && r != '：' && r != ' ' && r != '是' && r != '为' && r != '#' && r != '=' {
			break
		}
		t = t[:len(t)-size]
	}
	for _, l := range fieldLabels {
		if len(t) >= len(l) && string(t[len(t)-len(l):]) == l {
			*b = t[:len(t)-len(l)]
			return l
		}
	}
	return ""
}

func isOrderLabel(l string) bool {
	for _, o := range orderLabels {
		if l == o {
			return true
		}
	}
	return false
}

// priceWords before a bare number make it a price (价格89, 花了89, 实付89).
var priceWords = []string{"价格", "价钱", "实付", "付了", "花了", "售价", "单价", "原价", "金额", "买的时候"}

// isPriceAt reports whether a bare number sits between a price word (before) and a
// currency unit (after): 价格89元, 89块, 89.9元.
func isPriceAt(before, after string) bool {
	if skipUnit(after) > 0 {
		return true
	}
	before = strings.TrimRight(before, ":： 是为")
	for _, w := range priceWords {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// skipUnit returns the byte length of a currency unit (or a decimal part and a unit)
// at the start of s.
func skipUnit(s string) int {
	i := 0
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j > i+1 {
			i = j
		}
	}
	for _, u := range []string{"块钱", "元", "块", "rmb", "米"} {
		if strings.HasPrefix(s[i:], u) {
			if u == "米" {
				return i
			}
			return i + len(u)
		}
	}
	return i
}

func isDigit(b byte) bool       { return b >= '0' && b <= '9' }
func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
