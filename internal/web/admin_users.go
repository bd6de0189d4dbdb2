package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/httpx"
	"github.com/shouhou/shouhou/internal/store"
)

// usersData is the admin's 用户管理 page.
type usersData struct {
	Users []store.User
	Roles []store.Role
	// New is the create form as typed, when it was refused.
	New    auth.NewUser
	NewNo  string
	Error  string
	Fields map[string]string
	Self   int64
	// Shops are the business's shops and Served each agent's (by user name), shown
	// only when there is more than one shop.
	Shops  []store.Shop
	Served map[string][]int64
}

// Serves reports whether the user serves the shop (no shops named: every shop).
func (d usersData) Serves(username string, shop int64) bool {
	ids := d.Served[username]
	return len(ids) == 0 || slices.Contains(ids, shop)
}

var roles = []store.Role{store.RoleAgent, store.RoleSupervisor, store.RoleAdmin, store.RoleWarehouse}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, status int, d usersData) error {
	users, err := s.auth.Users(r.Context())
	if err != nil {
		return err
	}
	d.Users, d.Roles, d.Self = users, roles, userOf(r).ID
	shops, err := s.desk.Shops(r.Context())
	if err != nil {
		return err
	}
	if len(shops) > 1 {
		d.Shops, d.Served = shops, map[string][]int64{}
		for _, u := range users {
			p, err := s.desk.Profile(r.Context(), u.Username)
			if err != nil {
				return err
			}
			d.Served[u.Username] = p.Shops
		}
	}
	return s.render(w, r, status, "users", layout{Title: "用户管理", Nav: "users", Data: d})
}

// users lists the users with a form each (role, name, 工号, disabled, new password)
// and a form to add one.
func (s *Server) users(w http.ResponseWriter, r *http.Request) error {
	return s.usersPage(w, r, http.StatusOK, usersData{New: auth.NewUser{Role: store.RoleAgent}})
}

// userCreate adds a user.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	n := auth.NewUser{Username: strings.TrimSpace(r.PostFormValue("username")), DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
		Role: store.Role(r.PostFormValue("role")), Password: r.PostFormValue("password")}
	agentNo := r.PostFormValue("agent_no")
	u, err := s.auth.AddUser(r.Context(), n)
	if err == nil && strings.TrimSpace(agentNo) != "" {
		u, err = s.auth.SetProfile(r.Context(), u.ID, u.DisplayName, agentNo)
	}
	if err != nil {
		p := explain(err)
		if p.Status >= 500 {
			return err
		}
		n.Password = ""
		return s.usersPage(w, r, p.Status, usersData{New: n, NewNo: agentNo, Error: p.Message, Fields: p.Fields})
	}
	return s.redirect(w, r, "/admin/users", flash{Kind: "ok", Message: "已添加用户 " + u.Name() + "(" + roleLabel(u.Role) + ")"})
}

// userUpdate changes a user's role, name, 工号 and disabled flag, or (with a
// password) resets the password. An admin cannot disable or demote themselves, so the
// last way in is never closed from the page.
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return httpx.New(http.StatusNotFound, "not_found", "找不到该用户")
	}
	ctx := r.Context()
	var ch auth.UserChange
	msg := "已保存"
	if pw := r.PostFormValue("password"); pw != "" {
		ch.Password, msg = &pw, "密码已重置"
	} else {
		role, disabled := store.Role(r.PostFormValue("role")), r.PostFormValue("disabled") == "1"
		if id == userOf(r).ID && (disabled || role != store.RoleAdmin) {
			return s.usersPage(w, r, http.StatusUnprocessableEntity, usersData{Error: "不能停用自己的账号或取消自己的管理员角色"})
		}
		ch.Role, ch.Disabled = &role, &disabled
		if _, err := s.auth.SetProfile(ctx, id, r.PostFormValue("display_name"), r.PostFormValue("agent_no")); err != nil {
			return s.userFailed(w, r, err)
		}
	}
	u, err := s.auth.UpdateUser(ctx, id, ch)
	if err != nil {
		return s.userFailed(w, r, err)
	}
	return s.redirect(w, r, "/admin/users", flash{Kind: "ok", Message: u.Name() + ":" + msg})
}

func (s *Server) userFailed(w http.ResponseWriter, r *http.Request, err error) error {
	p := explain(err)
	if p.Status == http.StatusNotFound {
		p.Message = "找不到该用户"
	}
	if p.Status >= 500 {
		return err
	}
	return s.usersPage(w, r, p.Status, usersData{Error: p.Message, Fields: p.Fields})
}

// profileData is the signed-in user's own 个人资料 page.
type profileData struct {
	DisplayName, AgentNo string
	Error                string
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	return s.render(w, r, http.StatusOK, "profile", layout{Title: "个人资料", Nav: "profile", Data: profileData{DisplayName: u.DisplayName, AgentNo: u.AgentNo}})
}

// profileSave sets the user's own display name and 工号 ({客服工号} in scripts).
func (s *Server) profileSave(w http.ResponseWriter, r *http.Request) error {
	d := profileData{DisplayName: r.PostFormValue("display_name"), AgentNo: r.PostFormValue("agent_no")}
	if _, err := s.auth.SetProfile(r.Context(), userOf(r).ID, d.DisplayName, d.AgentNo); err != nil {
		p := explain(err)
		if p.Status >= 500 {
			return err
		}
		d.Error = p.Message
		return s.render(w, r, p.Status, "profile", layout{Title: "个人资料", Nav: "profile", Data: d})
	}
	return s.redirect(w, r, "/profile", flash{Kind: "ok", Message: "个人资料已保存"})
}

// userShops sets the shops an agent serves (none ticked: every shop): dispatch gives
// them only these shops' cases and their queues show only these.
func (s *Server) userShops(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return httpx.New(http.StatusNotFound, "not_found", "找不到该用户")
	}
	users, err := s.auth.Users(r.Context())
	if err != nil {
		return err
	}
	i := slices.IndexFunc(users, func(u store.User) bool { return u.ID == id })
	if i < 0 {
		return s.userFailed(w, r, store.ErrNotFound)
	}
	u := users[i]
	if err := r.ParseForm(); err != nil {
		return err
	}
	shops := []int64{}
	for _, v := range r.PostForm["shops"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s.usersPage(w, r, http.StatusUnprocessableEntity, usersData{Error: "店铺不存在", Fields: map[string]string{"shops": "店铺不存在"}})
		}
		shops = append(shops, n)
	}
	if _, _, _, err := s.desk.SetProfile(r.Context(), actorOf(r), u.Username, desk.ProfileChange{Shops: &shops}); err != nil {
		return s.userFailed(w, r, err)
	}
	return s.redirect(w, r, "/admin/users", flash{Kind: "ok", Message: u.Name() + ":负责店铺已保存"})
}
