package api

import (
	"net/http"
	"strconv"

	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/uploadlink"
)

// uploadLinkView is a link as the agent sees it (never its token, except once in
// the answer that creates it: url and script).
type uploadLinkView struct {
	uploadlink.Link
	State      uploadlink.State `json:"state"`
	StateLabel string           `json:"state_label"`
	URL        string           `json:"url,omitempty"`
	Script     string           `json:"script,omitempty"`
}

func (s *Server) linkView(l uploadlink.Link) uploadLinkView {
	st := l.State(s.desk.Now())
	return uploadLinkView{Link: l, State: st, StateLabel: uploadlink.StateLabels[st]}
}

// createUploadLink makes a customer's upload link for the case: the answer carries
// url, expires_at and a ready script line with the link filled in.
func (s *Server) createUploadLink(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	nl, err := s.desk.CreateUploadLink(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	v := s.linkView(nl.Link)
	v.URL, v.Script, err = LinkText(r, s.desk, nl)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}

// LinkText is the URL of a new link and the script line offering it, naming the
// evidence the guide still needs. The workbench uses it too.
func LinkText(r *http.Request, d *desk.Desk, nl desk.NewUploadLink) (url, script string, err error) {
	base := d.LinkConfig().BaseURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	url = uploadlink.URL(base, nl.Token)
	_, _, g, err := d.Guide(r.Context(), nl.CaseID)
	if err != nil {
		return "", "", err
	}
	return url, uploadlink.ScriptLine(url, nl.ExpiresAt, d.Zone(), needLabels(g.MissingEvidence)), nil
}

func needLabels(needs []playbook.Need) []string {
	out := make([]string, len(needs))
	for i, n := range needs {
		out[i] = n.Label
	}
	return out
}

// listUploadLinks lists the case's links with their state.
func (s *Server) listUploadLinks(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	links, err := s.desk.UploadLinks(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]uploadLinkView, len(links))
	for i, l := range links {
		out[i] = s.linkView(l)
	}
	writeJSON(w, http.StatusOK, map[string]any{"links": out})
	return nil
}

// revokeUploadLink stops a link of the case from working.
func (s *Server) revokeUploadLink(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	lid, err := strconv.ParseInt(r.PathValue("lid"), 10, 64)
	if err != nil || lid <= 0 {
		return apiError(http.StatusNotFound, "not_found", "没有这个上传链接")
	}
	l, err := s.desk.RevokeUploadLink(r.Context(), actorOf(r), id, lid)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.linkView(l))
	return nil
}
