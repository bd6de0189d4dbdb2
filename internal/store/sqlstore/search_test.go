package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

func intakeCase(t testing.TB, in cases.Intake) (cases.Case, []cases.Event) {
	t.Helper()
	if in.Platform == "" {
		in.Platform = cases.PlatformJD
	}
	in.Amount, in.Type = money.Yuan(99), cases.TypeDamaged
	in.Normalize()
	payload, _ := json.Marshal(cases.CreatedPayload{Intake: in})
	events := []cases.Event{{Seq: 1, Type: cases.EvCreated, Actor: "agent1", At: t0, Payload: payload}}
	c, err := cases.Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	return c, events
}

func searchIDs(t *testing.T, s *sqlstore.Store, f store.CaseFilter) []int64 {
	t.Helper()
	ids := []int64{}
	for range 100 {
		page, err := s.ListCases(context.Background(), f)
		if err != nil {
			t.Fatalf("search %q: %v", f.Query, err)
		}
		for _, c := range page.Cases {
			ids = append(ids, c.ID)
		}
		if page.NextCursor == "" {
			return ids
		}
		f.Cursor = page.NextCursor
	}
	t.Fatalf("search %q: paging does not end", f.Query)
	return nil
}

func TestSearchFindsEveryIdentifierExactFirstThenSubstrings(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		mk := func(in cases.Intake) int64 {
			c, ev := intakeCase(t, in)
			return insert(t, s, c, ev).ID
		}
		// Oldest first: the exact hit on the tracking number is older than the case
		// that only mentions it, and still comes first.
		tracked := mk(cases.Intake{CustomerName: "王小明", CustomerPhone: "13800138000", OrderNo: "JD88001",
			TrackingNo: "SF1234567890", SKU: "CUP-350-BLUE", Batch: "B2026-11", Description: "杯子碎了"})
		mentions := mk(cases.Intake{CustomerName: "赵四", OrderNo: "JD88002", Description: "客户说快递单号 SF1234567890 查不到"})
		zhang := mk(cases.Intake{CustomerName: "张伟", OrderNo: "TB99001", Description: "漏水，瓶盖松动"})
		zhangLong := mk(cases.Intake{CustomerName: "张伟强", OrderNo: "TB99002", Description: "保温效果差"})
		// Holds the trigrams a long query is looked up by (SQLite: 890 789; PostgreSQL:
		// 890 789 678 567) but not the query: the substring is confirmed, so it is no
		// hit.
		mk(cases.Intake{CustomerName: "钱七", OrderNo: "JD77003", Description: "尾号567890的包裹"})
		for _, tc := range []struct {
			name, q string
			want    []int64
		}{
			{"order number", "JD88001", []int64{tracked}},
			{"order number fragment", "8800", []int64{mentions, tracked}},
			{"tracking number, any case, exact before a mention", "sf1234567890", []int64{tracked, mentions}},
			{"phone", "13800138000", []int64{tracked}},
			{"phone last 4 digits", "8000", []int64{tracked}},
			{"SKU", "cup-350-blue", []int64{tracked}},
			{"batch", "B2026-11", []int64{tracked}},
			{"description substring", "瓶盖松", []int64{zhang}},
			{"name fragment", "王小明", []int64{tracked}},
			{"two-character name finds every name holding it", "张伟", []int64{zhangLong, zhang}},
			{"surname", "张", []int64{zhangLong, zhang}},
			{"given name", "小明", []int64{tracked}},
			{"three-character name finds the longer name by substring", "张伟强", []int64{zhangLong}},
			{"short fragment that is no identifier finds nothing", "碎了", []int64{}},
			{"nothing", "不存在的内容", []int64{}},
			{"quotes are text", `"SF1`, []int64{}},
		} {
			got := searchIDs(t, s, store.CaseFilter{Query: tc.q})
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%s: q=%q found %v, want %v", tc.name, tc.q, got, tc.want)
			}
		}
		// Filters apply to both parts.
		if got := searchIDs(t, s, store.CaseFilter{Query: "SF1234567890", Platform: cases.PlatformTaobao}); len(got) != 0 {
			t.Errorf("platform filter ignored by search: %v", got)
		}
	})
}

func TestSearchIndexFollowsTheCaseInItsTransaction(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, ev := intakeCase(t, cases.Intake{CustomerName: "陈静", OrderNo: "JD70001", TrackingNo: "YT0000111"})
		c = insert(t, s, c, ev)
		next := c
		next.TrackingNo = "YT9999222"
		next, err := remark(t, s, next, "换了快递单号")
		if err != nil {
			t.Fatal(err)
		}
		if got := searchIDs(t, s, store.CaseFilter{Query: "YT0000111"}); len(got) != 0 {
			t.Errorf("old tracking number still found: %v", got)
		}
		if got := searchIDs(t, s, store.CaseFilter{Query: "YT9999222"}); len(got) != 1 {
			t.Errorf("new tracking number not found: %v", got)
		}
		// A write that fails (stale version) changes no index.
		stale := next
		stale.TrackingNo = "ZT5555333"
		stale.Version = c.Version
		if _, err := remark(t, s, stale, "过期的写入"); err == nil {
			t.Fatal("stale write accepted")
		}
		if got := searchIDs(t, s, store.CaseFilter{Query: "ZT5555333"}); len(got) != 0 {
			t.Errorf("failed write indexed: %v", got)
		}
		// Read and written in one transaction (as the desk does): a changed field is
		// indexed, an unchanged one is not rewritten.
		for _, tracking := range []string{"JT3333444", "JT3333444", "JT5555666"} {
			err := s.InTx(ctx, func(tx store.Tx) error {
				cur, err := tx.GetCase(ctx, c.ID)
				if err != nil {
					return err
				}
				p, _ := json.Marshal(cases.RemarkPayload{Text: "改单号"})
				e := cases.Event{CaseID: c.ID, Seq: cur.Version + 1, Type: cases.EvRemarkAdded, Actor: "agent1", At: t0, Payload: p}
				next, err := cases.Apply(cur, e)
				if err != nil {
					return err
				}
				next.TrackingNo = tracking
				return tx.AppendEvents(ctx, cur.Version, next, []cases.Event{e})
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := searchIDs(t, s, store.CaseFilter{Query: tracking}); len(got) != 1 {
				t.Errorf("tracking number %s written in the reading transaction not found: %v", tracking, got)
			}
		}
		if got := searchIDs(t, s, store.CaseFilter{Query: "JT3333444"}); len(got) != 0 {
			t.Errorf("replaced tracking number still found: %v", got)
		}
	})
}

func TestSearchPagesExactHitsThenTextHitsWithoutRepeats(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		var exact, text []int64
		for i := range 7 {
			c, ev := intakeCase(t, cases.Intake{CustomerName: "刘洋", OrderNo: fmt.Sprintf("PD%05d", i), Description: "普通问题"})
			exact = append(exact, insert(t, s, c, ev).ID)
			c, ev = intakeCase(t, cases.Intake{CustomerName: "客户", OrderNo: fmt.Sprintf("PX%05d", i), Description: "联系人刘洋先生"})
			text = append(text, insert(t, s, c, ev).ID)
		}
		for _, limit := range []int{1, 3, 7, 50} {
			got := searchIDs(t, s, store.CaseFilter{Query: "刘洋", Limit: limit})
			// Two characters: names only (not the descriptions), newest first.
			if fmt.Sprint(got) != fmt.Sprint(reversed(exact)) {
				t.Errorf("limit %d: 刘洋 found %v, want %v", limit, got, reversed(exact))
			}
			got = searchIDs(t, s, store.CaseFilter{Query: "刘洋先", Limit: limit})
			if fmt.Sprint(got) != fmt.Sprint(reversed(text)) {
				t.Errorf("limit %d: 刘洋先 found %v, want %v", limit, got, reversed(text))
			}
		}
		// An order-number prefix: exact hit first, then the other substrings.
		got := searchIDs(t, s, store.CaseFilter{Query: "PD00003", Limit: 1})
		if len(got) != 1 || got[0] != exact[3] {
			t.Errorf("PD00003 found %v", got)
		}
		got = searchIDs(t, s, store.CaseFilter{Query: "PD0000", Limit: 2, Sort: "due"})
		if len(got) != 7 {
			t.Errorf("PD0000 by due found %d cases, want 7", len(got))
		}
		if _, err := s.ListCases(context.Background(), store.CaseFilter{Query: "PD0000", Cursor: "s9.x"}); err != store.ErrBadCursor {
			t.Errorf("forged search cursor: %v", err)
		}
	})
}

func reversed(ids []int64) []int64 {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[len(ids)-1-i] = id
	}
	return out
}

func TestSearchMigrationIndexesExistingCases(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		c, ev := intakeCase(t, cases.Intake{CustomerName: "周杰", CustomerPhone: "13912345678", OrderNo: "JD60001",
			TrackingNo: "SF7777888899", SKU: "KETTLE-1L", Batch: "K11", Description: "电水壶底座发烫"})
		id := insert(t, s, c, ev).ID
		// Undo the search migration (its tables go) and run it again over the cases.
		if err := s.Remigrate(context.Background(), 14); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"JD60001", "sf7777888899", "5678", "周杰", "周", "杰", "KETTLE-1L", "K11", "底座发烫", "7778888"} {
			if got := searchIDs(t, s, store.CaseFilter{Query: q}); fmt.Sprint(got) != fmt.Sprint([]int64{id}) {
				t.Errorf("after the migration q=%q found %v", q, got)
			}
		}
		// Exact before substring holds for migrated rows too: the phone tail is a key.
		c2, ev2 := intakeCase(t, cases.Intake{CustomerName: "吴", OrderNo: "JD5678000", Description: "新案件"})
		id2 := insert(t, s, c2, ev2).ID
		if got := searchIDs(t, s, store.CaseFilter{Query: "5678"}); fmt.Sprint(got) != fmt.Sprint([]int64{id, id2}) {
			t.Errorf("5678 found %v, want the phone tail %d then the order %d", got, id, id2)
		}
	})
}

// A search in due order (the queue's search box) pages the same cases in the same
// order whether it sorts the matches (a rare text) or walks the due index and keeps
// the matches (a common one, SQLite), ties on the due time included.
func TestADueOrderedSearchPagesTheSameWhetherTheTextIsRareOrCommon(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		for i := range 12 {
			c, ev := newCase(t, fmt.Sprintf("DW%04d", i), cases.TypeDamaged, t0.Add(time.Duration(i%5)*time.Hour))
			insert(t, s, c, ev)
			c, ev = intakeCase(t, cases.Intake{CustomerName: "客户", OrderNo: fmt.Sprintf("DX%04d", i), Description: "别的问题"})
			insert(t, s, c, ev)
		}
		want := searchIDs(t, s, store.CaseFilter{Query: "外箱压坏", Status: cases.StatusOpen, Sort: "due", Limit: 50})
		if len(want) != 12 {
			t.Fatalf("found %d cases, want 12", len(want))
		}
		for _, common := range []int{1_000_000, 1} {
			s.SetCommonMatches(common)
			for _, limit := range []int{1, 3, 5, 50} {
				got := searchIDs(t, s, store.CaseFilter{Query: "外箱压坏", Status: cases.StatusOpen, Sort: "due", Limit: limit})
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("common at %d matches, limit %d: %v, want %v", common, limit, got, want)
				}
			}
		}
	})
}
