package platform

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/register"
)

//go:embed sources/sources.yaml
var sourcesFS embed.FS

// Source is an export format: the back office or ERP that writes it, the platform its
// rows belong to (empty: a platform column says) and its column headers.
type Source struct {
	ID       string            `yaml:"id"`
	Name     string            `yaml:"name"`
	Platform cases.Platform    `yaml:"platform"`
	Columns  map[string]string `yaml:"columns"`
	// Types translates the source's own type words (ERPs) to canonical types.
	Types map[string]string `yaml:"types"`
}

// Fields an import can fill, with their Chinese names for messages.
var Fields = []cases.Code{
	{Code: "aftersale_id", Label: "售后单号"}, {Code: "order_no", Label: "订单号"}, {Code: "status", Label: "售后状态"},
	{Code: "type", Label: "售后类型"}, {Code: "intervention", Label: "介入状态"}, {Code: "refund_amount", Label: "退款金额"},
	{Code: "order_amount", Label: "订单金额"}, {Code: "applied_at", Label: "申请时间"}, {Code: "modified_at", Label: "修改时间"},
	{Code: "deadline", Label: "超时时间"}, {Code: "buyer_nick", Label: "买家昵称"}, {Code: "buyer_phone", Label: "联系电话"},
	{Code: "reason", Label: "退款原因"}, {Code: "description", Label: "说明"}, {Code: "sku", Label: "商品编码"},
	{Code: "platform", Label: "平台"}, {Code: "shop", Label: "店铺"},
}

// Sources lists the shipped column mappings.
func Sources() ([]Source, error) {
	raw, err := sourcesFS.ReadFile("sources/sources.yaml")
	if err != nil {
		return nil, err
	}
	return ParseSources(raw)
}

// ParseSources reads mapping files (the shipped one, or a shop's own): every column
// must name a known field, every type word a canonical type.
func ParseSources(raw []byte) ([]Source, error) {
	var out []Source
	if err := yaml.UnmarshalWithOptions(raw, &out, yaml.Strict()); err != nil {
		return nil, err
	}
	for _, s := range out {
		if s.ID == "" || len(s.Columns) == 0 {
			return nil, fmt.Errorf("映射 %q: 须有 id 和 columns", s.ID)
		}
		if s.Platform != "" && !s.Platform.Valid() {
			return nil, fmt.Errorf("映射 %s: 未知的平台 %q", s.ID, s.Platform)
		}
		for col, f := range s.Columns {
			if _, ok := cases.LabelOf(Fields, f); !ok {
				return nil, fmt.Errorf("映射 %s: 列 %s 对应的字段 %q 不存在(可用:%s)", s.ID, col, f, fieldList())
			}
		}
		for w, t := range s.Types {
			if _, ok := canonicalType(t); !ok {
				return nil, fmt.Errorf("映射 %s: 类型 %s 对应的 %q 不是已知的售后类型", s.ID, w, t)
			}
		}
	}
	return out, nil
}

// SourceByID finds a shipped source.
func SourceByID(id string) (Source, error) {
	all, err := Sources()
	if err != nil {
		return Source{}, err
	}
	ids := make([]string, len(all))
	for i, s := range all {
		if s.ID == id {
			return s, nil
		}
		ids[i] = s.ID + "(" + s.Name + ")"
	}
	return Source{}, fmt.Errorf("未知的导出来源 %q,须为 %s 之一", id, strings.Join(ids, "、"))
}

func fieldList() string {
	names := make([]string, len(Fields))
	for i, f := range Fields {
		names[i] = f.Code + "(" + f.Label + ")"
	}
	return strings.Join(names, "、")
}

// ParseMapping reads "列名=field,列名=field" (field by its code or Chinese name).
func ParseMapping(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		col, f, ok := strings.Cut(pair, "=")
		f = strings.TrimSpace(f)
		if code, found := fieldCode(f); ok && found {
			m[strings.TrimSpace(col)] = code
			continue
		}
		return nil, fmt.Errorf("列映射 %q 须为 列名=字段,字段为 %s 之一", pair, fieldList())
	}
	return m, nil
}

func fieldCode(f string) (string, bool) {
	for _, c := range Fields {
		if c.Code == f || c.Label == f {
			return c.Code, true
		}
	}
	return "", false
}

// SameBackOffice says whether one seller back office serves both platforms: 千牛
// serves Taobao and Tmall, so its exports say taobao for either.
func SameBackOffice(a, b cases.Platform) bool { return backOffice(a) == backOffice(b) }

func backOffice(p cases.Platform) cases.Platform {
	if p == cases.PlatformTmall {
		return cases.PlatformTaobao
	}
	return p
}

// BackOfficeLabel names the platforms of p's back office in Chinese (淘宝/天猫).
func BackOfficeLabel(p cases.Platform) string {
	if backOffice(p) == cases.PlatformTaobao {
		return cases.PlatformLabel(cases.PlatformTaobao) + "/" + cases.PlatformLabel(cases.PlatformTmall)
	}
	return cases.PlatformLabel(p)
}

// ImportOpts are an import's choices besides the file.
type ImportOpts struct {
	Source Source
	// Mapping adds or overrides columns (header → field).
	Mapping map[string]string
	// Shop is the shop code of every row ("" the only shop) unless a shop column says.
	Shop string
	// Platform overrides the source's platform (e.g. tmall for a 千牛 export of a Tmall
	// shop; desk.ParseAfterSales sets it from the import's shop when the source serves it).
	Platform cases.Platform
	Zone     *time.Location
	Now      time.Time
}

// Parsed is one good row of an import.
type Parsed struct {
	Row int
	Checked
}

var platformWords = map[string]cases.Platform{"抖店": cases.PlatformDouyin, "放心购": cases.PlatformDouyin, "淘宝网": cases.PlatformTaobao,
	"天猫商城": cases.PlatformTmall, "京东商城": cases.PlatformJD, "拼多多商城": cases.PlatformPinduoduo}

// Parse reads an export (header first, as register.ReadTable gives it) into checked
// records and every problem with its row, column and reason. A record that appears
// twice (same platform, shop, after-sale id) is a problem on its second row.
func (c *Catalog) Parse(table [][]string, o ImportOpts) ([]Parsed, []register.Problem) {
	if len(table) == 0 {
		return nil, []register.Problem{{Row: 1, Reason: "文件是空的"}}
	}
	if o.Zone == nil {
		o.Zone = time.FixedZone("CST", 8*3600)
	}
	cols := map[string]string{}
	for k, v := range o.Source.Columns {
		cols[k] = v
	}
	for k, v := range o.Mapping {
		cols[k] = v
	}
	header := table[0]
	field := make([]string, len(header))
	columnOf := map[string]string{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		if f, ok := cols[h]; ok && columnOf[f] == "" {
			field[i], columnOf[f] = f, h
		}
	}
	need := []string{"aftersale_id", "order_no", "status", "type", "buyer_nick"}
	if o.Platform == "" && o.Source.Platform == "" {
		need = append(need, "platform")
	}
	var problems []register.Problem
	for _, f := range need {
		if columnOf[f] == "" {
			label, _ := cases.LabelOf(Fields, f)
			problems = append(problems, register.Problem{Row: 1, Column: label, Reason: "缺少必填列(可用列映射指定对应的列,例如 --map '退款单号=aftersale_id')"})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	var out []Parsed
	seen := map[string]int{}
	for n, cells := range table[1:] {
		row := n + 2
		if blankRow(cells) {
			continue
		}
		var rowProblems []register.Problem
		bad := func(f, reason string) {
			col := columnOf[f]
			if col == "" {
				col, _ = cases.LabelOf(Fields, f)
			}
			if !slices.ContainsFunc(rowProblems, func(p register.Problem) bool { return p.Column == col }) {
				rowProblems = append(rowProblems, register.Problem{Row: row, Column: col, Reason: reason})
			}
		}
		r := Record{Platform: o.Platform, Shop: o.Shop}
		if r.Platform == "" {
			r.Platform = o.Source.Platform
		}
		for i, f := range field {
			if f == "" || i >= len(cells) {
				continue
			}
			if msg := setField(&r, f, cleanCell(cells[i]), o); msg != "" {
				bad(f, msg)
			}
		}
		if w, ok := o.Source.Types[r.Type]; ok {
			r.Type = w
		}
		checked, errs := c.Check(r, "import:"+o.Source.ID, o.Now)
		for _, fe := range errs {
			bad(fe.Field, fe.Message)
		}
		if len(rowProblems) == 0 {
			if first, dup := seen[r.Key()]; dup {
				bad("aftersale_id", fmt.Sprintf("与第%d行是同一售后单", first))
			}
		}
		if len(rowProblems) > 0 {
			problems = append(problems, rowProblems...)
			continue
		}
		seen[r.Key()] = row
		out = append(out, Parsed{Row: row, Checked: checked})
	}
	return out, problems
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// cleanCell undoes what exports do to keep ids as text: ="123", a leading quote or tab.
func cleanCell(s string) string {
	s = strings.TrimSpace(strings.Trim(s, "\t"))
	if strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) && len(s) >= 3 {
		return s[2 : len(s)-1]
	}
	return strings.TrimPrefix(s, "'")
}

var timeLayouts = []string{"2006-01-02 15:04:05", "2006/01/02 15:04:05", "2006-01-02 15:04", "2006/01/02 15:04", "2006/1/2 15:04:05", "2006/1/2 15:04", "2006-01-02T15:04:05", "2006-01-02"}

func parseTime(v string, zone *time.Location) (*time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, v, zone); err == nil {
			t = t.UTC()
			return &t, true
		}
	}
	return nil, false
}

func setField(r *Record, f, v string, o ImportOpts) string {
	switch f {
	case "aftersale_id":
		r.AfterSaleID = v
	case "order_no":
		r.OrderNo = v
	case "status":
		r.Status = v
	case "type":
		r.Type = v
	case "intervention":
		r.Intervention = v
	case "buyer_nick":
		r.BuyerNick = v
	case "buyer_phone":
		r.BuyerPhone = v
	case "reason":
		r.Reason = v
	case "description":
		r.Description = v
	case "sku":
		r.SKU = v
	case "shop":
		if v != "" {
			r.Shop = v
		}
	case "platform":
		if v == "" {
			return ""
		}
		if p, ok := platformWords[v]; ok {
			r.Platform = p
			return ""
		}
		for _, p := range cases.Platforms {
			if p.Code == strings.ToLower(v) || p.Label == v {
				r.Platform = cases.Platform(p.Code)
				return ""
			}
		}
		return fmt.Sprintf("未知的平台 %q", v)
	case "refund_amount", "order_amount":
		if v == "" {
			return ""
		}
		a, err := money.Parse(strings.TrimPrefix(strings.TrimSuffix(strings.ReplaceAll(v, ",", ""), "元"), "¥"))
		if err != nil {
			return "金额须为元,最多两位小数,例如 128.00"
		}
		if f == "refund_amount" {
			r.RefundAmount = a
		} else {
			r.OrderAmount = a
		}
	case "applied_at", "modified_at", "deadline":
		if v == "" || v == "-" {
			return ""
		}
		t, ok := parseTime(v, o.Zone)
		if !ok {
			return "时间格式须为 2026-12-01 10:00:00"
		}
		switch f {
		case "applied_at":
			r.AppliedAt = t
		case "modified_at":
			r.ModifiedAt = t
		default:
			r.Deadline = t
		}
	}
	return ""
}
