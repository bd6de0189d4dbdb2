package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

// noShopUI are the marks of the shop UI: a shop select, a shop column, the agents' shops.
var noShopUI = []string{`name="shop"`, `name="shop_id"`, "<th>店铺</th>", "负责店铺", "chart-shop", "case-shop"}

func TestOneShopShowsNoShopUIAndASecondShopSplitsTheWorkbench(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	a := env.CreateCase(webtest.Agent, webtest.Intake("TB55500011"), "杯子裂了")
	agent, boss, lead := env.Login(webtest.Agent), env.Login(webtest.Admin), env.Login(webtest.Supervisor)
	pages := map[*webtest.Client][]string{agent: {"/queue", "/team", "/new", "/register", "/cases/" + itoa(a.ID)}, lead: {"/team", "/register", "/new", "/reports"}, boss: {"/admin/users"}}
	for c, paths := range pages {
		for _, p := range paths {
			b := expect(t, c.Get(p), http.StatusOK)
			for _, mark := range noShopUI {
				if strings.Contains(b, mark) {
					t.Fatalf("one shop: %s shows %q", p, mark)
				}
			}
		}
	}

	// The admin adds a second shop on the 店铺 pages: bad input first, nothing added.
	expect(t, boss.Get("/admin/shops/new"), http.StatusOK, "添加店铺", "适用产品")
	form := url.Values{"code": {"JD!"}, "platform": {"jd"}, "name": {"小熊京东店"},
		"return_addresses.0.recipient": {"京东售后"}, "return_addresses.0.phone": {"010-12345678"}, "return_addresses.0.address": {"北京市大兴区亦庄京东仓1号"},
		"return_addresses.0.products": {"冲牙器，牙刷"}, "default": {"0"}}
	expect(t, boss.PostForm("/admin/shops", form), http.StatusUnprocessableEntity, "店铺代码须为")
	form.Set("code", "jd-main")
	form.Set("overrides.agent_limit", "500")
	expect(t, boss.PostForm("/admin/shops", form), http.StatusUnprocessableEntity, "客服审批上限不能超过主管上限200")
	form.Set("overrides.agent_limit", "80")
	if b := expect(t, boss.Get("/admin/shops"), http.StatusOK); strings.Contains(b, "小熊京东店") {
		t.Fatal("a refused shop was added")
	}
	form.Set("code", "jd-main")
	resp := boss.PostForm("/admin/shops", form)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add shop: %d", resp.StatusCode)
	}
	expect(t, boss.Get("/admin/shops"), http.StatusOK, "小熊京东店", "jd-main", "京东")
	expect(t, boss.Get("/admin/shops/2"), http.StatusOK, `value="冲牙器，牙刷"`, `name="overrides.agent_limit" value="80"`)

	// Now the pages show shops: the new-case select, the filter and the column.
	expect(t, lead.Get("/new"), http.StatusOK, `name="shop_id"`, "小熊京东店")
	expect(t, lead.Get("/team"), http.StatusOK, `name="shop"`, "<th>店铺</th>")
	expect(t, lead.Get("/register"), http.StatusOK, `name="shop"`, "<th>店铺</th>")
	// A case from the form without a shop is refused; with shop 2 it is B's.
	expect(t, lead.Get("/new"), http.StatusOK, `<option value="" selected>按店铺</option>`)
	nc := url.Values{"customer_name": {"赵先生"}, "platform": {""}, "order_no": {"JD55500022"}, "amount": {"99"},
		"type": {"quality.damaged"}, "description": {"冲牙器水箱裂了"}, "demand": {"exchange"}, "emotion": {"calm"}, "level": {"2"}}
	expect(t, lead.PostForm("/new", nc), http.StatusUnprocessableEntity, "请选择店铺")
	nc.Set("shop_id", "2")
	resp = lead.PostForm("/new", nc)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new case in shop 2: %d", resp.StatusCode)
	}
	expect(t, lead.Get("/team?shop=2"), http.StatusOK, "JD55500022")
	expect(t, lead.Get("/reports"), http.StatusOK, `name="shop"`, "chart-shop")
	expect(t, lead.Get("/reports?shop=2"), http.StatusOK, "小熊京东店")
	if b := expect(t, lead.Get("/team?shop=2"), http.StatusOK); strings.Contains(b, "TB55500011") {
		t.Fatal("the shop filter kept shop 1's case")
	}

	// The admin makes the agent serve shop 1 only on the users page: the agent no
	// longer sees shop 2's case, in lists or by its page.
	expect(t, boss.Get("/admin/users"), http.StatusOK, "负责店铺", "保存店铺")
	u, err := env.Store.UserByName(t.Context(), webtest.Agent)
	if err != nil {
		t.Fatal(err)
	}
	resp = boss.PostForm("/admin/users/"+itoa(u.ID)+"/shops", url.Values{"shops": {"1"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set shops: %d", resp.StatusCode)
	}
	b := expect(t, agent.Get("/team"), http.StatusOK, "TB55500011")
	if strings.Contains(b, "JD55500022") || strings.Contains(b, "小熊京东店</option>") {
		t.Fatal("the agent of shop 1 sees shop 2 in the team queue")
	}
	page, _ := env.Desk.List(t.Context(), storeFilterOrder("JD55500022"), false)
	if len(page.Cases) != 1 {
		t.Fatalf("shop 2's case: %v", page.Cases)
	}
	expect(t, agent.Get("/cases/"+itoa(page.Cases[0].ID)), http.StatusNotFound)
	expect(t, agent.Get("/cases/"+itoa(a.ID)), http.StatusOK, `id="case-shop"`)
	expect(t, lead.Get("/cases/"+itoa(page.Cases[0].ID)), http.StatusOK, "小熊京东店")
}

func storeFilterOrder(order string) store.CaseFilter { return store.CaseFilter{OrderNo: order} }

// TestAnAgentWhoServesOneShopOfSeveralFindsItChosenOnTheNewCaseForm: the form
// preselects the agent's only shop and a case sent without one goes to it.
func TestAnAgentWhoServesOneShopOfSeveralFindsItChosenOnTheNewCaseForm(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent, boss, lead := env.Login(webtest.Agent), env.Login(webtest.Admin), env.Login(webtest.Supervisor)
	form := url.Values{"code": {"jd-main"}, "platform": {"jd"}, "name": {"小熊京东店"},
		"return_addresses.0.recipient": {"京东售后"}, "return_addresses.0.phone": {"010-12345678"}, "return_addresses.0.address": {"北京市大兴区亦庄京东仓1号"}, "default": {"0"}}
	resp := boss.PostForm("/admin/shops", form)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add shop: %d", resp.StatusCode)
	}
	u, err := env.Store.UserByName(t.Context(), webtest.Agent)
	if err != nil {
		t.Fatal(err)
	}
	resp = boss.PostForm("/admin/users/"+itoa(u.ID)+"/shops", url.Values{"shops": {"2"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set shops: %d", resp.StatusCode)
	}
	b := expect(t, agent.Get("/new"), http.StatusOK, `<option value="2" selected>小熊京东店`)
	sel := b[strings.Index(b, `name="shop_id"`):]
	if sel = sel[:strings.Index(sel, "</select>")]; strings.Count(sel, "<option") != 2 || strings.Contains(sel, `<option value="" selected`) {
		t.Fatalf("the agent of one shop is asked to choose it:\n%s", b)
	}
	// The supervisor, who sees every shop, still chooses.
	if b := expect(t, lead.Get("/new"), http.StatusOK, `<option value="2">小熊京东店`); strings.Contains(b, "selected>小熊") {
		t.Fatal("a shop is preselected for the supervisor")
	}
	nc := url.Values{"customer_name": {"赵先生"}, "platform": {""}, "order_no": {"JD55500033"}, "amount": {"99"},
		"type": {"quality.damaged"}, "description": {"冲牙器水箱裂了"}, "demand": {"exchange"}, "emotion": {"calm"}, "level": {"2"}}
	resp = agent.PostForm("/new", nc)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new case without a shop: %d", resp.StatusCode)
	}
	page, _ := env.Desk.List(t.Context(), storeFilterOrder("JD55500033"), false)
	if len(page.Cases) != 1 || page.Cases[0].Shop() != 2 || page.Cases[0].Platform != "jd" {
		t.Fatalf("the agent's case: %+v", page.Cases)
	}
}
