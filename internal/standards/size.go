package standards

import (
	"fmt"
	"github.com/qinqing/qinqing/internal/money"
	"strings"
)

// SizeClass is an enterprise size class under 工信部联企业〔2011〕300号.
type SizeClass string

// The size classes; SizeUnknown means the inputs do not decide the class.
const (
	SizeLarge   SizeClass = "large"   // 大型
	SizeMedium  SizeClass = "medium"  // 中型
	SizeSmall   SizeClass = "small"   // 小型
	SizeMicro   SizeClass = "micro"   // 微型
	SizeUnknown SizeClass = "unknown" // 无法划型
)

// Name returns the class's name in both languages.
func (c SizeClass) Name() Msg {
	switch c {
	case SizeLarge:
		return Msg{"大型", "large"}
	case SizeMedium:
		return Msg{"中型", "medium"}
	case SizeSmall:
		return Msg{"小型", "small"}
	case SizeMicro:
		return Msg{"微型", "micro"}
	}
	return Msg{"无法划型", "unknown"}
}

// SizeInput holds what is known about a firm; nil means not known. Money is
// in fen (1 万元 = 1,000,000 fen).
type SizeInput struct {
	IndustryCode string // GB/T 4754-2017 code, e.g. "C3670" or "3670".
	Employees    *int64 // X 从业人员, persons.
	RevenueFen   *int64 // Y 营业收入, fen.
	AssetsFen    *int64 // Z 资产总额, fen.
}

// SizeRow identifies one row (industry) of the size table.
type SizeRow struct {
	ID    string // Stable id, e.g. "industry", "retail", "software", "other".
	Name  Msg    // Industry name as in the table, e.g. 工业 / industry.
	Codes string // The GB/T 4754-2017 codes the row covers, human-readable.
}

// SizeResult is a size class with the reasoning behind it.
type SizeResult struct {
	Class   SizeClass // The class, or SizeUnknown.
	Row     SizeRow   // The table row applied; zero if the industry is unknown or too coarse.
	Basis   Msg       // Why: the thresholds met or failed and the source.
	Missing []string  // Inputs ("employees", "revenue", "assets") needed to decide, when Class is unknown because of them.
}

// sizeSource names the rules applied, for the Basis.
var sizeSource = Msg{
	"依据工信部联企业〔2011〕300号、国家统计局《统计上大中小微型企业划分办法（2017）》",
	"per MIIT et al. [2011] No. 300 and the NBS Measures for Classifying Enterprise Size for Statistics (2017)",
}

// ClassifySize determines the size class of a firm: 大 → 中 → 小 each need
// every listed lower limit of the firm's row, else 微 (工信部联企业〔2011〕300号
// 第四条; 《统计上大中小微型企业划分办法（2017）》附表 note). A tier that a missing
// input could decide makes the class unknown rather than falling through.
func ClassifySize(in SizeInput) SizeResult { return classifySize(in, true) }

// SizeClassOf decides the same class and missing inputs as ClassifySize
// without writing the explanation of the thresholds (Basis is set only when
// the industry code is unusable): for callers that classify every enterprise
// at once, such as the eligibility index.
func SizeClassOf(in SizeInput) SizeResult { return classifySize(in, false) }

func classifySize(in SizeInput, explain bool) SizeResult {
	code := strings.TrimSpace(in.IndustryCode)
	if code == "" {
		return SizeResult{Class: SizeUnknown, Basis: Msg{
			"未提供行业代码（GB/T 4754-2017），无法划型",
			"no industry code (GB/T 4754-2017) given; the size class cannot be determined",
		}}
	}
	ind, ok := LookupIndustry(code)
	if !ok {
		return SizeResult{Class: SizeUnknown, Basis: Msg{
			fmt.Sprintf("行业代码 %q 不是 GB/T 4754-2017 中的有效代码，无法划型", code),
			fmt.Sprintf("industry code %q is not a GB/T 4754-2017 code; the size class cannot be determined", code),
		}}
	}
	ids := sizeRowIDs(ind)
	if len(ids) != 1 {
		var zh, en []string
		for _, id := range ids {
			zh = append(zh, sizeRules[id].row.Name.Zh)
			en = append(en, sizeRules[id].row.Name.En)
		}
		return SizeResult{Class: SizeUnknown, Basis: Msg{
			fmt.Sprintf("行业代码 %s（%s）涵盖多个划型行业（%s），请提供更细的行业代码", ind.Qualified(), ind.Name, strings.Join(zh, "、")),
			fmt.Sprintf("industry code %s (%s) spans several size-table rows (%s); give a more specific code", ind.Qualified(), ind.Name, strings.Join(en, ", ")),
		}}
	}
	rule := sizeRules[ids[0]]
	res := SizeResult{Class: SizeUnknown, Row: rule.row}
	vals := [3]*int64{in.Employees, in.RevenueFen, in.AssetsFen}
	for m, v := range vals {
		if v != nil && *v < 0 {
			res.Basis = Msg{
				fmt.Sprintf("%s：%s不能为负数，无法划型", rule.row.Name.Zh, metricNameZh[m]),
				fmt.Sprintf("%s: %s cannot be negative; the size class cannot be determined", rule.row.Name.En, metricNameEn[m]),
			}
			return res
		}
	}

	var zh, en []string
	for t, limits := range rule.tiers {
		class := sizeTiers[t]
		var passZh, passEn, failZh, failEn, unkZh, unkEn []string
		var missing []string
		for _, l := range limits {
			v := vals[l.metric]
			if !explain {
				switch {
				case v == nil:
					missing = append(missing, l.metric.id())
					unkZh = append(unkZh, "")
				case *v >= l.min:
				default:
					failZh = append(failZh, "")
				}
				continue
			}
			switch {
			case v == nil:
				unkZh = append(unkZh, fmt.Sprintf("%s未知（需 ≥ %s）", metricNameZh[l.metric], quantityZh(l.metric, l.min)))
				unkEn = append(unkEn, fmt.Sprintf("%s unknown (needs ≥ %s)", metricNameEn[l.metric], quantityEn(l.metric, l.min)))
				missing = append(missing, l.metric.id())
			case *v >= l.min:
				passZh = append(passZh, fmt.Sprintf("%s %s ≥ %s", metricNameZh[l.metric], quantityZh(l.metric, *v), quantityZh(l.metric, l.min)))
				passEn = append(passEn, fmt.Sprintf("%s %s ≥ %s", metricNameEn[l.metric], quantityEn(l.metric, *v), quantityEn(l.metric, l.min)))
			default:
				failZh = append(failZh, fmt.Sprintf("%s %s < %s", metricNameZh[l.metric], quantityZh(l.metric, *v), quantityZh(l.metric, l.min)))
				failEn = append(failEn, fmt.Sprintf("%s %s < %s", metricNameEn[l.metric], quantityEn(l.metric, *v), quantityEn(l.metric, l.min)))
			}
		}
		if !explain {
			switch {
			case len(failZh) > 0:
				continue
			case len(unkZh) > 0:
				res.Missing = missing
				return res
			default:
				res.Class = class
				return res
			}
		}
		name := class.Name()
		switch {
		case len(failZh) > 0: // a known input fails a lower limit: drop a tier
			zh = append(zh, fmt.Sprintf("非%s（%s）", name.Zh, strings.Join(failZh, "，")))
			en = append(en, fmt.Sprintf("not %s (%s)", name.En, strings.Join(failEn, ", ")))
		case len(unkZh) > 0: // every known input passes, a missing one decides
			zh = append(zh, fmt.Sprintf("能否达到%s取决于缺失数据：%s", name.Zh, strings.Join(append(passZh, unkZh...), "，")))
			en = append(en, fmt.Sprintf("whether it is %s depends on missing data: %s", name.En, strings.Join(append(passEn, unkEn...), ", ")))
			res.Missing = missing
			res.Basis = Msg{
				fmt.Sprintf("%s：%s → 无法划型（%s）", rule.row.Name.Zh, strings.Join(zh, "；"), sizeSource.Zh),
				fmt.Sprintf("%s: %s → unknown (%s)", rule.row.Name.En, strings.Join(en, "; "), sizeSource.En),
			}
			return res
		default: // every listed lower limit met
			zh = append(zh, fmt.Sprintf("%s → %s", strings.Join(passZh, " 且 "), name.Zh))
			en = append(en, fmt.Sprintf("%s → %s", strings.Join(passEn, " and "), name.En))
			res.Class = class
			res.Basis = Msg{
				fmt.Sprintf("%s：%s（%s）", rule.row.Name.Zh, strings.Join(zh, "；"), sizeSource.Zh),
				fmt.Sprintf("%s: %s (%s)", rule.row.Name.En, strings.Join(en, "; "), sizeSource.En),
			}
			return res
		}
	}

	// Not even small: micro, which needs only one listed condition to hold
	// (工信部联企业〔2011〕300号 第四条; 2017 附表 note). A known failure of a
	// small-tier limit is exactly such a condition, so missing inputs do not matter.
	if !explain {
		res.Class = SizeMicro
		return res
	}
	var notZh, notEn []string
	for m, v := range vals {
		if v == nil && rule.uses(sizeMetric(m)) {
			notZh = append(notZh, metricNameZh[m])
			notEn = append(notEn, metricNameEn[m])
		}
	}
	zh = append(zh, "微型只须满足所列指标中的一项 → 微型")
	en = append(en, "micro needs to meet only one listed condition → micro")
	if len(notZh) > 0 {
		zh = append(zh, fmt.Sprintf("%s未知，不影响结论", strings.Join(notZh, "、")))
		en = append(en, fmt.Sprintf("%s unknown, which does not change the result", strings.Join(notEn, " and ")))
	}
	res.Class = SizeMicro
	res.Basis = Msg{
		fmt.Sprintf("%s：%s（%s）", rule.row.Name.Zh, strings.Join(zh, "；"), sizeSource.Zh),
		fmt.Sprintf("%s: %s (%s)", rule.row.Name.En, strings.Join(en, "; "), sizeSource.En),
	}
	return res
}

// uses reports whether any tier of the rule has a limit on m.
func (r sizeRule) uses(m sizeMetric) bool {
	for _, limits := range r.tiers {
		for _, l := range limits {
			if l.metric == m {
				return true
			}
		}
	}
	return false
}

// Metric names for messages, indexed by sizeMetric.
var (
	metricNameZh = [...]string{"从业人员", "营业收入", "资产总额"}
	metricNameEn = [...]string{"employees", "revenue", "total assets"}
)

// quantityZh renders a metric value in Chinese: persons or 万元.
func quantityZh(m sizeMetric, v int64) string {
	if m == metricEmployees {
		return fmt.Sprintf("%d 人", v)
	}
	return money.FormatWanExact(v) + " 万元"
}

// quantityEn renders a metric value in English: persons or CNY.
func quantityEn(m sizeMetric, v int64) string {
	if m == metricEmployees {
		return fmt.Sprintf("%d", v)
	}
	return "CNY " + money.FormatYuanGrouped(v)
}
