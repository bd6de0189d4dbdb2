package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/web/webtest"
)

func TestAdminManagesUsersOnTheUsersPage(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	boss := env.Login(webtest.Admin)
	expect(t, boss.Get("/admin/users"), http.StatusOK, "用户管理", "xiaomei", "小美", "添加用户")
	for _, u := range []string{webtest.Agent, webtest.Supervisor} {
		expect(t, env.Login(u).Get("/admin/users"), http.StatusForbidden, "只有管理员")
		resp := env.Login(u).PostForm("/admin/users", url.Values{"username": {"mole"}, "role": {"admin"}, "password": {"password1"}})
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("%s created a user: %d", u, resp.StatusCode)
		}
	}
	// Create, with a bad password first: refused, nothing created.
	expect(t, boss.PostForm("/admin/users", url.Values{"username": {"xiaozhang"}, "display_name": {"小张"}, "role": {"agent"}, "password": {"short"}}),
		http.StatusUnprocessableEntity, "密码至少8位")
	resp := boss.PostForm("/admin/users", url.Values{"username": {"xiaozhang"}, "display_name": {"小张"}, "role": {"agent"}, "password": {"password1"}, "agent_no": {"客服9号"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create user: %d", resp.StatusCode)
	}
	u, err := env.Store.UserByName(t.Context(), "xiaozhang")
	if err != nil || u.AgentNo != "客服9号" || u.DisplayName != "小张" {
		t.Fatalf("created user %+v %v", u, err)
	}
	id := itoa(u.ID)
	// Promote to supervisor and disable: the user can no longer sign in.
	resp = boss.PostForm("/admin/users/"+id, url.Values{"display_name": {"小张"}, "agent_no": {"客服9号"}, "role": {"supervisor"}, "disabled": {"1"}})
	resp.Body.Close()
	if u, _ = env.Store.UserByName(t.Context(), "xiaozhang"); u.Role != "supervisor" || !u.Disabled {
		t.Fatalf("after update: %+v", u)
	}
	resp = env.Anonymous().PostForm("/login", url.Values{"username": {"xiaozhang"}, "password": {"password1"}})
	resp.Body.Close()
	if resp.StatusCode == http.StatusSeeOther {
		t.Fatal("a disabled user signed in")
	}
	// Enable and reset the password: the new one works.
	resp = boss.PostForm("/admin/users/"+id, url.Values{"display_name": {"小张"}, "role": {"supervisor"}})
	resp.Body.Close()
	resp = boss.PostForm("/admin/users/"+id, url.Values{"password": {"brandnew99"}})
	resp.Body.Close()
	resp = env.Anonymous().PostForm("/login", url.Values{"username": {"xiaozhang"}, "password": {"brandnew99"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset password does not sign in: %d", resp.StatusCode)
	}
	// An admin cannot lock themselves out from the page.
	me, _ := env.Store.UserByName(t.Context(), webtest.Admin)
	expect(t, boss.PostForm("/admin/users/"+itoa(me.ID), url.Values{"role": {"agent"}}), http.StatusUnprocessableEntity, "不能停用自己")
	expect(t, boss.PostForm("/admin/users/"+itoa(me.ID), url.Values{"role": {"admin"}, "disabled": {"1"}}), http.StatusUnprocessableEntity, "不能停用自己")
}

func TestShopSettingsAndTheAgentsNumberFillTheScripts(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB777000111"), "杯子裂了")
	agent := env.Login(webtest.Agent)
	reply := func() string {
		req, _ := http.NewRequest("POST", agent.Base+"/api/v1/cases/"+itoa(c.ID)+"/reply", strings.NewReader(`{"script_ids":["welcome-02"]}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", agent.Base)
		resp, err := agent.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Text    string   `json:"text"`
			Missing []string `json:"missing"`
		}
		json.NewDecoder(resp.Body).Decode(&out)
		return out.Text
	}
	if got := reply(); !strings.Contains(got, "{店铺名}") || !strings.Contains(got, "{客服工号}") {
		t.Fatalf("before settings: %q", got)
	}
	expect(t, agent.Get("/admin/shops/1"), http.StatusForbidden)
	boss := env.Login(webtest.Admin)
	expect(t, boss.Get("/admin/shops"), http.StatusOK, "店铺列表", "添加店铺")
	expect(t, boss.Get("/admin/shops/1"), http.StatusOK, "店铺设置", "退货地址", "本店单独设置")
	expect(t, boss.PostForm("/admin/shops/1", url.Values{"code": {"main"}, "platform": {"taobao"}, "name": {"小熊电器旗舰店"}, "return_addresses.0.recipient": {"售后部"},
		"return_addresses.0.phone": {"abc"}, "return_addresses.0.address": {"浙江省杭州市余杭区仓前街道1号"}}), http.StatusUnprocessableEntity, "联系电话")
	expect(t, boss.PostForm("/admin/shops/1", url.Values{"code": {"main"}, "platform": {"taobao"}, "name": {"小熊电器旗舰店"},
		"overrides.sla.1.resolve_hours": {"一天"}}), http.StatusUnprocessableEntity, "时限须为正整数")
	resp := boss.PostForm("/admin/shops/1", url.Values{"code": {"main"}, "platform": {"taobao"}, "name": {"小熊电器旗舰店"}, "return_addresses.0.recipient": {"售后部"},
		"return_addresses.0.phone": {"0571-88886666"}, "return_addresses.0.address": {"浙江省杭州市余杭区仓前街道1号"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save shop: %d", resp.StatusCode)
	}
	expect(t, boss.Get("/admin/shops/1"), http.StatusOK, `value="小熊电器旗舰店"`, `value="0571-88886666"`)
	expect(t, agent.Get("/profile"), http.StatusOK, "个人资料", "工号")
	resp = agent.PostForm("/profile", url.Values{"display_name": {"小美"}, "agent_no": {"客服8号"}})
	resp.Body.Close()
	if got := reply(); got != "您好,欢迎光临小熊电器旗舰店,客服8号竭诚为您服务😊" {
		t.Fatalf("after settings: %q", got)
	}
	expect(t, agent.PostForm("/profile", url.Values{"agent_no": {strings.Repeat("号", 17)}}), http.StatusUnprocessableEntity, "工号不能超过16个字")
}
