package desk

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/uploadlink"
)

// UploadLinkTx is what the desk needs of a transaction to keep upload links.
type UploadLinkTx interface {
	InsertUploadLink(ctx context.Context, l uploadlink.Link) (uploadlink.Link, error)
	UploadLink(ctx context.Context, id int64) (uploadlink.Link, error)
	RevokeUploadLink(ctx context.Context, id int64, by string, at time.Time) error
	CountUpload(ctx context.Context, id int64, now time.Time, max int) (bool, error)
}

// UploadLinkStore reads links outside a transaction.
type UploadLinkStore interface {
	UploadLinkByHash(ctx context.Context, hash string) (uploadlink.Link, error)
	UploadLinks(ctx context.Context, caseID int64) ([]uploadlink.Link, error)
}

var errNoUploadLinks = errors.New("store keeps no upload links")

func linkTx(tx store.Tx) (UploadLinkTx, error) {
	lt, ok := tx.(UploadLinkTx)
	if !ok {
		return nil, errNoUploadLinks
	}
	return lt, nil
}

func (d *Desk) linkStore() (UploadLinkStore, error) {
	ls, ok := d.store.(UploadLinkStore)
	if !ok {
		return nil, errNoUploadLinks
	}
	return ls, nil
}

// NewUploadLink is a link just made, with the token the customer's URL carries (shown
// once: only its hash is kept).
type NewUploadLink struct {
	uploadlink.Link
	Token string
}

// CreateUploadLink makes a customer's upload link for an open case, valid for the
// configured time; the event upload_link.created records it (without the token).
func (d *Desk) CreateUploadLink(ctx context.Context, actor Actor, id int64) (NewUploadLink, error) {
	if cases.IsTrainingCase(id) {
		// The customer's page serves the shop's cases only; a simulated customer sends
		// photos when asked in the chat.
		return NewUploadLink{}, &RuleError{Code: "practice_no_link", Message: "练习工单的顾客由系统模拟:请在对话中请顾客发照片,无需生成上传链接"}
	}
	token, hash, err := uploadlink.NewToken(rand.Reader)
	if err != nil {
		return NewUploadLink{}, err
	}
	var out NewUploadLink
	_, err = caseOnly(d.change(ctx, actor, id, AnyVersion, func(tx store.Tx, c cases.Case) ([]draft, error) {
		if err := evidenceAllowed(c); err != nil {
			return nil, err
		}
		lt, err := linkTx(tx)
		if err != nil {
			return nil, err
		}
		now := d.clockNow()
		l, err := lt.InsertUploadLink(ctx, uploadlink.Link{CaseID: c.ID, TokenHash: hash, CreatedBy: actor.Name,
			CreatedAt: now, ExpiresAt: now.Add(d.links.TTL)})
		if err != nil {
			return nil, err
		}
		out = NewUploadLink{Link: l, Token: token}
		return []draft{{cases.EvUploadLinkCreated, cases.UploadLinkPayload{Link: l.ID, ExpiresAt: l.ExpiresAt}}}, nil
	}))
	return out, err
}

// RevokeUploadLink stops a link of case id from working; a link of another case is not
// found, a revoked one cannot be revoked again.
func (d *Desk) RevokeUploadLink(ctx context.Context, actor Actor, id, linkID int64) (uploadlink.Link, error) {
	var out uploadlink.Link
	_, err := caseOnly(d.change(ctx, actor, id, AnyVersion, func(tx store.Tx, c cases.Case) ([]draft, error) {
		lt, err := linkTx(tx)
		if err != nil {
			return nil, err
		}
		l, err := lt.UploadLink(ctx, linkID)
		if err != nil || l.CaseID != c.ID {
			return nil, store.ErrNotFound
		}
		if l.RevokedAt != nil {
			return nil, &RuleError{Code: "link_revoked", Message: "该上传链接已经撤销"}
		}
		now := d.clockNow()
		if err := lt.RevokeUploadLink(ctx, l.ID, actor.Name, now); err != nil {
			return nil, err
		}
		l.RevokedAt, l.RevokedBy = &now, actor.Name
		out = l
		return []draft{{cases.EvUploadLinkRevoked, cases.UploadLinkPayload{Link: l.ID, ExpiresAt: l.ExpiresAt}}}, nil
	}))
	return out, err
}

// UploadLinks lists a case's links, newest first.
func (d *Desk) UploadLinks(ctx context.Context, id int64) ([]uploadlink.Link, error) {
	if _, err := d.store.GetCase(ctx, id); err != nil {
		return nil, err
	}
	ls, err := d.linkStore()
	if err != nil {
		return nil, err
	}
	return ls.UploadLinks(ctx, id)
}

// LinkConfig is the links' configuration (TTL, rate limits, public address).
func (d *Desk) LinkConfig() uploadlink.Config { return d.links }

// CustomerView is all the customer's page may show: the product and what evidence the
// guide still needs. Nothing else about the case or the shop.
type CustomerView struct {
	Link    uploadlink.Link
	Product string
	Missing []playbook.Need
	// Received counts the files that came in through this link.
	Received int
}

// OpenUploadLink finds the link of token and checks it works now: an unknown, expired
// or revoked link, or a case that no longer takes evidence, is an *uploadlink.Refusal.
func (d *Desk) OpenUploadLink(ctx context.Context, token string) (CustomerView, error) {
	if !uploadlink.ValidToken(token) {
		return CustomerView{}, uploadlink.ErrUnknown
	}
	ls, err := d.linkStore()
	if err != nil {
		return CustomerView{}, err
	}
	l, err := ls.UploadLinkByHash(ctx, uploadlink.Hash(token))
	if errors.Is(err, store.ErrNotFound) {
		return CustomerView{}, uploadlink.ErrUnknown
	}
	if err != nil {
		return CustomerView{}, err
	}
	if err := l.Check(d.clockNow()); err != nil {
		return CustomerView{}, err
	}
	c, _, g, err := d.Guide(ctx, l.CaseID)
	if err != nil {
		return CustomerView{}, err
	}
	if c.Status != cases.StatusOpen {
		return CustomerView{}, uploadlink.ErrClosed
	}
	product := c.Intake.SKU
	return CustomerView{Link: l, Product: product, Missing: g.MissingEvidence, Received: l.Uploads}, nil
}

// CustomerEvidence records a file the customer sent through link l: the evidence event
// (actor: the link), which resumes a clock paused for the customer, and a notification
// to the case's agent (the supervisors when nobody works it), in one transaction that
// also checks the link is still live.
func (d *Desk) CustomerEvidence(ctx context.Context, l uploadlink.Link, ev cases.Evidence) (cases.Case, error) {
	actor := Actor{Name: cases.UploadLinkActor(l.ID)}
	c, _, err := d.change(ctx, actor, l.CaseID, AnyVersion, func(tx store.Tx, c cases.Case) ([]draft, error) {
		if c.Status != cases.StatusOpen {
			return nil, uploadlink.ErrClosed
		}
		lt, err := linkTx(tx)
		if err != nil {
			return nil, err
		}
		live, err := lt.CountUpload(ctx, l.ID, d.clockNow(), d.links.MaxFiles)
		if err != nil {
			return nil, err
		}
		if !live {
			cur, err := lt.UploadLink(ctx, l.ID)
			if err != nil {
				return nil, err
			}
			if err := cur.Check(d.clockNow()); err != nil {
				return nil, err
			}
			return nil, uploadlink.ErrFull
		}
		to := []string{SupervisorsGroup}
		if c.Assignee != "" {
			to = []string{c.Assignee}
		}
		text := fmt.Sprintf("工单 #%d(%s)顾客通过上传链接提交了%s:%s", c.ID, c.CustomerName, evidenceName(ev.Kind), ev.Name)
		return []draft{{cases.EvEvidenceAdded, ev}, {cases.EvNotified, cases.NotificationPayload{Kind: notify.KindEvidence, Text: text, Recipients: to}}}, nil
	})
	return c, err
}

func evidenceName(kind string) string {
	if l, ok := cases.EvidenceLabel(kind); ok {
		return l
	}
	return "凭证"
}

// ThumbStore remembers photo thumbnails.
type ThumbStore interface {
	Thumb(ctx context.Context, hash string) (string, error)
	SaveThumb(ctx context.Context, hash, thumb string, at time.Time) error
}

// Thumb is the hash of the thumbnail of evidence hash, if one was made.
func (d *Desk) Thumb(ctx context.Context, hash string) (string, bool, error) {
	ts, ok := d.store.(ThumbStore)
	if !ok {
		return "", false, nil
	}
	thumb, err := ts.Thumb(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	return thumb, err == nil, err
}

// SaveThumb remembers a thumbnail made of evidence hash (a store without thumbnails
// makes them again each time).
func (d *Desk) SaveThumb(ctx context.Context, hash, thumb string) error {
	ts, ok := d.store.(ThumbStore)
	if !ok {
		return nil
	}
	return ts.SaveThumb(ctx, hash, thumb, d.clockNow())
}
