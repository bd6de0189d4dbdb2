package playbook

// SystemFacts are the facts shouhou records on its own, never asked of an agent: a flow
// may branch or wait on them without a step that asks them. parcel_state is the
// canonical state of the order's shipment after each new scan (docs/TRACKING.md); its
// values are the tracking package's states (a desk test keeps the two in step).
var SystemFacts = []Ask{
	{Key: "parcel_state", Question: "原发货物流状态", Values: []Choice{
		{Value: "picked_up", Label: "揽收"}, {Value: "in_transit", Label: "运输中"}, {Value: "delivering", Label: "派送中"},
		{Value: "signed", Label: "已签收"}, {Value: "problem", Label: "疑难/异常"}, {Value: "returned", Label: "退回"}}},
}

func systemFact(key string) (Ask, bool) {
	for _, a := range SystemFacts {
		if a.Key == key {
			return a, true
		}
	}
	return Ask{}, false
}
