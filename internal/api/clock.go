package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/playbook"
)

// view is a case with its clocks read at the desk's now.
func (s *Server) view(c cases.Case, related []int64) caseView {
	now := s.desk.Now()
	_, paused := c.Paused()
	v := caseView{Case: c, Related: related, ResponseOverdue: c.ResponseOverdue(now), ResolveOverdue: c.Overdue(now),
		Paused: paused, PausedMinutes: int64(c.PausedFor(now) / time.Minute)}
	v.Overdue = v.ResponseOverdue || v.ResolveOverdue
	v.NearDue = !v.Overdue && c.NearDue()
	return v
}

func (s *Server) withWarnings(c cases.Case, warnings []playbook.Violation) caseView {
	v := s.view(c, nil)
	v.Warnings = warnings
	return v
}

// clockView is the server's time and how far it was moved.
type clockView struct {
	Now    time.Time `json:"now"`
	Offset string    `json:"offset"`
}

func (s *Server) getClock(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, clockView{Now: s.desk.Now(), Offset: s.desk.ClockOffset().String()})
	return nil
}

// advanceClock moves the demo's clock forward: {"by": "2h"}. A server not started with
// the advance enabled (clock.allow_advance / --allow-clock-advance) refuses with 403.
func (s *Server) advanceClock(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		By string `json:"by"`
	}
	if err := s.decodeJSON(r, &body); err != nil {
		return err
	}
	by, err := time.ParseDuration(body.By)
	if err != nil {
		return fieldError("by", "时长格式不正确,例如 2h、30m")
	}
	now, err := s.desk.AdvanceClock(by)
	if errors.Is(err, desk.ErrClockFixed) {
		return apiError(http.StatusForbidden, "clock_fixed", "服务器未开启拨动时钟(仅演示时用 --allow-clock-advance 启动)")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clockView{Now: now, Offset: s.desk.ClockOffset().String()})
	return nil
}
