package register

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

// Fields an import can fill, by the column headers that name them: the register's own
// Chinese headers, common synonyms, and the intake field names themselves.
var importHeaders = map[string]string{
	"顾客": "customer_name", "顾客姓名": "customer_name", "买家": "customer_name", "联系电话": "customer_phone", "电话": "customer_phone",
	"地址": "customer_address", "收货地址": "customer_address", "平台": "platform", "订单号": "order_no", "金额": "amount", "实付金额": "amount",
	"快递公司": "courier", "快递单号": "tracking_no", "运单号": "tracking_no", "商品/型号": "sku", "商品型号": "sku", "型号": "sku",
	"批次": "batch", "问题类型": "type", "问题描述": "description", "顾客诉求": "demand", "情绪": "emotion", "等级": "level",
	"店铺": "shop", "店铺名": "shop", "店铺代码": "shop",
}

var fieldHeaders = map[string]string{
	"customer_name": "顾客", "customer_phone": "联系电话", "customer_address": "地址", "platform": "平台", "order_no": "订单号",
	"amount": "金额", "courier": "快递公司", "tracking_no": "快递单号", "sku": "商品/型号", "batch": "批次", "type": "问题类型",
	"description": "问题描述", "demand": "顾客诉求", "emotion": "情绪", "level": "等级", "shop": "店铺",
}

// Problem is one bad cell of an import: the row (1 = the header), the column's header
// and the reason in Chinese.
type Problem struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

func (p Problem) String() string { return fmt.Sprintf("第%d行 %s: %s", p.Row, p.Column, p.Reason) }

// Parsed is one good row: its number and the intake it makes, and the shop the row
// names (its code or name; the desk finds it, internal/desk ImportRegister).
type Parsed struct {
	Row    int
	Intake cases.Intake
	Shop   string
}

// ShopColumn is the header problems with a row's shop are reported under.
const ShopColumn = "店铺"

// ReadTable reads a CSV (UTF-8, BOM allowed) or XLSX (first sheet) file by its name's
// extension into rows of cells, the header first.
func ReadTable(r io.Reader, name string) ([][]string, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		raw, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF"))))
		cr.FieldsPerRecord, cr.LazyQuotes = -1, true
		return cr.ReadAll()
	case ".xlsx":
		book, err := excelize.OpenReader(r)
		if err != nil {
			return nil, fmt.Errorf("不是有效的 xlsx 文件: %w", err)
		}
		defer book.Close()
		return book.GetRows(book.GetSheetName(0))
	}
	return nil, fmt.Errorf("只能导入 .csv 或 .xlsx 文件,不是 %q", filepath.Ext(name))
}

// ParseMapping reads "列名=field,列名=field" (field: an intake field name).
func ParseMapping(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		col, field, ok := strings.Cut(pair, "=")
		field = fieldOf(strings.TrimSpace(field))
		if !ok || field == "" {
			names := make([]string, 0, len(fieldHeaders))
			for _, f := range fieldNames() {
				names = append(names, fieldHeaders[f]+"("+f+")")
			}
			return nil, fmt.Errorf("列映射 %q 须为 列名=字段,字段为 %s 之一", pair, strings.Join(names, "、"))
		}
		m[strings.TrimSpace(col)] = field
	}
	return m, nil
}

// fieldOf is the field a mapping names, by its code (description) or its Chinese
// name (问题描述); "" if neither.
func fieldOf(name string) string {
	if _, ok := fieldHeaders[name]; ok {
		return name
	}
	for f, h := range fieldHeaders {
		if h == name {
			return f
		}
	}
	return ""
}

func fieldNames() []string {
	return []string{"customer_name", "customer_phone", "customer_address", "platform", "order_no", "amount", "courier", "tracking_no", "sku", "batch", "type", "description", "demand", "emotion", "level", "shop"}
}

// Parse maps the table's columns to intake fields (the mapping first, then the known
// headers), checks every row at now and returns the good rows and every problem, each
// with its row and column. Columns nobody maps are ignored; an order that appears
// twice (same platform, order number and type) is a problem on its second row.
func Parse(table [][]string, mapping map[string]string, now time.Time) ([]Parsed, []Problem) {
	if len(table) == 0 {
		return nil, []Problem{{Row: 1, Column: "", Reason: "文件是空的"}}
	}
	header := table[0]
	field := make([]string, len(header))
	columnOf := map[string]string{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		f, ok := mapping[h]
		if !ok {
			f, ok = importHeaders[h]
		}
		if !ok {
			if _, isField := fieldHeaders[h]; isField {
				f = h
			}
		}
		field[i] = f
		if f != "" {
			columnOf[f] = h
		}
	}
	var problems []Problem
	for _, need := range []string{"platform", "order_no", "type", "description", "customer_name"} {
		if _, ok := columnOf[need]; !ok {
			problems = append(problems, Problem{Row: 1, Column: fieldHeaders[need], Reason: "缺少必填列(可用列映射指定对应的列)"})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	var out []Parsed
	seen := map[string]int{}
	for n, cells := range table[1:] {
		row := n + 2
		if blank(cells) {
			continue
		}
		var in cases.Intake
		var shop string
		var rowProblems []Problem
		bad := func(f, reason string) {
			rowProblems = append(rowProblems, Problem{Row: row, Column: columnOf[f], Reason: reason})
		}
		for i, f := range field {
			if f == "" || i >= len(cells) {
				continue
			}
			if f == "shop" {
				shop = unquote(cells[i])
				continue
			}
			if err := set(&in, f, unquote(cells[i])); err != "" {
				bad(f, err)
			}
		}
		in.Normalize()
		if err := in.Validate(now); err != nil {
			if ve, ok := err.(cases.ValidationError); ok {
				for _, fe := range ve {
					if !hasProblem(rowProblems, columnOf[fe.Field]) {
						bad(fe.Field, fe.Message)
					}
				}
			}
		}
		key := Key(in)
		if first, dup := seen[key]; dup && len(rowProblems) == 0 {
			bad("order_no", fmt.Sprintf("与第%d行是同一订单的同一问题", first))
		}
		if len(rowProblems) > 0 {
			problems = append(problems, rowProblems...)
			continue
		}
		seen[key] = row
		out = append(out, Parsed{Row: row, Intake: in, Shop: shop})
	}
	return out, problems
}

// Key identifies an imported case: re-importing a row with the same platform, order
// number and problem type finds the case made the first time.
func Key(in cases.Intake) string {
	return "import:" + string(in.Platform) + ":" + in.OrderNo + ":" + string(in.Type)
}

func hasProblem(ps []Problem, column string) bool {
	for _, p := range ps {
		if p.Column == column {
			return true
		}
	}
	return false
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// unquote undoes what the export did to keep cells safe: ="123" ids and a quote before
// a leading = + - @.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) && len(s) >= 3 {
		return s[2 : len(s)-1]
	}
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}

// code finds a code by itself or by its Chinese label.
func code(list []cases.Code, v string) (string, bool) {
	for _, c := range list {
		if c.Code == v || c.Label == v {
			return c.Code, true
		}
	}
	return v, false
}

func set(in *cases.Intake, f, v string) string {
	switch f {
	case "customer_name":
		in.CustomerName = v
	case "customer_phone":
		in.CustomerPhone = v
	case "customer_address":
		in.CustomerAddress = v
	case "order_no":
		in.OrderNo = v
	case "courier":
		in.Courier = v
	case "tracking_no":
		in.TrackingNo = v
	case "sku":
		in.SKU = v
	case "batch":
		in.Batch = v
	case "description":
		in.Description = v
	case "platform":
		c, _ := code(cases.Platforms, v)
		in.Platform = cases.Platform(c)
	case "type":
		c, _ := code(cases.ProblemTypes, v)
		in.Type = cases.ProblemType(c)
	case "demand":
		if v != "" {
			c, _ := code(cases.Demands, v)
			in.Demand = cases.Demand(c)
		}
	case "emotion":
		if v != "" {
			c, _ := code(cases.Emotions, v)
			in.Emotion = cases.Emotion(c)
		}
	case "level":
		if v == "" {
			return ""
		}
		l, err := strconv.Atoi(strings.NewReplacer("一级", "1", "二级", "2", "三级", "3").Replace(v))
		if err != nil || !cases.Level(l).Valid() {
			return "等级须为1、2、3或一级、二级、三级"
		}
		in.Level = cases.Level(l)
	case "amount":
		if v == "" {
			return ""
		}
		a, err := money.Parse(strings.TrimSuffix(v, "元"))
		if err != nil {
			return "金额须为元,最多两位小数,例如 399.00"
		}
		in.Amount = a
	}
	return ""
}
