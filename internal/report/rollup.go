// Package report computes the shop's KPIs from daily rollups. Each case contributes a
// few rollup entries (its day, a dimension, a key, and a vector of additive measures);
// the desk keeps the rollups in the transaction that writes the case by subtracting the
// case's previous contribution and adding the new one, so a report over any date range
// sums at most (days × keys) rows and never scans cases or events.
package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/calendar"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
)

// Dimensions of rollup entries.
const (
	DimCase   = "case"   // key: platform|type|level|assignee|stage|status, day: opened
	DimSKU    = "sku"    // key: platform|type|level|assignee|sku|batch, day: opened
	DimOutput = "output" // key: platform|type|level|agent, day: first remark (产能)
)

// Vector is a set of additive measures by name.
type Vector map[string]int64

// Add adds v times sign into the vector, dropping measures that reach zero.
func (x Vector) Add(v Vector, sign int64) {
	for k, n := range v {
		if x[k] += n * sign; x[k] == 0 {
			delete(x, k)
		}
	}
}

// Entry is one rollup contribution of a case.
type Entry struct {
	Day string `json:"d"`
	Dim string `json:"m"`
	Key string `json:"k"`
	V   Vector `json:"v"`
}

// Measure names of the case dimension.
const (
	MCases        = "n"
	MRemarked     = "remarked"
	MRespN        = "resp_n"  // answered cases with a first-response deadline
	MRespOK       = "resp_ok" // … answered by it
	MRespMin      = "resp_m:" // + minutes to the first answer (histogram)
	MResN         = "res_n"   // closed cases with a resolution deadline
	MResOK        = "res_ok"  // … closed by it
	MResMin       = "res_m:"  // + minutes to closing (histogram)
	MSolution     = "sol:"    // + accepted solution kind
	MComp         = "comp"    // compensation paid, fen
	MRefund       = "refund"  // refunds made, fen
	MReturnAsked  = "ret_ask" // the customer asked to return or refund
	MReturnKept   = "ret_kept"
	MRefundCase   = "refund_case" // accepted solution is a refund only
	MReturnCase   = "return_case" // accepted solution is a return with refund
	MReason       = "reason:"
	MCSAT         = "csat:" // + score
	MDefect       = "defect"
	MOutput       = "out"
	keySeparator  = "|"
	refundKinds   = "return_refund refund_only"
	minutesBucket = time.Minute
)

// Contribution is what a case adds to the rollups: days in zone.
func Contribution(c cases.Case, log []cases.Event, zone *time.Location) []Entry {
	if c.ID == 0 || c.Status == cases.StatusMerged {
		return nil // a merged case is counted in the case it was merged into
	}
	day := calendar.DateOf(c.CreatedAt.In(zone)).String()
	base := []string{string(c.Platform), string(c.Type), fmt.Sprint(int(c.Level))}
	v := Vector{MCases: 1}
	if c.Remarked() {
		v[MRemarked] = 1
	}
	if c.FirstRespondedAt != nil && c.ResponseDueAt != nil {
		v[MRespN] = 1
		if !c.FirstRespondedAt.After(*c.ResponseDueAt) {
			v[MRespOK] = 1
		}
		v[MRespMin+fmt.Sprint(minutes(c.FirstRespondedAt.Sub(c.CreatedAt)))] = 1
	}
	if c.Status == cases.StatusClosed && c.ClosedAt != nil && c.ResolveDueAt != nil {
		v[MResN] = 1
		if !c.ClosedAt.After(*c.ResolveDueAt) {
			v[MResOK] = 1
		}
		v[MResMin+fmt.Sprint(minutes(c.ClosedAt.Sub(c.CreatedAt)))] = 1
	}
	if c.Accepted != nil {
		v[MSolution+c.Accepted.Kind] = 1
		switch c.Accepted.Kind {
		case cases.SolutionRefundOnly:
			v[MRefundCase] = 1
		case cases.SolutionReturnRefund:
			v[MReturnCase] = 1
		}
	}
	comp, refund := spent(c)
	if comp > 0 {
		v[MComp] = comp
	}
	if refund > 0 {
		v[MRefund] = refund
	}
	asked, retained := false, false
	for _, e := range log {
		switch e.Type {
		case cases.EvReturnAsked:
			asked = true
		case cases.EvRetention:
			retained = true
		case cases.EvReasonGuided:
			if p, ok := cases.PayloadAs[cases.ReasonPayload](e); ok && p.Reason != "" {
				v[MReason+p.Reason] = 1
			}
		}
	}
	if asked {
		v[MReturnAsked] = 1
		if retained && (c.Accepted == nil || !strings.Contains(refundKinds, c.Accepted.Kind)) && c.Status == cases.StatusClosed {
			v[MReturnKept] = 1
		}
	}
	if c.FollowUp != nil && c.FollowUp.CSAT > 0 {
		v[MCSAT+fmt.Sprint(c.FollowUp.CSAT)] = 1
	}
	out := []Entry{{Day: day, Dim: DimCase, Key: join(append(base, c.Assignee, string(c.Stage), string(c.Status))...), V: v}}
	if sku := strings.TrimSpace(c.SKU); sku != "" {
		sv := Vector{MCases: 1}
		if c.Type.IsQuality() {
			sv[MDefect] = 1
		}
		if comp > 0 {
			sv[MComp] = comp
		}
		if refund > 0 {
			sv[MRefund] = refund
		}
		out = append(out, Entry{Day: day, Dim: DimSKU, Key: join(append(base, c.Assignee, sku, strings.TrimSpace(c.Batch))...), V: sv})
	}
	if len(c.Remarks) > 0 {
		r := c.Remarks[0]
		out = append(out, Entry{Day: calendar.DateOf(r.At.In(zone)).String(), Dim: DimOutput, Key: join(append(base, r.Actor)...), V: Vector{MOutput: 1}})
	}
	return out
}

// spent is the money the case's executions paid out: compensation paid, refunds made.
func spent(c cases.Case) (comp, refund int64) {
	for _, s := range c.Executions {
		switch {
		case s.Kind == execution.KindCompensation && s.State == execution.StatePaid:
			comp += int64(s.Amount)
		case (s.Kind == execution.KindReturnRefund || s.Kind == execution.KindRefundOnly) && s.State == execution.StateRefunded:
			amt := s.RefundAmount
			if amt == 0 {
				amt = s.Amount
			}
			refund += int64(amt)
		}
	}
	return comp, refund
}

func minutes(d time.Duration) int64 {
	if d < 0 {
		return 0
	}
	return int64(d / minutesBucket)
}

func join(parts ...string) string {
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(p, keySeparator, "/")
	}
	return strings.Join(parts, keySeparator)
}
