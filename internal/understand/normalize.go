package understand

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// normalizer folds the spellings customers use into one form before matching:
// Traditional → Simplified and full-width → half-width are one rune for one rune,
// so entity text keeps the customer's characters' positions; typo repair and ASCII
// lower-casing are applied only to the copy used for cues and model features.
type normalizer struct {
	t2s   map[rune]rune
	typos *strings.Replacer
}

// normalized holds the two forms of a message.
type normalized struct {
	text string // width-folded, Simplified; for entities
	key  string // text lower-cased with typos repaired; for cues and features
}

func newNormalizer(t2s map[rune]rune, typoPairs []string) *normalizer {
	return &normalizer{t2s: t2s, typos: strings.NewReplacer(typoPairs...)}
}

func (n *normalizer) normalize(s string) normalized {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == utf8.RuneError {
			continue
		}
		r = foldWidth(r)
		if m, ok := n.t2s[r]; ok {
			r = m
		}
		b.WriteRune(r)
	}
	text := b.String()
	return normalized{text: text, key: n.typos.Replace(strings.ToLower(text))}
}

// foldWidth maps full-width ASCII (Ａ, １, ？) and the ideographic space to ASCII.
func foldWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

// parseRunePairs reads lines of "繁简" pairs (a Traditional rune and its Simplified
// rune, optionally separated by whitespace); '#' starts a comment.
func parseRunePairs(data []byte, into map[rune]rune) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(stripComment(sc.Text()))
		for _, f := range fields {
			rs := []rune(f)
			if len(rs)%2 != 0 {
				return fmt.Errorf("line %d: %q is not a list of rune pairs", line, f)
			}
			for i := 0; i < len(rs); i += 2 {
				into[rs[i]] = rs[i+1]
			}
		}
	}
	return sc.Err()
}

// parseTypos reads lines of "wrong right" and returns them as replacer pairs.
func parseTypos(data []byte) ([]string, error) {
	var pairs []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(stripComment(sc.Text()))
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 2 {
			return nil, fmt.Errorf("line %d: want \"wrong right\", got %q", line, sc.Text())
		}
		pairs = append(pairs, strings.ToLower(fields[0]), strings.ToLower(fields[1]))
	}
	return pairs, sc.Err()
}

func stripComment(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		return s[:i]
	}
	return s
}
