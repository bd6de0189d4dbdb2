package execution_test

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/policy"
)

func sentSet(numbers ...string) func(string) bool {
	return func(n string) bool {
		for _, s := range numbers {
			if s == n {
				return true
			}
		}
		return false
	}
}

func TestNextActionTellsTheAgentWhatToDo(t *testing.T) {
	tests := []struct {
		name string
		kind K
		at   S
		sent func(string) bool
		want []string
	}{
		{"compensation above the limit waits for the supervisor", comp, pending, nil, []string{"等主管审批", "20.00"}},
		{"approved compensation is paid", comp, appr, nil, []string{"打款20.00元", "打款流水号"}},
		{"paid compensation ends with remark and register", comp, paid, nil, []string{"写备注并登记表格"}},
		{"reship lists the items", reship, prep, nil, []string{"滤芯、电源线", "快递单号"}},
		{"after a reshipment the new tracking number goes to the customer", reship, shipped, nil, []string{"把新快递单号发给顾客", "顺丰 SF1234567890"}},
		{"another number sent does not count", reship, shipped, sentSet("ZT1111111111"), []string{"把新快递单号发给顾客"}},
		{"once the number is sent the agent follows the parcel", reship, shipped, sentSet("SF1234567890"), []string{"已发给顾客", "跟进物流"}},
		{"after the replacement ships its number goes to the customer", exch, repl, sentSet(), []string{"把新快递单号发给顾客", "SF1234567890"}},
		{"delivered reshipment is confirmed and registered", reship, deliv, nil, []string{"补发已签收", "登记表格"}},
		{"delivered exchange is confirmed", exch, deliv, nil, []string{"换货已签收"}},
		{"awaiting return without its number asks for it", exch, await, nil, []string{"请顾客寄回", "退货快递单号", "垫付"}},
		{"received exchange ships the replacement", exch, recv, nil, []string{"寄出换货商品"}},
		{"received return is refunded", ret, recv, nil, []string{"给顾客退款", "退款流水号"}},
		{"refunded ends with register", ret, refd, nil, []string{"已退款50.00元", "登记表格"}},
		{"refund only is refunded", refund, appr, nil, []string{"退款", "流水号"}},
		{"filed claim is followed up", claim, filed, nil, []string{"跟进中通理赔", "CLM20261127"}},
		{"settled claim is registered", claim, settled, nil, []string{"已赔付30.00元", "登记表格"}},
		{"rejected claim goes to the supervisor", claim, rej, nil, []string{"拒赔", "主管"}},
		{"cancelled says why", reship, canc, nil, []string{"补发已取消", "顾客不要了"}},
		{"reopened asks for a new decision", exch, reop, nil, []string{"验货不合格", "不良品1件", "重新商定方案"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := execution.NextAction(reach(t, tt.kind, tt.at), tt.sent)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("NextAction = %q, want it to contain %q", got, w)
				}
			}
		})
	}
}

func TestNextActionAfterTheReturnNumberWaitsForTheWarehouse(t *testing.T) {
	s := step(t, reach(t, ret, await), await, validData(await))
	got := execution.NextAction(s, nil)
	if !strings.Contains(got, "等仓库收到退货") || !strings.Contains(got, "YT9876543210") {
		t.Errorf("NextAction = %q", got)
	}
}

func TestNextActionRemindsTheSellerToReimburseFreight(t *testing.T) {
	p, err := policy.New(policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	o := opening(exch, false)
	split := p.SplitFreight(policy.FreightCase{Type: cases.TypeDamaged, Exchange: true, ReturnFreight: money.Yuan(12), OutboundFreight: money.Yuan(12)})
	o.Freight = freightOf(split)
	s, err := execution.Open(o, "agent1", t0)
	if err != nil {
		t.Fatal(err)
	}
	if got := execution.NextAction(s, nil); !strings.Contains(got, split.Rule.Text) {
		t.Errorf("awaiting return: %q does not show the freight rule %q", got, split.Rule.Text)
	}
	s = step(t, s, recv, validData(recv))
	if got := execution.NextAction(s, nil); !strings.Contains(got, "补给顾客垫付的退货运费12.00元") {
		t.Errorf("received: %q does not remind the reimbursement", got)
	}
}

func TestSolutionSurvivesAJSONRoundTrip(t *testing.T) {
	p, err := policy.New(policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	o := opening(ret, false)
	split := p.SplitFreight(policy.FreightCase{Type: cases.TypeDislike, Insured: true, ReturnFreight: money.Yuan(15)})
	o.Freight = freightOf(split)
	s, err := execution.Open(o, "agent1", t0)
	if err != nil {
		t.Fatal(err)
	}
	s = step(t, s, await, validData(await))
	s = step(t, s, recv, execution.Data{Inspection: &execution.Inspection{Good: 2, Photos: []string{photo}, Note: "完好"}})
	s = step(t, s, refd, execution.Data{Amount: money.Amount(9950), Reference: "RF2026112701"})
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back execution.Solution
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, s) {
		t.Errorf("round trip changed the solution:\n got %+v\nwant %+v\njson %s", back, s, b)
	}
	for _, key := range []string{`"state":"refunded"`, `"refund_amount":99.5`, `"return_tracking_no":"YT9876543210"`, `"freight":{"rule_id"`, `"history":[`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("json lacks %s: %s", key, b)
		}
	}
}

func TestTransitionJSONIsFlat(t *testing.T) {
	var tr execution.Transition
	raw := `{"solution_id":41,"from":"preparing","to":"shipped","courier":"顺丰","tracking_no":"SF1234567890"}`
	if err := json.Unmarshal([]byte(raw), &tr); err != nil {
		t.Fatal(err)
	}
	want := execution.Transition{SolutionID: 41, From: prep, To: shipped, Data: execution.Data{Courier: "顺丰", TrackingNo: "SF1234567890"}}
	if !reflect.DeepEqual(tr, want) {
		t.Errorf("decoded %+v, want %+v", tr, want)
	}
}

func TestTestdataTransitionsReplayToTheRecordedSolution(t *testing.T) {
	b, err := os.ReadFile("testdata/exchange_reopened.json")
	if err != nil {
		t.Fatal(err)
	}
	var script struct {
		Opening     execution.Opening      `json:"opening"`
		Transitions []execution.Transition `json:"transitions"`
		Want        execution.State        `json:"want_state"`
		WantAction  string                 `json:"want_action"`
	}
	if err := json.Unmarshal(b, &script); err != nil {
		t.Fatal(err)
	}
	s, err := execution.Open(script.Opening, "agent1", t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range script.Transitions {
		if s, err = execution.Step(s, tr, "agent1", t0); err != nil {
			t.Fatalf("%s → %s: %v", tr.From, tr.To, err)
		}
	}
	if s.State != script.Want || !strings.Contains(execution.NextAction(s, nil), script.WantAction) {
		t.Errorf("state %s action %q, want %s and %q", s.State, execution.NextAction(s, nil), script.Want, script.WantAction)
	}
}

// freightOf records the policy's freight split the way the desk does.
func freightOf(f policy.FreightSplit) *execution.Freight {
	return &execution.Freight{RuleID: f.Rule.ID, RuleText: f.Rule.Text, SellerFault: f.SellerFault, BuyerAdvances: f.BuyerAdvances,
		InsurancePayout: f.InsurancePayout, SellerReimburses: f.SellerReimburses, SellerPays: f.SellerPays, BuyerPays: f.BuyerPays}
}
