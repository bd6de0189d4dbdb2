package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/uploadlink"
)

func TestUploadLinksCountOnlyWhileLiveAndUnderTheirLimit(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c := insert(t, s, func() cases.Case { c, _ := newCase(t, "LINK1", cases.TypeDamaged, t0); return c }(), nil)
		in := func(fn func(tx *sqlstore.Tx) error) error {
			return s.InTx(ctx, func(tx store.Tx) error { return fn(tx.(*sqlstore.Tx)) })
		}
		var l uploadlink.Link
		if err := in(func(tx *sqlstore.Tx) (err error) {
			l, err = tx.InsertUploadLink(ctx, uploadlink.Link{CaseID: c.ID, TokenHash: uploadlink.Hash("t1"), CreatedBy: "agent1",
				CreatedAt: t0, ExpiresAt: t0.Add(72 * time.Hour)})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := in(func(tx *sqlstore.Tx) error {
			_, err := tx.InsertUploadLink(ctx, uploadlink.Link{CaseID: c.ID, TokenHash: uploadlink.Hash("t1"), CreatedBy: "x", CreatedAt: t0, ExpiresAt: t0})
			return err
		}); err == nil {
			t.Fatal("a second link with the same token hash")
		}
		count := func(at time.Time, max int) bool {
			var ok bool
			if err := in(func(tx *sqlstore.Tx) (err error) { ok, err = tx.CountUpload(ctx, l.ID, at, max); return err }); err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !count(t0.Add(time.Hour), 2) || !count(t0.Add(time.Hour), 2) || count(t0.Add(time.Hour), 2) {
			t.Fatal("the limit of 2 files")
		}
		if count(t0.Add(72*time.Hour), 5) {
			t.Fatal("counted on an expired link")
		}
		if err := in(func(tx *sqlstore.Tx) error { return tx.RevokeUploadLink(ctx, l.ID, "agent1", t0.Add(2*time.Hour)) }); err != nil {
			t.Fatal(err)
		}
		if count(t0.Add(3*time.Hour), 5) {
			t.Fatal("counted on a revoked link")
		}
		got, err := s.UploadLinkByHash(ctx, uploadlink.Hash("t1"))
		if err != nil || got.Uploads != 2 || got.RevokedAt == nil || !got.RevokedAt.Equal(t0.Add(2*time.Hour)) || got.CaseID != c.ID {
			t.Fatalf("link read back: %+v %v", got, err)
		}
		if _, err := s.UploadLinkByHash(ctx, uploadlink.Hash("nope")); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown hash: %v", err)
		}
		if list, err := s.UploadLinks(ctx, c.ID); err != nil || len(list) != 1 {
			t.Fatalf("list: %v %v", list, err)
		}

		if _, err := s.Thumb(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("no thumbnail yet: %v", err)
		}
		for _, thumb := range []string{"t1", "t2"} {
			if err := s.SaveThumb(ctx, "h1", thumb, t0); err != nil {
				t.Fatal(err)
			}
		}
		if thumb, err := s.Thumb(ctx, "h1"); err != nil || thumb != "t1" {
			t.Fatalf("the first thumbnail stays: %s %v", thumb, err)
		}
	})
}
