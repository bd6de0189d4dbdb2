package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/store"
)

// writePayouts keeps the payouts table equal to the case's payout executions; it runs
// in the transaction that writes the case.
func (t *Tx) writePayouts(ctx context.Context, c cases.Case) error {
	q := t.d.rebind(`INSERT INTO payouts (case_id, solution_id, kind, state, ready, amount_fen, channel, account,
		payee_name, after_review, platform, order_no, customer_name, reference, reason, opened_at, updated_at, paid_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (case_id, solution_id) DO UPDATE SET state = excluded.state, ready = excluded.ready,
		amount_fen = excluded.amount_fen, channel = excluded.channel, account = excluded.account,
		payee_name = excluded.payee_name, after_review = excluded.after_review, platform = excluded.platform,
		order_no = excluded.order_no, customer_name = excluded.customer_name, reference = excluded.reference,
		reason = excluded.reason, updated_at = excluded.updated_at, paid_at = excluded.paid_at`)
	for _, s := range c.Executions {
		if !s.Kind.Payout() || len(s.History) == 0 {
			continue
		}
		var channel, account, name string
		if s.Payee != nil {
			channel, account, name = s.Payee.Channel, s.Payee.Account, s.Payee.Name
		}
		last := s.History[len(s.History)-1]
		var paid any
		if s.State == execution.StatePaid {
			paid = millis(last.At)
		}
		if err := t.write(ctx, fmt.Sprintf("write payout %d/%d", c.ID, s.ID), q, c.ID, s.ID, string(s.Kind), string(s.State), boolInt(s.Ready()), s.Amount.Fen(),
			channel, account, name, boolInt(s.AfterGoodReview), string(c.Platform), c.OrderNo, c.CustomerName,
			s.Reference, s.Reason, millis(s.History[0].At), millis(last.At), paid); err != nil {
			return err
		}
	}
	return nil
}

// Payouts lists payouts for the payer, oldest first.
func (s *Store) Payouts(ctx context.Context, f store.PayoutFilter) ([]store.Payout, error) {
	where, args := "1 = 1", []any{}
	switch f.State {
	case "":
	case "due":
		where = "ready = 1"
	case "waiting":
		where, args = "state = ? AND ready = 0", append(args, string(execution.StateApproved))
	default:
		where, args = "state = ?", append(args, f.State)
	}
	order := "updated_at, case_id, solution_id"
	if !f.PaidFrom.IsZero() || !f.PaidTo.IsZero() {
		where += " AND paid_at >= ? AND paid_at < ?"
		args = append(args, millis(f.PaidFrom), millis(f.PaidTo))
		order = "paid_at, case_id, solution_id"
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT case_id, solution_id, kind, state, ready, amount_fen, channel,
		account, payee_name, after_review, platform, order_no, customer_name, reference, reason, opened_at, updated_at, paid_at
		FROM payouts WHERE `+where+` ORDER BY `+order+fmt.Sprintf(` LIMIT %d`, limit)), args...)
	if err != nil {
		return nil, fmt.Errorf("list payouts: %w", err)
	}
	defer rows.Close()
	out := []store.Payout{}
	for rows.Next() {
		var p store.Payout
		var ready, review int
		var fen, opened, updated int64
		var paid *int64
		var platform string
		if err := rows.Scan(&p.CaseID, &p.SolutionID, &p.Kind, &p.State, &ready, &fen, &p.Channel, &p.Account, &p.PayeeName,
			&review, &platform, &p.OrderNo, &p.CustomerName, &p.Reference, &p.Reason, &opened, &updated, &paid); err != nil {
			return nil, err
		}
		p.Ready, p.AfterReview, p.Amount, p.Platform = ready != 0, review != 0, money.Amount(fen), cases.Platform(platform)
		p.OpenedAt, p.UpdatedAt = time.UnixMilli(opened).UTC(), time.UnixMilli(updated).UTC()
		if paid != nil {
			at := time.UnixMilli(*paid).UTC()
			p.PaidAt = &at
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
