package sqlstore

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

const (
	defaultPageSize = 50
	maxPageSize     = 200
)

// ListCases returns one page of cases matching f, using keyset pagination so the cost
// of a page does not grow with how deep it is or how many cases match.
func (s *Store) ListCases(ctx context.Context, f store.CaseFilter) (store.CasePage, error) {
	if len(f.Query) > store.MaxQueryBytes {
		return store.CasePage{}, store.ErrQueryTooLong
	}
	if err := checkText("q", string(f.Stage), string(f.Type), string(f.Platform), f.Assignee, string(f.Status),
		f.Query, f.OrderNo, f.Cursor); err != nil {
		return store.CasePage{}, err
	}
	where, args := s.filterClause(f)
	limit := f.Limit
	if limit <= 0 {
		limit = defaultPageSize
	}
	limit = min(limit, maxPageSize)
	q := strings.TrimSpace(f.Query)
	if q == "" {
		sort := f.Sort
		if sort != "due" && datesOnly(where) {
			sort = sortCreated
		}
		return s.listPage(ctx, casesFrom, where, args, sort, f.Cursor, limit)
	}
	return s.searchPage(ctx, q, where, args, f.Sort, f.Cursor, limit)
}

// searchPage lists the exact hits of q (search.go), then its substring hits; the
// cursor says which part the next page continues.
func (s *Store) searchPage(ctx context.Context, q string, where []string, args []any, sort, cursor string, limit int) (store.CasePage, error) {
	phase, inner := 0, ""
	if cursor != "" {
		p, rest, ok := strings.Cut(cursor, ".")
		switch {
		case ok && p == "s0":
			inner = rest
		case ok && p == "s1":
			phase, inner = 1, rest
		default:
			return store.CasePage{}, store.ErrBadCursor
		}
	}
	page := store.CasePage{Cases: []cases.Case{}}
	if phase == 0 {
		var err error
		page, err = s.listPage(ctx, casesFrom, slices.Concat(where, []string{exactCond}), slices.Concat(args, []any{searchKey(q)}), sort, inner, limit)
		if err != nil || page.NextCursor != "" || !substringQuery(q) {
			if page.NextCursor != "" {
				page.NextCursor = "s0." + page.NextCursor
			}
			return page, err
		}
		if len(page.Cases) == limit {
			page.NextCursor = "s1."
			return page, nil
		}
		inner = ""
	}
	if !substringQuery(q) {
		return page, nil
	}
	from, conds, cargs, err := s.textConds(ctx, q, sort)
	if err != nil {
		return page, err
	}
	rest, err := s.listPage(ctx, from, slices.Concat(where, conds), slices.Concat(args, cargs), sort, inner, limit-len(page.Cases))
	if err != nil {
		return page, err
	}
	page.Cases = append(page.Cases, rest.Cases...)
	if rest.NextCursor != "" {
		page.NextCursor = "s1." + rest.NextCursor
	}
	return page, nil
}

// sortCreated is the newest-first order of a list filtered by creation date alone:
// by (created_at, id), so the page is read from the date range's own index, from the
// cursor on, and a page of a narrow old range reads that page and no more (ordered by
// id, SQLite walked the ids down from the cursor until it left the range, and then on
// to the first case). Cases are numbered as they are created, so it is the order of
// the other lists.
const sortCreated = "created"

// datesOnly reports a list whose only conditions are on the creation date.
func datesOnly(where []string) bool {
	for _, w := range where {
		if !strings.HasPrefix(w, "created_at ") {
			return false
		}
	}
	return len(where) > 0
}

// listFrom is what a list reads: the cases table, or the text index joined to it.
type listFrom struct {
	table string
	id    string // the case id column that orders the newest first
}

var casesFrom = listFrom{table: "cases", id: "id"}

// listPage runs one keyset-paginated list query over the conditions where.
func (s *Store) listPage(ctx context.Context, from listFrom, where []string, args []any, sort, cursor string, limit int) (store.CasePage, error) {
	keyExpr, order := from.id, from.id+" DESC"
	switch sort {
	case "due":
		keyExpr, order = "resolve_due_at", "resolve_due_at ASC, id ASC"
	case sortCreated:
		keyExpr, order = "created_at", "created_at DESC, id DESC"
	}
	where = slices.Clone(where)
	args = slices.Clone(args)
	if cursor != "" {
		key, id, err := decodeCursor(cursor)
		if err != nil {
			return store.CasePage{}, err
		}
		switch sort {
		case "due":
			where = append(where, "("+keyExpr+" > ? OR ("+keyExpr+" = ? AND id > ?))")
			args = append(args, key, key, id)
		case sortCreated:
			where = append(where, "(created_at, id) < (?, ?)")
			args = append(args, key, id)
		default:
			where = append(where, from.id+" < ?")
			args = append(args, id)
		}
	}
	q := "SELECT " + keyExpr + ", state FROM " + from.table
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY " + order + " LIMIT ?"
	if s.traceList != nil {
		s.traceList(s.dialect.rebind(q), append(slices.Clone(args), limit+1))
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(q), append(args, limit+1)...)
	if err != nil {
		return store.CasePage{}, unavailable(fmt.Errorf("list cases: %w", err))
	}
	defer rows.Close()
	page := store.CasePage{Cases: []cases.Case{}}
	var lastKey int64
	for rows.Next() {
		var key int64
		var state []byte
		if err := rows.Scan(&key, &state); err != nil {
			return page, fmt.Errorf("scan case: %w", err)
		}
		if len(page.Cases) == limit {
			last := page.Cases[limit-1]
			page.NextCursor = encodeCursor(lastKey, last.ID)
			break
		}
		c, err := decodeCase(state)
		if err != nil {
			return page, err
		}
		page.Cases = append(page.Cases, c)
		lastKey = key
	}
	return page, rows.Err()
}

func (s *Store) filterClause(f store.CaseFilter) ([]string, []any) {
	var where []string
	var args []any
	add := func(cond string, vals ...any) {
		where = append(where, cond)
		args = append(args, vals...)
	}
	if f.Stage != "" {
		add("stage = ?", string(f.Stage))
	}
	if f.Type != "" {
		add("type = ?", string(f.Type))
	}
	if f.Level != 0 {
		add("level = ?", int64(f.Level))
	}
	if f.Platform != "" {
		add("platform = ?", string(f.Platform))
	}
	if f.Shop != 0 {
		add("shop_id = ?", f.Shop)
	}
	if len(f.Shops) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?,", len(f.Shops)), ",")
		vals := make([]any, len(f.Shops))
		for i, id := range f.Shops {
			vals[i] = id
		}
		add("shop_id IN ("+marks+")", vals...)
	}
	if f.Assignee != "" {
		add("assignee = ?", f.Assignee)
	}
	if f.Unassigned {
		add("assignee = ''")
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.PendingApproval {
		add("pending_approval = 1")
	}
	if f.OrderNo != "" {
		add("order_no = ?", f.OrderNo)
	}
	if !f.OverdueAt.IsZero() {
		at := f.OverdueAt.UnixMilli()
		switch f.OverdueKind {
		case store.OverdueResponse:
			add("status = ? AND response_due_at < ?", string(cases.StatusOpen), at)
		case store.OverdueAny:
			add("status = ? AND (resolve_due_at < ? OR response_due_at < ?)", string(cases.StatusOpen), at, at)
		default:
			add("status = ? AND resolve_due_at < ?", string(cases.StatusOpen), at)
		}
	}
	if !f.CreatedFrom.IsZero() {
		add("created_at >= ?", f.CreatedFrom.UnixMilli())
	}
	if !f.CreatedBefore.IsZero() {
		add("created_at < ?", f.CreatedBefore.UnixMilli())
	}
	return where, args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func encodeCursor(key, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(key, 10) + "." + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (key, id int64, err error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, store.ErrBadCursor
	}
	k, i, ok := strings.Cut(string(raw), ".")
	if !ok {
		return 0, 0, store.ErrBadCursor
	}
	if key, err = strconv.ParseInt(k, 10, 64); err != nil {
		return 0, 0, store.ErrBadCursor
	}
	if id, err = strconv.ParseInt(i, 10, 64); err != nil {
		return 0, 0, store.ErrBadCursor
	}
	return key, id, nil
}

// CasesByOrder lists the ids of the cases on one order, oldest first: cases for the
// same order are linked by this.
func (s *Store) CasesByOrder(ctx context.Context, platform cases.Platform, orderNo string) ([]int64, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT id FROM cases WHERE order_no = ? AND platform = ? ORDER BY id`), orderNo, string(platform))
	if err != nil {
		return nil, fmt.Errorf("cases by order: %w", err)
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
