package report

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Row is one stored rollup row: a day, a dimension, a key and the summed measures.
type Row struct {
	Day string
	Dim string
	Key string
	V   Vector
}

// Filter narrows a report: empty fields do not filter.
type Filter struct {
	From     string `json:"from"` // YYYY-MM-DD, inclusive (the store reads only these days)
	To       string `json:"to"`
	Platform string `json:"platform,omitempty"`
	Type     string `json:"type,omitempty"`
	Level    string `json:"level,omitempty"`
	Agent    string `json:"agent,omitempty"`
	// Shop is a shop's id: the case and SKU rows carry it as their last key part (rows
	// written before shops have none and count for no shop until `reports rebuild`).
	Shop string `json:"shop,omitempty"`
}

func (f Filter) keeps(key string) bool {
	parts := strings.Split(key, keySeparator)
	if len(parts) < 4 {
		return false
	}
	match := func(want, got string) bool { return want == "" || got == Any || got == want }
	shop := Any
	if len(parts) == 7 {
		shop = parts[6]
	} else if len(parts) == 6 {
		shop = "" // a case or SKU row from before shops
	}
	return match(f.Platform, parts[0]) && match(f.Type, parts[1]) && match(f.Level, parts[2]) && match(f.Agent, parts[3]) && match(f.Shop, shop)
}

// Count is one line of a breakdown.
type Count struct {
	Key   string  `json:"key"`
	Count int64   `json:"count"`
	Share float64 `json:"share"` // of the breakdown's total, 0–1
}

// Money is one line of a spending breakdown, in fen.
type Money struct {
	Key          string `json:"key"`
	Compensation int64  `json:"compensation_fen"`
	Refund       int64  `json:"refund_fen"`
}

// Times are the percentiles of a duration in minutes (nearest rank).
type Times struct {
	N      int64 `json:"n"`
	OK     int64 `json:"within_sla"`
	Median int64 `json:"median_minutes"`
	P90    int64 `json:"p90_minutes"`
}

// Defect is a SKU and batch with its quality cases.
type Defect struct {
	SKU   string `json:"sku"`
	Batch string `json:"batch"`
	Cases int64  `json:"cases"`
}

// Output is 产能: one agent's remarked cases on one day.
type Output struct {
	Agent string `json:"agent"`
	Day   string `json:"day"`
	Cases int64  `json:"cases"`
}

// Report is the KPIs over the filter's days.
type Report struct {
	Filter        Filter   `json:"filter"`
	Cases         int64    `json:"cases"`
	Remarked      int64    `json:"remarked"`
	ByType        []Count  `json:"by_type"`
	ByLevel       []Count  `json:"by_level"`
	ByPlatform    []Count  `json:"by_platform"`
	ByShop        []Count  `json:"by_shop"` // key: the shop's id
	ByStage       []Count  `json:"by_stage"`
	ByStatus      []Count  `json:"by_status"`
	ByAgent       []Count  `json:"by_agent"`
	FirstResponse Times    `json:"first_response"`
	Resolution    Times    `json:"resolution"`
	Solutions     []Count  `json:"solutions"`
	SpentByType   []Money  `json:"spent_by_type"`
	SpentBySKU    []Money  `json:"spent_by_sku"`
	SpentByAgent  []Money  `json:"spent_by_agent"`
	Compensation  int64    `json:"compensation_fen"`
	Refunds       int64    `json:"refund_fen"`
	ReturnsAsked  int64    `json:"returns_asked"`
	ReturnsKept   int64    `json:"returns_kept"`
	RefundCases   int64    `json:"refund_cases"`
	ReturnCases   int64    `json:"return_cases"`
	RefundRate    float64  `json:"refund_rate"`
	ReturnRate    float64  `json:"return_rate"`
	RetentionRate float64  `json:"retention_rate"`
	Reasons       []Count  `json:"reasons"`
	TopDefects    []Defect `json:"top_defects"`
	Output        []Output `json:"output"`
	CSATCount     int64    `json:"csat_count"`
	CSATAverage   float64  `json:"csat_average"`
	CSAT          []Count  `json:"csat"` // 1..5
}

// TopN is how many SKUs and batches the top lists keep.
const TopN = 10

// Sum computes the report from the rollup rows of the filter's days: daily rows
// outside From..To are skipped, month rows (YYYY-MM) are counted as given — the caller
// passes only the months wholly inside the range, and not their days.
func Sum(rows []Row, f Filter) Report {
	r := Report{Filter: f}
	tot := Vector{}
	by := map[string]map[string]int64{}
	count := func(dim, key string, n int64) {
		if by[dim] == nil {
			by[dim] = map[string]int64{}
		}
		by[dim][key] += n
	}
	money := map[string]map[string]*Money{"type": {}, "sku": {}, "agent": {}}
	addMoney := func(dim, key string, v Vector) {
		if v[MComp] == 0 && v[MRefund] == 0 {
			return
		}
		m := money[dim][key]
		if m == nil {
			m = &Money{Key: key}
			money[dim][key] = m
		}
		m.Compensation += v[MComp]
		m.Refund += v[MRefund]
	}
	defects := map[[2]string]int64{}
	output := map[[2]string]int64{}
	for _, row := range rows {
		daily := len(row.Day) == len("2006-01-02")
		if (daily && ((f.From != "" && row.Day < f.From) || (f.To != "" && row.Day > f.To))) || !f.keeps(row.Key) {
			continue
		}
		parts := strings.Split(row.Key, keySeparator)
		switch row.Dim {
		case DimCase:
			if len(parts) != 6 && len(parts) != 7 {
				continue
			}
			if len(parts) == 7 {
				count("shop", parts[6], row.V[MCases])
			}
			tot.Add(row.V, 1)
			n := row.V[MCases]
			count("platform", parts[0], n)
			count("type", parts[1], n)
			count("level", parts[2], n)
			count("agent", parts[3], n)
			count("stage", parts[4], n)
			count("status", parts[5], n)
			addMoney("type", parts[1], row.V)
			addMoney("agent", parts[3], row.V)
		case DimSKU:
			if len(parts) != 6 && len(parts) != 7 {
				continue
			}
			if d := row.V[MDefect]; d > 0 {
				defects[[2]string{parts[4], parts[5]}] += d
			}
			addMoney("sku", parts[4], row.V)
		case DimOutput:
			output[[2]string{parts[3], row.Day}] += row.V[MOutput]
		}
	}
	r.Cases, r.Remarked = tot[MCases], tot[MRemarked]
	r.ByType, r.ByLevel, r.ByPlatform, r.ByShop = counts(by["type"]), counts(by["level"]), counts(by["platform"]), counts(by["shop"])
	r.ByStage, r.ByStatus, r.ByAgent = counts(by["stage"]), counts(by["status"]), counts(by["agent"])
	r.FirstResponse = times(tot, MRespN, MRespOK, MRespMin)
	r.Resolution = times(tot, MResN, MResOK, MResMin)
	r.Solutions = counts(prefixed(tot, MSolution))
	r.Reasons = counts(prefixed(tot, MReason))
	r.Compensation, r.Refunds = tot[MComp], tot[MRefund]
	r.SpentByType, r.SpentBySKU, r.SpentByAgent = moneyList(money["type"]), moneyList(money["sku"]), moneyList(money["agent"])
	r.ReturnsAsked, r.ReturnsKept = tot[MReturnAsked], tot[MReturnKept]
	r.RefundCases, r.ReturnCases = tot[MRefundCase], tot[MReturnCase]
	r.RefundRate, r.ReturnRate, r.RetentionRate = ratio(r.RefundCases, r.Cases), ratio(r.ReturnCases, r.Cases), ratio(r.ReturnsKept, r.ReturnsAsked)
	csat := map[string]int64{}
	var sum int64
	for s := 1; s <= 5; s++ {
		k := strconv.Itoa(s)
		csat[k] = tot[MCSAT+k]
		r.CSATCount += csat[k]
		sum += int64(s) * csat[k]
	}
	r.CSAT = counts(csat)
	slices.SortFunc(r.CSAT, func(a, b Count) int { return cmp.Compare(a.Key, b.Key) })
	if r.CSATCount > 0 {
		r.CSATAverage = math.Round(float64(sum)/float64(r.CSATCount)*100) / 100
	}
	for k, n := range defects {
		r.TopDefects = append(r.TopDefects, Defect{SKU: k[0], Batch: k[1], Cases: n})
	}
	slices.SortFunc(r.TopDefects, func(a, b Defect) int {
		return cmp.Or(cmp.Compare(b.Cases, a.Cases), cmp.Compare(a.SKU, b.SKU), cmp.Compare(a.Batch, b.Batch))
	})
	r.TopDefects = r.TopDefects[:min(len(r.TopDefects), TopN)]
	for k, n := range output {
		r.Output = append(r.Output, Output{Agent: k[0], Day: k[1], Cases: n})
	}
	slices.SortFunc(r.Output, func(a, b Output) int { return cmp.Or(cmp.Compare(a.Agent, b.Agent), cmp.Compare(a.Day, b.Day)) })
	return r
}

func prefixed(v Vector, prefix string) map[string]int64 {
	out := map[string]int64{}
	for k, n := range v {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			out[rest] += n
		}
	}
	return out
}

// counts is a breakdown, largest first, with each line's share of the total.
func counts(m map[string]int64) []Count {
	var total int64
	for _, n := range m {
		total += n
	}
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{Key: k, Count: n, Share: ratio(n, total)})
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key)) })
	return out
}

func moneyList(m map[string]*Money) []Money {
	out := make([]Money, 0, len(m))
	for _, v := range m {
		out = append(out, *v)
	}
	slices.SortFunc(out, func(a, b Money) int {
		return cmp.Or(cmp.Compare(b.Compensation+b.Refund, a.Compensation+a.Refund), cmp.Compare(a.Key, b.Key))
	})
	return out
}

// times reads the percentiles from the minute histogram: the median is the value at
// rank ⌈n/2⌉, p90 at rank ⌈0.9·n⌉ (nearest rank).
func times(v Vector, nKey, okKey, histPrefix string) Times {
	t := Times{N: v[nKey], OK: v[okKey]}
	hist := prefixed(v, histPrefix)
	type bucket struct{ min, n int64 }
	var bs []bucket
	var total int64
	for k, n := range hist {
		m, err := strconv.ParseInt(k, 10, 64)
		if err != nil || n <= 0 {
			continue
		}
		bs = append(bs, bucket{m, n})
		total += n
	}
	if total == 0 {
		return t
	}
	slices.SortFunc(bs, func(a, b bucket) int { return cmp.Compare(a.min, b.min) })
	at := func(rank int64) int64 {
		var seen int64
		for _, b := range bs {
			if seen += b.n; seen >= rank {
				return b.min
			}
		}
		return bs[len(bs)-1].min
	}
	t.Median = at((total + 1) / 2)
	t.P90 = at(int64(math.Ceil(0.9 * float64(total))))
	return t
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(float64(a)/float64(b)*10000) / 10000
}
