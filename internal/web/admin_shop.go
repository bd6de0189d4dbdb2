package web

import (
	"fmt"
	"net/http"

	"github.com/shouhou/shouhou/internal/shop"
)

// shopData is the admin's 店铺设置 page: the settings with room for every address.
type shopData struct {
	Settings shop.Settings
	Error    string
	Fields   map[string]string
}

func (s *Server) shopPage(w http.ResponseWriter, r *http.Request, status int, d shopData) error {
	for len(d.Settings.ReturnAddresses) < shop.MaxAddresses {
		d.Settings.ReturnAddresses = append(d.Settings.ReturnAddresses, shop.Address{})
	}
	return s.render(w, r, status, "shop", layout{Title: "店铺设置", Nav: "shop", Data: d})
}

func (s *Server) shopSettings(w http.ResponseWriter, r *http.Request) error {
	v, err := s.shop.Get(r.Context())
	if err != nil {
		return err
	}
	return s.shopPage(w, r, http.StatusOK, shopData{Settings: v})
}

// shopSave stores the shop name and return addresses; they fill {店铺名} and
// {退货地址} in every script from then on.
func (s *Server) shopSave(w http.ResponseWriter, r *http.Request) error {
	v := shop.Settings{Name: r.PostFormValue("name")}
	for i := range shop.MaxAddresses {
		f := func(k string) string { return r.PostFormValue(fmt.Sprintf("return_addresses.%d.%s", i, k)) }
		v.ReturnAddresses = append(v.ReturnAddresses, shop.Address{Label: f("label"), Recipient: f("recipient"), Phone: f("phone"), Address: f("address")})
	}
	if _, err := s.shop.Save(r.Context(), userOf(r).Username, v); err != nil {
		p := explain(err)
		if p.Status >= 500 {
			return err
		}
		return s.shopPage(w, r, p.Status, shopData{Settings: v, Error: p.Message, Fields: p.Fields})
	}
	return s.redirect(w, r, "/admin/shop", flash{Kind: "ok", Message: "店铺设置已保存,话术中的{店铺名}、{退货地址}将自动填写"})
}
