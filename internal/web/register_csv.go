package web

import (
	"encoding/csv"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/export"
)

// registerHeader is the register's columns in Chinese.
var registerHeader = []string{"日期", "工单号", "平台", "订单号", "顾客", "商品/型号", "问题类型", "处理方案", "金额", "备注", "客服", "状态", "回访"}

// registerCSV exports the filtered register as CSV, UTF-8 with a BOM so that Excel
// opens the Chinese correctly. It walks the keyset pages and streams each one. The
// first page is read before anything is sent, so a refused filter or a failing
// database is an error page with its status, never a 200 file with an error inside;
// a failure after the first page aborts the download (the browser reports it failed).
func (s *Server) registerCSV(w http.ResponseWriter, r *http.Request) error {
	_, f, overdue, err := s.parseFilter(r)
	if err != nil {
		return err
	}
	f.Sort, f.Limit, f.Cursor = "recent", 200, ""
	page, err := s.desk.List(r.Context(), f, overdue)
	if err != nil {
		return err
	}
	// A long register takes longer than the server's write timeout for a page.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(5 * time.Minute))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="register.csv"; filename*=UTF-8''%E7%99%BB%E8%AE%B0%E8%A1%A8.csv`)
	w.Write([]byte("\xEF\xBB\xBF"))
	names, err := s.userNames(r.Context())
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(registerHeader)
	for {
		for _, row := range registerRows(page.Cases) {
			cw.Write(registerRecord(row, names, s.desk.Zone()))
		}
		cw.Flush()
		if err := cw.Error(); err != nil || page.NextCursor == "" {
			return err
		}
		f.Cursor = page.NextCursor
		if page, err = s.desk.List(r.Context(), f, overdue); err != nil {
			s.logger.ErrorContext(r.Context(), "register export aborted", slog.Any("err", err))
			panic(http.ErrAbortHandler)
		}
	}
}

// registerRecord is one CSV row. Every text a customer or agent typed goes through
// export.Text so that a spreadsheet never runs it as a formula (a customer named
// =HYPERLINK(…)); the order number through export.ID so that a long one stays text
// instead of a number rounded after 15 digits.
func registerRecord(row registerRow, names userNames, zone *time.Location) []string {
	c := row.Case
	return []string{fmtTime(c.CreatedAt, zone), strconv.FormatInt(c.ID, 10), label(cases.Platforms, string(c.Platform)), export.ID(c.OrderNo),
		export.Text(c.CustomerName), export.Text(c.SKU), label(cases.ProblemTypes, string(c.Type)), export.Text(row.Solution), c.Amount.String(),
		export.Text(row.Remark), export.Text(names.of(c.Assignee)), statusLabel(c.Status), row.FollowUp}
}
