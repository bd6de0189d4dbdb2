package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/tracking"
)

// parcelView is one followed number of a case with its track (newest scan first).
type parcelView struct {
	Number     string
	RoleLabel  string
	StateLabel string
	Courier    string
	Following  string // 已订阅推送 / 等待订阅 / 未启用物流跟踪
	Scans      []scanView
}

type scanView struct {
	At         time.Time
	StateLabel string
	State      string
	Place      string
	Status     string
}

// receiptView is a warehouse receipt on the case page (仓库收货).
type receiptView struct {
	Number   string
	Items    string
	Good     int
	Bad      int
	Remark   string
	Photos   []cases.Evidence
	Actor    string
	At       time.Time
	Verdict  string
	Reopened bool
}

// courierLabels name the aggregators' company codes; a code not listed is not shown.
var courierLabels = map[string]string{
	"shunfeng": "顺丰", "zhongtong": "中通", "yuantong": "圆通", "yunda": "韵达", "shentong": "申通",
	"jd": "京东", "ems": "邮政", "youzhengguonei": "邮政", "jtexpress": "极兔", "debangkuaidi": "德邦",
}

func courierLabel(c string) string {
	if l, ok := courierLabels[strings.ToLower(c)]; ok {
		return l
	}
	if hasLatin(c) {
		return ""
	}
	return c
}

func (s *Server) parcelsOf(ctx context.Context, c cases.Case, events []cases.Event, names userNames) ([]parcelView, []receiptView, error) {
	tracks, err := s.desk.Tracks(ctx, c.ID, events)
	if err != nil {
		return nil, nil, err
	}
	var out []parcelView
	for _, t := range tracks {
		v := parcelView{Number: t.Parcel.Number, RoleLabel: tracking.Role(t.Parcel.Role).Label(), StateLabel: tracking.State(t.Parcel.State).Label(),
			Courier: courierLabel(t.Parcel.Courier)}
		switch {
		case !s.desk.TrackingEnabled():
			v.Following = "未启用物流跟踪"
		case t.Parcel.SubscribedAt != nil:
			v.Following = "已订阅推送"
		default:
			v.Following = "等待订阅"
		}
		for i := len(t.Scans) - 1; i >= 0; i-- {
			sc := t.Scans[i]
			v.Scans = append(v.Scans, scanView{At: sc.At, State: sc.State, StateLabel: tracking.State(sc.State).Label(), Place: sc.Place, Status: sc.Status})
		}
		out = append(out, v)
	}
	var receipts []receiptView
	for i, e := range events {
		p, ok := cases.PayloadAs[cases.ParcelReceiptPayload](e)
		if !ok {
			continue
		}
		rv := receiptView{Number: p.Number, Items: strings.Join(p.Items, "、"), Good: p.Good, Bad: p.Bad, Remark: p.Remark, Actor: names.of(e.Actor), At: e.At}
		for _, h := range p.Photos {
			for _, ev := range c.Evidence {
				if ev.Hash == h {
					rv.Photos = append(rv.Photos, ev)
					break
				}
			}
		}
		rv.Verdict = "验货合格"
		if p.Bad > 0 {
			rv.Verdict = "验货不合格"
		}
		for _, next := range events[i+1:] {
			if !next.At.Equal(e.At) { // the inspection is written with the receipt
				break
			}
			if t, ok := cases.PayloadAs[execution.Transition](next); ok && t.SolutionID == p.SolutionID && t.To == execution.StateReopened {
				rv.Reopened = true
			}
		}
		receipts = append(receipts, rv)
	}
	return out, receipts, nil
}

// warehouseData is the receiving desk page.
type warehouseData struct {
	Done    string // what the last receipt did
	Number  string
	Error   string
	Found   bool
	Matches []desk.ReturnMatch
}

// warehousePage is the receiving desk (仓库收货), made for a barcode scanner and a
// phone: the number field has the focus, Enter looks the number up, and each case it
// belongs to gets a receipt form (posted to the API by app.js, photos included).
func (s *Server) warehousePage(w http.ResponseWriter, r *http.Request) error {
	d := warehouseData{Number: strings.TrimSpace(r.URL.Query().Get("number"))}
	q := r.URL.Query()
	if id, err := strconv.ParseInt(q.Get("received"), 10, 64); err == nil && id > 0 {
		d.Done = fmt.Sprintf("已记录工单 #%d 的收货验货,客服已收到通知。请扫描下一个包裹。", id)
	} else if n := tracking.Normalize(q.Get("unknown")); tracking.ValidNumber(n) {
		d.Done = "单号 " + n + " 已登记为未知包裹,等待客服认领。请扫描下一个包裹。"
	}
	if d.Number != "" {
		matches, err := s.desk.FindReturns(r.Context(), d.Number)
		var verr cases.ValidationError
		switch {
		case errors.As(err, &verr) && len(verr) > 0:
			d.Error = verr[0].Message
		case err != nil:
			return err
		default:
			d.Found, d.Matches, d.Number = true, matches, tracking.Normalize(d.Number)
		}
	}
	return s.render(w, r, http.StatusOK, "warehouse", layout{Title: "仓库收货", Nav: "warehouse", Data: d})
}

type unknownRow struct {
	store.UnknownParcel
	Receiver string
	Items    string
}

// unknownParcelsPage lists the parcels that matched no case; an agent claims one onto
// a case by its number.
func (s *Server) unknownParcelsPage(w http.ResponseWriter, r *http.Request) error {
	list, err := s.desk.UnknownParcels(r.Context(), false, 200)
	if err != nil {
		return err
	}
	names, err := s.userNames(r.Context())
	if err != nil {
		return err
	}
	rows := make([]unknownRow, len(list))
	for i, u := range list {
		rows[i] = unknownRow{UnknownParcel: u, Receiver: names.of(u.ReceivedBy), Items: strings.Join(u.Items, "、")}
	}
	return s.render(w, r, http.StatusOK, "parcels", layout{Title: "未知包裹", Nav: "parcels", Data: rows})
}

// claimParcel puts an unknown parcel on the case the agent names.
func (s *Server) claimParcel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	caseID, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(r.PostFormValue("case_id")), "#"), 10, 64)
	if err != nil || caseID <= 0 {
		return s.redirect(w, r, "/parcels", flash{Kind: "error", Message: "请填写要认领到的工单号"})
	}
	if _, err := s.desk.ClaimParcel(r.Context(), actorOf(r), id, caseID); err != nil {
		return s.redirect(w, r, "/parcels", flash{Kind: "error", Message: explain(err).Message})
	}
	return s.redirect(w, r, fmt.Sprintf("/cases/%d", caseID), flash{Kind: "ok", Message: "已认领包裹到本工单"})
}
