package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/register"
	"github.com/shouhou/shouhou/internal/store"
)

// AfterSaleTx is what the desk needs of a transaction to keep platform records.
type AfterSaleTx interface {
	AfterSaleCase(ctx context.Context, p cases.Platform, shop, id string) (int64, bool, error)
	PutAfterSale(ctx context.Context, caseID int64, a cases.AfterSale, now time.Time) error
	MoveAfterSale(ctx context.Context, p cases.Platform, shop, id string, caseID int64) error
}

// AfterSaleStore finds a record's case outside a transaction.
type AfterSaleStore interface {
	AfterSaleCase(ctx context.Context, p cases.Platform, shop, id string) (int64, bool, error)
	// ShopHasAfterSales: records are keyed on the shop's code (it may not change).
	ShopHasAfterSales(ctx context.Context, code string) (bool, error)
}

var errNoAfterSales = errors.New("store keeps no platform after-sale records")

// Outcomes of an upsert.
const (
	OutcomeCreated   = "created"
	OutcomeUpdated   = "updated"
	OutcomeUnchanged = "unchanged"
)

// AfterSaleResult is what an upsert did to the record's case.
type AfterSaleResult struct {
	Outcome string `json:"result"`
	CaseID  int64  `json:"case_id"`
}

var errUnchanged = errors.New("after-sale record unchanged")

// UpsertAfterSale is the one way a platform record reaches a case, for every way in
// (file import, intake API, connectors): keyed by (platform, shop, after-sale id), a
// new record joins the newest open case of its order that has no record yet, or opens
// a case with its platform.status_changed event and the record's row in one
// transaction; a known one appends platform.status_changed (the status or the
// intervention moved) or platform.record_updated (amounts, deadline) through the
// case's transactional write, or nothing when the record says what the case knows.
func (d *Desk) UpsertAfterSale(ctx context.Context, actor Actor, in platform.Checked) (AfterSaleResult, error) {
	as, ok := d.store.(AfterSaleStore)
	if !ok {
		return AfterSaleResult{}, errNoAfterSales
	}
	sh, err := d.recordShop(ctx, &in)
	if err != nil {
		return AfterSaleResult{}, err
	}
	// An intake token writes as its user: an agent who serves some shops pushes records
	// of those shops only, as they open cases only there.
	if served, err := d.ServedShops(ctx, actor); err != nil {
		return AfterSaleResult{}, err
	} else if len(served) > 0 && !slices.Contains(served, sh.ID) {
		return AfterSaleResult{}, invalid("shop", fmt.Sprintf("令牌的用户没有负责店铺「%s」", sh.Name))
	}
	a := in.AfterSale
	for range maxRetries {
		id, found, err := as.AfterSaleCase(ctx, a.Platform, a.Shop, a.ID)
		if err != nil {
			return AfterSaleResult{}, err
		}
		if found {
			return d.updateAfterSale(ctx, actor, id, a)
		}
		// The customer's case may be open already (the agent is on it when the
		// platform's request arrives): the record joins it instead of a second case.
		if open, ok, err := d.openCaseOfOrder(ctx, a, sh.ID); err != nil {
			return AfterSaleResult{}, err
		} else if ok {
			res, err := d.updateAfterSale(ctx, actor, open, a)
			if errors.Is(err, store.ErrDuplicate) {
				continue // another writer linked the record meanwhile
			}
			return res, err
		}
		res, err := d.createAfterSale(ctx, actor, in, sh.ID)
		if errors.Is(err, store.ErrDuplicate) {
			continue // another writer opened it first: update that case
		}
		return res, err
	}
	return AfterSaleResult{}, fmt.Errorf("after-sale %s: %w", a.ID, store.ErrDuplicate)
}

// recordShop finds the shop a record names by its code ("" is the business's only
// shop) and keys the record on that shop's code; an unknown code, a missing one with
// several shops, or a shop of another platform is a field error (shop, platform).
func (d *Desk) recordShop(ctx context.Context, in *platform.Checked) (store.Shop, error) {
	if _, ok := d.store.(ShopStore); !ok {
		return store.Shop{}, nil
	}
	shops, err := d.Shops(ctx)
	if err != nil {
		return store.Shop{}, err
	}
	var sh store.Shop
	if code := in.AfterSale.Shop; code == "" {
		if len(shops) != 1 {
			return sh, invalid("shop", "有多个店铺,请填写店铺代码")
		}
		sh = shops[0]
	} else if sh, err = d.ShopByCode(ctx, code); err != nil {
		var nf *ShopNotFoundError
		if errors.As(err, &nf) {
			return sh, invalid("shop", nf.Error())
		}
		return sh, err
	}
	// With one shop its platform is a default, as for any new case (resolveShop).
	if len(shops) > 1 && in.AfterSale.Platform != sh.Platform {
		return sh, invalid("platform", fmt.Sprintf("平台与店铺「%s」(%s)不符", sh.Name, cases.PlatformLabel(sh.Platform)))
	}
	in.AfterSale.Shop, in.Record.Shop = sh.Code, sh.Code
	return sh, nil
}

// openCaseOfOrder is the newest open case of the record's order on its platform, in
// the record's shop, that holds no platform record yet.
func (d *Desk) openCaseOfOrder(ctx context.Context, a cases.AfterSale, shopID int64) (int64, bool, error) {
	if a.OrderNo == "" {
		return 0, false, nil
	}
	ids, err := d.store.CasesByOrder(ctx, a.Platform, a.OrderNo)
	if err != nil {
		return 0, false, err
	}
	var best int64
	for _, id := range ids {
		c, err := d.store.GetCase(ctx, id)
		if err != nil {
			return 0, false, err
		}
		if c.Status == cases.StatusOpen && c.AfterSale == nil && (shopID == 0 || c.Shop() == shopID) && id > best {
			best = id
		}
	}
	return best, best != 0, nil
}

func (d *Desk) createAfterSale(ctx context.Context, actor Actor, in platform.Checked, shopID int64) (AfterSaleResult, error) {
	now := d.clockNow()
	n := NewCase{Intake: platform.IntakeOf(in.Record, in.AfterSale), integration: true,
		extra: []draft{{cases.EvPlatformStatus, cases.AfterSalePayload{Record: in.AfterSale}}}}
	n.Intake.ShopID = shopID
	if err := n.validate(now); err != nil {
		return AfterSaleResult{}, err
	}
	d.safetyLevel(&n)
	var earliest time.Time
	var told fireOutcome
	var out cases.Case
	err := d.store.InTx(ctx, func(tx store.Tx) error {
		earliest, told = time.Time{}, fireOutcome{}
		at, ok := tx.(AfterSaleTx)
		if !ok {
			return errNoAfterSales
		}
		if _, found, err := at.AfterSaleCase(ctx, in.AfterSale.Platform, in.AfterSale.Shop, in.AfterSale.ID); err != nil || found {
			if found {
				return store.ErrDuplicate
			}
			return err
		}
		c, err := d.insert(ctx, tx, actor, n, 0, now, &earliest, &told)
		if err != nil {
			return err
		}
		out = c
		return at.PutAfterSale(ctx, c.ID, in.AfterSale, now)
	})
	if err != nil {
		return AfterSaleResult{}, err
	}
	d.ring(earliest)
	d.notified(told)
	return AfterSaleResult{Outcome: OutcomeCreated, CaseID: out.ID}, nil
}

func (d *Desk) updateAfterSale(ctx context.Context, actor Actor, id int64, a cases.AfterSale) (AfterSaleResult, error) {
	// A merged case hands its record to the case it was merged into.
	row := id
	for range 10 {
		c, err := d.store.GetCase(ctx, id)
		if err != nil {
			return AfterSaleResult{}, err
		}
		if c.Status != cases.StatusMerged || c.MergedInto == 0 {
			break
		}
		id = c.MergedInto
	}
	_, _, err := d.change(ctx, actor, id, AnyVersion, func(tx store.Tx, c cases.Case) ([]draft, error) {
		at, ok := tx.(AfterSaleTx)
		if !ok {
			return nil, errNoAfterSales
		}
		owner, linked, err := at.AfterSaleCase(ctx, a.Platform, a.Shop, a.ID)
		switch {
		case err != nil:
			return nil, err
		case !linked && c.AfterSale != nil:
			return nil, store.ErrDuplicate // the case took another record meanwhile
		case linked && owner != row:
			return nil, store.ErrDuplicate // the record went to another case meanwhile
		case linked && row != c.ID:
			if err := at.MoveAfterSale(ctx, a.Platform, a.Shop, a.ID, c.ID); err != nil {
				return nil, err
			}
		}
		old := c.AfterSale
		if old != nil && platform.Same(*old, a) {
			return nil, errUnchanged
		}
		typ := cases.EvPlatformUpdated
		p := cases.AfterSalePayload{Record: a}
		if platform.StatusChanged(old, a) {
			typ = cases.EvPlatformStatus
		}
		if old != nil {
			p.FromStatus, p.FromStatusLabel, p.FromRawStatus = old.Status, old.StatusLabel, old.RawStatus
		}
		if err := at.PutAfterSale(ctx, c.ID, a, d.clockNow()); err != nil {
			return nil, err
		}
		return []draft{{typ, p}}, nil
	})
	switch {
	case errors.Is(err, errUnchanged):
		return AfterSaleResult{Outcome: OutcomeUnchanged, CaseID: id}, nil
	case err != nil:
		return AfterSaleResult{CaseID: id}, err
	}
	return AfterSaleResult{Outcome: OutcomeUpdated, CaseID: id}, nil
}

// AfterSaleImport is what an import of a platform export did.
type AfterSaleImport struct {
	Rows      int `json:"rows"`
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// ImportAfterSales upserts each row of an after-sale export (read and checked by
// platform.Catalog.Parse). With any problem nothing is imported; with dryRun nothing
// is either, and the result says what would be (a row is "updated" when its case
// exists and the record differs).
func (d *Desk) ImportAfterSales(ctx context.Context, actor Actor, rows []platform.Parsed, problems []register.Problem, dryRun bool) (AfterSaleImport, error) {
	res := AfterSaleImport{Rows: len(rows)}
	if len(problems) > 0 {
		return res, &ImportError{Problems: problems}
	}
	as, ok := d.store.(AfterSaleStore)
	if !ok {
		return res, errNoAfterSales
	}
	// Every row is checked against the desk (its shop, its platform, the case it would
	// open) before anything is written: a refused row is listed with the others and the
	// import writes nothing, as a dry run says.
	checked := make([]AfterSaleResult, 0, len(rows))
	for _, row := range rows {
		r, err := d.wouldUpsert(ctx, as, row.Checked)
		var ve cases.ValidationError
		if errors.As(err, &ve) {
			for _, fe := range ve {
				col, ok := cases.LabelOf(platform.Fields, fe.Field)
				if !ok {
					col = fe.Field
				}
				problems = append(problems, register.Problem{Row: row.Row, Column: col, Reason: fe.Message})
			}
			continue
		}
		if err != nil {
			return res, fmt.Errorf("第%d行: %w", row.Row, err)
		}
		checked = append(checked, r)
	}
	if len(problems) > 0 {
		return res, &ImportError{Problems: problems}
	}
	for i, row := range rows {
		r := checked[i]
		if !dryRun {
			var err error
			if r, err = d.UpsertAfterSale(ctx, actor, row.Checked); err != nil {
				return res, fmt.Errorf("第%d行: %w", row.Row, err)
			}
		}
		switch r.Outcome {
		case OutcomeCreated:
			res.Created++
		case OutcomeUpdated:
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	return res, nil
}

func (d *Desk) wouldUpsert(ctx context.Context, as AfterSaleStore, in platform.Checked) (AfterSaleResult, error) {
	sh, err := d.recordShop(ctx, &in)
	if err != nil {
		return AfterSaleResult{}, err
	}
	id, found, err := as.AfterSaleCase(ctx, in.AfterSale.Platform, in.AfterSale.Shop, in.AfterSale.ID)
	if err == nil && !found {
		if open, ok, err := d.openCaseOfOrder(ctx, in.AfterSale, sh.ID); err != nil || ok {
			return AfterSaleResult{Outcome: OutcomeUpdated, CaseID: open}, err
		}
	}
	if err != nil || !found {
		if err == nil {
			if err := (&NewCase{Intake: platform.IntakeOf(in.Record, in.AfterSale)}).validate(d.clockNow()); err != nil {
				return AfterSaleResult{}, err
			}
		}
		return AfterSaleResult{Outcome: OutcomeCreated}, err
	}
	c, err := d.store.GetCase(ctx, id)
	if err != nil {
		return AfterSaleResult{}, err
	}
	if c.AfterSale != nil && platform.Same(*c.AfterSale, in.AfterSale) {
		return AfterSaleResult{Outcome: OutcomeUnchanged, CaseID: id}, nil
	}
	return AfterSaleResult{Outcome: OutcomeUpdated, CaseID: id}, nil
}

// platformTimer is the platform's deadline for the seller's next step, as a case timer.
func (d *Desk) platformTimer(c cases.Case) (time.Time, string, bool) {
	due, ok := c.AfterSale.SellerDeadline()
	if !ok || platform.Terminal(c.AfterSale.Status) {
		return time.Time{}, "", false
	}
	return due, "平台时限到期:" + platform.Expectation(c.AfterSale, d.zone) + "。请立即在平台后台处理,避免平台按超时自动处理", true
}

// advisePlatform puts the platform record in the guide: what the platform expects
// next, by when, and a flag when our accepted solution and the platform disagree.
func (d *Desk) advisePlatform(g *playbook.Guide, c cases.Case) {
	a := c.AfterSale
	if a == nil {
		return
	}
	status := fmt.Sprintf("%s售后单 %s(%s):%s", cases.PlatformLabel(a.Platform), a.ID, a.TypeLabel, a.StatusLabel)
	if a.InterventionLabel != "" {
		status += "," + a.InterventionLabel
	}
	if line := platform.Expectation(a, d.zone); line != "" {
		status += "。" + line
	}
	g.Notices = append(g.Notices, playbook.Violation{Rule: "platform.status", Severity: playbook.Info, Message: status})
	for _, msg := range platformMismatch(c) {
		g.Flags = append(g.Flags, playbook.Flag{ID: "platform_mismatch", Message: msg})
	}
}

var refundKinds = []string{string(execution.KindRefundOnly), string(execution.KindReturnRefund)}

// platformMismatch lists where our accepted solution and the platform's record
// disagree.
func platformMismatch(c cases.Case) []string {
	a := c.AfterSale
	var out []string
	platformRefund := (a.Type == "refund_only" || a.Type == "return_refund") && !platform.Terminal(a.Status) && a.Status != platform.Refused
	refunded := slices.ContainsFunc(c.Executions, func(s execution.Solution) bool {
		return slices.Contains(refundKinds, string(s.Kind)) && s.State == execution.StateRefunded
	})
	if c.Accepted != nil {
		label, _ := cases.SolutionLabel(c.Accepted.Kind)
		isRefund := slices.Contains(refundKinds, c.Accepted.Kind)
		if !isRefund && platformRefund {
			out = append(out, fmt.Sprintf("方案不一致:我方已与顾客约定「%s」,平台上却是%s申请(%s)。请顾客在平台撤销或修改申请,否则平台可能超时自动退款", label, a.TypeLabel, a.StatusLabel))
		}
		if !isRefund && a.Status == platform.Refunded {
			out = append(out, fmt.Sprintf("方案不一致:平台显示已退款,我方方案是「%s」。请核对,避免重复赔付", label))
		}
	}
	if refunded && (a.Status == platform.Requested || a.Status == platform.ReturnedAwaitingSeller || a.Status == platform.AwaitingReturn) {
		out = append(out, fmt.Sprintf("状态不一致:我方已退款,平台仍显示「%s」。请在平台后台同意退款或确认收货", a.StatusLabel))
	}
	return out
}

// Platforms is the platforms' status catalog in force.
func (d *Desk) Platforms() *platform.Catalog { return d.platforms }

// CheckAfterSale checks a record from an integration at the desk's clock.
func (d *Desk) CheckAfterSale(r platform.Record, source string) (platform.Checked, cases.ValidationError) {
	return d.platforms.Check(r, source, d.clockNow())
}

// ParseAfterSales reads an export table with the shop's zone and the desk's clock.
// Without a platform of its own the import takes its shop's platform when the source's
// back office serves it (importPlatform).
func (d *Desk) ParseAfterSales(ctx context.Context, table [][]string, o platform.ImportOpts) ([]platform.Parsed, []register.Problem, error) {
	o.Zone, o.Now = d.zone, d.clockNow()
	p, problem, err := d.importPlatform(ctx, o)
	if err != nil {
		return nil, nil, err
	}
	if problem != nil {
		return nil, []register.Problem{*problem}, nil
	}
	o.Platform = p
	rows, problems := d.platforms.Parse(table, o)
	return rows, problems, nil
}

// importPlatform is the platform of an import's rows when the import gives none: the
// shop's, when the import names its shop (or the business has one) and the source's
// back office serves the shop's platform (千牛 serves Taobao and Tmall), so a Tmall
// shop's 千牛 export opens tmall cases and its re-import finds them. With several shops,
// a named shop the source does not serve is one problem saying how to fix the import
// (the rows would each be refused by recordShop otherwise).
func (d *Desk) importPlatform(ctx context.Context, o platform.ImportOpts) (cases.Platform, *register.Problem, error) {
	if o.Platform != "" || o.Source.Platform == "" {
		return o.Platform, nil, nil
	}
	if _, ok := d.store.(ShopStore); !ok {
		return "", nil, nil
	}
	shops, err := d.Shops(ctx)
	if err != nil {
		return "", nil, err
	}
	var sh store.Shop
	switch {
	case o.Shop != "":
		var nf *ShopNotFoundError
		if sh, err = d.ShopByCode(ctx, o.Shop); errors.As(err, &nf) {
			return "", nil, nil // every row names the unknown shop
		} else if err != nil {
			return "", nil, err
		}
	case len(shops) == 1:
		sh = shops[0]
	default:
		return "", nil, nil // the rows name their shops
	}
	if platform.SameBackOffice(o.Source.Platform, sh.Platform) {
		return sh.Platform, nil, nil
	}
	if len(shops) == 1 {
		return "", nil, nil // with one shop its platform is a default (recordShop)
	}
	col, _ := cases.LabelOf(platform.Fields, "platform")
	return "", &register.Problem{Row: 1, Column: col, Reason: fmt.Sprintf(
		"导出来源「%s」是%s的售后单,店铺「%s」是%s店铺:请选对店铺(命令行 --shop,接口字段 shop,工作台「店铺代码」)或导出来源(--source,字段 source);确是该店铺的售后单时用 --platform(接口字段 platform,工作台「平台」)指定平台",
		o.Source.Name, platform.BackOfficeLabel(o.Source.Platform), sh.Name, cases.PlatformLabel(sh.Platform))}, nil
}

// PlatformSink is the desk as a connector's sink: each record is checked and upserted
// as actor.
func (d *Desk) PlatformSink(actor Actor) platform.Sink { return platformSink{d: d, actor: actor} }

type platformSink struct {
	d     *Desk
	actor Actor
}

func (s platformSink) Upsert(ctx context.Context, r platform.Record, source string) (string, cases.ValidationError, error) {
	checked, bad := s.d.CheckAfterSale(r, source)
	if bad != nil {
		return "", bad, nil
	}
	res, err := s.d.UpsertAfterSale(ctx, s.actor, checked)
	var ve cases.ValidationError
	if errors.As(err, &ve) {
		return "", ve, nil
	}
	return res.Outcome, nil, err
}
