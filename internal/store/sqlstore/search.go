package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
)

// Search has two indexes, written in the transaction that writes the case:
//
//   - case_keys: the case's whole identifiers (order number, tracking number, phone,
//     the phone's last 4 digits, customer name, SKU, batch) and every one- and
//     two-character piece of the customer name, lowered. A query equal to one of them
//     is an exact hit: one index lookup, whatever the query's length.
//   - case_search: one text per case over the same fields and the description, indexed
//     by trigrams (SQLite FTS5 trigram tokenizer; PostgreSQL pg_trgm GIN). A query of
//     MinSubstring characters or more matches any substring, Chinese included.
//
// A list with a query shows the exact hits first, then the substring hits that are
// not exact hits, each part keyset-paginated in the list's order. A query shorter than
// MinSubstring characters finds exact hits only: whole identifiers and names, and names
// holding it (赵 finds 赵先生, 小明 finds 王小明); a trigram index cannot answer a
// shorter substring of the other fields, and a scan of every case is what search must
// never be.

// MinSubstring is the shortest query, in characters, that matches substrings.
const MinSubstring = 3

// searchBody is the text the trigram index holds for a case.
func searchBody(c cases.Case) string {
	return strings.Join([]string{c.CustomerName, c.CustomerPhone, c.OrderNo, c.TrackingNo, c.SKU, c.Batch, c.Description}, "\n")
}

// searchKeys are a case's whole identifiers as case_keys stores them.
func searchKeys(c cases.Case) []string {
	vals := []string{c.OrderNo, c.CustomerName, c.CustomerPhone, c.TrackingNo, c.SKU, c.Batch}
	if p := strings.TrimSpace(c.CustomerPhone); len(p) > 4 {
		vals = append(vals, p[len(p)-4:])
	}
	// Every one- and two-character piece of the name, so that a surname (赵) or a
	// given name (小明) finds the customer although the trigram index cannot.
	name := []rune(strings.TrimSpace(c.CustomerName))
	for i := range name {
		vals = append(vals, string(name[i:i+1]))
		if i+2 <= len(name) {
			vals = append(vals, string(name[i:i+2]))
		}
	}
	keys := make([]string, 0, len(vals))
	seen := make(map[string]bool, len(vals))
	for _, v := range vals {
		k := searchKey(v)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		keys = append(keys, k)
	}
	return keys
}

// searchKey is how identifiers and queries are compared: trimmed, ASCII letters lowered
// (as SQL lower() does in both databases), so SF1234 and sf1234 are one tracking number.
func searchKey(s string) string {
	s = strings.TrimSpace(s)
	b := []byte(s)
	for i, ch := range b {
		if 'A' <= ch && ch <= 'Z' {
			b[i] = ch + 'a' - 'A'
		}
	}
	return string(b)
}

// searchWrite is one pending write of the text index.
type searchWrite struct {
	id     int64
	body   string
	insert bool
}

// insertSearch indexes a new case.
func (t *Tx) insertSearch(ctx context.Context, c cases.Case) error {
	t.search = append(t.search, searchWrite{id: c.ID, body: searchBody(c), insert: true})
	return t.insertKeys(ctx, c)
}

// updateSearch re-indexes a case whose searchable fields changed; most writes (a note,
// a stage) change none of them: a case read in this transaction is compared in
// memory, any other with one primary-key compare.
func (t *Tx) updateSearch(ctx context.Context, c cases.Case) error {
	body := searchBody(c)
	if prev, ok := t.read[c.ID]; ok && prev == body {
		return nil
	}
	if t.read != nil {
		delete(t.read, c.ID) // the next write of the case in this transaction checks again
	}
	for i, w := range t.search {
		if w.id == c.ID {
			// Written earlier in this transaction and not yet flushed.
			if w.body != body {
				t.search[i].body = body
				return t.rewriteKeys(ctx, c)
			}
			return nil
		}
	}
	var stored string
	err := t.tx.QueryRowContext(ctx, t.d.rebind(`SELECT body FROM case_search WHERE `+t.d.searchID()+` = ?`), c.ID).Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("index case %d: %w", c.ID, err)
	}
	if err == nil && stored == body {
		return nil
	}
	t.search = append(t.search, searchWrite{id: c.ID, body: body, insert: errors.Is(err, sql.ErrNoRows)})
	return t.rewriteKeys(ctx, c)
}

func (t *Tx) rewriteKeys(ctx context.Context, c cases.Case) error {
	if err := t.write(ctx, fmt.Sprintf("index case %d", c.ID), t.d.rebind(`DELETE FROM case_keys WHERE case_id = ?`), c.ID); err != nil {
		return err
	}
	return t.insertKeys(ctx, c)
}

// flushSearch makes the transaction's text-index writes, last before it commits:
// SQLite's FTS5 moves its pending terms into a new index segment at every savepoint
// a later statement opens, so writing the text row last makes one segment per
// transaction rather than one per statement after it (seeding 500 cases in one
// transaction spent 40 % of its time merging those segments).
func (t *Tx) flushSearch(ctx context.Context) error {
	for _, w := range t.search {
		q := `UPDATE case_search SET body = ? WHERE ` + t.d.searchID() + ` = ?`
		args := []any{w.body, w.id}
		if w.insert {
			q = `INSERT INTO case_search (` + t.d.searchID() + `, body) VALUES (?, ?)`
			args = []any{w.id, w.body}
		}
		if err := t.write(ctx, fmt.Sprintf("index case %d", w.id), t.d.rebind(q), args...); err != nil {
			return err
		}
	}
	t.search = nil
	return nil
}

func (t *Tx) insertKeys(ctx context.Context, c cases.Case) error {
	// One row per statement: a multi-row INSERT makes SQLite open a statement
	// savepoint, and at every savepoint FTS5 flushes its pending terms into a new
	// segment (one segment per row instead of one per transaction).
	q := t.d.rebind(`INSERT INTO case_keys (key, case_id) VALUES (?, ?)`)
	what := fmt.Sprintf("index case %d", c.ID)
	for _, k := range searchKeys(c) {
		if err := t.write(ctx, what, q, k, c.ID); err != nil {
			return err
		}
	}
	return nil
}

// exactCond keeps the cases with an identifier equal to the query.
const exactCond = "id IN (SELECT case_id FROM case_keys WHERE key = ?)"

// textConds keeps the cases whose text holds the query and that are not exact hits
// (those came first). Newest first on SQLite, the text index drives the list (see
// sqliteDialect.searchJoin): a common fragment's page reads about as many matches as
// it shows, not all of them. In due order the cases' own index drives it when the
// text is common (see someMatches).
func (s *Store) textConds(ctx context.Context, q, sort string) (listFrom, []string, []any, error) {
	notExact, key := "id NOT IN (SELECT case_id FROM case_keys WHERE key = ?)", searchKey(q)
	if sort != "due" {
		if from, conds, args, ok := s.dialect.searchJoin(q); ok {
			return from, append(conds, notExact), append(args, key), nil
		}
	}
	matches, args := s.dialect.textMatches(q)
	in := "id IN (" + matches + ")"
	if sort == "due" && s.dialect.dueWalk() {
		ids, err := s.someMatches(ctx, matches, args)
		if err != nil {
			return listFrom{}, nil, nil, err
		}
		if len(ids) < s.commonMatches {
			// All of them: the list looks them up and sorts them.
			list, err := json.Marshal(ids)
			if err != nil {
				return listFrom{}, nil, nil, err
			}
			in, args = "id IN (SELECT value FROM json_each(?))", []any{string(list)}
		} else {
			in = "+" + in
		}
	}
	return casesFrom, []string{in, notExact}, append(args, key), nil
}

// someMatches reads the ids of the cases whose text holds the query, at most
// s.commonMatches of them. SQLite orders a search by due time in one of two ways:
// look every match up and sort them all (fast for a few hundred; a description
// piece held by a tenth of 1,000,000 cases is ~100,000 lookups), or walk the list's
// due index from the cursor and keep the cases among the matches, collected once
// ("+id" keeps SQLite from looking the matches up by id): fast when the matches are
// common, a walk of every open case when they are rare. Fewer than s.commonMatches
// are all of them, and the list uses them as they are; reaching the bound, it walks.
func (s *Store) someMatches(ctx context.Context, matches string, args []any) ([]int64, error) {
	rows, err := s.read.QueryContext(ctx, matches+" LIMIT ?", append(slices.Clone(args), s.commonMatches)...)
	if err != nil {
		return nil, fmt.Errorf("text matches: %w", err)
	}
	return collect(rows, func(r row) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// substringQuery reports whether q is long enough for the trigram index.
func substringQuery(q string) bool { return utf8.RuneCountInString(q) >= MinSubstring }

// ftsQuery is the FTS5 query for the cases whose text holds q. A phrase reads the
// posting list of every trigram of q, and in order numbers, phones and tracking
// numbers trigrams such as 000 are in nearly every case: a long query instead asks
// for three of its most distinctive trigrams (three different characters, nearest the
// end, where identifiers differ) and verify is true: the caller confirms the
// substring on those few candidates. Three, not two: at 1,000,000 cases two digit
// trigrams still share thousands of cases, each confirmed on its text (order number
// 8–17 ms against 1–7 ms with three; four were no better).
func ftsQuery(q string) (match string, verify bool) {
	grams := distinctGrams(q, 3)
	if grams == nil {
		return ftsPhrase(q), false
	}
	phrases := make([]string, len(grams))
	for i, g := range grams {
		phrases[i] = ftsPhrase(g)
	}
	return strings.Join(phrases, " AND "), true
}

// distinctGrams are the n most distinctive trigrams of a query longer than 5
// characters (three different characters, nearest the end), or nil when it has fewer
// than two: what both stores ask their trigram index for before confirming the whole
// query.
func distinctGrams(q string, n int) []string {
	r := []rune(q)
	if len(r) <= 5 {
		return nil
	}
	type gram struct {
		s     string
		score int
	}
	var grams []gram
	seen := map[string]bool{}
	for i := len(r) - 3; i >= 0; i-- {
		g := string(r[i : i+3])
		if seen[g] {
			continue
		}
		seen[g] = true
		distinct := 1
		if r[i+1] != r[i] {
			distinct++
		}
		if r[i+2] != r[i] && r[i+2] != r[i+1] {
			distinct++
		}
		grams = append(grams, gram{g, distinct})
	}
	slices.SortStableFunc(grams, func(a, b gram) int { return b.score - a.score })
	if len(grams) < 2 {
		return nil
	}
	out := make([]string, 0, n)
	for _, g := range grams[:min(n, len(grams))] {
		out = append(out, g.s)
	}
	return out
}

// ftsPhrase quotes q as one FTS5 phrase: with the trigram tokenizer a phrase matches
// wherever its text occurs.
func ftsPhrase(q string) string { return `"` + strings.ReplaceAll(q, `"`, `""`) + `"` }
