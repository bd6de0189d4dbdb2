package desk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/register"
	"github.com/shouhou/shouhou/internal/store"
)

// ErrExportAborted wraps a failure after the export started writing: the file is
// incomplete and the caller can only abort it.
var ErrExportAborted = errors.New("register export aborted")

// RegisterExport is what an export asks for: the format (csv, xlsx), the column ids
// (comma-separated; empty: the default columns) and the list filter.
type RegisterExport struct {
	Format  string
	Columns string
	Filter  store.CaseFilter
	Overdue bool
	// Name gives an agent's display name (nil: the desk's user directory).
	Name func(username string) string
}

// ExportRegister writes the register of the filtered cases, newest first, one keyset
// page at a time. The format, the columns and the first page are checked before
// anything is written (start is called just before the first byte, e.g. to set the
// download's headers); a failure after that is wrapped in ErrExportAborted. It returns
// how many cases it wrote.
func (d *Desk) ExportRegister(ctx context.Context, w io.Writer, x RegisterExport, start func()) (int, error) {
	if x.Format != register.CSV && x.Format != register.XLSX {
		return 0, invalid("format", "导出格式须为 csv 或 xlsx")
	}
	var ids []string
	shopNames, multi, err := d.shopNames(ctx)
	if err != nil {
		return 0, err
	}
	if strings.TrimSpace(x.Columns) != "" {
		ids = strings.Split(x.Columns, ",")
	} else if multi {
		ids = register.MultiShopColumns
	}
	cols, err := register.Pick(ids)
	if err != nil {
		return 0, invalid("columns", err.Error())
	}
	f := x.Filter
	f.Sort, f.Limit, f.Cursor = "recent", 200, ""
	page, err := d.List(ctx, f, x.Overdue)
	if err != nil {
		return 0, err
	}
	name := x.Name
	if name == nil {
		name = d.nameOf(ctx)
	}
	if start != nil {
		start()
	}
	out, err := register.NewWriter(w, x.Format, cols, register.Resolver{Name: name, Zone: d.zone, Shop: shopNames})
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrExportAborted, err)
	}
	n := 0
	for {
		for _, c := range page.Cases {
			if err := out.Row(c); err != nil {
				return n, fmt.Errorf("%w: %w", ErrExportAborted, err)
			}
			n++
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
		if page, err = d.List(ctx, f, x.Overdue); err != nil {
			return n, fmt.Errorf("%w: %w", ErrExportAborted, err)
		}
	}
	if err := out.Close(); err != nil {
		return n, fmt.Errorf("%w: %w", ErrExportAborted, err)
	}
	return n, nil
}

// nameOf looks agents' display names up in the user directory, once each.
// shopNames names shops by id for exports, and says whether there is more than one.
func (d *Desk) shopNames(ctx context.Context) (func(int64) string, bool, error) {
	names := map[int64]string{}
	if _, ok := d.store.(ShopStore); ok {
		shops, err := d.Shops(ctx)
		if err != nil {
			return nil, false, err
		}
		for _, sh := range shops {
			names[sh.ID] = cmp.Or(sh.Name, sh.Code)
		}
	}
	return func(id int64) string { return cmp.Or(names[id], fmt.Sprint(id)) }, len(names) > 1, nil
}

func (d *Desk) nameOf(ctx context.Context) func(string) string {
	seen := map[string]string{}
	return func(u string) string {
		if n, ok := seen[u]; ok {
			return n
		}
		n := u
		if d.users != nil {
			if user, err := d.users.UserByName(ctx, u); err == nil && user.DisplayName != "" {
				n = user.DisplayName
			}
		}
		seen[u] = n
		return n
	}
}

// ImportResult is what an import did: the cases it opened and the rows whose case
// already existed (an import runs again without adding anything).
type ImportResult struct {
	Rows     int `json:"rows"`
	Created  int `json:"created"`
	Existing int `json:"existing"`
}

// ImportError lists every bad cell of an import; nothing was imported.
type ImportError struct{ Problems []register.Problem }

func (e *ImportError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("发现%d处错误,未导入任何工单:\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

// ImportRegister opens a case for each row of a register or order list (read and
// checked by register.Parse). With any problem nothing is imported; with dryRun
// nothing is either, and the result says what would be. A row whose order already has
// a case of the same problem type is left alone, so an import may run again.
func (d *Desk) ImportRegister(ctx context.Context, actor Actor, rows []register.Parsed, problems []register.Problem, dryRun bool) (ImportResult, error) {
	res := ImportResult{Rows: len(rows)}
	rows, shopProblems, err := d.importShops(ctx, rows)
	if err != nil {
		return res, err
	}
	if problems = append(problems, shopProblems...); len(problems) > 0 {
		return res, &ImportError{Problems: problems}
	}
	for _, row := range rows {
		exists, err := d.imported(ctx, row.Intake)
		if err != nil {
			return res, err
		}
		if exists {
			res.Existing++
			continue
		}
		if dryRun {
			res.Created++
			continue
		}
		if _, _, err := d.Create(ctx, actor, NewCase{Intake: row.Intake}); err != nil {
			return res, fmt.Errorf("第%d行: %w", row.Row, err)
		}
		res.Created++
	}
	return res, nil
}

// importShops puts each row in the shop its 店铺 cell names (code or name); with more
// than one shop the cell is required, and a platform other than the shop's is a
// problem, so that no row fails halfway through an import.
func (d *Desk) importShops(ctx context.Context, rows []register.Parsed) ([]register.Parsed, []register.Problem, error) {
	if _, ok := d.store.(ShopStore); !ok {
		return rows, nil, nil
	}
	shops, err := d.Shops(ctx)
	if err != nil {
		return nil, nil, err
	}
	var problems []register.Problem
	out := make([]register.Parsed, len(rows))
	for i, row := range rows {
		out[i] = row
		name := strings.TrimSpace(row.Shop)
		if name == "" {
			if len(shops) > 1 {
				problems = append(problems, register.Problem{Row: row.Row, Column: register.ShopColumn, Reason: "请填写店铺(店铺代码或店铺名)"})
			}
			continue
		}
		j := slices.IndexFunc(shops, func(s store.Shop) bool { return s.Code == strings.ToLower(name) || s.Name == name })
		if j < 0 {
			problems = append(problems, register.Problem{Row: row.Row, Column: register.ShopColumn, Reason: fmt.Sprintf("没有代码或名称为「%s」的店铺", name)})
			continue
		}
		if len(shops) > 1 && row.Intake.Platform != shops[j].Platform {
			problems = append(problems, register.Problem{Row: row.Row, Column: "平台", Reason: fmt.Sprintf("平台与店铺「%s」(%s)不符", shops[j].Name, cases.PlatformLabel(shops[j].Platform))})
			continue
		}
		out[i].Intake.ShopID = shops[j].ID
	}
	return out, problems, nil
}

// imported reports whether the order already has a case of the intake's type.
func (d *Desk) imported(ctx context.Context, in cases.Intake) (bool, error) {
	ids, err := d.store.CasesByOrder(ctx, in.Platform, in.OrderNo)
	if err != nil {
		return false, err
	}
	for _, id := range ids {
		c, err := d.store.GetCase(ctx, id)
		if err != nil {
			return false, err
		}
		if c.Type == in.Type {
			return true, nil
		}
	}
	return false, nil
}
