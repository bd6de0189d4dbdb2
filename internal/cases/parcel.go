package cases

import "time"

// Events of parcels: a tracking number followed for the case, each new scan of it, and
// the warehouse's receipt of a returned parcel (仓库收货).
const (
	EvParcelFollowed EventType = "parcel.followed" // ParcelPayload: a tracking number of the case is followed
	EvParcelScanned  EventType = "parcel.scanned"  // ParcelScanPayload: a new scan of a followed number
	EvParcelReceived EventType = "parcel.received" // ParcelReceiptPayload: the warehouse received and inspected a parcel
)

// Timer kinds of followed parcels (docs/TRACKING.md).
const (
	TimerParcelNoPickup = "parcel.no_pickup" // no pickup scan since the shipment number was followed
	TimerParcelStalled  = "parcel.stalled"   // no new scan for tracking.stalled_after
)

// ParcelPayload names a followed number and what it is to the case (tracking.Role:
// shipment, return, reship, exchange).
type ParcelPayload struct {
	Number  string `json:"number"`
	Courier string `json:"courier,omitempty"`
	Role    string `json:"role"`
}

// ParcelScanPayload is one scan: the carrier's time, place and text, and its canonical
// state (tracking.State: picked_up, in_transit, delivering, signed, problem, returned).
type ParcelScanPayload struct {
	Number  string    `json:"number"`
	Courier string    `json:"courier,omitempty"`
	Role    string    `json:"role"`
	At      time.Time `json:"at"`
	Place   string    `json:"place,omitempty"`
	Status  string    `json:"status"`
	State   string    `json:"state"`
}

// ParcelReceiptPayload is what the warehouse found in a returned parcel. SolutionID is
// the execution it was inspected for (0: none waited for it); ParcelID the unknown
// parcel an agent claimed onto the case (0: found by its number).
type ParcelReceiptPayload struct {
	Number     string   `json:"number"`
	Items      []string `json:"items,omitempty"`
	Good       int      `json:"good"`
	Bad        int      `json:"bad"`
	Photos     []string `json:"photos,omitempty"`
	Remark     string   `json:"remark,omitempty"`
	SolutionID int64    `json:"solution_id,omitempty"`
	ParcelID   int64    `json:"parcel_id,omitempty"`
}
