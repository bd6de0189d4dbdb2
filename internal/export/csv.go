package export

import (
	"encoding/csv"
	"io"
	"slices"
)

// BOM makes Excel open UTF-8 CSV as UTF-8.
const BOM = "\xEF\xBB\xBF"

// Writer writes CSV after the BOM with every cell made safe: identifier columns (order
// numbers, accounts) through ID, every other cell through Text.
type Writer struct {
	w   *csv.Writer
	ids []int
}

// NewWriter writes the BOM and the header; idColumns are the indexes of the columns
// that hold identifiers.
func NewWriter(w io.Writer, header []string, idColumns ...int) (*Writer, error) {
	if _, err := io.WriteString(w, BOM); err != nil {
		return nil, err
	}
	cw := &Writer{w: csv.NewWriter(w), ids: idColumns}
	return cw, cw.w.Write(header)
}

// Row writes one row.
func (w *Writer) Row(cells []string) error {
	safe := make([]string, len(cells))
	for i, c := range cells {
		if slices.Contains(w.ids, i) {
			safe[i] = ID(c)
		} else {
			safe[i] = Text(c)
		}
	}
	return w.w.Write(safe)
}

// Flush writes what is buffered and reports any error.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}
