package api

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/store"
)

func tinyPNG(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{shade, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// receipt posts a warehouse receipt as multipart form, with photos.
func (h *harness) receipt(role store.Role, fields map[string]string, photos ...[]byte) reply {
	h.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	for i, p := range photos {
		f, _ := w.CreateFormFile("photo", fmt.Sprintf("验货%d.png", i+1))
		_, _ = f.Write(p)
	}
	_ = w.Close()
	req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/warehouse/receipts", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+h.tokens[role])
	return h.send(req)
}

// exchangeAwaiting is a case whose exchange waits for the customer's parcel number.
func (h *harness) exchangeAwaiting(number string) (int64, float64) {
	h.t.Helper()
	id := h.createCase()
	r := h.event(store.RoleAgent, id, "solution.accepted", map[string]any{"kind": "exchange"})
	ex := r.body["executions"].([]any)[0].(map[string]any)
	sid := ex["id"].(float64)
	if number != "" {
		if r := h.transition(id, sid, map[string]any{"from": "awaiting_return", "to": "awaiting_return", "return_courier": "中通", "return_tracking_no": number}); r.status != 200 {
			h.t.Fatalf("return number: %d %s", r.status, r.raw)
		}
	}
	return id, sid
}

func (h *harness) executionState(id int64) string {
	h.t.Helper()
	c := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil)
	return fmt.Sprint(c.body["executions"].([]any)[0].(map[string]any)["state"])
}

func TestTheWarehouseFindsTheCaseByItsReturnNumberAndAGoodInspectionLetsTheExchangeGoOn(t *testing.T) {
	h := newHarness(t)
	id, _ := h.exchangeAwaiting("ZT7351200001")
	r := h.do(store.RoleWarehouse, "GET", "/api/v1/warehouse/parcels?number=zt7351200001", nil)
	found, _ := r.body["cases"].([]any)
	if r.status != 200 || len(found) != 1 {
		t.Fatalf("find: %d %s", r.status, r.raw)
	}
	m := found[0].(map[string]any)
	if int64(m["case_id"].(float64)) != id || m["awaiting"] != true || m["role_label"] != "顾客退货" || m["customer_phone"] != nil {
		t.Fatalf("match: %v", m)
	}
	r = h.receipt(store.RoleWarehouse, map[string]string{"number": "ZT7351200001", "case_id": fmt.Sprint(id), "items": "茶杯\n茶壶", "good": "2", "bad": "0"})
	if r.status != http.StatusCreated {
		t.Fatalf("receipt: %d %s", r.status, r.raw)
	}
	if s := h.executionState(id); s != "received" {
		t.Fatalf("a good inspection left the exchange in %s", s)
	}
	again := h.receipt(store.RoleWarehouse, map[string]string{"number": "ZT7351200001", "case_id": fmt.Sprint(id), "good": "2"})
	if again.status != 422 || again.body["code"] != "parcel_received" {
		t.Fatalf("the same parcel received twice: %d %s", again.status, again.raw)
	}
	if r := h.do(store.RoleWarehouse, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil); r.status != http.StatusForbidden {
		t.Fatalf("the warehouse read a case: %d", r.status)
	}
}

func TestABadItemAtTheWarehouseReopensTheDecisionAndNotifiesTheAgent(t *testing.T) {
	h := newHarness(t)
	id, _ := h.exchangeAwaiting("ZT7351200002")
	r := h.receipt(store.RoleWarehouse, map[string]string{"number": "ZT7351200002", "case_id": fmt.Sprint(id), "good": "2", "bad": "1", "remark": "一只杯子有裂纹"}, tinyPNG(t, 1))
	if r.status != http.StatusCreated {
		t.Fatalf("receipt: %d %s", r.status, r.raw)
	}
	if s := h.executionState(id); s != "reopened" {
		t.Fatalf("a bad item left the exchange in %s", s)
	}
	ev := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/events", id), nil)
	var receipt, notice map[string]any
	for _, e := range ev.body["events"].([]any) {
		e := e.(map[string]any)
		switch e["type"] {
		case "parcel.received":
			receipt = e["payload"].(map[string]any)
		case "notification":
			notice = e["payload"].(map[string]any)
		}
	}
	if receipt == nil || receipt["good"] != 2.0 || receipt["bad"] != 1.0 || len(receipt["photos"].([]any)) != 1 {
		t.Fatalf("receipt event: %v", receipt)
	}
	if notice == nil || notice["kind"] != "warehouse" {
		t.Fatalf("the agent was not told: %v", notice)
	}
}

func TestBadReceiptsAre422WithTheFieldAndRecordNothing(t *testing.T) {
	h := newHarness(t)
	id, _ := h.exchangeAwaiting("ZT7351200003")
	tests := []struct {
		name   string
		fields map[string]string
		photos int
		field  string
		// message, when given, is the refusal's exact wording
		message string
	}{
		{"no number", map[string]string{"case_id": fmt.Sprint(id), "good": "1"}, 0, "number", ""},
		{"a number too short", map[string]string{"number": "ZT1", "case_id": fmt.Sprint(id), "good": "1"}, 0, "number", ""},
		{"no counts", map[string]string{"number": "ZT7351200003", "case_id": fmt.Sprint(id)}, 0, "good", ""},
		{"a count that is not a number", map[string]string{"number": "ZT7351200003", "case_id": fmt.Sprint(id), "good": "两"}, 0, "good", "良品数量须为0或正整数"},
		{"a negative count says what a count may be", map[string]string{"number": "ZT7351200003", "case_id": fmt.Sprint(id), "good": "-1"}, 0, "good", "良品数量须为0或正整数"},
		{"a negative bad count says what a count may be", map[string]string{"number": "ZT7351200003", "case_id": fmt.Sprint(id), "good": "1", "bad": "-1"}, 0, "bad", "不良品数量须为0或正整数"},
		{"a fractional count", map[string]string{"number": "ZT7351200003", "case_id": fmt.Sprint(id), "good": "1.5"}, 0, "good", "良品数量须为0或正整数"},
		{"a negative case number", map[string]string{"number": "ZT7351200003", "case_id": "-3", "good": "1"}, 0, "case_id", "工单号须为正整数"},
		{"a bad item without a photo", map[string]string{"number": "ZT7351200003", "case_id": fmt.Sprint(id), "bad": "1", "remark": "破了"}, 0, "photos", ""},
		{"a bad item without a remark", map[string]string{"number": "ZT7351200003", "case_id": fmt.Sprint(id), "bad": "1"}, 1, "remark", ""},
		{"a number of another case", map[string]string{"number": "ZT9999999999", "case_id": fmt.Sprint(id), "good": "1"}, 0, "number", ""},
		{"an unknown parcel without counts", map[string]string{"number": "ZT9999999999"}, 0, "good", ""},
		{"a mistyped field", map[string]string{"number": "ZT7351200003", "case_id": fmt.Sprint(id), "good": "1", "god": "2"}, 0, "god", ""},
	}
	before := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil).body["version"]
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var photos [][]byte
			for i := range tt.photos {
				photos = append(photos, tinyPNG(t, uint8(i+50)))
			}
			r := h.receipt(store.RoleWarehouse, tt.fields, photos...)
			if r.status != 422 || r.body["field"] != tt.field || (tt.message != "" && r.body["message"] != tt.message) {
				t.Fatalf("%d %s; want 422 on %s %s", r.status, r.raw, tt.field, tt.message)
			}
		})
	}
	if after := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil).body["version"]; after != before {
		t.Fatalf("refused receipts changed the case: version %v → %v", before, after)
	}
	if list := h.do(store.RoleAgent, "GET", "/api/v1/warehouse/unknown", nil); len(list.body["parcels"].([]any)) != 0 {
		t.Fatalf("refused receipts left unknown parcels: %s", list.raw)
	}
	if s := h.executionState(id); s != "awaiting_return" {
		t.Fatalf("refused receipts moved the exchange to %s", s)
	}
}

func TestAnUnknownParcelIsListedAndAnAgentClaimsItOntoACaseOnce(t *testing.T) {
	h := newHarness(t)
	if r := h.do(store.RoleWarehouse, "GET", "/api/v1/warehouse/parcels?number=YT5550000001", nil); r.status != 200 || len(r.body["cases"].([]any)) != 0 {
		t.Fatalf("find an unknown number: %d %s", r.status, r.raw)
	}
	r := h.receipt(store.RoleWarehouse, map[string]string{"number": "YT5550000001", "items": "茶具套装", "good": "1", "remark": "包裹上无订单信息"}, tinyPNG(t, 9))
	if r.status != http.StatusCreated || r.body["unknown_parcel"] == nil {
		t.Fatalf("record unknown: %d %s", r.status, r.raw)
	}
	list := h.do(store.RoleAgent, "GET", "/api/v1/warehouse/unknown", nil)
	parcels := list.body["parcels"].([]any)
	if list.status != 200 || len(parcels) != 1 {
		t.Fatalf("unknown list: %d %s", list.status, list.raw)
	}
	p := parcels[0].(map[string]any)
	if p["number"] != "YT5550000001" || p["received_by"] != "warehouse1" || len(p["photos"].([]any)) != 1 {
		t.Fatalf("unknown parcel: %v", p)
	}
	pid := int64(p["id"].(float64))
	hash := fmt.Sprint(p["photos"].([]any)[0].(map[string]any)["hash"])
	if r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/warehouse/unknown/%d/photos/%s", pid, hash), nil); r.status != 200 || !bytes.HasPrefix(r.raw, []byte("\x89PNG")) {
		t.Fatalf("the parcel's photo: %d", r.status)
	}
	if r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/warehouse/unknown/%d/photos/%s", pid, strings.Repeat("0", 64)), nil); r.status != 404 {
		t.Fatalf("a photo the parcel does not have: %d", r.status)
	}
	id, _ := h.exchangeAwaiting("") // the customer never gave the number
	claim := fmt.Sprintf("/api/v1/warehouse/unknown/%d/claim", pid)
	if r := h.do(store.RoleWarehouse, "POST", claim, map[string]any{"case_id": id}); r.status != http.StatusForbidden {
		t.Fatalf("the warehouse claimed a parcel: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAgent, "POST", claim, map[string]any{}); r.status != 422 || r.body["field"] != "case_id" {
		t.Fatalf("claim without a case: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAgent, "POST", claim, map[string]any{"case_id": id}); r.status != 200 {
		t.Fatalf("claim: %d %s", r.status, r.raw)
	}
	if s := h.executionState(id); s != "received" {
		t.Fatalf("the claimed parcel's inspection left the exchange in %s", s)
	}
	c := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil)
	if ex := c.body["executions"].([]any)[0].(map[string]any); ex["return_tracking_no"] != "YT5550000001" {
		t.Fatalf("the claimed number is not the exchange's return number: %v", ex["return_tracking_no"])
	}
	other, _ := h.exchangeAwaiting("")
	if r := h.do(store.RoleAgent, "POST", claim, map[string]any{"case_id": other}); r.status != 422 || r.body["code"] != "parcel_claimed" {
		t.Fatalf("a second claim: %d %s", r.status, r.raw)
	}
	if list := h.do(store.RoleAgent, "GET", "/api/v1/warehouse/unknown", nil); len(list.body["parcels"].([]any)) != 0 {
		t.Fatalf("a claimed parcel is still unknown: %s", list.raw)
	}
	if r := h.do(store.RoleAgent, "POST", "/api/v1/warehouse/unknown/99999/claim", map[string]any{"case_id": id}); r.status != 404 {
		t.Fatalf("claim a missing parcel: %d %s", r.status, r.raw)
	}
}

func TestAnAgentCannotClaimAParcelOntoACaseOfAShopTheyDoNotServe(t *testing.T) {
	h := newHarness(t)
	other := h.createCase() // shop #1
	if r := h.do(store.RoleAdmin, "POST", "/api/v1/shops", `{"code":"jd-main","platform":"jd","name":"小熊京东店"}`); r.status != 201 {
		t.Fatalf("create shop: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAdmin, "PUT", "/api/v1/agents/agent1", map[string]any{"shops": []int{2}}); r.status != 200 {
		t.Fatalf("agent1 serves shop 2: %d %s", r.status, r.raw)
	}
	r := h.receipt(store.RoleWarehouse, map[string]string{"number": "YT5550000002", "items": "茶具套装", "good": "1"})
	if r.status != http.StatusCreated {
		t.Fatalf("record unknown: %d %s", r.status, r.raw)
	}
	pid := r.body["unknown_parcel"].(map[string]any)["id"]
	claim := fmt.Sprintf("/api/v1/warehouse/unknown/%v/claim", pid)
	if r := h.do(store.RoleAgent, "POST", claim, map[string]any{"case_id": other}); r.status != 404 {
		t.Fatalf("agent1 claimed a parcel onto another shop's case: %d %s", r.status, r.raw)
	}
	if list := h.do(store.RoleAgent, "GET", "/api/v1/warehouse/unknown", nil); len(list.body["parcels"].([]any)) != 1 {
		t.Fatalf("the refused claim took the parcel: %s", list.raw)
	}
	for _, ev := range h.do(store.RoleAdmin, "GET", fmt.Sprintf("/api/v1/cases/%d/events", other), nil).body["events"].([]any) {
		if typ := ev.(map[string]any)["type"]; strings.HasPrefix(fmt.Sprint(typ), "parcel.") {
			t.Fatalf("the refused claim wrote %v on the case", typ)
		}
	}
	if r := h.do(store.RoleSupervisor, "POST", claim, map[string]any{"case_id": other}); r.status != 200 {
		t.Fatalf("a supervisor claims it: %d %s", r.status, r.raw)
	}
}
