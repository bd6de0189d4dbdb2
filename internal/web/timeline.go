package web

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/tracking"
)

// eventLabels name every event type in Chinese for the timeline.
var eventLabels = map[cases.EventType]string{
	cases.EvCreated: "创建工单", cases.EvFieldsChanged: "修改受理表", cases.EvStageChanged: "阶段变更",
	cases.EvAssigned: "分配", cases.EvSLASet: "设定时限", cases.EvMessageIn: "顾客消息", cases.EvMessageOut: "发送消息",
	cases.EvEvidenceAdded: "上传凭证", cases.EvFactRecorded: "记录核实结果", cases.EvReturnAsked: "顾客要求退货",
	cases.EvRetention: "劝留", cases.EvReasonGuided: "原因引导", cases.EvSolutionOffer: "提出方案",
	cases.EvSolutionAccept: "顾客同意方案", cases.EvSolutionRefuse: "顾客拒绝方案", cases.EvApprovalAsked: "申请主管审批",
	cases.EvApprovalGiven: "主管批准", cases.EvApprovalDenied: "主管拒绝", cases.EvApprovalVoided: "审批申请撤销", cases.EvRemarkAdded: "添加备注",
	cases.EvNote: "内部备忘", cases.EvClosed: "结案", cases.EvReopened: "重新打开", cases.EvMerged: "合并到其他工单",
	cases.EvAbsorbed: "合并进来", cases.EvSplitOff: "拆分出新工单", cases.EvRegistered: "登记表格", cases.EvFollowedUp: "回访",
	cases.EvExecOpened: "开始执行方案", cases.EvExecStepped: "执行进度", cases.EvClassified: "识别顾客消息",
	cases.EvTimerFired: "计时到期", cases.EvSLAPaused: "时限暂停", cases.EvSLAResumed: "时限恢复", cases.EvNotified: "通知",
	cases.EvUploadLinkCreated: "生成顾客上传链接", cases.EvUploadLinkRevoked: "撤销顾客上传链接",
	cases.EvParcelFollowed: "开始跟踪物流", cases.EvParcelScanned: "物流更新", cases.EvParcelReceived: "仓库收货验货",
	cases.EvRefused:        "被拒绝的操作(培训)",
	cases.EvPlatformStatus: "平台售后状态变更", cases.EvPlatformUpdated: "平台售后单更新",
}

// eventLabel names an event type; a type the workbench does not know yet (from a newer
// integration) reads 其他操作 rather than its code. The test that renders every event
// type keeps this table complete.
func eventLabel(t cases.EventType) string {
	if l, ok := eventLabels[t]; ok {
		return l
	}
	return "其他操作"
}

// reasonLabels name the return reasons of 原因引导 (SOP §4).
var reasonLabels = map[string]string{
	"seven_days_no_reason": "七天无理由", "other": "其他原因", "late_shipment": "未按约定时间发货", "quality": "质量问题",
}

func reasonLabel(r string) string {
	if l, ok := reasonLabels[r]; ok {
		return l
	}
	return "其他原因"
}

// timerLabels name the built-in flows' timers; a shop's own timer reads 计时.
var timerLabels = map[string]string{
	"no_pickup": "揽收超时", "lost_parcel": "丢件核实", "complaint_deadline": "平台投诉处理时限",
}

func timerLabel(name string) string {
	if l, ok := timerLabels[name]; ok {
		return l
	}
	return "计时"
}

// hasLatin reports whether s holds an ASCII letter: a value typed in Chinese (or a
// number) is shown as it is, a code is not.
func hasLatin(s string) bool {
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return true
		}
	}
	return false
}

// eventView is one line of the timeline.
type eventView struct {
	cases.Event
	Label   string
	Summary string
	Kind    string // css class: in, out, solution, approval, remark, system
}

// factLabels are the facts' values as the guide's questions name them, so the timeline
// says 外包装:严重破损 instead of outer_package=severe when it can.
type factLabels map[string]string

func viewEvents(events []cases.Event, facts factLabels, names userNames, zone *time.Location) []eventView {
	out := make([]eventView, 0, len(events))
	for i := len(events) - 1; i >= 0; i-- { // newest first
		e := events[i]
		v := eventView{Event: e, Label: eventLabel(e.Type), Summary: summary(e, facts, names, zone), Kind: eventKind(e.Type)}
		v.Actor = names.of(e.Actor)
		out = append(out, v)
	}
	return out
}

func eventKind(t cases.EventType) string {
	switch t {
	case cases.EvMessageIn:
		return "in"
	case cases.EvMessageOut:
		return "out"
	case cases.EvSolutionOffer, cases.EvSolutionAccept, cases.EvSolutionRefuse, cases.EvRetention:
		return "solution"
	case cases.EvApprovalAsked, cases.EvApprovalGiven, cases.EvApprovalDenied, cases.EvApprovalVoided:
		return "approval"
	case cases.EvRemarkAdded, cases.EvNote:
		return "remark"
	}
	return "system"
}

func amountText(a money.Amount) string {
	if a <= 0 {
		return ""
	}
	return " " + a.Yuan() + "元"
}

// summary is the payload in a sentence.
func summary(e cases.Event, facts factLabels, names userNames, zone *time.Location) string {
	switch e.Type {
	case cases.EvCreated:
		if p, ok := cases.PayloadAs[cases.CreatedPayload](e); ok {
			return fmt.Sprintf("%s · %s · 订单 %s", label(cases.ProblemTypes, string(p.Intake.Type)),
				label(cases.Platforms, string(p.Intake.Platform)), p.Intake.OrderNo)
		}
	case cases.EvFieldsChanged:
		if p, ok := cases.PayloadAs[cases.FieldsChangedPayload](e); ok {
			keys := make([]string, 0, len(p.Changes))
			for k := range p.Changes {
				keys = append(keys, fieldLabel(k))
			}
			sort.Strings(keys)
			return "修改了 " + strings.Join(keys, "、")
		}
	case cases.EvStageChanged:
		if p, ok := cases.PayloadAs[cases.StageChangedPayload](e); ok {
			return stageLabel(p.From) + " → " + stageLabel(p.To)
		}
	case cases.EvAssigned:
		if p, ok := cases.PayloadAs[cases.AssignedPayload](e); ok {
			return "分配给 " + names.of(p.To)
		}
	case cases.EvSLASet:
		if p, ok := cases.PayloadAs[cases.SLASetPayload](e); ok {
			return fmt.Sprintf("%s:首次响应 %s 前,解决 %s 前", levelLabel(p.Level), fmtTime(p.ResponseDueAt, zone), fmtTime(p.ResolveDueAt, zone))
		}
	case cases.EvMessageIn, cases.EvMessageOut:
		if p, ok := cases.PayloadAs[cases.MessagePayload](e); ok {
			return p.Text
		}
	case cases.EvEvidenceAdded:
		if p, ok := cases.PayloadAs[cases.Evidence](e); ok {
			return evidenceKindLabel(p.Kind) + ":" + p.Name
		}
	case cases.EvFactRecorded:
		if p, ok := cases.PayloadAs[cases.FactPayload](e); ok {
			q, v := facts[p.Key], facts[p.Key+"="+p.Value]
			if q == "" {
				q = "其他核实结果"
			}
			if v == "" {
				v = p.Value
				if hasLatin(v) {
					v = "(未登记的选项)"
				}
			}
			return q + ":" + v
		}
	case cases.EvRetention, cases.EvSolutionOffer, cases.EvSolutionAccept, cases.EvSolutionRefuse, cases.EvApprovalAsked:
		if p, ok := cases.PayloadAs[cases.SolutionPayload](e); ok {
			s := solutionLabel(p.Kind) + amountText(p.Amount)
			if p.Note != "" {
				s += "(" + p.Note + ")"
			}
			return strings.TrimSpace(s)
		}
	case cases.EvApprovalGiven, cases.EvApprovalDenied, cases.EvApprovalVoided:
		if p, ok := cases.PayloadAs[cases.ApprovalPayload](e); ok {
			s := solutionLabel(p.Kind) + amountText(p.Amount)
			if p.Note != "" {
				s += "(" + p.Note + ")"
			}
			return strings.TrimSpace(s)
		}
	case cases.EvReasonGuided:
		if p, ok := cases.PayloadAs[cases.ReasonPayload](e); ok {
			return reasonLabel(p.Reason)
		}
	case cases.EvClassified:
		if p, ok := cases.PayloadAs[cases.ClassifiedPayload](e); ok {
			return fmt.Sprintf("%s · %s · %s · %s(把握 %.0f%%)", label(cases.ProblemTypes, string(p.Predicted.Type)),
				label(cases.Demands, string(p.Predicted.Demand)), label(cases.Emotions, string(p.Predicted.Emotion)),
				levelLabel(p.Predicted.Level), p.Confidence*100)
		}
	case cases.EvExecOpened:
		if p, ok := cases.PayloadAs[execution.Opening](e); ok {
			s := execution.KindLabel(p.Kind) + amountText(p.Amount)
			if p.NeedsApproval {
				s += ",需主管审批"
			}
			return s
		}
	case cases.EvExecStepped:
		if p, ok := cases.PayloadAs[execution.Transition](e); ok {
			s := execution.StateLabel(p.From) + " → " + execution.StateLabel(p.To)
			if p.TrackingNo != "" {
				s += " · 单号 " + p.TrackingNo
			}
			if p.ReturnTrackingNo != "" {
				s += " · 退回单号 " + p.ReturnTrackingNo
			}
			return s
		}
	case cases.EvRemarkAdded:
		if p, ok := cases.PayloadAs[cases.RemarkPayload](e); ok {
			return p.Text
		}
	case cases.EvMerged, cases.EvAbsorbed, cases.EvSplitOff:
		if p, ok := cases.PayloadAs[cases.LinkPayload](e); ok {
			return fmt.Sprintf("#%d", p.CaseID)
		}
	case cases.EvTimerFired, cases.EvSLAPaused, cases.EvSLAResumed, cases.EvNotified:
		return clockSummary(e, names)
	case cases.EvParcelFollowed:
		if p, ok := cases.PayloadAs[cases.ParcelPayload](e); ok {
			return tracking.Role(p.Role).Label() + "单号 " + p.Number
		}
	case cases.EvParcelScanned:
		if p, ok := cases.PayloadAs[cases.ParcelScanPayload](e); ok {
			s := tracking.Role(p.Role).Label() + " " + p.Number + " · " + tracking.State(p.State).Label() + " · " + fmtTime(p.At, zone)
			if p.Place != "" {
				s += " · " + p.Place
			}
			return s + " · " + p.Status
		}
	case cases.EvParcelReceived:
		if p, ok := cases.PayloadAs[cases.ParcelReceiptPayload](e); ok {
			s := fmt.Sprintf("退货单号 %s:良品%d件,不良品%d件", p.Number, p.Good, p.Bad)
			if len(p.Items) > 0 {
				s += "(" + strings.Join(p.Items, "、") + ")"
			}
			if p.Remark != "" {
				s += " · " + p.Remark
			}
			return s
		}
	case cases.EvUploadLinkCreated, cases.EvUploadLinkRevoked:
		if p, ok := cases.PayloadAs[cases.UploadLinkPayload](e); ok {
			return fmt.Sprintf("链接 #%d,有效至 %s", p.Link, fmtTime(p.ExpiresAt, zone))
		}
	case cases.EvRefused:
		if p, ok := cases.PayloadAs[cases.RefusedPayload](e); ok {
			return eventLabel(p.Type) + ":" + p.Message
		}
	case cases.EvPlatformStatus, cases.EvPlatformUpdated:
		if p, ok := cases.PayloadAs[cases.AfterSalePayload](e); ok {
			return afterSaleSummary(p, zone)
		}
	case cases.EvFollowedUp:
		if p, ok := cases.PayloadAs[cases.FollowUpPayload](e); ok {
			if p.CSAT == 0 {
				return p.Text
			}
			s := fmt.Sprintf("满意度%d分,问题", p.CSAT)
			if p.Solved != nil && !*p.Solved {
				s += "未解决"
			} else {
				s += "已解决"
			}
			if p.Comment != "" {
				s += ",顾客意见:" + p.Comment
			}
			return s
		}
	default:
		if p, ok := cases.PayloadAs[cases.NotePayload](e); ok {
			return p.Text
		}
	}
	return ""
}

var fieldLabels = map[string]string{
	"customer_name": "顾客姓名", "customer_phone": "联系电话", "customer_address": "地址", "platform": "平台",
	"order_no": "订单号", "amount": "实付金额", "signed_at": "签收时间", "freight_insurance": "运费险",
	"paid_at": "付款时间", "shipped_at": "发货时间", "return_freight": "退货运费",
	"courier": "快递公司", "tracking_no": "快递单号", "sku": "商品型号", "batch": "批次", "channel": "购买渠道",
	"type": "问题类型", "description": "问题描述", "demand": "顾客诉求", "emotion": "情绪", "level": "等级",
	"shop_id": "店铺",
}

func fieldLabel(k string) string {
	if l, ok := fieldLabels[k]; ok {
		return l
	}
	return k
}

// lastSolution is the solution the customer last accepted, for the register and the
// suggested remark: its kind, amount and whether it was accepted or only offered.
type solutionState struct {
	Kind     string
	Amount   money.Amount
	Accepted bool
	Refused  bool
	Pending  bool // approval requested and not decided
	Found    bool
}

func lastSolution(events []cases.Event) solutionState {
	var st solutionState
	for _, e := range events {
		switch e.Type {
		case cases.EvSolutionOffer, cases.EvSolutionAccept, cases.EvSolutionRefuse, cases.EvRetention, cases.EvApprovalAsked:
			var p cases.SolutionPayload
			if json.Unmarshal(e.Payload, &p) != nil {
				continue
			}
			if e.Type == cases.EvSolutionAccept || !st.Accepted {
				kind := p.Kind
				if kind == "" || e.Type == cases.EvRetention && p.Amount > 0 {
					kind = "compensation"
				}
				st = solutionState{Kind: kind, Amount: p.Amount, Found: true, Accepted: e.Type == cases.EvSolutionAccept,
					Refused: e.Type == cases.EvSolutionRefuse, Pending: e.Type == cases.EvApprovalAsked}
			}
		case cases.EvApprovalGiven, cases.EvApprovalDenied:
			st.Pending = false
		}
	}
	return st
}

// acceptedText is the register's solution column: the last accepted solution.
func acceptedText(p *cases.SolutionPayload) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(solutionLabel(p.Kind) + amountText(p.Amount))
}

// suggestRemark drafts a remark in the SOP format 问题描述+进度 from the case, e.g.
// 破损，补偿10元已同意 or 破损，协商补偿10元,顾客未回.
// executionProgress says how far a solution was carried out, in the words of the
// SOP's remark examples (补偿10元已发, 换货待寄回).
func executionProgress(st execution.State) string {
	switch st {
	case execution.StatePaid:
		return "已发"
	case execution.StateAwaitingReturn:
		return "待寄回"
	case execution.StateReopened:
		return "验货有问题,重新协商"
	case execution.StateCancelled:
		return "已取消"
	case execution.StatePendingApproval:
		return ",待主管审批"
	case execution.StateApproved, execution.StatePreparing:
		return "未发"
	}
	return execution.StateLabel(st)
}

func suggestRemark(c cases.Case, events []cases.Event) string {
	problem := label(cases.ProblemTypes, string(c.Type))
	st := lastSolution(events)
	var progress string
	sol := solutionLabel(st.Kind) + strings.TrimSpace(amountText(st.Amount))
	switch {
	case !st.Found:
		progress = stageLabel(c.Stage) + "中,待跟进"
	case st.Accepted:
		progress = "顾客同意" + sol + ",待执行"
		if n := len(c.Executions); n > 0 {
			progress = sol + executionProgress(c.Executions[n-1].State)
		}
	case st.Pending:
		progress = "申请" + sol + ",待主管审批"
	case st.Refused:
		progress = "顾客拒绝" + sol + ",继续协商"
	default:
		progress = "协商" + sol + ",顾客未回"
	}
	return problem + "，" + progress
}

// afterSaleSummary reads a platform record change in Chinese: the platform's own
// status labels, never its codes.
func afterSaleSummary(p cases.AfterSalePayload, zone *time.Location) string {
	a := p.Record
	s := fmt.Sprintf("%s售后单 %s(%s):", cases.PlatformLabel(a.Platform), a.ID, a.TypeLabel)
	if p.FromStatusLabel != "" && p.FromStatusLabel != a.StatusLabel {
		s += p.FromStatusLabel + " → "
	}
	s += a.StatusLabel
	if a.InterventionLabel != "" {
		s += "," + a.InterventionLabel
	}
	if a.RefundAmount > 0 {
		s += ",退款" + a.RefundAmount.Yuan() + "元"
	}
	if a.Deadline != nil {
		s += ",平台时限 " + fmtTime(*a.Deadline, zone)
	}
	return s
}
