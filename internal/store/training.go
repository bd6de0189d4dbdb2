package store

import (
	"encoding/json"
	"time"
)

// TrainingAssignment is a scenario a trainer gave a trainee; Exam ones allow one
// attempt without the guide's hints.
type TrainingAssignment struct {
	ID         int64     `json:"id"`
	Trainee    string    `json:"trainee"`
	ScenarioID string    `json:"scenario_id"`
	Exam       bool      `json:"exam"`
	AssignedBy string    `json:"assigned_by"`
	AssignedAt time.Time `json:"assigned_at"`
}

// TrainingAttempt is one practice run of a scenario: its case in the training space,
// the offset of its own clock from the server's, and when finished its score card.
type TrainingAttempt struct {
	ID           int64           `json:"id"`
	AssignmentID int64           `json:"assignment_id,omitempty"`
	Trainee      string          `json:"trainee"`
	ScenarioID   string          `json:"scenario_id"`
	Exam         bool            `json:"exam"`
	CaseID       int64           `json:"case_id"`
	Offset       time.Duration   `json:"-"`
	StartedAt    time.Time       `json:"started_at"`
	FinishedAt   *time.Time      `json:"finished_at,omitempty"`
	Points       int             `json:"points"`
	MaxPoints    int             `json:"max_points"`
	Card         json.RawMessage `json:"card,omitempty"`
}

// TrainingScenario is a scenario a supervisor made from a closed real case (YAML).
type TrainingScenario struct {
	ID         string    `json:"id"`
	Body       string    `json:"body"`
	SourceCase int64     `json:"source_case"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// MarshalJSON writes the clock offset in milliseconds (offset_ms).
func (a TrainingAttempt) MarshalJSON() ([]byte, error) {
	type plain TrainingAttempt
	return json.Marshal(struct {
		plain
		OffsetMS int64 `json:"offset_ms"`
	}{plain(a), a.Offset.Milliseconds()})
}
