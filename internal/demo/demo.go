// Package demo fills a fresh database with realistic sample cases: every problem type
// of SOP §8 (except pre-sale), several platforms and every stage. Each case is played
// through its real flow by driving the desk with the guide (drive.go), so every case
// has a real event log and the first case page never contradicts the guide.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/store"
)

// Credential is a demo user's sign-in.
type Credential struct {
	Username, Password string
	Role               store.Role
}

// Users are the demo's people; the passwords are printed when the demo starts.
var Users = []Credential{
	{"admin", "shouhou-admin", store.RoleAdmin},
	{"laowang", "shouhou-demo", store.RoleSupervisor},
	{"xiaomei", "shouhou-demo", store.RoleAgent},
	{"xiaoli", "shouhou-demo", store.RoleAgent},
	{"laozhou", "shouhou-demo", store.RoleWarehouse},
}

// Seed creates the demo users and cases through desks built from opts (with a clock of
// their own, so the sample history spreads over the past days), playing every sample
// through its flow in flows with the evidence photos stored in blobs. It is meant for
// an empty database.
func Seed(ctx context.Context, opts desk.Opts, flows *playbook.Set, am *auth.Manager, blobs Blobs, now time.Time) error {
	for _, u := range Users {
		added, err := am.AddUser(ctx, auth.NewUser{Username: u.Username, Role: u.Role, Password: u.Password, DisplayName: displayNames[u.Username]})
		if err != nil {
			return fmt.Errorf("demo user %s: %w", u.Username, err)
		}
		if no := agentNos[u.Username]; no != "" {
			if _, err := am.SetProfile(ctx, added.ID, displayNames[u.Username], no); err != nil {
				return fmt.Errorf("demo user %s: %w", u.Username, err)
			}
		}
	}
	return SeedCases(ctx, opts, flows, blobs, now)
}

// SeedCases plays the sample cases only; their agents (xiaomei, xiaoli) must exist.
func SeedCases(ctx context.Context, opts desk.Opts, flows *playbook.Set, blobs Blobs, now time.Time) error {
	for i, s := range samples(now) {
		at := now.Add(-time.Duration(s.ageHrs) * time.Hour)
		tick := func() time.Time { at = at.Add(7 * time.Minute); return at }
		o := opts
		o.Now = tick
		d := desk.New(o)
		if err := play(ctx, d, flows, blobs, s); err != nil {
			return fmt.Errorf("demo case %d (%s): %w", i, s.in.OrderNo, err)
		}
	}
	return seedPlatformRecords(ctx, opts, now)
}

// seedPlatformRecords brings in the platforms' after-sale records as an ERP would
// (internal/platform): two join the open cases of their orders — one disagrees with the
// exchange the customer was offered, so the guide flags it — and one opens a case.
func seedPlatformRecords(ctx context.Context, opts desk.Opts, now time.Time) error {
	o := opts
	o.Now = func() time.Time { return now }
	d := desk.New(o)
	at := func(h int) *time.Time { t := now.Add(time.Duration(h) * time.Hour); return &t }
	records := []platform.Record{
		{Platform: cases.PlatformTmall, AfterSaleID: "203984710293840001", OrderNo: "TM2026111905", Type: "退货退款", Status: "WAIT_SELLER_AGREE",
			RefundAmount: money.Yuan(219), Deadline: at(20), AppliedAt: at(-4), BuyerNick: "吴先生", Reason: "尺码与描述不符"},
		{Platform: cases.PlatformDouyin, AfterSaleID: "7311829300190051", OrderNo: "DY77120051230", Type: "3", Status: "8", Intervention: "0",
			Deadline: at(30), AppliedAt: at(-6), BuyerNick: "周女士", Reason: "褪色"},
		{Platform: cases.PlatformPinduoduo, AfterSaleID: "8812093001", OrderNo: "PDD8812799999", Type: "2", Status: "2",
			RefundAmount: money.Yuan(49), Deadline: at(40), AppliedAt: at(-2), BuyerNick: "拼友小陈", Reason: "不想要了", Description: "拍多了一件"},
	}
	for _, r := range records {
		checked, bad := d.CheckAfterSale(r, "intake")
		if bad != nil {
			return fmt.Errorf("demo platform record %s: %w", r.AfterSaleID, bad)
		}
		if _, err := d.UpsertAfterSale(ctx, desk.Actor{Name: desk.SystemActor, Role: store.RoleAdmin}, checked); err != nil {
			return fmt.Errorf("demo platform record %s: %w", r.AfterSaleID, err)
		}
	}
	return nil
}

var displayNames = map[string]string{"admin": "管理员", "laowang": "王主管", "xiaomei": "小美", "xiaoli": "小李", "laozhou": "仓库老周"}

// agentNos are the demo agents' 工号, the name customers see ({客服工号}).
var agentNos = map[string]string{"xiaomei": "客服8号", "xiaoli": "客服12号"}

// Shop is the demo's shop #1 ({店铺名}, {退货地址}): returns go to the main warehouse,
// 冲牙器 to their own (seed 003: different warehouses per product line).
var Shop = store.Shop{ID: cases.FirstShop, Code: "main", Platform: cases.PlatformTmall, Name: "好物生活旗舰店", ReturnAddresses: []store.ShopAddress{
	{Label: "杭州仓", Recipient: "售后部", Phone: "0571-88886666", Address: "浙江省杭州市余杭区仓前街道文一西路1001号 好物生活售后组", Default: true},
	{Label: "冲牙器仓", Recipient: "冲牙器售后", Phone: "0755-26668888", Address: "广东省深圳市宝安区福永街道凤凰工业区8栋 冲牙器售后组", Products: []string{"冲牙器"}},
}}

func play(ctx context.Context, d *desk.Desk, flows *playbook.Set, blobs Blobs, s sample) error {
	actor := desk.Actor{Name: s.agent, Role: store.RoleAgent}
	c, _, err := d.Create(ctx, actor, desk.NewCase{Intake: s.in, FirstMessage: s.message})
	if err != nil {
		return err
	}
	// Agents answer at once (the first response); only the newest sample still waits
	// for its first reply, as a real queue would show.
	if s.ageHrs >= 2 {
		greeting := cases.MessagePayload{Text: "您好，我是" + displayNames[s.agent] + "，马上为您处理。", Intent: "greeting"}
		if err := appendEvent(ctx, d, actor, c.ID, cases.EvMessageOut, greeting); err != nil {
			return err
		}
	}
	return drive(ctx, d, flows, blobs, actor, c.ID, s.plan)
}
