package web

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/playbook"
)

// eventTypesDeclared reads every EventType constant from the source of
// internal/cases, so that an event type added anywhere there is checked here without
// anyone remembering to list it.
func eventTypesDeclared(t *testing.T) []cases.EventType {
	t.Helper()
	files, err := filepath.Glob("../cases/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []cases.EventType
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || vs.Type == nil {
				return true
			}
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "EventType" {
				return true
			}
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, cases.EventType(s))
				}
			}
			return true
		})
	}
	if len(out) < 25 {
		t.Fatalf("found only %d event types in internal/cases", len(out))
	}
	return out
}

// rawCode matches what a code looks like on a page: a latin word, snake_case or
// dotted identifiers (message.classified, urgent_refund:no); units such as cm pass.
var rawCode = regexp.MustCompile(`[A-Za-z]{3,}`)

func samplePayload(t cases.EventType) any {
	at := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	switch t {
	case cases.EvCreated:
		return cases.CreatedPayload{Intake: cases.Intake{Type: cases.TypeDamaged, Platform: cases.PlatformTmall, OrderNo: "20261130001"}}
	case cases.EvFieldsChanged:
		return cases.FieldsChangedPayload{Changes: map[string]cases.FieldChange{"tracking_no": {}, "amount": {}}}
	case cases.EvStageChanged:
		return cases.StageChangedPayload{From: cases.StageVerify, To: cases.StageSolution}
	case cases.EvAssigned:
		return cases.AssignedPayload{From: "xiaomei", To: "xiaoli"}
	case cases.EvSLASet:
		return cases.SLASetPayload{Level: 2, ResponseDueAt: at, ResolveDueAt: at}
	case cases.EvMessageIn, cases.EvMessageOut:
		return cases.MessagePayload{Text: "您好", Intent: "soothe", ScriptID: "soothe-01"}
	case cases.EvEvidenceAdded:
		return cases.Evidence{Kind: "waybill", Name: "面单照片", Hash: "ab12"}
	case cases.EvFactRecorded:
		return cases.FactPayload{Key: "outer_package", Value: "severe"}
	case cases.EvReasonGuided:
		return cases.ReasonPayload{Reason: "seven_days_no_reason"}
	case cases.EvApprovalGiven, cases.EvApprovalDenied:
		return cases.ApprovalPayload{Kind: "compensation", Amount: money.Yuan(60)}
	case cases.EvRetention, cases.EvSolutionOffer, cases.EvSolutionAccept, cases.EvSolutionRefuse, cases.EvApprovalAsked:
		return cases.SolutionPayload{Kind: "compensation", Amount: money.Yuan(10)}
	case cases.EvRemarkAdded:
		return cases.RemarkPayload{Text: "破损，补偿10元已发"}
	case cases.EvMerged, cases.EvAbsorbed, cases.EvSplitOff:
		return cases.LinkPayload{CaseID: 7}
	case cases.EvExecOpened:
		return execution.Opening{ID: 1, Kind: execution.Kind("compensation"), Amount: money.Yuan(10), NeedsApproval: true}
	case cases.EvExecStepped:
		return execution.Transition{SolutionID: 1, From: execution.StatePaid, To: execution.StatePaid, Data: execution.Data{TrackingNo: "73512100022331"}}
	case cases.EvParcelFollowed:
		return cases.ParcelPayload{Number: "73512100022331", Courier: "zhongtong", Role: "return"}
	case cases.EvParcelScanned:
		return cases.ParcelScanPayload{Number: "73512100022331", Courier: "zhongtong", Role: "shipment", At: at, Place: "杭州市", Status: "快件已揽收", State: "picked_up"}
	case cases.EvParcelReceived:
		return cases.ParcelReceiptPayload{Number: "73512100022331", Items: []string{"茶杯"}, Good: 2, Bad: 1, Photos: []string{"ab12"}, Remark: "一只有裂纹", SolutionID: 3}
	case cases.EvPlatformStatus, cases.EvPlatformUpdated:
		return cases.AfterSalePayload{Record: cases.AfterSale{Platform: cases.PlatformTaobao, ID: "203984710293847561", Type: "refund_only", TypeLabel: "仅退款",
			RawStatus: "WAIT_BUYER_RETURN_GOODS", StatusLabel: "卖家已经同意退款，等待买家退货", Status: "awaiting_return", Intervention: "1", InterventionLabel: "不需客服介入",
			RefundAmount: money.Yuan(129), Deadline: &at, Actor: "buyer", Expect: "退货并填写退货单号"},
			FromStatus: "requested", FromStatusLabel: "买家已经申请退款，等待卖家同意", FromRawStatus: "WAIT_SELLER_AGREE"}
	case cases.EvClassified:
		return cases.ClassifiedPayload{Text: "杯子裂了", Predicted: cases.Labels{Type: cases.TypeDamaged, Demand: cases.DemandCompensation, Emotion: cases.EmotionAngry, Level: 1}, Confidence: 0.8}
	}
	return cases.NotePayload{Text: "已登记"}
}

func TestEveryEventTypeRendersInChineseWithoutRawCodes(t *testing.T) {
	rules, err := playbook.LoadDefault(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{flows: rules}
	facts := s.factLabels(cases.TypeDamaged, nil)
	names := userNames{"xiaomei": "小美", "xiaoli": "小李"}
	for _, typ := range eventTypesDeclared(t) {
		raw, _ := json.Marshal(samplePayload(typ))
		views := viewEvents([]cases.Event{{Type: typ, Actor: "xiaomei", Payload: raw}}, facts, names, time.UTC)
		v := views[0]
		if _, ok := eventLabels[typ]; !ok {
			t.Errorf("event type %s has no Chinese label in eventLabels", typ)
		}
		if m := rawCode.FindString(v.Label + " " + v.Summary + " " + v.Actor); m != "" {
			t.Errorf("%s renders a raw code %q: %s · %s · %s", typ, m, v.Label, v.Summary, v.Actor)
		}
	}
}

func TestEveryFactOfEveryFlowAndEveryTimerHasAChineseName(t *testing.T) {
	rules, err := playbook.LoadDefault(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{flows: rules}
	for _, flow := range rules.Flows() {
		facts := s.factLabels(flow.Types[0], nil)
		for _, st := range flow.Steps {
			for _, a := range st.Asks {
				for _, v := range a.Values {
					raw, _ := json.Marshal(cases.FactPayload{Key: a.Key, Value: v.Value})
					got := summary(cases.Event{Type: cases.EvFactRecorded, Payload: raw}, facts, nil, time.UTC)
					if m := rawCode.FindString(got); m != "" {
						t.Errorf("flow %s fact %s=%s reads %q", flow.ID, a.Key, v.Value, got)
					}
				}
			}
			for _, tm := range st.Timers {
				if timerLabel(tm.Name) == "计时" {
					t.Errorf("flow %s timer %s has no Chinese name", flow.ID, tm.Name)
				}
			}
		}
	}
	// A fact no flow asks about shows no code either.
	raw, _ := json.Marshal(cases.FactPayload{Key: "urgent_refund", Value: "no"})
	if got := summary(cases.Event{Type: cases.EvFactRecorded, Payload: raw}, factLabels{}, nil, time.UTC); rawCode.MatchString(got) {
		t.Errorf("unknown fact reads %q", got)
	}
}
