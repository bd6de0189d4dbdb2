package api

import (
	"net/http"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// perm is the least role a route needs; roles are ordered agent < supervisor < admin.
type perm int

const (
	permPublic perm = iota
	permAgent
	permSupervisor
	permAdmin
	// permWarehouse is the warehouse's receiving desk: the warehouse role, and
	// supervisors and admins who stand in; agents do not receive parcels.
	permWarehouse
	// permUser is anyone signed in, the warehouse included (who am I, sign out).
	permUser
)

func (p perm) label() string {
	return [...]string{"公开", cases.RoleLabel("agent"), cases.RoleLabel("supervisor"), cases.RoleLabel("admin"), cases.RoleLabel("warehouse"), "登录用户"}[p]
}

var roleRank = map[store.Role]perm{store.RoleAgent: permAgent, store.RoleSupervisor: permSupervisor, store.RoleAdmin: permAdmin}

// allowed says whether role may call a route needing p. The warehouse role has no rank:
// it may use only the warehouse's routes.
func allowed(role store.Role, p perm) bool {
	if p == permWarehouse {
		return role == store.RoleWarehouse || role == store.RoleSupervisor || role == store.RoleAdmin
	}
	if p == permPublic {
		return true
	}
	if p == permUser {
		return role.Valid()
	}
	return roleRank[role] >= p
}

type route struct {
	method  string
	pattern string
	perm    perm
	handle  func(w http.ResponseWriter, r *http.Request) error
	summary string
}

// routeScopes are the routes an API token scope opens (store.ScopeIntake): such a
// route takes only a token with that scope, and a scoped token calls nothing else.
var routeScopes = map[string]string{
	"POST /api/v1/intake/aftersales": store.ScopeIntake,
}

// scopeOf is the token scope a route needs ("" none).
func (rt route) scope() string { return routeScopes[rt.method+" "+rt.pattern] }

// routeTable declares every route once, with the permission it needs.
func (s *Server) routeTable() []route {
	return []route{
		{"GET", "/api/v1/openapi.json", permPublic, s.openAPI, "OpenAPI 文档"},
		{"GET", "/healthz", permPublic, s.health, "健康检查"},
		{"POST", "/api/v1/auth/login", permPublic, s.login, "登录"},
		{"POST", "/api/v1/tracking/callback/{provider}", permPublic, s.trackingCallback, "物流推送回调（签名校验）"},
		{"GET", "/api/v1/warehouse/parcels", permWarehouse, s.warehouseFind, "仓库收货：按退货单号查工单"},
		{"POST", "/api/v1/warehouse/receipts", permWarehouse, s.warehouseReceipt, "仓库收货：记录收货验货"},
		{"GET", "/api/v1/warehouse/unknown", permAgent, s.unknownParcels, "未知包裹"},
		{"POST", "/api/v1/warehouse/unknown/{id}/claim", permAgent, s.claimParcel, "认领未知包裹"},
		{"GET", "/api/v1/warehouse/unknown/{id}/photos/{hash}", permAgent, s.unknownParcelPhoto, "未知包裹的照片"},
		{"POST", "/api/v1/auth/logout", permUser, s.logout, "退出登录"},
		{"GET", "/api/v1/me", permUser, s.me, "当前用户"},
		{"GET", "/api/v1/codes", permAgent, s.codes, "分类代码"},

		{"GET", "/api/v1/cases", permAgent, s.listCases, "工单列表"},
		{"POST", "/api/v1/cases", permAgent, s.createCase, "新建工单"},
		{"GET", "/api/v1/cases/{id}", permAgent, s.getCase, "工单详情"},
		{"PATCH", "/api/v1/cases/{id}", permAgent, s.updateCase, "修改受理表"},
		{"GET", "/api/v1/cases/{id}/guide", permAgent, s.guide, "SOP 指引"},
		{"GET", "/api/v1/cases/{id}/parcels", permAgent, s.caseParcels, "物流轨迹"},
		{"GET", "/api/v1/cases/{id}/events", permAgent, s.listEvents, "工单事件"},
		{"POST", "/api/v1/cases/{id}/events", permAgent, s.appendEvent, "追加事件"},
		{"POST", "/api/v1/cases/{id}/remarks", permAgent, s.textAction(s.desk.Remark), "添加备注"},
		{"POST", "/api/v1/cases/{id}/evidence", permAgent, s.uploadEvidence, "上传凭证"},
		{"GET", "/api/v1/cases/{id}/evidence/{hash}", permAgent, s.downloadEvidence, "查看凭证"},
		{"GET", "/api/v1/cases/{id}/evidence/{hash}/thumb", permAgent, s.evidenceThumb, "凭证照片缩略图"},
		{"POST", "/api/v1/cases/{id}/upload-links", permAgent, s.createUploadLink, "生成顾客上传链接"},
		{"GET", "/api/v1/cases/{id}/upload-links", permAgent, s.listUploadLinks, "顾客上传链接"},
		{"DELETE", "/api/v1/cases/{id}/upload-links/{lid}", permAgent, s.revokeUploadLink, "撤销顾客上传链接"},
		{"POST", "/api/v1/cases/{id}/close", permAgent, s.textAction(s.desk.Close), "结案"},
		{"POST", "/api/v1/cases/{id}/reopen", permAgent, s.textAction(s.desk.Reopen), "重新打开"},
		{"POST", "/api/v1/cases/{id}/merge", permAgent, s.mergeCase, "合并工单"},
		{"POST", "/api/v1/cases/{id}/split", permAgent, s.splitCase, "拆分工单"},

		{"POST", "/api/v1/cases/{id}/executions/{sid}/transitions", permAgent, s.stepExecution, "推进方案执行"},
		{"GET", "/api/v1/cases/{id}/scripts", permAgent, s.caseScripts, "当前步骤的话术"},
		{"POST", "/api/v1/cases/{id}/reply", permAgent, s.composeReply, "组合回复"},
		{"GET", "/api/v1/approvals", permSupervisor, s.approvals, "待审批"},
		{"GET", "/api/v1/payouts", permSupervisor, s.payouts, "打款清单"},
		{"GET", "/api/v1/payouts.csv", permSupervisor, s.payoutsCSV, "导出打款清单"},
		{"GET", "/api/v1/alerts", permSupervisor, s.alerts, "质量预警"},
		{"GET", "/api/v1/reports/summary", permSupervisor, s.reportSummary, "报表"},
		{"GET", "/api/v1/register", permAgent, s.exportRegister, "导出登记表"},
		{"POST", "/api/v1/register/import", permSupervisor, s.importRegister, "导入登记表"},
		{"POST", "/api/v1/alerts/{id}/acknowledge", permSupervisor, s.acknowledgeAlert, "确认质量预警"},
		{"POST", "/api/v1/import/aftersales", permSupervisor, s.importAfterSales, "导入平台售后单"},
		{"POST", "/api/v1/intake/aftersales", permAgent, s.intakeAfterSales, "接入平台售后单(ERP/脚本,需 intake 令牌)"},

		{"POST", "/api/v1/classify", permAgent, s.classify, "识别顾客消息"},
		{"POST", "/api/v1/lint", permAgent, s.lint, "话术检查"},
		{"GET", "/api/v1/scripts", permAgent, s.listScripts, "话术库"},
		{"PUT", "/api/v1/scripts/{id}", permSupervisor, s.saveScript, "保存话术"},
		{"DELETE", "/api/v1/scripts/{id}", permSupervisor, s.deleteScript, "删除话术"},
		{"POST", "/api/v1/scripts/{id}/restore", permSupervisor, s.restoreScript, "恢复内置话术"},
		{"GET", "/api/v1/scripts/{id}/history", permAgent, s.scriptHistory, "话术修改记录"},
		{"POST", "/api/v1/script-images", permSupervisor, s.uploadScriptImage, "上传话术图片"},
		{"GET", "/api/v1/script-images/{hash}", permAgent, s.scriptImage, "话术图片"},

		{"GET", "/api/v1/tokens", permAgent, s.listTokens, "我的API令牌"},
		{"POST", "/api/v1/tokens", permAgent, s.createToken, "创建API令牌"},
		{"DELETE", "/api/v1/tokens/{id}", permAgent, s.revokeToken, "吊销API令牌"},

		{"POST", "/api/v1/cases/{id}/assign", permAgent, s.assignCase, "分配工单"},
		{"GET", "/api/v1/agents", permAgent, s.listAgents, "客服分配设置"},
		{"PUT", "/api/v1/agents/{name}", permAgent, s.putAgent, "修改客服分配设置"},
		{"PUT", "/api/v1/me/status", permAgent, s.putMyStatus, "切换在线状态"},

		{"GET", "/api/v1/notifications", permAgent, s.listNotifications, "我的通知"},
		{"POST", "/api/v1/notifications/read", permAgent, s.readNotifications, "标记通知已读"},
		{"GET", "/api/v1/notifications/stream", permAgent, s.streamNotifications, "通知推送"},
		{"GET", "/api/v1/webhooks/deliveries", permAdmin, s.listDeliveries, "Webhook 投递记录"},
		{"POST", "/api/v1/webhooks/deliveries/{id}/replay", permAdmin, s.replayDelivery, "重新投递"},

		{"GET", "/api/v1/clock", permAgent, s.getClock, "服务器时间"},
		{"POST", "/api/v1/clock/advance", permAdmin, s.advanceClock, "拨快时钟(仅演示)"},

		{"POST", "/api/v1/sop/policy", permAdmin, s.putPolicy, "修改金额规则(先预览再生效)"},

		{"GET", "/api/v1/shops", permAgent, s.listShops, "店铺列表"},
		{"GET", "/api/v1/shops/{id}", permAgent, s.getShop, "店铺详情"},
		{"POST", "/api/v1/shops", permAdmin, s.createShop, "添加店铺"},
		{"PUT", "/api/v1/shops/{id}", permAdmin, s.updateShop, "修改店铺"},
		{"GET", "/api/v1/training/scenarios", permAgent, s.trainingScenarios, "培训场景"},
		{"GET", "/api/v1/training/scenarios/{id}", permSupervisor, s.trainingScenario, "培训场景详情(含示范处理)"},
		{"POST", "/api/v1/training/assignments", permSupervisor, s.trainingAssign, "布置培训"},
		{"GET", "/api/v1/training/assignments", permAgent, s.trainingAssignments, "培训任务"},
		{"POST", "/api/v1/training/attempts", permAgent, s.trainingStart, "开始练习"},
		{"GET", "/api/v1/training/attempts", permAgent, s.trainingAttempts, "练习记录"},
		{"GET", "/api/v1/training/attempts/{id}", permAgent, s.trainingAttempt, "练习详情与评分"},
		{"POST", "/api/v1/training/attempts/{id}/skip", permAgent, s.trainingSkip, "练习时钟快进"},
		{"POST", "/api/v1/training/attempts/{id}/finish", permAgent, s.trainingFinish, "结束练习并评分"},
		{"GET", "/api/v1/training/compare", permAgent, s.trainingCompare, "培训前后对比"},
		{"POST", "/api/v1/training/replays", permSupervisor, s.trainingReplay, "真实工单生成培训场景"},

		{"GET", "/api/v1/users", permAdmin, s.listUsers, "用户列表"},
		{"POST", "/api/v1/users", permAdmin, s.createUser, "新建用户"},
		{"PATCH", "/api/v1/users/{id}", permAdmin, s.updateUser, "修改用户"},
	}
}
