package script

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"golang.org/x/text/width"

	"github.com/shouhou/shouhou/internal/cases"
)

// Library is a validated, immutable set of scripts in the order a supervisor keeps them.
// Edits build a new Library (With, Without) so that readers never see a half edit.
type Library struct {
	scripts []Script
	extra   []Placeholder // the shop's own placeholders, beside the defaults
}

// New validates scripts (and the shop's extra placeholders) and builds a library, e.g.
// from scripts the integrator loaded from the database.
func New(scripts []Script, extra []Placeholder) (*Library, error) {
	known, problems := mergePlaceholders(extra)
	var errs []error
	for i, err := range problems {
		if err != nil {
			errs = append(errs, fmt.Errorf("placeholders[%d]: %w", i, err))
		}
	}
	seen := map[string]bool{}
	for i, s := range scripts {
		if err := s.ValidateWith(known); err != nil {
			errs = append(errs, fmt.Errorf("scripts[%d]: %w", i, err))
		}
		if seen[s.ID] {
			errs = append(errs, fmt.Errorf("scripts[%d]: 编号“%s”重复", i, s.ID))
		}
		seen[s.ID] = true
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &Library{scripts: slices.Clone(scripts), extra: slices.Clone(extra)}, nil
}

// Scripts returns a copy of all scripts in library order.
func (l *Library) Scripts() []Script { return slices.Clone(l.scripts) }

// Placeholders returns the default placeholders followed by the shop's own.
func (l *Library) Placeholders() []Placeholder {
	return append(DefaultPlaceholders(), l.extra...)
}

// Get returns the script with the given id.
func (l *Library) Get(id string) (Script, bool) {
	i := l.index(id)
	if i < 0 {
		return Script{}, false
	}
	return l.scripts[i], true
}

func (l *Library) index(id string) int {
	return slices.IndexFunc(l.scripts, func(s Script) bool { return s.ID == id })
}

// With returns a library where s replaces the script of the same id, or is appended.
func (l *Library) With(s Script) (*Library, error) {
	scripts := slices.Clone(l.scripts)
	if i := l.index(s.ID); i >= 0 {
		scripts[i] = s
	} else {
		scripts = append(scripts, s)
	}
	return New(scripts, l.extra)
}

// Without returns a library without the script of that id.
func (l *Library) Without(id string) *Library {
	scripts := slices.DeleteFunc(slices.Clone(l.scripts), func(s Script) bool { return s.ID == id })
	return &Library{scripts: scripts, extra: l.extra}
}

// Marshal writes the library in the file format Parse reads (without the default
// placeholders), for export and for editing by hand.
func (l *Library) Marshal() ([]byte, error) {
	b, err := yaml.MarshalWithOptions(file{Placeholders: l.extra, Scripts: l.scripts}, yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return nil, fmt.Errorf("marshal library: %w", err)
	}
	return b, nil
}

// Weights of ForStep: the solution the agent chose matters most, then the problem
// type, then the platform; a script without tags for a dimension fits any value at 0.
const (
	weightMainSolution  = 8
	weightOtherSolution = 4
	weightType          = 2
	weightPlatform      = 1
)

// ForStep returns the scripts that fit a step of the guide, best first. An empty
// argument does not filter; a script's empty tag list fits any value.
func (l *Library) ForStep(stage cases.Stage, t cases.ProblemType, solution string, platform cases.Platform) []Script {
	type scored struct {
		s     Script
		score int
	}
	var fits []scored
	for _, s := range l.scripts {
		if stage != "" && !slices.Contains(s.Stages, stage) {
			continue
		}
		ts, typeFits := tagScore(s.Types, t, weightType, weightType)
		ss, solutionFits := tagScore(s.Solutions, solution, weightMainSolution, weightOtherSolution)
		ps, platformFits := tagScore(s.Platforms, platform, weightPlatform, weightPlatform)
		if typeFits && solutionFits && platformFits {
			fits = append(fits, scored{s, ts + ss + ps})
		}
	}
	slices.SortStableFunc(fits, func(a, b scored) int { return b.score - a.score })
	out := make([]Script, len(fits))
	for i, f := range fits {
		out[i] = f.s
	}
	return out
}

// tagScore scores one tag dimension: first is the weight when want is the script's
// first tag, other when it is a later one.
func tagScore[T comparable](tags []T, want T, first, other int) (score int, fits bool) {
	var zero T
	if want == zero || len(tags) == 0 {
		return 0, true
	}
	switch i := slices.Index(tags, want); {
	case i == 0:
		return first, true
	case i > 0:
		return other, true
	}
	return 0, false
}

// Search returns the scripts whose title, text or id contain every word of query,
// ignoring case and full-width/half-width differences; title hits come first.
func (l *Library) Search(query string) []Script {
	terms := strings.Fields(fold(query))
	type scored struct {
		s     Script
		score int
	}
	var hits []scored
	for _, s := range l.scripts {
		title, all := fold(s.Title), fold(s.Title+"\n"+s.Text+"\n"+s.ID)
		score, ok := 0, true
		for _, term := range terms {
			ok = ok && strings.Contains(all, term)
			if strings.Contains(title, term) {
				score++
			}
		}
		if ok {
			hits = append(hits, scored{s, score})
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int { return b.score - a.score })
	out := make([]Script, len(hits))
	for i, h := range hits {
		out[i] = h.s
	}
	return out
}

func fold(s string) string { return strings.ToLower(width.Fold.String(s)) }

// Reply is several scripts stacked into one message.
type Reply struct {
	Text      string   `json:"text"`
	ScriptIDs []string `json:"script_ids"`
	Intents   []string `json:"intents"` // each once, in order
	Intent    string   `json:"intent"`  // the one to record on the message, see mainIntent
	Images    []string `json:"images,omitempty"`
}

// StackSeparator goes between stacked scripts: one chat message, one line each.
const StackSeparator = "\n"

// Stack joins the scripts with the given ids, in that order, into one reply, e.g. an
// apology followed by an offer.
func (l *Library) Stack(ids ...string) (Reply, error) {
	if len(ids) == 0 {
		return Reply{}, errors.New("请至少选择一条话术")
	}
	var r Reply
	texts := make([]string, 0, len(ids))
	for _, id := range ids {
		s, ok := l.Get(id)
		if !ok {
			return Reply{}, fmt.Errorf("未知的话术编号“%s”", id)
		}
		texts = append(texts, s.Text)
		r.ScriptIDs = append(r.ScriptIDs, id)
		r.Intents = appendNew(r.Intents, s.Intent)
		r.Images = appendNew(r.Images, s.Images...)
	}
	r.Text = strings.Join(texts, StackSeparator)
	r.Intent = mainIntent(r.Intents)
	return r, nil
}

// mainIntent picks the intent a stacked reply is recorded with: an apology followed by
// an offer is an offer, or the guide would count it as one more message that only
// soothes (SOP §1.1).
func mainIntent(intents []string) string {
	order := []string{IntentTracking, IntentOffer, IntentReasonGuidance, IntentVerify, IntentCollectInfo,
		IntentInform, IntentSoothe, IntentFarewell, IntentGreeting}
	for _, in := range order {
		if slices.Contains(intents, in) {
			return in
		}
	}
	return ""
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}
