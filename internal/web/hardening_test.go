package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/web/webtest"
)

func TestRegisterCSVErrorIsAnErrorPageNotA200File(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent := env.Login(webtest.Agent)
	resp := agent.Get("/register.csv?q=" + url.QueryEscape(strings.Repeat("破", 60_000)))
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity || strings.Contains(resp.Header.Get("Content-Type"), "csv") ||
		resp.Header.Get("Content-Disposition") != "" {
		t.Fatalf("a refused export: %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
}

func TestFormsWithNULOrInvalidUTF8AreRefusedBeforeAnyHandler(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent := env.Login(webtest.Agent)
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB900001"), "杯子碎了")
	for _, form := range []url.Values{
		{"text": {"破损\x00，已补偿"}},
		{"text": {"破损\xff，已补偿"}},
	} {
		resp := agent.PostForm(fmt.Sprintf("/cases/%d/remark", c.ID), form)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "空字符或无效的UTF-8") {
			t.Errorf("remark %q: %d %s", form.Get("text"), resp.StatusCode, body)
		}
	}
	if resp := agent.Get("/queue?q=%00"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a NUL in the queue search: %d", resp.StatusCode)
	}
	if got, _ := env.Desk.Get(context.Background(), c.ID); got.Version != c.Version {
		t.Fatalf("the case changed: version %d -> %d", c.Version, got.Version)
	}
}
