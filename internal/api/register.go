package api

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/register"
)

// exportRegister downloads the register (登记表) of the filtered cases:
// ?format=csv|xlsx&columns=created,id,…, and the filters of GET /api/v1/cases.
func (s *Server) exportRegister(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format, columns := q.Get("format"), q.Get("columns")
	if format == "" {
		format = register.CSV
	}
	rest := url.Values{}
	for k, v := range q {
		if k != "format" && k != "columns" {
			rest[k] = v
		}
	}
	f, overdue, err := s.desk.ListQuery(rest, userFrom(r.Context()).Username)
	if err != nil {
		return err
	}
	_, err = s.desk.ExportRegister(r.Context(), w, desk.RegisterExport{Format: format, Columns: columns, Filter: f, Overdue: overdue}, func() {
		if format == register.XLSX {
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			w.Header().Set("Content-Disposition", `attachment; filename="register.xlsx"`)
		} else {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("Content-Disposition", `attachment; filename="register.csv"`)
		}
	})
	if errors.Is(err, desk.ErrExportAborted) {
		slog.ErrorContext(r.Context(), "register export aborted", slog.Any("err", err))
		panic(http.ErrAbortHandler)
	}
	return err
}
