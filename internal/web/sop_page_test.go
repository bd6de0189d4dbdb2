package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/web/webtest"
)

func TestSupervisorsSeeTheSOPInForceInChinese(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	expect(t, env.Login(webtest.Agent).Get("/sop"), http.StatusForbidden)
	page := expect(t, env.Login(webtest.Supervisor).Get("/sop"), http.StatusOK,
		"时限(SOP §3)", "金额规则", "客服可直接给出的金额上限(元)", "审批权限", "默认", "节假日与调休", "处理流程", "破损", "个工作日后")
	// No raw step ids, fact keys or timer placeholders on the flows.
	flows := page[strings.Index(page, `id="flows"`):]
	if m := regexp.MustCompile(`\{timer:|→ [a-z]|[a-z_]+=[a-z_]+`).FindString(flows); m != "" {
		t.Fatalf("raw code %q on the SOP page", m)
	}
}

func TestAnAdminAppliesAPolicyFileWithoutARestart(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	admin := env.Login(webtest.Admin)
	expect(t, env.Login(webtest.Supervisor).PostForm("/sop/policy", url.Values{"content": {"role_limits:\n  agent: 80\n"}}), http.StatusForbidden)
	// A mistake is refused with the file, the line and the cause, and changes nothing.
	bad := expect(t, admin.PostForm("/sop/policy", url.Values{"name": {"shop-policy.yaml"}, "action": {"preview"},
		"content": {"role_limits:\n  agent: 80\n  agnet: 90\n"}}), http.StatusUnprocessableEntity, "shop-policy.yaml", "agnet")
	if !regexp.MustCompile(`\[?3:\d+\]?|line 3`).MatchString(bad) {
		t.Fatalf("the refusal does not name the line: %s", bad[strings.Index(bad, `id="policy-error"`):][:300])
	}
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB300400500"), "杯子碎了")
	agent := env.Login(webtest.Agent)
	offer := url.Values{"kind": {"compensation"}, "amount": {"70"}, "action": {"offered"}}
	expect(t, agent.PostForm("/cases/"+itoa(c.ID)+"/solution", offer), http.StatusForbidden, "超过客服权限")
	ask := url.Values{"kind": {"compensation"}, "amount": {"70"}, "action": {"approval"}}
	expect(t, agent.PostForm("/cases/"+itoa(c.ID)+"/solution", ask), http.StatusSeeOther)
	// The dry run says what changes and which open cases it touches; nothing is in
	// force until it is applied.
	good := url.Values{"name": {"shop-policy.yaml"}, "content": {"role_limits:\n  agent: 80\n"}}
	good.Set("action", "preview")
	expect(t, admin.PostForm("/sop/policy", good), http.StatusOK, `id="policy-dry-run"`, "客服可直接给出的金额上限(元)", "50", "80", "#"+itoa(c.ID))
	expect(t, agent.PostForm("/cases/"+itoa(c.ID)+"/solution", offer), http.StatusForbidden)
	good.Set("action", "apply")
	expect(t, admin.PostForm("/sop/policy", good), http.StatusSeeOther)
	expect(t, agent.PostForm("/cases/"+itoa(c.ID)+"/solution", offer), http.StatusSeeOther)
	expect(t, admin.Get("/sop"), http.StatusOK, `id="policy-log"`, "shop-policy.yaml", "50 → 80", "店铺文件")
}
