package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/store"
)

// shopB is a second shop with two warehouses: 冲牙器 go to their own (seed 003).
func shopB() map[string]any {
	return map[string]any{"code": "jd-main", "platform": "jd", "name": "小熊京东店",
		"return_addresses": []map[string]any{
			{"label": "环球仓", "recipient": "售后部", "phone": "0571-88886666", "address": "浙江省杭州市余杭区仓前街道1号 环球仓", "default": true},
			{"label": "冲牙器仓", "recipient": "冲牙器售后", "phone": "0755-26668888", "address": "广东省深圳市宝安区福永街道8栋", "products": []string{"冲牙器"}},
		},
		"overrides": map[string]any{"sla": map[string]any{"2": map[string]any{"resolve_hours": 12}}}}
}

func (h *clockHarness) shopCase(who string, shopID any, order, sku string) reply {
	h.t.Helper()
	body := newCaseBody()
	body["order_no"], body["sku"], body["emotion"], body["level"] = order, sku, "calm", 2
	delete(body, "platform")
	if shopID != nil {
		body["shop_id"] = shopID
	}
	return h.as(who, "POST", "/api/v1/cases", body)
}

func TestShopsSplitCasesScriptsDispatchListsRegisterAndReports(t *testing.T) {
	h := newClockHarness(t, true)
	h.addUser("boss", store.RoleAdmin)
	h.addUser("lead", store.RoleSupervisor)
	h.addUser("amy", store.RoleAgent) // serves shop A only
	h.addUser("ben", store.RoleAgent) // serves shop B only

	// One shop: shop_id is filled automatically.
	r := h.shopCase("lead", nil, "TB0001", "杯子")
	if r.status != 201 || r.body["shop_id"] != float64(1) || r.body["platform"] != "taobao" {
		t.Fatalf("one-shop case: %d %s", r.status, r.raw)
	}

	// Only admins create shops; bad input is 422 with the field, and nothing is created.
	if r := h.as("lead", "POST", "/api/v1/shops", shopB()); r.status != 403 {
		t.Fatalf("supervisor created a shop: %d", r.status)
	}
	for field, edit := range map[string]func(map[string]any){
		"code":                     func(b map[string]any) { b["code"] = "JD Main!" },
		"platform":                 func(b map[string]any) { b["platform"] = "ebay" },
		"return_addresses.1.phone": func(b map[string]any) { b["return_addresses"].([]map[string]any)[1]["phone"] = "call me" },
		"overrides.sla.2.first_response_hours": func(b map[string]any) {
			b["overrides"] = map[string]any{"sla": map[string]any{"2": map[string]any{"first_response_hours": 60}}}
		},
	} {
		b := shopB()
		edit(b)
		if r := h.as("boss", "POST", "/api/v1/shops", b); r.status != 422 || r.body["field"] != field {
			t.Fatalf("bad %s: %d %s", field, r.status, r.raw)
		}
	}
	if r := h.as("amy", "GET", "/api/v1/shops", nil); r.status != 200 || len(r.body["shops"].([]any)) != 1 {
		t.Fatalf("refused shops were stored: %s", r.raw)
	}
	r = h.as("boss", "POST", "/api/v1/shops", shopB())
	if r.status != 201 {
		t.Fatalf("create shop B: %d %s", r.status, r.raw)
	}
	b := r.body["id"]
	if r := h.as("boss", "POST", "/api/v1/shops", shopB()); r.status != 422 || r.body["field"] != "code" {
		t.Fatalf("a second shop with the same code: %d %s", r.status, r.raw)
	}
	a := map[string]any{"code": "main", "platform": "taobao", "name": "小熊淘宝店", "return_addresses": []map[string]any{
		{"label": "杭州仓", "recipient": "淘宝售后", "phone": "0571-11112222", "address": "浙江省杭州市西湖区文三路1号"}}}
	if r := h.as("boss", "PUT", "/api/v1/shops/1", a); r.status != 200 || r.body["name"] != "小熊淘宝店" {
		t.Fatalf("update shop A: %d %s", r.status, r.raw)
	}
	if r := h.as("amy", "GET", fmt.Sprintf("/api/v1/shops/%v", b), nil); r.status != 200 || r.body["code"] != "jd-main" {
		t.Fatalf("get shop B: %d %s", r.status, r.raw)
	}

	// Two shops: shop_id is required; an unknown one is refused; nothing is created.
	if r := h.shopCase("lead", nil, "JD0000", "冲牙器"); r.status != 422 || r.body["field"] != "shop_id" {
		t.Fatalf("no shop with two shops: %d %s", r.status, r.raw)
	}
	if r := h.shopCase("lead", 99, "JD0000", "冲牙器"); r.status != 422 || r.body["field"] != "shop_id" {
		t.Fatalf("unknown shop: %d %s", r.status, r.raw)
	}

	// Agents serve shops (admins set them); dispatch gives B's case only to B's agent.
	if r := h.as("lead", "PUT", "/api/v1/agents/amy", map[string]any{"shops": []int{1}}); r.status != 403 {
		t.Fatalf("a supervisor set an agent's shops: %d", r.status)
	}
	if r := h.as("boss", "PUT", "/api/v1/agents/amy", map[string]any{"shops": []int{42}}); r.status != 422 || r.body["field"] != "shops" {
		t.Fatalf("unknown shop for an agent: %d %s", r.status, r.raw)
	}
	for name, shop := range map[string]any{"amy": 1, "ben": b} {
		if r := h.as("boss", "PUT", "/api/v1/agents/"+name, map[string]any{"shops": []any{shop}, "status": "online"}); r.status != 200 {
			t.Fatalf("profile %s: %d %s", name, r.status, r.raw)
		}
	}
	var inB []float64
	for i := range 3 {
		r := h.shopCase("lead", b, fmt.Sprintf("JD000%d", i+1), "冲牙器 X1")
		if r.status != 201 || r.body["assignee"] != "ben" || r.body["platform"] != "jd" {
			t.Fatalf("B's case %d: %d %s", i, r.status, r.raw)
		}
		inB = append(inB, r.body["id"].(float64))
	}
	r = h.shopCase("lead", 1, "TB0002", "杯子")
	if r.status != 201 || r.body["assignee"] != "amy" {
		t.Fatalf("A's case went to %v: %s", r.body["assignee"], r.raw)
	}
	inA := r.body["id"].(float64)

	// B's overridden level-2 resolution clock (12 h instead of 48 h), and its 80 %
	// warning at 9.6 h; A keeps the configured 48 h.
	due := func(who string, id float64) (resolve, warn string) {
		c := h.as(who, "GET", fmt.Sprintf("/api/v1/cases/%v", id), nil).body
		for _, tm := range c["timers"].([]any) {
			if tm := tm.(map[string]any); tm["kind"] == "resolve_warn" {
				warn = tm["due_at"].(string)
			}
		}
		return c["resolve_due_at"].(string), warn
	}
	if resolve, warn := due("ben", inB[0]); resolve != "2026-11-23T13:00:00Z" || warn != "2026-11-23T10:36:00Z" {
		t.Fatalf("B's clock: resolve %s warn %s", resolve, warn)
	}
	if resolve, _ := due("amy", inA); resolve != "2026-11-25T01:00:00Z" {
		t.Fatalf("A's clock: %s", resolve)
	}

	// Scripts: B's case gets B's name and the 冲牙器 warehouse; A's gets A's.
	sc := map[string]any{"id": "return-99", "title": "退货地址", "text": "{店铺名}的退货地址:{退货地址}", "stages": []string{"execute"}, "intent": "inform"}
	if r := h.as("lead", "PUT", "/api/v1/scripts/return-99", sc); r.status != 200 {
		t.Fatalf("script: %d %s", r.status, r.raw)
	}
	reply := func(who string, id float64) string {
		r := h.as(who, "POST", fmt.Sprintf("/api/v1/cases/%v/reply", id), map[string]any{"script_ids": []string{"return-99"}})
		if r.status != 200 {
			t.Fatalf("reply as %s: %d %s", who, r.status, r.raw)
		}
		return r.body["text"].(string)
	}
	if got := reply("ben", inB[0]); got != "小熊京东店的退货地址:冲牙器售后 0755-26668888 广东省深圳市宝安区福永街道8栋" {
		t.Fatalf("B's reply: %q", got)
	}
	if got := reply("amy", inA); got != "小熊淘宝店的退货地址:淘宝售后 0571-11112222 浙江省杭州市西湖区文三路1号" {
		t.Fatalf("A's reply: %q", got)
	}

	// amy never sees B's cases: not in her lists, not by id, not by a shop filter.
	list := func(who, q string) []any {
		r := h.as(who, "GET", "/api/v1/cases?"+q, nil)
		if r.status != 200 {
			t.Fatalf("list %s as %s: %d %s", q, who, r.status, r.raw)
		}
		return r.body["cases"].([]any)
	}
	for _, c := range list("amy", "status=open") {
		if c.(map[string]any)["shop_id"] != float64(1) {
			t.Fatalf("amy sees a case of shop %v", c.(map[string]any)["shop_id"])
		}
	}
	for _, path := range []string{"", "/guide", "/events", "/scripts"} {
		if r := h.as("amy", "GET", fmt.Sprintf("/api/v1/cases/%v%s", inB[0], path), nil); r.status != 404 {
			t.Fatalf("amy reads B's case%s: %d", path, r.status)
		}
	}
	if r := h.as("amy", "POST", fmt.Sprintf("/api/v1/cases/%v/remarks", inB[0]), map[string]any{"text": "偷看"}); r.status != 404 {
		t.Fatalf("amy writes B's case: %d", r.status)
	}
	if r := h.as("lead", "POST", fmt.Sprintf("/api/v1/cases/%v/assign", inB[1]), map[string]any{"assignee": "amy"}); r.status != 422 || r.body["field"] != "assignee" {
		t.Fatalf("B's case assigned to amy: %d %s", r.status, r.raw)
	}
	if r := h.as("lead", "POST", fmt.Sprintf("/api/v1/cases/%v/merge", inB[2]), map[string]any{"into": inA}); r.status != 422 || r.body["field"] != "into" {
		t.Fatalf("merged across shops: %d %s", r.status, r.raw)
	}
	moved := h.as("lead", "GET", fmt.Sprintf("/api/v1/cases/%v", inB[2]), nil).body
	if r := h.as("lead", "PATCH", fmt.Sprintf("/api/v1/cases/%v", inB[2]), map[string]any{"version": moved["version"], "fields": map[string]any{"shop_id": 1}}); r.status != 422 || r.body["field"] != "shop_id" {
		t.Fatalf("moved to A while ben works it: %d %s", r.status, r.raw)
	}
	if r := h.as("lead", "PATCH", fmt.Sprintf("/api/v1/cases/%v", inB[2]), map[string]any{"version": moved["version"], "fields": map[string]any{"shop_id": 404}}); r.status != 422 || r.body["field"] != "shop_id" {
		t.Fatalf("moved to no shop: %d %s", r.status, r.raw)
	}
	if r := h.shopCase("amy", b, "JD0009", "冲牙器"); r.status != 422 || r.body["field"] != "shop_id" {
		t.Fatalf("amy opens a case in B: %d %s", r.status, r.raw)
	}
	if r := h.as("amy", "GET", fmt.Sprintf("/api/v1/cases?shop=%v", b), nil); r.status != 422 || r.body["field"] != "shop" {
		t.Fatalf("amy filters on B: %d %s", r.status, r.raw)
	}
	// The supervisor sees all, and filters by shop.
	if got := list("lead", fmt.Sprintf("shop=%v", b)); len(got) != 3 {
		t.Fatalf("shop filter: %d cases", len(got))
	}
	if got := list("lead", "shop=1"); len(got) != 2 {
		t.Fatalf("shop A filter: %d cases", len(got))
	}
	if r := h.as("lead", "GET", "/api/v1/cases?shop=77", nil); r.status != 422 || r.body["field"] != "shop" {
		t.Fatalf("unknown shop filter: %d %s", r.status, r.raw)
	}

	// The register has a 店铺 column once there are two shops, and filters by shop.
	req, _ := http.NewRequest("GET", h.srv.URL+fmt.Sprintf("/api/v1/register?format=csv&shop=%v", b), nil)
	req.Header.Set("Authorization", "Bearer "+h.tokens["lead"])
	csv := h.send(req)
	if csv.status != 200 || !bytes.Contains(csv.raw, []byte("店铺")) || bytes.Count(csv.raw, []byte("小熊京东店")) != 3 || bytes.Contains(csv.raw, []byte("小熊淘宝店")) {
		t.Fatalf("register of B: %d\n%s", csv.status, csv.raw)
	}

	// Reports: cases by shop and a shop filter.
	rep := h.as("lead", "GET", "/api/v1/reports/summary?from=2026-11-01&to=2026-12-31", nil)
	var sum struct {
		Cases  int64 `json:"cases"`
		ByShop []struct {
			Key   string `json:"key"`
			Count int64  `json:"count"`
		} `json:"by_shop"`
	}
	raw, _ := json.Marshal(rep.body)
	json.Unmarshal(raw, &sum)
	if rep.status != 200 || fmt.Sprint(sum.ByShop) != fmt.Sprintf("[{%v 3} {1 2}]", b) {
		t.Fatalf("report by shop: %d %s", rep.status, rep.raw)
	}
	rep = h.as("lead", "GET", fmt.Sprintf("/api/v1/reports/summary?from=2026-11-01&to=2026-12-31&shop=%v", b), nil)
	if rep.body["cases"] != float64(3) {
		t.Fatalf("report of B: %s", rep.raw)
	}
	if r := h.as("lead", "GET", "/api/v1/reports/summary?shop=x", nil); r.status != 422 || r.body["field"] != "shop" {
		t.Fatalf("bad report shop: %d %s", r.status, r.raw)
	}
}

func TestRegisterImportPutsEachRowInTheShopItNames(t *testing.T) {
	h := newClockHarness(t, true)
	h.addUser("boss", store.RoleAdmin)
	// One shop: no 店铺 column needed.
	one, ct := importBody("old.csv", "平台,订单号,顾客,问题类型,问题描述\n淘宝,TB60001,刘女士,破损,碎了\n", nil)
	if r := h.do(store.RoleSupervisor, "POST", "/api/v1/register/import", one, "Content-Type", ct); r.status != 200 || r.body["created"] != float64(1) {
		t.Fatalf("one-shop import: %d %s", r.status, r.raw)
	}
	if r := h.as("boss", "POST", "/api/v1/shops", shopB()); r.status != 201 {
		t.Fatalf("shop B: %d %s", r.status, r.raw)
	}
	// Two shops: every row names its shop (code or name), matching its platform;
	// every bad row is listed and nothing is imported.
	bad, ct := importBody("old.csv", "平台,订单号,顾客,问题类型,问题描述,店铺\n京东,JD60001,王先生,破损,碎了,jd-main\n京东,JD60002,赵先生,破损,碎了,\n京东,JD60003,钱先生,破损,碎了,火星店\n淘宝,TB60004,孙女士,破损,碎了,小熊京东店\n", nil)
	r := h.do(store.RoleSupervisor, "POST", "/api/v1/register/import", bad, "Content-Type", ct)
	if r.status != 422 || !strings.Contains(string(r.raw), `"row":3`) || !strings.Contains(string(r.raw), "火星店") || !strings.Contains(string(r.raw), "平台与店铺") {
		t.Fatalf("bad shops: %d %s", r.status, r.raw)
	}
	if got := h.do(store.RoleSupervisor, "GET", "/api/v1/cases?shop=2", nil); len(got.body["cases"].([]any)) != 0 {
		t.Fatalf("a refused import opened cases: %s", got.raw)
	}
	good, ct := importBody("old.csv", "平台,订单号,顾客,问题类型,问题描述,店铺\n京东,JD60001,王先生,破损,碎了,jd-main\n京东,JD60005,周先生,破损,碎了,小熊京东店\n", nil)
	if r := h.do(store.RoleSupervisor, "POST", "/api/v1/register/import", good, "Content-Type", ct); r.status != 200 || r.body["created"] != float64(2) {
		t.Fatalf("import into B: %d %s", r.status, r.raw)
	}
	if got := h.do(store.RoleSupervisor, "GET", "/api/v1/cases?shop=2", nil); len(got.body["cases"].([]any)) != 2 {
		t.Fatalf("B's imported cases: %s", got.raw)
	}
}

func TestAShopsAgentLimitAppliesToItsCasesOnly(t *testing.T) {
	h := newHarness(t)
	b := shopB()
	b["overrides"] = map[string]any{"agent_limit": 300}
	if r := h.do(store.RoleAdmin, "POST", "/api/v1/shops", b); r.status != 422 || r.body["field"] != "overrides.agent_limit" || !strings.Contains(r.body["message"].(string), "200") {
		t.Fatalf("an agent limit above the supervisor's: %d %s", r.status, r.raw)
	}
	b["overrides"] = map[string]any{"agent_limit": 100}
	r := h.do(store.RoleAdmin, "POST", "/api/v1/shops", b)
	if r.status != 201 {
		t.Fatalf("shop B: %d %s", r.status, r.raw)
	}
	open := func(shop any, order string) int64 {
		body := newCaseBody()
		body["amount"], body["shop_id"], body["order_no"] = 1000, shop, order
		delete(body, "platform")
		r := h.do(store.RoleAgent, "POST", "/api/v1/cases", body)
		if r.status != 201 {
			t.Fatalf("case in %v: %d %s", shop, r.status, r.raw)
		}
		return int64(r.body["id"].(float64))
	}
	inA, inB := open(1, "TB70001"), open(r.body["id"], "JD70001")
	offer := map[string]any{"kind": "compensation", "amount": 80}
	if r := h.event(store.RoleAgent, inB, "solution.offered", offer); r.status != 200 {
		t.Fatalf("80 within B's agent limit of 100: %d %s", r.status, r.raw)
	}
	if r := h.event(store.RoleAgent, inA, "solution.offered", offer); r.status != 403 || r.body["code"] != "approval_required" {
		t.Fatalf("80 over A's (the policy's) 50: %d %s", r.status, r.raw)
	}
	limit := func(id int64) any {
		g := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", id), nil)
		return g.body["compensation_limit"].(map[string]any)["limit"]
	}
	if limit(inB) != float64(100) || limit(inA) != float64(50) {
		t.Fatalf("the guide's limits: B %v A %v", limit(inB), limit(inA))
	}
}

// TestAReturnStepGivesTheCustomerTheReturnAddressOfTheCaseShopAndProductLine walks a
// personal-reason case to its return step in each of two shops: the built-in
// return-address script of the step is filled with the shop's warehouse for the
// case's product line (shop B sends 冲牙器 to its own warehouse), never typed.
func TestAReturnStepGivesTheCustomerTheReturnAddressOfTheCaseShopAndProductLine(t *testing.T) {
	h := newClockHarness(t, true)
	h.addUser("boss", store.RoleAdmin)
	h.addUser("lead", store.RoleSupervisor)
	a := map[string]any{"code": "main", "platform": "taobao", "name": "小熊淘宝店", "return_addresses": []map[string]any{
		{"label": "杭州仓", "recipient": "淘宝售后", "phone": "0571-11112222", "address": "浙江省杭州市西湖区文三路1号"}}}
	if r := h.as("boss", "PUT", "/api/v1/shops/1", a); r.status != 200 {
		t.Fatalf("update shop A: %d %s", r.status, r.raw)
	}
	r := h.as("boss", "POST", "/api/v1/shops", shopB())
	if r.status != 201 {
		t.Fatalf("create shop B: %d %s", r.status, r.raw)
	}
	b := r.body["id"]

	toReturnStep := func(shopID any, order, sku string) float64 {
		t.Helper()
		body := newCaseBody()
		body["order_no"], body["sku"], body["emotion"], body["level"], body["type"] = order, sku, "calm", 2, "personal.dislike"
		body["shop_id"] = shopID
		delete(body, "platform")
		r := h.as("lead", "POST", "/api/v1/cases", body)
		if r.status != 201 {
			t.Fatalf("case: %d %s", r.status, r.raw)
		}
		id := r.body["id"].(float64)
		if r := uploadTo(h.harness, store.RoleSupervisor, fmt.Sprintf("/api/v1/cases/%v/evidence", id), "contents.png", append(pngBytes(), order...), "kind", "contents"); r.status != 201 {
			t.Fatalf("photo: %d %s", r.status, r.raw)
		}
		for _, ev := range []struct {
			typ     string
			payload map[string]any
		}{
			{"retention.offered", map[string]any{"kind": "compensation", "amount": 10}},
			{"fact.recorded", fact("retention_result", "not_kept")},
			{"fact.recorded", fact("item_state", "new")},
		} {
			if r := h.as("lead", "POST", fmt.Sprintf("/api/v1/cases/%v/events", id), map[string]any{"type": ev.typ, "payload": ev.payload}); r.status != 200 {
				t.Fatalf("%s: %d %s", ev.typ, r.status, r.raw)
			}
		}
		return id
	}
	tests := []struct {
		name    string
		shop    any
		order   string
		sku     string
		address string
	}{
		{"shop B's 冲牙器 go to its 冲牙器 warehouse", b, "JD0001", "冲牙器 X1", "冲牙器售后 0755-26668888 广东省深圳市宝安区福永街道8栋"},
		{"shop B's other products go to its default warehouse", b, "JD0002", "茶具套装", "售后部 0571-88886666 浙江省杭州市余杭区仓前街道1号 环球仓"},
		{"shop A's products go to shop A's warehouse", 1, "TB0001", "冲牙器 X1", "淘宝售后 0571-11112222 浙江省杭州市西湖区文三路1号"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := toReturnStep(tt.shop, tt.order, tt.sku)
			r := h.as("lead", "GET", fmt.Sprintf("/api/v1/cases/%v/scripts", id), nil)
			if r.status != 200 || r.body["stage"] != "execute" {
				t.Fatalf("scripts of the return step: %d %s", r.status, r.raw)
			}
			var filled string
			for _, s := range r.body["scripts"].([]any) {
				if s := s.(map[string]any); s["id"] == "return-address-01" {
					filled, _ = s["filled"].(string)
				}
			}
			if !strings.Contains(filled, "请寄回："+tt.address+"，") {
				t.Fatalf("the return step offers no return address %q: %s", tt.address, r.raw)
			}
			r = h.as("lead", "POST", fmt.Sprintf("/api/v1/cases/%v/reply", id), map[string]any{"script_ids": []string{"return-address-01"}})
			if r.status != 200 || r.body["text"] != filled {
				t.Fatalf("reply: %d %s, want %q", r.status, r.raw, filled)
			}
		})
	}
}

// TestAnAgentWhoServesOneShopOfSeveralOpensCasesThereWithoutNamingIt: shop_id may be
// left out by an agent who serves exactly one shop; whoever may choose among several
// (a supervisor, an agent serving two) still names it.
func TestAnAgentWhoServesOneShopOfSeveralOpensCasesThereWithoutNamingIt(t *testing.T) {
	h := newClockHarness(t, true)
	h.addUser("boss", store.RoleAdmin)
	h.addUser("lead", store.RoleSupervisor)
	h.addUser("ben", store.RoleAgent)
	h.addUser("cat", store.RoleAgent)
	r := h.as("boss", "POST", "/api/v1/shops", shopB())
	if r.status != 201 {
		t.Fatalf("create shop B: %d %s", r.status, r.raw)
	}
	b := r.body["id"]
	for name, shops := range map[string][]any{"ben": {b}, "cat": {1, b}} {
		if r := h.as("boss", "PUT", "/api/v1/agents/"+name, map[string]any{"shops": shops, "status": "online"}); r.status != 200 {
			t.Fatalf("profile %s: %d %s", name, r.status, r.raw)
		}
	}
	tests := []struct {
		who    string
		status int
		shop   any
	}{
		{"ben", 201, b},
		{"cat", 422, nil},
		{"lead", 422, nil},
	}
	for i, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			r := h.shopCase(tt.who, nil, fmt.Sprintf("JD1000%d", i), "冲牙器 X1")
			if r.status != tt.status {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			if tt.status == 201 && (r.body["shop_id"] != tt.shop || r.body["platform"] != "jd") {
				t.Fatalf("the case went to shop %v (%v)", r.body["shop_id"], r.body["platform"])
			}
			if tt.status == 422 && r.body["field"] != "shop_id" {
				t.Fatalf("refused on %v: %s", r.body["field"], r.raw)
			}
		})
	}
}
