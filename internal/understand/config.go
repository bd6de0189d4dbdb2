package understand

import (
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/policy"
)

// Config holds every number the classifier uses. DefaultConfig carries the SOP's
// values; a shop overrides any of them in YAML (LoadConfig).
type Config struct {
	// Levels is the severity of each problem type when no cue says otherwise (SOP §8
	// labelling conventions). Types missing here get DefaultLevel.
	Levels       map[string]int `yaml:"levels"`
	DefaultLevel int            `yaml:"default_level"`
	// SafetyLevel is the level forced by a safety word in an after-sales message (§3).
	SafetyLevel int `yaml:"safety_level"`
	// SizeToleranceCM: a size off by more than this from the listing is a quality
	// problem, within it a personal fit problem (SOP §5: 3 cm).
	SizeToleranceCM float64 `yaml:"-"` // set from the policy (size.tolerance_mm), not here
	// Upset and angry punctuation: this many ? or ! in a row read as complaint tone
	// or shouting (§8 "??").
	UpsetMarks int `yaml:"upset_marks"`
	AngryMarks int `yaml:"angry_marks"`
	// AngryBursts: this many separate runs of ! (坏了！退货！！快点！) read as
	// shouting in short bursts.
	AngryBursts int `yaml:"angry_bursts"`
	// CalmPrior is added to calm: without a word of complaint, a message is calm (§8).
	CalmPrior float64 `yaml:"calm_prior"`
	// Model is how the statistical model is trained and weighed against the rules.
	Model ModelConfig `yaml:"model"`
	// Structure weighs the structural signals (structure.go); 0 turns one off.
	Structure StructureConfig `yaml:"structure"`
	// Calibration holds the temperature of each field's softmax, fitted on held-out
	// data so that a confidence of 0.8 is right about 80 % of the time
	// (docs/CLASSIFIER.md, TestCalibrationIsFitted).
	Calibration Calibration `yaml:"calibration"`
	// SuggestBelow: a field read with less confidence than this is not pre-filled;
	// its two most probable labels are offered instead.
	SuggestBelow float64 `yaml:"suggest_below"`
	// LearnedWeight is how many times a label from the shop's own cases (corpus
	// export) counts against one built-in training example.
	LearnedWeight float64 `yaml:"learned_weight"`
}

// Calibration is a softmax temperature per field (1 leaves the scores as they are).
type Calibration struct {
	Type    float64 `yaml:"type"`
	Demand  float64 `yaml:"demand"`
	Emotion float64 `yaml:"emotion"`
	Level   float64 `yaml:"level"`
}

func (c Calibration) of(f Field) float64 {
	switch f {
	case FieldType:
		return c.Type
	case FieldDemand:
		return c.Demand
	case FieldEmotion:
		return c.Emotion
	case FieldLevel:
		return c.Level
	}
	return 1
}

// StructureConfig is the weight of each structural signal.
type StructureConfig struct {
	// Request: the verb of the last request clause votes for its demand (and a
	// negated verb against it).
	Request float64 `yaml:"request"`
	// Implied: an ordered attribute set against a received one votes exchange.
	Implied float64 `yaml:"implied"`
	// Presale: an intent to buy votes presale with twice this weight; otherwise an
	// order context votes against presale.
	Presale float64 `yaml:"presale"`
	// Tone: 都…了, 才…就, rhetorical questions and !!! vote upset.
	Tone float64 `yaml:"tone"`
}

// ModelConfig tunes the character n-gram logistic-regression model.
type ModelConfig struct {
	MinGram      int     `yaml:"min_gram"`
	MaxGram      int     `yaml:"max_gram"`
	Epochs       int     `yaml:"epochs"`
	LearningRate float64 `yaml:"learning_rate"`
	// Weight multiplies the model's log-probabilities before the cue weights are added.
	Weight float64 `yaml:"weight"`
	// Seed fixes the training order, so the same corpus always gives the same model.
	Seed uint64 `yaml:"seed"`
}

// DefaultConfig returns the SOP defaults.
func DefaultConfig() Config {
	return Config{
		Levels: map[string]int{
			string(cases.TypeDamaged):      2,
			string(cases.TypeLeak):         2,
			string(cases.TypeMalfunction):  2,
			string(cases.TypeFlaw):         3,
			string(cases.TypeQualitySize):  3,
			string(cases.TypeDislike):      3,
			string(cases.TypePersonalSize): 3,
			string(cases.TypeMissing):      2,
			string(cases.TypeWrong):        2,
			string(cases.TypeChase):        3,
			string(cases.TypeAddress):      3,
			string(cases.TypeIntercept):    3,
			string(cases.TypeLost):         2,
			string(cases.TypeNotReceived):  2,
			string(cases.TypeHowTo):        3,
			string(cases.TypeRefundChase):  3,
			string(cases.TypeComplaint):    3,
			string(cases.TypePresale):      3,
		},
		DefaultLevel:    3,
		SafetyLevel:     1,
		SizeToleranceCM: float64(policy.Default().Size.ToleranceMM) / 10,
		UpsetMarks:      2,
		AngryMarks:      4,
		AngryBursts:     3,
		CalmPrior:       0.5,
		Model: ModelConfig{
			MinGram: 1, MaxGram: 3, Epochs: 8, LearningRate: 0.1, Weight: 0.7, Seed: 20240501,
		},
		Structure:     StructureConfig{Request: 1, Implied: 2, Presale: 2, Tone: 2},
		Calibration:   Calibration{Type: 0.66, Demand: 0.89, Emotion: 1.52, Level: 0.98},
		SuggestBelow:  0.6,
		LearnedWeight: 2,
	}
}

// LoadConfig reads YAML over the defaults: fields absent from data keep the SOP value.
func LoadConfig(data []byte) (Config, error) {
	cfg := DefaultConfig()
	levels := cfg.Levels
	cfg.Levels = nil
	if err := yaml.UnmarshalWithOptions(data, &cfg, yaml.Strict()); err != nil {
		return Config{}, fmt.Errorf("classifier config: %w", err)
	}
	for typ, lvl := range cfg.Levels {
		levels[typ] = lvl
	}
	cfg.Levels = levels
	return cfg, cfg.validate()
}

func (c Config) validate() error {
	for typ, lvl := range c.Levels {
		if !cases.Level(lvl).Valid() {
			return fmt.Errorf("classifier config: level of %s is %d, want 1..3", typ, lvl)
		}
	}
	if c.Model.MinGram < 1 || c.Model.MaxGram < c.Model.MinGram {
		return fmt.Errorf("classifier config: n-gram range %d..%d is invalid", c.Model.MinGram, c.Model.MaxGram)
	}
	for _, t := range []float64{c.Calibration.Type, c.Calibration.Demand, c.Calibration.Emotion, c.Calibration.Level} {
		if t <= 0 {
			return fmt.Errorf("classifier config: calibration temperatures must be above 0")
		}
	}
	if c.SuggestBelow < 0 || c.SuggestBelow > 1 {
		return fmt.Errorf("classifier config: suggest_below %v is not between 0 and 1", c.SuggestBelow)
	}
	if c.LearnedWeight < 0 {
		return fmt.Errorf("classifier config: learned_weight %v is negative", c.LearnedWeight)
	}
	if c.AngryBursts < 2 {
		return fmt.Errorf("classifier config: angry_bursts %d is invalid, want 2 or more", c.AngryBursts)
	}
	if c.UpsetMarks < 1 || c.AngryMarks < c.UpsetMarks {
		return fmt.Errorf("classifier config: upset_marks %d and angry_marks %d are invalid", c.UpsetMarks, c.AngryMarks)
	}
	return nil
}

func (c Config) levelOf(typ string) int {
	if l, ok := c.Levels[typ]; ok {
		return l
	}
	return c.DefaultLevel
}
