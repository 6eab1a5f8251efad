package standards

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// RegionLevel is the level of a division code in Chongqing's hierarchy.
type RegionLevel int

// Region levels, from the province down to 街道/镇/乡.
const (
	RegionProvince RegionLevel = iota + 1 // 省级 (重庆市, 500000).
	RegionCity                            // 地级 grouping of a 直辖市: 500100 市辖区 or 500200 县.
	RegionDistrict                        // 县级: 区, 县 and 自治县 (6 digits).
	RegionStreet                          // 乡级: 街道, 镇 and 乡 (9 digits).
)

// String returns the level's English name.
func (l RegionLevel) String() string {
	switch l {
	case RegionProvince:
		return "province"
	case RegionCity:
		return "city"
	case RegionDistrict:
		return "district"
	case RegionStreet:
		return "street"
	}
	return fmt.Sprintf("RegionLevel(%d)", int(l))
}

// Region is one Chongqing division under GB/T 2260 and the statistics
// bureau's 统计用区划代码.
type Region struct {
	Code   string      // 6 digits (province, grouping, district) or 9 digits (street).
	Name   string      // Official Chinese name.
	Level  RegionLevel // Province, city grouping, district or street.
	Parent string      // Province for groupings and districts (the grouping is skipped), district for streets, "" for the province.
}

// chongqingCode is Chongqing's GB/T 2260 province-level code.
const chongqingCode = "500000"

// regionTable is the parsed Chongqing division data.
type regionTable struct {
	byCode    map[string]Region
	districts []Region            // all 38 districts, sorted by code
	children  map[string][]Region // grouping or district → members, sorted by code
}

// regions parses the embedded Chongqing division data once, on first use.
var regions = sync.OnceValue(func() *regionTable {
	t := &regionTable{byCode: make(map[string]Region), children: make(map[string][]Region)}
	add := func(r Region) {
		if _, dup := t.byCode[r.Code]; dup {
			panic(fmt.Sprintf("standards: duplicate region code %q", r.Code))
		}
		t.byCode[r.Code] = r
	}
	// GB/T 2260: a 直辖市's second level is the statistical grouping 市辖区
	// (xx01xx) or 县 (xx02xx); it has no government of its own.
	add(Region{Code: chongqingCode, Name: "重庆市", Level: RegionProvince})
	add(Region{Code: "500100", Name: "市辖区", Level: RegionCity, Parent: chongqingCode})
	add(Region{Code: "500200", Name: "县", Level: RegionCity, Parent: chongqingCode})

	for _, r := range readCSV("chongqing_districts_tjyqh.csv", districtsCSV, "code", "name", "cityCode", "provinceCode") {
		group := r[2] + "00"
		if len(r[0]) != 6 || !strings.HasPrefix(r[0], r[2]) || r[3] != "50" {
			panic(fmt.Sprintf("standards: chongqing_districts_tjyqh.csv: bad row %q", r))
		}
		d := Region{Code: r[0], Name: r[1], Level: RegionDistrict, Parent: chongqingCode}
		add(d)
		t.districts = append(t.districts, d)
		t.children[group] = append(t.children[group], d)
	}
	for _, r := range readCSV("chongqing_streets_tjyqh.csv", streetsCSV, "code", "name", "areaCode", "provinceCode", "cityCode") {
		if len(r[0]) != 9 || !strings.HasPrefix(r[0], r[2]) {
			panic(fmt.Sprintf("standards: chongqing_streets_tjyqh.csv: bad row %q", r))
		}
		if _, ok := t.byCode[r[2]]; !ok {
			panic(fmt.Sprintf("standards: chongqing_streets_tjyqh.csv: unknown district %q", r[2]))
		}
		s := Region{Code: r[0], Name: r[1], Level: RegionStreet, Parent: r[2]}
		add(s)
		t.children[r[2]] = append(t.children[r[2]], s)
	}
	byCode := func(a, b Region) int { return strings.Compare(a.Code, b.Code) }
	slices.SortFunc(t.districts, byCode)
	for _, kids := range t.children {
		slices.SortFunc(kids, byCode)
	}
	t.children[chongqingCode] = t.districts
	return t
})

// normaliseRegionCode converts the accepted spellings of a division code to
// the canonical 6- or 9-digit form. 统计用区划代码 are 12 digits: county (6) +
// town (3) + village (3); trailing zero parts denote the higher level.
// 2- and 4-digit GB/T 2260 prefixes are padded with zeros.
func normaliseRegionCode(code string) (string, bool) {
	code = strings.TrimSpace(code)
	for _, r := range code {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	switch len(code) {
	case 2:
		return code + "0000", true
	case 4:
		return code + "00", true
	case 6:
		return code, true
	case 9:
		if strings.HasSuffix(code, "000") {
			return code[:6], true
		}
		return code, true
	case 12:
		if !strings.HasSuffix(code, "000") {
			return "", false // village level (村/居委会) is not held
		}
		return normaliseRegionCode(code[:9])
	}
	return "", false
}

// LookupRegion finds a Chongqing division by its 6-, 9- or 12-digit code
// (a 12-digit 统计用区划代码 is normalised to 6 or 9 digits).
func LookupRegion(code string) (Region, bool) {
	c, ok := normaliseRegionCode(code)
	if !ok {
		return Region{}, false
	}
	r, ok := regions().byCode[c]
	return r, ok
}

// RegionChildren returns the divisions directly below code sorted by code:
// the 38 districts for the province (skipping the 市辖区/县 groupings), a
// grouping's districts, or a district's streets; nil for a street or an
// unknown code.
func RegionChildren(code string) []Region {
	r, ok := LookupRegion(code)
	if !ok {
		return nil
	}
	kids := regions().children[r.Code]
	if len(kids) == 0 {
		return nil
	}
	return slices.Clone(kids)
}

// RegionPath returns the chain province → district → street ending at code
// (province → grouping for a grouping), or nil if the code is unknown.
func RegionPath(code string) []Region {
	r, ok := LookupRegion(code)
	if !ok {
		return nil
	}
	t := regions()
	path := []Region{r}
	for r.Parent != "" {
		r = t.byCode[r.Parent]
		path = append(path, r)
	}
	slices.Reverse(path)
	return path
}

// RegionFullName returns the names along the path joined without separators,
// e.g. "重庆市北碚区天生街道", or "" if the code is unknown.
func RegionFullName(code string) string {
	var b strings.Builder
	for _, r := range RegionPath(code) {
		b.WriteString(r.Name)
	}
	return b.String()
}
