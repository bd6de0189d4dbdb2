package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/tracking"
)

// trackingCallback takes a provider's push (docs/TRACKING.md): its signature is
// checked before anything is read, then each new scan is recorded on the cases that
// follow the number; a scan a case has already is ignored.
func (s *Server) trackingCallback(w http.ResponseWriter, r *http.Request) error {
	p := s.desk.TrackingProvider()
	if p == nil || r.PathValue("provider") != p.Name() {
		return apiError(http.StatusNotFound, "unknown_provider", "未配置该物流接口")
	}
	push, err := p.ParsePush(r)
	if errors.Is(err, tracking.ErrBadSignature) {
		return apiError(http.StatusForbidden, "bad_signature", "推送签名校验失败")
	}
	if err != nil {
		return fieldError("param", "推送内容无法解析")
	}
	if _, err := s.desk.RecordScans(r.Context(), push.Number, push.Scans); err != nil {
		return err
	}
	ct, body := p.Ack(true)
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(body)
	return err
}

type scanView struct {
	cases.ParcelScanPayload
	StateLabel string `json:"state_label"`
}

type trackView struct {
	store.Parcel
	RoleLabel  string     `json:"role_label"`
	StateLabel string     `json:"state_label"`
	Scans      []scanView `json:"scans"`
}

// caseParcels is the track of each of the case's parcels, oldest scan first.
func (s *Server) caseParcels(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	log, err := s.desk.Events(r.Context(), id, 0, 0)
	if err != nil {
		return err
	}
	tracks, err := s.desk.Tracks(r.Context(), id, log)
	if err != nil {
		return err
	}
	out := make([]trackView, len(tracks))
	for i, t := range tracks {
		out[i] = trackView{Parcel: t.Parcel, RoleLabel: tracking.Role(t.Parcel.Role).Label(), StateLabel: tracking.State(t.Parcel.State).Label(), Scans: []scanView{}}
		for _, sc := range t.Scans {
			out[i].Scans = append(out[i].Scans, scanView{ParcelScanPayload: sc, StateLabel: tracking.State(sc.State).Label()})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"parcels": out, "tracking_enabled": s.desk.TrackingEnabled()})
	return nil
}

// warehouseFind lists the cases a scanned return number belongs to.
func (s *Server) warehouseFind(w http.ResponseWriter, r *http.Request) error {
	matches, err := s.desk.FindReturns(r.Context(), r.URL.Query().Get("number"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"number": tracking.Normalize(r.URL.Query().Get("number")), "cases": matches})
	return nil
}

// warehouseReceipt records what arrived (multipart: number, case_id, items — one per
// line —, good, bad, remark, photo files). With case_id 0 the parcel goes to the
// 未知包裹 list. Nothing is stored when a field is wrong.
func (s *Server) warehouseReceipt(w http.ResponseWriter, r *http.Request) error {
	s.uploadDeadline(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, 9*s.limits.PhotoBytes+multipartMemory)
	if err := r.ParseMultipartForm(multipartMemory); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apiError(http.StatusRequestEntityTooLarge, "too_large", "照片过大")
		}
		return fieldError("number", "请用 multipart/form-data 提交收货记录")
	}
	defer r.MultipartForm.RemoveAll()
	// A mistyped field (god=2) is an error, not a receipt without it.
	known := map[string]bool{"number": true, "case_id": true, "items": true, "good": true, "bad": true, "remark": true, "photo": true}
	for k := range r.MultipartForm.Value {
		if !known[k] {
			return fieldError(k, "未知字段 "+k+"(可用: number, case_id, items, good, bad, remark, photo)")
		}
	}
	for k := range r.MultipartForm.File {
		if k != "photo" {
			return fieldError(k, "文件请用 photo 字段上传")
		}
	}
	rc := desk.Receipt{Number: r.FormValue("number"), Remark: r.FormValue("remark")}
	for _, it := range r.MultipartForm.Value["items"] {
		rc.Items = append(rc.Items, strings.Split(strings.ReplaceAll(it, "\r", ""), "\n")...)
	}
	var err error
	if rc.CaseID, err = formInt(r, "case_id", "工单号须为正整数"); err != nil {
		return err
	}
	if rc.Good, err = formCount(r, "good", "良品数量"); err != nil {
		return err
	}
	if rc.Bad, err = formCount(r, "bad", "不良品数量"); err != nil {
		return err
	}
	files := r.MultipartForm.File["photo"]
	// The counts and texts are checked before a photo is stored: a bad receipt leaves nothing.
	check := rc
	for range files {
		check.Photos = append(check.Photos, cases.Evidence{Hash: "x"})
	}
	if err := check.Check(); err != nil {
		return err
	}
	for _, fh := range files {
		f, err := fh.Open()
		if err != nil {
			return fieldError("photo", "照片无法读取")
		}
		ev, err := s.storeEvidence(r, f, fh, "contents")
		f.Close()
		if err != nil {
			var e *Error
			if errors.As(err, &e) && e.Field == "file" {
				return fieldError("photo", e.Message)
			}
			return err
		}
		if strings.HasPrefix(ev.Mime, "video/") {
			return fieldError("photo", "请上传照片")
		}
		rc.Photos = append(rc.Photos, ev)
	}
	if rc.CaseID == 0 {
		u, err := s.desk.RecordUnknown(r.Context(), actorOf(r), rc)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, map[string]any{"unknown_parcel": u})
		return nil
	}
	c, err := s.desk.Receive(r.Context(), actorOf(r), rc)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"case_id": c.ID, "executions": c.Executions})
	return nil
}

// formInt reads a form field of a whole number 0 or above ("" is 0); anything else is
// a field error with message.
func formInt(r *http.Request, field, message string) (int64, error) {
	v := strings.TrimSpace(r.FormValue(field))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fieldError(field, message)
	}
	return n, nil
}

// formCount reads a count of items: 0 or a positive whole number.
func formCount(r *http.Request, field, name string) (int, error) {
	n, err := formInt(r, field, name+"须为0或正整数")
	if err == nil && n > 1<<20 {
		return 0, fieldError(field, name+"过大")
	}
	return int(n), err
}

// unknownParcels is the 未知包裹 list (?claimed=true: those already claimed).
func (s *Server) unknownParcels(w http.ResponseWriter, r *http.Request) error {
	claimed := r.URL.Query().Get("claimed")
	if claimed != "" && claimed != "true" && claimed != "false" {
		return fieldError("claimed", "claimed 须为 true 或 false")
	}
	list, err := s.desk.UnknownParcels(r.Context(), claimed == "true", 200)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.UnknownParcel{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"parcels": list})
	return nil
}

// claimParcel puts an unknown parcel on a case ({"case_id": N}).
func (s *Server) claimParcel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body struct {
		CaseID int64 `json:"case_id"`
	}
	if err := s.decodeJSON(r, &body); err != nil {
		return err
	}
	if body.CaseID <= 0 {
		return fieldError("case_id", "请填写要认领到的工单号")
	}
	c, err := s.desk.ClaimParcel(r.Context(), actorOf(r), id, body.CaseID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, caseView{Case: c})
	return nil
}

// unknownParcelPhoto serves a photo the warehouse took of an unknown parcel (and only
// such a photo), so that an agent can recognise it before claiming it.
func (s *Server) unknownParcelPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.desk.UnknownParcel(r.Context(), id)
	if err != nil {
		return err
	}
	for _, ev := range u.Photos {
		if ev.Hash == r.PathValue("hash") {
			return s.serveBlob(w, r, ev.Hash, ev.Mime, ev.At)
		}
	}
	return apiError(http.StatusNotFound, "not_found", "该包裹没有这张照片")
}
