package store

import "context"

// ReportRow is one daily rollup row (internal/report): the day (YYYY-MM-DD, shop's
// zone), a dimension, a key and the measures as JSON.
type ReportRow struct {
	Day string
	Dim string
	Key string
	Vec []byte
}

// ReportTx keeps the rollups in the transaction that writes a case.
type ReportTx interface {
	// ReportFact is the case's stored contribution (nil when none).
	ReportFact(ctx context.Context, caseID int64) ([]byte, error)
	PutReportFact(ctx context.Context, caseID int64, entries []byte) error
	// ReportRow reads one rollup row (nil vec when none); PutReportRow writes it, and
	// deletes it when vec is nil.
	ReportRow(ctx context.Context, day, dim, key string) ([]byte, error)
	PutReportRow(ctx context.Context, r ReportRow) error
}
