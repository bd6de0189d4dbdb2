package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/register"
)

// maxImportBytes bounds an uploaded register.
const maxImportBytes = 20 << 20

type importData struct {
	Mapping  string
	DryRun   bool
	Done     bool
	Result   desk.ImportResult
	Problems []register.Problem
	Error    string
}

// registerImportForm is the upload page of 导入登记表 (supervisors).
func (s *Server) registerImportForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "import", layout{Title: "导入登记表", Nav: "register", Data: importData{DryRun: true}})
}

// registerImport checks (and unless it is a dry run, imports) an uploaded register or
// order list: every bad row is listed with its row, column and reason, and nothing is
// imported until the file is clean; a second import of the same file adds nothing.
func (s *Server) registerImport(w http.ResponseWriter, r *http.Request) error {
	d := importData{Mapping: strings.TrimSpace(r.FormValue("map")), DryRun: r.FormValue("dry_run") != ""}
	fail := func(msg string) error {
		d.Error = msg
		return s.render(w, r, http.StatusUnprocessableEntity, "import", layout{Title: "导入登记表", Nav: "register", Data: d})
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBytes)
	if err := r.ParseMultipartForm(maxImportBytes); err != nil {
		return fail("文件过大或上传不完整(最大20MB)")
	}
	d.Mapping, d.DryRun = strings.TrimSpace(r.FormValue("map")), r.FormValue("dry_run") != ""
	file, head, err := r.FormFile("file")
	if err != nil {
		return fail("请选择要导入的 .xlsx 或 .csv 文件")
	}
	defer file.Close()
	mapping, err := register.ParseMapping(d.Mapping)
	if err != nil {
		return fail(err.Error())
	}
	table, err := register.ReadTable(file, head.Filename)
	if err != nil {
		return fail(err.Error())
	}
	rows, problems := register.Parse(table, mapping, s.now())
	d.Result, err = s.desk.ImportRegister(r.Context(), actorOf(r), rows, problems, d.DryRun)
	var ie *desk.ImportError
	if errors.As(err, &ie) {
		d.Problems = ie.Problems
		return fail("发现" + itoa(int64(len(ie.Problems))) + "处错误,未导入任何工单;请修改文件后重新上传")
	}
	if err != nil {
		return err
	}
	d.Done = true
	return s.render(w, r, http.StatusOK, "import", layout{Title: "导入登记表", Nav: "register", Data: d})
}
