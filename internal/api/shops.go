package api

import (
	"net/http"
	"strconv"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// shopBody is a shop as clients send it: every field, replaced whole on update.
type shopBody struct {
	Code            string              `json:"code"`
	Platform        string              `json:"platform"`
	Name            string              `json:"name"`
	ReturnAddresses []store.ShopAddress `json:"return_addresses"`
	Overrides       store.ShopOverrides `json:"overrides"`
}

func (b shopBody) shop(id int64) store.Shop {
	return store.Shop{ID: id, Code: b.Code, Platform: cases.Platform(b.Platform), Name: b.Name, ReturnAddresses: b.ReturnAddresses, Overrides: b.Overrides}
}

// listShops answers every shop (everyone signed in: the intake form and filters name
// them).
func (s *Server) listShops(w http.ResponseWriter, r *http.Request) error {
	shops, err := s.desk.Shops(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"shops": shops})
	return nil
}

func (s *Server) getShop(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sh, err := s.desk.Shop(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sh)
	return nil
}

// createShop adds a shop (admins): 422 with the field on bad input, 201 with the shop.
func (s *Server) createShop(w http.ResponseWriter, r *http.Request) error {
	var b shopBody
	if err := s.decodeJSON(r, &b); err != nil {
		return err
	}
	sh, err := s.desk.CreateShop(r.Context(), actorOf(r), b.shop(0))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/shops/"+strconv.FormatInt(sh.ID, 10))
	writeJSON(w, http.StatusCreated, sh)
	return nil
}

// updateShop replaces a shop's settings (admins).
func (s *Server) updateShop(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b shopBody
	if err := s.decodeJSON(r, &b); err != nil {
		return err
	}
	sh, err := s.desk.UpdateShop(r.Context(), actorOf(r), b.shop(id))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sh)
	return nil
}
