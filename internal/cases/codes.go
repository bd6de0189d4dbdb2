// Package cases holds the after-sales case: its vocabulary (the codes of SOP §8 and
// the stages of SOP §1), its events and the projection that folds events into state.
// It is pure: no database, HTTP or clock; time comes in with each event.
package cases

// Stage is where a case stands in the SOP's order of work (SOP §1).
type Stage string

const (
	StageSoothe   Stage = "soothe"   // 安抚
	StageVerify   Stage = "verify"   // 核实
	StageSolution Stage = "solution" // 方案
	StageExecute  Stage = "execute"  // 执行
	StageRemark   Stage = "remark"   // 备注
	StageRegister Stage = "register" // 登记
	StageFollowUp Stage = "followup" // 回访
	StageClosed   Stage = "closed"
)

// Stages lists the stages in SOP order.
var Stages = []Stage{StageSoothe, StageVerify, StageSolution, StageExecute, StageRemark, StageRegister, StageFollowUp, StageClosed}

// ProblemType is a problem-type code of SOP §8.
type ProblemType string

const (
	TypeDamaged      ProblemType = "quality.damaged"
	TypeLeak         ProblemType = "quality.leak"
	TypeMalfunction  ProblemType = "quality.malfunction"
	TypeFlaw         ProblemType = "quality.flaw"
	TypeQualitySize  ProblemType = "quality.size"
	TypeDislike      ProblemType = "personal.dislike"
	TypePersonalSize ProblemType = "personal.size"
	TypeMissing      ProblemType = "fulfilment.missing"
	TypeWrong        ProblemType = "fulfilment.wrong"
	TypeChase        ProblemType = "logistics.chase"
	TypeAddress      ProblemType = "logistics.address"
	TypeIntercept    ProblemType = "logistics.intercept"
	TypeLost         ProblemType = "logistics.lost"
	TypeNotReceived  ProblemType = "logistics.not_received"
	TypeHowTo        ProblemType = "usage.howto"
	TypeRefundChase  ProblemType = "refund.chase"
	TypeComplaint    ProblemType = "complaint.service"
	TypePresale      ProblemType = "presale"
)

// Demand is what the customer asks for (SOP §8).
type Demand string

const (
	DemandReturnRefund Demand = "return_refund"
	DemandRefundOnly   Demand = "refund_only"
	DemandExchange     Demand = "exchange"
	DemandCompensation Demand = "compensation"
	DemandReship       Demand = "reship"
	DemandRepair       Demand = "repair"
	DemandExpedite     Demand = "expedite"
	DemandInfo         Demand = "info"
	DemandNone         Demand = "none"
)

// Emotion is the customer's tone (SOP §8).
type Emotion string

const (
	EmotionCalm  Emotion = "calm"
	EmotionUpset Emotion = "upset"
	EmotionAngry Emotion = "angry"
)

// Level is the severity of SOP §3: 1 urgent, 2 important, 3 routine.
type Level int

// Platform is the shop's sales platform.
type Platform string

const (
	PlatformTaobao    Platform = "taobao"
	PlatformTmall     Platform = "tmall"
	PlatformJD        Platform = "jd"
	PlatformDouyin    Platform = "douyin"
	PlatformPinduoduo Platform = "pinduoduo"
	PlatformOther     Platform = "other"
)

// Code describes one code of a vocabulary with its Chinese label.
type Code struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// ProblemTypes lists the default taxonomy of SOP §8 in its order.
var ProblemTypes = []Code{
	{string(TypeDamaged), "破损"},
	{string(TypeLeak), "漏水"},
	{string(TypeMalfunction), "功能故障"},
	{string(TypeFlaw), "外观瑕疵"},
	{string(TypeQualitySize), "尺码不符(质量)"},
	{string(TypeDislike), "个人原因"},
	{string(TypePersonalSize), "尺码不合适"},
	{string(TypeMissing), "少件/漏发"},
	{string(TypeWrong), "错发"},
	{string(TypeChase), "催件"},
	{string(TypeAddress), "改地址"},
	{string(TypeIntercept), "截件"},
	{string(TypeLost), "丢件"},
	{string(TypeNotReceived), "未收到货"},
	{string(TypeHowTo), "使用问题"},
	{string(TypeRefundChase), "催退款"},
	{string(TypeComplaint), "投诉"},
	{string(TypePresale), "售前"},
}

// Demands lists the customer demands of SOP §8.
var Demands = []Code{
	{string(DemandReturnRefund), "退货退款"},
	{string(DemandRefundOnly), "仅退款"},
	{string(DemandExchange), "换货"},
	{string(DemandCompensation), "补偿"},
	{string(DemandReship), "补发"},
	{string(DemandRepair), "维修"},
	{string(DemandExpedite), "催促/加急"},
	{string(DemandInfo), "咨询"},
	{string(DemandNone), "无"},
}

// Emotions lists the emotion codes of SOP §8.
var Emotions = []Code{
	{string(EmotionCalm), "平静"},
	{string(EmotionUpset), "不满"},
	{string(EmotionAngry), "情绪过激"},
}

// StatusLabels names each case status in Chinese.
var StatusLabels = map[Status]string{StatusOpen: "处理中", StatusClosed: "已结案", StatusMerged: "已合并"}

// StatusLabel is the Chinese name of a case status (the code itself if unknown).
func StatusLabel(s Status) string {
	if l, ok := StatusLabels[s]; ok {
		return l
	}
	return string(s)
}

// StageLabels names each stage in Chinese.
var StageLabels = map[Stage]string{
	StageSoothe: "安抚", StageVerify: "核实", StageSolution: "方案", StageExecute: "执行",
	StageRemark: "备注", StageRegister: "登记", StageFollowUp: "回访", StageClosed: "已结案",
}

// Platforms lists the supported platforms.
var Platforms = []Code{
	{string(PlatformTaobao), "淘宝"},
	{string(PlatformTmall), "天猫"},
	{string(PlatformJD), "京东"},
	{string(PlatformDouyin), "抖音"},
	{string(PlatformPinduoduo), "拼多多"},
	{string(PlatformOther), "其他"},
}

// IsQuality reports whether the type is a quality problem (seller pays freight, SOP §5).
func (t ProblemType) IsQuality() bool {
	switch t {
	case TypeDamaged, TypeLeak, TypeMalfunction, TypeFlaw, TypeQualitySize:
		return true
	}
	return false
}

func hasCode(list []Code, code string) bool {
	for _, c := range list {
		if c.Code == code {
			return true
		}
	}
	return false
}

// Valid reports whether t is a known problem-type code.
func (t ProblemType) Valid() bool { return hasCode(ProblemTypes, string(t)) }

// Valid reports whether d is a known demand code.
func (d Demand) Valid() bool { return hasCode(Demands, string(d)) }

// Valid reports whether e is a known emotion code.
func (e Emotion) Valid() bool { return hasCode(Emotions, string(e)) }

// Valid reports whether p is a known platform.
func (p Platform) Valid() bool { return hasCode(Platforms, string(p)) }

// Valid reports whether l is 1, 2 or 3.
func (l Level) Valid() bool { return l >= 1 && l <= 3 }

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool {
	_, ok := StageLabels[s]
	return ok
}

// Solution kinds: the ladder of SOP §4 first (compensation > reship > exchange >
// return), then the other solutions the seeds name.
const (
	SolutionCompensation      = "compensation"
	SolutionReship            = "reship"
	SolutionExchange          = "exchange"
	SolutionReturnRefund      = "return_refund"
	SolutionRefundOnly        = "refund_only"
	SolutionRepair            = "repair"
	SolutionRefurbish         = "refurbish"
	SolutionPriceDifference   = "price_difference"
	SolutionNextOrderDiscount = "next_order_discount"
	SolutionCourierClaim      = "courier_claim"
	SolutionRetention         = "retention"
)

// Roles lists the desk roles with their one Chinese name each.
var Roles = []Code{{"agent", "客服"}, {"supervisor", "主管"}, {"admin", "管理员"}, {"warehouse", "仓库"}}

// RoleLabel names a role in Chinese (the code itself when unknown).
func RoleLabel(role string) string {
	if l, ok := LabelOf(Roles, role); ok {
		return l
	}
	return role
}

// Solutions lists the solution kinds with their Chinese labels.
var Solutions = []Code{
	{SolutionCompensation, "补偿"}, {SolutionReship, "补发"}, {SolutionExchange, "换货"},
	{SolutionReturnRefund, "退货退款"}, {SolutionRefundOnly, "仅退款"}, {SolutionRepair, "维修"},
	{SolutionRefurbish, "补色翻新"}, {SolutionPriceDifference, "退差价"}, {SolutionNextOrderDiscount, "下次购买优惠"},
	{SolutionCourierClaim, "向快递索赔"}, {SolutionRetention, "劝留"},
}

// Evidence kinds: what a photo or video shows (SOP §1.2 核实).
const (
	EvidenceSixSides = "six_sides"
	EvidenceWaybill  = "waybill"
	EvidenceContents = "contents"
	EvidenceVideo    = "video"
	EvidenceOther    = "other"
)

// EvidenceKinds lists the evidence kinds with their Chinese labels.
var EvidenceKinds = []Code{
	{EvidenceSixSides, "六面照"}, {EvidenceWaybill, "面单"}, {EvidenceContents, "内件照片"},
	{EvidenceVideo, "视频"}, {EvidenceOther, "其他"},
}

// LabelOf finds a code's Chinese label in a vocabulary; ok is false for an unknown code.
func LabelOf(list []Code, code string) (label string, ok bool) {
	for _, c := range list {
		if c.Code == code {
			return c.Label, true
		}
	}
	return "", false
}

// SolutionLabel names a solution kind; ok is false for an unknown kind.
func SolutionLabel(kind string) (string, bool) { return LabelOf(Solutions, kind) }

// EvidenceLabel names an evidence kind; ok is false for an unknown kind.
func EvidenceLabel(kind string) (string, bool) { return LabelOf(EvidenceKinds, kind) }

// PlatformLabel names a platform in Chinese (the code itself when unknown).
func PlatformLabel(p Platform) string {
	if l, ok := LabelOf(Platforms, string(p)); ok {
		return l
	}
	return string(p)
}
