package training

import "github.com/shouhou/shouhou/internal/playbook"

// ExamInstruction stands for the step's instruction in an exam.
const ExamInstruction = "考试模式:不显示SOP指引"

// ExamGuide is what an exam shows of a practice case's guide, on the workbench and
// through the API alike: where the case stands (its flow and step), the step's
// questions (they are where the facts are recorded) and the solutions the case allows
// with their amounts and whether they are refused or blocked. No hints: no instruction,
// next actions, missing evidence, timers, scripts, rule findings, flags or notices, nor
// the reasons, notes and suggested amounts of the solutions.
func ExamGuide(g playbook.Guide) playbook.Guide {
	out := playbook.Guide{FlowID: g.FlowID, FlowName: g.FlowName, Finished: g.Finished,
		NextActions: []string{}, Questions: g.Questions}
	if g.Step != nil {
		step := *g.Step
		step.Instruction = ExamInstruction
		out.Step = &step
	}
	for _, o := range g.Solutions {
		o.Rule, o.Note, o.Suggested = "", "", 0
		out.Solutions = append(out.Solutions, o)
	}
	return out
}
