package standards

// The evaluation indicators of 科技型中小企业 (technology-based SMEs):
// 《科技型中小企业评价办法》(国科发政〔2022〕67号), 附件《科技型中小企业评价
// 指标》. A firm qualifies on the score route when its total is at least 60
// of 100 and the tech-staff indicator is not 0 (第六条第（五）项).
//
// Every band's lower bound is inclusive ("30%（含）以上"). The comparisons
// are made on whole persons and whole fen, multiplied out, so a firm exactly
// on a band edge is never moved by rounding.

// Maximum points of each indicator.
const (
	TechSMEStaffMax = 20 // 科技人员指标
	TechSMERDMax    = 50 // 研发投入指标
	TechSMEIPMax    = 30 // 科技成果指标
	// TechSMEPassScore is the score the score route needs.
	TechSMEPassScore = 60
)

// percentBands are the lower bounds, in percent, of the bands of one
// indicator with the points each earns, highest first; below the last bound
// earns 0.
type percentBands []struct{ atLeast, points int64 }

// points scores part/whole. ok is false when whole is not positive (the
// ratio is undefined).
func (b percentBands) points(part, whole int64) (int64, bool) {
	if whole <= 0 || part < 0 {
		return 0, false
	}
	for _, band := range b {
		if part*100 >= band.atLeast*whole {
			return band.points, true
		}
	}
	return 0, true
}

// staffBands: 科技人员数占企业职工总数的比例 — 30%（含）以上 20 分，25%–30% 16 分，
// 20%–25% 12 分，15%–20% 8 分，10%–15% 4 分，10% 以下 0 分.
var staffBands = percentBands{{30, 20}, {25, 16}, {20, 12}, {15, 8}, {10, 4}}

// rdSalesBands: 研发费用总额占销售收入总额的比例 — 6%（含）以上 50 分，5%–6% 40 分，
// 4%–5% 30 分，3%–4% 20 分，2%–3% 10 分，2% 以下 0 分.
var rdSalesBands = percentBands{{6, 50}, {5, 40}, {4, 30}, {3, 20}, {2, 10}}

// rdCostBands: 研发费用总额占成本费用支出总额的比例 — 30%（含）以上 50 分，
// 25%–30% 40 分，20%–25% 30 分，15%–20% 20 分，10%–15% 10 分，10% 以下 0 分.
var rdCostBands = percentBands{{30, 50}, {25, 40}, {20, 30}, {15, 20}, {10, 10}}

// TechSMEStaffPoints scores the tech-staff indicator from the numbers of
// technical staff and of all employees. ok is false without employees.
func TechSMEStaffPoints(techStaff, employees int64) (points int64, ok bool) {
	return staffBands.points(techStaff, employees)
}

// TechSMERDPoints scores the R&D indicator. The firm chooses one of two
// measures (企业从两项指标中选择一个指标进行评分), so the better one counts:
// R&D expense over sales revenue, or over total costs and expenses
// (成本费用支出总额). Either base may be nil (not known); ok is false while
// the better measure cannot be known — when a known measure already earns
// the maximum, the other is not needed.
func TechSMERDPoints(rdFen int64, salesFen, costsFen *int64) (points int64, ok bool) {
	var best int64
	decided := true
	for _, m := range []struct {
		base  *int64
		bands percentBands
	}{{salesFen, rdSalesBands}, {costsFen, rdCostBands}} {
		if m.base == nil {
			decided = false
			continue
		}
		p, ok := m.bands.points(rdFen, *m.base)
		if !ok {
			continue // no revenue or no costs: this measure cannot be used
		}
		best = max(best, p)
	}
	if best == TechSMERDMax {
		return best, true
	}
	return best, decided
}

// TechSMEIPPoints scores the 科技成果 indicator from the valid intellectual
// property related to the main products: 1 项及以上Ⅰ类知识产权 30 分; Ⅱ类
// 4 项及以上 24 分，3 项 18 分，2 项 12 分，1 项 6 分; none 0. Class I are
// invention patents, plant varieties, national new drugs, class-one protected
// Chinese medicines and layout designs of integrated circuits; class II are
// utility models, designs and software copyrights (评价工作指引).
func TechSMEIPPoints(class1, class2 int64) int64 {
	switch {
	case class1 >= 1:
		return 30
	case class2 >= 4:
		return 24
	case class2 > 0:
		return class2 * 6
	}
	return 0
}
