package web_test

import (
	"net/http"
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
