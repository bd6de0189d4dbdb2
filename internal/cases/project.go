package cases

import (
	"encoding/json"
	"fmt"
	"github.com/shouhou/shouhou/internal/execution"
	"slices"
)

// Apply folds one event into the case and returns the new state. It is the only place
// where events turn into state, so replaying a log always gives the same case.
func Apply(c Case, e Event) (Case, error) {
	if e.Seq != c.Version+1 {
		return c, fmt.Errorf("event seq %d does not follow version %d", e.Seq, c.Version)
	}
	next, err := applyPayload(c, e)
	if err != nil {
		return c, fmt.Errorf("apply %s: %w", e.Type, err)
	}
	next.Version = e.Seq
	next.UpdatedAt = e.At
	return next, nil
}

// Replay folds a whole log into a case.
func Replay(events []Event) (Case, error) {
	var c Case
	for _, e := range events {
		var err error
		if c, err = Apply(c, e); err != nil {
			return c, err
		}
	}
	return c, nil
}

func applyPayload(c Case, e Event) (Case, error) {
	switch e.Type {
	case EvCreated:
		return applyCreated(c, e)
	case EvFieldsChanged:
		var p FieldsChangedPayload
		return c, decodeInto(e, &p, func() { c.Intake = p.After })
	case EvStageChanged:
		var p StageChangedPayload
		return c, decodeInto(e, &p, func() { c.Stage = p.To })
	case EvAssigned:
		var p AssignedPayload
		return c, decodeInto(e, &p, func() { c.Assignee = p.To })
	case EvSLASet:
		var p SLASetPayload
		return c, decodeInto(e, &p, func() {
			c.ResponseDueAt, c.ResolveDueAt = &p.ResponseDueAt, &p.ResolveDueAt
		})
	case EvMessageOut:
		if c.FirstRespondedAt == nil {
			at := e.At
			c.FirstRespondedAt = &at
		}
		return c, nil
	case EvEvidenceAdded:
		var p Evidence
		return c, decodeInto(e, &p, func() {
			p.Actor, p.At = e.Actor, e.At
			c.Evidence = append(slices.Clip(c.Evidence), p)
		})
	case EvFactRecorded:
		var p FactPayload
		return c, decodeInto(e, &p, func() {
			facts := make(map[string]string, len(c.Facts)+1)
			for k, v := range c.Facts {
				facts[k] = v
			}
			facts[p.Key] = p.Value
			c.Facts = facts
		})
	case EvRemarkAdded:
		var p RemarkPayload
		return c, decodeInto(e, &p, func() {
			c.Remarks = append(slices.Clip(c.Remarks), Remark{Text: p.Text, Actor: e.Actor, At: e.At})
		})
	case EvSolutionAccept, EvSolutionOffer, EvRetention:
		var p SolutionPayload
		return c, decodeInto(e, &p, func() {
			if e.Type == EvSolutionAccept {
				c.Accepted = &p
			}
			c.useApproval(p.UsesApproval, e.Seq)
		})
	case EvApprovalAsked:
		var p SolutionPayload
		return c, decodeInto(e, &p, func() { c.PendingApproval = &p })
	case EvApprovalVoided:
		c.PendingApproval = nil
		return c, nil
	case EvApprovalGiven, EvApprovalDenied:
		var p ApprovalPayload
		return c, decodeInto(e, &p, func() {
			if e.Type == EvApprovalDenied && c.PendingApproval == nil {
				c.revokeApprovals(p.Kind)
			}
			c.PendingApproval = nil
			c.Approvals = append(slices.Clip(c.Approvals), Approval{Seq: e.Seq, Kind: p.Kind, Amount: p.Amount,
				Granted: e.Type == EvApprovalGiven, By: e.Actor, At: e.At})
		})
	case EvExecOpened:
		var o execution.Opening
		return c, decodeThen(e, &o, func() error {
			sol, err := execution.Open(o, e.Actor, e.At)
			c.Executions = append(slices.Clip(c.Executions), sol)
			return err
		})
	case EvExecStepped:
		var t execution.Transition
		return c, decodeThen(e, &t, func() error { return stepExecution(&c, t, e) })
	case EvTimerFired:
		return applyTimerFired(c, e)
	case EvPlatformStatus, EvPlatformUpdated:
		var p AfterSalePayload
		return c, decodeInto(e, &p, func() {
			rec := p.Record
			c.AfterSale = &rec
		})
	case EvSLAPaused:
		return applyPaused(c, e)
	case EvSLAResumed:
		return applyResumed(c, e)
	case EvClosed:
		at := e.At
		c.Status, c.Stage, c.ClosedAt = StatusClosed, StageClosed, &at
		return c, nil
	case EvFollowedUp:
		var p FollowUpPayload
		return c, decodeInto(e, &p, func() {
			solved := p.Solved == nil || *p.Solved
			c.FollowUp = &FollowUp{CSAT: p.CSAT, Solved: solved, Comment: p.Comment, By: e.Actor, At: e.At}
			if c.Status == StatusClosed && c.Stage == StageFollowUp {
				c.Stage = StageClosed // 待回访 done
			}
		})
	case EvReopened:
		c.Status, c.ClosedAt = StatusOpen, nil
		if c.Stage == StageClosed || c.Stage == StageFollowUp {
			c.Stage = StageSolution
		}
		return c, nil
	case EvMerged:
		var p LinkPayload
		return c, decodeInto(e, &p, func() {
			at := e.At
			c.Status, c.MergedInto, c.ClosedAt = StatusMerged, p.CaseID, &at
		})
	case EvAbsorbed:
		var p LinkPayload
		return c, decodeInto(e, &p, func() { c.MergedFrom = append(slices.Clip(c.MergedFrom), p.CaseID) })
	case EvSplitOff:
		var p LinkPayload
		return c, decodeInto(e, &p, func() { c.SplitTo = append(slices.Clip(c.SplitTo), p.CaseID) })
	}
	// Every other event (messages in, solutions, approvals, notes, register, follow-up)
	// belongs to the log and to the guide; it changes no projected field.
	return c, nil
}

// useApproval marks the grant with seq as used by the event at. The slice is copied
// so earlier versions of the case keep theirs.
func (c *Case) useApproval(seq, by int64) {
	if seq == 0 {
		return
	}
	approvals := slices.Clone(c.Approvals)
	for i := range approvals {
		if approvals[i].Seq == seq {
			approvals[i].UsedBy = by
		}
	}
	c.Approvals = approvals
}

// revokeApprovals withdraws the unused grants of kind: a supervisor's refusal after a
// grant takes the grant back.
func (c *Case) revokeApprovals(kind string) {
	approvals := slices.Clone(c.Approvals)
	for i := range approvals {
		if approvals[i].Open() && approvals[i].Kind == kind {
			approvals[i].Revoked = true
		}
	}
	c.Approvals = approvals
}

func applyCreated(c Case, e Event) (Case, error) {
	if c.Version != 0 {
		return c, fmt.Errorf("case already created")
	}
	var p CreatedPayload
	if err := json.Unmarshal(e.Payload, &p); err != nil {
		return c, err
	}
	return Case{
		ID: e.CaseID, Intake: p.Intake, Stage: initialStage(p.Intake), Status: StatusOpen,
		CreatedBy: e.Actor, CreatedAt: e.At, SplitFrom: p.SplitFrom,
		Remarks: []Remark{}, Evidence: []Evidence{},
	}, nil
}

// initialStage follows SOP §1: an upset or angry customer is soothed first; everyone
// else goes straight to verification.
func initialStage(in Intake) Stage {
	if in.Emotion == EmotionAngry || in.Emotion == EmotionUpset {
		return StageSoothe
	}
	return StageVerify
}

// stepExecution moves one execution on; the slice is copied so earlier versions of
// the case keep theirs.
func stepExecution(c *Case, t execution.Transition, e Event) error {
	execs := slices.Clone(c.Executions)
	for i, s := range execs {
		if s.ID != t.SolutionID {
			continue
		}
		next, err := execution.Step(s, t, e.Actor, e.At)
		if err != nil {
			return err
		}
		execs[i] = next
		c.Executions = execs
		return nil
	}
	return fmt.Errorf("no execution %d", t.SolutionID)
}

func decodeThen(e Event, v any, then func() error) error {
	if err := json.Unmarshal(e.Payload, v); err != nil {
		return err
	}
	return then()
}

func decodeInto(e Event, v any, then func()) error {
	if err := json.Unmarshal(e.Payload, v); err != nil {
		return err
	}
	then()
	return nil
}
