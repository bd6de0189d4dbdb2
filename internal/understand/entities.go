package understand

import (
	"strings"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/money"
)

// Entities are the facts a message carries for the intake form (SOP §2).
type Entities struct {
	OrderNumbers    []string       `json:"order_numbers,omitempty"`
	TrackingNumbers []Tracking     `json:"tracking_numbers,omitempty"`
	Phones          []string       `json:"phones,omitempty"`
	Amounts         []AmountEntity `json:"amounts,omitempty"`
	Products        []string       `json:"products,omitempty"`
	Times           []TimeEntity   `json:"times,omitempty"`
}

// Tracking is a waybill number with the courier its format suggests ("" if unknown).
type Tracking struct {
	Number  string `json:"number"`
	Courier string `json:"courier,omitempty"`
}

// AmountEntity is a sum of money named in the message ("补偿200", "五十元").
type AmountEntity struct {
	Text   string       `json:"text"`
	Amount money.Amount `json:"amount"`
}

// TimeEntity is a time expression; Hours is set for durations ("三天了" → 72).
type TimeEntity struct {
	Text  string  `json:"text"`
	Hours float64 `json:"hours,omitempty"`
}

func (c *Classifier) extractEntities(text string) Entities {
	rs := []rune(text)
	var e Entities
	for _, run := range alnumRuns(rs) {
		e.addNumber(run, rs)
	}
	e.Amounts = extractAmounts(rs)
	e.Products = longestMatches(c.products, text)
	e.Times = c.extractTimes(rs)
	return e
}

// MaskPhone hides the middle four digits of a mobile number for logs: 138****1234.
func MaskPhone(phone string) string {
	if len(phone) != 11 {
		return phone
	}
	return phone[:3] + "****" + phone[7:]
}

// MaskText replaces every mobile number in text by its masked form.
func MaskText(text string) string {
	rs := []rune(text)
	var b strings.Builder
	last := 0
	for _, run := range alnumRuns(rs) {
		if p, ok := asPhone(run.text); ok {
			b.WriteString(string(rs[last:run.start]))
			b.WriteString(MaskPhone(p))
			last = run.end
		}
	}
	b.WriteString(string(rs[last:]))
	return b.String()
}

// run is a maximal stretch of ASCII letters and digits, [start, end) in runes. Phone
// numbers written 138-1234-5678 and Pinduoduo orders 230512-123… are joined into one.
type run struct {
	text       string
	start, end int
}

func alnumRuns(rs []rune) []run {
	var out []run
	for i := 0; i < len(rs); {
		if !isAlnum(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && (isAlnum(rs[j]) || joinable(rs, i, j)) {
			j++
		}
		out = append(out, run{text: strings.Map(dropSeparator, string(rs[i:j])), start: i, end: j})
		i = j
	}
	return out
}

// joinable reports whether the separator rs[j] continues the number that began at i:
// the 3-4-4 grouping of a phone or the 6-15 grouping of a Pinduoduo order.
func joinable(rs []rune, i, j int) bool {
	if rs[j] != '-' && rs[j] != ' ' {
		return false
	}
	prev := digitsBack(rs, j)
	next := digitsForward(rs, j+1)
	whole := j - i
	switch {
	case prev == 3 && whole == 3 && next == 4 && rs[i] == '1':
		return true
	case prev == 4 && whole == 8 && next == 4 && rs[i] == '1':
		return true
	case prev == 6 && whole == 6 && next == 15 && rs[j] == '-':
		return true
	}
	return false
}

func digitsBack(rs []rune, j int) int {
	n := 0
	for k := j - 1; k >= 0 && rs[k] >= '0' && rs[k] <= '9'; k-- {
		n++
	}
	return n
}

func digitsForward(rs []rune, j int) int {
	n := 0
	for k := j; k < len(rs) && rs[k] >= '0' && rs[k] <= '9'; k++ {
		n++
	}
	return n
}

func dropSeparator(r rune) rune {
	if r == ' ' {
		return -1
	}
	return r
}

func isAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

func (e *Entities) addNumber(r run, rs []rune) {
	if p, ok := asPhone(r.text); ok {
		e.Phones = append(e.Phones, p)
		return
	}
	upper := strings.ToUpper(r.text)
	ctx := string(rs[max(0, r.start-8):r.start])
	switch {
	case strings.Contains(ctx, "订单"):
		e.OrderNumbers = append(e.OrderNumbers, upper)
	case isPinduoduoOrder(upper):
		e.OrderNumbers = append(e.OrderNumbers, upper)
	case guessCourier(upper) != "":
		e.TrackingNumbers = append(e.TrackingNumbers, Tracking{Number: upper, Courier: guessCourier(upper)})
	case courierNamed(ctx) != "" && len(upper) >= 8:
		e.TrackingNumbers = append(e.TrackingNumbers, Tracking{Number: upper, Courier: courierNamed(ctx)})
	case hasAny(ctx, "快递", "运单", "物流", "单号") && len(upper) >= 8:
		e.TrackingNumbers = append(e.TrackingNumbers, Tracking{Number: upper})
	case allDigits(upper) && len(upper) >= 10 && len(upper) <= 20:
		e.OrderNumbers = append(e.OrderNumbers, upper)
	}
}

// asPhone accepts a Chinese mobile number, optionally with the 86 country code.
func asPhone(s string) (string, bool) {
	s = strings.ReplaceAll(s, "-", "")
	if len(s) == 13 && strings.HasPrefix(s, "86") {
		s = s[2:]
	}
	if len(s) == 11 && allDigits(s) && s[0] == '1' && s[1] >= '3' && s[1] <= '9' {
		return s, true
	}
	return "", false
}

func isPinduoduoOrder(s string) bool {
	a, b, ok := strings.Cut(s, "-")
	return ok && len(a) == 6 && len(b) == 15 && allDigits(a) && allDigits(b)
}

// guessCourier names the courier whose waybill format s has, or "".
func guessCourier(s string) string {
	n := len(s)
	switch {
	case strings.HasPrefix(s, "SF") && digitsFrom(s, 2) && (n == 14 || n == 15):
		return "顺丰"
	case strings.HasPrefix(s, "JD") && n >= 13 && n <= 17 && allDigits(s[n-10:]):
		return "京东"
	case strings.HasPrefix(s, "YT") && digitsFrom(s, 2) && n >= 15 && n <= 17:
		return "圆通"
	case strings.HasPrefix(s, "JT") && digitsFrom(s, 2) && n == 15:
		return "极兔"
	case strings.HasPrefix(s, "DPK") && digitsFrom(s, 3) && n >= 12:
		return "德邦"
	case n == 13 && isUpper(s[0]) && isUpper(s[1]) && allDigits(s[2:11]) && isUpper(s[11]) && isUpper(s[12]):
		return "EMS"
	case !allDigits(s):
		return ""
	case n == 12 && hasPrefixAny(s, "73", "75", "76", "78"):
		return "中通"
	case n == 13 && strings.HasPrefix(s, "77"):
		return "申通"
	case n == 13 && hasPrefixAny(s, "43", "46", "31", "30", "39"):
		return "韵达"
	case n == 13 && hasPrefixAny(s, "10", "11", "98", "99"):
		return "EMS"
	}
	return ""
}

// courierNames are the couriers a customer names before a waybill number.
var courierNames = []string{"顺丰", "京东", "中通", "圆通", "申通", "韵达", "极兔", "邮政", "EMS", "德邦"}

func courierNamed(ctx string) string {
	for _, n := range courierNames {
		if strings.Contains(strings.ToUpper(ctx), n) {
			return n
		}
	}
	return ""
}

func digitsFrom(s string, i int) bool { return len(s) > i && allDigits(s[i:]) }

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func hasPrefixAny(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func hasAny(s string, subs ...string) bool {
	for _, p := range subs {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// longestMatches returns the terms of ts found in s, scanning left to right and
// taking the longest term at each position, each distinct term once.
func longestMatches(ts *termSet, s string) []string {
	var out []string
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		matched := ""
		for _, id := range ts.byFirst[r] {
			if strings.HasPrefix(s[i:], ts.terms[id]) {
				matched = ts.terms[id]
				break
			}
		}
		if matched == "" {
			i += size
			continue
		}
		if !containsString(out, matched) {
			out = append(out, matched)
		}
		i += len(matched)
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
