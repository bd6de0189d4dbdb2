package desk

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// refused records, on a desk with RecordRefusals (the training space), a move the SOP,
// a money rule or a format check refused, as a training.refused event of its own: the
// refused write itself changed nothing. Other errors (conflicts, missing cases, the
// database) are not moves of the trainee and are not recorded.
func (d *Desk) refused(ctx context.Context, actor Actor, id int64, typ cases.EventType, payload any, err error) {
	if !d.refusals || err == nil {
		return
	}
	p := cases.RefusedPayload{Type: typ}
	var rule *RuleError
	var invalid cases.ValidationError
	var approval *ApprovalRequiredError
	switch {
	case errors.As(err, &rule):
		p.Code, p.Message, p.Field = rule.Code, rule.Message, rule.Field
	case errors.As(err, &approval):
		p.Code, p.Message, p.Field = approval.Rule.ID, "超出权限,须先申请主管审批:"+approval.Rule.Text, "payload.amount"
	case errors.As(err, &invalid) && len(invalid) > 0:
		p.Code, p.Message, p.Field = "invalid", invalid[0].Message, invalid[0].Field
	default:
		return
	}
	if payload != nil {
		p.Payload, _ = json.Marshal(payload)
	}
	_, _, werr := d.change(ctx, actor, id, AnyVersion, func(tx store.Tx, c cases.Case) ([]draft, error) {
		return []draft{{cases.EvRefused, p}}, nil
	})
	if werr != nil {
		d.logger.WarnContext(ctx, "refused move not recorded", slog.Int64("case", id), slog.Any("err", werr))
	}
}
