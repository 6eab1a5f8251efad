package seed

import (
	"math/rand/v2"
	"sort"
	"strings"
	"sync"

	"github.com/qinqing/qinqing/internal/standards"
)

// weighted draws items in proportion to their weights.
type weighted[T any] struct {
	items []T
	cum   []uint64 // running totals, in millionths
}

func (w *weighted[T]) add(item T, weight float64) {
	if weight <= 0 {
		return
	}
	var last uint64
	if n := len(w.cum); n > 0 {
		last = w.cum[n-1]
	}
	w.items = append(w.items, item)
	w.cum = append(w.cum, last+uint64(weight*1e6+0.5))
}

func (w *weighted[T]) draw(r *rand.Rand) *T {
	x := r.Uint64N(w.cum[len(w.cum)-1])
	return &w.items[sort.Search(len(w.cum), func(i int) bool { return w.cum[i] > x })]
}

// synStreet is a street or town that synthetic firms are registered in.
type synStreet struct {
	code       string // 9 digits
	district   string // 6 digits, the registering authority in the credit code
	namePrefix string // "重庆" + the district's short name, for company names
	addrPrefix string // "重庆市渝北区龙溪街道"
	roadStem   string // "龙溪", road names are built from it
}

// districtWeights are rough relative numbers of enterprises per district
// (main urban districts first): an approximation for load tests, not
// statistics. Districts not listed weigh 1.
var districtWeights = map[string]float64{
	"500112": 14, "500107": 11, "500105": 8, "500106": 7.5, "500103": 7, "500108": 7, "500113": 6, "500109": 5,
	"500101": 5, "500102": 4, "500116": 4, "500118": 3.5, "500117": 3, "500120": 3, "500104": 2.5,
	"500115": 2.2, "500110": 2.2, "500111": 2.2, "500151": 2, "500153": 2, "500154": 2, "500152": 1.6,
	"500155": 1.4, "500119": 1.3, "500231": 1.2, "500156": 0.8, "500241": 0.8, "500230": 0.9, "500236": 0.9,
	"500237": 0.6, "500240": 0.6, "500242": 0.6, "500243": 0.6, "500238": 0.4, "500229": 0.3,
}

// streetKindWeight favours 街道 (urban) over 镇 and 乡 within a district.
func streetKindWeight(name string) float64 {
	switch {
	case strings.HasSuffix(name, "街道"):
		return 3
	case strings.HasSuffix(name, "镇"):
		return 1
	}
	return 0.3
}

// shortDistrict is the name used inside company names: "渝北" for 渝北区,
// "石柱" for 石柱土家族自治县, "忠县" for 忠县.
func shortDistrict(name string) string {
	if strings.Contains(name, "自治县") {
		return string([]rune(name)[:2])
	}
	short := strings.TrimSuffix(strings.TrimSuffix(name, "区"), "县")
	if len([]rune(short)) < 2 {
		return name // 忠县 stays 忠县
	}
	return short
}

var synStreets = sync.OnceValue(func() *weighted[synStreet] {
	w := &weighted[synStreet]{}
	for _, dist := range standards.RegionChildren("500000") {
		streets := standards.RegionChildren(dist.Code)
		total := 0.0
		for _, s := range streets {
			total += streetKindWeight(s.Name)
		}
		dw, ok := districtWeights[dist.Code]
		if !ok {
			dw = 1
		}
		for _, s := range streets {
			stem := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s.Name, "街道"), "镇"), "乡")
			w.add(synStreet{code: s.Code, district: dist.Code, namePrefix: "重庆" + shortDistrict(dist.Name),
				addrPrefix: "重庆市" + dist.Name + s.Name, roadStem: stem}, dw*streetKindWeight(s.Name)/total)
		}
	}
	return w
})

// sectionShares are rough shares (percent) of enterprises by GB/T 4754 门类,
// leaning to manufacturing as Chongqing does. S (public administration) and T
// (international organisations) hold no enterprises.
var sectionShares = map[string]float64{
	"A": 3, "B": 0.3, "C": 14, "D": 0.7, "E": 8, "F": 30, "G": 4, "H": 3.5, "I": 6, "J": 0.8,
	"K": 3, "L": 12, "M": 8, "N": 1, "O": 2.5, "P": 1, "Q": 0.5, "R": 1.7,
}

// divisionFactors scale the divisions whose share of firms differs from
// their share of classes: Chongqing's auto and motorcycle industries are
// large, tobacco, railways and pipelines are state monopolies.
var divisionFactors = map[string]float64{
	"15": 1.5, "16": 0, "17": 0.6, "18": 1.5, "21": 2, "23": 1.5, "25": 0.3, "26": 0.4, "27": 0.6, "28": 0.3,
	"29": 1.5, "31": 0.5, "32": 0.4, "33": 1.5, "36": 5, "37": 1.5, "42": 1.5, "43": 1.5,
	"52": 1.2, "53": 0, "56": 0.2, "57": 0, "66": 0.2,
}

// sectionScale describes firm sizes in a section: employees are log-normal
// around empMedian, revenue per employee (万元) and assets per revenue around
// their medians.
type sectionScale struct {
	empMedian, empSigma float64
	revPerEmp           float64
	assetsPerRev        float64
	tech                bool // R&D and tech staff are common
}

var sectionScales = map[string]sectionScale{
	"A": {5, 1.0, 15, 1.5, false}, "B": {30, 1.0, 60, 2, false}, "C": {12, 1.2, 35, 1.0, true},
	"D": {20, 1.0, 150, 3, false}, "E": {15, 1.2, 60, 1.2, false}, "F": {4, 1.0, 40, 0.5, false},
	"G": {8, 1.1, 50, 1.0, false}, "H": {8, 1.0, 12, 1.0, false}, "I": {8, 1.2, 40, 0.8, true},
	"J": {8, 1.0, 80, 5, false}, "K": {10, 1.1, 150, 4, false}, "L": {5, 1.1, 60, 1.5, false},
	"M": {6, 1.1, 40, 0.8, true}, "N": {10, 1.0, 30, 2, false}, "O": {4, 0.9, 15, 0.6, false},
	"P": {8, 1.0, 15, 1, false}, "Q": {12, 1.1, 25, 1, false}, "R": {5, 1.0, 25, 1.2, false},
}

// synClass is a 4-digit class with what generation needs about it.
type synClass struct {
	code, section, name, word string
	scale                     sectionScale
}

var synClasses = sync.OnceValue(func() *weighted[synClass] {
	w := &weighted[synClass]{}
	for _, sec := range standards.IndustryChildren("") {
		share := sectionShares[sec.Code]
		if share == 0 {
			continue
		}
		var classes []synClass
		var weights []float64
		total := 0.0
		var walk func(code string)
		walk = func(code string) {
			for _, ind := range standards.IndustryChildren(code) {
				if ind.Level < 4 {
					walk(ind.Code)
					continue
				}
				f, ok := divisionFactors[ind.Code[:2]]
				if !ok {
					f = 1
				}
				scale := sectionScales[sec.Code]
				if ind.Code[:2] == "51" {
					scale.revPerEmp = 150 // wholesale turns over far more per head than retail
				}
				classes = append(classes, synClass{code: ind.Code, section: ind.Section, name: ind.Name, word: tradeWord(ind.Code), scale: scale})
				weights = append(weights, f)
				total += f
			}
		}
		walk(sec.Code)
		for i, c := range classes {
			w.add(c, share*weights[i]/total)
		}
	}
	return w
})

// ownershipShares are the registration types of synthetic firms; all are
// enterprises (credit code category 91), so no 个体工商户 or 合作社.
var ownershipShares = func() *weighted[string] {
	w := &weighted[string]{}
	for _, o := range []struct {
		code  string
		share float64
	}{{"limited", 70}, {"private", 20}, {"joint_stock", 3}, {"foreign", 2}, {"hmt", 1}, {"state", 1}, {"collective", 1}} {
		w.add(o.code, o.share)
	}
	return w
}()
