package cases

import (
	"encoding/json"
	"time"

	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
)

// EventType names a kind of change to a case. Every change is one event.
type EventType string

const (
	EvCreated        EventType = "case.created"              // CreatedPayload
	EvFieldsChanged  EventType = "case.fields_changed"       // FieldsChangedPayload
	EvStageChanged   EventType = "case.stage_changed"        // StageChangedPayload
	EvAssigned       EventType = "case.assigned"             // AssignedPayload
	EvSLASet         EventType = "case.sla_set"              // SLASetPayload
	EvMessageIn      EventType = "message.received"          // MessagePayload: the customer wrote
	EvMessageOut     EventType = "message.sent"              // MessagePayload: the agent wrote or sent a script
	EvEvidenceAdded  EventType = "evidence.added"            // Evidence
	EvFactRecorded   EventType = "fact.recorded"             // FactPayload: e.g. outer_package=severe
	EvReturnAsked    EventType = "customer.return_requested" // NotePayload: the customer asked to return/refund
	EvRetention      EventType = "retention.offered"         // SolutionPayload: 劝留
	EvReasonGuided   EventType = "reason.guided"             // ReasonPayload: 原因引导
	EvSolutionOffer  EventType = "solution.offered"          // SolutionPayload
	EvSolutionAccept EventType = "solution.accepted"         // SolutionPayload
	EvSolutionRefuse EventType = "solution.refused"          // SolutionPayload
	EvApprovalAsked  EventType = "approval.requested"        // SolutionPayload
	EvApprovalGiven  EventType = "approval.granted"          // ApprovalPayload
	EvApprovalDenied EventType = "approval.refused"          // ApprovalPayload: refuses the request, or revokes an unused grant of the kind
	EvApprovalVoided EventType = "approval.withdrawn"        // ApprovalPayload: the pending request is dropped (case closed or merged)
	EvRemarkAdded    EventType = "remark.added"              // RemarkPayload
	EvNote           EventType = "note.added"                // NotePayload: internal note
	EvClosed         EventType = "case.closed"               // NotePayload
	EvReopened       EventType = "case.reopened"             // NotePayload
	EvMerged         EventType = "case.merged"               // LinkPayload: this case was merged into CaseID
	EvAbsorbed       EventType = "case.absorbed"             // LinkPayload: CaseID was merged into this case
	EvSplitOff       EventType = "case.split_off"            // LinkPayload: CaseID was split off from this case
	EvExecOpened     EventType = "execution.opened"          // execution.Opening: an accepted solution starts being carried out
	EvExecStepped    EventType = "execution.stepped"         // execution.Transition: it moved on (CAS from the state the agent saw)
	EvClassified     EventType = "message.classified"        // ClassifiedPayload: what the classifier read in the first message
	EvRegistered     EventType = "case.registered"           // NotePayload: the row in the shop's register (登记)
	EvFollowedUp     EventType = "case.followed_up"          // FollowUpPayload: 回访 done, with its outcome
)

// Event is one append-only entry in a case's log. Seq is the case version the event
// produced; (CaseID, Seq) is unique, which is what detects concurrent edits.
type Event struct {
	ID      int64           `json:"id"`
	CaseID  int64           `json:"case_id"`
	Seq     int64           `json:"seq"`
	Type    EventType       `json:"type"`
	Actor   string          `json:"actor"`
	At      time.Time       `json:"at"`
	Payload json.RawMessage `json:"payload"`
}

// CreatedPayload opens a case with its intake form.
type CreatedPayload struct {
	Intake    Intake `json:"intake"`
	SplitFrom int64  `json:"split_from,omitempty"`
}

// FieldChange is the old and new value of one intake field.
type FieldChange struct {
	Old any `json:"old"`
	New any `json:"new"`
}

// FieldsChangedPayload records an edit of the intake form; After is the whole form
// after the edit so that the projection never has to interpret partial values.
type FieldsChangedPayload struct {
	Changes map[string]FieldChange `json:"changes"`
	After   Intake                 `json:"after"`
}

type StageChangedPayload struct {
	From Stage `json:"from"`
	To   Stage `json:"to"`
}

type AssignedPayload struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// SLASetPayload carries the deadlines the clock computed for the case's level.
type SLASetPayload struct {
	Level         Level     `json:"level"`
	ResponseDueAt time.Time `json:"response_due_at"`
	ResolveDueAt  time.Time `json:"resolve_due_at"`
}

// MessagePayload is a message in the chat. Intent says what an outgoing message does
// in SOP terms (soothe, verify, offer, tracking, greeting …) so the guide can count
// soothing without a solution and see that a new tracking number was sent.
type MessagePayload struct {
	Text     string `json:"text"`
	ScriptID string `json:"script_id,omitempty"`
	Intent   string `json:"intent,omitempty"`
	Channel  string `json:"channel,omitempty"`
}

// Evidence is a photo or video stored by content hash.
type Evidence struct {
	Hash  string    `json:"hash"`
	Name  string    `json:"name"`
	Mime  string    `json:"mime"`
	Size  int64     `json:"size"`
	Kind  string    `json:"kind"` // six_sides 六面照, waybill 面单, contents 内件, video 视频, other
	Actor string    `json:"actor,omitempty"`
	At    time.Time `json:"at,omitempty"`
}

type FactPayload struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// SolutionPayload names a rung of the ladder (or another solution) and its amount.
// Data carries what carrying it out needs from the start: the parts to reship, the
// courier claim number, a return tracking number already known.
type SolutionPayload struct {
	Kind   string          `json:"kind"` // compensation, reship, exchange, return_refund, refund_only, repair, ...
	Amount money.Amount    `json:"amount,omitempty"`
	Note   string          `json:"note,omitempty"`
	Data   *execution.Data `json:"data,omitempty"`
	// PriceDiff is, for an exchange, the new item's price minus the old one's.
	PriceDiff money.Amount `json:"price_diff,omitempty"`
	// Part is the part a repair (or a repeated failure) concerns, for the 三包 count.
	Part string `json:"part,omitempty"`
	// Terms are what the desk computed from the money rules for this solution (price
	// difference to pay, depreciation fee …); set by the desk, never by the client.
	Terms []Term `json:"terms,omitempty"`
	// UsesApproval is the seq of the supervisor's grant this act uses up; set by the desk.
	UsesApproval int64 `json:"uses_approval,omitempty"`
}

// Term is one money rule's verdict on a solution: the rule id, the amount it computed
// and the reason in Chinese.
type Term struct {
	Rule   string       `json:"rule"`
	Amount money.Amount `json:"amount"`
	Text   string       `json:"text"`
}

type ReasonPayload struct {
	Reason string `json:"reason"` // seven_days_no_reason, other
	Note   string `json:"note,omitempty"`
}

type ApprovalPayload struct {
	Kind   string       `json:"kind"`
	Amount money.Amount `json:"amount,omitempty"`
	Note   string       `json:"note,omitempty"`
}

// RemarkPayload is a remark in the SOP's format 问题描述 + 进度.
type RemarkPayload struct {
	Text string `json:"text"`
}

type NotePayload struct {
	Text string `json:"text,omitempty"`
}

type LinkPayload struct {
	CaseID int64 `json:"case_id"`
}

// Labels are the codes of SOP §8 for one message.
type Labels struct {
	Type    ProblemType `json:"type"`
	Demand  Demand      `json:"demand"`
	Emotion Emotion     `json:"emotion"`
	Level   Level       `json:"level"`
}

// LabelsOf is what an intake form says about its case.
func LabelsOf(in Intake) Labels {
	return Labels{Type: in.Type, Demand: in.Demand, Emotion: in.Emotion, Level: in.Level}
}

// Differences names the fields where two label sets disagree.
func (l Labels) Differences(other Labels) []string {
	var fields []string
	if l.Type != other.Type {
		fields = append(fields, "type")
	}
	if l.Demand != other.Demand {
		fields = append(fields, "demand")
	}
	if l.Emotion != other.Emotion {
		fields = append(fields, "emotion")
	}
	if l.Level != other.Level {
		fields = append(fields, "level")
	}
	return fields
}

// ClassifiedPayload records the classifier's reading of the customer's first message
// and which fields the agent set differently, so real use grows the training corpus.
type ClassifiedPayload struct {
	Text       string   `json:"text"`
	Predicted  Labels   `json:"predicted"`
	Confidence float64  `json:"confidence"`
	Corrected  []string `json:"corrected,omitempty"`
}

// FollowUpPayload is the outcome of a 回访 visit: the customer's satisfaction score
// (1–5), whether the problem is solved, and a comment. Text is the free note older
// follow-ups carried; a visit recorded now always has CSAT and Solved.
type FollowUpPayload struct {
	CSAT    int    `json:"csat,omitempty"`
	Solved  *bool  `json:"solved,omitempty"`
	Comment string `json:"comment,omitempty"`
	Text    string `json:"text,omitempty"`
}

// FollowUp is the last visit's outcome on the case.
type FollowUp struct {
	CSAT    int       `json:"csat,omitempty"`
	Solved  bool      `json:"solved"`
	Comment string    `json:"comment,omitempty"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}
