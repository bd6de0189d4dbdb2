package main

import (
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
