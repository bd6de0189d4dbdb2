package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

// untilStage advances the clock and waits until the scheduler moved the case to stage.
func untilStage(t *testing.T, env *webtest.Env, id int64, by time.Duration, stage cases.Stage) {
	t.Helper()
	env.Clock.Advance(by)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := env.Desk.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Stage == stage {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("case %d still at %s, want %s", id, c.Stage, stage)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestClosedCaseComesBackAs待回访AndALowScoreReopensItForTheSupervisor(t *testing.T) {
	env := webtest.New(t, webtest.Options{Timers: true})
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB500600800"), "杯子碎了")
	agent := env.Login(webtest.Agent)
	page := "/cases/" + itoa(c.ID)
	expect(t, agent.PostForm(page+"/remark", url.Values{"text": {"破损，补偿10元已发"}}), http.StatusSeeOther)
	expect(t, agent.PostForm(page+"/close", nil), http.StatusSeeOther)
	if b := expect(t, agent.Get("/followups"), http.StatusOK, "没有待回访的工单"); strings.Contains(b, "TB500600800") {
		t.Fatal("listed before the visit is due")
	}
	// Closed Monday 09:00 in Shanghai: the visit is due Tuesday 10:00.
	untilStage(t, env, c.ID, 25*time.Hour, cases.StageFollowUp)
	expect(t, agent.Get("/followups"), http.StatusOK, "TB500600800", "<th>回访到期</th>", "2026-11-24 10:00")
	// The supervisor sees the team's due visits, an agent only their own.
	expect(t, env.Login(webtest.Supervisor).Get("/followups"), http.StatusOK, "TB500600800")
	if b := expect(t, env.Login(webtest.Agent2).Get("/followups"), http.StatusOK, "没有待回访的工单"); strings.Contains(b, "TB500600800") {
		t.Fatal("another agent sees this agent's visit")
	}
	b := expect(t, agent.Get(page), http.StatusOK, "待回访", "记录回访结果", "欢送语")
	if strings.Contains(b, "已发送</button>") && strings.Contains(b, `记录已发送:欢送语·邀请满分评价" disabled`) {
		t.Fatal("the visit's script cannot be recorded as sent")
	}
	// A visit without a score is refused on the page and changes nothing.
	expect(t, agent.PostForm(page+"/followup", url.Values{"solved": {"yes"}}), http.StatusUnprocessableEntity, "满意度须为1到5分")
	expect(t, agent.PostForm(page+"/followup", url.Values{"csat": {"1"}, "solved": {"yes"}, "comment": {"杯子还是漏"}}), http.StatusSeeOther)
	expect(t, agent.Get(page), http.StatusOK, "满意度1分,问题已解决,顾客意见:杯子还是漏", "转主管处理", "上次回访:满意度 <strong>1</strong>")
	got, _ := env.Desk.Get(context.Background(), c.ID)
	if got.Status != cases.StatusOpen {
		t.Fatalf("a score of 1 left the case %s", got.Status)
	}
	expect(t, env.Login(webtest.Supervisor).Get("/notifications"), http.StatusOK, "回访不满意", "杯子还是漏")
	expect(t, agent.Get("/followups"), http.StatusOK, "没有待回访的工单")
	// The visit's outcome is in the register, on the page and in the CSV.
	expect(t, agent.Get("/register"), http.StatusOK, "<th>回访</th>", "1分·已解决")
	expect(t, agent.Get("/register.csv"), http.StatusOK, "回访", "1分·已解决")
}

func TestSupervisorSeesTheSameBatchAlertWithItsCasesAndAcknowledgesItWithANote(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	var ids []string
	for i := range 3 {
		in := webtest.Intake("TB50060090" + itoa(int64(i)))
		in.SKU, in.Batch, in.Courier = "KETTLE-7", "B0901", ""
		ids = append(ids, itoa(env.CreateCase(webtest.Agent, in, "壶漏水").ID))
	}
	sup := env.Login(webtest.Supervisor)
	b := expect(t, sup.Get("/alerts"), http.StatusOK, "同批次质量问题:KETTLE-7 / B0901", "待处理", "确认预警")
	for _, id := range ids {
		if !strings.Contains(b, `href="/cases/`+id+`"`) {
			t.Fatalf("alert page without case %s", id)
		}
	}
	expect(t, sup.Get("/notifications"), http.StatusOK, "同批次预警")
	expect(t, env.Login(webtest.Agent).Get("/alerts"), http.StatusForbidden)
	expect(t, sup.PostForm("/alerts/1/ack", url.Values{"version": {"1"}, "note": {""}}), http.StatusSeeOther)
	expect(t, sup.Get("/alerts?status=open"), http.StatusOK, "KETTLE-7")
	expect(t, sup.PostForm("/alerts/1/ack", url.Values{"version": {"1"}, "note": {"已反馈工厂"}}), http.StatusSeeOther)
	expect(t, sup.Get("/alerts?status=acknowledged"), http.StatusOK, "已反馈工厂", "已确认")
	expect(t, sup.Get("/alerts?status=open"), http.StatusOK, "暂无质量预警")
}

func TestReportsPageRendersItsChartsAsInlineSVGForSupervisorsOnly(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB500601000"), "杯子碎了")
	agent := env.Login(webtest.Agent)
	expect(t, agent.PostForm("/cases/"+itoa(c.ID)+"/remark", url.Values{"text": {"破损，补偿10元已发"}}), http.StatusSeeOther)
	expect(t, agent.Get("/reports"), http.StatusForbidden)
	sup := env.Login(webtest.Supervisor)
	b := expect(t, sup.Get("/reports"), http.StatusOK, `id="kpi-cases">1<`, "<svg", `aria-label="问题类型"`, "破损", "产能(有备注的工单)", "淘宝")
	if strings.Contains(b, ">quality.damaged") || strings.Contains(b, "http://cdn") || strings.Contains(b, "<script src=\"http") {
		t.Fatal("raw codes or an external resource on the 报表 page")
	}
	expect(t, sup.Get("/reports?from=2026-99-01"), http.StatusUnprocessableEntity, "开始日期格式须为 YYYY-MM-DD")
}

// upload posts a file as the register's import form does.
func upload(t *testing.T, c *webtest.Client, name, content string, fields map[string]string) *http.Response {
	t.Helper()
	return postFile(t, c, "/register/import", name, []byte(content), fields)
}

// postFile posts a file and form fields to path as a multipart form does.
func postFile(t *testing.T, c *webtest.Client, path, name string, content []byte, fields map[string]string) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.Base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.Base)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestImportPageListsBadRowsImportsNothingThenImportsOnceWhenClean(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	sup := env.Login(webtest.Supervisor)
	expect(t, sup.Get("/register/import"), http.StatusOK, "导入登记表", `enctype="multipart/form-data"`)
	expect(t, env.Login(webtest.Agent).Get("/register/import"), http.StatusForbidden)
	bad := "平台,订单号,顾客,问题类型,问题描述\n天猫,TM30001,刘女士,破损,杯子碎了\n火星,TM30002,王先生,漏水,\n"
	expect(t, upload(t, sup, "old.csv", bad, nil), http.StatusUnprocessableEntity, "发现2处错误,未导入任何工单", "第3行", "未知的平台", "请填写问题描述")
	good := "平台,订单号,顾客,问题类型,问题描述\n天猫,TM30001,刘女士,破损,杯子碎了\n京东,TM30002,王先生,漏水,壶漏水\n"
	expect(t, upload(t, sup, "old.csv", good, map[string]string{"dry_run": "1"}), http.StatusOK, "检查通过:2行,将新建2个工单")
	expect(t, sup.Get("/register"), http.StatusOK, "没有符合条件的工单")
	expect(t, upload(t, sup, "old.csv", good, nil), http.StatusOK, "已导入:2行,新建2个工单,0个已存在")
	expect(t, upload(t, sup, "old.csv", good, nil), http.StatusOK, "新建0个工单,2个已存在")
	expect(t, sup.Get("/register"), http.StatusOK, "TM30001", "TM30002")
	expect(t, upload(t, sup, "old.pdf", good, nil), http.StatusUnprocessableEntity, "只能导入 .csv 或 .xlsx 文件")
}

func TestRegisterExportTakesTheChosenColumnsInOrder(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	in := webtest.Intake("TB500601100")
	in.Batch = "B77"
	env.CreateCase(webtest.Agent, in, "杯子碎了")
	agent := env.Login(webtest.Agent)
	expect(t, agent.Get("/register"), http.StatusOK, "选择导出列", `name="col" value="tracking_no"`, "快递单号")
	b := expect(t, agent.Get("/register.csv?col=order_no&col=batch&col=tracking_no"), http.StatusOK, "\xEF\xBB\xBF订单号,批次,快递单号\n")
	if !strings.Contains(b, "B77") || !strings.Contains(b, "ZT7788990011") {
		t.Fatalf("chosen columns: %q", b)
	}
	expect(t, agent.Get("/register.csv?col=order_no&col=nope"), http.StatusUnprocessableEntity)
}
