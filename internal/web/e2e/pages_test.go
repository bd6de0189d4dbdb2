package e2e

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/demo"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/shop"
	"github.com/shouhou/shouhou/internal/store"
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
	for _, r := range []store.Role{store.RoleAgent, store.RoleSupervisor, store.RoleAdmin} {
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
var loginNames = []string{webtest.Agent, webtest.Agent2, webtest.Supervisor, webtest.Admin}

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
	settings := shop.NewService(env.Store, nil)
	if _, err := settings.Save(ctx, webtest.Admin, shop.Settings{Name: "小熊电器旗舰店",
		ReturnAddresses: []shop.Address{{Label: "杭州仓", Recipient: "售后部", Phone: "0571-88886666", Address: "浙江省杭州市余杭区仓前街道1号"}}}); err != nil {
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
	words := codeWords(env)
	common := []string{"/queue", "/team", "/new", "/register", "/profile", "/team?overdue=1", "/register?stage=closed",
		"/unassigned", "/notifications", "/scripts", "/scripts/soothe-01", "/cases/1/merge?into=2", "/followups"}
	for _, c := range page.Cases {
		common = append(common, fmt.Sprintf("/cases/%d", c.ID))
	}
	roles := map[string][]string{
		webtest.Agent:      common,
		webtest.Supervisor: append(slices.Clone(common), "/supervisor", "/payouts", "/payouts?view=waiting", "/payouts?view=paid", "/sop", "/reports", "/alerts", "/register/import", "/aftersales/import"),
		webtest.Admin:      append(slices.Clone(common), "/supervisor", "/payouts", "/sop", "/admin/users", "/admin/shop", "/reports", "/alerts"),
	}
	pages := 0
	for _, user := range []string{webtest.Agent, webtest.Supervisor, webtest.Admin} {
		b := newTab(t, root, env.Server.URL, user)
		b.login(user)
		for _, path := range roles[user] {
			b.open(path)
			pages++
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
	t.Logf("checked %d pages as 3 roles", pages)
}
