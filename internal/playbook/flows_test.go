package playbook

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/internal/cases"
)

func TestEveryFlowWalksItsSOPBranches(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	tests := []struct {
		name      string
		typ       cases.ProblemType
		play      func(*story)
		step      string
		solutions []string
		finished  bool
	}{
		// 破损
		{"damaged starts by asking six-side photos", cases.TypeDamaged, func(s *story) {}, "photos", nil, false},
		{"damaged waits for all photos even when the outer package is known", cases.TypeDamaged, func(s *story) {
			s.evidence(cases.EvidenceSixSides).fact("outer_package", "severe")
		}, "photos", nil, false},
		{"damaged outer package severe claims against the courier", cases.TypeDamaged, func(s *story) {
			s.evidence(cases.EvidenceSixSides, cases.EvidenceWaybill, cases.EvidenceContents).fact("outer_package", "severe")
		}, "courier-claim", []string{"reship", "courier_claim", "refund_only", "return_refund"}, false},
		{"damaged outer package minor confirms receipt with small compensation", cases.TypeDamaged, func(s *story) {
			s.evidence(cases.EvidenceSixSides, cases.EvidenceWaybill, cases.EvidenceContents).fact("outer_package", "minor")
		}, "confirm-receipt", []string{"compensation"}, false},
		{"damaged intact and severe soothes then reships or refunds", cases.TypeDamaged, func(s *story) {
			s.evidence(cases.EvidenceSixSides, cases.EvidenceWaybill, cases.EvidenceContents).fact("outer_package", "intact").fact("damage", "severe")
		}, "severe-offer", []string{"reship", "refund_only", "return_refund"}, false},
		{"damaged intact and minor offers compensation before exchange", cases.TypeDamaged, func(s *story) {
			s.evidence(cases.EvidenceSixSides, cases.EvidenceWaybill, cases.EvidenceContents).fact("outer_package", "intact").fact("damage", "minor")
		}, "minor-offer", []string{"compensation", "exchange"}, false},
		{"damaged minor offer needs soothing as well as acceptance", cases.TypeDamaged, func(s *story) {
			s.evidence(cases.EvidenceSixSides, cases.EvidenceWaybill, cases.EvidenceContents).fact("outer_package", "intact").fact("damage", "minor").
				offer("compensation").accept("compensation")
		}, "minor-offer", []string{"compensation", "exchange"}, false},
		{"damaged accepted solution leads to remark then register", cases.TypeDamaged, func(s *story) {
			s.evidence(cases.EvidenceSixSides, cases.EvidenceWaybill, cases.EvidenceContents).fact("outer_package", "intact").fact("damage", "minor").
				soothe().offer("compensation").accept("compensation").remark()
		}, "register", nil, false},
		{"damaged ends after register", cases.TypeDamaged, func(s *story) {
			s.evidence(cases.EvidenceSixSides, cases.EvidenceWaybill, cases.EvidenceContents).fact("outer_package", "intact").fact("damage", "minor").
				soothe().offer("compensation").accept("compensation").remark().register()
		}, "register", nil, true},
		{"damaged remark written before the solution does not count for the remark step", cases.TypeDamaged, func(s *story) {
			s.remark().evidence(cases.EvidenceSixSides, cases.EvidenceWaybill, cases.EvidenceContents).fact("outer_package", "minor").
				offer("compensation").accept("compensation")
		}, "remark", nil, false},
		// 漏水
		{"leak checks installation first", cases.TypeLeak, func(s *story) {}, "check-install", nil, false},
		{"leak wrong installation is taught, then fixed ends at remark", cases.TypeLeak, func(s *story) {
			s.fact("installation", "wrong").fact("leaks_after_fix", "no")
		}, "remark", nil, false},
		{"leak correct installation asks a leak video", cases.TypeLeak, func(s *story) {
			s.fact("installation", "correct")
		}, "leak-video", nil, false},
		{"leak video goes to the factory", cases.TypeLeak, func(s *story) {
			s.fact("installation", "correct").evidence(cases.EvidenceVideo)
		}, "factory", nil, false},
		{"leak confirmed by the factory reships the part", cases.TypeLeak, func(s *story) {
			s.fact("installation", "correct").evidence(cases.EvidenceVideo).fact("factory_result", "confirmed")
		}, "reship-part", []string{"compensation", "reship"}, false},
		{"leak reship accepted asks to send the tracking number", cases.TypeLeak, func(s *story) {
			s.fact("installation", "correct").evidence(cases.EvidenceVideo).fact("factory_result", "confirmed").accept("reship")
		}, "tracking", nil, false},
		{"leak tracking sent leads to remark and register", cases.TypeLeak, func(s *story) {
			s.fact("installation", "correct").evidence(cases.EvidenceVideo).fact("factory_result", "confirmed").accept("reship").
				say(IntentTracking).remark().register()
		}, "register", nil, true},
		// 功能故障
		{"malfunction asks a fault video", cases.TypeMalfunction, func(s *story) {
			s.fact("symptom", "other")
		}, "fault-video", nil, false},
		{"malfunction confirmed reships the part", cases.TypeMalfunction, func(s *story) {
			s.fact("symptom", "other").evidence(cases.EvidenceVideo).fact("factory_result", "confirmed")
		}, "reship-part", []string{"compensation", "reship", "exchange", "repair"}, false},
		{"malfunction compensation accepted skips the tracking number", cases.TypeMalfunction, func(s *story) {
			s.fact("symptom", "other").evidence(cases.EvidenceVideo).fact("factory_result", "confirmed").accept("compensation")
		}, "remark", nil, false},
		{"not cooling starts with retention", cases.TypeMalfunction, func(s *story) {
			s.fact("symptom", "not_cooling")
		}, "retain", []string{"compensation", "retention"}, false},
		{"not cooling kept ends with remark and register", cases.TypeMalfunction, func(s *story) {
			s.fact("symptom", "not_cooling").retain().fact("retention_result", "kept").remark()
		}, "register", nil, false},
		{"not cooling not kept goes to return and refund", cases.TypeMalfunction, func(s *story) {
			s.fact("symptom", "not_cooling").retain().fact("retention_result", "not_kept")
		}, "return-refund", []string{"return_refund"}, false},
		{"not cooling return ends after reason guidance, acceptance, remark and register", cases.TypeMalfunction, func(s *story) {
			s.fact("symptom", "not_cooling").askReturn().retain().fact("retention_result", "not_kept").
				reason(ReasonSevenDays).accept("return_refund").remark().register()
		}, "register", nil, true},
		// 外观瑕疵
		{"flaw offers compensation first", cases.TypeFlaw, func(s *story) {
			s.evidence(cases.EvidenceContents).fact("flaw", "fading")
		}, "offer", []string{"compensation", "exchange", "refurbish", "repair", "return_refund"}, false},
		{"flaw refused compensation moves exchange to the top", cases.TypeFlaw, func(s *story) {
			s.evidence(cases.EvidenceContents).fact("flaw", "colour_difference").offer("compensation").refuse("compensation")
		}, "offer", []string{"exchange", "refurbish", "repair", "compensation", "return_refund"}, false},
		{"flaw missing accessory reships it", cases.TypeFlaw, func(s *story) {
			s.evidence(cases.EvidenceContents).fact("flaw", "missing_accessory")
		}, "reship-accessory", []string{"compensation", "reship"}, false},
		// 尺码
		{"quality size beyond 3 cm is a quality solution", cases.TypeQualitySize, func(s *story) {
			s.evidence(cases.EvidenceContents).fact("size_gap", "beyond")
		}, "offer", []string{"compensation", "exchange", "return_refund"}, false},
		{"quality size within 3 cm is explained", cases.TypeQualitySize, func(s *story) {
			s.evidence(cases.EvidenceContents).fact("size_gap", "within")
		}, "explain", []string{"compensation", "exchange", "return_refund"}, false},
		{"personal size exchange sends a tracking number", cases.TypePersonalSize, func(s *story) {
			s.retain().fact("retention_result", "exchange").accept("exchange")
		}, "tracking", nil, false},
		{"personal size not kept needs photos of a new item", cases.TypePersonalSize, func(s *story) {
			s.retain().fact("retention_result", "not_kept")
		}, "photos", nil, false},
		// 个人原因
		{"personal reason starts with retention", cases.TypeDislike, func(s *story) {}, "retain",
			[]string{"compensation", "retention", "next_order_discount"}, false},
		{"personal reason kept ends with a remark only", cases.TypeDislike, func(s *story) {
			s.retain().fact("retention_result", "kept").remark()
		}, "remark-kept", nil, true},
		{"personal reason not kept asks photos proving new and unopened", cases.TypeDislike, func(s *story) {
			s.retain().fact("retention_result", "not_kept")
		}, "photos", nil, false},
		{"personal reason new item guides the return", cases.TypeDislike, func(s *story) {
			s.retain().fact("retention_result", "not_kept").evidence(cases.EvidenceContents).fact("item_state", "new")
		}, "guide-return", []string{"return_refund"}, false},
		{"personal reason guided return ends with remark and register", cases.TypeDislike, func(s *story) {
			s.askReturn().retain().fact("retention_result", "not_kept").evidence(cases.EvidenceContents).fact("item_state", "new").
				reason(ReasonOther).remark().register()
		}, "register", nil, true},
		// 少件
		{"missing confirmed reships or refunds", cases.TypeMissing, func(s *story) {
			s.evidence(cases.EvidenceSixSides, cases.EvidenceContents).fact("missing_confirmed", "yes")
		}, "offer", []string{"compensation", "reship", "refund_only"}, false},
		{"missing not confirmed asks the courier for proof", cases.TypeMissing, func(s *story) {
			s.evidence(cases.EvidenceSixSides, cases.EvidenceContents).fact("missing_confirmed", "no")
		}, "courier-proof", nil, false},
		{"missing not confirmed but the customer insists reships or refunds", cases.TypeMissing, func(s *story) {
			s.evidence(cases.EvidenceSixSides, cases.EvidenceContents).fact("missing_confirmed", "no").fact("customer_insists", "yes")
		}, "offer", []string{"compensation", "reship", "refund_only"}, false},
		{"missing not confirmed and accepted goes to remark", cases.TypeMissing, func(s *story) {
			s.evidence(cases.EvidenceSixSides, cases.EvidenceContents).fact("missing_confirmed", "no").fact("customer_insists", "no")
		}, "remark", nil, false},
		// 错发
		{"wrong item confirmed is exchanged", cases.TypeWrong, func(s *story) {
			s.evidence(cases.EvidenceContents, cases.EvidenceWaybill).fact("wrong_confirmed", "yes")
		}, "exchange", []string{"compensation", "exchange", "return_refund"}, false},
		{"wrong item needs the waybill photo", cases.TypeWrong, func(s *story) {
			s.evidence(cases.EvidenceContents).fact("wrong_confirmed", "yes")
		}, "photos", nil, false},
		// 物流
		{"chase stalled soothes and pushes the courier", cases.TypeChase, func(s *story) {
			s.fact("logistics_state", "stalled")
		}, "push-courier", nil, false},
		{"chase stalled done after soothing and notifying", cases.TypeChase, func(s *story) {
			s.fact("logistics_state", "stalled").fact("courier_notified", "yes").soothe()
		}, "remark", nil, false},
		{"chase suspended region explains", cases.TypeChase, func(s *story) {
			s.fact("logistics_state", "suspended_region")
		}, "explain-region", nil, false},
		{"address before signing collects the full address", cases.TypeAddress, func(s *story) {
			s.fact("signed", "no")
		}, "collect-address", nil, false},
		{"address after signing is best effort", cases.TypeAddress, func(s *story) {
			s.fact("signed", "yes")
		}, "best-effort", nil, false},
		{"address ends with a remark, no register", cases.TypeAddress, func(s *story) {
			s.fact("signed", "yes").fact("courier_notified", "yes").remark()
		}, "remark", nil, true},
		{"intercept not urgent waits for the parcel to return", cases.TypeIntercept, func(s *story) {
			s.fact("intercept_case", "not_urgent")
		}, "refuse-parcel", nil, false},
		{"intercept urgent refunds once tracking shows the return", cases.TypeIntercept, func(s *story) {
			s.fact("intercept_case", "urgent").fact("tracking_shows_return", "yes")
		}, "refund", []string{"refund_only", "return_refund"}, false},
		{"intercept signed and not returnable is a normal return", cases.TypeIntercept, func(s *story) {
			s.fact("intercept_case", "signed").fact("courier_can_return", "no")
		}, "normal-return", []string{"return_refund"}, false},
		{"intercept signed and returnable waits for the return", cases.TypeIntercept, func(s *story) {
			s.fact("intercept_case", "signed").fact("courier_can_return", "yes")
		}, "refuse-parcel", nil, false},
		{"refund-only on a shipped order waits for the local station", cases.TypeIntercept, func(s *story) {
			s.fact("intercept_case", "refund_only_shipped")
		}, "await-local", nil, false},
		{"refund-only customer who cancels goes to remark", cases.TypeIntercept, func(s *story) {
			s.fact("intercept_case", "refund_only_shipped").fact("at_local_station", "yes").fact("customer_choice", "cancel_refund")
		}, "remark", nil, false},
		{"refund-only customer who refuses waits for the return", cases.TypeIntercept, func(s *story) {
			s.fact("intercept_case", "refund_only_shipped").fact("at_local_station", "yes").fact("customer_choice", "refuse")
		}, "refuse-parcel", nil, false},
		{"lost parcel found ends at remark", cases.TypeLost, func(s *story) {
			s.fact("courier_notified", "yes").fact("courier_result", "found")
		}, "remark", nil, false},
		{"lost parcel confirmed reships or refunds", cases.TypeLost, func(s *story) {
			s.fact("courier_notified", "yes").fact("courier_result", "lost")
		}, "remedy", []string{"reship", "refund_only"}, false},
		{"false sign-for checks whether the courier contacted the customer", cases.TypeNotReceived, func(s *story) {
			s.fact("sign_case", "false_sign")
		}, "courier-contact", nil, false},
		{"proxy sign-for asks the courier for the signer", cases.TypeNotReceived, func(s *story) {
			s.fact("sign_case", "proxy_sign")
		}, "find-signer", nil, false},
		{"signed but not found reships or refunds", cases.TypeNotReceived, func(s *story) {
			s.fact("sign_case", "proxy_sign").fact("signer_found", "no")
		}, "offer", []string{"reship", "refund_only", "courier_claim"}, false},
		// 催退款, 使用问题, 投诉
		{"refund chase pushes the backend", cases.TypeRefundChase, func(s *story) {
			s.fact("refund_state", "processing")
		}, "push-backend", nil, false},
		{"refund chase already refunded tells the customer", cases.TypeRefundChase, func(s *story) {
			s.fact("refund_state", "refunded")
		}, "tell-refunded", nil, false},
		{"usage accepted after teaching ends at remark", cases.TypeHowTo, func(s *story) {
			s.fact("resolved", "yes")
		}, "remark", nil, false},
		{"usage not accepted allows a small compensation", cases.TypeHowTo, func(s *story) {
			s.fact("resolved", "no")
		}, "compensate", []string{"compensation"}, false},
		{"complaint first soothes within the platform deadline", cases.TypeComplaint, func(s *story) {}, "respond", nil, false},
		{"complaint soothed moves to the solution ladder", cases.TypeComplaint, func(s *story) {
			s.fact("complaint_kind", "attitude").soothe()
		}, "resolve", []string{"compensation", "reship", "exchange", "refund_only", "return_refund"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStory(tt.typ)
			tt.play(s)
			g := e.Guide(&s.c, s.events, s.now)
			if g.Step == nil || g.Step.ID != tt.step {
				t.Fatalf("step = %+v, want %q (path %v)", g.Step, tt.step, g.Path)
			}
			if g.Finished != tt.finished {
				t.Errorf("finished = %v, want %v", g.Finished, tt.finished)
			}
			if tt.solutions == nil {
				tt.solutions = []string{}
			}
			if diff := cmp.Diff(tt.solutions, kinds(g.Solutions)); diff != "" {
				t.Errorf("solutions (-want +got):\n%s", diff)
			}
		})
	}
}
