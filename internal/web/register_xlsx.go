package web

import (
	"net/http"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/shouhou/shouhou/internal/cases"
)

// registerXLSX exports the filtered register as an Excel workbook, streamed one keyset
// page at a time. Every text is a string cell, so a customer named =HYPERLINK(…) is
// text and not a formula, and an order number keeps every digit; the amount is a
// number so that the sheet can sum it.
func (s *Server) registerXLSX(w http.ResponseWriter, r *http.Request) error {
	_, f, overdue, err := s.parseFilter(r)
	if err != nil {
		return err
	}
	names, err := s.userNames(r.Context())
	if err != nil {
		return err
	}
	f.Sort, f.Limit, f.Cursor = "recent", 200, ""
	book := excelize.NewFile()
	defer book.Close()
	const sheet = "登记表"
	if err := book.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := book.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header := make([]any, len(registerHeader))
	for i, h := range registerHeader {
		header[i] = h
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	line := 2
	for {
		page, err := s.desk.List(r.Context(), f, overdue)
		if err != nil {
			return err
		}
		for _, row := range registerRows(page.Cases) {
			c := row.Case
			amount, _ := strconv.ParseFloat(c.Amount.String(), 64)
			cell, _ := excelize.CoordinatesToCellName(1, line)
			if err := sw.SetRow(cell, []any{fmtTime(c.CreatedAt, s.desk.Zone()), c.ID, label(cases.Platforms, string(c.Platform)), c.OrderNo,
				c.CustomerName, c.SKU, label(cases.ProblemTypes, string(c.Type)), row.Solution, amount,
				row.Remark, names.of(c.Assignee), statusLabel(c.Status), row.FollowUp}); err != nil {
				return err
			}
			line++
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="register.xlsx"; filename*=UTF-8''%E7%99%BB%E8%AE%B0%E8%A1%A8.xlsx`)
	_, err = book.WriteTo(w)
	return err
}
