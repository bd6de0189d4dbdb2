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
