package api

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/shouhou/shouhou/internal/store"
)

func TestTheRegisterExportsWithChosenColumnsAsCSVAndAsXLSXWithDatesAndNumbers(t *testing.T) {
	h := newClockHarness(t, true)
	h.qualityCase("4312098871623456789", "quality.leak", "POT-1", "B9", "中通")
	r := h.do(store.RoleAgent, "GET", "/api/v1/register?format=csv&columns=order_no,batch,created,amount,level", nil)
	if r.status != 200 || !strings.HasPrefix(string(r.raw), "\xEF\xBB\xBF订单号,批次,日期,金额,等级\n") ||
		!strings.Contains(string(r.raw), `"=""4312098871623456789""",B9,2026-11-23 09:00,399.00,2`) {
		t.Fatalf("csv: %d %q", r.status, r.raw)
	}
	r = h.do(store.RoleAgent, "GET", "/api/v1/register?format=xlsx&columns=created,order_no,amount&platform=tmall", nil)
	if r.status != 200 {
		t.Fatalf("xlsx: %d %s", r.status, r.raw)
	}
	book, err := excelize.OpenReader(bytes.NewReader(r.raw))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if typ, _ := book.GetCellType("登记表", "A2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Fatal("the date is text")
	}
	raw, _ := book.GetCellValue("登记表", "A2", excelize.Options{RawCellValue: true})
	if serial, _ := excelize.ExcelDateToTime(mustFloat(t, raw), false); !serial.Equal(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("date cell %s = %v, want 2026-11-23 09:00 (shop time)", raw, serial)
	}
	if v, _ := book.GetCellValue("登记表", "C2", excelize.Options{RawCellValue: true}); v != "399" {
		t.Fatalf("amount cell %q", v)
	}
	if v, _ := book.GetCellValue("登记表", "B2"); v != "4312098871623456789" {
		t.Fatalf("order number %q", v)
	}
	for _, bad := range []string{"format=pdf", "columns=order_no,nope", "platform=ebay"} {
		if r := h.do(store.RoleAgent, "GET", "/api/v1/register?"+bad, nil); r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", bad, r.status, r.raw)
		}
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return f
}

func importBody(name, content string, fields map[string]string) (string, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return body.String(), mw.FormDataContentType()
}

func TestRegisterImportThroughTheAPIListsEveryBadCellAndIsIdempotent(t *testing.T) {
	h := newClockHarness(t, true)
	bad, ct := importBody("old.csv", "平台,订单号,顾客,问题类型,留言\n天猫,TM40001,刘女士,破损,碎了\n火星,TM40002,王先生,漏水,\n", map[string]string{"map": "留言=description"})
	r := h.do(store.RoleSupervisor, "POST", "/api/v1/register/import", bad, "Content-Type", ct)
	if r.status != 422 || fmt.Sprint(r.body["problems"]) != "[map[column:平台 reason:未知的平台 \"火星\" row:3] map[column:留言 reason:请填写问题描述(何时发现、具体表现、影响程度) row:3]]" {
		t.Fatalf("bad import: %d %s", r.status, r.raw)
	}
	good, ct := importBody("old.csv", "平台,订单号,顾客,问题类型,留言\n天猫,TM40001,刘女士,破损,碎了\n", map[string]string{"map": "留言=description"})
	for i, want := range []string{"map[created:1 dry_run:false existing:0 rows:1]", "map[created:0 dry_run:false existing:1 rows:1]"} {
		r := h.do(store.RoleSupervisor, "POST", "/api/v1/register/import", good, "Content-Type", ct)
		if r.status != 200 || fmt.Sprint(r.body) != want {
			t.Fatalf("import %d: %d %v", i+1, r.status, r.body)
		}
	}
	if r := h.do(store.RoleAgent, "POST", "/api/v1/register/import", good, "Content-Type", ct); r.status != 403 {
		t.Fatalf("an agent imports: %d", r.status)
	}
}
