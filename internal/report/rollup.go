// Package report computes the shop's KPIs from daily rollups. Each case contributes a
// few rollup entries (its day, a dimension, a key, and a vector of additive measures);
// the desk keeps the rollups in the transaction that writes the case by subtracting the
// case's previous contribution and adding the new one, so a report over any date range
// sums at most (days × keys) rows and never scans cases or events.
package report

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/calendar"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
)

// Dimensions of rollup entries.
const (
	DimCase   = "case"   // key: platform|type|level|assignee|stage|status|shop, day: opened
	DimSKU    = "sku"    // key: *|*|*|*|sku|batch|shop, day: opened
	DimOutput = "output" // key: *|*|*|agent, day: first remark (产能)
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
	shop := fmt.Sprint(c.Shop())
	out := []Entry{{Day: day, Dim: DimCase, Key: join(append(base, c.Assignee, string(c.Stage), string(c.Status), shop)...), V: v}}
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
		out = append(out, Entry{Day: day, Dim: DimSKU, Key: join(Any, Any, Any, Any, sku, strings.TrimSpace(c.Batch), shop), V: sv})
	}
	// Month rows: a report over whole months reads these instead of the month's days.
	for _, e := range slices.Clone(out) {
		e.Day = e.Day[:7]
		out = append(out, e)
	}
	if len(c.Remarks) > 0 {
		r := c.Remarks[0]
		out = append(out, Entry{Day: calendar.DateOf(r.At.In(zone)).String(), Dim: DimOutput, Key: join(Any, Any, Any, r.Actor), V: Vector{MOutput: 1}})
	}
	return out
}

// Any in a key part matches every filter value: the SKU rows keep only the SKU and
// batch, the 产能 rows only the agent, so that their rows stay few (the SKU tables and
// 产能 are therefore not narrowed by platform, type or level).
const Any = "*"

// Month is the month row's day of a YYYY-MM-DD day.
func Month(day string) string { return day[:7] }

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

// minutes is the histogram bucket of a duration, its lower bound in minutes: exact
// below 1 h, 5 min below 10 h, 30 min below 48 h, 1 h beyond — the percentiles are read
// at this resolution and the rows stay small.
func minutes(d time.Duration) int64 {
	if d < 0 {
		return 0
	}
	m := int64(d / minutesBucket)
	switch {
	case m < 60:
		return m
	case m < 600:
		return m / 5 * 5
	case m < 2880:
		return m / 30 * 30
	}
	return m / 60 * 60
}

// Encode writes the vector compactly ("k=v,k=v"), the stored form of a rollup row:
// reading a year of rows is mostly decoding them.
func (x Vector) Encode() []byte {
	keys := make([]string, 0, len(x))
	for k := range x {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b []byte
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, k...)
		b = append(b, '=')
		b = strconv.AppendInt(b, x[k], 10)
	}
	return b
}

// Decoder reads many vectors, making each measure name's string once.
type Decoder struct{ names map[string]string }

// NewDecoder starts a decoder.
func NewDecoder() *Decoder { return &Decoder{names: map[string]string{}} }

// Decode reads Encode's form into x (adding).
func (d *Decoder) Decode(raw []byte, x Vector) error {
	for len(raw) > 0 {
		var part []byte
		if i := slices.Index(raw, ','); i >= 0 {
			part, raw = raw[:i], raw[i+1:]
		} else {
			part, raw = raw, nil
		}
		i := slices.Index(part, '=')
		if i < 0 {
			return fmt.Errorf("rollup measure %q without a value", part)
		}
		n, err := parseInt(part[i+1:])
		if err != nil {
			return fmt.Errorf("rollup measure %q: %w", part, err)
		}
		name, ok := d.names[string(part[:i])]
		if !ok {
			name = string(part[:i])
			d.names[name] = name
		}
		x[name] += n
	}
	return nil
}

func parseInt(b []byte) (int64, error) {
	if len(b) == 0 || len(b) > 18 {
		return strconv.ParseInt(string(b), 10, 64)
	}
	neg := b[0] == '-'
	if neg {
		if b = b[1:]; len(b) == 0 {
			return 0, errors.New("not a number: \"-\"")
		}
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("not a number: %q", b)
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

// DecodeVector reads Encode's form into x (adding); NewDecoder().Decode for one vector.
func DecodeVector(raw []byte, x Vector) error { return NewDecoder().Decode(raw, x) }

func join(parts ...string) string {
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(p, keySeparator, "/")
	}
	return strings.Join(parts, keySeparator)
}
