package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/standards"
)

// demoSize is the number of demo enterprises.
const demoSize = 200

// demoSeed fixes the demo generator so that every machine gets the same data.
const demoSeed1, demoSeed2 = 0x500109, 2026

// factYears are the fiscal years the demo holds facts for.
var factYears = []int{2023, 2024, 2025}

// demoFirm is one demo enterprise: its profile, its facts per fiscal year
// (oldest first) and its tags.
type demoFirm struct {
	in    enterprise.Input // profile fields, no facts
	facts []yearFacts
	tags  []enterprise.TagInput
}

// yearFacts are one fiscal year's figures; money in 万元 (converted to fen
// when loaded), nil when not reported.
type yearFacts struct {
	year                                  int
	employees                             *int64
	revenue, assets, taxable, rd, exports *float64
	techStaff                             *int64
	hightech, costs                       *float64 // 高新技术产品（服务）收入, 成本费用支出总额
	ipClass1, ipClass2                    *int64
}

// input returns the service input for the firm's facts of one year.
func (y yearFacts) input() enterprise.Input {
	in := enterprise.Input{FiscalYear: y.year}
	if y.employees != nil {
		in.Employees = enterprise.Some(*y.employees)
	}
	if y.techStaff != nil {
		in.TechStaff = enterprise.Some(*y.techStaff)
	}
	if y.ipClass1 != nil {
		in.IPClass1 = enterprise.Some(*y.ipClass1)
	}
	if y.ipClass2 != nil {
		in.IPClass2 = enterprise.Some(*y.ipClass2)
	}
	for _, m := range []struct {
		v   *float64
		dst *enterprise.Maybe[int64]
	}{{y.revenue, &in.RevenueFen}, {y.assets, &in.AssetsFen}, {y.taxable, &in.TaxableIncomeFen}, {y.rd, &in.RDExpenseFen}, {y.exports, &in.ExportsFen},
		{y.hightech, &in.HighTechRevenueFen}, {y.costs, &in.CostsFen}} {
		if m.v != nil {
			*m.dst = enterprise.Some(wanToFen(*m.v))
		}
	}
	return in
}

// wanToFen converts 万元 to fen, rounded to whole yuan as annual reports are.
func wanToFen(wan float64) int64 {
	return int64(math.Round(wan*money.FenPerWan/money.FenPerYuan)) * money.FenPerYuan
}

func ptr[T any](v T) *T { return &v }

// demoFirms returns the demo enterprises: the showcase firms that the demo
// accounts are bound to, then the generated ones. The result is the same on
// every call and every machine.
var demoFirms = sync.OnceValue(func() []demoFirm {
	g := &demoGen{
		r:      rand.New(rand.NewPCG(demoSeed1, demoSeed2)),
		bodies: map[string]bool{},
		names:  map[string]bool{},
	}
	showcase := showcaseFirms()
	firms := slices.Clone(showcase)
	perStreet := map[string]int{}
	for _, f := range firms {
		g.bodies[f.in.CreditCode.V[8:16]] = true
		g.names[f.in.Name.V] = true
		perStreet[f.in.RegionCode.V]++
	}
	// Every street and town gets at least two firms; the rest follow the weights.
	var streets []demoStreet
	for _, s := range demoStreets {
		for perStreet[s.code] < 2 {
			streets = append(streets, s)
			perStreet[s.code]++
		}
	}
	total := 0
	for _, s := range demoStreets {
		total += s.weight
	}
	for len(firms)+len(streets) < demoSize {
		n := g.r.IntN(total)
		for _, s := range demoStreets {
			if n -= s.weight; n < 0 {
				streets = append(streets, s)
				break
			}
		}
	}
	for _, s := range streets {
		firms = append(firms, g.firm(s))
	}
	// A few manufacturers have not filed their 2025 revenue yet, so their size
	// class is unknown: employees alone cannot decide it.
	unknown := 0
	for i := len(showcase); i < len(firms) && unknown < 4; i += 7 {
		f := &firms[i]
		last := &f.facts[len(f.facts)-1]
		if standards.SectionOf(f.in.IndustryCode.V) == "C" && len(f.facts) == len(factYears) && *last.employees >= 20 {
			last.revenue, last.assets, last.taxable, last.rd, last.exports = nil, nil, nil, nil, nil
			unknown++
		}
	}
	// One generated trader is on the dishonest list.
	for i := range firms {
		f := &firms[i]
		if !f.in.Dishonest.V && strings.HasPrefix(f.in.IndustryCode.V, "51") && i > 40 {
			f.in.Dishonest = enterprise.Some(true)
			f.in.DishonestNote = enterprise.Some("未按期履行行政处罚决定，2025-06-20 被列入市场监督管理严重违法失信名单")
			f.in.TaxCreditGrade = enterprise.Some("D")
			f.tags = slices.DeleteFunc(f.tags, func(t enterprise.TagInput) bool { return t.Code != "small_taxpayer" })
			break
		}
	}
	return firms
})

// demoGen draws demo firms from one random stream.
type demoGen struct {
	r      *rand.Rand
	bodies map[string]bool // organisation-code bodies in use
	names  map[string]bool
}

func (g *demoGen) between(lo, hi float64) float64 { return lo + g.r.Float64()*(hi-lo) }

// logBetween draws from [lo, hi] evenly on a log scale, as firm sizes are.
func (g *demoGen) logBetween(lo, hi int) int64 {
	return int64(math.Round(math.Exp(g.between(math.Log(float64(lo)), math.Log(float64(hi))))))
}

func (g *demoGen) pick(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.r.IntN(total)
	for i, w := range weights {
		if n -= w; n < 0 {
			return i
		}
	}
	return len(weights) - 1
}

// body draws a fresh organisation-code body: 8 digits for firms registered
// before the 2015 reform, the MA-prefixed form that market regulation issues
// since (Chongqing's blocks start 5U, 5Y, 60, 61).
func (g *demoGen) body(year int) string {
	for {
		var b string
		if year < 2015 {
			b = fmt.Sprintf("%d%07d", 2+5*g.r.IntN(2), g.r.IntN(10_000_000))
		} else {
			buf := []byte("MA" + []string{"5U", "5Y", "60", "61"}[g.r.IntN(4)] + "0000")
			base31(buf[4:], g.r.Uint64N(31*31*31*31))
			b = string(buf)
		}
		if !g.bodies[b] {
			g.bodies[b] = true
			return b
		}
	}
}

func (g *demoGen) date(fromYear, toYear int) string {
	y := fromYear + g.r.IntN(toYear-fromYear+1)
	return fmt.Sprintf("%04d-%02d-%02d", y, 1+g.r.IntN(12), 1+g.r.IntN(28))
}

// firm draws one firm on street s.
func (g *demoGen) firm(s demoStreet) demoFirm {
	weights := make([]int, len(demoProfiles))
	for i, p := range demoProfiles {
		weights[i] = p.weight[s.kind]
	}
	p := demoProfiles[g.pick(weights)]
	k := g.r.IntN(len(p.classes))
	class, word := p.classes[k], p.words[k%len(p.words)]
	tier := sizeTier(g.pick(p.tiers[:]))

	regFrom := [4]int{1995, 1998, 2003, 2008}[tier]
	regTo := [4]int{2012, 2018, 2023, 2025}[tier]
	registered := g.date(regFrom, regTo)
	regYear := atoi(registered[:4])

	ownership := "limited"
	switch n := g.r.IntN(100); {
	case tier <= tierMedium && n < 25:
		ownership = "joint_stock"
	case n < 3:
		ownership = "foreign"
	case n < 5:
		ownership = "hmt"
	case n < 30:
		ownership = "private"
	}
	suffix := "有限公司"
	if ownership == "joint_stock" {
		suffix = "股份有限公司"
	}
	var name string
	for {
		prefix := "重庆"
		if g.r.IntN(2) == 0 {
			prefix = "重庆北碚"
		}
		name = prefix + brands[g.r.IntN(len(brands))] + word + suffix
		if !g.names[name] {
			g.names[name] = true
			break
		}
	}
	rep := personName(g.r)
	contact := rep
	if g.r.IntN(10) < 4 {
		contact = personName(g.r)
	}
	streetName := regionName(s.code)
	addr := fmt.Sprintf("重庆市北碚区%s%s %d 号", streetName, s.roads[g.r.IntN(len(s.roads))], 1+g.r.IntN(300))
	capital := [4][2]int{{5000, 60000}, {1000, 8000}, {100, 2000}, {10, 500}}[tier]

	grade := "B"
	switch n := g.r.IntN(100); {
	case regYear >= 2025:
		grade = "M"
	case tier <= tierMedium && n < 60, tier == tierSmall && n < 25, n < 10:
		grade = "A"
	case n > 95:
		grade = "C"
	}
	in := enterprise.Input{
		CreditCode:           enterprise.Some(creditCode("91", beibei, g.body(regYear))),
		Name:                 enterprise.Some(name),
		LegalRep:             enterprise.Some(rep),
		RegisteredOn:         enterprise.Some(registered),
		RegionCode:           enterprise.Some(s.code),
		Address:              enterprise.Some(addr),
		IndustryCode:         enterprise.Some(class),
		Ownership:            enterprise.Some(ownership),
		RegisteredCapitalFen: enterprise.Some(g.logBetween(capital[0], capital[1]) * money.FenPerWan),
		ContactName:          enterprise.Some(contact),
		ContactPhone:         enterprise.Some(mobile(g.r)),
		BusinessScope:        enterprise.Some(p.scope),
		TaxCreditGrade:       enterprise.Some(grade),
	}
	f := demoFirm{in: in, facts: g.facts(p, tier, regYear)}
	f.tags = g.tags(p, tier, registered, f.facts)
	return f
}

// facts draws the firm's figures for each fiscal year since it registered,
// from the latest year backwards with a plausible growth rate.
func (g *demoGen) facts(p demoProfile, tier sizeTier, regYear int) []yearFacts {
	emp := float64(g.logBetween(p.emp[tier][0], p.emp[tier][1]))
	rev := emp * g.between(p.revEmp[0], p.revEmp[1])
	assetRatio := g.between(p.assets[0], p.assets[1])
	margin := g.between(-0.01, 0.12)
	rdShare, techShare := 0.0, 0.0
	if p.tech || (p.manuf && g.r.IntN(10) < 4) {
		rdShare, techShare = g.between(0.006, 0.03), g.between(0.04, 0.12)
		if p.tech {
			rdShare, techShare = g.between(0.03, 0.09), g.between(0.12, 0.45)
		}
	}
	exportShare := 0.0
	if g.r.Float64() < p.exportP {
		exportShare = g.between(0.05, 0.45)
	}
	var out []yearFacts
	for i := len(factYears) - 1; i >= 0; i-- {
		y := factYears[i]
		if y < regYear {
			break
		}
		e := max(int64(math.Round(emp)), 1)
		yf := yearFacts{year: y, employees: ptr(e), revenue: ptr(round2(rev)), assets: ptr(round2(rev * assetRatio)),
			taxable: ptr(round2(max(rev*margin, 0))), costs: ptr(round2(rev * (1 - margin)))}
		if rdShare > 0 {
			yf.rd = ptr(round2(rev * rdShare))
			yf.techStaff = ptr(max(int64(float64(e)*techShare), 1))
			// Innovation facts follow the draws above rather than drawing
			// anew, so the firms drawn before them stay as they were: the
			// more R&D and tech staff, the more high-tech revenue and IP.
			yf.hightech = ptr(round2(rev * min(0.35+techShare+rdShare*3, 0.95)))
			yf.ipClass1 = ptr(int64(max(rdShare*100-3, 0)))
			yf.ipClass2 = ptr(int64(techShare*20) + int64(rdShare*100))
		}
		if exportShare > 0 {
			yf.exports = ptr(round2(rev * exportShare))
		}
		out = append(out, yf)
		// The year before: revenue 0–18% lower (or a little higher), staff a little fewer.
		rev /= g.between(0.97, 1.18)
		emp /= g.between(0.98, 1.08)
		margin += g.between(-0.01, 0.01)
	}
	slices.Reverse(out)
	return out
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// tags draws the firm's qualifications with their validity periods.
func (g *demoGen) tags(p demoProfile, tier sizeTier, registered string, facts []yearFacts) []enterprise.TagInput {
	var out []enterprise.TagInput
	add := func(code, from, to, cert string) {
		if from < registered {
			from = registered
		}
		out = append(out, enterprise.TagInput{Code: code, ValidFrom: from, ValidTo: to, CertificateNo: cert})
	}
	regYear := atoi(registered[:4])
	sme := tier != tierLarge
	if p.tech && tier <= tierSmall && regYear <= 2022 && g.r.IntN(10) < 6 {
		// 高新技术企业: certificates run three years (国科发火〔2016〕32号 第十二条); Chongqing's are GR{year}55…
		from := g.date(2023, 2025)[:5] + fmt.Sprintf("%02d-%02d", 10+g.r.IntN(3), 1+g.r.IntN(28))
		add("high_tech", from, addYears(from, 3), fmt.Sprintf("GR%s551%05d", from[:4], g.r.IntN(100000)))
	}
	if p.tech && sme && g.r.IntN(10) < 7 {
		// 科技型中小企业: entered each year, valid to the end of that year (国科发政〔2022〕67号).
		from := fmt.Sprintf("2026-%02d-%02d", 3+g.r.IntN(5), 1+g.r.IntN(28))
		add("tech_sme", from, "2026-12-31", fmt.Sprintf("2026500109A%05d", g.r.IntN(100000)))
	}
	if p.manuf && sme && tier <= tierSmall && facts[len(facts)-1].rd != nil && g.r.IntN(10) < 4 {
		from := g.date(2023, 2025)
		add("specialized", from, addYears(from, 3), "")
		if tier == tierMedium && g.r.IntN(3) == 0 {
			from := fmt.Sprintf("2025-%02d-%02d", 7+g.r.IntN(3), 1+g.r.IntN(28))
			add("little_giant", from, addYears(from, 3), "")
		}
	}
	if tier == tierMicro && g.r.IntN(10) < 7 || tier == tierSmall && !p.manuf && g.r.IntN(10) < 3 {
		add("small_taxpayer", registered, "", "")
	}
	if p.manuf && tier <= tierMedium {
		if g.r.IntN(10) < 5 {
			add("digital_workshop", g.date(2021, 2025), "", "")
		}
		if tier == tierLarge && g.r.IntN(2) == 0 || g.r.IntN(10) == 0 {
			add("smart_factory", g.date(2022, 2025), "", "")
		}
		if g.r.IntN(6) == 0 {
			add("green_factory", g.date(2021, 2025), "", "")
		}
	}
	if g.r.IntN(100) < [4]int{70, 40, 15, 5}[tier] {
		add("integrity_alliance", g.date(2023, 2025), "", "")
	}
	if tier <= tierMedium && (p.tech || p.manuf) && g.r.IntN(5) == 0 {
		add("ipo_reserve", g.date(2024, 2025), "", "")
	}
	if regYear >= 2023 {
		add("startup", registered, addYears(registered, 3), "")
	}
	if p.build && tier <= tierSmall {
		// 建筑业企业资质证书 numbers read D + province code + serial.
		add(enterprise.TagQualifiedLimit, g.date(2018, 2024), "", fmt.Sprintf("D350%06d", g.r.IntN(1_000_000)))
	}
	return out
}

// addYears returns the last day of a validity of n years starting on date.
func addYears(date string, n int) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		panic(err)
	}
	return t.AddDate(n, 0, -1).Format(time.DateOnly)
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// regionName is the name of a region code, "" if unknown.
func regionName(code string) string {
	r, _ := standards.LookupRegion(code)
	return r.Name
}
