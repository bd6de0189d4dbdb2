package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/register"
	"github.com/shouhou/shouhou/internal/store"
)

// fixture reads an export under internal/platform/testdata.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "platform", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// withCell rewrites one cell of an export (row 1 = the header) in its own format, as
// the back office would show the record after it moved on.
func withCell(t *testing.T, name string, raw []byte, row int, header, value string) []byte {
	t.Helper()
	table, err := register.ReadTable(bytes.NewReader(raw), name)
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range table[0] {
		if strings.TrimPrefix(h, "\uFEFF") == header {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%s has no column %s", name, header)
	}
	if strings.HasSuffix(name, ".xlsx") {
		book, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		cell, _ := excelize.CoordinatesToCellName(col+1, row)
		book.SetCellValue(book.GetSheetName(0), cell, value)
		buf, err := book.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	table[row-1][col] = value
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	w.WriteAll(table)
	return out.Bytes()
}

func (h *harness) importAfterSales(role store.Role, name string, raw []byte, fields map[string]string) reply {
	h.t.Helper()
	body, ct := importBody(name, string(raw), fields)
	return h.do(role, "POST", "/api/v1/import/aftersales", body, "Content-Type", ct)
}

// platformEvents lists the platform.* events of a case.
func (h *harness) platformEvents(caseID int64) []map[string]any {
	h.t.Helper()
	r := h.do(store.RoleAdmin, "GET", fmt.Sprintf("/api/v1/cases/%d/events", caseID), nil)
	var out []map[string]any
	for _, e := range r.body["events"].([]any) {
		ev := e.(map[string]any)
		if strings.HasPrefix(ev["type"].(string), "platform.") {
			out = append(out, ev)
		}
	}
	return out
}

func (h *harness) caseIDs() []int64 {
	h.t.Helper()
	r := h.do(store.RoleAdmin, "GET", "/api/v1/cases?limit=100", nil)
	var ids []int64
	for _, c := range r.body["cases"].([]any) {
		ids = append(ids, int64(c.(map[string]any)["id"].(float64)))
	}
	return ids
}

func (h *harness) caseByAfterSale(id string) map[string]any {
	h.t.Helper()
	for _, cid := range h.caseIDs() {
		r := h.do(store.RoleAdmin, "GET", fmt.Sprintf("/api/v1/cases/%d", cid), nil)
		c := r.body
		if as, ok := c["after_sale"].(map[string]any); ok && as["id"] == id {
			return c
		}
	}
	h.t.Fatalf("no case holds after-sale %s", id)
	return nil
}

func TestEachPlatformsExportImportsCreatesOnceAndUpdatesStatusesOnReimport(t *testing.T) {
	tests := []struct {
		file, source, platform string
		// the record whose status the back office moves on, and to what
		row                  int
		column, value, id    string
		fromStatus, toStatus string
		wantStatusLabel      string
	}{
		{"qianniu_refunds.csv", "qianniu", "", 2, "退款状态", "卖家已经同意退款，等待买家退货", "203984710293847561", "requested", "awaiting_return", "卖家已经同意退款，等待买家退货"},
		{"jingmai_services.xlsx", "jingmai", "", 2, "服务单状态", "待收货", "1893847561", "requested", "awaiting_return", "待收货"},
		{"doudian_aftersales.csv", "doudian", "", 2, "售后状态", "待买家退货", "7311829300192837465", "requested", "awaiting_return", "待买家退货"},
		{"pinduoduo_aftersales.xlsx", "pinduoduo", "", 2, "售后状态", "退款成功", "8812093847", "requested", "refunded", "退款成功"},
		{"jushuitan_aftersales.csv", "jushuitan", "", 2, "线上状态", "SUCCESS", "203984710293847599", "requested", "refunded", "退款成功"},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			h := newHarness(t)
			raw := fixture(t, tt.file)
			fields := map[string]string{"source": tt.source, "shop": "main"}
			dry := map[string]string{"source": tt.source, "shop": "main", "dry_run": "true"}
			// A file with one bad row (its status unknown to the platform) imports nothing
			// and names the row and the back office's own column.
			bad := withCell(t, tt.file, raw, 3, tt.column, "状态不明")
			if r := h.importAfterSales(store.RoleSupervisor, tt.file, bad, fields); r.status != 422 ||
				fmt.Sprint(r.body["problems"]) != fmt.Sprintf("[map[column:%s reason:%s row:3]]", tt.column, badStatusReason(tt.source)) || len(h.caseIDs()) != 0 {
				t.Fatalf("bad file: %d %s, %d cases", r.status, r.raw, len(h.caseIDs()))
			}
			if r := h.importAfterSales(store.RoleSupervisor, tt.file, raw, dry); r.status != 200 || r.body["created"] != 3.0 || len(h.caseIDs()) != 0 {
				t.Fatalf("dry run: %d %s, %d cases", r.status, r.raw, len(h.caseIDs()))
			}
			if r := h.importAfterSales(store.RoleSupervisor, tt.file, raw, fields); r.status != 200 || r.body["created"] != 3.0 {
				t.Fatalf("first import: %d %s", r.status, r.raw)
			}
			c := h.caseByAfterSale(tt.id)
			as := c["after_sale"].(map[string]any)
			if as["status"] != tt.fromStatus || as["shop"] != "main" {
				t.Fatalf("imported record %v", as)
			}
			if r := h.importAfterSales(store.RoleSupervisor, tt.file, raw, fields); r.status != 200 || r.body["created"] != 0.0 || r.body["unchanged"] != 3.0 {
				t.Fatalf("same file again: %d %s", r.status, r.raw)
			}
			later := withCell(t, tt.file, raw, tt.row, tt.column, tt.value)
			if r := h.importAfterSales(store.RoleSupervisor, tt.file, later, fields); r.status != 200 || r.body["updated"] != 1.0 || r.body["unchanged"] != 2.0 || r.body["created"] != 0.0 {
				t.Fatalf("after the status moved: %d %s", r.status, r.raw)
			}
			h.importAfterSales(store.RoleSupervisor, tt.file, later, fields)
			if n := len(h.caseIDs()); n != 3 {
				t.Fatalf("%d cases after four imports; want 3", n)
			}
			evs := h.platformEvents(int64(c["id"].(float64)))
			if len(evs) != 2 || evs[1]["type"] != "platform.status_changed" {
				t.Fatalf("platform events %v; want the opening one and one change", evs)
			}
			p := evs[1]["payload"].(map[string]any)
			if rec := p["record"].(map[string]any); rec["status"] != tt.toStatus || rec["status_label"] != tt.wantStatusLabel || p["from_status"] != tt.fromStatus {
				t.Fatalf("change %v", p)
			}
		})
	}
}

func TestAfterSaleImportListsEveryBadRowWithRowColumnAndReasonAndWritesNothing(t *testing.T) {
	h := newHarness(t)
	raw := fixture(t, "qianniu_refunds.csv")
	raw = withCell(t, "q.csv", raw, 2, "退款状态", "等待外星人处理")
	raw = withCell(t, "q.csv", raw, 3, "退款金额", "三百")
	raw = withCell(t, "q.csv", raw, 3, "申请时间", "昨天")
	raw = withCell(t, "q.csv", raw, 4, "退款编号", "203984710293847562")
	raw = withCell(t, "q.csv", raw, 4, "买家会员名", "")
	for _, dry := range []string{"true", ""} {
		r := h.importAfterSales(store.RoleSupervisor, "q.csv", raw, map[string]string{"source": "qianniu", "dry_run": dry})
		if r.status != 422 || r.body["code"] != "import_invalid" {
			t.Fatalf("bad file: %d %s", r.status, r.raw)
		}
		var got []string
		for _, p := range r.body["problems"].([]any) {
			m := p.(map[string]any)
			got = append(got, fmt.Sprintf("%v|%v", m["row"], m["column"]))
		}
		if strings.Join(got, " ") != "2|退款状态 3|退款金额 3|申请时间 4|买家会员名" {
			t.Fatalf("problems %s", r.raw)
		}
		if !strings.Contains(string(r.raw), `淘宝/天猫没有售后状态 \"等待外星人处理\"`) || !strings.Contains(string(r.raw), "金额须为元") {
			t.Fatalf("reasons %s", r.raw)
		}
	}
	if n := len(h.caseIDs()); n != 0 {
		t.Fatalf("a bad file wrote %d cases", n)
	}
	// A duplicate row is named on its second row.
	dup := withCell(t, "q.csv", fixture(t, "qianniu_refunds.csv"), 3, "退款编号", "203984710293847561")
	if r := h.importAfterSales(store.RoleSupervisor, "q.csv", dup, map[string]string{"source": "qianniu"}); r.status != 422 || !strings.Contains(string(r.raw), "与第2行是同一售后单") {
		t.Fatalf("duplicate: %d %s", r.status, r.raw)
	}
	for _, tt := range []struct{ field, value, want string }{
		{"source", "taobao-excel", "未知的导出来源"}, {"map", "退款号", "列映射"}, {"platform", "ebay", "未知的平台"},
	} {
		f := map[string]string{"source": "qianniu", tt.field: tt.value}
		if r := h.importAfterSales(store.RoleSupervisor, "q.csv", fixture(t, "qianniu_refunds.csv"), f); r.status != 422 || r.body["field"] != tt.field || !strings.Contains(fmt.Sprint(r.body["message"]), tt.want) {
			t.Errorf("%s=%s: %d %s", tt.field, tt.value, r.status, r.raw)
		}
	}
	// A mapping names a column the source does not know.
	renamed := bytes.Replace(fixture(t, "qianniu_refunds.csv"), []byte("退款编号"), []byte("退款单号"), 1)
	if r := h.importAfterSales(store.RoleSupervisor, "q.csv", renamed, map[string]string{"source": "qianniu"}); r.status != 422 || !strings.Contains(string(r.raw), "缺少必填列") {
		t.Fatalf("renamed column: %d %s", r.status, r.raw)
	}
	if r := h.importAfterSales(store.RoleSupervisor, "q.csv", renamed, map[string]string{"source": "qianniu", "map": "退款单号=aftersale_id"}); r.status != 200 || r.body["created"] != 3.0 {
		t.Fatalf("with --map: %d %s", r.status, r.raw)
	}
	if r := h.importAfterSales(store.RoleAgent, "q.csv", renamed, map[string]string{"source": "qianniu"}); r.status != 403 {
		t.Fatalf("an agent imports: %d", r.status)
	}
}

// intakeToken makes an API token with the intake scope for role's user.
func (h *harness) intakeToken(role store.Role) string {
	h.t.Helper()
	u, err := h.auth.UserByName(context.Background(), string(role)+"1")
	if err != nil {
		h.t.Fatal(err)
	}
	secret, _, err := h.auth.CreateScopedToken(context.Background(), u.ID, "ERP", []string{store.ScopeIntake})
	if err != nil {
		h.t.Fatal(err)
	}
	return secret
}

func (h *harness) intake(token string, body any) reply {
	h.t.Helper()
	saved := h.tokens[store.RoleAgent]
	defer func() { h.tokens[store.RoleAgent] = saved }()
	h.tokens[store.RoleAgent] = token
	return h.do(store.RoleAgent, "POST", "/api/v1/intake/aftersales", body)
}

// flagship makes the business's one shop the Tmall flagship store the batch names
// (its other records name no shop: the only shop).
func (h *harness) flagship() {
	h.t.Helper()
	ctx := context.Background()
	sh, err := h.store.Shop(ctx, 1)
	if err != nil {
		h.t.Fatal(err)
	}
	sh.Code, sh.Platform, sh.Name = "tm-flagship", cases.PlatformTmall, "小熊天猫旗舰店"
	if err := h.store.UpdateShop(ctx, sh); err != nil {
		h.t.Fatal(err)
	}
}

const intakeBatch = `{"items":[
 {"platform":"tmall","shop":"tm-flagship","aftersale_id":"203984710293840001","order_no":"3901827364519280001","type":"REFUND","status":"WAIT_SELLER_AGREE","refund_amount":"129.00","applied_at":"2026-11-30T02:00:00Z","buyer_nick":"tm_小周","reason":"商品破损"},
 {"platform":"jd","aftersale_id":"1893840001","order_no":"302918370001","type":"10","status":"10001","refund_amount":"699.00","buyer_nick":"jd_李","reason":"质量问题"},
 {"platform":"douyin","aftersale_id":"7311829300190001","order_no":"4928371029380001","type":"0","status":"6","intervention":"0","refund_amount":"259.00","deadline":"2026-12-02T06:00:00Z","buyer_nick":"抖音用户1"},
 {"platform":"pinduoduo","aftersale_id":"8812090001","order_no":"241130-5839201746350001","type":"2","status":"2","refund_amount":"39.90","buyer_nick":"拼友1"},
 {"platform":"jd","aftersale_id":"1893840002","order_no":"302918370002","type":"10","status":"待外星人审核","buyer_nick":""}
]}`

func TestIntakeAPIUpsertsABatchIdempotentlyWithAnIntakeScopedToken(t *testing.T) {
	h := newHarness(t)
	h.flagship()
	token := h.intakeToken(store.RoleAgent)
	r := h.intake(token, intakeBatch)
	if r.status != 200 || r.body["created"] != 4.0 || r.body["errors"] != 1.0 {
		t.Fatalf("first batch: %d %s", r.status, r.raw)
	}
	items := r.body["items"].([]any)
	bad := items[4].(map[string]any)
	if bad["result"] != "error" || !strings.Contains(fmt.Sprint(bad["errors"]), "field:status") || !strings.Contains(fmt.Sprint(bad["errors"]), "field:buyer_nick") {
		t.Fatalf("bad item %v", bad)
	}
	// The same batch again changes nothing; a moved status is one update and one event.
	if r := h.intake(token, intakeBatch); r.body["created"] != 0.0 || r.body["unchanged"] != 4.0 {
		t.Fatalf("same batch again: %s", r.raw)
	}
	moved := strings.Replace(intakeBatch, `"status":"10001"`, `"status":"10005"`, 1)
	r = h.intake(token, moved)
	if r.body["updated"] != 1.0 || r.body["unchanged"] != 3.0 {
		t.Fatalf("moved: %s", r.raw)
	}
	jd := items[1].(map[string]any)
	if n := len(h.platformEvents(int64(jd["case_id"].(float64)))); n != 2 {
		t.Fatalf("%d platform events on the JD case; want 2", n)
	}
	if n := len(h.caseIDs()); n != 4 {
		t.Fatalf("%d cases; want 4", n)
	}
	// An agent's integration token does not make the agent the assignee.
	c := h.caseByAfterSale("203984710293840001")
	if c["assignee"] != nil && c["assignee"] != "" {
		t.Fatalf("intake assigned the case to %v", c["assignee"])
	}
	if c["platform"] != "tmall" || c["after_sale"].(map[string]any)["shop"] != "tm-flagship" {
		t.Fatalf("case %v", c)
	}
	// The API's guide says what the platform expects, by the platform's own deadline.
	dy := items[2].(map[string]any)
	g := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%v/guide", dy["case_id"]), nil)
	if !strings.Contains(string(g.raw), "抖音售后单 7311829300190001(退货退款):待商家同意,无仲裁。卖家需在12月2日 14:00前处理售后申请") {
		t.Fatalf("guide %s", g.raw)
	}
}

func TestIntakeRefusesTokensWithoutTheIntakeScopeAndScopedTokensElsewhere(t *testing.T) {
	h := newHarness(t)
	h.flagship()
	for _, role := range []store.Role{store.RoleAgent, store.RoleSupervisor, store.RoleAdmin} {
		r := h.do(role, "POST", "/api/v1/intake/aftersales", intakeBatch)
		if r.status != 403 || r.body["code"] != "scope_required" || !strings.Contains(fmt.Sprint(r.body["message"]), "intake") {
			t.Errorf("a full-access %s token on intake: %d %s", role, r.status, r.raw)
		}
	}
	if n := len(h.caseIDs()); n != 0 {
		t.Fatalf("a refused intake wrote %d cases", n)
	}
	token := h.intakeToken(store.RoleAdmin)
	saved := h.tokens[store.RoleAdmin]
	h.tokens[store.RoleAdmin] = token
	for _, path := range []string{"/api/v1/cases", "/api/v1/me", "/api/v1/users"} {
		if r := h.do(store.RoleAdmin, "GET", path, nil); r.status != 403 || r.body["code"] != "token_scope" {
			t.Errorf("an intake token on %s: %d %s", path, r.status, r.raw)
		}
	}
	h.tokens[store.RoleAdmin] = saved
	// Tokens are made with a scope through the API; an unknown scope is refused.
	r := h.do(store.RoleSupervisor, "POST", "/api/v1/tokens", `{"name":"聚水潭","scopes":["intake"]}`)
	if r.status != 201 || fmt.Sprint(r.body["token"].(map[string]any)["scopes"]) != "[intake]" {
		t.Fatalf("create scoped token: %d %s", r.status, r.raw)
	}
	if r := h.intake(r.body["secret"].(string), intakeBatch); r.status != 200 || r.body["created"] != 4.0 {
		t.Fatalf("the new token: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleSupervisor, "POST", "/api/v1/tokens", `{"name":"x","scopes":["everything"]}`); r.status != 422 || r.body["field"] != "scopes" {
		t.Fatalf("unknown scope: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleSupervisor, "GET", "/api/v1/tokens", nil); !strings.Contains(string(r.raw), `"scopes":[]`) {
		t.Fatalf("a full-access token lists no scopes: %s", r.raw)
	}
	_ = auth.ErrUnauthenticated
}

func TestConcurrentIntakesOfOneBatchCreateEachRecordOnce(t *testing.T) {
	h := newHarness(t)
	h.flagship()
	token := h.intakeToken(store.RoleAgent)
	type answer struct {
		status int
		body   map[string]any
	}
	answers := make(chan answer, 6)
	for range 6 {
		go func() {
			raw, _ := json.Marshal(json.RawMessage(intakeBatch))
			req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/intake/aftersales", bytes.NewReader(raw))
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				answers <- answer{status: 0}
				return
			}
			defer resp.Body.Close()
			var body map[string]any
			json.NewDecoder(resp.Body).Decode(&body)
			answers <- answer{resp.StatusCode, body}
		}()
	}
	created := 0.0
	for range 6 {
		a := <-answers
		if a.status != 200 || a.body["errors"] != 1.0 {
			t.Fatalf("answer %d %v", a.status, a.body)
		}
		created += a.body["created"].(float64)
	}
	if n := len(h.caseIDs()); created != 4 || n != 4 {
		t.Fatalf("%v created, %d cases; want 4 each", created, n)
	}
}

func TestTheGuideFlagsAnAgreedExchangeWhileThePlatformShowsARefundRequest(t *testing.T) {
	h := newHarness(t)
	token := h.intakeToken(store.RoleAgent)
	r := h.intake(token, `{"items":[{"platform":"taobao","aftersale_id":"203984710293841111","order_no":"3901827364519281111","type":"仅退款",
	  "status":"买家已经申请退款，等待卖家同意","refund_amount":"399.00","order_amount":"399.00","buyer_nick":"tb_小刘","reason":"商品破损","description":"外壳碎了"}]}`)
	if r.body["created"] != 1.0 {
		t.Fatalf("intake: %s", r.raw)
	}
	id := r.body["items"].([]any)[0].(map[string]any)["case_id"]
	path := fmt.Sprintf("/api/v1/cases/%v", id)
	if g := h.do(store.RoleAgent, "GET", path+"/guide", nil); strings.Contains(string(g.raw), "方案不一致") {
		t.Fatalf("a flag before any solution: %s", g.raw)
	}
	acc := h.do(store.RoleSupervisor, "POST", path+"/events", map[string]any{"type": "solution.accepted", "payload": map[string]any{"kind": "exchange"}})
	if acc.status >= 300 {
		t.Fatalf("accept exchange: %d %s", acc.status, acc.raw)
	}
	g := h.do(store.RoleAgent, "GET", path+"/guide", nil)
	if !strings.Contains(string(g.raw), "方案不一致:我方已与顾客约定「换货」,平台上却是仅退款申请(买家已经申请退款，等待卖家同意)") {
		t.Fatalf("guide %s", g.raw)
	}
}

func TestAPlatformRecordJoinsTheOpenCaseOfItsOrderInsteadOfOpeningASecond(t *testing.T) {
	h := newHarness(t)
	c := h.do(store.RoleAgent, "POST", "/api/v1/cases", map[string]any{"customer_name": "刘女士", "platform": "taobao", "order_no": "3901827364519282222",
		"type": "quality.damaged", "description": "收到时外壳碎了", "amount": "399.00"})
	if c.status != 201 {
		t.Fatalf("case: %d %s", c.status, c.raw)
	}
	token := h.intakeToken(store.RoleAgent)
	batch := `{"items":[{"platform":"taobao","aftersale_id":"203984710293842222","order_no":"3901827364519282222","type":"退货退款",
	  "status":"WAIT_SELLER_AGREE","refund_amount":"399.00","buyer_nick":"tb_刘女士","reason":"商品破损"}]}`
	r := h.intake(token, batch)
	item := r.body["items"].([]any)[0].(map[string]any)
	if item["result"] != "updated" || item["case_id"] != c.body["id"] {
		t.Fatalf("intake: %s; want the record on case %v", r.raw, c.body["id"])
	}
	if n := len(h.caseIDs()); n != 1 {
		t.Fatalf("%d cases; want 1", n)
	}
	if r := h.intake(token, batch); r.body["unchanged"] != 1.0 {
		t.Fatalf("again: %s", r.raw)
	}
	// A second record of the same order opens its own case: one record per case.
	second := strings.Replace(batch, "203984710293842222", "203984710293842223", 1)
	if r := h.intake(token, second); r.body["created"] != 1.0 {
		t.Fatalf("second record: %s", r.raw)
	}
}

func badStatusReason(source string) string {
	// the 聚水潭 file's row 3 is a 抖店 order
	name := map[string]string{"qianniu": "淘宝/天猫", "jingmai": "京东", "doudian": "抖音", "pinduoduo": "拼多多", "jushuitan": "抖音"}[source]
	return name + `没有售后状态 "状态不明"`
}

func TestIntakeRecordsBelongToTheShopTheirCodeNames(t *testing.T) {
	h := newHarness(t)
	h.flagship()
	if r := h.do(store.RoleAdmin, "POST", "/api/v1/shops", `{"code":"jd-main","platform":"jd","name":"小熊京东店"}`); r.status != 201 {
		t.Fatalf("create shop: %d %s", r.status, r.raw)
	}
	token := h.intakeToken(store.RoleAgent)
	r := h.intake(token, `{"items":[
 {"platform":"jd","shop":"jd-main","aftersale_id":"1893841001","order_no":"302918371001","type":"10","status":"10001","refund_amount":"699.00","buyer_nick":"jd_李","reason":"质量问题"},
 {"platform":"jd","aftersale_id":"1893841002","order_no":"302918371002","type":"10","status":"10001","buyer_nick":"jd_王"},
 {"platform":"jd","shop":"tm-flagship","aftersale_id":"1893841003","order_no":"302918371003","type":"10","status":"10001","buyer_nick":"jd_赵"},
 {"platform":"jd","shop":"jd-nope","aftersale_id":"1893841004","order_no":"302918371004","type":"10","status":"10001","buyer_nick":"jd_钱"}
]}`)
	if r.status != 200 || r.body["created"] != 1.0 || r.body["errors"] != 3.0 {
		t.Fatalf("batch: %d %s", r.status, r.raw)
	}
	items := r.body["items"].([]any)
	for i, want := range []string{"", "field:shop", "field:platform", "field:shop"} {
		if got := fmt.Sprint(items[i].(map[string]any)["errors"]); want != "" && !strings.Contains(got, want) {
			t.Errorf("item %d: %s; want %s", i, got, want)
		}
	}
	c := h.caseByAfterSale("1893841001")
	if c["shop_id"] != 2.0 {
		t.Fatalf("the JD record's case is in shop %v; want 2", c["shop_id"])
	}
	// The code now keys records: renaming it would cut them off.
	if r := h.do(store.RoleAdmin, "PUT", "/api/v1/shops/2", `{"code":"jd-2","platform":"jd","name":"小熊京东店"}`); r.status != 422 || r.body["field"] != "code" {
		t.Fatalf("rename a used code: %d %s", r.status, r.raw)
	}
}

func TestAMistypedImportFieldOrDryRunIsRefusedAndImportsNothing(t *testing.T) {
	h := newHarness(t)
	raw := fixture(t, "qianniu_refunds.csv")
	for _, tt := range []struct {
		name   string
		fields map[string]string
		field  string
	}{
		{"dry_run not a boolean", map[string]string{"source": "qianniu", "dry_run": "ture"}, "dry_run"},
		{"dry_run misspelled", map[string]string{"source": "qianniu", "dryrun": "true"}, "dryrun"},
		{"shop misspelled", map[string]string{"source": "qianniu", "shpo": "main"}, "shpo"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if r := h.importAfterSales(store.RoleSupervisor, "q.csv", raw, tt.fields); r.status != 422 || r.body["field"] != tt.field {
				t.Fatalf("want 422 field %s, got %d %s", tt.field, r.status, r.raw)
			}
			if ids := h.caseIDs(); len(ids) != 0 {
				t.Fatalf("a refused import wrote cases %v", ids)
			}
		})
	}
	reg, ct := importBody("old.csv", "平台,订单号,顾客,问题类型,问题描述\n天猫,TM40001,刘女士,破损,碎了\n", map[string]string{"dry_run": "yes"})
	if r := h.do(store.RoleSupervisor, "POST", "/api/v1/register/import", reg, "Content-Type", ct); r.status != 422 || r.body["field"] != "dry_run" {
		t.Fatalf("register import with dry_run=yes: %d %s", r.status, r.raw)
	}
	if ids := h.caseIDs(); len(ids) != 0 {
		t.Fatalf("a refused register import wrote cases %v", ids)
	}
	if r := h.importAfterSales(store.RoleSupervisor, "q.csv", raw, map[string]string{"source": "qianniu", "dry_run": "false"}); r.status != 200 || r.body["created"] != 3.0 {
		t.Fatalf("dry_run=false imports: %d %s", r.status, r.raw)
	}
}

func TestAnImportWithARowOfAnotherShopsPlatformListsEveryRefusedRowAndWritesNothing(t *testing.T) {
	h := newHarness(t)
	h.flagship()
	if r := h.do(store.RoleAdmin, "POST", "/api/v1/shops", `{"code":"jd-main","platform":"jd","name":"小熊京东店"}`); r.status != 201 {
		t.Fatalf("create shop: %d %s", r.status, r.raw)
	}
	// Row 2 is a good Tmall record; rows 3 and 4 name shops the desk refuses (a 抖店 order
	// in the JD shop, a shop that does not exist): checked only against the shops.
	file := "内部售后单号,线上售后单号,店铺,店铺站点,线上订单号,售后类型,线上状态,状态,买家账号,退款金额,登记时间,问题类型,备注\n" +
		"AS1,203984710293850001,tm-flagship,天猫,3901827364519850001,仅退款,WAIT_SELLER_AGREE,待确认,tm_张女士,68.00,2026-11-28 11:00:00,质量问题,加热不均匀\n" +
		"AS2,7311829300192850002,jd-main,抖店,4928371029384850002,普通退货,7,待确认,抖音用户1022,129.00,2026-11-28 12:30:00,七天无理由,\n" +
		"AS3,7311829300192850003,dy-nope,抖店,4928371029384850003,普通退货,7,待确认,抖音用户1023,129.00,2026-11-28 12:30:00,七天无理由,\n"
	for _, dry := range []string{"true", ""} {
		r := h.importAfterSales(store.RoleSupervisor, "j.csv", []byte(file), map[string]string{"source": "jushuitan", "map": "店铺=shop", "dry_run": dry})
		if r.status != 422 || r.body["code"] != "import_invalid" {
			t.Fatalf("dry_run=%q: %d %s", dry, r.status, r.raw)
		}
		if got := fmt.Sprint(r.body["problems"]); got != "[map[column:平台 reason:平台与店铺「小熊京东店」(京东)不符 row:3] map[column:店铺 reason:没有代码为「dy-nope」的店铺 row:4]]" {
			t.Errorf("dry_run=%q: problems %s", dry, got)
		}
		if ids := h.caseIDs(); len(ids) != 0 {
			t.Fatalf("dry_run=%q: a refused import wrote cases %v", dry, ids)
		}
	}
}

func TestAnERPsTypeWordsBecomeChineseOnTheCaseNeverACode(t *testing.T) {
	h := newHarness(t)
	if r := h.importAfterSales(store.RoleSupervisor, "j.csv", fixture(t, "jushuitan_aftersales.csv"), map[string]string{"source": "jushuitan"}); r.status != 200 || r.body["created"] != 3.0 {
		t.Fatalf("import: %d %s", r.status, r.raw)
	}
	code := regexp.MustCompile(`refund_only|return_refund|exchange|reship|repair|price_protect|other`)
	for id, want := range map[string]string{"203984710293847599": "仅退款", "7311829300192837499": "退货退款"} {
		c := h.caseByAfterSale(id)
		as := c["after_sale"].(map[string]any)
		if as["type_label"] != want || code.MatchString(fmt.Sprint(c["description"])) || !strings.Contains(fmt.Sprint(c["description"]), want) {
			t.Errorf("%s: type_label %v, description %q; want %s and no code", id, as["type_label"], c["description"], want)
		}
	}
}

func TestAnIntakeTokenOfAnAgentPushesRecordsOfTheShopsTheAgentServesOnly(t *testing.T) {
	h := newHarness(t)
	h.flagship()
	if r := h.do(store.RoleAdmin, "POST", "/api/v1/shops", `{"code":"jd-main","platform":"jd","name":"小熊京东店"}`); r.status != 201 {
		t.Fatalf("create shop: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAdmin, "PUT", "/api/v1/agents/agent1", map[string]any{"shops": []int{2}}); r.status != 200 {
		t.Fatalf("agent1 serves shop 2: %d %s", r.status, r.raw)
	}
	token := h.intakeToken(store.RoleAgent)
	r := h.intake(token, `{"items":[
 {"platform":"jd","shop":"jd-main","aftersale_id":"1893842001","order_no":"302918372001","type":"10","status":"10001","buyer_nick":"jd_李"},
 {"platform":"tmall","shop":"tm-flagship","aftersale_id":"203984710293842002","order_no":"3901827364519842002","type":"REFUND","status":"WAIT_SELLER_AGREE","buyer_nick":"tb_王"}
]}`)
	if r.status != 200 || r.body["created"] != 1.0 || r.body["errors"] != 1.0 {
		t.Fatalf("batch: %d %s", r.status, r.raw)
	}
	if got := fmt.Sprint(r.body["items"].([]any)[1].(map[string]any)["errors"]); !strings.Contains(got, "field:shop") || !strings.Contains(got, "小熊天猫旗舰店") {
		t.Fatalf("a record of a shop agent1 does not serve: %s", got)
	}
	if ids := h.caseIDs(); len(ids) != 1 {
		t.Fatalf("cases %v; want only the JD record's", ids)
	}
}

// TestAQianniuExportTakesItsTmallShopsPlatformAndAMismatchSaysWhichFieldFixesIt: 千牛
// serves Taobao and Tmall shops, so its export imported into a Tmall shop (named, or
// the only one) opens tmall cases, and importing it again with platform=tmall finds
// them; into a JD shop it is refused once, naming the fields that fix it.
func TestAQianniuExportTakesItsTmallShopsPlatformAndAMismatchSaysWhichFieldFixesIt(t *testing.T) {
	raw := fixture(t, "qianniu_refunds.csv")
	for _, tt := range []struct {
		name   string
		shops  int
		fields map[string]string
	}{
		{"the shop named", 2, map[string]string{"source": "qianniu", "shop": "tm-flagship"}},
		{"the only shop", 1, map[string]string{"source": "qianniu"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.flagship()
			if tt.shops == 2 {
				if r := h.do(store.RoleAdmin, "POST", "/api/v1/shops", `{"code":"jd-main","platform":"jd","name":"小熊京东店"}`); r.status != 201 {
					t.Fatalf("create shop: %d %s", r.status, r.raw)
				}
			}
			if r := h.importAfterSales(store.RoleSupervisor, "q.csv", raw, tt.fields); r.status != 200 || r.body["created"] != 3.0 {
				t.Fatalf("import: %d %s", r.status, r.raw)
			}
			if c := h.caseByAfterSale("203984710293847561"); c["platform"] != "tmall" || c["after_sale"].(map[string]any)["platform"] != "tmall" {
				t.Fatalf("a Tmall shop's 千牛 record opened a %v case: %v", c["platform"], c["after_sale"])
			}
			again := map[string]string{"platform": "tmall"}
			for k, v := range tt.fields {
				again[k] = v
			}
			if r := h.importAfterSales(store.RoleSupervisor, "q.csv", raw, again); r.status != 200 || r.body["created"] != 0.0 || r.body["unchanged"] != 3.0 {
				t.Fatalf("re-import with platform=tmall: %d %s", r.status, r.raw)
			}
		})
	}
	t.Run("a JD shop named", func(t *testing.T) {
		h := newHarness(t)
		h.flagship()
		if r := h.do(store.RoleAdmin, "POST", "/api/v1/shops", `{"code":"jd-main","platform":"jd","name":"小熊京东店"}`); r.status != 201 {
			t.Fatalf("create shop: %d %s", r.status, r.raw)
		}
		r := h.importAfterSales(store.RoleSupervisor, "q.csv", raw, map[string]string{"source": "qianniu", "shop": "jd-main"})
		problems, _ := r.body["problems"].([]any)
		if r.status != 422 || len(problems) != 1 {
			t.Fatalf("a 千牛 export into a JD shop: %d %s", r.status, r.raw)
		}
		reason := fmt.Sprint(problems[0].(map[string]any)["reason"])
		for _, want := range []string{"淘宝/天猫的售后单", "店铺「小熊京东店」是京东店铺", "字段 shop", "字段 platform"} {
			if !strings.Contains(reason, want) {
				t.Errorf("the refusal does not say %q: %s", want, reason)
			}
		}
		if ids := h.caseIDs(); len(ids) != 0 {
			t.Fatalf("a refused import wrote cases %v", ids)
		}
	})
}
