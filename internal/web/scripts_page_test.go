package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/web/webtest"
)

func TestASupervisorEditsHidesAndRestoresAScriptOnTheLibraryPage(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent := env.Login(webtest.Agent)
	expect(t, agent.Get("/scripts?stage=soothe"), http.StatusOK, "话术库", "soothe-01")
	expect(t, agent.PostForm("/scripts/soothe-01", url.Values{"title": {"x"}}), http.StatusForbidden)

	boss := env.Login(webtest.Supervisor)
	page := expect(t, boss.Get("/scripts/soothe-01"), http.StatusOK, "内置", "可用占位符", "没有修改过")
	if !strings.Contains(page, `id="script-save"`) {
		t.Fatal("a supervisor cannot save")
	}
	form := url.Values{"title": {"安抚·改"}, "text": {"不能给您退款"}, "stages": {"soothe"}, "intent": {"soothe"}}
	resp := boss.PostForm("/scripts/soothe-01", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", resp.StatusCode, body(t, resp))
	}
	// The lint speaks beside the text (a negative word without an explanation), the
	// library marks the script as the shop's, and the history says who changed it.
	edited := expect(t, boss.Get("/scripts/soothe-01"), http.StatusOK, "店铺修改", "不能给您退款", "保存", "老王")
	if lint := edited[strings.Index(edited, `id="lint"`):]; !strings.HasPrefix(lint[strings.Index(lint, "<p"):], `<p class="late">`) {
		t.Fatalf("no lint warning beside a negative word: %.300s", lint)
	}
	bad := url.Values{"title": {"x"}, "text": {"亲，补偿{不存在的占位符}元"}, "stages": {"soothe"}, "intent": {"soothe"}}
	expect(t, boss.PostForm("/scripts/soothe-01", bad), http.StatusUnprocessableEntity, "不存在的占位符")
	expect(t, boss.PostForm("/scripts/soothe-01/hide", nil), http.StatusSeeOther)
	expect(t, boss.Get("/scripts"), http.StatusOK, "已隐藏的内置话术")
	expect(t, boss.PostForm("/scripts/soothe-01/restore", nil), http.StatusSeeOther)
	restored := expect(t, boss.Get("/scripts/soothe-01"), http.StatusOK, "恢复内置版本", "隐藏")
	if strings.Contains(restored, "不能给您退款</textarea>") {
		t.Fatal("the restored script still has the shop's text")
	}
}
