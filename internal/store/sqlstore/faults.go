package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// SQLite result codes (the low byte of extended codes) that mean the database cannot
// be written right now rather than that the request was wrong.
const (
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

// unavailable marks err with store.ErrUnavailable when it says the database is down,
// restarting, unreachable or out of space, so that the API answers 503 (try again)
// instead of 500. Other errors are returned as they are.
func unavailable(err error) error {
	if err == nil || errors.Is(err, store.ErrUnavailable) || !isUnavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
}

func isUnavailable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 08: connection exception; 53: insufficient resources (disk full, out of
		// memory, too many connections); 57P01-57P03: shutting down or starting up;
		// 58: system error (I/O).
		c := pgErr.Code
		return strings.HasPrefix(c, "08") || strings.HasPrefix(c, "53") || strings.HasPrefix(c, "58") ||
			c == "57P01" || c == "57P02" || c == "57P03"
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case sqliteReadOnly, sqliteIOErr, sqliteFull, sqliteCantOpen:
			return true
		}
		return false
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) || errors.As(err, &netErr) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOSPC) ||
		pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed")
}

// Ping checks that the database answers a query (the health check).
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return unavailable(fmt.Errorf("ping: %w", err))
	}
	return nil
}

// checkText refuses, before anything is written or searched, a text no store keeps
// faithfully: PostgreSQL refuses NUL in text and in JSONB (as \u0000) and invalid
// UTF-8, and SQLite would store bytes a reader cannot decode.
func checkText(field string, texts ...string) error {
	for _, t := range texts {
		if !store.CleanText(t) {
			return fmt.Errorf("%w: %w", store.ErrBadText,
				cases.ValidationError{{Field: field, Message: "内容含有空字符或无效的UTF-8编码,请删除后重试"}})
		}
	}
	return nil
}

// checkJSON refuses a JSON document with an escaped NUL (\u0000) or invalid UTF-8.
func checkJSON(field string, doc []byte) error {
	if hasNULEscape(doc) {
		return checkText(field, "\x00")
	}
	return checkText(field, string(doc))
}

// hasNULEscape reports whether a JSON text holds the escape \u0000 (a backslash pair
// "\\" is skipped so that the literal text \u0000 is not taken for one).
func hasNULEscape(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if b[i+1] == 'u' && i+6 <= len(b) && string(b[i+2:i+6]) == "0000" {
			return true
		}
		i++
	}
	return false
}
