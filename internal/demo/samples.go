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

// samples are the demo cases, one or more for every problem type, spread over stages.
func samples(now time.Time) []sample {
	signed := now.Add(-50 * time.Hour)
	withSigned := func(in cases.Intake, courier, tracking string) cases.Intake {
		in.SignedAt, in.Courier, in.TrackingNo, in.FreightInsurance = &signed, courier, tracking, true
		return in
	}
	soothe := msgOut("非常理解您的心情，请您先别生气，我这边会尽力帮助您的。", "soothe")
	verify := msgOut("麻烦您拍摄一下商品存在的问题，这边会尽快为您解决，请您放心！", "verify")
	return []sample{
		{"xiaomei", withSigned(intake(cases.PlatformTmall, "TM2026112701", "陈女士", 269, cases.TypeDamaged, "茶吧机外箱压扁，机身侧面裂开", cases.DemandExchange, cases.EmotionAngry), "顺丰", "SF1402938475610"),
			"你们这什么包装！机器都裂了！", []step{soothe, stage(cases.StageVerify), verify, fact("outer_package", "severe"), stage(cases.StageSolution), offer("exchange", 0)}, 5},
		{"xiaomei", withSigned(intake(cases.PlatformTaobao, "TB3390018231", "小鱼儿", 39, cases.TypeDamaged, "玻璃杯一只有裂纹，外包装完好", cases.DemandCompensation, cases.EmotionCalm), "中通", "73512098456123"),
			"杯子有一只裂了，能补偿一下吗", []step{verify, fact("outer_package", "intact"), fact("severity", "minor"), stage(cases.StageSolution), offer("compensation", 10), accept("compensation", 10),
				stage(cases.StageExecute), remark("破损，补偿10元已发"), registered(), closeCase}, 30},
		{"xiaoli", withSigned(intake(cases.PlatformJD, "JD2981200471", "刘先生", 399, cases.TypeLeak, "茶吧机底部漏水，用了三天", cases.DemandNone, cases.EmotionUpset), "京东", "JD0089327761023"),
			"用了三天就漏水了，怎么回事？", []step{soothe, stage(cases.StageVerify), msgOut("麻烦您确认下水箱是否安装到位，并拍一段漏水的视频给我们。", "verify"), remark("反馈漏水，待顾客发视频")}, 20},
		{"xiaoli", withSigned(intake(cases.PlatformDouyin, "DY77120039842", "王阿姨", 159, cases.TypeLeak, "冲牙器水箱漏水", cases.DemandReship, cases.EmotionCalm), "圆通", "YT7712003984211"),
			"冲牙器水箱漏水，能寄个新水箱吗", []step{verify, stage(cases.StageSolution), reship("冲牙器水箱×1"), stage(cases.StageExecute), remark("漏水，水箱补发已登记"), registered()}, 44},
		{"xiaomei", intake(cases.PlatformTmall, "TM2026112388", "赵先生", 599, cases.TypeMalfunction, "茶吧机语音功能失灵，按键无反应", cases.DemandRepair, cases.EmotionUpset),
			"语音功能坏了，说话没反应", []step{soothe, stage(cases.StageVerify), msgOut("麻烦您拍一段操作时的视频，我们反馈给厂家核实。", "verify")}, 3},
		{"xiaoli", withSigned(intake(cases.PlatformPinduoduo, "PDD8812736450", "孙女士", 329, cases.TypeMalfunction, "空调扇不制冷，吹的是热风", cases.DemandReturnRefund, cases.EmotionAngry), "韵达", "4312098871623"),
			"根本不制冷！退货！", []step{soothe, stage(cases.StageSolution), step{cases.EvReturnAsked, cases.NotePayload{Text: "顾客要求退货退款"}},
				step{cases.EvRetention, cases.SolutionPayload{Kind: "compensation", Amount: money.Yuan(15)}}, msgIn("不要补偿，就要退"),
				step{cases.EvReasonGuided, cases.ReasonPayload{Reason: "seven_days_no_reason"}}, accept("return_refund", 329), stage(cases.StageExecute), remark("不制冷，劝留未成功，退货待寄回")}, 26},
		{"xiaomei", intake(cases.PlatformTaobao, "TB3390055120", "林小姐", 129, cases.TypeFlaw, "连衣裙袖口有线头和一处污渍", cases.DemandCompensation, cases.EmotionCalm),
			"衣服袖口有线头，还有点脏", []step{verify, stage(cases.StageSolution), offer("compensation", 10), step{cases.EvSolutionRefuse, cases.SolutionPayload{Kind: "compensation", Amount: money.Yuan(10)}},
				offer("compensation", 14), remark("商品瑕疵，协商补偿14元未发,顾客未回")}, 8},
		{"xiaoli", intake(cases.PlatformDouyin, "DY77120051230", "周女士", 89, cases.TypeFlaw, "T恤洗了一次严重褪色", cases.DemandExchange, cases.EmotionUpset),
			"洗一次就掉色，这质量？", []step{soothe, stage(cases.StageVerify), verify}, 2},
		{"xiaomei", intake(cases.PlatformTmall, "TM2026111905", "吴先生", 219, cases.TypeQualitySize, "裤长比详情页标注短了5厘米", cases.DemandExchange, cases.EmotionCalm),
			"裤子比标的短了5公分", []step{verify, fact("size_deviation_cm", "5"), stage(cases.StageSolution), accept("exchange", 0), stage(cases.StageExecute), remark("尺码偏差5厘米，换货待寄回")}, 50},
		{"xiaoli", intake(cases.PlatformPinduoduo, "PDD8812799001", "郑女士", 59, cases.TypeDislike, "收到后觉得颜色不好看，想退", cases.DemandReturnRefund, cases.EmotionCalm),
			"颜色不喜欢，可以退吗", []step{step{cases.EvReturnAsked, cases.NotePayload{}}, step{cases.EvRetention, cases.SolutionPayload{Kind: "compensation", Amount: money.Yuan(10)}},
				msgIn("那好吧，留下了"), accept("compensation", 10), remark("非质量问题，劝留成功补偿10元已发"), closeCase}, 70},
		{"xiaomei", intake(cases.PlatformJD, "JD2981209911", "钱先生", 499, cases.TypeDislike, "买贵了，别家便宜50", cases.DemandReturnRefund, cases.EmotionUpset),
			"别家便宜五十，我要退", []step{stage(cases.StageSolution), step{cases.EvReturnAsked, cases.NotePayload{}}}, 1},
		{"xiaoli", intake(cases.PlatformTaobao, "TB3390071144", "冯同学", 79, cases.TypePersonalSize, "鞋子偏小一码，和尺码表一致", cases.DemandExchange, cases.EmotionCalm),
			"鞋小了，能换大一码吗", []step{stage(cases.StageSolution), accept("exchange", 0), remark("非质量问题，换货运费自理，待寄回")}, 12},
		{"xiaomei", withSigned(intake(cases.PlatformTmall, "TM2026112533", "何女士", 188, cases.TypeMissing, "套装少了一个杯盖", cases.DemandReship, cases.EmotionCalm), "中通", "73512099988771"),
			"少了个杯盖", []step{msgOut("麻烦您提供下清晰面单和外箱2-4面的立体照片，内件照片给我们以便我们核实具体情况", "verify"), fact("missing_confirmed", "yes"),
				stage(cases.StageSolution), reship("杯盖×1"), stage(cases.StageExecute),
				advance(execution.StateShipped, execution.Data{Courier: "中通", TrackingNo: "73512100022331"}), remark("少件，杯盖补发已登记"), registered()}, 33},
		{"xiaoli", intake(cases.PlatformDouyin, "DY77120066671", "韩先生", 259, cases.TypeMissing, "说只收到一件，订单两件", cases.DemandRefundOnly, cases.EmotionUpset),
			"我买了两件只到了一件！", []step{soothe, stage(cases.StageVerify), fact("missing_confirmed", "no")}, 6},
		{"xiaomei", intake(cases.PlatformPinduoduo, "PDD8812700452", "杨女士", 99, cases.TypeWrong, "买的白色发成了黑色", cases.DemandExchange, cases.EmotionUpset),
			"我要白色的你们发黑色？", []step{soothe, stage(cases.StageVerify), msgOut("麻烦您拍一下收到的商品和面单", "verify"), stage(cases.StageSolution),
				msgOut("实在抱歉给您添麻烦了亲，这边核实的确是仓库不小心给您发错了，您看这边给您安排换货可以嘛", "offer"), accept("exchange", 0)}, 18},
		{"xiaoli", intake(cases.PlatformJD, "JD2981215530", "许先生", 149, cases.TypeChase, "下单五天物流一直停在中转站", cases.DemandExpedite, cases.EmotionUpset),
			"怎么还没到？？五天了", []step{soothe, msgOut("这边已经上报快递站点那边进行催促了，会尽快给您安排的呢亲~", "soothe"), stage(cases.StageRemark), remark("顾客催件，已经通知快递"), stage(cases.StageRegister), registered()}, 4},
		{"xiaomei", intake(cases.PlatformTaobao, "TB3390090001", "曹女士", 69, cases.TypeChase, "发货两天了没有揽收记录", cases.DemandExpedite, cases.EmotionCalm),
			"怎么还没有物流信息", []step{msgOut("非常抱歉，给您带来不便，咱们已联系快递去核实处理啦~", "soothe"), fact("chase_kind", "no_pickup")}, 49},
		{"xiaoli", intake(cases.PlatformTmall, "TM2026112790", "彭先生", 799, cases.TypeAddress, "地址写错了小区，想改到公司", cases.DemandNone, cases.EmotionCalm),
			"地址写错了能改吗", []step{msgOut("亲亲，麻烦您编辑一下完整的收货信息(格式:名字+电话+完整、具体的收货地址+邮编)", "verify"), fact("signed", "no")}, 1},
		{"xiaomei", intake(cases.PlatformDouyin, "DY77120071200", "蒋女士", 139, cases.TypeIntercept, "不想要了，包裹在路上，要拦截", cases.DemandReturnRefund, cases.EmotionCalm),
			"不要了，帮我拦截一下", []step{fact("urgent_refund", "no"), msgOut("这边先给您拦截退回哈，如果拦截失败麻烦您到时候拒收一下", "offer"), remark("截件，已通知快递拦截，待退回")}, 10},
		{"xiaoli", withSigned(intake(cases.PlatformJD, "JD2981220017", "沈先生", 359, cases.TypeLost, "物流显示在分拨中心后再无更新，疑似丢件", cases.DemandReship, cases.EmotionUpset), "京东", "JD0089327799001"),
			"一个礼拜没动静了，是不是丢了", []step{soothe, msgOut("亲，实在抱歉，这边联系快递核实，3个工作日内给您答复", "soothe"), remark("疑似丢件，已反馈快递群核实")}, 28},
		{"xiaomei", withSigned(intake(cases.PlatformPinduoduo, "PDD8812731188", "韩女士", 45, cases.TypeNotReceived, "显示已签收但本人没收到", cases.DemandRefundOnly, cases.EmotionAngry), "申通", "77309812345678"),
			"我根本没收到！显示签收了？！再不处理我投诉", []step{soothe, stage(cases.StageVerify)}, 1},
		{"xiaoli", intake(cases.PlatformTaobao, "TB3390102020", "老李", 299, cases.TypeHowTo, "不知道茶吧机怎么设置保温温度", cases.DemandInfo, cases.EmotionCalm),
			"这个保温怎么调", []step{msgOut("亲，长按温度键3秒即可进入保温设置哦", "offer"), remark("使用咨询，已教会设置保温"), closeCase}, 60},
		{"xiaomei", intake(cases.PlatformJD, "JD2981230045", "邓女士", 89, cases.TypeRefundChase, "退货已签收三天还没退款", cases.DemandExpedite, cases.EmotionUpset),
			"退货都签收三天了，钱呢？", []step{soothe, stage(cases.StageRemark), remark("催退款，已经催促后台处理")}, 7},
		{"xiaoli", intake(cases.PlatformTmall, "TM2026112977", "袁先生", 1299, cases.TypeComplaint, "客服承诺当天发货未兑现，威胁投诉平台", cases.DemandCompensation, cases.EmotionAngry),
			"说好当天发货呢？骗子！我要投诉到平台", []step{soothe, msgOut("给您带来这么多的麻烦实在是非常抱歉，如果我是您的话，我也会很生气的，请您先消消气", "soothe")}, 2},
		{"xiaomei", intake(cases.PlatformDouyin, "DY77120080011", "唐女士", 199, cases.TypeDamaged, "电热水壶到货外壳凹陷", cases.DemandCompensation, cases.EmotionCalm),
			"水壶外壳凹了一块", []step{verify, fact("outer_package", "minor"), stage(cases.StageSolution), offer("compensation", 10), accept("compensation", 10),
				stage(cases.StageExecute), remark("破损，补偿10元已发"), registered(), stage(cases.StageFollowUp), step{cases.EvFollowedUp, cases.NotePayload{Text: "回访满意"}}}, 80},
	}
}
