package cases

import (
	"time"

	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
)

// Intake is the 问题受理表 of SOP §2 plus the order.
type Intake struct {
	// ShopID is the shop the case belongs to (store.Shop); the desk fills it when the
	// business has one shop and requires it when it has more.
	ShopID          int64        `json:"shop_id"`
	CustomerName    string       `json:"customer_name"`
	CustomerPhone   string       `json:"customer_phone,omitempty"`
	CustomerAddress string       `json:"customer_address,omitempty"`
	Platform        Platform     `json:"platform"`
	OrderNo         string       `json:"order_no"`
	Amount          money.Amount `json:"amount"`
	SignedAt        *time.Time   `json:"signed_at,omitempty"`
	// PaidAt and ShippedAt are the order's payment and shipping times: the platform's
	// late-shipment rule (SOP §5) runs from them.
	PaidAt    *time.Time `json:"paid_at,omitempty"`
	ShippedAt *time.Time `json:"shipped_at,omitempty"`
	// ReturnFreight is what a return of this order would cost; zero takes the shop's
	// default (policy minor_flaw.return_freight). The minor-flaw compensation stays below it.
	ReturnFreight    money.Amount `json:"return_freight,omitempty"`
	FreightInsurance bool         `json:"freight_insurance"`
	Courier          string       `json:"courier,omitempty"`
	TrackingNo       string       `json:"tracking_no,omitempty"`
	SKU              string       `json:"sku,omitempty"`
	Batch            string       `json:"batch,omitempty"`
	Channel          string       `json:"channel,omitempty"`
	Type             ProblemType  `json:"type"`
	Description      string       `json:"description"`
	Demand           Demand       `json:"demand"`
	Emotion          Emotion      `json:"emotion"`
	Level            Level        `json:"level"`
}

// FirstShop is the shop of cases opened before shops existed (migration 00025 made the
// single shop's settings shop #1 and put every case in it).
const FirstShop int64 = 1

// Shop is the case's shop: ShopID, or FirstShop for a case whose log predates shops.
func (in Intake) Shop() int64 {
	if in.ShopID == 0 {
		return FirstShop
	}
	return in.ShopID
}

// Status is the lifecycle of a case as a record, apart from its SOP stage.
type Status string

const (
	StatusOpen   Status = "open"
	StatusClosed Status = "closed"
	StatusMerged Status = "merged"
)

// Remark is one entry of the remark history.
type Remark struct {
	Text  string    `json:"text"`
	Actor string    `json:"actor"`
	At    time.Time `json:"at"`
}

// Case is the current state of a case: the fold of its events.
type Case struct {
	ID       int64  `json:"id"`
	Version  int64  `json:"version"`
	Intake          // embedded: the form fields are top-level in JSON
	Stage    Stage  `json:"stage"`
	Status   Status `json:"status"`
	Assignee string `json:"assignee,omitempty"`

	CreatedBy        string     `json:"created_by"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	ClosedAt         *time.Time `json:"closed_at,omitempty"`
	FirstRespondedAt *time.Time `json:"first_responded_at,omitempty"`
	ResponseDueAt    *time.Time `json:"response_due_at,omitempty"`
	ResolveDueAt     *time.Time `json:"resolve_due_at,omitempty"`

	Remarks  []Remark          `json:"remarks"`
	Evidence []Evidence        `json:"evidence"`
	Facts    map[string]string `json:"facts,omitempty"`

	// PendingApproval is a request above the agent's limit waiting for a supervisor;
	// Approvals are the supervisor decisions taken on the case.
	PendingApproval *SolutionPayload `json:"pending_approval,omitempty"`
	Approvals       []Approval       `json:"approvals,omitempty"`
	// Accepted is the solution the customer accepted last (the register's column).
	Accepted *SolutionPayload `json:"accepted,omitempty"`
	// Executions are the accepted solutions being carried out (执行), each with its
	// own state machine.
	Executions []execution.Solution `json:"executions,omitempty"`

	// AfterSale is the platform's after-sale record of the case (nil: none linked).
	AfterSale *AfterSale `json:"after_sale,omitempty"`

	// FollowUp is the outcome of the last 回访 visit.
	FollowUp *FollowUp `json:"follow_up,omitempty"`

	// Clocks are the SLA's pauses and the durable timers that fired.
	Clocks Clocks `json:"clocks,omitzero"`

	MergedInto int64   `json:"merged_into,omitempty"`
	MergedFrom []int64 `json:"merged_from,omitempty"`
	SplitFrom  int64   `json:"split_from,omitempty"`
	SplitTo    []int64 `json:"split_to,omitempty"`
}

// Execution returns the execution of the solution with that id.
func (c *Case) Execution(id int64) (execution.Solution, bool) {
	for _, s := range c.Executions {
		if s.ID == id {
			return s, true
		}
	}
	return execution.Solution{}, false
}

// Approval is a supervisor's decision on a request. A grant is used up by the one act
// it allows (UsedBy is that event's seq) and can be revoked until then.
type Approval struct {
	Seq     int64        `json:"seq"`
	Kind    string       `json:"kind"`
	Amount  money.Amount `json:"amount"`
	Granted bool         `json:"granted"`
	By      string       `json:"by"`
	At      time.Time    `json:"at"`
	UsedBy  int64        `json:"used_by,omitempty"`
	Revoked bool         `json:"revoked,omitempty"`
}

// Open reports whether the approval is a grant still waiting for its act.
func (a Approval) Open() bool { return a.Granted && a.UsedBy == 0 && !a.Revoked }

// ApprovalFor finds the open grant of kind that covers amount (the smallest such),
// and returns its seq; 0 when none does.
func (c *Case) ApprovalFor(kind string, amount money.Amount) int64 {
	var best Approval
	for _, a := range c.Approvals {
		if a.Open() && a.Kind == kind && a.Amount >= amount && (best.Seq == 0 || a.Amount < best.Amount) {
			best = a
		}
	}
	return best.Seq
}

// Remarked reports whether the case carries a remark; only remarked cases count as
// output (无备注等于0产能, SOP §1.5).
func (c *Case) Remarked() bool { return len(c.Remarks) > 0 }

// LastRemark is the newest remark text, or "".
func (c *Case) LastRemark() string {
	if len(c.Remarks) == 0 {
		return ""
	}
	return c.Remarks[len(c.Remarks)-1].Text
}

// Overdue reports whether an open case has passed its resolve deadline at now.
func (c *Case) Overdue(now time.Time) bool {
	if _, paused := c.Paused(); paused {
		return false
	}
	return c.Status == StatusOpen && c.ResolveDueAt != nil && now.After(*c.ResolveDueAt)
}
