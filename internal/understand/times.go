package understand

import "strings"

// durationUnits map a unit after a number to hours; 月 alone is a calendar month
// (5月), so only 个月 counts.
var durationUnits = []struct {
	unit  string
	hours float64
}{
	{"个多星期", 168}, {"个多礼拜", 168}, {"个多小时", 1}, {"个多月", 720},
	{"个星期", 168}, {"个礼拜", 168}, {"个小时", 1}, {"个钟头", 1}, {"个月", 720},
	{"星期", 168}, {"礼拜", 168}, {"小时", 1}, {"钟头", 1}, {"分钟", 1.0 / 60},
	{"天", 24}, {"周", 168}, {"年", 8760},
}

// relativeTimes are fixed time words; a shop can add more in its lexicon's times list.
var relativeTimes = []string{
	"大前天", "前天", "昨天", "昨晚", "今天", "今早", "今晚", "明天", "后天", "刚才", "刚刚",
	"上周", "上个星期", "上个礼拜", "上个月", "这几天", "前几天", "好几天", "半个月", "半天",
	"早上", "上午", "中午", "下午", "晚上", "双十一", "双十二",
}

func (c *Classifier) extractTimes(rs []rune) []TimeEntity {
	var out []TimeEntity
	for i := 0; i < len(rs); i++ {
		if t, end, ok := durationAt(rs, i); ok {
			out = append(out, t)
			i = end - 1
			continue
		}
		if w := relativeAt(rs, i); w != "" {
			t := TimeEntity{Text: w}
			if w == "半个月" {
				t.Hours = 360
			}
			out = append(out, t)
			i += len([]rune(w)) - 1
		}
	}
	return out
}

// durationAt reads "三天了", "一个星期", "几天", "两个多月" starting at rs[i].
func durationAt(rs []rune, i int) (TimeEntity, int, bool) {
	if !startsNumber(rs, i) && rs[i] != '几' && !(rs[i] == '好' && i+1 < len(rs) && rs[i+1] == '几') {
		return TimeEntity{}, 0, false
	}
	j := numberAt(rs, i)
	vague := j == i
	if vague {
		j = i + 1
		if rs[i] == '好' {
			j = i + 2
		}
	}
	rest := string(rs[j:min(len(rs), j+8)])
	for _, u := range durationUnits {
		if !strings.HasPrefix(rest, u.unit) {
			continue
		}
		end := j + len([]rune(u.unit))
		if strings.HasPrefix(string(rs[end:min(len(rs), end+3)]), "无理由") {
			return TimeEntity{}, 0, false
		}
		for end < len(rs) && strings.ContainsRune("了多前后", rs[end]) {
			end++
		}
		t := TimeEntity{Text: string(rs[i:end])}
		if v, ok := parseNumber(rs[i:j]); ok && !vague {
			t.Hours = float64(v) / 100 * u.hours
		}
		return t, end, true
	}
	return TimeEntity{}, 0, false
}

func relativeAt(rs []rune, i int) string {
	rest := string(rs[i:min(len(rs), i+4)])
	for _, w := range relativeTimes {
		if strings.HasPrefix(rest, w) {
			return w
		}
	}
	return ""
}
