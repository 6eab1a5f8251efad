package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/standards"
)

// Synthetic rows are a pure function of (seed, row number, first id), so that
// the same call on two empty databases writes the same rows.
const (
	// syntheticYear is the fiscal year of the synthetic facts.
	syntheticYear = 2025
	// chunkRows is the unit of generation: each chunk has its own random
	// stream, so chunks can be generated in parallel and in any order.
	chunkRows = 1000
	// syntheticBodyPrefix starts the organisation-code body of every
	// synthetic firm; demo firms use digits or "MA", so they never collide.
	syntheticBodyPrefix = "MC"
)

// syntheticEpoch is the created_at and updated_at of synthetic rows: a fixed
// time rather than the clock, so that runs are reproducible.
var syntheticEpoch = time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC)

// Column lists of the bulk inserts, in the order synRow holds them.
var (
	entColumns = []string{"id", "credit_code", "name", "legal_rep", "registered_on", "region_code", "address",
		"industry_code", "industry_section", "ownership", "registered_capital_fen", "contact_name", "contact_phone",
		"business_scope", "tax_credit_grade", "dishonest", "dishonest_note", "facts_year", "size_class", "above_scale",
		"created_at", "updated_at", "version"}
	factColumns = []string{"enterprise_id", "fiscal_year", "employees", "revenue_fen", "assets_fen", "taxable_income_fen",
		"rd_expense_fen", "tech_staff", "exports_fen", "hightech_revenue_fen", "costs_fen", "ip_class1", "ip_class2",
		"source", "verified", "updated_at"}
	tagColumns = []string{"enterprise_id", "tag_code", "valid_from", "valid_to", "certificate_no", "created_at"}
)

const (
	entCols  = 23
	factCols = 16
	tagCols  = 6
)

// synRow is one generated enterprise as column values ready to insert.
type synRow struct {
	ent      [entCols]any
	fact     [factCols]any
	hasFacts bool
	tags     [][tagCols]any
}

// synChunk is chunkRows consecutive rows (fewer in the last chunk).
type synChunk struct {
	no   int
	rows []synRow
	tags int // number of tag rows
}

// chunkRand returns the random stream of one chunk. The chunk number is
// mixed (SplitMix64) so that neighbouring chunks get unrelated streams.
func chunkRand(seed uint64, chunk int) *rand.Rand {
	z := seed + uint64(chunk+1)*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	z ^= z >> 31
	return rand.New(rand.NewPCG(seed, z))
}

// genChunk generates chunk no of a run of n rows whose first id is firstID.
func genChunk(seed uint64, no, n int, firstID int64) (*synChunk, error) {
	r := chunkRand(seed, no)
	start := no * chunkRows
	size := min(chunkRows, n-start)
	c := &synChunk{no: no, rows: make([]synRow, size)}
	streets, classes := synStreets(), synClasses()
	for i := range c.rows {
		if err := genRow(r, &c.rows[i], firstID+int64(start+i), streets, classes); err != nil {
			return nil, err
		}
		c.tags += len(c.rows[i].tags)
	}
	return c, nil
}

// lognormal draws exp(N(ln median, sigma)).
func lognormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

func genRow(r *rand.Rand, row *synRow, id int64, streets *weighted[synStreet], classes *weighted[synClass]) error {
	st := streets.draw(r)
	cl := classes.draw(r)

	var body [8]byte
	copy(body[:], syntheticBodyPrefix)
	if !base31(body[2:], uint64(id)) {
		return fmt.Errorf("synthetic id %d does not fit a 6-character serial", id)
	}
	code := creditCode("91", st.district, string(body[:]))

	year := max(1990, syntheticYear-int(r.ExpFloat64()*6))
	registered := dateOf(year, 1+r.IntN(12), 1+r.IntN(28))

	ownership := *ownershipShares.draw(r)
	suffix := "有限公司"
	if ownership == "joint_stock" {
		suffix = "股份有限公司"
	}
	prefix := "重庆"
	if r.IntN(2) == 0 {
		prefix = st.namePrefix
	}
	name := prefix + brands[r.IntN(len(brands))] + cl.word + suffix
	rep := personName(r)
	contact := rep
	if r.IntN(10) < 4 {
		contact = personName(r)
	}
	address := st.addrPrefix + st.roadStem + [...]string{"路", "大道", "街", "一路", "二路"}[r.IntN(5)] + " " + strconv.Itoa(1+r.IntN(400)) + " 号"

	// Facts: employees log-normal, revenue correlated through revenue per
	// head, assets through the asset/revenue ratio; a few figures missing.
	sc := cl.scale
	empF := lognormal(r, sc.empMedian, sc.empSigma)
	if r.IntN(100) < 3 {
		empF *= lognormal(r, 8, 0.8) // established firms: the fat tail of firm sizes
	}
	emp := min(max(int64(math.Round(empF)), 1), 60000)
	revWan := float64(emp) * lognormal(r, sc.revPerEmp, 0.7)
	rev := wanToFen(revWan)
	assets := wanToFen(revWan * lognormal(r, sc.assetsPerRev, 0.6))
	capital := int64(math.Round(lognormal(r, 30*math.Sqrt(float64(emp)), 1.0))) * money.FenPerWan

	hasFacts := r.IntN(100) >= 3
	var empP, revP, assetsP *int64
	if hasFacts {
		if r.IntN(100) >= 2 {
			empP = &emp
		}
		if r.IntN(100) >= 2 {
			revP = &rev
		}
		if r.IntN(100) >= 4 {
			assetsP = &assets
		}
	}

	// The qualification that makes 建筑业 and 房地产开发 限额以上 feeds 规上 status.
	qualified := (cl.section == "E" && emp >= 20 && r.IntN(2) == 0) || (cl.code == "7010" && r.IntN(10) < 6)
	size := standards.SizeClassOf(standards.SizeInput{IndustryCode: cl.code, Employees: empP, RevenueFen: revP, AssetsFen: assetsP})
	above := standards.AboveScaleOf(standards.AboveScaleInput{IndustryCode: cl.code, RevenueFen: revP, QualifiedTag: qualified})
	techFirm := sc.tech && size.Class != standards.SizeMicro && r.IntN(100) < 12
	tags := drawTags(r, id, cl, size.Class, registered, qualified, techFirm)

	grade, dishonest, note := drawGrade(r, year), false, ""
	if r.IntN(1000) < 3 {
		dishonest, note, grade = true, "列入严重失信主体名单（合成数据）", "D"
	}

	var factsYear, aboveV any
	if hasFacts {
		factsYear = syntheticYear
	}
	if above.Status != nil {
		aboveV = *above.Status
	}
	row.ent = [entCols]any{id, code, name, rep, registered, st.code, address,
		cl.code, cl.section, ownership, capital, contact, mobile(r),
		cl.name, grade, dishonest, note, factsYear, string(size.Class), aboveV,
		syntheticEpoch, syntheticEpoch, 1}
	row.hasFacts = hasFacts
	if hasFacts {
		var taxable, rd, tech, exports any
		if revP != nil {
			taxable = rev / 100 * int64(r.IntN(15)) // a margin of 0–14 %
		}
		if revP != nil && (techFirm || (sc.tech && r.IntN(5) == 0)) {
			share := 0.005 + r.Float64()*0.06
			rd = int64(float64(rev)*share) / money.FenPerYuan * money.FenPerYuan
			tech = max(int64(float64(emp)*(0.03+r.Float64()*0.35)), 1)
		}
		if revP != nil && cl.section == "C" && r.IntN(10) == 0 {
			exports = int64(float64(rev)*(0.05+r.Float64()*0.5)) / money.FenPerYuan * money.FenPerYuan
		}
		var hightech, costs, ip1, ip2 any
		if rd != nil {
			hightech, costs, ip1, ip2 = drawInnovation(id, rev)
		}
		row.fact = [factCols]any{id, syntheticYear, nullable(empP), nullable(revP), nullable(assetsP), taxable, rd, tech,
			exports, hightech, costs, ip1, ip2, "seed", false, syntheticEpoch}
	}
	row.tags = tags
	return nil
}

// drawInnovation draws the innovation facts of a firm that reports R&D:
// high-tech revenue (for most), total costs, and intellectual property. It
// draws from its own stream, seeded by the id, so that the firms drawn
// before these facts existed stay as they were.
func drawInnovation(id, revenueFen int64) (hightech, costs, ip1, ip2 any) {
	r := rand.New(rand.NewPCG(uint64(id), 0x1a0c))
	yuan := func(f float64) int64 { return int64(f) / money.FenPerYuan * money.FenPerYuan }
	if r.IntN(10) < 7 {
		hightech = yuan(float64(revenueFen) * (0.3 + r.Float64()*0.65))
	}
	if r.IntN(10) < 8 {
		costs = yuan(float64(revenueFen) * (0.7 + r.Float64()*0.3))
	}
	if r.IntN(10) < 8 {
		ip1, ip2 = int64(max(r.IntN(6)-3, 0)), int64(r.IntN(9))
	}
	return hightech, costs, ip1, ip2
}

// drawGrade draws a 纳税信用级别; firms registered in the fiscal year are M
// (new), and a few have none yet.
func drawGrade(r *rand.Rand, year int) string {
	switch n := r.IntN(100); {
	case year >= syntheticYear:
		return "M"
	case n < 20:
		return "A"
	case n < 75:
		return "B"
	case n < 92:
		return "M"
	case n < 97:
		return "C"
	case n < 98:
		return "D"
	}
	return ""
}

// drawTags draws a synthetic firm's tags as enterprise_tags rows.
func drawTags(r *rand.Rand, id int64, cl *synClass, size standards.SizeClass, registered string, qualified, techFirm bool) [][tagCols]any {
	var tags [][tagCols]any
	add := func(code string, from string, to any) {
		if from < registered { // a tag cannot start before the firm exists
			from = registered
		}
		tags = append(tags, [tagCols]any{id, code, from, to, "", syntheticEpoch})
	}
	randomDate := func(from, to int) string {
		return dateOf(from+r.IntN(to-from+1), 1+r.IntN(12), 1+r.IntN(28))
	}
	if qualified {
		add(enterprise.TagQualifiedLimit, registered, nil)
	}
	if size == standards.SizeMicro && r.IntN(2) == 0 || size == standards.SizeSmall && r.IntN(5) == 0 {
		add("small_taxpayer", registered, nil)
	}
	if techFirm && registered < "2023" && r.IntN(2) == 0 {
		// 高新技术企业 certificates are issued in the last quarter and run three years.
		from := dateOf(2023+r.IntN(3), 10+r.IntN(3), 1+r.IntN(28))
		add("high_tech", from, addYears(from, 3))
	}
	if techFirm && size != standards.SizeLarge && r.IntN(3) > 0 {
		// 科技型中小企业 entries are valid to the end of their year.
		add("tech_sme", dateOf(syntheticYear+1, 3+r.IntN(5), 1+r.IntN(28)), dateOf(syntheticYear+1, 12, 31))
	}
	if cl.section == "C" && (size == standards.SizeSmall || size == standards.SizeMedium) && r.IntN(50) == 0 {
		from := randomDate(2023, 2025)
		add("specialized", from, addYears(from, 3))
	}
	if r.IntN(100) == 0 {
		add("integrity_alliance", randomDate(2023, 2025), nil)
	}
	if registered >= "2023" && r.IntN(3) == 0 {
		add("startup", registered, addYears(registered, 3))
	}
	return tags
}

func nullable(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// dateOf formats a date as YYYY-MM-DD (without fmt: it runs once per row).
func dateOf(y, m, d int) string {
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return string(b[:])
}
