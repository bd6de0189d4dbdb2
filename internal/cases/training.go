package cases

import "encoding/json"

// EvRefused records a move the desk refused (a money rule, the remark format, a
// blocking SOP rule). Only the training space records it (desk Opts.RecordRefusals):
// the score card shows what the trainee tried, not only what got through. It changes
// nothing in the projection.
const EvRefused EventType = "training.refused" // RefusedPayload

// RefusedPayload is the refused move: its event type and payload, and the reason.
type RefusedPayload struct {
	Type    EventType       `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Field   string          `json:"field,omitempty"`
}

// TrainingCaseBase is the first case number of the training space: practice cases are
// numbered from here, so a case number alone says which space it belongs to and never
// collides with a real case.
const TrainingCaseBase int64 = 1_000_000_000_000

// IsTrainingCase reports whether id is a practice case's number.
func IsTrainingCase(id int64) bool { return id >= TrainingCaseBase }
