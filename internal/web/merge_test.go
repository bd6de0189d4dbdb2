package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

func TestAnAgentMergesAndSplitsCasesFromTheCasePageAfterAPreview(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	first := env.CreateCase(webtest.Agent, webtest.Intake("TB900100200"), "杯子碎了")
	dup := env.CreateCase(webtest.Agent, webtest.Intake("TB900100200"), "杯子碎了，还没人理我")
	agent := env.Login(webtest.Agent)
	page := "/cases/" + itoa(dup.ID)
	expect(t, agent.Get(page), http.StatusOK, `id="merge-link"`, `id="split-form"`)
	// The same order's other case is offered; the preview says what will happen and
	// nothing changes until it is confirmed.
	expect(t, agent.Get(page+"/merge"), http.StatusOK, "#"+itoa(first.ID))
	expect(t, agent.Get(page+"/merge?into="+itoa(first.ID)), http.StatusOK, "合并预览", "操作记录全部保留", `id="merge-confirm"`)
	if got, _ := env.Desk.Get(context.Background(), dup.ID); got.Status != cases.StatusOpen {
		t.Fatalf("the preview changed the case: %s", got.Status)
	}
	expect(t, agent.PostForm(page+"/merge", url.Values{"into": {itoa(first.ID)}}), http.StatusSeeOther)
	if got, _ := env.Desk.Get(context.Background(), dup.ID); got.Status != cases.StatusMerged || got.MergedInto != first.ID {
		t.Fatalf("after the merge: %s into %d", got.Status, got.MergedInto)
	}
	expect(t, agent.Get("/cases/"+itoa(first.ID)), http.StatusOK, "合并来源")
	expect(t, agent.PostForm(page+"/merge", url.Values{"into": {itoa(first.ID)}}), http.StatusUnprocessableEntity, "已合并")

	resp := agent.PostForm("/cases/"+itoa(first.ID)+"/split", url.Values{"type": {"fulfilment.missing"}, "description": {"另外少了一个杯盖"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("split: %d %s", resp.StatusCode, body(t, resp))
	}
	expect(t, agent.Get(resp.Header.Get("Location")), http.StatusOK, "少件/漏发", "另外少了一个杯盖", "拆分自")
}
