package api

import (
	"net/http"

	"github.com/shouhou/shouhou/internal/desk"
)

// payouts is the payer's list (小额打款): ?view=due|waiting|pay_failed|paid and, for
// paid, ?day=YYYY-MM-DD (default today), with the count and the total.
func (s *Server) payouts(w http.ResponseWriter, r *http.Request) error {
	list, err := s.desk.Payouts(r.Context(), r.URL.Query().Get("view"), r.URL.Query().Get("day"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

// payoutsCSV is the same list as the batch-transfer file (UTF-8 CSV for Excel).
func (s *Server) payoutsCSV(w http.ResponseWriter, r *http.Request) error {
	list, err := s.desk.Payouts(r.Context(), r.URL.Query().Get("view"), r.URL.Query().Get("day"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="payouts.csv"; filename*=UTF-8''%E6%89%93%E6%AC%BE%E6%B8%85%E5%8D%95.csv`)
	return desk.WritePayoutsCSV(w, list)
}
