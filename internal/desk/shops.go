package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/policy"
	"github.com/shouhou/shouhou/internal/shop"
	"github.com/shouhou/shouhou/internal/store"
)

// ShopStore keeps the business's shops (table shops).
type ShopStore interface {
	Shops(ctx context.Context) ([]store.Shop, error)
	Shop(ctx context.Context, id int64) (store.Shop, error)
	ShopByCode(ctx context.Context, code string) (store.Shop, error)
	CreateShop(ctx context.Context, sh store.Shop) (store.Shop, error)
	UpdateShop(ctx context.Context, sh store.Shop) error
}

// ShopNotFoundError is a shop code no shop has; it is a store.ErrNotFound.
type ShopNotFoundError struct{ Code string }

func (e *ShopNotFoundError) Error() string {
	return fmt.Sprintf("没有代码为「%s」的店铺", e.Code)
}

// Unwrap makes errors.Is(err, store.ErrNotFound) hold.
func (e *ShopNotFoundError) Unwrap() error { return store.ErrNotFound }

// shopsTTL is how long the desk trusts its copy of the shops.
const shopsTTL = 5 * time.Second

type shopCache struct {
	mu     sync.Mutex
	shops  []store.Shop
	loaded time.Time
}

// cachedShops are the shops, read again after shopsTTL or a save.
func (d *Desk) cachedShops(ctx context.Context, ss ShopStore) ([]store.Shop, error) {
	d.shops.mu.Lock()
	defer d.shops.mu.Unlock()
	now := d.now()
	if d.shops.shops != nil && now.Sub(d.shops.loaded) < shopsTTL && !now.Before(d.shops.loaded) {
		return d.shops.shops, nil
	}
	shops, err := ss.Shops(ctx)
	if err != nil {
		return nil, err
	}
	d.shops.shops, d.shops.loaded = shops, now
	return shops, nil
}

func (d *Desk) forgetShops() {
	d.shops.mu.Lock()
	d.shops.shops = nil
	d.shops.mu.Unlock()
}

// cachedShop is one shop from the cache (store.ErrNotFound when there is none).
func (d *Desk) cachedShop(ctx context.Context, ss ShopStore, id int64) (store.Shop, error) {
	shops, err := d.cachedShops(ctx, ss)
	if err != nil {
		return store.Shop{}, err
	}
	if i := slices.IndexFunc(shops, func(s store.Shop) bool { return s.ID == id }); i >= 0 {
		return shops[i], nil
	}
	return store.Shop{}, store.ErrNotFound
}

func (d *Desk) shopStore() (ShopStore, error) {
	ss, ok := d.store.(ShopStore)
	if !ok {
		return nil, errors.New("store keeps no shops")
	}
	return ss, nil
}

// Shops lists the business's shops, by id.
func (d *Desk) Shops(ctx context.Context) ([]store.Shop, error) {
	ss, err := d.shopStore()
	if err != nil {
		return nil, err
	}
	return d.cachedShops(ctx, ss)
}

// Shop reads one shop (store.ErrNotFound when there is none).
func (d *Desk) Shop(ctx context.Context, id int64) (store.Shop, error) {
	ss, err := d.shopStore()
	if err != nil {
		return store.Shop{}, err
	}
	return ss.Shop(ctx, id)
}

// ShopByCode finds a shop by its code (imports and integrations key shops on it; codes
// are stored lower-case, so TMALL-MAIN finds tmall-main); an unknown code is a
// *ShopNotFoundError naming it.
func (d *Desk) ShopByCode(ctx context.Context, code string) (store.Shop, error) {
	ss, err := d.shopStore()
	if err != nil {
		return store.Shop{}, err
	}
	sh, err := ss.ShopByCode(ctx, strings.ToLower(strings.TrimSpace(code)))
	if errors.Is(err, store.ErrNotFound) {
		return sh, &ShopNotFoundError{Code: code}
	}
	return sh, err
}

// MultiShop reports whether the business has more than one shop: only then do pages
// show a shop column and select, and intake require a shop.
func (d *Desk) MultiShop(ctx context.Context) (bool, error) {
	shops, err := d.Shops(ctx)
	return len(shops) > 1, err
}

// checkShop normalizes and validates a shop an admin saves.
func (d *Desk) checkShop(actor Actor, sh store.Shop) (store.Shop, error) {
	if actor.Role != store.RoleAdmin {
		return sh, fmt.Errorf("%w: 只有管理员可以管理店铺", ErrForbidden)
	}
	sh = shop.Normalize(sh)
	if err := shop.Validate(sh); err != nil {
		return sh, err
	}
	if al := sh.Overrides.AgentLimit; al != nil && d.money() != nil {
		if _, err := agentLimitRules(d.money(), *al); err != nil {
			sup := d.money().Config().RoleLimits.Supervisor
			return sh, invalid("overrides.agent_limit", fmt.Sprintf("客服审批上限不能超过主管上限%s元", sup.Yuan()))
		}
	}
	return sh, shop.CheckSLA(d.sla, sh.Overrides)
}

// agentLimitRules are the money rules with another agent limit.
func agentLimitRules(base MoneyRules, limit money.Amount) (MoneyRules, error) {
	cfg := base.Config()
	cfg.RoleLimits.Agent = limit
	return policy.New(cfg)
}

// limitRules are the money rules of the case's shop: the policy with the shop's agent
// limit, when it has one (validated when saved; a policy changed since that no longer
// allows it keeps the policy's own limit).
func (d *Desk) limitRules(ctx context.Context, c cases.Case) (MoneyRules, error) {
	base := d.money()
	ss, ok := d.store.(ShopStore)
	if base == nil || !ok {
		return base, nil
	}
	sh, err := d.cachedShop(ctx, ss, c.Shop())
	if errors.Is(err, store.ErrNotFound) || (err == nil && sh.Overrides.AgentLimit == nil) {
		return base, nil
	}
	if err != nil {
		return nil, err
	}
	rules, err := agentLimitRules(base, *sh.Overrides.AgentLimit)
	if err != nil {
		d.logger.Warn("shop agent limit no longer valid under the policy", "shop", sh.ID, "err", err)
		return base, nil
	}
	return rules, nil
}

func duplicateCode(err error) error {
	if errors.Is(err, store.ErrDuplicate) {
		return invalid("code", "店铺代码已被其他店铺使用")
	}
	return err
}

// CreateShop adds a shop (admins); invalid input changes nothing.
func (d *Desk) CreateShop(ctx context.Context, actor Actor, sh store.Shop) (store.Shop, error) {
	ss, err := d.shopStore()
	if err != nil {
		return sh, err
	}
	if sh, err = d.checkShop(actor, sh); err != nil {
		return sh, err
	}
	now := d.clockNow()
	sh.ID, sh.UpdatedBy, sh.CreatedAt, sh.UpdatedAt = 0, actor.Name, now, now
	sh, err = ss.CreateShop(ctx, sh)
	d.forgetShops()
	return sh, duplicateCode(err)
}

// UpdateShop replaces a shop's settings (admins); invalid input changes nothing.
func (d *Desk) UpdateShop(ctx context.Context, actor Actor, sh store.Shop) (store.Shop, error) {
	ss, err := d.shopStore()
	if err != nil {
		return sh, err
	}
	old, err := ss.Shop(ctx, sh.ID)
	if err != nil {
		return sh, err
	}
	if sh, err = d.checkShop(actor, sh); err != nil {
		return sh, err
	}
	if as, ok := d.store.(AfterSaleStore); ok && sh.Code != old.Code {
		// Platform records are keyed on the code: renaming it would cut them off.
		if used, err := as.ShopHasAfterSales(ctx, old.Code); err != nil {
			return sh, err
		} else if used {
			return sh, invalid("code", fmt.Sprintf("店铺代码「%s」已用于平台售后单,不能修改", old.Code))
		}
	}
	sh.CreatedAt, sh.UpdatedBy, sh.UpdatedAt = old.CreatedAt, actor.Name, d.clockNow()
	err = ss.UpdateShop(ctx, sh)
	d.forgetShops()
	return sh, duplicateCode(err)
}

// resolveShop puts a new case in its shop: the one named, or the only one when the
// business has a single shop (more shops: shop_id is required). The shop's platform
// fills an empty platform, its return freight an empty one, and its clocks the SLA.
func (d *Desk) resolveShop(ctx context.Context, n *NewCase) error {
	ss, ok := d.store.(ShopStore)
	if !ok {
		n.sla = d.sla
		return nil
	}
	shops, err := d.cachedShops(ctx, ss)
	if err != nil {
		return err
	}
	var sh store.Shop
	switch i := slices.IndexFunc(shops, func(s store.Shop) bool { return s.ID == n.Intake.ShopID }); {
	case n.Intake.ShopID == 0 && len(shops) == 1:
		sh = shops[0]
	case n.Intake.ShopID == 0 && len(shops) > 1:
		return invalid("shop_id", "请选择店铺")
	case i < 0:
		return invalid("shop_id", "店铺不存在")
	default:
		sh = shops[i]
		if n.Intake.Platform != "" && n.Intake.Platform != sh.Platform && len(shops) > 1 {
			return invalid("platform", fmt.Sprintf("平台与店铺「%s」(%s)不符", sh.Name, cases.PlatformLabel(sh.Platform)))
		}
	}
	n.Intake.ShopID = sh.ID
	if n.Intake.Platform == "" {
		n.Intake.Platform = sh.Platform
	}
	if n.Intake.ReturnFreight == 0 && sh.Overrides.ReturnFreight != nil {
		n.Intake.ReturnFreight = *sh.Overrides.ReturnFreight
	}
	n.sla = shop.SLA(d.sla, sh.Overrides)
	return nil
}

// slaOf is the case's shop's clocks (the configuration's with the shop's overrides).
func (d *Desk) slaOf(ctx context.Context, shopID int64) (clock.SLA, error) {
	ss, ok := d.store.(ShopStore)
	if !ok {
		return d.sla, nil
	}
	sh, err := d.cachedShop(ctx, ss, shopID)
	if errors.Is(err, store.ErrNotFound) {
		return d.sla, nil
	}
	if err != nil {
		return d.sla, err
	}
	return shop.SLA(d.sla, sh.Overrides), nil
}

// ServedShops are the shops whose cases the actor sees: nil for all (supervisors,
// admins, agents who serve every shop).
func (d *Desk) ServedShops(ctx context.Context, actor Actor) ([]int64, error) {
	if actor.CanApprove() || actor.Role == "" {
		return nil, nil
	}
	ps, ok := d.store.(ProfileStore)
	if !ok {
		return nil, nil
	}
	// With one shop there is nothing to narrow (and no profile to read per request).
	if _, isShops := d.store.(ShopStore); isShops {
		shops, err := d.Shops(ctx)
		if err != nil || len(shops) < 2 {
			return nil, err
		}
	}
	p, err := ps.AgentProfile(ctx, actor.Name)
	if err != nil {
		return nil, err
	}
	return p.Shops, nil
}

// ScopeList checks a list's shop filter and narrows the list to the shops the actor
// serves (both faces call it after ListQuery); an unknown shop, or one outside the
// actor's, is a field error.
func (d *Desk) ScopeList(ctx context.Context, actor Actor, f *store.CaseFilter) error {
	if f.Shop != 0 {
		if _, err := d.Shop(ctx, f.Shop); errors.Is(err, store.ErrNotFound) {
			return invalid("shop", "店铺不存在")
		} else if err != nil {
			return err
		}
	}
	served, err := d.ServedShops(ctx, actor)
	if err != nil || len(served) == 0 {
		return err
	}
	if f.Shop != 0 && !slices.Contains(served, f.Shop) {
		return invalid("shop", "你没有负责该店铺")
	}
	f.Shops = served
	return nil
}

// defaultShop puts a new case that names no shop in the actor's shop when the actor
// serves exactly one of several: such an agent never has to pick it.
func (d *Desk) defaultShop(ctx context.Context, actor Actor, n *NewCase) error {
	if n.Intake.ShopID != 0 {
		return nil
	}
	shop, err := d.OnlyServedShop(ctx, actor)
	n.Intake.ShopID = shop
	return err
}

// OnlyServedShop is the one shop the actor serves when there are several shops and the
// actor serves exactly one, else 0: the new-case form preselects it.
func (d *Desk) OnlyServedShop(ctx context.Context, actor Actor) (int64, error) {
	served, err := d.ServedShops(ctx, actor)
	if err != nil || len(served) != 1 {
		return 0, err
	}
	return served[0], nil
}

// checkOwnShop refuses an agent opening a case in a shop they do not serve (they
// would keep a case they cannot see).
func (d *Desk) checkOwnShop(ctx context.Context, actor Actor, shop int64) error {
	served, err := d.ServedShops(ctx, actor)
	if err != nil || len(served) == 0 || slices.Contains(served, shop) {
		return err
	}
	return invalid("shop_id", "你没有负责该店铺,不能在该店铺新建工单")
}

// CheckVisible refuses (store.ErrNotFound) a case of a shop the actor does not serve,
// so an agent never reads or writes another shop's case.
func (d *Desk) CheckVisible(ctx context.Context, actor Actor, id int64) error {
	served, err := d.ServedShops(ctx, actor)
	if err != nil || len(served) == 0 {
		return err
	}
	c, err := d.store.GetCase(ctx, id)
	if err != nil {
		return err
	}
	if !slices.Contains(served, c.Shop()) {
		return store.ErrNotFound
	}
	return nil
}

// PlaceholderShop is the case's shop for its scripts (none: an empty shop).
func (d *Desk) placeholderShop(ctx context.Context, c cases.Case) (store.Shop, error) {
	ss, ok := d.store.(ShopStore)
	if !ok {
		return store.Shop{}, nil
	}
	sh, err := d.cachedShop(ctx, ss, c.Shop())
	if errors.Is(err, store.ErrNotFound) {
		return store.Shop{}, nil
	}
	return sh, err
}
