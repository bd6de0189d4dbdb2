package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/shouhou/shouhou/internal/api"
	"github.com/shouhou/shouhou/internal/httpx"
	"github.com/shouhou/shouhou/internal/uploadlink"
)

// linkView is an upload link on the case page.
type linkView struct {
	uploadlink.Link
	Active     bool
	StateLabel string
}

// newLinkView is a link just made: its URL and script line are shown this once (only
// the token's hash is kept).
type newLinkView struct {
	URL, Script string
}

func (s *Server) linksOf(ctx context.Context, id int64) ([]linkView, error) {
	links, err := s.desk.UploadLinks(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]linkView, len(links))
	for i, l := range links {
		st := l.State(now)
		out[i] = linkView{Link: l, Active: st == uploadlink.Active, StateLabel: uploadlink.StateLabels[st]}
	}
	return out, nil
}

// caseLinkCreate makes a customer's upload link and shows the case page with the link
// and a ready script line to copy (rendered, not redirected: the token is shown once).
func (s *Server) caseLinkCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	nl, err := s.desk.CreateUploadLink(r.Context(), actorOf(r), id)
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.LinkError = p.Message })
	}
	url, script, err := api.LinkText(r, s.desk, nl)
	if err != nil {
		return err
	}
	d, err := s.caseData(r.Context(), r, id)
	if err != nil {
		return err
	}
	d.NewLink = &newLinkView{URL: url, Script: script}
	w.Header().Set("Cache-Control", "no-store")
	return s.renderCase(w, r, http.StatusOK, d)
}

// caseLinkRevoke stops a link of the case from working.
func (s *Server) caseLinkRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	lid, err := strconv.ParseInt(r.PathValue("lid"), 10, 64)
	if err != nil {
		return httpx.New(http.StatusNotFound, "not_found", "没有这个上传链接")
	}
	if _, err := s.desk.RevokeUploadLink(r.Context(), actorOf(r), id, lid); err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.LinkError = p.Message })
	}
	return s.done(w, r, id, "上传链接已撤销,顾客无法再用它上传", nil)
}
