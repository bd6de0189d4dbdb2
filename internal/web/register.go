package web

import (
	"net/http"
	"slices"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/register"
)

// registerRow is one row of the shop's after-sales register (登记表).
type registerRow struct {
	cases.Case
	Solution string
	Remark   string
	FollowUp string // the last 回访 outcome: 满意度 and whether solved
}

type registerData struct {
	Filter   filterForm
	Rows     []registerRow
	NextLink string
	CSVLink  string
	XLSXLink string
	Codes    codeLists
	Error    string
	Columns  []columnChoice
}

// columnChoice is one checkbox of the export's column chooser.
type columnChoice struct {
	ID, Header string
	Checked    bool
}

func columnChoices() []columnChoice {
	out := make([]columnChoice, 0, len(register.Columns))
	for _, c := range register.Columns {
		out = append(out, columnChoice{ID: c.ID, Header: c.Header, Checked: slices.Contains(register.DefaultColumns, c.ID)})
	}
	return out
}

const registerPageSize = 50

// register lists all cases, newest first, with the columns a shop keeps, filtered by
// date range and any column; pages are keyset pages (cursor), never OFFSET.
func (s *Server) register(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := registerData{Codes: allCodes(), Columns: columnChoices(), CSVLink: withQuery("/register.csv", q, "cursor", ""), XLSXLink: withQuery("/register.xlsx", q, "cursor", "")}
	ff, f, overdue, err := s.parseFilter(r)
	d.Filter = ff
	if err != nil {
		d.Error = explain(err).Message
		return s.render(w, r, http.StatusBadRequest, "register", layout{Title: "登记表", Nav: "register", Data: d})
	}
	f.Sort, f.Limit = "recent", registerPageSize
	page, err := s.desk.List(r.Context(), f, overdue)
	if err != nil {
		return err
	}
	d.Rows = registerRows(page.Cases)
	if page.NextCursor != "" {
		d.NextLink = withQuery("/register", q, "cursor", page.NextCursor)
	}
	return s.render(w, r, http.StatusOK, "register", layout{Title: "登记表", Nav: "register", Data: d})
}

// registerRows adds the last accepted solution and the last remark to each case.
func registerRows(list []cases.Case) []registerRow {
	rows := make([]registerRow, 0, len(list))
	for _, c := range list {
		rows = append(rows, registerRow{Case: c, Solution: acceptedText(c.Accepted), Remark: c.LastRemark(), FollowUp: register.FollowUpText(c.FollowUp)})
	}
	return rows
}
