package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/register"
)

type afterSaleImportData struct {
	Sources   []platform.Source
	Platforms []cases.Code
	Source    string
	Platform  string
	Shop      string
	Mapping   string
	DryRun    bool
	Done      bool
	Result    desk.AfterSaleImport
	Problems  []register.Problem
	Error     string
}

func (s *Server) afterSaleImportData() (afterSaleImportData, error) {
	srcs, err := platform.Sources()
	if err != nil {
		return afterSaleImportData{}, err
	}
	var plats []cases.Code
	for _, p := range cases.Platforms {
		if p.Code != string(cases.PlatformOther) {
			plats = append(plats, p)
		}
	}
	return afterSaleImportData{Sources: srcs, Platforms: plats, DryRun: true}, nil
}

// afterSaleImportForm is the upload page of 导入售后单 (supervisors).
func (s *Server) afterSaleImportForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.afterSaleImportData()
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "aftersales_import", layout{Title: "导入售后单", Nav: "register", Data: d})
}

// afterSaleImport checks (and unless it is a dry run, imports) a platform's or an
// ERP's after-sale export: every bad row is listed with its row, column and reason and
// nothing is imported until the file is clean; importing again updates only what moved.
func (s *Server) afterSaleImport(w http.ResponseWriter, r *http.Request) error {
	d, err := s.afterSaleImportData()
	if err != nil {
		return err
	}
	fail := func(msg string) error {
		d.Error = msg
		return s.render(w, r, http.StatusUnprocessableEntity, "aftersales_import", layout{Title: "导入售后单", Nav: "register", Data: d})
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBytes)
	if err := r.ParseMultipartForm(maxImportBytes); err != nil {
		return fail("文件过大或上传不完整(最大20MB)")
	}
	d.Source, d.Platform = strings.TrimSpace(r.FormValue("source")), strings.TrimSpace(r.FormValue("platform"))
	d.Shop, d.Mapping, d.DryRun = strings.TrimSpace(r.FormValue("shop")), strings.TrimSpace(r.FormValue("map")), r.FormValue("dry_run") != ""
	src, err := platform.SourceByID(d.Source)
	if err != nil {
		return fail(err.Error())
	}
	mapping, err := platform.ParseMapping(d.Mapping)
	if err != nil {
		return fail(err.Error())
	}
	p := cases.Platform(d.Platform)
	if p != "" && (!p.Valid() || p == cases.PlatformOther) {
		return fail("未知的平台")
	}
	file, head, err := r.FormFile("file")
	if err != nil {
		return fail("请选择要导入的 .xlsx 或 .csv 文件")
	}
	defer file.Close()
	table, err := register.ReadTable(file, head.Filename)
	if err != nil {
		return fail(err.Error())
	}
	rows, problems, err := s.desk.ParseAfterSales(r.Context(), table, platform.ImportOpts{Source: src, Mapping: mapping, Shop: d.Shop, Platform: p})
	if err != nil {
		return err
	}
	d.Result, err = s.desk.ImportAfterSales(r.Context(), actorOf(r), rows, problems, d.DryRun)
	var ie *desk.ImportError
	if errors.As(err, &ie) {
		d.Problems = ie.Problems
		return fail("发现" + itoa(int64(len(ie.Problems))) + "处错误,未导入任何售后单;请修改文件后重新上传")
	}
	if err != nil {
		return err
	}
	d.Done = true
	return s.render(w, r, http.StatusOK, "aftersales_import", layout{Title: "导入售后单", Nav: "register", Data: d})
}
