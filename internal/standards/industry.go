package standards

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// Industry is one category of GB/T 4754-2017 国民经济行业分类.
type Industry struct {
	Code    string // "C" for a 门类, otherwise the 2-, 3- or 4-digit code ("36", "367", "3670").
	Name    string // Official Chinese name.
	Level   int    // 1 门类 (section), 2 大类 (division), 3 中类 (group), 4 小类 (class).
	Section string // The 门类 letter the category belongs to.
	Remark  string // The standard's explanatory note, if any.
}

// Industry levels of GB/T 4754-2017 §3 (门类, 大类, 中类, 小类).
const (
	levelSection  = 1
	levelDivision = 2
	levelGroup    = 3
	levelClass    = 4
)

// Qualified returns the code prefixed by its section letter for display,
// e.g. "C3670"; a section is returned as its letter alone.
func (i Industry) Qualified() string {
	if i.Level == levelSection {
		return i.Code
	}
	return i.Section + i.Code
}

// industryTable is the parsed GB/T 4754-2017 classification.
type industryTable struct {
	byCode   map[string]Industry
	sections []Industry            // the 20 门类 in file order (A … T)
	children map[string][]Industry // parent code → children in file order
}

// industries parses the embedded GB/T 4754-2017 table once, on first use.
var industries = sync.OnceValue(func() *industryTable {
	rows := readCSV("gbt4754_2017.csv", gbt4754CSV,
		"level", "menlei", "dalei", "zhonglei", "xiaolei", "code", "name", "remark")
	t := &industryTable{
		byCode:   make(map[string]Industry, len(rows)),
		children: make(map[string][]Industry),
	}
	for _, r := range rows {
		level, err := strconv.Atoi(r[0])
		if err != nil || level < levelSection || level > levelClass {
			panic(fmt.Sprintf("standards: gbt4754_2017.csv: bad level %q", r[0]))
		}
		ind := Industry{Code: r[5], Name: r[6], Level: level, Section: r[1], Remark: r[7]}
		if _, dup := t.byCode[ind.Code]; dup {
			panic(fmt.Sprintf("standards: gbt4754_2017.csv: duplicate code %q", ind.Code))
		}
		t.byCode[ind.Code] = ind
		if level == levelSection {
			t.sections = append(t.sections, ind)
			continue
		}
		parent := r[level-1] // menlei, dalei or zhonglei column
		t.children[parent] = append(t.children[parent], ind)
	}
	return t
})

// normaliseIndustryCode trims and upper-cases code and strips a section
// prefix ("c3670" → "3670"), returning the bare code and the prefix given
// ("" when there was none).
func normaliseIndustryCode(code string) (bare, section string) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) > 1 && code[0] >= 'A' && code[0] <= 'Z' {
		return code[1:], code[:1]
	}
	return code, ""
}

// LookupIndustry finds a GB/T 4754-2017 category by code: a section letter
// ("C"), a 2/3/4-digit code ("36", "367", "3670"), or a section-prefixed code
// ("C3670", "c3670"), whose prefix must be the code's own section.
func LookupIndustry(code string) (Industry, bool) {
	bare, section := normaliseIndustryCode(code)
	ind, ok := industries().byCode[bare]
	if !ok || (section != "" && (ind.Level == levelSection || ind.Section != section)) {
		return Industry{}, false
	}
	return ind, true
}

// IndustryPath returns the chain 门类 → 大类 → 中类 → 小类 ending at code, or nil
// if the code is unknown.
func IndustryPath(code string) []Industry {
	ind, ok := LookupIndustry(code)
	if !ok {
		return nil
	}
	t := industries()
	path := []Industry{t.byCode[ind.Section]}
	// GB/T 4754-2017 §3: a 大类 is the first 2 digits of its 中类 and 小类 codes,
	// a 中类 the first 3 digits of its 小类 codes.
	for n := 2; n <= len(ind.Code) && ind.Level > levelSection; n++ {
		path = append(path, t.byCode[ind.Code[:n]])
	}
	return path
}

// IndustryChildren returns the categories one level below code in file order;
// "" gives the 20 门类, and a 小类 or an unknown code gives nil.
func IndustryChildren(code string) []Industry {
	t := industries()
	if strings.TrimSpace(code) == "" {
		return append([]Industry(nil), t.sections...)
	}
	ind, ok := LookupIndustry(code)
	if !ok {
		return nil
	}
	kids := t.children[ind.Code]
	if len(kids) == 0 {
		return nil
	}
	return append([]Industry(nil), kids...)
}

// SectionOf returns the 门类 letter of code, or "" if the code is unknown.
func SectionOf(code string) string {
	ind, ok := LookupIndustry(code)
	if !ok {
		return ""
	}
	return ind.Section
}

// industryLeaves returns the 小类 at or below ind (ind itself if it is one).
func industryLeaves(ind Industry) []Industry {
	if ind.Level == levelClass {
		return []Industry{ind}
	}
	var out []Industry
	for _, k := range industries().children[ind.Code] {
		out = append(out, industryLeaves(k)...)
	}
	return out
}
