// Package export writes the tables a shop takes into Excel or a bank's batch-transfer
// form: UTF-8 CSV with a byte-order mark (so Excel reads the Chinese), every cell made
// safe from formula injection and long numbers kept as text.
package export

import (
	"encoding/csv"
	"io"
	"strings"
)

// BOM makes Excel open UTF-8 CSV as UTF-8.
const BOM = "\xEF\xBB\xBF"

// Cell makes one value safe for a spreadsheet: a value that a spreadsheet would read
// as a formula (= + - @, or a leading tab or carriage return) gets a leading
// apostrophe, shown as text; a digit string longer than 11 (order and tracking
// numbers, which Excel rounds after 15 digits) is written as ="…" text.
func Cell(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + v
	}
	if len(v) > 11 && strings.Trim(v, "0123456789") == "" {
		return `="` + v + `"`
	}
	return v
}

// Writer writes safe CSV rows after the BOM.
type Writer struct{ w *csv.Writer }

// NewWriter writes the BOM and the header.
func NewWriter(w io.Writer, header []string) (*Writer, error) {
	if _, err := io.WriteString(w, BOM); err != nil {
		return nil, err
	}
	cw := &Writer{w: csv.NewWriter(w)}
	return cw, cw.Row(header)
}

// Row writes one row, each cell through Cell.
func (w *Writer) Row(cells []string) error {
	safe := make([]string, len(cells))
	for i, c := range cells {
		safe[i] = Cell(c)
	}
	return w.w.Write(safe)
}

// Flush writes what is buffered and reports any error.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}
