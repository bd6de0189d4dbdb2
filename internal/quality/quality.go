// Package quality finds root causes across cases (SOP §7, seeds 000/002 问题溯源): N
// quality cases within a window on one SKU and batch (the SKU alone when the batch is
// empty) raise one 同批次 alert for quality control; N damaged parcels of one courier
// within a window raise a courier alert (rough sorting → claim against the courier).
// The rules here are pure: which mark a case leaves and whether marks form a cluster.
package quality

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

// Config holds the numbers of the alerts; internal/config holds their defaults.
type Config struct {
	BatchCount    int           `yaml:"batch_count" json:"batch_count" doc:"quality cases on one SKU+batch (SKU alone when the batch is empty) that raise a 同批次 alert; 0 switches it off"`
	BatchWindow   time.Duration `yaml:"batch_window" json:"batch_window" doc:"within this span (Go duration, e.g. 168h = 7 days)"`
	CourierCount  int           `yaml:"courier_count" json:"courier_count" doc:"damaged-parcel cases of one courier that raise a courier alert; 0 switches it off"`
	CourierWindow time.Duration `yaml:"courier_window" json:"courier_window" doc:"within this span (Go duration)"`
}

// Validate checks the numbers.
func (c Config) Validate() error {
	var errs []error
	if c.BatchCount < 0 || c.BatchCount == 1 || c.CourierCount < 0 || c.CourierCount == 1 {
		errs = append(errs, errors.New("alerts.batch_count / courier_count: 须为0(关闭)或不小于2"))
	}
	if (c.BatchCount > 0 && c.BatchWindow <= 0) || (c.CourierCount > 0 && c.CourierWindow <= 0) {
		errs = append(errs, errors.New("alerts.batch_window / courier_window: 须为正数"))
	}
	return errors.Join(errs...)
}

// Alert kinds.
const (
	KindBatch   = "batch"   // 同批次质量问题
	KindCourier = "courier" // 快递破损
)

// KindLabels are the Chinese names of the kinds.
var KindLabels = map[string]string{KindBatch: "同批次质量问题", KindCourier: "快递破损集中"}

// Mark is what one case contributes to an alert key: its kind, key and when it came in.
type Mark struct {
	CaseID int64
	Kind   string
	Key    string
	At     time.Time
}

// Marks are the marks a case leaves: a quality case with a SKU marks its SKU+batch;
// a damaged parcel with a courier marks the courier. A merged case leaves none.
func (c Config) Marks(cs cases.Case) []Mark {
	if cs.Status == cases.StatusMerged {
		return nil
	}
	var out []Mark
	if c.BatchCount > 0 && strings.HasPrefix(string(cs.Type), "quality.") && strings.TrimSpace(cs.SKU) != "" {
		out = append(out, Mark{CaseID: cs.ID, Kind: KindBatch, Key: BatchKey(cs.SKU, cs.Batch), At: cs.CreatedAt})
	}
	if c.CourierCount > 0 && cs.Type == cases.TypeDamaged && strings.TrimSpace(cs.Courier) != "" {
		out = append(out, Mark{CaseID: cs.ID, Kind: KindCourier, Key: strings.TrimSpace(cs.Courier), At: cs.CreatedAt})
	}
	return out
}

// BatchKey is the key of a SKU and batch: "SKU/批次", or the SKU alone.
func BatchKey(sku, batch string) string {
	sku, batch = strings.TrimSpace(sku), strings.TrimSpace(batch)
	if batch == "" {
		return sku
	}
	return sku + " / " + batch
}

// Rule is the count and window of a kind.
func (c Config) Rule(kind string) (int, time.Duration) {
	if kind == KindCourier {
		return c.CourierCount, c.CourierWindow
	}
	return c.BatchCount, c.BatchWindow
}

// Cluster returns the marks of the largest group, among those within window of one
// another, that holds the mark of caseID and at least n marks; ok is false when there
// is none. marks are of one kind and key.
func Cluster(marks []Mark, caseID int64, n int, window time.Duration) ([]Mark, bool) {
	if n <= 0 {
		return nil, false
	}
	sorted := slices.Clone(marks)
	slices.SortFunc(sorted, func(a, b Mark) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return int(a.CaseID - b.CaseID)
	})
	var best []Mark
	for i := range sorted {
		j := i
		for j < len(sorted) && sorted[j].At.Sub(sorted[i].At) <= window {
			j++
		}
		group := sorted[i:j]
		if len(group) >= n && len(group) > len(best) && slices.ContainsFunc(group, func(m Mark) bool { return m.CaseID == caseID }) {
			best = group
		}
	}
	return best, best != nil
}

// Text is what the alert says: "同批次预警:SKU / 批次 7天内3起质量问题(#1、#2、#3)".
func Text(kind, key string, window time.Duration, ids []int64) string {
	refs := make([]string, len(ids))
	for i, id := range ids {
		refs[i] = fmt.Sprintf("#%d", id)
	}
	span := fmt.Sprintf("%d天", int(window.Hours()/24))
	if window%(24*time.Hour) != 0 {
		span = fmt.Sprintf("%g小时", window.Hours())
	}
	if kind == KindCourier {
		return fmt.Sprintf("快递破损预警:%s %s内%d起破损(%s),可向快递索赔并反馈暴力分拣", key, span, len(ids), strings.Join(refs, "、"))
	}
	return fmt.Sprintf("同批次预警:%s %s内%d起质量问题(%s),请质检/反馈工厂", key, span, len(ids), strings.Join(refs, "、"))
}
