package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return html.UnescapeString(string(b))
}

func expect(t *testing.T, resp *http.Response, status int, contains ...string) string {
	t.Helper()
	b := body(t, resp)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, excerpt(b))
	}
	for _, c := range contains {
		if !strings.Contains(b, c) {
			t.Fatalf("%s %s: no %q in\n%s", resp.Request.Method, resp.Request.URL.Path, c, excerpt(b))
		}
	}
	return b
}

func excerpt(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "…"
	}
	return s
}

func TestEveryPageAnswersASignedInUser(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB100200300"), "杯子摔裂了")
	agent := env.Login(webtest.Agent)
	pages := map[string][]string{
		"/queue":                     {"我的队列", "TB100200300", "破损", "二级"},
		"/team":                      {"团队队列", "TB100200300"},
		"/new":                       {"新建工单", "问题受理表", `for="f-customer_name"`},
		"/register":                  {"登记表", "TB100200300", "导出 CSV"},
		"/cases/" + itoa(c.ID):       {"SOP 指引", "问题受理表", "操作记录", "顾客消息", "杯子摔裂了", "你的补偿权限"},
		"/register.csv?platform=":    {"\xEF\xBB\xBF日期,工单号,平台", "TB100200300"},
		"/team?type=quality.damaged": {"TB100200300"},
	}
	for path, want := range pages {
		resp := agent.Get(path)
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
		expect(t, resp, http.StatusOK, want...)
	}
	boss := env.Login(webtest.Supervisor)
	expect(t, boss.Get("/supervisor"), http.StatusOK, "主管视图", "待审批", "团队负荷", "超时工单", "小美")
	// Agents see no supervisor entry in the navigation; supervisors do.
	if b := body(t, agent.Get("/queue")); strings.Contains(b, "主管视图") {
		t.Fatal("agent's navigation shows the supervisor view")
	}
	expect(t, boss.Get("/queue"), http.StatusOK, "待审批/主管视图")
}

func itoa(id int64) string { return fmt.Sprint(id) }

func TestPagesRedirectToLoginWithoutASession(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	anon := env.Anonymous()
	for _, path := range []string{"/queue", "/team", "/new", "/register", "/register.csv", "/cases/1", "/supervisor"} {
		resp := anon.Get(path)
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
			t.Fatalf("%s without a session: %d %q", path, resp.StatusCode, loc)
		}
	}
	resp := anon.PostForm("/cases/1/remark", url.Values{"text": {"破损，已补偿"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a post without a session: %d", resp.StatusCode)
	}
	expect(t, anon.Get("/login?next=%2Fteam"), http.StatusOK, "登录售后工作台", `value="/team"`)
}

func TestAnExpiredSessionSaysSoOnTheLoginPage(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent := env.Login(webtest.Agent)
	u, _ := url.Parse(env.Server.URL)
	cookie := agent.Jar.Cookies(u)[0]
	if err := env.Auth.Logout(context.Background(), cookie.Value); err != nil { // the server forgets the session
		t.Fatal(err)
	}
	resp := agent.Get("/queue")
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "why=expired") {
		t.Fatalf("expired session: %d %q", resp.StatusCode, loc)
	}
	expect(t, agent.Get(loc), http.StatusOK, "登录已过期,请重新登录")
}

func TestLoginRefusesAWrongPasswordInChinese(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	resp := env.Anonymous().PostForm("/login", url.Values{"username": {webtest.Agent}, "password": {"nope"}})
	expect(t, resp, http.StatusUnauthorized, "用户名或密码错误")
	// An open redirect after login is refused.
	c := env.Anonymous()
	resp = c.PostForm("/login", url.Values{"username": {webtest.Agent}, "password": {webtest.Password}, "next": {"//evil.example/x"}})
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); loc != "/" {
		t.Fatalf("next=//evil.example: redirected to %q", loc)
	}
	// Logout ends the session for the API too.
	resp = c.PostForm("/logout", nil)
	resp.Body.Close()
	if resp = c.Get("/api/v1/me"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("API after logout: %d", resp.StatusCode)
	}
}

func TestTheSupervisorViewIsForbiddenToAgents(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent := env.Login(webtest.Agent)
	expect(t, agent.Get("/supervisor"), http.StatusForbidden, "只有主管")
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB100200301"), "")
	expect(t, agent.PostForm("/cases/"+itoa(c.ID)+"/decide", url.Values{"decision": {"grant"}}), http.StatusForbidden)
}

func TestFormsFromAnotherSiteAreRefused(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent := env.Login(webtest.Agent)
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB100200302"), "")
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/cases/"+itoa(c.ID)+"/remark", strings.NewReader("text=破损，已补偿"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := agent.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, resp, http.StatusForbidden, "拒绝跨站请求")
	if got, _ := env.Desk.Get(context.Background(), c.ID); got.Remarked() {
		t.Fatal("a cross-site form added a remark")
	}
}

func TestNewCaseShowsFieldErrorsInChineseNextToTheField(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent := env.Login(webtest.Agent)
	form := url.Values{"action": {"create"}, "customer_name": {""}, "platform": {"taobao"}, "order_no": {"x"},
		"type": {"quality.damaged"}, "description": {""}, "amount": {"abc"}, "first_message": {"杯子碎了"}}
	b := expect(t, agent.PostForm("/new", form), http.StatusUnprocessableEntity, `id="err-amount"`, "金额格式不正确")
	// The desk's own validation: name, order number and description, all at once.
	form.Set("amount", "59.9")
	b = expect(t, agent.PostForm("/new", form), http.StatusUnprocessableEntity,
		`id="err-customer_name"`, "请填写顾客姓名或昵称", `id="err-order_no"`, "订单号须为4-64位", `id="err-description"`, "请填写问题描述",
		"杯子碎了", `value="59.9"`)
	_ = b
	form.Set("customer_name", "王女士")
	form.Set("order_no", "TB55667788")
	form.Set("description", "杯子碎了")
	resp := agent.PostForm("/new", form)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/cases/") {
		t.Fatalf("valid form: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	page := expect(t, agent.Get(resp.Header.Get("Location")), http.StatusOK, "已创建", "杯子碎了", "顾客消息")
	_ = page
}

func TestThePasteBoxPrefillsTheForm(t *testing.T) {
	env := webtest.New(t, webtest.Options{Classifier: true})
	agent := env.Login(webtest.Agent)
	msg := "你们发的什么破东西！杯子收到就是碎的，订单号 4012345678901234，电话13912345678，赶紧给我补偿，不然差评"
	b := expect(t, agent.PostForm("/new", url.Values{"action": {"parse"}, "first_message": {msg}, "platform": {"taobao"}}), http.StatusOK,
		"已识别", `value="4012345678901234"`, `value="13912345678"`)
	for _, want := range []string{`<option value="quality.damaged" selected>`, `<option value="compensation" selected>`, `<option value="angry" selected>`} {
		if !strings.Contains(b, want) {
			t.Fatalf("pre-fill: no %s", want)
		}
	}
}

// A whole chat pasted as 千牛 copies it fills the form from the customer's turns; the
// agent's lines stay out of the description.
func TestThePasteBoxReadsAPastedConversation(t *testing.T) {
	env := webtest.New(t, webtest.Options{Classifier: true})
	agent := env.Login(webtest.Agent)
	chat := "tb8827361 2026-11-30 20:15:02\n你好 在吗\n小熊电器旗舰店:小美 2026-11-30 20:15:10\n亲，在的呢，请问有什么可以帮您？\n" +
		"tb8827361 2026-11-30 20:16:41\n订单号 4012345678901234\ntb8827361 2026-11-30 20:16:55\n热水壶底部漏水，桌上一摊水\n能换一个吗"
	b := expect(t, agent.PostForm("/new", url.Values{"action": {"parse"}, "first_message": {chat}, "platform": {"taobao"}}), http.StatusOK,
		"已识别", `value="4012345678901234"`, `<option value="quality.leak" selected>`, `<option value="exchange" selected>`)
	if i := strings.Index(b, `id="f-description"`); i < 0 || strings.Contains(b[i:min(len(b), i+400)], "请问有什么可以帮您") {
		t.Fatalf("the description holds the agent's words or is missing")
	}
}

// A field read with little confidence is not pre-filled: the paste box offers its two
// likely codes as buttons, in Chinese.
func TestThePasteBoxOffersTwoChoicesWhenUnsure(t *testing.T) {
	env := webtest.New(t, webtest.Options{Classifier: true})
	agent := env.Login(webtest.Agent)
	b := expect(t, agent.PostForm("/new", url.Values{"action": {"parse"}, "first_message": {"跟说的不一样"}, "platform": {"taobao"}}), http.StatusOK,
		`id="alternatives"`, "识别把握不大", `class="choice" data-field="type"`)
	if strings.Contains(b, `<option value="fulfilment.wrong" selected>`) {
		t.Fatalf("an uncertain type was pre-filled")
	}
	if !strings.Contains(b, "错发(") {
		t.Fatalf("the choices are not labelled in Chinese")
	}
}

func TestEditingTheIntakeValidatesInlineAndDetectsConflicts(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent := env.Login(webtest.Agent)
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB100200303"), "")
	form := url.Values{"version": {itoa(c.Version)}, "customer_name": {"王女士"}, "platform": {"taobao"}, "order_no": {"TB100200303"},
		"type": {"quality.damaged"}, "description": {"外壳裂了"}, "customer_phone": {"电话"}, "level": {"2"}}
	expect(t, agent.PostForm("/cases/"+itoa(c.ID)+"/edit", form), http.StatusUnprocessableEntity, `id="err-customer_phone"`, "联系电话格式不正确")
	form.Set("customer_phone", "")
	form.Set("sku", "保温杯-750ml")
	resp := agent.PostForm("/cases/"+itoa(c.ID)+"/edit", form)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid edit: %d", resp.StatusCode)
	}
	got, _ := env.Desk.Get(context.Background(), c.ID)
	if got.SKU != "保温杯-750ml" || got.CustomerPhone != "" {
		t.Fatalf("after the edit: sku %q phone %q (clearing a field must clear it)", got.SKU, got.CustomerPhone)
	}
	// The same form again is based on an old version now.
	form.Set("sku", "保温杯-1L")
	expect(t, agent.PostForm("/cases/"+itoa(c.ID)+"/edit", form), http.StatusConflict, "工单已被他人修改", "下面是最新内容", "保温杯-750ml")
}

func TestClosingWithoutARemarkShowsTheReason(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent := env.Login(webtest.Agent)
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB100200304"), "")
	path := "/cases/" + itoa(c.ID)
	expect(t, agent.PostForm(path+"/close", nil), http.StatusUnprocessableEntity, `id="close-error"`, "结案前必须填写备注(问题描述+进度),无备注等于0产能")
	expect(t, agent.PostForm(path+"/remark", url.Values{"text": {"破损"}}), http.StatusUnprocessableEntity, `id="remark-error"`, "备注格式须为「问题描述+进度」")
	resp := agent.PostForm(path+"/remark", url.Values{"text": {"破损，补偿10元已同意"}})
	resp.Body.Close()
	resp = agent.PostForm(path+"/close", nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("close after a remark: %d", resp.StatusCode)
	}
	expect(t, agent.Get(path), http.StatusOK, "工单已结案", "重新打开")
}

func TestCompensationOverTheLimitGoesThroughASupervisor(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent, boss := env.Login(webtest.Agent), env.Login(webtest.Supervisor)
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB100200305"), "")
	path := "/cases/" + itoa(c.ID)
	over := url.Values{"kind": {"compensation"}, "amount": {"60"}, "action": {"accepted"}}
	expect(t, agent.PostForm(path+"/solution", over), http.StatusForbidden, `id="sol-error"`, "申请主管审批")
	over.Set("action", "approval")
	resp := agent.PostForm(path+"/solution", over)
	resp.Body.Close()
	expect(t, boss.Get("/supervisor"), http.StatusOK, "补偿 60.00 元", `id="pending-`+itoa(c.ID)+`"`)
	resp = boss.PostForm(path+"/decide", url.Values{"decision": {"grant"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant: %d", resp.StatusCode)
	}
	expect(t, boss.Get("/supervisor"), http.StatusOK, "已批准工单 #"+itoa(c.ID), "没有待审批的申请")
	over.Set("action", "accepted")
	resp = agent.PostForm(path+"/solution", over)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the agent's 60 after the approval: %d", resp.StatusCode)
	}
	expect(t, agent.Get("/register"), http.StatusOK, "补偿 60元")
}

func TestFactButtonsAndSentScriptsRecordEvents(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent := env.Login(webtest.Agent)
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB100200306"), "")
	path := "/cases/" + itoa(c.ID)
	page := expect(t, agent.Get(path), http.StatusOK, `data-fact="`)
	i := strings.Index(page, `data-fact="`)
	kv := page[i+len(`data-fact="`):]
	kv = kv[:strings.Index(kv, `"`)]
	key, value, _ := strings.Cut(kv, "=")
	resp := agent.PostForm(path+"/fact", url.Values{"key": {key}, "value": {value}, "label": {"外包装"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fact: %d", resp.StatusCode)
	}
	page = expect(t, agent.Get(path), http.StatusOK, "记录核实结果")
	i = strings.Index(page, `name="script_id" value="`)
	if i < 0 {
		t.Fatal("no scripts on the case page")
	}
	id := page[i+len(`name="script_id" value="`):]
	id = id[:strings.Index(id, `"`)]
	resp = agent.PostForm(path+"/sent", url.Values{"script_id": {id}, "text": {"亲,非常抱歉"}})
	resp.Body.Close()
	events, _ := env.Desk.Events(context.Background(), c.ID, 0, 0)
	last := events[len(events)-1]
	if last.Type != cases.EvMessageOut || !strings.Contains(string(last.Payload), id) || !strings.Contains(string(last.Payload), `"intent"`) {
		t.Fatalf("sent script: %s %s", last.Type, last.Payload)
	}
}

func TestQueuesFilterAndPageByCursor(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	for i := range 55 {
		in := webtest.Intake(fmt.Sprintf("TB9000%04d", i))
		if i%5 == 0 {
			in.Platform = cases.PlatformJD
		}
		env.CreateCase(webtest.Agent, in, "")
	}
	agent := env.Login(webtest.Agent)
	b := expect(t, agent.Get("/queue"), http.StatusOK, `rel="next"`)
	if n := strings.Count(b, "<tr data-href"); n != 50 {
		t.Fatalf("first page: %d rows", n)
	}
	i := strings.Index(b, `href="/queue?cursor=`)
	next := b[i+len(`href="`):]
	next = strings.ReplaceAll(next[:strings.Index(next, `"`)], "&amp;", "&")
	b = expect(t, agent.Get(next), http.StatusOK)
	if n := strings.Count(b, "<tr data-href"); n != 5 || strings.Contains(b, `rel="next"`) {
		t.Fatalf("second page: %d rows", n)
	}
	b = expect(t, agent.Get("/team?platform=jd"), http.StatusOK)
	if n := strings.Count(b, "<tr data-href"); n != 11 {
		t.Fatalf("jd filter: %d rows", n)
	}
	expect(t, agent.Get("/queue?stage=nope"), http.StatusBadRequest, "未知的阶段")
	expect(t, agent.Get("/queue?cursor=zzz"), http.StatusUnprocessableEntity, "分页链接无效")
	b = expect(t, agent.Get("/queue?q=TB90000007"), http.StatusOK)
	if n := strings.Count(b, "<tr data-href"); n != 1 {
		t.Fatalf("search: %d rows", n)
	}
}

func TestSignedInUsersLandWhereTheirWorkIs(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	for user, want := range map[string]string{webtest.Agent: "/queue", webtest.Supervisor: "/supervisor"} {
		resp := env.Login(user).Get("/")
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != want {
			t.Errorf("%s lands on %d %q, want %s", user, resp.StatusCode, loc, want)
		}
	}
}

func TestApprovalRowShowsTheOrderAmountAndDisplayNames(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	in := webtest.Intake("TB555000111")
	c := env.CreateCase(webtest.Agent, in, "杯子裂了")
	agent := env.Login(webtest.Agent)
	// 60 yuan on a 199-yuan order is above the agent's 50-yuan limit: the request waits.
	resp := agent.PostForm("/cases/"+itoa(c.ID)+"/solution", url.Values{"kind": {"compensation"}, "amount": {"60"}, "action": {"approval"}})
	resp.Body.Close()
	b := expect(t, env.Login(webtest.Supervisor).Get("/supervisor"), http.StatusOK, "订单实付", "199.00 元", "小美")
	if i := strings.Index(b, `id="pending-`+itoa(c.ID)+`"`); i < 0 {
		t.Fatalf("no pending row for case %d:\n%s", c.ID, excerpt(b))
	} else if row := b[i:]; strings.Contains(row[:strings.Index(row, "</tr>")], ">xiaomei<") {
		t.Fatal("the approval row shows the login name")
	}
}

func TestRegisterCSVNeutralisesFormulasAndKeepsOrderNumbersText(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	in := webtest.Intake("4312098871623456789")
	in.CustomerName = `=HYPERLINK("http://evil.example","点我")`
	env.CreateCase(webtest.Agent, in, "杯子裂了")
	b := expect(t, env.Login(webtest.Agent).Get("/register.csv"), http.StatusOK)
	if strings.Contains(b, `,=HYPERLINK`) || strings.Contains(b, `,"=HYPERLINK`) {
		t.Fatalf("formula written as is:\n%s", b)
	}
	for _, want := range []string{`'=HYPERLINK`, `"=""4312098871623456789"""`, "小美"} {
		if !strings.Contains(b, want) {
			t.Fatalf("no %s in\n%s", want, b)
		}
	}
}

func TestTeamLoadNumbersSitUnderTheirHeaders(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	env.CreateCase(webtest.Agent, webtest.Intake("TB100200301"), "杯子裂了")
	b := expect(t, env.Login(webtest.Supervisor).Get("/supervisor"), http.StatusOK)
	table := b[strings.Index(b, `id="load"`):]
	table = table[:strings.Index(table, "</table>")]
	table = strings.Replace(table, "<thead>", "", 1)
	head := table[:strings.Index(table, "</thead>")]
	headers := strings.Count(head, "<th")
	// Right-aligned numbers under left-aligned headers read as the next column's.
	if !strings.Contains(head, `<th class="num">处理中</th>`) || !strings.Contains(head, `<th class="num">超时</th>`) {
		t.Fatalf("number columns' headers are not aligned with their numbers: %s", head)
	}
	for _, row := range strings.Split(table[strings.Index(table, "<tbody>"):], "<tr")[1:] {
		if cells := strings.Count(row, "<td"); cells != headers {
			t.Fatalf("a load row has %d cells under %d headers: %s", cells, headers, row)
		}
		if strings.Contains(row, "小美") && !strings.Contains(row, `<td class="num">1</td>`) {
			t.Fatalf("小美's open count is not in the 处理中 column: %s", row)
		}
	}
}

func TestRegisterXLSXKeepsFormulasAndOrderNumbersAsText(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	in := webtest.Intake("4312098871623456789")
	in.CustomerName = `=HYPERLINK("http://evil.example","点我")`
	env.CreateCase(webtest.Agent, in, "杯子裂了")
	resp := env.Login(webtest.Agent).Get("/register.xlsx")
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	book, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	rows, err := book.GetRows("登记表")
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows %v %v", rows, err)
	}
	if rows[1][3] != "4312098871623456789" || rows[1][4] != in.CustomerName || rows[1][10] != "小美" {
		t.Fatalf("row %q", rows[1])
	}
	for _, cell := range []string{"D2", "E2"} {
		if formula, _ := book.GetCellFormula("登记表", cell); formula != "" {
			t.Fatalf("%s is a formula: %s", cell, formula)
		}
		if typ, _ := book.GetCellType("登记表", cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Fatalf("%s has type %v, want text", cell, typ)
		}
	}
}
