package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/httpx"
)

type payoutsData struct {
	Views   []cases.Code
	List    desk.PayoutList
	CSVLink string
	Error   string
}

// payouts is the payer's list (小额打款, seed 001): today's due payouts with their total
// and the batch-transfer CSV, those waiting for an account or a good review, failed
// ones, and what was paid on a day. Each row is marked paid (with the transfer's
// reference) or failed (with the reason) right here.
func (s *Server) payouts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := payoutsData{Views: desk.PayoutViews}
	list, err := s.desk.Payouts(r.Context(), q.Get("view"), q.Get("day"))
	status := http.StatusOK
	if err != nil {
		p := explain(err)
		if p.Status >= 500 {
			return err
		}
		d.Error, status, list.View = p.Message, p.Status, q.Get("view")
	}
	d.List = list
	d.CSVLink = "/payouts.csv?" + url.Values{"view": {list.View}, "day": {list.Day}}.Encode()
	return s.render(w, r, status, "payouts", layout{Title: "打款清单", Nav: "payouts", Data: d})
}

// payoutsCSV downloads the list as the batch-transfer file.
func (s *Server) payoutsCSV(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	list, err := s.desk.Payouts(r.Context(), q.Get("view"), q.Get("day"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="payouts.csv"; filename*=UTF-8''%E6%89%93%E6%AC%BE%E6%B8%85%E5%8D%95.csv`)
	return desk.WritePayoutsCSV(w, list)
}

// payoutMark records a transfer: paid with its reference, or failed with the reason.
func (s *Server) payoutMark(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sid, err := httpx.PathID(r, "sid")
	if err != nil {
		return err
	}
	field := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	t := execution.Transition{SolutionID: sid, From: execution.State(field("from")), To: execution.State(field("to")),
		Data: execution.Data{Reference: field("reference"), Reason: field("reason")}}
	back := "/payouts?" + url.Values{"view": {field("view")}}.Encode()
	if _, _, err := s.desk.Step(r.Context(), actorOf(r), id, t); err != nil {
		p := explain(err)
		if p.Status >= 500 {
			return err
		}
		return s.redirect(w, r, back, flash{Kind: "error", Message: "工单 #" + itoa(id) + ": " + p.Message})
	}
	return s.redirect(w, r, back, flash{Kind: "ok", Message: "工单 #" + itoa(id) + " " + execution.StateLabel(t.To)})
}
