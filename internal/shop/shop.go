// Package shop holds the shop's own settings: its name and return addresses. They
// fill the scripts' {店铺名} and {退货地址}; the agent's profile (工号) fills
// {客服工号}. Admins edit them on the workbench's 店铺设置 page.
package shop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// Settings are the shop's settings.
type Settings struct {
	Name string `json:"name"`
	// ReturnAddresses are where customers send returns and exchanges; the first is the
	// default that fills {退货地址}.
	ReturnAddresses []Address `json:"return_addresses"`
}

// Address is one return address.
type Address struct {
	Label     string `json:"label"`     // e.g. 杭州仓
	Recipient string `json:"recipient"` // 收件人
	Phone     string `json:"phone"`
	Address   string `json:"address"`
}

// MaxAddresses bounds the return addresses.
const MaxAddresses = 5

// String is the address as a customer copies it: 收件人 电话 地址.
func (a Address) String() string {
	return strings.Join(strings.Fields(a.Recipient+" "+a.Phone+" "+a.Address), " ")
}

func (a Address) empty() bool {
	return strings.TrimSpace(a.Label+a.Recipient+a.Phone+a.Address) == ""
}

// Normalize trims every field and drops empty addresses.
func (s Settings) Normalize() Settings {
	out := Settings{Name: strings.TrimSpace(s.Name)}
	for _, a := range s.ReturnAddresses {
		a = Address{Label: strings.TrimSpace(a.Label), Recipient: strings.TrimSpace(a.Recipient),
			Phone: strings.TrimSpace(a.Phone), Address: strings.TrimSpace(a.Address)}
		if !a.empty() {
			out.ReturnAddresses = append(out.ReturnAddresses, a)
		}
	}
	return out
}

// Validate checks the settings; the field names the form's inputs
// (return_addresses.0.address).
func (s Settings) Validate() error {
	var errs cases.ValidationError
	if utf8.RuneCountInString(s.Name) > 40 {
		errs = append(errs, cases.FieldError{Field: "name", Message: "店铺名不能超过40个字"})
	}
	if len(s.ReturnAddresses) > MaxAddresses {
		errs = append(errs, cases.FieldError{Field: "return_addresses", Message: fmt.Sprintf("最多%d个退货地址", MaxAddresses)})
	}
	for i, a := range s.ReturnAddresses {
		f := fmt.Sprintf("return_addresses.%d.", i)
		switch {
		case a.Recipient == "":
			errs = append(errs, cases.FieldError{Field: f + "recipient", Message: "请填写收件人"})
		case utf8.RuneCountInString(a.Recipient) > 20:
			errs = append(errs, cases.FieldError{Field: f + "recipient", Message: "收件人不能超过20个字"})
		}
		if a.Phone == "" || utf8.RuneCountInString(a.Phone) > 20 || strings.Trim(a.Phone, "0123456789-+ ") != "" {
			errs = append(errs, cases.FieldError{Field: f + "phone", Message: "请填写正确的联系电话"})
		}
		if n := utf8.RuneCountInString(a.Address); n < 5 || n > 120 {
			errs = append(errs, cases.FieldError{Field: f + "address", Message: "请填写完整的退货地址(5-120字)"})
		}
		if utf8.RuneCountInString(a.Label) > 20 {
			errs = append(errs, cases.FieldError{Field: f + "label", Message: "名称不能超过20个字"})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Values are the script placeholders the settings fill; empty settings fill nothing,
// so the script shows the placeholder for the agent to complete.
func (s Settings) Values() map[string]string {
	v := map[string]string{}
	if s.Name != "" {
		v["店铺名"] = s.Name
	}
	if len(s.ReturnAddresses) > 0 {
		v["退货地址"] = s.ReturnAddresses[0].String()
	}
	return v
}

// AgentValues are the placeholders the agent's profile fills.
func AgentValues(u store.User) map[string]string {
	v := map[string]string{}
	if no := strings.TrimSpace(u.AgentNo); no != "" {
		v["客服工号"] = no
	}
	return v
}

// Store keeps the settings.
type Store interface {
	Setting(ctx context.Context, key string) ([]byte, error)
	SaveSetting(ctx context.Context, key string, value []byte, by string, at time.Time) error
}

const key = "shop"

// Service reads and saves the settings.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService builds the service; now nil means time.Now.
func NewService(st Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: st, now: now}
}

// Get returns the settings (empty ones before the first save).
func (s *Service) Get(ctx context.Context) (Settings, error) {
	raw, err := s.store.Setting(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, err
	}
	var v Settings
	if err := json.Unmarshal(raw, &v); err != nil {
		return Settings{}, fmt.Errorf("shop settings: %w", err)
	}
	return v, nil
}

// Save validates and stores the settings; invalid settings change nothing.
func (s *Service) Save(ctx context.Context, by string, v Settings) (Settings, error) {
	v = v.Normalize()
	if err := v.Validate(); err != nil {
		return v, err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return v, err
	}
	return v, s.store.SaveSetting(ctx, key, raw, by, s.now().UTC())
}

// Values reads the settings and the user's profile into placeholder values.
func (s *Service) Values(ctx context.Context, u store.User) (map[string]string, error) {
	v, err := s.Get(ctx)
	if err != nil {
		return nil, err
	}
	out := v.Values()
	for k, x := range AgentValues(u) {
		out[k] = x
	}
	return out, nil
}
