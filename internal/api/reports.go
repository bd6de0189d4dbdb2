package api

import (
	"net/http"
)

// reportSummary is the KPIs over a date range and filters, read from the daily
// rollups (supervisors): ?from=&to= (YYYY-MM-DD, default the last 30 days) &platform=
// &type= &level= &agent=.
func (s *Server) reportSummary(w http.ResponseWriter, r *http.Request) error {
	f, err := s.desk.ReportQuery(r.URL.Query())
	if err != nil {
		return err
	}
	rep, err := s.desk.Report(r.Context(), actorOf(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
