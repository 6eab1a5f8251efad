package standards

import (
	"fmt"
	"github.com/qinqing/qinqing/internal/money"
	"strings"
)

// AboveScaleInput holds what is known for a 规模以上 / 限额以上 decision.
type AboveScaleInput struct {
	IndustryCode string // GB/T 4754-2017 code, e.g. "C3670" or "F5211".
	RevenueFen   *int64 // Annual (主营业务)营业收入 in fen; nil if unknown.
	QualifiedTag bool   // The firm holds the qualification that makes 建筑业 (E) or 房地产开发经营 (K7010) 限额以上.
}

// AboveScaleResult is a 规模以上 / 限额以上 status with its reasoning.
type AboveScaleResult struct {
	Status       *bool // true above, false below; nil if not determinable or not applicable.
	Basis        Msg   // Why, naming the threshold and the source.
	ThresholdFen int64 // The revenue threshold applied in fen; 0 if none applies.
}

// aboveRule is one 规模以上 / 限额以上 standard of the statistics bureau.
type aboveRule struct {
	name      Msg   // industry group
	term      Msg   // 规模以上 or 限额以上
	revenue   Msg   // the revenue indicator's name
	threshold int64 // fen; 0 means "by qualification"
	source    Msg
}

// Sources of the 规模以上 / 限额以上 standards (国家统计局 统计调查制度).
var (
	srcIndustry = Msg{"国家统计局《工业统计调查制度》：规模以上工业企业为年主营业务收入 2000 万元及以上的工业法人单位",
		"NBS industrial statistics survey system: above-scale industrial enterprises have annual main business revenue of CNY 20 million or more"}
	srcTrade = Msg{"国家统计局《批发和零售业统计调查制度》《住宿和餐饮业统计调查制度》限额以上单位标准",
		"NBS wholesale/retail and accommodation/catering survey systems, above-quota thresholds"}
	srcServices = Msg{"国家统计局《规模以上服务业统计调查制度》",
		"NBS above-scale services survey system"}
	srcConstruction = Msg{"国家统计局《建筑业统计调查制度》：有资质的建筑业企业",
		"NBS construction survey system: construction enterprises holding a qualification"}
	srcRealEstate = Msg{"国家统计局《房地产开发统计调查制度》：具有房地产开发经营资质的法人单位",
		"NBS real estate development survey system: units holding a real estate development qualification"}
)

// aboveRules are the standards keyed by id.
var aboveRules = map[string]aboveRule{
	"industry": {Msg{"工业", "industry"}, Msg{"规模以上", "above designated size"},
		Msg{"年主营业务收入", "annual main business revenue"}, wanFen(2000), srcIndustry},
	"wholesale": {Msg{"批发业", "wholesale"}, Msg{"限额以上", "above designated quota"},
		Msg{"年主营业务收入", "annual main business revenue"}, wanFen(2000), srcTrade},
	"retail": {Msg{"零售业", "retail"}, Msg{"限额以上", "above designated quota"},
		Msg{"年主营业务收入", "annual main business revenue"}, wanFen(500), srcTrade},
	"accommodation_catering": {Msg{"住宿和餐饮业", "accommodation and catering"}, Msg{"限额以上", "above designated quota"},
		Msg{"年主营业务收入", "annual main business revenue"}, wanFen(200), srcTrade},
	"services_2000": {Msg{"服务业（交通运输、仓储和邮政业，信息传输、软件和信息技术服务业，水利、环境和公共设施管理业，卫生）",
		"services (transport, storage and post; information transmission, software and IT; water, environment and public facilities; health)"},
		Msg{"规模以上", "above designated size"}, Msg{"年营业收入", "annual revenue"}, wanFen(2000), srcServices},
	"services_1000": {Msg{"服务业（租赁和商务服务业，科学研究和技术服务业，教育，物业管理、房地产中介服务、房地产租赁经营和其他房地产业）",
		"services (leasing and business services; scientific research and technical services; education; property management, real estate agency, real estate leasing and other real estate)"},
		Msg{"规模以上", "above designated size"}, Msg{"年营业收入", "annual revenue"}, wanFen(1000), srcServices},
	"services_500": {Msg{"服务业（居民服务、修理和其他服务业，文化、体育和娱乐业，社会工作）",
		"services (residents' services, repair and other services; culture, sports and entertainment; social work)"},
		Msg{"规模以上", "above designated size"}, Msg{"年营业收入", "annual revenue"}, wanFen(500), srcServices},
	"construction": {Msg{"建筑业", "construction"}, Msg{"限额以上", "above designated quota"},
		Msg{}, 0, srcConstruction},
	"real_estate_development": {Msg{"房地产开发经营", "real estate development"}, Msg{"限额以上", "above designated quota"},
		Msg{}, 0, srcRealEstate},
}

// aboveRuleIDForClass maps one GB/T 4754-2017 小类 to its standard, or "" if
// no 规模以上 / 限额以上 standard applies (e.g. A, J, S, T).
func aboveRuleIDForClass(ind Industry) string {
	div := ind.Code[:2]
	switch ind.Section {
	case "B", "C", "D":
		return "industry"
	case "E":
		return "construction"
	case "F":
		if div == "51" {
			return "wholesale"
		}
		return "retail"
	case "H":
		return "accommodation_catering"
	case "G", "I", "N":
		return "services_2000"
	case "L", "M", "P":
		return "services_1000"
	case "O", "R":
		return "services_500"
	case "Q":
		if div == "84" {
			return "services_2000" // 卫生
		}
		return "services_500" // 85 社会工作
	case "K":
		if ind.Code == "7010" {
			return "real_estate_development"
		}
		return "services_1000" // 7020 物业管理, 7030 中介, 7040 租赁经营, 7090 其他
	}
	return ""
}

// AboveScale decides whether a firm is 规模以上 / 限额以上 by the statistics
// bureau's revenue thresholds, or by qualification for 建筑业 and 房地产开发经营.
func AboveScale(in AboveScaleInput) AboveScaleResult { return aboveScale(in, true) }

// AboveScaleOf decides the same status and threshold as AboveScale without
// writing the explanation (Basis is set only when no status results): for
// callers that decide every enterprise at once, such as the eligibility index.
func AboveScaleOf(in AboveScaleInput) AboveScaleResult { return aboveScale(in, false) }

func aboveScale(in AboveScaleInput, explain bool) AboveScaleResult {
	code := strings.TrimSpace(in.IndustryCode)
	ind, ok := LookupIndustry(code)
	if !ok {
		return AboveScaleResult{Basis: Msg{
			fmt.Sprintf("行业代码 %q 不是 GB/T 4754-2017 中的有效代码，无法判定是否规模以上", code),
			fmt.Sprintf("industry code %q is not a GB/T 4754-2017 code; above-scale status cannot be determined", code),
		}}
	}
	var ids []string
	seen := map[string]bool{}
	for _, leaf := range industryLeaves(ind) {
		if id := aboveRuleIDForClass(leaf); !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		return AboveScaleResult{Basis: Msg{
			fmt.Sprintf("行业代码 %s（%s）涵盖多个规模以上标准，请提供更细的行业代码", ind.Qualified(), ind.Name),
			fmt.Sprintf("industry code %s (%s) spans several above-scale standards; give a more specific code", ind.Qualified(), ind.Name),
		}}
	}
	if ids[0] == "" {
		return AboveScaleResult{Basis: Msg{
			fmt.Sprintf("%s（%s）不适用规模以上/限额以上标准", ind.Name, ind.Qualified()),
			fmt.Sprintf("no above-scale standard applies to %s (%s)", ind.Name, ind.Qualified()),
		}}
	}
	rule := aboveRules[ids[0]]

	if rule.threshold == 0 {
		status := in.QualifiedTag
		if !explain {
			return AboveScaleResult{Status: &status}
		}
		verdictZh, verdictEn := "未标记具备资质 → 非"+rule.term.Zh, "not tagged as qualified → not "+rule.term.En
		if status {
			verdictZh, verdictEn = "已标记具备资质 → "+rule.term.Zh, "tagged as qualified → "+rule.term.En
		}
		return AboveScaleResult{Status: &status, Basis: Msg{
			fmt.Sprintf("%s按资质认定%s，不按营业收入：%s（%s）", rule.name.Zh, rule.term.Zh, verdictZh, rule.source.Zh),
			fmt.Sprintf("%s is %s by qualification, not by revenue: %s (%s)", rule.name.En, rule.term.En, verdictEn, rule.source.En),
		}}
	}

	res := AboveScaleResult{ThresholdFen: rule.threshold}
	if !explain && in.RevenueFen != nil && *in.RevenueFen >= 0 {
		above := *in.RevenueFen >= rule.threshold
		res.Status = &above
		return res
	}
	thrZh, thrEn := money.FormatWanExact(rule.threshold)+" 万元", "CNY "+money.FormatYuanGrouped(rule.threshold)
	switch {
	case in.RevenueFen == nil:
		res.Basis = Msg{
			fmt.Sprintf("%s：%s标准为%s ≥ %s，未提供营业收入，无法判定（%s）", rule.name.Zh, rule.term.Zh, rule.revenue.Zh, thrZh, rule.source.Zh),
			fmt.Sprintf("%s: %s requires %s ≥ %s; unknown, revenue missing (%s)", rule.name.En, rule.term.En, rule.revenue.En, thrEn, rule.source.En),
		}
	case *in.RevenueFen < 0:
		res.Basis = Msg{
			fmt.Sprintf("%s：营业收入不能为负数，无法判定", rule.name.Zh),
			fmt.Sprintf("%s: revenue cannot be negative; status cannot be determined", rule.name.En),
		}
	default:
		v := *in.RevenueFen
		above := v >= rule.threshold
		res.Status = &above
		revZh, revEn := money.FormatWanExact(v)+" 万元", "CNY "+money.FormatYuanGrouped(v)
		if above {
			res.Basis = Msg{
				fmt.Sprintf("%s：%s %s ≥ %s → %s（%s）", rule.name.Zh, rule.revenue.Zh, revZh, thrZh, rule.term.Zh, rule.source.Zh),
				fmt.Sprintf("%s: %s %s ≥ %s → %s (%s)", rule.name.En, rule.revenue.En, revEn, thrEn, rule.term.En, rule.source.En),
			}
		} else {
			res.Basis = Msg{
				fmt.Sprintf("%s：%s %s < %s → 非%s（%s）", rule.name.Zh, rule.revenue.Zh, revZh, thrZh, rule.term.Zh, rule.source.Zh),
				fmt.Sprintf("%s: %s %s < %s → not %s (%s)", rule.name.En, rule.revenue.En, revEn, thrEn, rule.term.En, rule.source.En),
			}
		}
	}
	return res
}
