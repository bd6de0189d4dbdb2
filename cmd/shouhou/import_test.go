package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportRegisterListsEveryBadRowImportsNothingUntilCleanAndRunsAgainWithoutDuplicates(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	run(t, bin, "migrate", "--create", "--data", data)
	dir := t.TempDir()
	bad := filepath.Join(dir, "old.csv")
	// Headers of an old register; 买家留言 is mapped with --map; row 3 has a bad
	// platform and amount, row 5 a bad level and no description, row 6 repeats row 2.
	os.WriteFile(bad, []byte("\xEF\xBB\xBF平台,订单号,顾客,问题类型,买家留言,金额,等级,批次\n"+
		"天猫,TM20261101,刘女士,破损,杯子碎了,399.00,,B1\n"+
		"拼夕夕,TM20261102,王先生,漏水,壶漏水,三百,,\n"+
		"京东,\"=\"\"4312098871623456789\"\"\",李女士,quality.leak,漏水,99,2,\n"+
		"淘宝,TB20261104,赵先生,破损,,10,五级,\n"+
		"天猫,TM20261101,刘女士,破损,又一次,399,,\n"), 0o644)
	out := runFails(t, bin, "import", "register", bad, "--dry-run", "--map", "买家留言=description", "--data", data)
	for _, want := range []string{"发现5处错误,未导入任何工单", "第3行 平台: 未知的平台", "第3行 金额: 金额须为元", "第5行 等级: 等级须为",
		"第5行 买家留言: 请填写问题描述", "第6行 订单号: 与第2行是同一订单的同一问题"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run does not say %q:\n%s", want, out)
		}
	}
	// Without --dry-run a file with bad rows imports nothing either.
	runFails(t, bin, "import", "register", bad, "--map", "买家留言=description", "--data", data)
	if out := run(t, bin, "export", "register", "--data", data, "--format", "csv", "--out", filepath.Join(dir, "empty.csv")); !strings.Contains(out, "exported 0 cases") {
		t.Fatalf("a refused import wrote cases: %s", out)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("平台,订单号,顾客,问题类型,买家留言,金额,等级,批次\n"+
		"天猫,TM20261101,刘女士,破损,杯子碎了,399.00,,B1\n"+
		"京东,\"=\"\"4312098871623456789\"\"\",李女士,quality.leak,漏水,99,2,\n"), 0o644)
	if out := run(t, bin, "import", "register", good, "--dry-run", "--map", "买家留言=description", "--data", data); !strings.Contains(out, "将新建2个工单") {
		t.Fatalf("clean dry run: %s", out)
	}
	if out := run(t, bin, "import", "register", good, "--map", "买家留言=description", "--data", data); !strings.Contains(out, "新建2个工单,0个已存在") {
		t.Fatalf("import: %s", out)
	}
	if out := run(t, bin, "import", "register", good, "--map", "买家留言=description", "--data", data); !strings.Contains(out, "新建0个工单,2个已存在") {
		t.Fatalf("second import: %s", out)
	}
	exported := filepath.Join(dir, "out.csv")
	run(t, bin, "export", "register", "--data", data, "--format", "csv", "--columns", "order_no,batch,amount", "--out", exported)
	b, _ := os.ReadFile(exported)
	if !strings.Contains(string(b), `"=""4312098871623456789""",,99.00`) || !strings.Contains(string(b), "TM20261101,B1,399.00") {
		t.Fatalf("imported cases exported: %s", b)
	}
	// The operator's import leaves the cases to be dispatched (待分配): nobody named
	// "import" holds them.
	assignees := filepath.Join(dir, "assignees.csv")
	run(t, bin, "export", "register", "--data", data, "--format", "csv", "--columns", "order_no,assignee", "--out", assignees)
	if b, _ := os.ReadFile(assignees); strings.Contains(string(b), "import") || !strings.Contains(string(b), "TM20261101,\n") {
		t.Fatalf("imported cases were assigned: %s", b)
	}
}

func TestImportAfterSalesFromEachBackOfficeCreatesOnceUpdatesOnReimportAndRefusesBadFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	run(t, bin, "migrate", "--create", "--data", data)
	fixtures := filepath.Join("..", "..", "internal", "platform", "testdata")
	for _, tt := range []struct{ file, source string }{
		{"qianniu_refunds.csv", "qianniu"}, {"jingmai_services.xlsx", "jingmai"}, {"doudian_aftersales.csv", "doudian"},
		{"pinduoduo_aftersales.xlsx", "pinduoduo"}, {"jushuitan_aftersales.csv", "jushuitan"},
	} {
		path := filepath.Join(fixtures, tt.file)
		if out := run(t, bin, "import", "aftersales", path, "--source", tt.source, "--dry-run", "--data", data); !strings.Contains(out, "将新建3个工单") {
			t.Fatalf("%s dry run: %s", tt.source, out)
		}
		if out := run(t, bin, "import", "aftersales", path, "--source", tt.source, "--data", data); !strings.Contains(out, "新建3个工单,更新0个,0个无变化") {
			t.Fatalf("%s import: %s", tt.source, out)
		}
		if out := run(t, bin, "import", "aftersales", path, "--source", tt.source, "--data", data); !strings.Contains(out, "新建0个工单,更新0个,3个无变化") {
			t.Fatalf("%s again: %s", tt.source, out)
		}
	}
	dir := t.TempDir()
	raw, _ := os.ReadFile(filepath.Join(fixtures, "qianniu_refunds.csv"))
	later := filepath.Join(dir, "later.csv")
	os.WriteFile(later, []byte(strings.Replace(string(raw), "退款成功", "退款关闭", 1)), 0o644)
	if out := run(t, bin, "import", "aftersales", later, "--source", "qianniu", "--data", data); !strings.Contains(out, "新建0个工单,更新1个,2个无变化") {
		t.Fatalf("moved status: %s", out)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte(strings.Replace(strings.Replace(string(raw), "退款成功", "退款飞走了", 1), "129.00,129.00", "129.00,一百", 1)), 0o644)
	out := runFails(t, bin, "import", "aftersales", bad, "--source", "qianniu", "--data", data)
	for _, want := range []string{"发现2处错误,未导入任何工单", "第2行 退款金额: 金额须为元", "第4行 退款状态: 淘宝/天猫没有售后状态 \"退款飞走了\""} {
		if !strings.Contains(out, want) {
			t.Errorf("bad file does not say %q:\n%s", want, out)
		}
	}
	// A shop's own mapping file names the columns of an export we do not ship.
	mapFile := filepath.Join(dir, "map.yaml")
	os.WriteFile(mapFile, []byte("- id: kuaimai\n  name: 快麦\n  platform: taobao\n  columns: {售后单号: aftersale_id, 平台订单号: order_no, 平台状态: status, 售后类型: type, 买家: buyer_nick}\n"), 0o644)
	own := filepath.Join(dir, "kuaimai.csv")
	os.WriteFile(own, []byte("售后单号,平台订单号,平台状态,售后类型,买家\nKM2026112801,3901827364519283888,等待卖家同意,仅退款,tb_老李\n"), 0o644)
	if out := run(t, bin, "import", "aftersales", own, "--source", "kuaimai", "--map-file", mapFile, "--shop", "main", "--data", data); !strings.Contains(out, "新建1个工单") {
		t.Fatalf("own mapping: %s", out)
	}
	if out := runFails(t, bin, "import", "aftersales", own, "--source", "nope", "--data", data); !strings.Contains(out, "未知的导出来源") {
		t.Fatalf("unknown source: %s", out)
	}
}

// TestAQianniuExportOfATmallShopOpensTmallCasesAndAMismatchSaysWhichFlagFixesIt: 千牛
// serves Taobao and Tmall shops, so a 千牛 export imported with --shop of a Tmall shop
// takes the shop's platform (a re-import with --platform tmall finds the same cases);
// --shop of a JD shop is refused, naming the flags that fix it, and imports nothing.
func TestAQianniuExportOfATmallShopOpensTmallCasesAndAMismatchSaysWhichFlagFixesIt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	run(t, bin, "migrate", "--create", "--data", data)
	run(t, bin, "user", "add", "boss", "--role", "admin", "--password", "password1", "--data", data)
	srv := startServerEnv(t, bin, data, freeAddr(t), nil)
	client := login(t, srv.base, "boss", "password1")
	for _, sh := range []map[string]any{
		{"code": "tm-main", "platform": "tmall", "name": "好物生活旗舰店"},
		{"code": "jd-main", "platform": "jd", "name": "好物京东店"},
	} {
		if status, body, err := postJSON(client, srv.base+"/api/v1/shops", sh); err != nil || status != 201 {
			t.Fatalf("shop %v: %d %v %v", sh["code"], status, body, err)
		}
	}
	cases := func(q string) int {
		t.Helper()
		resp, err := client.Get(srv.base + "/api/v1/cases?" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Cases []map[string]any `json:"cases"`
		}
		json.NewDecoder(resp.Body).Decode(&out)
		return len(out.Cases)
	}
	file := filepath.Join("..", "..", "internal", "platform", "testdata", "qianniu_refunds.csv")
	if out := run(t, bin, "import", "aftersales", file, "--source", "qianniu", "--shop", "tm-main", "--data", data); !strings.Contains(out, "新建3个工单") {
		t.Fatalf("import into the Tmall shop: %s", out)
	}
	if n, tb := cases("platform=tmall"), cases("platform=taobao"); n != 3 || tb != 0 {
		t.Fatalf("a Tmall shop's 千牛 export opened %d tmall and %d taobao cases", n, tb)
	}
	if out := run(t, bin, "import", "aftersales", file, "--source", "qianniu", "--shop", "tm-main", "--platform", "tmall", "--data", data); !strings.Contains(out, "新建0个工单,更新0个,3个无变化") {
		t.Fatalf("re-import with --platform tmall: %s", out)
	}
	out := runFails(t, bin, "import", "aftersales", file, "--source", "qianniu", "--shop", "jd-main", "--data", data)
	for _, want := range []string{"发现1处错误", "店铺「好物京东店」是京东店铺", "--shop", "--platform"} {
		if !strings.Contains(out, want) {
			t.Errorf("a 千牛 export into a JD shop does not say %q:\n%s", want, out)
		}
	}
	if n := cases("shop=3"); n != 0 {
		t.Fatalf("the refused import opened %d cases in the JD shop", n)
	}
}
