package desk

import (
	"context"

	"github.com/shouhou/shouhou/internal/cases"
)

// CheckEvidence tells, before a file is stored, whether AddEvidence would accept
// evidence on case id at version expected (AnyVersion: any): a missing case, a stale
// version, a merged, closed or full case are refused here, so that an upload that
// cannot be recorded leaves no file behind.
func (d *Desk) CheckEvidence(ctx context.Context, id, expected int64) error {
	c, err := d.store.GetCase(ctx, id)
	if err != nil {
		return err
	}
	if err := writable(c, expected); err != nil {
		return err
	}
	if err := evidenceAllowed(c); err != nil {
		return err
	}
	after := c
	after.Evidence = append(after.Evidence[:len(after.Evidence):len(after.Evidence)], cases.Evidence{})
	after.Version++
	return d.caseLimits.check(c, after)
}

func evidenceAllowed(c cases.Case) error {
	if c.Status != cases.StatusOpen {
		return &RuleError{Code: "case_closed", Message: "工单已结案,请先重新打开"}
	}
	return nil
}
