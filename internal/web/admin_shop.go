package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/shop"
	"github.com/shouhou/shouhou/internal/store"
)

// shopsData is the admin's 店铺 list.
type shopsData struct {
	Shops []store.Shop
}

// shopData is one shop's page: the shop with room for every address, its SLA
// overrides as the form shows them, and the configuration's clocks as placeholders.
type shopData struct {
	Shop      store.Shop
	New       bool
	Platforms []cases.Code
	Levels    []shopSLARow
	Freight   string
	Limit     string
	// DefFreight and DefLimit are the policy's numbers (the placeholders).
	DefFreight, DefLimit string
	Error                string
	Fields               map[string]string
}

// shopSLARow is one level's override on the form ("" keeps the default shown).
type shopSLARow struct {
	Level                   int
	Response, Resolve       string
	DefResponse, DefResolve int
}

func (s *Server) shopsList(w http.ResponseWriter, r *http.Request) error {
	shops, err := s.desk.Shops(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "shops", layout{Title: "店铺", Nav: "shop", Data: shopsData{Shops: shops}})
}

func (s *Server) shopPage(w http.ResponseWriter, r *http.Request, status int, d shopData) error {
	for len(d.Shop.ReturnAddresses) < shop.MaxAddresses {
		d.Shop.ReturnAddresses = append(d.Shop.ReturnAddresses, store.ShopAddress{})
	}
	d.Platforms = cases.Platforms
	def := s.desk.SLA()
	d.Levels = nil
	for l := cases.Level(1); l <= 3; l++ {
		row := shopSLARow{Level: int(l), DefResponse: def.Levels[l].FirstResponseHours, DefResolve: def.Levels[l].ResolveHours}
		if o, ok := d.Shop.Overrides.SLA[l]; ok {
			row.Response, row.Resolve = hours(o.FirstResponseHours), hours(o.ResolveHours)
		}
		d.Levels = append(d.Levels, row)
	}
	if d.Freight == "" && d.Shop.Overrides.ReturnFreight != nil {
		d.Freight = d.Shop.Overrides.ReturnFreight.Yuan()
	}
	if d.Limit == "" && d.Shop.Overrides.AgentLimit != nil {
		d.Limit = d.Shop.Overrides.AgentLimit.Yuan()
	}
	d.DefFreight, d.DefLimit = "按金额规则", "按金额规则"
	if cfg, ok := s.desk.PolicyConfig(); ok {
		d.DefFreight, d.DefLimit = cfg.MinorFlaw.ReturnFreight.Yuan(), cfg.RoleLimits.Agent.Yuan()
	}
	title := "店铺设置"
	if d.New {
		title = "添加店铺"
	}
	return s.render(w, r, status, "shop", layout{Title: title, Nav: "shop", Data: d})
}

func hours(h int) string {
	if h == 0 {
		return ""
	}
	return strconv.Itoa(h)
}

func (s *Server) shopNew(w http.ResponseWriter, r *http.Request) error {
	return s.shopPage(w, r, http.StatusOK, shopData{New: true, Shop: store.Shop{Platform: cases.PlatformTaobao}})
}

func (s *Server) shopEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return store.ErrNotFound
	}
	sh, err := s.desk.Shop(r.Context(), id)
	if err != nil {
		return err
	}
	return s.shopPage(w, r, http.StatusOK, shopData{Shop: sh})
}

// shopForm reads the shop form; a number that is not one is a field error.
func shopForm(r *http.Request) (store.Shop, [2]string, cases.ValidationError) {
	sh := store.Shop{Code: r.PostFormValue("code"), Platform: cases.Platform(r.PostFormValue("platform")), Name: r.PostFormValue("name")}
	def := r.PostFormValue("default")
	for i := range shop.MaxAddresses {
		f := func(k string) string { return r.PostFormValue(fmt.Sprintf("return_addresses.%d.%s", i, k)) }
		sh.ReturnAddresses = append(sh.ReturnAddresses, store.ShopAddress{Label: f("label"), Recipient: f("recipient"), Phone: f("phone"),
			Address: f("address"), Products: []string{f("products")}, Default: def == strconv.Itoa(i)})
	}
	var errs cases.ValidationError
	for l := cases.Level(1); l <= 3; l++ {
		var o store.ShopSLA
		for _, p := range []struct {
			key string
			to  *int
		}{{"first_response_hours", &o.FirstResponseHours}, {"resolve_hours", &o.ResolveHours}} {
			field := fmt.Sprintf("overrides.sla.%d.%s", l, p.key)
			v := strings.TrimSpace(r.PostFormValue(field))
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				errs = append(errs, cases.FieldError{Field: field, Message: "时限须为正整数(小时)"})
				continue
			}
			*p.to = n
		}
		if o != (store.ShopSLA{}) {
			if sh.Overrides.SLA == nil {
				sh.Overrides.SLA = map[cases.Level]store.ShopSLA{}
			}
			sh.Overrides.SLA[l] = o
		}
	}
	typed := [2]string{}
	for i, m := range []struct {
		field, msg string
		into       **money.Amount
	}{{"overrides.return_freight", "退货运费格式不正确,如 12 或 12.5", &sh.Overrides.ReturnFreight},
		{"overrides.agent_limit", "客服审批上限格式不正确,如 80", &sh.Overrides.AgentLimit}} {
		v := strings.TrimSpace(r.PostFormValue(m.field))
		typed[i] = v
		if v == "" {
			continue
		}
		a, err := money.Parse(v)
		if err != nil {
			errs = append(errs, cases.FieldError{Field: m.field, Message: m.msg})
			continue
		}
		*m.into = &a
	}
	return sh, typed, errs
}

// shopSave creates or updates a shop; its name and the return address of each
// product line fill {店铺名} and {退货地址} in the scripts of its cases.
func (s *Server) shopSave(w http.ResponseWriter, r *http.Request) error {
	sh, typed, errs := shopForm(r)
	var err error
	isNew := r.PathValue("id") == ""
	if !isNew {
		if sh.ID, err = strconv.ParseInt(r.PathValue("id"), 10, 64); err != nil {
			return store.ErrNotFound
		}
	}
	if len(errs) > 0 {
		err = errs
	} else if isNew {
		sh, err = s.desk.CreateShop(r.Context(), actorOf(r), sh)
	} else {
		sh, err = s.desk.UpdateShop(r.Context(), actorOf(r), sh)
	}
	if err != nil {
		p := explain(err)
		if p.Status >= 500 || p.Status == http.StatusNotFound {
			return err
		}
		return s.shopPage(w, r, p.Status, shopData{Shop: sh, New: isNew, Freight: typed[0], Limit: typed[1], Error: p.Message, Fields: p.Fields})
	}
	return s.redirect(w, r, "/admin/shops", flash{Kind: "ok", Message: "店铺「" + sh.Name + "」已保存,话术中的{店铺名}、{退货地址}将按店铺和产品自动填写"})
}

// shopsRedirect keeps the old 店铺设置 address working.
func (s *Server) shopsRedirect(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/admin/shops", http.StatusSeeOther)
	return nil
}
