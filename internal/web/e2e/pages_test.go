package e2e

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/demo"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/tracking"
	"github.com/shouhou/shouhou/internal/training"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

// codeWords are the codes the workbench must never show as they are: every fact key
// and answer of every flow, and the codes of the vocabularies (stages, types,
// demands, emotions, platforms, solutions, evidence, roles, execution states).
func codeWords(env *webtest.Env) map[string]bool {
	words := map[string]bool{}
	add := func(s string) {
		if len(s) >= 3 && strings.Trim(s, "0123456789") != "" {
			words[s] = true
		}
	}
	for _, f := range env.Flows.Flows() {
		for _, st := range f.Steps {
			add(st.ID)
			for _, a := range st.Asks {
				add(a.Key)
				for _, v := range a.Values {
					add(v.Value)
				}
			}
			for _, tm := range st.Timers {
				add(tm.Name)
			}
		}
	}
	for _, list := range [][]cases.Code{cases.ProblemTypes, cases.Demands, cases.Emotions, cases.Platforms, cases.Solutions, cases.EvidenceKinds} {
		for _, c := range list {
			add(c.Code)
		}
	}
	for _, s := range cases.Stages {
		add(string(s))
	}
	for _, r := range []store.Role{store.RoleAgent, store.RoleSupervisor, store.RoleAdmin, store.RoleWarehouse} {
		add(string(r))
	}
	for _, st := range tracking.States {
		add(string(st))
	}
	for _, r := range tracking.Roles {
		add(string(r))
	}
	for _, s := range []execution.State{execution.StatePendingApproval, execution.StateApproved, execution.StatePaid, execution.StatePreparing,
		execution.StateShipped, execution.StateDelivered, execution.StateAwaitingReturn, execution.StateReceived,
		execution.StateReplacementShipped, execution.StateRefunded, execution.StateFiled, execution.StateSettled,
		execution.StateRejected, execution.StateCancelled, execution.StateReopened} {
		add(string(s))
	}
	return words
}

// loginNames are shown only on the users page, where the login name is the thing
// being managed; every other page shows display names.
var loginNames = []string{webtest.Agent, webtest.Agent2, webtest.Supervisor, webtest.Admin, webtest.Warehouse}

// token is a latin word as it would appear in a code (message.classified,
// urgent_refund:no, seven_days_no_reason).
var (
	token       = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_.]*`)
	dottedOrSnk = regexp.MustCompile(`^[a-z]+([._][a-z]+)+$`)
)

// alwaysFilled are the placeholders shouhou fills on every demo case once the shop and
// the agent have their settings: a suggested script showing one of them is a defect.
var alwaysFilled = []string{"顾客称呼", "订单号", "平台", "实付金额", "店铺名", "退货地址", "客服工号"}

// TestEveryPageAsEveryRoleShowsNoRawCodeOrUnfilledPlaceholder opens every page of the
// workbench, every demo case included, as an agent, a supervisor and an admin, and
// fails on any code shown as it is (event types, fact keys and answers, stage or type
// codes, login names) and on a suggested script with a placeholder shouhou should
// have filled.
func TestEveryPageAsEveryRoleShowsNoRawCodeOrUnfilledPlaceholder(t *testing.T) {
	root := browser(t)
	env := webtest.New(t, webtest.Options{})
	ctx := context.Background()
	if err := demo.SeedCases(ctx, env.DeskOpts, env.Flows, env.Blobs, time.Now()); err != nil {
		t.Fatal(err)
	}
	// A case opened by a platform's after-sale record, in intervention, with its
	// deadline: the case page shows the platform's own words, never its codes.
	deadline := time.Now().Add(36 * time.Hour)
	rec, bad := env.Desk.CheckAfterSale(platform.Record{Platform: cases.PlatformTmall, AfterSaleID: "203984710293847561", OrderNo: "3901827364519283746",
		Type: "REFUND_AND_RETURN", Status: "WAIT_SELLER_CONFIRM_GOODS", Intervention: "10", Deadline: &deadline, BuyerNick: "tm_小周", Reason: "商品破损"}, "intake")
	if bad != nil {
		t.Fatal(bad)
	}
	if _, err := env.Desk.UpsertAfterSale(ctx, desk.Actor{Name: webtest.Supervisor, Role: store.RoleSupervisor}, rec); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Desk.UpdateShop(ctx, desk.Actor{Name: webtest.Admin, Role: store.RoleAdmin}, store.Shop{ID: 1, Code: "main", Platform: cases.PlatformTmall, Name: "小熊电器旗舰店",
		ReturnAddresses: []store.ShopAddress{{Label: "杭州仓", Recipient: "售后部", Phone: "0571-88886666", Address: "浙江省杭州市余杭区仓前街道1号"}}}); err != nil {
		t.Fatal(err)
	}
	users, err := env.Auth.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range users {
		if _, err := env.Auth.SetProfile(ctx, u.ID, u.DisplayName, fmt.Sprintf("客服%d号", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	page, err := env.Store.ListCases(ctx, store.CaseFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	// A finished practice attempt (培训) of the agent: its case, score card and the 培训
	// page, seen by the trainee and the trainers.
	trainee := desk.Actor{Name: webtest.Agent, Role: store.RoleAgent}
	attempt, err := env.Training.Start(ctx, trainee, "quality-damaged", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Training.Model(ctx, trainee, attempt.ID, training.SlipBadRemark); err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.Training.Finish(ctx, trainee, attempt.ID); err != nil {
		t.Fatal(err)
	}
	words := codeWords(env)
	common := []string{"/training", fmt.Sprintf("/training/attempts/%d", attempt.ID), fmt.Sprintf("/cases/%d", attempt.CaseID), "/queue", "/team", "/new", "/register", "/profile", "/team?overdue=1", "/register?stage=closed",
		"/unassigned", "/notifications", "/scripts", "/scripts/soothe-01", "/cases/1/merge?into=2", "/followups", "/parcels"}
	for _, c := range page.Cases {
		common = append(common, fmt.Sprintf("/cases/%d", c.ID))
	}
	shipped := ""
	for _, c := range page.Cases {
		if c.TrackingNo != "" {
			shipped = c.TrackingNo
			break
		}
	}
	roles := map[string][]string{
		webtest.Warehouse:  {"/warehouse", "/warehouse?number=" + shipped, "/warehouse?number=ZT0000000000", "/warehouse?received=1"},
		webtest.Agent:      common,
		webtest.Supervisor: append(slices.Clone(common), "/warehouse", "/warehouse?number=ZT0000000000", "/supervisor", "/payouts", "/payouts?view=waiting", "/payouts?view=paid", "/sop", "/reports", "/alerts", "/register/import", "/aftersales/import", "/training?trainee="+webtest.Agent),
		webtest.Admin:      append(slices.Clone(common), "/supervisor", "/payouts", "/sop", "/admin/users", "/admin/shops", "/admin/shops/1", "/admin/shops/new", "/reports", "/alerts"),
	}
	pages := 0
	// Then a second shop switches the shop UI on: its pages are swept too.
	second := map[string][]string{webtest.Supervisor: {"/team", "/new", "/register", "/reports", fmt.Sprintf("/cases/%d", page.Cases[0].ID)},
		webtest.Admin: {"/admin/shops", "/admin/shops/2", "/admin/users", "/team?shop=1"}}
	for round, sweep := range []map[string][]string{roles, second} {
		if round == 1 {
			if _, err := env.Desk.CreateShop(ctx, desk.Actor{Name: webtest.Admin, Role: store.RoleAdmin}, store.Shop{Code: "jd-main", Platform: cases.PlatformJD, Name: "小熊京东店",
				ReturnAddresses: []store.ShopAddress{{Label: "京东仓", Recipient: "京东售后", Phone: "010-12345678", Address: "北京市大兴区亦庄京东仓1号", Products: []string{"冲牙器"}}}}); err != nil {
				t.Fatal(err)
			}
		}
		for _, user := range []string{webtest.Agent, webtest.Supervisor, webtest.Admin, webtest.Warehouse} {
			if len(sweep[user]) == 0 {
				continue
			}
			b := newTab(t, root, env.Server.URL, user)
			if user == webtest.Warehouse {
				// The warehouse signs in to its receiving desk, the one page it has.
				b.open("/warehouse")
				b.do("login form", chromedp.WaitVisible(chromedp.ID("username")),
					chromedp.SendKeys(chromedp.ID("username"), user), chromedp.SendKeys(chromedp.ID("password"), webtest.Password))
				b.submit("login", `button[type=submit].primary`)
			} else {
				b.login(user)
			}
			for _, path := range sweep[user] {
				b.open(path)
				pages++
				if round == 1 && (path == "/admin/shops/2" || path == "/team" || path == "/admin/users" || path == "/new") {
					b.screenshot(outDir(t), "shops-"+strings.Trim(strings.ReplaceAll(path, "/", "-"), "-")+".png")
				}
				title, _ := b.eval(`document.title`).(string)
				if strings.HasPrefix(title, "出错了") {
					t.Errorf("%s %s: error page: %v", user, path, b.eval(`document.body.innerText`))
					continue
				}
				text, _ := b.eval(`document.querySelector("main").innerText + "\n" + document.querySelector("header").innerText`).(string)
				for _, tok := range token.FindAllString(text, -1) {
					tok = strings.TrimRight(tok, ".")
					login := slices.Contains(loginNames, tok) && path != "/admin/users"
					if words[tok] || login || dottedOrSnk.MatchString(tok) {
						t.Errorf("%s %s shows the raw code %q", user, path, tok)
					}
				}
				if !strings.HasPrefix(path, "/cases/") {
					continue
				}
				missing, _ := b.eval(`Array.from(document.querySelectorAll("mark.missing")).map(m => m.textContent).join(" ")`).(string)
				for _, name := range alwaysFilled {
					if strings.Contains(missing, "{"+name+"}") {
						t.Errorf("%s %s: a suggested script leaves {%s} unfilled", user, path, name)
					}
				}
			}
		}
	}
	t.Logf("checked %d pages as 4 roles, with one shop and with two", pages)
}
