package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/web/webtest"
)

func TestAgentCarriesOutAReshipOnTheCasePage(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB700800900"), "少了一个杯盖")
	agent := env.Login(webtest.Agent)
	path := "/cases/" + strconv.FormatInt(c.ID, 10)
	// Accepting a reship without saying what to send is refused with the reason.
	expect(t, agent.PostForm(path+"/solution", url.Values{"kind": {"reship"}, "action": {"accepted"}}),
		http.StatusUnprocessableEntity, "请列出补发的配件或商品")
	agent.PostForm(path+"/solution", url.Values{"kind": {"reship"}, "action": {"accepted"}, "exec_items": {"杯盖×1，滤网×1"}}).Body.Close()
	page := expect(t, agent.Get(path), http.StatusOK, "方案执行", "补发", "待发货")
	sid := between(page, `action="`+path+`/executions/`, `"`)
	if sid == "" {
		t.Fatal("no execution form on the case page")
	}
	exec := path + "/executions/" + sid
	expect(t, agent.PostForm(exec, url.Values{"from": {"preparing"}, "to": {"shipped"}, "courier": {"顺丰"}}),
		http.StatusUnprocessableEntity, "请填写快递单号")
	agent.PostForm(exec, url.Values{"from": {"preparing"}, "to": {"shipped"}, "courier": {"顺丰"}, "tracking_no": {"SF1234567890"}}).Body.Close()
	expect(t, agent.Get(path), http.StatusOK, "已发出", "SF1234567890", "把新快递单号发给顾客")
	// A second agent still looking at 待发货 is told someone moved it first.
	expect(t, agent.PostForm(exec, url.Values{"from": {"preparing"}, "to": {"shipped"}, "courier": {"顺丰"}, "tracking_no": {"SF1234567890"}}),
		http.StatusConflict, "已被他人推进到「已发出」")
}

func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	inner, _, _ := strings.Cut(after, end)
	return inner
}
