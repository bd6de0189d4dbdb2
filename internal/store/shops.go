package store

import (
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

// Shop is one shop of the business: a platform and a name, the short code imports and
// integrations know it by, its return addresses and its own overrides of the SOP's
// numbers. Cases belong to a shop (cases.Intake.ShopID); internal/shop holds the rules.
type Shop struct {
	ID       int64          `json:"id"`
	Code     string         `json:"code"`
	Platform cases.Platform `json:"platform"`
	Name     string         `json:"name"`
	// ReturnAddresses are where customers send returns: the first whose product
	// keywords match the case's product, else the default one (internal/shop).
	ReturnAddresses []ShopAddress `json:"return_addresses"`
	Overrides       ShopOverrides `json:"overrides"`
	UpdatedBy       string        `json:"updated_by,omitempty"`
	CreatedAt       time.Time     `json:"created_at"`
	UpdatedAt       time.Time     `json:"updated_at"`
}

// ShopAddress is one return address of a shop and the product lines it serves.
type ShopAddress struct {
	Label     string `json:"label"`     // e.g. 环球仓
	Recipient string `json:"recipient"` // 收件人
	Phone     string `json:"phone"`
	Address   string `json:"address"`
	// Products are keywords of the product lines sent here (冲牙器, 茶吧机), matched
	// against the case's SKU, then its description; empty serves no line by name.
	Products []string `json:"products,omitempty"`
	// Default is the address of every product no other address names.
	Default bool `json:"default,omitempty"`
}

// ShopOverrides are a shop's own numbers in place of the configuration's defaults;
// nil or absent fields keep the default.
type ShopOverrides struct {
	// SLA replaces the first-response and resolution hours of some levels (sla.levels).
	SLA map[cases.Level]ShopSLA `json:"sla,omitempty"`
	// ReturnFreight is the shop's return freight for cases that name none
	// (policy minor_flaw.return_freight).
	ReturnFreight *money.Amount `json:"return_freight,omitempty"`
	// AgentLimit is the most an agent gives alone in this shop (policy
	// role_limits.agent); it may not exceed the supervisor's limit.
	AgentLimit *money.Amount `json:"agent_limit,omitempty"`
}

// ShopSLA is one level's clock in a shop; zero keeps the configuration's number.
type ShopSLA struct {
	FirstResponseHours int `json:"first_response_hours,omitempty"`
	ResolveHours       int `json:"resolve_hours,omitempty"`
}
