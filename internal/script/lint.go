package script

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Lint rule IDs.
const (
	RuleNegativeWithoutReason = "negative-without-reason" // SOP §7, seed 004
	RuleSootheWithoutSolution = "soothe-without-solution" // SOP §1.1 anti-pattern (a)
	RuleArguing               = "arguing"                 // SOP §7, seed 004
)

// LintConfig holds the word lists and limits of the lint; a shop edits them in its
// settings. Empty entries are ignored.
type LintConfig struct {
	// NegativeWords are words to explain or avoid (seed 004: 不能, 没有, 不可以 …).
	NegativeWords []string `json:"negative_words" yaml:"negative_words"`
	// NegativeExceptions contain a negative word without refusing anything, such as
	// the question 能不能 or the reassurance 没有问题.
	NegativeExceptions []string `json:"negative_exceptions" yaml:"negative_exceptions"`
	// ExplanationWords mark an explanation when they appear in the negative word's
	// sentence or the next one.
	ExplanationWords []string `json:"explanation_words" yaml:"explanation_words"`
	// SentenceEnds are the characters that end a sentence; commas do not, because chat
	// messages often are one long comma-joined sentence.
	SentenceEnds string `json:"sentence_ends" yaml:"sentence_ends"`
	// SoothingWords mark a free-typed message (one without intent) as apology/soothing.
	SoothingWords []string `json:"soothing_words" yaml:"soothing_words"`
	// SolutionWords mark a message as offering a solution.
	SolutionWords []string `json:"solution_words" yaml:"solution_words"`
	// SolutionIntents are the intents of messages that move the case to a solution.
	SolutionIntents []string `json:"solution_intents" yaml:"solution_intents"`
	// SootheLimit is N: the N-th soothing message in a row without a solution warns;
	// 0 turns the rule off.
	SootheLimit int `json:"soothe_limit" yaml:"soothe_limit"`
	// ArguingPhrases sound like arguing with the customer.
	ArguingPhrases []string `json:"arguing_phrases" yaml:"arguing_phrases"`
}

// DefaultLintConfig returns the word lists of SOP §7 and seed 004.
func DefaultLintConfig() LintConfig {
	return LintConfig{
		NegativeWords:      []string{"不能", "没有", "没法", "不可以", "不行", "无法", "做不到", "办不到", "不支持", "不接受", "不允许"},
		NegativeExceptions: []string{"能不能", "可不可以", "行不行", "有没有", "没有问题"},
		ExplanationWords:   []string{"因为", "由于", "是因为", "所以", "因此", "根据", "按照", "规定", "原因", "为了"},
		SentenceEnds:       "。！？!?；;~～…\n",
		SoothingWords:      []string{"抱歉", "对不起", "不好意思", "见谅", "理解您", "您的心情", "心情我们理解", "别生气", "消消气", "耐心等待", "着急", "加急", "给点时间"},
		SolutionWords:      []string{"补偿", "补发", "换货", "退款", "退货", "维修", "优惠", "拦截", "重新发", "赔付", "为您安排", "给您安排", "帮您安排"},
		SolutionIntents:    []string{IntentOffer, IntentReasonGuidance, IntentTracking},
		SootheLimit:        3,
		ArguingPhrases:     []string{"你自己", "你看清楚", "自己看清楚", "不是我们的问题", "跟我们没关系", "和我们没关系", "与我们无关", "不关我们的事", "这是你的问题", "我已经说过了", "说了多少遍", "你听不懂", "爱信不信", "随便你"},
	}
}

// Outgoing is an earlier message the agent sent in the same conversation, oldest first.
type Outgoing struct {
	Text            string `json:"text"`
	Intent          string `json:"intent,omitempty"`
	OfferedSolution bool   `json:"offered_solution,omitempty"`
}

// Warning is advice to the agent; it never blocks sending. Start and End are
// character (rune) offsets of the offending span in the linted text.
type Warning struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Quote   string `json:"quote"`
}

// Linter checks an outgoing message against a LintConfig.
type Linter struct {
	cfg LintConfig
}

// NewLinter returns a linter; empty words are dropped because they would match anywhere.
func NewLinter(cfg LintConfig) *Linter {
	clean := func(words []string) []string {
		return slices.DeleteFunc(slices.Clone(words), func(w string) bool { return w == "" })
	}
	cfg.NegativeWords = clean(cfg.NegativeWords)
	cfg.NegativeExceptions = clean(cfg.NegativeExceptions)
	cfg.ExplanationWords = clean(cfg.ExplanationWords)
	cfg.SoothingWords = clean(cfg.SoothingWords)
	cfg.SolutionWords = clean(cfg.SolutionWords)
	cfg.ArguingPhrases = clean(cfg.ArguingPhrases)
	return &Linter{cfg: cfg}
}

// Lint checks text with the default configuration.
func Lint(text string, history []Outgoing) []Warning {
	return NewLinter(DefaultLintConfig()).Lint(text, history)
}

// Lint returns the warnings for text, about to be sent after history, in text order.
func (l *Linter) Lint(text string, history []Outgoing) []Warning {
	var ws []Warning
	ws = append(ws, l.negatives(text)...)
	ws = append(ws, l.arguing(text)...)
	if w, ok := l.sootheOnly(text, history); ok {
		ws = append(ws, w)
	}
	slices.SortStableFunc(ws, func(a, b Warning) int { return a.Start - b.Start })
	return ws
}

// match is a byte range of text.
type match struct{ start, end int }

func (l *Linter) negatives(text string) []Warning {
	excepted := occurrences(text, l.cfg.NegativeExceptions)
	sentences := l.sentences(text)
	var ws []Warning
	for _, m := range findAll(text, l.cfg.NegativeWords) {
		if covered(m, excepted) || l.explained(text, sentences, m.start) {
			continue
		}
		word := text[m.start:m.end]
		ws = append(ws, warning(text, m, RuleNegativeWithoutReason,
			fmt.Sprintf("否定词“%s”缺少解释：请在同一句或下一句说明原因（如“因为……”“根据……规定”），或换成正面的说法（SOP §7）", word)))
	}
	return ws
}

func (l *Linter) arguing(text string) []Warning {
	var ws []Warning
	for _, m := range findAll(text, l.cfg.ArguingPhrases) {
		ws = append(ws, warning(text, m, RuleArguing,
			fmt.Sprintf("不要与顾客争辩：“%s”带有争辩或指责的语气，请合理表达观点（SOP §7）", text[m.start:m.end])))
	}
	return ws
}

func (l *Linter) sootheOnly(text string, history []Outgoing) (Warning, bool) {
	if l.cfg.SootheLimit <= 0 || !l.soothing(Outgoing{Text: text}) {
		return Warning{}, false
	}
	run := 1
	for i := len(history) - 1; i >= 0 && l.soothing(history[i]); i-- {
		run++
	}
	if run < l.cfg.SootheLimit {
		return Warning{}, false
	}
	msg := fmt.Sprintf("已连续第%d条道歉/安抚消息，仍未给出解决方案：安抚后请尽快提出方案（SOP §1.1）", run)
	return warning(text, match{0, len(text)}, RuleSootheWithoutSolution, msg), true
}

// Soothing reports whether o only apologises or soothes (see soothing).
func (l *Linter) Soothing(o Outgoing) bool { return l.soothing(o) }

// soothing reports whether o only apologises or soothes. A message that offers a
// solution, by flag, intent or words, ends a run; a message with another intent
// (verify, inform …) moves the case on and ends it too.
func (l *Linter) soothing(o Outgoing) bool {
	if o.OfferedSolution || slices.Contains(l.cfg.SolutionIntents, o.Intent) || containsAny(o.Text, l.cfg.SolutionWords) {
		return false
	}
	if o.Intent != "" {
		return o.Intent == IntentSoothe
	}
	return containsAny(o.Text, l.cfg.SoothingWords)
}

// explained reports whether an explanation word appears in the sentence holding pos or
// in the sentence after it.
func (l *Linter) explained(text string, sentences []match, pos int) bool {
	i := slices.IndexFunc(sentences, func(s match) bool { return pos >= s.start && pos < s.end })
	if i < 0 {
		return false
	}
	end := sentences[i].end
	if i+1 < len(sentences) {
		end = sentences[i+1].end
	}
	return containsAny(text[sentences[i].start:end], l.cfg.ExplanationWords)
}

// sentences splits text after each run of sentence-ending characters.
func (l *Linter) sentences(text string) []match {
	var out []match
	start, inEnd := 0, false
	for i, r := range text {
		isEnd := strings.ContainsRune(l.cfg.SentenceEnds, r)
		if inEnd && !isEnd {
			out = append(out, match{start, i})
			start = i
		}
		inEnd = isEnd
	}
	if start < len(text) {
		out = append(out, match{start, len(text)})
	}
	return out
}

// findAll returns the non-overlapping occurrences of words in text, leftmost first and
// the longest word at a position, so that 做不到 and 不到 would be one hit.
func findAll(text string, words []string) []match {
	all := occurrences(text, words)
	slices.SortFunc(all, func(a, b match) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	var out []match
	for _, m := range all {
		if len(out) == 0 || m.start >= out[len(out)-1].end {
			out = append(out, m)
		}
	}
	return out
}

// occurrences returns every occurrence of every word, overlapping ones included.
func occurrences(text string, words []string) []match {
	var all []match
	for _, w := range words {
		for off := 0; ; {
			i := strings.Index(text[off:], w)
			if i < 0 {
				break
			}
			all = append(all, match{off + i, off + i + len(w)})
			off += i + len(w)
		}
	}
	return all
}

func covered(m match, spans []match) bool {
	return slices.ContainsFunc(spans, func(s match) bool { return m.start >= s.start && m.end <= s.end })
}

func containsAny(text string, words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(text, w) })
}

func warning(text string, m match, rule, msg string) Warning {
	return Warning{
		Rule:    rule,
		Message: msg,
		Start:   utf8.RuneCountInString(text[:m.start]),
		End:     utf8.RuneCountInString(text[:m.end]),
		Quote:   text[m.start:m.end],
	}
}
