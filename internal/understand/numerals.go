package understand

var cnDigits = map[rune]int64{
	'零': 0, '〇': 0, '一': 1, '壹': 1, '二': 2, '贰': 2, '两': 2, '俩': 2, '三': 3, '叁': 3,
	'四': 4, '肆': 4, '五': 5, '伍': 5, '六': 6, '陆': 6, '七': 7, '柒': 7, '八': 8, '捌': 8,
	'九': 9, '玖': 9,
}

var cnUnits = map[rune]int64{'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000, '万': 10000}

func isCNNumeral(r rune) bool {
	_, d := cnDigits[r]
	_, u := cnUnits[r]
	return d || u
}

// parseCN reads a Chinese numeral such as 五十, 两百, 一百五 (colloquial 150), 三万五.
// ok is false for input that is not a well-formed numeral.
func parseCN(rs []rune) (int64, bool) {
	if len(rs) == 0 {
		return 0, false
	}
	var total, section, num int64
	lastUnit := int64(1)
	afterZero := false
	for _, r := range rs {
		if d, ok := cnDigits[r]; ok {
			afterZero = afterZero || r == '零' || r == '〇'
			num = num*10 + d
			continue
		}
		u := cnUnits[r]
		if u == 10000 {
			total += (section + num) * 10000
			section, num, lastUnit = 0, 0, 10000
			continue
		}
		if num == 0 {
			if u != 10 || section != 0 {
				return 0, false
			}
			num = 1
		}
		section += num * u
		num, lastUnit = 0, u
		afterZero = false
	}
	if num > 0 && num < 10 && lastUnit >= 100 && !afterZero {
		num *= lastUnit / 10 // 一百五 is 150, 两千五 is 2500
	}
	return total + section + num, true
}

// parseNumber reads ASCII digits with an optional decimal part, or a Chinese numeral,
// as hundredths (fen for money), so 12.5 is 1250.
func parseNumber(rs []rune) (int64, bool) {
	if len(rs) == 0 {
		return 0, false
	}
	if isCNNumeral(rs[0]) {
		v, ok := parseCN(rs)
		return v * 100, ok
	}
	var whole, frac int64
	fracDigits := -1
	for _, r := range rs {
		switch {
		case r >= '0' && r <= '9' && fracDigits < 0:
			whole = whole*10 + int64(r-'0')
			if whole > 1e12 {
				return 0, false
			}
		case r >= '0' && r <= '9' && fracDigits < 2:
			frac = frac*10 + int64(r-'0')
			fracDigits++
		case r >= '0' && r <= '9':
		case r == '.' && fracDigits < 0:
			fracDigits = 0
		default:
			return 0, false
		}
	}
	for ; fracDigits > 0 && fracDigits < 2; fracDigits++ {
		frac *= 10
	}
	return whole*100 + frac, true
}

// numberAt returns the extent [i, j) of the number starting at rs[i]: ASCII digits
// with at most one '.', or a run of Chinese numerals. j == i when there is none.
func numberAt(rs []rune, i int) int {
	j := i
	if j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
		dot := false
		for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || rs[j] == '.' && !dot && j+1 < len(rs) && rs[j+1] >= '0' && rs[j+1] <= '9') {
			dot = dot || rs[j] == '.'
			j++
		}
		return j
	}
	for j < len(rs) && isCNNumeral(rs[j]) {
		j++
	}
	return j
}
