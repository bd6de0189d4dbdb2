package playbook

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

const parcelFlow = `id: parcel-watch
name: 物流跟踪
types: [logistics.chase]
steps:
  - id: wait
    stage: execute
    instruction: 等待派送。
    done: {facts: {parcel_state: %s}}
    next: remark
  - id: remark
    stage: remark
    instruction: 添加备注。
    done: {remark: true}
`

func TestAFlowWaitsOnTheParcelStateWithoutAskingIt(t *testing.T) {
	ok := fstest.MapFS{"watch.yaml": {Data: []byte(strings.Replace(parcelFlow, "%s", "delivering", 1))}}
	if _, err := Load(LoadOptions{}, ok); err != nil {
		t.Fatalf("a flow waiting on parcel_state: %v", err)
	}
	bad := fstest.MapFS{"watch.yaml": {Data: []byte(strings.Replace(parcelFlow, "%s", "flying", 1))}}
	_, err := Load(LoadOptions{}, bad)
	var le *LoadError
	if !errors.As(err, &le) || !strings.Contains(le.Problem, `fact "parcel_state" has no value "flying"`) {
		t.Fatalf("a parcel state that does not exist: %v", err)
	}
}
