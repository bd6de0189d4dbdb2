package demo

import (
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
)

func intake(p cases.Platform, order, name string, yuan int64, t cases.ProblemType, desc string, d cases.Demand, e cases.Emotion) cases.Intake {
	return cases.Intake{CustomerName: name, Platform: p, OrderNo: order, Amount: money.Yuan(yuan), Type: t,
		Description: desc, Demand: d, Emotion: e}
}

// teaBar is the 茶吧机 model of the demo's same-batch alert: three quality cases of
// one SKU and batch within the week (质量预警).
func teaBar(in cases.Intake) cases.Intake {
	in.SKU, in.Batch = "CB-T8 茶吧机", "20261103"
	return in
}

func compensation(yuan int64) *cases.SolutionPayload {
	return &cases.SolutionPayload{Kind: "compensation", Amount: money.Yuan(yuan)}
}

// triedFirst is the compensation offered (and turned down) before a higher rung of the
// ladder (SOP §4).
var triedFirst = []cases.SolutionPayload{{Kind: "compensation", Amount: money.Yuan(10)}}

func solution(kind string) *cases.SolutionPayload { return &cases.SolutionPayload{Kind: kind} }

func reshipOf(items ...string) *cases.SolutionPayload {
	return &cases.SolutionPayload{Kind: "reship", Data: &execution.Data{Items: items}}
}

func paid(ref string) execution.Transition {
	return execution.Transition{To: execution.StatePaid, Data: execution.Data{Reference: ref,
		Payee: &execution.Payee{Channel: execution.PayPlatform}}}
}

func shipped(courier, tracking string) execution.Transition {
	return execution.Transition{To: execution.StateShipped, Data: execution.Data{Courier: courier, TrackingNo: tracking}}
}

// sample is one demo case: who works it, the intake form, the customer's first
// message, how it goes (plan) and how many hours ago it was opened.
type sample struct {
	agent   string
	in      cases.Intake
	message string
	plan    plan
	ageHrs  int
}

// samples are the demo cases: every problem type of SOP §8 (except pre-sale), five
// platforms and every stage, each played through its real flow (drive).
func samples(now time.Time) []sample {
	signed := now.Add(-90 * time.Hour) // before every sample was opened
	withSigned := func(in cases.Intake, courier, tracking string) cases.Intake {
		in.SignedAt, in.Courier, in.TrackingNo, in.FreightInsurance = &signed, courier, tracking, true
		return in
	}
	return []sample{
		{"xiaomei", withSigned(intake(cases.PlatformTmall, "TM2026112701", "陈女士", 269, cases.TypeDamaged, "茶吧机外箱压扁，机身侧面裂开", cases.DemandExchange, cases.EmotionAngry), "顺丰", "SF1402938475610"),
			"你们这什么包装！机器都裂了！", plan{answers: map[string]string{"outer_package": "severe"}, stopAt: "courier-claim"}, 5},
		{"xiaomei", withSigned(intake(cases.PlatformTaobao, "TB3390018231", "小鱼儿", 39, cases.TypeDamaged, "玻璃杯一只有裂纹，外包装完好", cases.DemandCompensation, cases.EmotionCalm), "中通", "73512098456123"),
			"杯子有一只裂了，能补偿一下吗", plan{answers: map[string]string{"outer_package": "intact", "damage": "minor"}, accept: compensation(10),
				exec: []execution.Transition{paid("ZFB20261128001")}, remark: "破损，补偿10元已发", end: "close"}, 30},
		{"xiaoli", teaBar(withSigned(intake(cases.PlatformJD, "JD2981200471", "刘先生", 399, cases.TypeLeak, "茶吧机底部漏水，用了三天", cases.DemandNone, cases.EmotionUpset), "京东", "JD0089327761023")),
			"用了三天就漏水了，怎么回事？", plan{answers: map[string]string{"installation": "correct"}, stopAt: "leak-video"}, 20},
		{"xiaoli", teaBar(withSigned(intake(cases.PlatformJD, "JD2981201188", "马先生", 399, cases.TypeLeak, "茶吧机水箱接口漏水，桌面全湿了", cases.DemandNone, cases.EmotionUpset), "京东", "JD0089327765510")),
			"茶吧机漏水，桌子都湿了", plan{answers: map[string]string{"installation": "correct"}, stopAt: "leak-video"}, 9},
		{"xiaoli", withSigned(intake(cases.PlatformDouyin, "DY77120039842", "王阿姨", 159, cases.TypeLeak, "冲牙器水箱漏水", cases.DemandReship, cases.EmotionCalm), "圆通", "YT7712003984211"),
			"冲牙器水箱漏水，能寄个新水箱吗", plan{answers: map[string]string{"installation": "correct", "factory_result": "confirmed"}, refused: triedFirst, accept: reshipOf("冲牙器水箱×1"),
				exec: []execution.Transition{shipped("圆通", "YT7712100022331")}, remark: "漏水，水箱补发已寄出", end: "followup"}, 44},
		{"xiaomei", teaBar(intake(cases.PlatformTmall, "TM2026112388", "赵先生", 599, cases.TypeMalfunction, "茶吧机语音功能失灵，按键无反应", cases.DemandRepair, cases.EmotionUpset)),
			"语音功能坏了，说话没反应", plan{stopAt: "symptom", stopBefore: true}, 1},
		{"xiaoli", withSigned(intake(cases.PlatformPinduoduo, "PDD8812736450", "孙女士", 329, cases.TypeMalfunction, "空调扇不制冷，吹的是热风", cases.DemandReturnRefund, cases.EmotionAngry), "韵达", "4312098871623"),
			"根本不制冷！退货！", plan{returnAsked: true, replies: []string{"不要补偿，就要退"}, answers: map[string]string{"symptom": "not_cooling", "retention_result": "not_kept"},
				retention: money.Yuan(15), accept: &cases.SolutionPayload{Kind: "return_refund", Amount: money.Yuan(329)},
				remark: "不制冷，劝留未成功，退货待寄回", stopAt: "register"}, 26},
		{"xiaomei", intake(cases.PlatformTaobao, "TB3390055120", "林小姐", 129, cases.TypeFlaw, "连衣裙袖口有线头和一处污渍", cases.DemandCompensation, cases.EmotionCalm),
			"衣服袖口有线头，还有点脏", plan{answers: map[string]string{"flaw": "stain_thread"}, stopAt: "offer"}, 8},
		{"xiaoli", intake(cases.PlatformDouyin, "DY77120051230", "周女士", 89, cases.TypeFlaw, "T恤洗了一次严重褪色", cases.DemandExchange, cases.EmotionUpset),
			"洗一次就掉色，这质量？", plan{stopAt: "photos"}, 2},
		{"xiaomei", intake(cases.PlatformTmall, "TM2026111905", "吴先生", 219, cases.TypeQualitySize, "裤长比详情页标注短了5厘米", cases.DemandExchange, cases.EmotionCalm),
			"裤子比标的短了5公分", plan{answers: map[string]string{"size_gap": "beyond"}, refused: triedFirst, accept: solution("exchange"), stopAt: "remark"}, 50},
		{"xiaoli", withSigned(intake(cases.PlatformPinduoduo, "PDD8812799001", "郑女士", 59, cases.TypeDislike, "收到后觉得颜色不好看，想退", cases.DemandReturnRefund, cases.EmotionCalm), "中通", "73512099001122"),
			"颜色不喜欢，可以退吗", plan{returnAsked: true, replies: []string{"那好吧，留下了"}, answers: map[string]string{"retention_result": "kept"},
				remark: "非质量问题，劝留成功，顾客留下商品", end: "close"}, 70},
		{"xiaomei", intake(cases.PlatformJD, "JD2981209911", "钱先生", 499, cases.TypeDislike, "买贵了，别家便宜50", cases.DemandReturnRefund, cases.EmotionUpset),
			"别家便宜五十，我要退", plan{returnAsked: true, stopAt: "retain"}, 1},
		{"xiaoli", intake(cases.PlatformTaobao, "TB3390071144", "冯同学", 79, cases.TypePersonalSize, "鞋子偏小一码，和尺码表一致", cases.DemandExchange, cases.EmotionCalm),
			"鞋小了，能换大一码吗", plan{answers: map[string]string{"retention_result": "exchange"}, accept: solution("exchange"), stopAt: "tracking"}, 12},
		{"xiaomei", withSigned(intake(cases.PlatformTmall, "TM2026112533", "何女士", 188, cases.TypeMissing, "套装少了一个杯盖", cases.DemandReship, cases.EmotionCalm), "中通", "73512099988771"),
			"少了个杯盖", plan{answers: map[string]string{"missing_confirmed": "yes"}, refused: triedFirst, accept: reshipOf("杯盖×1"),
				exec: []execution.Transition{shipped("中通", "73512100022331")}, remark: "少件，杯盖补发已寄出", end: "close"}, 33},
		{"xiaoli", intake(cases.PlatformDouyin, "DY77120066671", "韩先生", 259, cases.TypeMissing, "说只收到一件，订单两件", cases.DemandRefundOnly, cases.EmotionUpset),
			"我买了两件只到了一件！", plan{answers: map[string]string{"missing_confirmed": "no"}, stopAt: "courier-proof"}, 6},
		{"xiaomei", intake(cases.PlatformPinduoduo, "PDD8812700452", "杨女士", 99, cases.TypeWrong, "买的白色发成了黑色", cases.DemandExchange, cases.EmotionUpset),
			"我要白色的你们发黑色？", plan{answers: map[string]string{"wrong_confirmed": "yes"}, refused: triedFirst, accept: solution("exchange"), stopAt: "tracking"}, 18},
		{"xiaoli", intake(cases.PlatformJD, "JD2981215530", "许先生", 149, cases.TypeChase, "下单五天物流一直停在中转站", cases.DemandExpedite, cases.EmotionUpset),
			"怎么还没到？？五天了", plan{answers: map[string]string{"logistics_state": "stalled"}, remark: "顾客催件，已经通知快递", end: "close"}, 40},
		{"xiaomei", intake(cases.PlatformTaobao, "TB3390090001", "曹女士", 69, cases.TypeChase, "发货两天了没有揽收记录", cases.DemandExpedite, cases.EmotionCalm),
			"怎么还没有物流信息", plan{answers: map[string]string{"logistics_state": "no_pickup"}, stopAt: "await-pickup"}, 20},
		{"xiaoli", intake(cases.PlatformTmall, "TM2026112790", "彭先生", 799, cases.TypeAddress, "地址写错了小区，想改到公司", cases.DemandNone, cases.EmotionCalm),
			"地址写错了能改吗", plan{answers: map[string]string{"signed": "no"}, stopAt: "collect-address"}, 1},
		{"xiaomei", intake(cases.PlatformDouyin, "DY77120071200", "蒋女士", 139, cases.TypeIntercept, "不想要了，包裹在路上，要拦截", cases.DemandReturnRefund, cases.EmotionCalm),
			"不要了，帮我拦截一下", plan{answers: map[string]string{"intercept_case": "not_urgent"}, stopAt: "refuse-parcel"}, 10},
		{"xiaoli", withSigned(intake(cases.PlatformJD, "JD2981220017", "沈先生", 359, cases.TypeLost, "物流显示在分拨中心后再无更新，疑似丢件", cases.DemandReship, cases.EmotionUpset), "京东", "JD0089327799001"),
			"一个礼拜没动静了，是不是丢了", plan{stopAt: "await-result"}, 28},
		{"xiaomei", withSigned(intake(cases.PlatformPinduoduo, "PDD8812731188", "韩女士", 45, cases.TypeNotReceived, "显示已签收但本人没收到", cases.DemandRefundOnly, cases.EmotionAngry), "申通", "77309812345678"),
			"我根本没收到！显示签收了？！再不处理我投诉", plan{stopAt: "variant"}, 1},
		{"xiaoli", intake(cases.PlatformTaobao, "TB3390102020", "老李", 299, cases.TypeHowTo, "不知道茶吧机怎么设置保温温度", cases.DemandInfo, cases.EmotionCalm),
			"这个保温怎么调", plan{answers: map[string]string{"resolved": "yes"}, remark: "使用咨询，已教会设置保温", end: "close"}, 60},
		{"xiaomei", intake(cases.PlatformJD, "JD2981230045", "邓女士", 89, cases.TypeRefundChase, "退货已签收三天还没退款", cases.DemandExpedite, cases.EmotionUpset),
			"退货都签收三天了，钱呢？", plan{answers: map[string]string{"refund_state": "processing"}, remark: "催退款，已经催促后台处理", stopAt: "register"}, 7},
		{"xiaoli", intake(cases.PlatformTmall, "TM2026112977", "袁先生", 1299, cases.TypeComplaint, "客服承诺当天发货未兑现，威胁投诉平台", cases.DemandCompensation, cases.EmotionAngry),
			"说好当天发货呢？骗子！我要投诉到平台", plan{answers: map[string]string{"complaint_kind": "promise_not_kept"}, stopAt: "resolve"}, 2},
		{"xiaomei", withSigned(intake(cases.PlatformDouyin, "DY77120080011", "唐女士", 199, cases.TypeDamaged, "电热水壶到货外壳凹陷", cases.DemandCompensation, cases.EmotionCalm), "韵达", "4312098870011"),
			"水壶外壳凹了一块", plan{answers: map[string]string{"outer_package": "minor"}, accept: compensation(10),
				exec: []execution.Transition{paid("ZFB20261126007")}, remark: "破损，补偿10元已发", end: "followup"}, 80},
	}
}
