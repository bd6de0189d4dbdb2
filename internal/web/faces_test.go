package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

// decodeJSON reads an API answer.
func decodeJSON(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", resp.Request.URL.Path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

var sentScript = regexp.MustCompile(`name="script_id" value="([^"]+)"`)

// TestTheWorkbenchAndTheAPIOfferTheSameScripts: both faces show the desk's scripts
// for the current step, in the same order (the workbench shows the first few), for
// calm and for angry customers (安抚 first) at several steps.
func TestTheWorkbenchAndTheAPIOfferTheSameScripts(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent := env.Login(webtest.Agent)
	for _, tt := range []struct {
		typ     cases.ProblemType
		emotion cases.Emotion
	}{
		{cases.TypeDamaged, cases.EmotionAngry}, {cases.TypeDamaged, cases.EmotionCalm},
		{cases.TypeDislike, cases.EmotionUpset}, {cases.TypeChase, cases.EmotionCalm},
	} {
		in := webtest.Intake(fmt.Sprintf("TB9%s%d", strings.ReplaceAll(string(tt.typ), ".", ""), len(tt.emotion)))
		in.Type, in.Emotion = tt.typ, tt.emotion
		c := env.CreateCase(webtest.Agent, in, "顾客的消息")
		var api struct {
			Scripts []struct {
				ID     string `json:"id"`
				Stages []string
			} `json:"scripts"`
		}
		decodeJSON(t, agent.Get(fmt.Sprintf("/api/v1/cases/%d/scripts", c.ID)), &api)
		page := body(t, agent.Get(fmt.Sprintf("/cases/%d", c.ID)))
		var shown []string
		for _, m := range sentScript.FindAllStringSubmatch(page, -1) {
			shown = append(shown, m[1])
		}
		if len(shown) == 0 || len(api.Scripts) < len(shown) {
			t.Fatalf("%s %s: page shows %v, API %v", tt.typ, tt.emotion, shown, api.Scripts)
		}
		for i, id := range shown {
			if api.Scripts[i].ID != id {
				t.Fatalf("%s %s: script %d is %s on the page, %s in the API", tt.typ, tt.emotion, i, id, api.Scripts[i].ID)
			}
		}
		if tt.emotion != cases.EmotionCalm && !strings.HasPrefix(shown[0], "soothe") {
			t.Errorf("%s %s: the first script is %s, not a 安抚 one", tt.typ, tt.emotion, shown[0])
		}
	}
}

// TestThePasteBoxAndTheAPIPrefillTheSameFields: the form the workbench pre-fills from
// a pasted message holds what POST /api/v1/classify returns as prefill.
func TestThePasteBoxAndTheAPIPrefillTheSameFields(t *testing.T) {
	env := webtest.New(t, webtest.Options{Classifier: true})
	agent := env.Login(webtest.Agent)
	msg := "收到的杯子碎了，我要换货！订单号 4012345678901234，顺丰 SF1234567890123，电话13912345678，价格89元"
	var api struct {
		Prefill map[string]any `json:"prefill"`
	}
	resp := agent.PostJSON("/api/v1/classify", map[string]any{"text": msg})
	decodeJSON(t, resp, &api)
	page := body(t, agent.PostForm("/new", url.Values{"action": {"parse"}, "first_message": {msg}, "platform": {"taobao"}}))
	if len(api.Prefill) < 8 {
		t.Fatalf("API prefill has too few fields: %v", api.Prefill)
	}
	for field, v := range api.Prefill {
		want := fmt.Sprint(v)
		switch field {
		case "type", "demand", "emotion":
			if !strings.Contains(page, fmt.Sprintf(`<option value="%s" selected>`, want)) {
				t.Errorf("%s: the API says %s, the form does not select it", field, want)
			}
		case "level":
			if !strings.Contains(page, fmt.Sprintf(`<option value="%s" selected>`, want)) {
				t.Errorf("level: the API says %s, the form does not select it", want)
			}
		case "amount":
			if !strings.Contains(page, fmt.Sprintf(`value="%.2f"`, v.(float64))) {
				t.Errorf("amount: the API says %v, the form does not hold it", v)
			}
		case "description":
			if !strings.Contains(page, want) {
				t.Errorf("description not in the form")
			}
		case "alternatives": // uncertain fields: the paste box offers the same two codes
			for f, list := range v.(map[string]any) {
				for _, ch := range list.([]any) {
					code := ch.(map[string]any)["code"]
					if !strings.Contains(page, fmt.Sprintf(`data-field="%s" data-value="%v"`, f, code)) {
						t.Errorf("alternatives: the API offers %s=%v, the paste box does not", f, code)
					}
				}
			}
		default:
			if !strings.Contains(page, fmt.Sprintf(`value="%s"`, want)) {
				t.Errorf("%s: the API says %q, the form does not hold it", field, want)
			}
		}
	}
}

// TestTheCasePageShowsWhatTheMoneyRulesAllow: the 方案 card says the amounts the
// shop's policy allows on this case, and the guide tells the late-shipment payout.
func TestTheCasePageShowsWhatTheMoneyRulesAllow(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent := env.Login(webtest.Agent)
	in := webtest.Intake("TB700800900")
	in.Type, in.Emotion = cases.TypeDislike, cases.EmotionCalm
	paid := time.Now().Add(-10 * 24 * time.Hour).UTC()
	shipped := paid.Add(80 * time.Hour)
	in.PaidAt, in.ShippedAt = &paid, &shipped
	c := env.CreateCase(webtest.Agent, in, "不想要了")
	expect(t, agent.Get(fmt.Sprintf("/cases/%d", c.ID)), http.StatusOK,
		"非质量问题劝留补偿10元-20元", `id="money-notices"`, "属延迟发货")
}

func TestAnUnknownPathIsAChinesePage(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	expect(t, env.Login(webtest.Agent).Get("/no/such/page"), http.StatusNotFound, "找不到这个页面")
}
