package desk

import (
	"fmt"

	"github.com/shouhou/shouhou/internal/cases"
)

// CaseLimits bound how much one case may hold, so that a case flooded with remarks
// or events (by mistake or on purpose) cannot grow its page to megabytes and slow
// every other agent's writes: each write stores the case's state and the SOP engine
// reads its whole log.
type CaseLimits struct {
	MaxEvents   int64 // events in the case's log
	MaxRemarks  int   // remarks (each at most 500 characters, cases.ValidateRemark)
	MaxEvidence int   // photos and videos
}

// DefaultCaseLimits: far above any real case (a long dispute has ~100 events).
func DefaultCaseLimits() CaseLimits {
	return CaseLimits{MaxEvents: 2000, MaxRemarks: 200, MaxEvidence: 100}
}

// check refuses a change that takes a case past a limit it was within.
func (l CaseLimits) check(before, after cases.Case) error {
	full := func(field, what string, limit int64) error {
		return &RuleError{Code: "case_full", Field: field,
			Message: fmt.Sprintf("该工单的%s已达上限(%d),请新建关联工单(拆分)继续处理", what, limit)}
	}
	switch {
	case after.Version > l.MaxEvents && after.Version > before.Version:
		return full("", "操作记录", l.MaxEvents)
	case len(after.Remarks) > l.MaxRemarks && len(after.Remarks) > len(before.Remarks):
		return full("text", "备注", int64(l.MaxRemarks))
	case len(after.Evidence) > l.MaxEvidence && len(after.Evidence) > len(before.Evidence):
		return full("file", "凭证", int64(l.MaxEvidence))
	}
	return nil
}
