// Package understand classifies a customer's message into the codes of SOP §8 (problem
// type, demand, emotion, level) and extracts its entities (order and tracking numbers,
// phones, amounts, products, times). A deterministic rule layer (embedded lexicons a
// shop can extend) is combined with a character n-gram logistic-regression model
// trained at construction from the corpus' train split. The package is pure.
package understand

import (
	"embed"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
)

//go:embed data/*.txt data/*.yaml
var dataFS embed.FS

// Result is the understanding of one message.
type Result struct {
	Type              cases.ProblemType `json:"type"`
	TypeConfidence    float64           `json:"type_confidence"`
	Demand            cases.Demand      `json:"demand"`
	DemandConfidence  float64           `json:"demand_confidence"`
	Emotion           cases.Emotion     `json:"emotion"`
	EmotionConfidence float64           `json:"emotion_confidence"`
	Level             cases.Level       `json:"level"`
	LevelConfidence   float64           `json:"level_confidence"`
	// Confidence is the lowest of the four: the result is as sure as its weakest part.
	Confidence float64  `json:"confidence"`
	Entities   Entities `json:"entities"`
	// Alternatives holds, for each field whose confidence is below the threshold
	// (Config.SuggestBelow), its two most probable labels: the intake asks the agent
	// to choose instead of pre-filling the field.
	Alternatives map[Field][]Choice `json:"alternatives,omitempty"`
	// Turns and CustomerTurns count a conversation's turns (0 for a single message).
	Turns         int `json:"turn_count,omitempty"`
	CustomerTurns int `json:"customer_turns,omitempty"`
}

// Classifier is built once and is safe for concurrent use.
type Classifier struct {
	cfg       Config
	norm      *normalizer
	terms     *termSet
	cues      []compiledCue
	safety    wordList
	greetings *termSet
	products  *termSet
	labels    map[Field][]string
	model     *model
}

// New builds a classifier from the embedded data, the shop's extension directory ext
// (nil for none; *.yaml lexicons, t2s*.txt and typos*.txt files are added to the
// defaults) and the training examples in train (see LoadTraining).
func New(cfg Config, train []Example, ext fs.FS) (*Classifier, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	d, err := loadData(ext)
	if err != nil {
		return nil, err
	}
	c := &Classifier{cfg: cfg, norm: newNormalizer(d.t2s, d.typos)}
	if err := c.compile(d.lexicon); err != nil {
		return nil, err
	}
	c.model = newModel(cfg.Model, c.labels)
	exs := make([]modelExample, len(train))
	for i, ex := range train {
		exs[i] = c.modelExample(ex)
	}
	c.model.train(exs)
	return c, nil
}

// Classify understands one message. It never fails: an empty message is a bare
// greeting (presale / none / calm). A text of several lines is a pasted conversation
// or several turns of the customer (ClassifyConversation).
func (c *Classifier) Classify(text string) Result {
	if strings.ContainsRune(text, '\n') {
		return c.ClassifyConversation(text)
	}
	return c.classify(text, text, convContext{}, nil)
}

// convContext is what a conversation says beyond the customer's words.
type convContext struct {
	hasOrder bool // the agent's turns show an order (looked up, shipped, signed)
	presale  bool // the agent's turns invite the customer to buy
	// offers are the remedies the agent offered (给您补发, 补偿您5元, 安排师傅上门 …)
	// with the customer's answer to each (offers.go).
	offers []offer
	turns  int
}

// classify reads the labels from text and the entities from entityText.
func (c *Classifier) classify(text, entityText string, cx convContext, tr *trace) Result {
	n := c.norm.normalize(entityText)
	res := Result{Entities: c.extractEntities(n.text)}
	var key string
	var hasOrder bool
	if text == entityText {
		s := scrub(n.key)
		key, hasOrder = s.text, s.hasOrder
	} else {
		key, hasOrder = c.key(text)
	}
	hasOrder = hasOrder || cx.hasOrder || len(res.Entities.OrderNumbers) > 0 || len(res.Entities.TrackingNumbers) > 0
	found := make([]bool, len(c.terms.terms))
	c.terms.scan(key, found)
	if c.isBareGreeting(key) {
		c.setBare(&res)
		return res
	}
	var sc scratch
	logp := c.model.predict(key, &sc)
	stType, stDemand, stEmotion := c.structureVotes(key)
	switch {
	case hasOrder:
		stType[string(cases.TypePresale)] -= 2 * c.cfg.Structure.Presale
	case cx.presale:
		stType[string(cases.TypePresale)] += c.cfg.Structure.Presale
	}
	typ, tc, talt := c.decide(FieldType, logp, found, "", addVotes(stType, c.sizeVotes(key)), tr)
	res.Type, res.TypeConfidence = cases.ProblemType(typ), tc
	if len(cx.offers) > 0 {
		addOfferVotes(stDemand, cx.offers, c.ownRequests(found, typ))
	}
	dem, dc, dalt := c.decide(FieldDemand, logp, found, typ, stDemand, tr)
	res.Demand, res.DemandConfidence = cases.Demand(dem), dc
	emo, ec, ealt := c.decide(FieldEmotion, logp, found, typ, addVotes(stEmotion, c.markVotes(key)), tr)
	res.Emotion, res.EmotionConfidence = cases.Emotion(emo), ec
	lvl, lc, lalt := c.decideLevel(logp, found, typ, tr)
	res.Level, res.LevelConfidence = lvl, lc
	res.Confidence = min(tc, dc, ec, lc)
	res.roundConfidences()
	c.addAlternatives(&res, talt, dalt, ealt, lalt)
	return res
}

// ownRequests are the remedies the customer asked for in their own words: the demand
// cues of a remedy that fire for typ.
func (c *Classifier) ownRequests(found []bool, typ string) []string {
	var out []string
	for i := range c.cues {
		cc := &c.cues[i]
		if cc.field == FieldDemand && remedies[cc.label] && cc.appliesTo(typ) && cc.fires(found) && !slices.Contains(out, cc.label) {
			out = append(out, cc.label)
		}
	}
	return out
}

// key is the form of a message the cues and the model read: normalised, with its
// noise scrubbed (scrub.go); hasOrder reports an order or tracking number in it.
func (c *Classifier) key(text string) (string, bool) {
	s := scrub(c.norm.normalize(text).key)
	return s.text, s.hasOrder
}

// roundConfidences keeps three decimals: finer digits are noise to an agent.
func (r *Result) roundConfidences() {
	for _, p := range []*float64{&r.TypeConfidence, &r.DemandConfidence, &r.EmotionConfidence, &r.LevelConfidence, &r.Confidence} {
		*p = math.Round(*p*1000) / 1000
	}
}

// scratch holds per-call buffers of the model's feature extraction.
type scratch struct {
	runes   []rune
	hashes  []uint64
	featIDs []int32
}

func (c *Classifier) setBare(res *Result) {
	res.Type, res.Demand, res.Emotion = cases.TypePresale, cases.DemandNone, cases.EmotionCalm
	res.Level = cases.Level(c.cfg.levelOf(string(cases.TypePresale)))
	res.TypeConfidence, res.DemandConfidence, res.EmotionConfidence, res.LevelConfidence = 1, 1, 1, 1
	res.Confidence = 1
}

// decide adds the model's weighted log-probabilities, the firing cues of field (those
// whose When allows typ) and extra votes, and returns the best label with its softmax
// probability.
func (c *Classifier) decide(f Field, logp []float64, found []bool, typ string, extra map[string]float64, tr *trace) (string, float64, []Choice) {
	labels := c.labels[f]
	score := make([]float64, len(labels))
	h := c.model.head(f)
	for i, l := range labels {
		if k, ok := h.index[l]; ok {
			score[i] = c.cfg.Model.Weight * logp[h.offset+k]
		} else {
			score[i] = c.cfg.Model.Weight * math.Log(1e-3)
		}
		score[i] += extra[l]
	}
	for i := range c.cues {
		cc := &c.cues[i]
		if cc.field == f && cc.appliesTo(typ) && cc.fires(found) {
			score[slices.Index(labels, cc.label)] += cc.weight
		}
	}
	if tr != nil {
		tr.scores[f] = slices.Clone(score)
	}
	return best(labels, score, c.cfg.Calibration.of(f))
}

// levelPrior is how strongly the type's configured level outweighs the model.
const levelPrior = 4

func (c *Classifier) decideLevel(logp []float64, found []bool, typ string, tr *trace) (cases.Level, float64, []Choice) {
	if typ != string(cases.TypePresale) && c.safety.any(found) {
		return cases.Level(c.cfg.SafetyLevel), 0.95, nil
	}
	extra := map[string]float64{strconv.Itoa(c.cfg.levelOf(c.levelType(typ, found))): levelPrior}
	l, conf, alt := c.decide(FieldLevel, logp, found, typ, extra, tr)
	n, _ := strconv.Atoi(l)
	return cases.Level(n), conf, alt
}

// levelType is the type whose configured level applies: a service complaint takes the
// level of the problem under it (§8), which is the after-sales type with the most cue
// weight in the message; the type itself when there is none.
func (c *Classifier) levelType(typ string, found []bool) string {
	if typ != string(cases.TypeComplaint) {
		return typ
	}
	weight := map[string]float64{}
	for i := range c.cues {
		cc := &c.cues[i]
		if cc.field != FieldType || len(cc.when) > 0 || !cc.fires(found) {
			continue
		}
		switch cases.ProblemType(cc.label) {
		case cases.TypeComplaint, cases.TypePresale, cases.TypeChase, cases.TypeRefundChase, cases.TypeHowTo:
			continue
		}
		weight[cc.label] += cc.weight
	}
	sub, w := typ, 0.0
	for _, l := range c.labels[FieldType] { // fixed order: ties go to the earlier code
		if weight[l] > w {
			sub, w = l, weight[l]
		}
	}
	return sub
}

// addVotes adds b's votes into a and returns a.
func addVotes(a, b map[string]float64) map[string]float64 {
	for l, v := range b {
		a[l] += v
	}
	return a
}

// best returns the best label, its probability (the softmax of the scores divided by
// the field's calibrated temperature) and the two most probable labels.
func best(labels []string, score []float64, temperature float64) (string, float64, []Choice) {
	bi, si := 0, -1
	for i := range score {
		if score[i] > score[bi] {
			bi = i
		}
	}
	for i := range score {
		if i != bi && (si < 0 || score[i] > score[si]) {
			si = i
		}
	}
	p := slices.Clone(score)
	if temperature > 0 {
		for i := range p {
			p[i] /= temperature
		}
	}
	softmax(p)
	alt := []Choice{{Code: labels[bi], Confidence: p[bi]}}
	if si >= 0 {
		alt = append(alt, Choice{Code: labels[si], Confidence: p[si]})
	}
	return labels[bi], p[bi], alt
}

// Choice is one candidate label of a field with its confidence.
type Choice struct {
	Code       string  `json:"code"`
	Confidence float64 `json:"confidence"`
}

// addAlternatives attaches the top two choices of every field whose confidence is
// below the configured threshold: the intake shows them instead of pre-filling.
func (c *Classifier) addAlternatives(res *Result, typ, dem, emo, lvl []Choice) {
	for _, fa := range []struct {
		f    Field
		conf float64
		alt  []Choice
	}{{FieldType, res.TypeConfidence, typ}, {FieldDemand, res.DemandConfidence, dem}, {FieldEmotion, res.EmotionConfidence, emo}, {FieldLevel, res.LevelConfidence, lvl}} {
		if fa.conf >= c.cfg.SuggestBelow || len(fa.alt) < 2 {
			continue
		}
		if res.Alternatives == nil {
			res.Alternatives = map[Field][]Choice{}
		}
		alt := slices.Clone(fa.alt)
		for i := range alt {
			alt[i].Confidence = math.Round(alt[i].Confidence*1000) / 1000
		}
		res.Alternatives[fa.f] = alt
	}
}

// Uncertain reports whether a field's reading is below the threshold: the intake
// offers its alternatives instead of pre-filling it.
func (r Result) Uncertain(f Field) bool { _, ok := r.Alternatives[f]; return ok }

func (c *Classifier) modelExample(ex Example) modelExample {
	key := ""
	if ex.IsConversation() {
		text, _ := c.conversationText(ex.turns())
		key, _ = c.key(text)
	} else {
		key, _ = c.key(ex.Text)
	}
	gold := make([]int, len(c.model.heads))
	want := map[Field]string{FieldType: ex.Type, FieldDemand: ex.Demand, FieldEmotion: ex.Emotion, FieldLevel: strconv.Itoa(ex.Level)}
	for i, h := range c.model.heads {
		gold[i] = -1
		if k, ok := h.index[want[h.field]]; ok {
			gold[i] = k
		}
	}
	w := ex.Weight
	if w <= 0 {
		w = 1
	}
	return modelExample{feats: c.model.featurize(key), gold: gold, weight: w}
}

// compile turns the lexicon into term sets and cues and fixes the label sets: the
// codes of SOP §8 plus any label a shop's lexicon introduces.
func (c *Classifier) compile(lx Lexicon) error {
	c.labels = map[Field][]string{
		FieldType:    codes(cases.ProblemTypes),
		FieldDemand:  codes(cases.Demands),
		FieldEmotion: codes(cases.Emotions),
		FieldLevel:   {"1", "2", "3"},
	}
	c.terms = newTermSet()
	for _, cue := range lx.Cues {
		cc := compiledCue{field: cue.Field, label: cue.Label, weight: cue.Weight, when: cue.When}
		for _, t := range cue.Terms {
			ct, err := compileTerm(c.terms, t)
			if err != nil {
				return fmt.Errorf("cue %s/%s: %w", cue.Field, cue.Label, err)
			}
			cc.alts = append(cc.alts, ct)
		}
		if !slices.Contains(c.labels[cue.Field], cue.Label) {
			if cue.Field == FieldLevel {
				return fmt.Errorf("cue level/%s: level must be 1, 2 or 3", cue.Label)
			}
			c.labels[cue.Field] = append(c.labels[cue.Field], cue.Label)
		}
		c.cues = append(c.cues, cc)
	}
	c.safety = compileWords(c.terms, lx.Safety)
	c.terms.finish()
	c.greetings = newTermSet()
	compileWords(c.greetings, lx.Greetings)
	c.greetings.finish()
	c.products = newTermSet()
	compileWords(c.products, lx.Products)
	c.products.finish()
	return nil
}

func codes(list []cases.Code) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.Code
	}
	return out
}

// data is the rule layer's data after merging the embedded defaults and a shop's files.
type data struct {
	lexicon Lexicon
	t2s     map[rune]rune
	typos   []string
}

func loadData(ext fs.FS) (data, error) {
	d := data{t2s: map[rune]rune{}}
	if err := d.add(dataFS, "data"); err != nil {
		return data{}, fmt.Errorf("embedded data: %w", err)
	}
	if ext != nil {
		if err := d.add(ext, "."); err != nil {
			return data{}, fmt.Errorf("shop extensions: %w", err)
		}
	}
	return d, nil
}

func (d *data) add(fsys fs.FS, dir string) error {
	files, err := fs.Glob(fsys, path.Join(dir, "*"))
	if err != nil {
		return err
	}
	slices.Sort(files)
	for _, name := range files {
		if err := d.addFile(fsys, name); err != nil {
			return err
		}
	}
	return nil
}

func (d *data) addFile(fsys fs.FS, name string) error {
	base := path.Base(name)
	kind := classifyDataFile(base)
	if kind == "" {
		return nil
	}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	switch kind {
	case "lexicon":
		lx, err := parseLexicon(base, b)
		if err != nil {
			return err
		}
		d.lexicon.merge(lx)
	case "t2s":
		if err := parseRunePairs(b, d.t2s); err != nil {
			return fmt.Errorf("%s: %w", base, err)
		}
	case "typos":
		pairs, err := parseTypos(b)
		if err != nil {
			return fmt.Errorf("%s: %w", base, err)
		}
		d.typos = append(d.typos, pairs...)
	}
	return nil
}

func classifyDataFile(base string) string {
	switch {
	case path.Ext(base) == ".yaml" || path.Ext(base) == ".yml":
		return "lexicon"
	case path.Ext(base) == ".txt" && len(base) >= 3 && base[:3] == "t2s":
		return "t2s"
	case path.Ext(base) == ".txt" && len(base) >= 5 && base[:5] == "typos":
		return "typos"
	}
	return ""
}

// SafetyWords lists the safety words (漏电, 冒烟 …) in a message: an after-sales case
// that mentions one is level 1 (SOP §3), whatever else the form says.
func (c *Classifier) SafetyWords(text string) []string {
	n := c.norm.normalize(text)
	found := make([]bool, len(c.terms.terms))
	c.terms.scan(n.key, found)
	var words []string
	for _, id := range c.safety {
		if found[id] {
			words = append(words, c.terms.terms[id])
		}
	}
	return words
}

// Config returns the settings the classifier was built with.
func (c *Classifier) Config() Config { return c.cfg }

// SafetyLevel is the level a safety word forces.
func (c *Classifier) SafetyLevel() cases.Level { return cases.Level(c.cfg.SafetyLevel) }
