package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/register"
)

// registerCSV exports the filtered register as CSV, UTF-8 with a BOM so that Excel
// opens the Chinese correctly (?columns= chooses the columns).
func (s *Server) registerCSV(w http.ResponseWriter, r *http.Request) error {
	return s.registerExport(w, r, register.CSV)
}

// registerXLSX exports the filtered register as an Excel workbook.
func (s *Server) registerXLSX(w http.ResponseWriter, r *http.Request) error {
	return s.registerExport(w, r, register.XLSX)
}

// registerExport streams the register through desk.ExportRegister (the same as the API
// and `shouhou export register`). The filter, the columns and the first page are
// checked before anything is sent, so a refused filter or a failing database is an
// error page with its status, never a 200 file with an error inside; a failure after
// the first page aborts the download (the browser reports it failed).
func (s *Server) registerExport(w http.ResponseWriter, r *http.Request, format string) error {
	_, f, overdue, err := s.parseFilter(r)
	if err != nil {
		return err
	}
	names, err := s.userNames(r.Context())
	if err != nil {
		return err
	}
	// ?columns=a,b or the chooser's checkboxes ?col=a&col=b.
	columns := r.URL.Query().Get("columns")
	if columns == "" {
		columns = strings.Join(r.URL.Query()["col"], ",")
	}
	_, err = s.desk.ExportRegister(r.Context(), w, desk.RegisterExport{Format: format, Columns: columns, Filter: f, Overdue: overdue, Name: names.of},
		func() { startDownload(w, format) })
	if errors.Is(err, desk.ErrExportAborted) {
		s.logger.ErrorContext(r.Context(), "register export aborted", slog.Any("err", err))
		panic(http.ErrAbortHandler)
	}
	return err
}

// startDownload sets the headers of a register file; a long register takes longer
// than the server's write timeout for a page.
func startDownload(w http.ResponseWriter, format string) {
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(5 * time.Minute))
	if format == register.XLSX {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="register.xlsx"; filename*=UTF-8''%E7%99%BB%E8%AE%B0%E8%A1%A8.xlsx`)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="register.csv"; filename*=UTF-8''%E7%99%BB%E8%AE%B0%E8%A1%A8.csv`)
}
