package cases

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/shouhou/shouhou/internal/execution"
)

// payloads says which payload each event type carries: the one place that knows it.
var payloads = map[EventType]reflect.Type{
	EvCreated: typeOf[CreatedPayload](), EvFieldsChanged: typeOf[FieldsChangedPayload](),
	EvStageChanged: typeOf[StageChangedPayload](), EvAssigned: typeOf[AssignedPayload](),
	EvSLASet: typeOf[SLASetPayload](), EvMessageIn: typeOf[MessagePayload](), EvMessageOut: typeOf[MessagePayload](),
	EvEvidenceAdded: typeOf[Evidence](), EvFactRecorded: typeOf[FactPayload](), EvReturnAsked: typeOf[NotePayload](),
	EvRetention: typeOf[SolutionPayload](), EvReasonGuided: typeOf[ReasonPayload](),
	EvSolutionOffer: typeOf[SolutionPayload](), EvSolutionAccept: typeOf[SolutionPayload](),
	EvSolutionRefuse: typeOf[SolutionPayload](), EvApprovalAsked: typeOf[SolutionPayload](),
	EvApprovalGiven: typeOf[ApprovalPayload](), EvApprovalDenied: typeOf[ApprovalPayload](),
	EvApprovalVoided: typeOf[ApprovalPayload](), EvRemarkAdded: typeOf[RemarkPayload](), EvNote: typeOf[NotePayload](),
	EvClosed: typeOf[NotePayload](), EvReopened: typeOf[NotePayload](), EvMerged: typeOf[LinkPayload](),
	EvAbsorbed: typeOf[LinkPayload](), EvSplitOff: typeOf[LinkPayload](),
	EvExecOpened: typeOf[execution.Opening](), EvExecStepped: typeOf[execution.Transition](),
	EvClassified: typeOf[ClassifiedPayload](), EvRegistered: typeOf[NotePayload](), EvFollowedUp: typeOf[FollowUpPayload](),
	EvTimerFired: typeOf[TimerFiredPayload](), EvSLAPaused: typeOf[PausePayload](), EvSLAResumed: typeOf[PausePayload](),
	EvNotified:          typeOf[NotificationPayload](),
	EvUploadLinkCreated: typeOf[UploadLinkPayload](), EvUploadLinkRevoked: typeOf[UploadLinkPayload](),
	EvParcelFollowed: typeOf[ParcelPayload](), EvParcelScanned: typeOf[ParcelScanPayload](), EvParcelReceived: typeOf[ParcelReceiptPayload](),
	EvRefused: typeOf[RefusedPayload](),
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

// EventTypes lists every event type that has a payload.
func EventTypes() []EventType {
	out := make([]EventType, 0, len(payloads))
	for t := range payloads {
		out = append(out, t)
	}
	return out
}

// DecodePayload decodes an event's payload into the type its event type carries (a
// value such as SolutionPayload, not a pointer).
func DecodePayload(e Event) (any, error) {
	t, ok := payloads[e.Type]
	if !ok {
		return nil, fmt.Errorf("unknown event type %q", e.Type)
	}
	p := reflect.New(t)
	if len(e.Payload) > 0 {
		if err := json.Unmarshal(e.Payload, p.Interface()); err != nil {
			return nil, fmt.Errorf("decode %s: %w", e.Type, err)
		}
	}
	return p.Elem().Interface(), nil
}

// PayloadAs is the event's payload when the event carries a T; ok is false otherwise.
func PayloadAs[T any](e Event) (p T, ok bool) {
	if payloads[e.Type] != reflect.TypeFor[T]() {
		return p, false
	}
	v, err := DecodePayload(e)
	if err != nil {
		return p, false
	}
	return v.(T), true
}
