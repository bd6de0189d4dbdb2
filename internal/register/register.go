// Package register writes the shop's after-sales register (登记表) as CSV (UTF-8 with a
// BOM, every cell spreadsheet-safe) or XLSX (excelize stream writer: text cells, dates
// as dates, money as numbers), with the columns the shop chooses. The workbench, the
// API and the command line all export through it.
package register

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/export"
)

// Column is one register column: its id (for ?columns=), its Chinese header and its
// kind of cell.
type Column struct {
	ID     string
	Header string
	kind   int
	value  func(c cases.Case, r Resolver) any
}

const (
	kindText = iota
	kindID   // identifiers: text, never a number
	kindDate // a date and time
	kindNum  // a number (yuan, level, score)
)

// Resolver names what the case only refers to: the agent's display name, the zone of
// the dates.
type Resolver struct {
	Name func(username string) string
	Zone *time.Location
	// Shop names a shop by its id (nil: the id).
	Shop func(id int64) string
}

func (r Resolver) shop(id int64) string {
	if r.Shop == nil {
		return fmt.Sprint(id)
	}
	return r.Shop(id)
}

func (r Resolver) name(u string) string {
	if r.Name == nil || u == "" {
		return u
	}
	return r.Name(u)
}

func lbl(list []cases.Code, code string) string {
	if l, ok := cases.LabelOf(list, code); ok {
		return l
	}
	return code
}

// SolutionText is the accepted solution as the register writes it: "补偿 10元".
func SolutionText(p *cases.SolutionPayload) string {
	if p == nil {
		return ""
	}
	s := lbl(cases.Solutions, p.Kind)
	if p.Amount > 0 {
		s += " " + p.Amount.Yuan() + "元"
	}
	return s
}

// FollowUpText is the 回访 cell: "4分·已解决", "" before any visit.
func FollowUpText(f *cases.FollowUp) string {
	switch {
	case f == nil:
		return ""
	case f.CSAT == 0:
		return "已回访"
	case f.Solved:
		return fmt.Sprintf("%d分·已解决", f.CSAT)
	}
	return fmt.Sprintf("%d分·未解决", f.CSAT)
}

func yuan(a interface{ String() string }) float64 {
	f, _ := strconv.ParseFloat(a.String(), 64)
	return f
}

// Columns are every column a register may have, in their default order.
var Columns = []Column{
	{"created", "日期", kindDate, func(c cases.Case, _ Resolver) any { return c.CreatedAt }},
	{"id", "工单号", kindNum, func(c cases.Case, _ Resolver) any { return c.ID }},
	{"platform", "平台", kindText, func(c cases.Case, _ Resolver) any { return lbl(cases.Platforms, string(c.Platform)) }},
	{"shop", "店铺", kindText, func(c cases.Case, r Resolver) any { return r.shop(c.Shop()) }},
	{"order_no", "订单号", kindID, func(c cases.Case, _ Resolver) any { return c.OrderNo }},
	{"customer", "顾客", kindText, func(c cases.Case, _ Resolver) any { return c.CustomerName }},
	{"sku", "商品/型号", kindText, func(c cases.Case, _ Resolver) any { return c.SKU }},
	{"type", "问题类型", kindText, func(c cases.Case, _ Resolver) any { return lbl(cases.ProblemTypes, string(c.Type)) }},
	{"solution", "处理方案", kindText, func(c cases.Case, _ Resolver) any { return SolutionText(c.Accepted) }},
	{"amount", "金额", kindNum, func(c cases.Case, _ Resolver) any { return yuan(c.Amount) }},
	{"remark", "备注", kindText, func(c cases.Case, _ Resolver) any { return c.LastRemark() }},
	{"assignee", "客服", kindText, func(c cases.Case, r Resolver) any { return r.name(c.Assignee) }},
	{"status", "状态", kindText, func(c cases.Case, _ Resolver) any { return cases.StatusLabel(c.Status) }},
	{"follow_up", "回访", kindText, func(c cases.Case, _ Resolver) any { return FollowUpText(c.FollowUp) }},
	{"phone", "联系电话", kindID, func(c cases.Case, _ Resolver) any { return c.CustomerPhone }},
	{"address", "地址", kindText, func(c cases.Case, _ Resolver) any { return c.CustomerAddress }},
	{"batch", "批次", kindText, func(c cases.Case, _ Resolver) any { return c.Batch }},
	{"courier", "快递公司", kindText, func(c cases.Case, _ Resolver) any { return c.Courier }},
	{"tracking_no", "快递单号", kindID, func(c cases.Case, _ Resolver) any { return c.TrackingNo }},
	{"description", "问题描述", kindText, func(c cases.Case, _ Resolver) any { return c.Description }},
	{"demand", "顾客诉求", kindText, func(c cases.Case, _ Resolver) any { return lbl(cases.Demands, string(c.Demand)) }},
	{"emotion", "情绪", kindText, func(c cases.Case, _ Resolver) any { return lbl(cases.Emotions, string(c.Emotion)) }},
	{"level", "等级", kindNum, func(c cases.Case, _ Resolver) any { return int64(c.Level) }},
	{"stage", "阶段", kindText, func(c cases.Case, _ Resolver) any { return cases.StageLabels[c.Stage] }},
	{"solution_amount", "方案金额", kindNum, func(c cases.Case, _ Resolver) any {
		if c.Accepted == nil {
			return 0.0
		}
		return yuan(c.Accepted.Amount)
	}},
	{"closed", "结案时间", kindDate, func(c cases.Case, _ Resolver) any {
		if c.ClosedAt == nil {
			return time.Time{}
		}
		return *c.ClosedAt
	}},
	{"csat", "满意度", kindNum, func(c cases.Case, _ Resolver) any {
		if c.FollowUp == nil {
			return int64(0)
		}
		return int64(c.FollowUp.CSAT)
	}},
	{"remarks", "备注记录", kindText, func(c cases.Case, r Resolver) any {
		lines := make([]string, len(c.Remarks))
		for i, rm := range c.Remarks {
			lines[i] = rm.At.In(r.Zone).Format("01-02 15:04") + " " + r.name(rm.Actor) + ":" + rm.Text
		}
		return strings.Join(lines, "\n")
	}},
}

// DefaultColumns are the columns of the register page's export; a business with more
// than one shop gets MultiShopColumns.
var DefaultColumns = []string{"created", "id", "platform", "order_no", "customer", "sku", "type", "solution", "amount", "remark", "assignee", "status", "follow_up"}

// MultiShopColumns are DefaultColumns with 店铺 after 平台.
var MultiShopColumns = []string{"created", "id", "platform", "shop", "order_no", "customer", "sku", "type", "solution", "amount", "remark", "assignee", "status", "follow_up"}

// Pick returns the columns with the given ids in that order (DefaultColumns when none);
// an unknown id is an error naming it.
func Pick(ids []string) ([]Column, error) {
	if len(ids) == 0 {
		ids = DefaultColumns
	}
	out := make([]Column, 0, len(ids))
	for _, id := range ids {
		i := slices.IndexFunc(Columns, func(c Column) bool { return c.ID == strings.TrimSpace(id) })
		if i < 0 {
			return nil, fmt.Errorf("未知的列 %q", id)
		}
		out = append(out, Columns[i])
	}
	return out, nil
}

// Formats.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// Writer writes a register one row at a time; Close finishes the file.
type Writer interface {
	Row(c cases.Case) error
	Close() error
}

// NewWriter starts a register in format with cols, written to w.
func NewWriter(w io.Writer, format string, cols []Column, r Resolver) (Writer, error) {
	if r.Zone == nil {
		r.Zone = time.UTC
	}
	switch format {
	case CSV:
		header := make([]string, len(cols))
		var ids []int
		for i, c := range cols {
			header[i] = c.Header
			if c.kind == kindID {
				ids = append(ids, i)
			}
		}
		cw, err := export.NewWriter(w, header, ids...)
		return &csvWriter{w: cw, cols: cols, r: r}, err
	case XLSX:
		return newXLSX(w, cols, r)
	}
	return nil, fmt.Errorf("未知的格式 %q(csv 或 xlsx)", format)
}

type csvWriter struct {
	w    *export.Writer
	cols []Column
	r    Resolver
}

func (w *csvWriter) Row(c cases.Case) error {
	cells := make([]string, len(w.cols))
	for i, col := range w.cols {
		switch v := col.value(c, w.r).(type) {
		case time.Time:
			if !v.IsZero() {
				cells[i] = v.In(w.r.Zone).Format("2006-01-02 15:04")
			}
		case float64:
			cells[i] = strconv.FormatFloat(v, 'f', 2, 64)
		case int64:
			if v != 0 || col.ID == "id" {
				cells[i] = strconv.FormatInt(v, 10)
			}
		case string:
			cells[i] = v
		}
	}
	return w.w.Row(cells)
}

func (w *csvWriter) Close() error { return w.w.Flush() }

type xlsxWriter struct {
	out   io.Writer
	book  *excelize.File
	sw    *excelize.StreamWriter
	cols  []Column
	r     Resolver
	line  int
	date  int
	money int
}

// Sheet is the register's sheet name.
const Sheet = "登记表"

func newXLSX(w io.Writer, cols []Column, r Resolver) (*xlsxWriter, error) {
	book := excelize.NewFile()
	if err := book.SetSheetName("Sheet1", Sheet); err != nil {
		book.Close()
		return nil, err
	}
	dateFmt, moneyFmt := "yyyy-mm-dd hh:mm", "0.00"
	date, err := book.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		book.Close()
		return nil, err
	}
	money, err := book.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt})
	if err != nil {
		book.Close()
		return nil, err
	}
	sw, err := book.NewStreamWriter(Sheet)
	if err != nil {
		book.Close()
		return nil, err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c.Header
	}
	if err := sw.SetRow("A1", header); err != nil {
		book.Close()
		return nil, err
	}
	return &xlsxWriter{out: w, book: book, sw: sw, cols: cols, r: r, line: 2, date: date, money: money}, nil
}

func (w *xlsxWriter) Row(c cases.Case) error {
	cells := make([]any, len(w.cols))
	for i, col := range w.cols {
		switch v := col.value(c, w.r).(type) {
		case time.Time:
			if !v.IsZero() {
				// Excel has no zones: the shop's wall-clock time.
				local := v.In(w.r.Zone)
				cells[i] = excelize.Cell{StyleID: w.date, Value: time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(), 0, time.UTC)}
			}
		case float64:
			cells[i] = excelize.Cell{StyleID: w.money, Value: v}
		case int64:
			if v != 0 || col.ID == "id" {
				cells[i] = v
			}
		case string:
			cells[i] = v // a string cell: never a formula, an order number keeps its digits
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.line)
	w.line++
	return w.sw.SetRow(cell, cells)
}

func (w *xlsxWriter) Close() error {
	defer w.book.Close()
	if err := w.sw.Flush(); err != nil {
		return err
	}
	_, err := w.book.WriteTo(w.out)
	return err
}
