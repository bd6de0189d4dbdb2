package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/shouhou/shouhou/internal/web/webtest"
)

func TestThePayerMarksPayoutsPaidOnThePayoutsPage(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB100200400"), "")
	agent := env.Login(webtest.Agent)
	expect(t, agent.Get("/payouts"), http.StatusForbidden)
	// The agent accepts a compensation with the customer's Alipay account from the case page.
	expect(t, agent.PostForm("/cases/"+itoa(c.ID)+"/solution", url.Values{"kind": {"compensation"}, "amount": {"20"},
		"action": {"accepted"}, "pay_channel": {"alipay"}, "pay_account": {"13900001111"}, "pay_name": {"王芳"}}), http.StatusSeeOther)

	boss := env.Login(webtest.Supervisor)
	page := expect(t, boss.Get("/payouts"), http.StatusOK, "打款清单", "支付宝转账", "13900001111", "王芳", "合计 <strong>20.00</strong> 元")
	expect(t, boss.Get("/payouts.csv?view=due"), http.StatusOK, "13900001111")
	sid := "" // the execution id is the seq of the accepting event: read it from the page
	for _, m := range payoutRow.FindAllStringSubmatch(page, -1) {
		sid = m[2]
	}
	expect(t, boss.PostForm("/payouts/"+itoa(c.ID)+"/"+sid, url.Values{"view": {"due"}, "from": {"approved"}, "to": {"paid"}}), http.StatusSeeOther)
	expect(t, boss.Get("/payouts?view=due"), http.StatusOK, "流水号") // refused without a reference: still due
	expect(t, boss.PostForm("/payouts/"+itoa(c.ID)+"/"+sid, url.Values{"view": {"due"}, "from": {"approved"}, "to": {"paid"},
		"reference": {"ZFB2026113000001"}}), http.StatusSeeOther)
	expect(t, boss.Get("/payouts?view=paid"), http.StatusOK, "ZFB2026113000001", "已打款")
	expect(t, boss.Get("/payouts?view=due"), http.StatusOK, "没有记录")
}

var payoutRow = regexp.MustCompile(`id="payout-(\d+)-(\d+)"`)
