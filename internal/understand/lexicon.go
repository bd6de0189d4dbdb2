package understand

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// Field names a classification head that a cue can vote for.
type Field string

const (
	FieldType    Field = "type"
	FieldDemand  Field = "demand"
	FieldEmotion Field = "emotion"
	FieldLevel   Field = "level"
)

// Lexicon is the rule layer's data: cues that vote for labels, and word lists.
// The embedded data/lexicon.yaml is the default; a shop's *.yaml files are appended.
type Lexicon struct {
	Cues []Cue `yaml:"cues"`
	// Safety words make an after-sales message level 1 (SOP §3, §8).
	Safety []string `yaml:"safety"`
	// Greetings alone (在吗, 你好) make a bare greeting: presale / none / calm (§8).
	Greetings []string `yaml:"greetings"`
	// Products are extracted as product entities, longest match first.
	Products []string `yaml:"products"`
}

// Cue adds Weight to Label of Field when any of its Terms matches. A term is
// "a&b&!c": a and b must occur, c must not. When lists types: the cue only counts
// when the message's type is one of them (demand and level cues depend on type).
type Cue struct {
	Field  Field    `yaml:"field"`
	Label  string   `yaml:"label"`
	Weight float64  `yaml:"weight"`
	Terms  []string `yaml:"terms"`
	When   []string `yaml:"when"`
}

func parseLexicon(name string, data []byte) (Lexicon, error) {
	var lx Lexicon
	if err := yaml.UnmarshalWithOptions(data, &lx, yaml.Strict()); err != nil {
		return Lexicon{}, fmt.Errorf("lexicon %s: %w", name, err)
	}
	for i, c := range lx.Cues {
		switch c.Field {
		case FieldType, FieldDemand, FieldEmotion, FieldLevel:
		default:
			return Lexicon{}, fmt.Errorf("lexicon %s: cue %d (%s): unknown field %q", name, i+1, c.Label, c.Field)
		}
		if c.Label == "" || len(c.Terms) == 0 {
			return Lexicon{}, fmt.Errorf("lexicon %s: cue %d: label and terms are required", name, i+1)
		}
		if c.Weight == 0 {
			lx.Cues[i].Weight = 1
		}
	}
	return lx, nil
}

func (lx *Lexicon) merge(o Lexicon) {
	lx.Cues = append(lx.Cues, o.Cues...)
	lx.Safety = append(lx.Safety, o.Safety...)
	lx.Greetings = append(lx.Greetings, o.Greetings...)
	lx.Products = append(lx.Products, o.Products...)
}

// termSet is a dictionary of literal strings found in one left-to-right scan: at each
// rune only the terms starting with that rune are tried, so matching is linear in the
// message length.
type termSet struct {
	ids     map[string]int
	terms   []string
	byFirst map[rune][]int
}

func newTermSet() *termSet {
	return &termSet{ids: map[string]int{}, byFirst: map[rune][]int{}}
}

func (ts *termSet) add(term string) int {
	term = strings.ToLower(term)
	if id, ok := ts.ids[term]; ok {
		return id
	}
	id := len(ts.terms)
	ts.ids[term] = id
	ts.terms = append(ts.terms, term)
	r, _ := utf8.DecodeRuneInString(term)
	ts.byFirst[r] = append(ts.byFirst[r], id)
	return id
}

// finish orders candidates longest first so that longest-match users see them first.
func (ts *termSet) finish() {
	for r, ids := range ts.byFirst {
		slices.SortStableFunc(ids, func(a, b int) int { return len(ts.terms[b]) - len(ts.terms[a]) })
		ts.byFirst[r] = ids
	}
}

// scan marks in found every term occurring in s.
func (ts *termSet) scan(s string, found []bool) {
	for i, r := range s {
		for _, id := range ts.byFirst[r] {
			if !found[id] && strings.HasPrefix(s[i:], ts.terms[id]) {
				found[id] = true
			}
		}
	}
}

// compiledTerm is one "a&b&!c" alternative of a cue.
type compiledTerm struct {
	all  []int
	none []int
}

func (ct compiledTerm) matches(found []bool) bool {
	for _, id := range ct.all {
		if !found[id] {
			return false
		}
	}
	for _, id := range ct.none {
		if found[id] {
			return false
		}
	}
	return true
}

func compileTerm(ts *termSet, term string) (compiledTerm, error) {
	var ct compiledTerm
	for part := range strings.SplitSeq(term, "&") {
		part = strings.TrimSpace(part)
		neg := strings.HasPrefix(part, "!")
		part = strings.TrimPrefix(part, "!")
		if part == "" {
			return ct, fmt.Errorf("empty part in term %q", term)
		}
		if neg {
			ct.none = append(ct.none, ts.add(part))
		} else {
			ct.all = append(ct.all, ts.add(part))
		}
	}
	if len(ct.all) == 0 {
		return ct, fmt.Errorf("term %q has no positive part", term)
	}
	return ct, nil
}

// compiledCue is a Cue ready to be evaluated against a scan.
type compiledCue struct {
	field  Field
	label  string
	weight float64
	alts   []compiledTerm
	when   []string
}

func (cc *compiledCue) fires(found []bool) bool {
	for _, alt := range cc.alts {
		if alt.matches(found) {
			return true
		}
	}
	return false
}

func (cc *compiledCue) appliesTo(typ string) bool {
	return len(cc.when) == 0 || slices.Contains(cc.when, typ)
}

// wordList is a list of terms compiled into a termSet.
type wordList []int

func (wl wordList) any(found []bool) bool {
	for _, id := range wl {
		if found[id] {
			return true
		}
	}
	return false
}

func compileWords(ts *termSet, words []string) wordList {
	wl := make(wordList, 0, len(words))
	for _, w := range words {
		if w = strings.TrimSpace(w); w != "" {
			wl = append(wl, ts.add(w))
		}
	}
	return wl
}
