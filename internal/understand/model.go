package understand

import (
	"math"
	"unicode"
)

// model is a multinomial logistic regression over character n-grams, one softmax
// head per field, trained by SGD in a seeded order so that training is deterministic.
type model struct {
	cfg   ModelConfig
	feats map[uint64]int32
	heads []modelHead
	width int       // total labels over all heads
	w     []float64 // feature-major: w[f*width + head.offset + k]
	b     []float64
}

type modelHead struct {
	field  Field
	labels []string
	index  map[string]int
	offset int
}

// modelExample is a training example as feature ids and one gold label per head.
type modelExample struct {
	feats  []int32
	gold   []int // per head; -1 when the label is not one of the head's labels
	weight float64
}

const (
	gramStart = '\x02'
	gramEnd   = '\x03'
)

// grams appends the hashes of the message's character n-grams (with start and end
// markers) to buf. Whitespace runs count as one space.
func grams(key string, minN, maxN int, runes []rune, buf []uint64) ([]uint64, []rune) {
	runes = append(runes[:0], gramStart)
	space := false
	for _, r := range key {
		if unicode.IsSpace(r) {
			if !space {
				runes = append(runes, ' ')
			}
			space = true
			continue
		}
		space = false
		runes = append(runes, r)
	}
	runes = append(runes, gramEnd)
	for i := range runes {
		h := uint64(14695981039346656037)
		for n := 1; n <= maxN && i+n <= len(runes); n++ {
			h = (h ^ uint64(runes[i+n-1])) * 1099511628211
			if n >= minN {
				buf = append(buf, h^uint64(n))
			}
		}
	}
	return buf, runes
}

func newModel(cfg ModelConfig, labels map[Field][]string) *model {
	m := &model{cfg: cfg, feats: map[uint64]int32{}}
	for _, f := range []Field{FieldType, FieldDemand, FieldEmotion, FieldLevel} {
		h := modelHead{field: f, labels: labels[f], index: map[string]int{}, offset: m.width}
		for i, l := range h.labels {
			h.index[l] = i
		}
		m.width += len(h.labels)
		m.heads = append(m.heads, h)
	}
	return m
}

// featurize maps a training text to feature ids, adding unseen n-grams.
func (m *model) featurize(key string) []int32 {
	hs, _ := grams(key, m.cfg.MinGram, m.cfg.MaxGram, nil, nil)
	ids := make([]int32, 0, len(hs))
	for _, h := range hs {
		id, ok := m.feats[h]
		if !ok {
			id = int32(len(m.feats))
			m.feats[h] = id
		}
		ids = append(ids, id)
	}
	return ids
}

func (m *model) train(examples []modelExample) {
	m.w = make([]float64, len(m.feats)*m.width)
	m.b = make([]float64, m.width)
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := m.cfg.Seed | 1
	scores := make([]float64, m.width)
	for epoch := 0; epoch < m.cfg.Epochs; epoch++ {
		rng = shuffle(order, rng)
		lr := m.cfg.LearningRate / (1 + 0.3*float64(epoch))
		for _, i := range order {
			m.step(examples[i], lr, scores)
		}
	}
}

func (m *model) step(ex modelExample, lr float64, scores []float64) {
	m.scores(ex.feats, scores)
	for hi, h := range m.heads {
		if ex.gold[hi] < 0 {
			continue
		}
		p := scores[h.offset : h.offset+len(h.labels)]
		softmax(p)
		p[ex.gold[hi]]--
		for k, g := range p {
			g *= lr * ex.weight
			m.b[h.offset+k] -= g
			for _, f := range ex.feats {
				m.w[int(f)*m.width+h.offset+k] -= g
			}
		}
	}
}

func (m *model) scores(feats []int32, out []float64) {
	copy(out, m.b)
	for _, f := range feats {
		row := m.w[int(f)*m.width : int(f+1)*m.width]
		for k, v := range row {
			out[k] += v
		}
	}
}

// predict fills out (len m.width) with log-probabilities per head. scratch buffers
// are passed in to keep classification free of allocations beyond them.
func (m *model) predict(key string, sc *scratch) []float64 {
	sc.hashes, sc.runes = grams(key, m.cfg.MinGram, m.cfg.MaxGram, sc.runes, sc.hashes[:0])
	sc.featIDs = sc.featIDs[:0]
	for _, h := range sc.hashes {
		if id, ok := m.feats[h]; ok {
			sc.featIDs = append(sc.featIDs, id)
		}
	}
	out := make([]float64, m.width)
	m.scores(sc.featIDs, out)
	for _, h := range m.heads {
		p := out[h.offset : h.offset+len(h.labels)]
		softmax(p)
		for k := range p {
			p[k] = math.Log(p[k] + 1e-9)
		}
	}
	return out
}

func (m *model) head(f Field) modelHead {
	for _, h := range m.heads {
		if h.field == f {
			return h
		}
	}
	return modelHead{}
}

func softmax(p []float64) {
	mx := math.Inf(-1)
	for _, v := range p {
		mx = max(mx, v)
	}
	sum := 0.0
	for i, v := range p {
		p[i] = math.Exp(v - mx)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
}

// shuffle permutes order with a xorshift generator and returns its next state.
func shuffle(order []int, state uint64) uint64 {
	for i := len(order) - 1; i > 0; i-- {
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
		j := int(state % uint64(i+1))
		order[i], order[j] = order[j], order[i]
	}
	return state
}
