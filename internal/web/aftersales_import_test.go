package web_test

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/web/webtest"
)

func postAfterSales(t *testing.T, c *webtest.Client, name string, content []byte, fields map[string]string) *http.Response {
	t.Helper()
	return postFile(t, c, "/aftersales/import", name, content, fields)
}

func TestAfterSaleImportPageListsBadRowsThenImportsOnceAndShowsThePlatformOnTheCase(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	sup := env.Login(webtest.Supervisor)
	expect(t, sup.Get("/aftersales/import"), http.StatusOK, "导入售后单", "千牛/淘宝 退款管理", "抖店 售后工作台", `enctype="multipart/form-data"`)
	expect(t, env.Login(webtest.Agent).Get("/aftersales/import"), http.StatusForbidden)
	good, err := os.ReadFile("../platform/testdata/qianniu_refunds.csv")
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(good, []byte("退款成功"), []byte("退款飞走了"), 1)
	b := expect(t, postAfterSales(t, sup, "q.csv", bad, map[string]string{"source": "qianniu"}), http.StatusUnprocessableEntity,
		"发现1处错误,未导入任何售后单", "第4行", "退款状态", "没有售后状态")
	if strings.Contains(b, "import-result") {
		t.Fatal("a bad file reports a result")
	}
	expect(t, postAfterSales(t, sup, "q.csv", good, map[string]string{"source": "qianniu", "dry_run": "1"}), http.StatusOK, "检查通过:3行,将新建3个工单")
	expect(t, postAfterSales(t, sup, "q.csv", good, map[string]string{"source": "qianniu"}), http.StatusOK, "已导入:3行,新建3个工单,更新0个,0个无变化")
	expect(t, postAfterSales(t, sup, "q.csv", good, map[string]string{"source": "qianniu"}), http.StatusOK, "已导入:3行,新建0个工单,更新0个,3个无变化")
}

func TestTheCasePageSaysWhatThePlatformExpectsByWhen(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	sup := env.Login(webtest.Supervisor)
	good, err := os.ReadFile("../platform/testdata/qianniu_refunds.csv")
	if err != nil {
		t.Fatal(err)
	}
	expect(t, postAfterSales(t, sup, "q.csv", good, map[string]string{"source": "qianniu", "platform": "tmall"}), http.StatusOK, "新建3个工单")
	b := expect(t, sup.Get("/cases/1"), http.StatusOK, "天猫售后单 203984710293847561(仅退款):买家已经申请退款，等待卖家同意", "卖家需在11月30日 10:12前处理退款申请", "平台售后状态变更")
	if strings.Contains(b, "WAIT_SELLER_AGREE") || strings.Contains(b, "requested") {
		t.Fatal("a raw platform code on the case page")
	}
}
