package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/httpx"
	"github.com/shouhou/shouhou/internal/script"
)

// scriptRow is one script of the library page, with where it comes from.
type scriptRow struct {
	script.Script
	Origin string // 内置, 店铺修改, 店铺新增, 已隐藏
}

type scriptsData struct {
	Rows     []scriptRow
	Query    url.Values
	Codes    codeLists
	Intents  []cases.Code
	CanEdit  bool
	Hidden   []scriptRow
	Solution []cases.Code
}

// scriptsPage is the script library (话术库): browse by stage, problem type and
// intent, search, and (supervisors) open a script to edit it.
func (s *Server) scriptsPage(w http.ResponseWriter, r *http.Request) error {
	book := s.desk.ScriptBook()
	if book == nil {
		return httpx.New(http.StatusNotFound, "not_found", "话术库未启用")
	}
	lib, err := book.Library(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list := lib.Scripts()
	if v := strings.TrimSpace(q.Get("q")); v != "" {
		list = lib.Search(v)
	}
	d := scriptsData{Query: q, Codes: allCodes(), Intents: script.Intents(), CanEdit: canApprove(userOf(r))}
	for _, sc := range list {
		if (q.Get("stage") != "" && !slices.Contains(sc.Stages, cases.Stage(q.Get("stage")))) ||
			(q.Get("type") != "" && len(sc.Types) > 0 && !slices.Contains(sc.Types, cases.ProblemType(q.Get("type")))) ||
			(q.Get("intent") != "" && sc.Intent != q.Get("intent")) {
			continue
		}
		d.Rows = append(d.Rows, scriptRow{Script: sc, Origin: origin(book, sc)})
	}
	for _, def := range book.Defaults() {
		if _, ok := lib.Get(def.ID); !ok {
			d.Hidden = append(d.Hidden, scriptRow{Script: def, Origin: "已隐藏"})
		}
	}
	return s.render(w, r, http.StatusOK, "scripts", layout{Title: "话术库", Nav: "scripts", Data: d})
}

func origin(book *desk.ScriptBook, sc script.Script) string {
	def, ok := book.Default(sc.ID)
	switch {
	case !ok:
		return "店铺新增"
	case def.Text != sc.Text || def.Title != sc.Title || !slices.Equal(def.Stages, sc.Stages) || def.Intent != sc.Intent:
		return "店铺修改"
	}
	return "内置"
}

type scriptEditData struct {
	Script   script.Script
	New      bool
	Origin   string
	Lint     []script.Warning
	History  []desk.ScriptVersion
	Codes    codeLists
	Intents  []cases.Code
	Solution []cases.Code
	Names    []script.Placeholder
	Errors   map[string]string
	Error    string
	CanEdit  bool
}

// scriptEdit shows one script with the lint beside its text, its placeholders and its
// history; supervisors save, hide and restore it here.
func (s *Server) scriptEdit(w http.ResponseWriter, r *http.Request) error {
	book := s.desk.ScriptBook()
	if book == nil {
		return httpx.New(http.StatusNotFound, "not_found", "话术库未启用")
	}
	lib, err := book.Library(r.Context())
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	d := scriptEditData{Codes: allCodes(), Intents: script.Intents(), Solution: script.Solutions(), Names: lib.Placeholders(),
		CanEdit: canApprove(userOf(r))}
	if id == "new" {
		d.New = true
		d.Script = script.Script{Stages: []cases.Stage{cases.StageSolution}, Intent: script.IntentOffer}
	} else {
		sc, ok := lib.Get(id)
		if !ok {
			def, isDefault := book.Default(id)
			if !isDefault {
				return httpx.New(http.StatusNotFound, "not_found", "找不到该话术")
			}
			sc, d.Origin = def, "已隐藏"
		} else {
			d.Origin = origin(book, sc)
		}
		d.Script = sc
		if d.History, err = book.History(r.Context(), id); err != nil {
			return err
		}
	}
	d.Lint = s.desk.Lint(d.Script.Text)
	return s.render(w, r, http.StatusOK, "script", layout{Title: "话术 " + d.Script.Title, Nav: "scripts", Data: d})
}

// scriptSave saves the form as the shop's version of the script (supervisors).
func (s *Server) scriptSave(w http.ResponseWriter, r *http.Request) error {
	book := s.desk.ScriptBook()
	sc := scriptFromForm(r)
	saved, err := book.Save(r.Context(), userOf(r).Username, sc)
	if err != nil {
		p := explain(err)
		if p.Status >= 500 {
			return err
		}
		lib, lerr := book.Library(r.Context())
		if lerr != nil {
			return lerr
		}
		d := scriptEditData{Script: sc, New: r.PathValue("id") == "new", Codes: allCodes(), Intents: script.Intents(),
			Solution: script.Solutions(), Names: lib.Placeholders(), Errors: p.Fields, Error: p.Message, CanEdit: true,
			Lint: s.desk.Lint(sc.Text)}
		return s.render(w, r, p.Status, "script", layout{Title: "话术", Nav: "scripts", Data: d})
	}
	msg := "话术已保存"
	if lint := s.desk.Lint(saved.Text); len(lint) > 0 {
		msg += ";注意:" + lint[0].Message
	}
	return s.redirect(w, r, "/scripts/"+url.PathEscape(saved.ID), flash{Kind: "ok", Message: msg})
}

// scriptHide hides a script from the library (a built-in one can be restored).
func (s *Server) scriptHide(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := s.desk.ScriptBook().Delete(r.Context(), userOf(r).Username, id); err != nil {
		return err
	}
	return s.redirect(w, r, "/scripts", flash{Kind: "ok", Message: "话术已隐藏"})
}

// scriptRestore brings back the built-in version of a script.
func (s *Server) scriptRestore(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if _, err := s.desk.ScriptBook().Restore(r.Context(), userOf(r).Username, id); err != nil {
		return err
	}
	return s.redirect(w, r, "/scripts/"+url.PathEscape(id), flash{Kind: "ok", Message: "已恢复内置话术"})
}

// scriptFromForm reads the edit form; lists are checkboxes (stages, types, solutions,
// platforms).
func scriptFromForm(r *http.Request) script.Script {
	field := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	id := r.PathValue("id")
	if id == "new" {
		id = field("id")
	}
	sc := script.Script{ID: id, Title: field("title"), Text: strings.ReplaceAll(field("text"), "\r\n", "\n"), Intent: field("intent")}
	for _, v := range r.PostForm["stages"] {
		sc.Stages = append(sc.Stages, cases.Stage(v))
	}
	for _, v := range r.PostForm["types"] {
		sc.Types = append(sc.Types, cases.ProblemType(v))
	}
	sc.Solutions = append(sc.Solutions, r.PostForm["solutions"]...)
	for _, v := range r.PostForm["platforms"] {
		sc.Platforms = append(sc.Platforms, cases.Platform(v))
	}
	sc.Images = append(sc.Images, r.PostForm["images"]...)
	return sc
}
