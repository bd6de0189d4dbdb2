package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
)

// isBareGreeting reports whether the message holds nothing but greetings,
// punctuation and emoji (在吗, ？？？, 亲 你好): §8 codes it presale / none / calm.
func (c *Classifier) isBareGreeting(key string) bool {
	for i := 0; i < len(key); {
		r, size := utf8.DecodeRuneInString(key[i:])
		if n := c.greetingAt(key[i:], r); n > 0 {
			i += n
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
		i += size
	}
	return true
}

func (c *Classifier) greetingAt(s string, r rune) int {
	for _, id := range c.greetings.byFirst[r] {
		if strings.HasPrefix(s, c.greetings.terms[id]) {
			return len(c.greetings.terms[id])
		}
	}
	return 0
}

// sizeWords put a centimetre figure in the context of a size difference.
var sizeWords = []string{"差", "大", "小", "短", "窄", "少", "偏", "长了", "宽了", "多了", "肥了", "瘦了"}

// sizeVotes compares a size difference in centimetres with the SOP's tolerance
// (§5: within 3 cm is normal, beyond is a quality problem). A pair of figures
// (标的75cm 实际70cm) is compared with each other; a single figure must follow a
// size word (短了5cm).
func (c *Classifier) sizeVotes(text string) map[string]float64 {
	rs := []rune(text)
	var figures []float64
	diff := -1.0
	for i := 0; i < len(rs); i++ {
		if !startsNumber(rs, i) {
			continue
		}
		j := numberAt(rs, i)
		unit := string(rs[j:min(len(rs), j+2)])
		if !(strings.HasPrefix(unit, "cm") || unit == "厘米" || unit == "公分") {
			i = max(i, j-1)
			continue
		}
		v, ok := parseNumber(rs[i:j])
		if !ok {
			continue
		}
		figures = append(figures, float64(v)/100)
		before := string(rs[max(0, i-3):i])
		for _, w := range sizeWords {
			if strings.Contains(before, w) {
				diff = max(diff, float64(v)/100)
			}
		}
		i = j
	}
	if len(figures) >= 2 {
		diff = abs(figures[0] - figures[1])
	}
	switch {
	case diff < 0:
		return nil
	case diff > c.cfg.SizeToleranceCM:
		return map[string]float64{string(cases.TypeQualitySize): sizeVote, string(cases.TypePersonalSize): -sizeVote}
	default:
		return map[string]float64{string(cases.TypePersonalSize): sizeVote, string(cases.TypeQualitySize): -sizeVote}
	}
}

// sizeVote outweighs the size words' cues (and the model) so that the measured
// difference decides: it votes for one size type and against the other.
const sizeVote = 6

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// markVotes reads runs of ? and ! : a few are a complaint tone, many ! are shouting.
func (c *Classifier) markVotes(key string) map[string]float64 {
	votes := map[string]float64{string(cases.EmotionCalm): c.cfg.CalmPrior}
	bang, ask := longestRun(key, '!'), longestRun(key, '?')
	switch {
	case bang >= c.cfg.AngryMarks || runs(key, '!') >= c.cfg.AngryBursts:
		votes[string(cases.EmotionAngry)] = 3
	case bang >= c.cfg.UpsetMarks || ask >= c.cfg.UpsetMarks:
		votes[string(cases.EmotionUpset)] = 2
	}
	return votes
}

func longestRun(s string, mark byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == mark:
			cur++
			best = max(best, cur)
		case s[i] != ' ':
			cur = 0
		}
	}
	return best
}

// runs counts the separate runs of mark: 坏了！开不了机！退货！！！ is three bursts.
func runs(s string, mark byte) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == mark && (i == 0 || s[i-1] != mark) {
			n++
		}
	}
	return n
}
