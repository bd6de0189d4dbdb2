package web

import (
	"net/http"
	"slices"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/dispatch"
	"github.com/shouhou/shouhou/internal/store"
)

// headerInfo is what the header shows on every page: the user's online status (with
// the switch) and their unread notifications.
type headerInfo struct {
	Status      string
	StatusLabel string
	Unread      int
}

func (s *Server) headerOf(r *http.Request) headerInfo {
	u := userOf(r)
	if u.Username == "" {
		return headerInfo{}
	}
	h := headerInfo{Status: string(dispatch.Off), StatusLabel: dispatch.StatusLabels[dispatch.Off]}
	if p, err := s.desk.Profile(r.Context(), u.Username); err == nil {
		h.Status, h.StatusLabel = string(p.Status), dispatch.StatusLabels[p.Status]
	}
	if n, err := s.desk.Unread(r.Context(), u); err == nil {
		h.Unread = n
	}
	return h
}

// myStatus is the header's online/away switch. Going away hands the agent's open cases
// to others when the configuration says so.
func (s *Server) myStatus(w http.ResponseWriter, r *http.Request) error {
	st := dispatch.Status(r.PostFormValue("status"))
	_, moved, waiting, err := s.desk.SetProfile(r.Context(), actorOf(r), userOf(r).Username, desk.ProfileChange{Status: &st})
	back := r.PostFormValue("back")
	if back == "" || back[0] != '/' || (len(back) > 1 && back[1] == '/') {
		back = "/queue"
	}
	if err != nil {
		return s.redirect(w, r, back, flash{Kind: "error", Message: explain(err).Message})
	}
	msg := "已切换为「" + dispatch.StatusLabels[st] + "」"
	if st == dispatch.Online && moved > 0 {
		msg += ",待分配的工单已派出 " + itoa(int64(moved)) + " 件"
	} else if moved+waiting > 0 {
		msg += ",处理中的工单已转给其他在线客服 " + itoa(int64(moved)) + " 件,待分配 " + itoa(int64(waiting)) + " 件"
	}
	return s.redirect(w, r, back, flash{Kind: "ok", Message: msg})
}

// assignOption is one person the 分配 control offers.
type assignOption struct {
	Username, Label string
}

// assignView is the 分配 control of the case page: supervisors choose anyone who
// works cases; an agent can claim an unassigned case.
type assignView struct {
	CanReassign bool
	CanClaim    bool
	Options     []assignOption
	Error       string
}

func (s *Server) assignOf(r *http.Request, c cases.Case) assignView {
	u := userOf(r)
	v := assignView{CanReassign: canApprove(u) && c.Status == cases.StatusOpen,
		CanClaim: !canApprove(u) && c.Status == cases.StatusOpen && c.Assignee == ""}
	if !v.CanReassign || s.auth == nil {
		return v
	}
	users, err := s.auth.Users(r.Context())
	if err != nil {
		return v
	}
	loads, _ := s.desk.Profiles(r.Context())
	for _, p := range users {
		if p.Disabled || (p.Role != store.RoleAgent && p.Role != store.RoleSupervisor) {
			continue
		}
		label := p.Name()
		if i := slices.IndexFunc(loads, func(l dispatch.Load) bool { return l.Username == p.Username }); i >= 0 {
			label += " · " + dispatch.StatusLabels[loads[i].Status] + " · 处理中 " + itoa(int64(loads[i].Open))
		}
		v.Options = append(v.Options, assignOption{Username: p.Username, Label: label})
	}
	return v
}

// caseAssign is the 分配 control: a supervisor gives the case to someone (or back to
// 待分配), an agent claims it.
func (s *Server) caseAssign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	to := r.PostFormValue("assignee")
	if r.PostFormValue("claim") != "" {
		to = userOf(r).Username
	}
	if _, err := s.desk.Assign(r.Context(), actorOf(r), id, formVersion(r), to); err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.Assign.Error = p.Message })
	}
	msg := "已分配给 " + to
	if to == "" {
		msg = "已退回待分配"
	}
	return s.done(w, r, id, msg, nil)
}
