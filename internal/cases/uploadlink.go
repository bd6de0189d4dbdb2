package cases

import (
	"strconv"
	"time"
)

// Events of the customer's upload link (internal/uploadlink): the agent made or
// revoked one. Files that come in through a link are evidence.added events whose actor
// is the link (UploadLinkActor).
const (
	EvUploadLinkCreated EventType = "upload_link.created" // UploadLinkPayload
	EvUploadLinkRevoked EventType = "upload_link.revoked" // UploadLinkPayload
)

// UploadLinkPayload names the link (never its token) and when it ends.
type UploadLinkPayload struct {
	Link      int64     `json:"link"`
	ExpiresAt time.Time `json:"expires_at"`
}

// UploadLinkActor is the actor of what a customer does through link id.
func UploadLinkActor(id int64) string {
	return "顾客(上传链接#" + strconv.FormatInt(id, 10) + ")"
}
