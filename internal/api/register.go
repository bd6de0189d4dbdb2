package api

import (
	"errors"
	"fmt"
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
	if err := s.desk.ScopeList(r.Context(), actorOf(r), &f); err != nil {
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

// maxImportBytes bounds an uploaded register.
const maxImportBytes = 20 << 20

// importRegister opens cases from an uploaded register or order list (multipart field
// file, .xlsx or .csv; optional fields map "列名=field,…" and dry_run "true"): 422 with
// every bad cell (row, column, reason) and nothing imported, or the counts.
func (s *Server) importRegister(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBytes)
	if err := r.ParseMultipartForm(maxImportBytes); err != nil {
		return apiError(http.StatusRequestEntityTooLarge, "too_large", "文件过大或上传不完整(最大20MB)")
	}
	dryRun, err := importForm(r, "map")
	if err != nil {
		return err
	}
	file, head, err := r.FormFile("file")
	if err != nil {
		return fieldError("file", "请上传 .xlsx 或 .csv 文件(字段 file)")
	}
	defer file.Close()
	mapping, err := register.ParseMapping(r.FormValue("map"))
	if err != nil {
		return fieldError("map", err.Error())
	}
	table, err := register.ReadTable(file, head.Filename)
	if err != nil {
		return fieldError("file", err.Error())
	}
	rows, problems := register.Parse(table, mapping, s.desk.Now())
	res, err := s.desk.ImportRegister(r.Context(), actorOf(r), rows, problems, dryRun)
	var ie *desk.ImportError
	if errors.As(err, &ie) {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"code": "import_invalid",
			"message": fmt.Sprintf("发现%d处错误,未导入任何工单", len(ie.Problems)), "problems": ie.Problems})
		return nil
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"dry_run": dryRun, "rows": res.Rows, "created": res.Created, "existing": res.Existing})
	return nil
}
