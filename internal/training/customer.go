package training

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/script"
)

// CustomerActor is the simulated customer's name on the events it causes.
const CustomerActor = "顾客(模拟)"

// Checks are the desk's own readings of a sent message: the lint of SOP §7 and
// whether a message only soothes. The simulator and the score card use them, so a
// rule lives in one place (desk.Desk has both).
type Checks interface {
	Lint(text string, history ...script.Outgoing) []script.Warning
	Soothing(o script.Outgoing) bool
}

// Reply is one thing the simulated customer does: a chat message and/or photos.
type Reply struct {
	Text   string   `json:"text,omitempty"`
	Photos []string `json:"photos,omitempty"`
}

// mood levels: 0 calm, 1 upset, 2 angry.
func moodOf(e cases.Emotion) int {
	switch e {
	case cases.EmotionAngry:
		return 2
	case cases.EmotionUpset:
		return 1
	}
	return 0
}

var photoWords = []string{"照片", "拍", "视频", "六面", "面单", "图片", "截图"}

// byTrainee keeps the events the trainee (not the customer, not the clock) caused.
func byTrainee(e cases.Event) bool { return e.Actor != CustomerActor && e.Actor != "" }

func outgoing(e cases.Event) (cases.MessagePayload, bool) {
	if e.Type != cases.EvMessageOut {
		return cases.MessagePayload{}, false
	}
	return cases.PayloadAs[cases.MessagePayload](e)
}

// Mood replays the customer's emotion over the log: a soothing message calms by one
// level, a message the lint flags (a negative word without explanation, arguing)
// angers by one, a refused offer below what they accept angers by one.
func (s *Scenario) Mood(log []cases.Event, ch Checks) int {
	mood := moodOf(s.Customer.Emotion)
	for _, e := range log {
		if !byTrainee(e) {
			continue
		}
		if m, ok := outgoing(e); ok {
			switch {
			case len(ch.Lint(m.Text)) > 0:
				mood = min(mood+1, 2)
			case ch.Soothing(script.Outgoing{Text: m.Text, Intent: m.Intent}):
				mood = max(mood-1, 0)
			}
		}
		if e.Type == cases.EvSolutionOffer {
			if p, ok := cases.PayloadAs[cases.SolutionPayload](e); ok && !s.accepts(p) {
				mood = min(mood+1, 2)
			}
		}
	}
	return mood
}

func (s *Scenario) accepts(p cases.SolutionPayload) bool {
	i := slices.IndexFunc(s.Accepts, func(a Accept) bool { return a.Kind == p.Kind })
	return i >= 0 && p.Amount >= Yuan(s.Accepts[i].Min)
}

// RetentionKept says whether the n-th retention offer (1-based) keeps the customer:
// a draw fixed by the scenario's seed, so every attempt of the same moves gets the
// same answer.
func (s *Scenario) RetentionKept(n int) bool {
	r := rand.New(rand.NewPCG(s.Seed, uint64(n)))
	return r.Float64() < s.Retention.Chance
}

// photosSent reports whether the customer already sent the photos.
func photosSent(log []cases.Event) bool {
	return slices.ContainsFunc(log, func(e cases.Event) bool { return e.Type == cases.EvEvidenceAdded && e.Actor == CustomerActor })
}

// photosAsked is when the trainee first asked for photos or a video.
func photosAsked(log []cases.Event) (time.Time, bool) {
	for _, e := range log {
		if m, ok := outgoing(e); ok && byTrainee(e) && containsAny(m.Text, photoWords) {
			return e.At, true
		}
	}
	return time.Time{}, false
}

func containsAny(text string, words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return w != "" && strings.Contains(text, w) })
}

func revealed(log []cases.Event, f Fact) bool {
	return slices.ContainsFunc(log, func(e cases.Event) bool {
		if e.Type != cases.EvMessageIn {
			return false
		}
		m, ok := cases.PayloadAs[cases.MessagePayload](e)
		return ok && m.Text == f.Say
	})
}

// Answer is the customer's answer to the trainee's new events (fresh, already in
// log): the rule engine of the simulator. It is a pure function of the scenario, the
// log and the clock, so a practice case replays the same way every time.
func (s *Scenario) Answer(log, fresh []cases.Event, ch Checks) []Reply {
	var out []Reply
	for _, e := range fresh {
		if !byTrainee(e) {
			continue
		}
		before := log[:max(0, slices.IndexFunc(log, func(x cases.Event) bool { return x.Seq == e.Seq }))]
		if r, ok := s.answer(before, e, ch); ok {
			out = append(out, r)
		}
	}
	return out
}

func (s *Scenario) answer(before []cases.Event, e cases.Event, ch Checks) (Reply, bool) {
	switch e.Type {
	case cases.EvMessageOut:
		m, _ := cases.PayloadAs[cases.MessagePayload](e)
		return s.answerMessage(before, e, m, ch), true
	case cases.EvRetention:
		n := 1
		for _, x := range before {
			if x.Type == cases.EvRetention {
				n++
			}
		}
		if s.RetentionKept(n) {
			return Reply{Text: "那好吧，既然有补偿，这个我就留下了。"}, true
		}
		return Reply{Text: "不用补偿了，我还是想退。"}, true
	case cases.EvSolutionOffer:
		p, _ := cases.PayloadAs[cases.SolutionPayload](e)
		label, _ := cases.SolutionLabel(p.Kind)
		i := slices.IndexFunc(s.Accepts, func(a Accept) bool { return a.Kind == p.Kind })
		switch {
		case i < 0:
			want, _ := cases.LabelOf(cases.Demands, string(s.Customer.Wants))
			return Reply{Text: fmt.Sprintf("%s我不要，我要的是%s。", label, want)}, true
		case p.Amount < Yuan(s.Accepts[i].Min):
			return Reply{Text: fmt.Sprintf("才%s元？太少了，不行。", p.Amount.Yuan())}, true
		case s.Accepts[i].Say != "":
			return Reply{Text: s.Accepts[i].Say}, true
		}
		return Reply{Text: fmt.Sprintf("好的，那就%s吧。", label)}, true
	case cases.EvReasonGuided:
		p, _ := cases.PayloadAs[cases.ReasonPayload](e)
		if p.Reason == "seven_days_no_reason" {
			return Reply{Text: "好的，我申请的时候选「七天无理由」。"}, true
		}
		return Reply{Text: "好的，我按你说的原因申请。"}, true
	case cases.EvExecStepped:
		if strings.Contains(string(e.Payload), "tracking_no") {
			return Reply{Text: "收到单号了，谢谢。"}, true
		}
	}
	return Reply{}, false
}

func (s *Scenario) answerMessage(before []cases.Event, e cases.Event, m cases.MessagePayload, ch Checks) Reply {
	var parts []string
	var photos []string
	mood := s.Mood(append(slices.Clone(before), e), ch)
	if len(ch.Lint(m.Text)) > 0 {
		parts = append(parts, "你这是什么态度？再这样我就投诉了！")
	}
	if containsAny(m.Text, photoWords) && len(s.Photos) > 0 && !photosSent(before) {
		if _, asked := photosAsked(before); !asked {
			if s.PhotosAfterHours > 0 {
				parts = append(parts, fmt.Sprintf("我现在不在家，大概%d小时后回去拍了发你。", s.PhotosAfterHours))
			} else {
				parts, photos = append(parts, "好的，照片发给你了。"), slices.Clone(s.Photos)
			}
		}
	}
	for _, f := range s.Facts {
		if containsAny(m.Text, f.Ask) && !revealed(before, f) {
			parts = append(parts, f.Say)
		}
	}
	if len(parts) == 0 {
		switch {
		case ch.Soothing(script.Outgoing{Text: m.Text, Intent: m.Intent}) && mood == 0:
			parts = append(parts, "嗯，那你们打算怎么处理？")
		case mood == 2:
			parts = append(parts, "别光说好听的，到底怎么解决？")
		case mood == 1:
			parts = append(parts, "好吧，你们尽快给个说法。")
		default:
			parts = append(parts, "好的。")
		}
	}
	return Reply{Text: strings.Join(parts, ""), Photos: photos}
}

// Due is what the customer sends on their own once the practice clock reaches it: the
// photos promised for later (PhotosAfterHours after they were asked).
func (s *Scenario) Due(log []cases.Event, now time.Time) []Reply {
	if s.PhotosAfterHours == 0 || len(s.Photos) == 0 || photosSent(log) {
		return nil
	}
	at, ok := photosAsked(log)
	if !ok || now.Before(at.Add(time.Duration(s.PhotosAfterHours)*time.Hour)) {
		return nil
	}
	return []Reply{{Text: "照片拍好了，发给你。", Photos: slices.Clone(s.Photos)}}
}
