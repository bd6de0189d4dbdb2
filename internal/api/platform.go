package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/httpx"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/register"
	"github.com/shouhou/shouhou/internal/store"
)

// importAfterSales reads an after-sale export of a back office or ERP (multipart:
// file .csv/.xlsx, source qianniu|jingmai|doudian|pinduoduo|jushuitan|wangdiantong,
// optional shop, platform, map "列名=field,…", dry_run): 422 with every bad row (row,
// column, reason) and nothing written, or the counts created/updated/unchanged.
func (s *Server) importAfterSales(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBytes)
	if err := r.ParseMultipartForm(maxImportBytes); err != nil {
		return apiError(http.StatusRequestEntityTooLarge, "too_large", "文件过大或上传不完整(最大20MB)")
	}
	dryRun, err := importForm(r, "source", "shop", "platform", "map")
	if err != nil {
		return err
	}
	o, err := importOpts(r.FormValue("source"), r.FormValue("shop"), r.FormValue("platform"), r.FormValue("map"))
	if err != nil {
		return err
	}
	file, head, err := r.FormFile("file")
	if err != nil {
		return fieldError("file", "请上传 .xlsx 或 .csv 文件(字段 file)")
	}
	defer file.Close()
	table, err := register.ReadTable(file, head.Filename)
	if err != nil {
		return fieldError("file", err.Error())
	}
	rows, problems, err := s.desk.ParseAfterSales(r.Context(), table, o)
	if err != nil {
		return err
	}
	res, err := s.desk.ImportAfterSales(r.Context(), actorOf(r), rows, problems, dryRun)
	var ie *desk.ImportError
	if errors.As(err, &ie) {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"code": "import_invalid",
			"message": fmt.Sprintf("发现%d处错误,未导入任何售后单", len(ie.Problems)), "problems": ie.Problems})
		return nil
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"dry_run": dryRun, "rows": res.Rows, "created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged})
	return nil
}

// importForm checks an import upload's fields: a mistyped field (dryrun=true) or a
// dry_run that is not true/false/1/0 is refused with its field, never an import for real.
// The multipart form must be parsed; file is always allowed.
func importForm(r *http.Request, fields ...string) (dryRun bool, err error) {
	known := map[string]bool{"dry_run": true}
	for _, f := range fields {
		known[f] = true
	}
	for k := range r.MultipartForm.Value {
		if !known[k] {
			return false, fieldError(k, fmt.Sprintf("未知字段「%s」(可用: file, %s, dry_run)", k, strings.Join(fields, ", ")))
		}
	}
	for k := range r.MultipartForm.File {
		if k != "file" {
			return false, fieldError(k, "文件请用 file 字段上传")
		}
	}
	switch strings.TrimSpace(r.FormValue("dry_run")) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, fieldError("dry_run", "dry_run 须为 true 或 false")
}

// importOpts reads an import's choices, each refused with its field when wrong.
func importOpts(source, shop, plat, mapping string) (platform.ImportOpts, error) {
	if strings.TrimSpace(source) == "" {
		return platform.ImportOpts{}, fieldError("source", "请选择导出来源(qianniu、jingmai、doudian、pinduoduo、jushuitan、wangdiantong)")
	}
	src, err := platform.SourceByID(strings.TrimSpace(source))
	if err != nil {
		return platform.ImportOpts{}, fieldError("source", err.Error())
	}
	m, err := platform.ParseMapping(mapping)
	if err != nil {
		return platform.ImportOpts{}, fieldError("map", err.Error())
	}
	p := cases.Platform(strings.TrimSpace(plat))
	if p != "" && (!p.Valid() || p == cases.PlatformOther) {
		return platform.ImportOpts{}, fieldError("platform", fmt.Sprintf("未知的平台 %q", p))
	}
	return platform.ImportOpts{Source: src, Mapping: m, Shop: strings.TrimSpace(shop), Platform: p}, nil
}

// maxIntakeItems bounds one intake batch.
const maxIntakeItems = 500

// intakeItem is one item's answer.
type intakeItem struct {
	Index       int                `json:"index"`
	AfterSaleID string             `json:"aftersale_id"`
	Result      string             `json:"result"`
	CaseID      int64              `json:"case_id,omitempty"`
	Errors      []cases.FieldError `json:"errors,omitempty"`
	Error       *httpx.Problem     `json:"error,omitempty"`
}

// intakeAfterSales creates or updates cases from a batch of platform after-sale
// records (an ERP's or a script's push), keyed by (platform, shop, aftersale_id): each
// item answers created, updated, unchanged or error (with field and reason); a bad
// item changes nothing and does not stop the others. With the database down the whole
// batch is 503 (send it again: what was written comes back unchanged).
func (s *Server) intakeAfterSales(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Items []platform.Record `json:"items"`
	}
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	if len(req.Items) == 0 || len(req.Items) > maxIntakeItems {
		return fieldError("items", fmt.Sprintf("items 须有1到%d条售后单", maxIntakeItems))
	}
	out := make([]intakeItem, len(req.Items))
	counts := map[string]int{}
	for i, rec := range req.Items {
		item := intakeItem{Index: i, AfterSaleID: rec.AfterSaleID, Result: "error"}
		checked, errs := s.desk.CheckAfterSale(rec, "intake")
		if errs != nil {
			item.Errors = errs
		} else if res, err := s.desk.UpsertAfterSale(r.Context(), actorOf(r), checked); err != nil {
			if r.Context().Err() != nil || errors.Is(err, store.ErrUnavailable) {
				// The database is down: the whole batch answers 503 and may be sent
				// again as it is (items already written come back unchanged).
				return err
			}
			item.Error = httpx.Explain(err)
			var ve cases.ValidationError
			if errors.As(err, &ve) {
				item.Errors, item.Error = ve, nil
			}
			item.CaseID = res.CaseID
		} else {
			item.Result, item.CaseID = res.Outcome, res.CaseID
		}
		counts[item.Result]++
		out[i] = item
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "created": counts[desk.OutcomeCreated], "updated": counts[desk.OutcomeUpdated],
		"unchanged": counts[desk.OutcomeUnchanged], "errors": counts["error"]})
	return nil
}
