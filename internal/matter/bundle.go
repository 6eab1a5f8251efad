package matter

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Bundle is a 一件事 bundle: several departments' matters taken in as one
// application with one merged form, one de-duplicated material list and a
// committed limit of its own.
type Bundle struct {
	Code               string
	Name               string
	NameEn             string
	Description        string
	Events             []string
	CommittedLimitDays int
	LeadDepartmentCode string
	Active             bool
	Members            []Version   // the members' current versions, in bundle order
	FormFields         []FormField // the bundle's own fields; see MergedForm
	Version            int         // bumped on every edit, for optimistic concurrency
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// BundleInput is every editable element of a bundle.
type BundleInput struct {
	Code               string
	Name               string
	NameEn             string
	Description        string
	Events             []string
	CommittedLimitDays int
	LeadDepartmentCode string
	MemberCodes        []string // 实施编码 of the member matters, in order
	FormFields         []FormField
}

// BundleMaterial is one distinct material of a bundle: materials that
// several members ask for under spellings that differ only in brackets,
// spacing or a form suffix (复印件, 原件, 副本 …) appear once.
type BundleMaterial struct {
	Key        string // the normalised name that identifies it
	Name       string // the shortest spelling the members use
	Required   bool   // some member requires it
	Form       string // the strictest form asked for from the applicant (original > copy > electronic)
	Copies     int    // the most copies any member asks for
	Source     string // the least burdensome source any member knows: platform, licence, department, applicant
	SourceRef  string
	Members    []string // codes of the members that list it, in bundle order
	RequiredBy []string // codes of the members that require it
}

// sourceRank orders sources by what they ask of the applicant. In a bundle
// the application is one case: what the platform can fetch for one member
// (or what another member produces, such as the business licence) it can
// fetch for all, so the merged material takes the best source.
var sourceRank = map[string]int{SourcePlatform: 0, SourceLicense: 1, SourceDepartment: 2, SourceApplicant: 3}

var formRank = map[string]int{FormElectronic: 0, FormCopy: 1, FormOriginal: 2}

// Materials returns the bundle's de-duplicated material list in the order
// materials first appear across the members.
func (b Bundle) Materials() []BundleMaterial {
	var out []BundleMaterial
	index := map[string]int{}
	for _, mv := range b.Members {
		for _, m := range mv.Materials {
			key := MaterialKey(m.Name)
			i, ok := index[key]
			if !ok {
				index[key] = len(out)
				out = append(out, BundleMaterial{Key: key, Name: m.Name, Form: m.Form, Copies: m.Copies,
					Source: m.Source, SourceRef: m.SourceRef})
				i = len(out) - 1
			} else {
				merge(&out[i], m)
			}
			bm := &out[i]
			if !slices.Contains(bm.Members, mv.MatterCode) {
				bm.Members = append(bm.Members, mv.MatterCode)
			}
			if m.Required {
				bm.Required = true
				if !slices.Contains(bm.RequiredBy, mv.MatterCode) {
					bm.RequiredBy = append(bm.RequiredBy, mv.MatterCode)
				}
			}
		}
	}
	return out
}

func merge(bm *BundleMaterial, m Material) {
	if utf8.RuneCountInString(m.Name) < utf8.RuneCountInString(bm.Name) {
		bm.Name = m.Name
	}
	switch {
	case sourceRank[m.Source] < sourceRank[bm.Source]:
		bm.Source, bm.SourceRef, bm.Form, bm.Copies = m.Source, m.SourceRef, m.Form, m.Copies
	case m.Source == bm.Source:
		if formRank[m.Form] > formRank[bm.Form] {
			bm.Form = m.Form
		}
		bm.Copies = max(bm.Copies, m.Copies)
	}
}

// MergedForm is the bundle's online form: its own fields, then each
// member's fields in order, a field name asked for once.
func (b Bundle) MergedForm() []FormField {
	out := cloneFields(b.FormFields)
	seen := map[string]bool{}
	for _, f := range out {
		seen[f.Name] = true
	}
	for _, mv := range b.Members {
		for _, f := range mv.FormFields {
			if !seen[f.Name] {
				seen[f.Name] = true
				f.Options = slices.Clone(f.Options)
				out = append(out, f)
			}
		}
	}
	return out
}

// Flags derives the bundle's reform labels: the applicant visits as often
// as the most demanding member needs (the visits happen together at the
// one window), the bundle is fully online only when every member is, it
// needs no materials when its merged list asks the applicant for none, and
// it is instant when its own committed limit is 0.
func (b Bundle) Flags() Flags {
	visits, full := 0, len(b.Members) > 0
	for _, m := range b.Members {
		visits = max(visits, m.Visits)
		full = full && m.OnlineDepth == 4
	}
	zero := true
	for _, m := range b.Materials() {
		if m.Required && m.Source == SourceApplicant {
			zero = false
		}
	}
	return Flags{ZeroVisit: visits == 0, MaxOneVisit: visits <= 1, FullOnline: full, ZeroMaterials: zero,
		Instant: b.CommittedLimitDays == 0}
}

// formSuffixes are words that say in which form a document is handed in,
// not which document it is. Longer spellings come first.
var formSuffixes = []string{
	"原件及复印件", "原件和复印件", "原件或复印件", "复印件及原件", "正副本",
	"复印件", "影印件", "扫描件", "电子件", "电子版", "原件", "正本", "副本", "一份", "1份",
}

// MaterialKey normalises a material name for de-duplication: full-width
// letters, digits and brackets become half-width, spaces go, and form
// words (复印件, 原件, 副本 …) at the end or in brackets are dropped, so
// that "营业执照（副本）复印件" and "营业执照" are the same material.
func MaterialKey(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '\u3000' || unicode.IsSpace(r):
			continue
		case r >= '！' && r <= '～':
			r -= 0xFEE0
		case strings.ContainsRune("【〔［「《", r):
			r = '('
		case strings.ContainsRune("】〕］」》", r):
			r = ')'
		}
		switch r {
		case '[':
			r = '('
		case ']':
			r = ')'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	s := b.String()
	for changed := true; changed; {
		changed = false
		for _, w := range formSuffixes {
			if t, ok := strings.CutSuffix(s, w); ok && t != "" {
				s, changed = t, true
			}
			if strings.Contains(s, "("+w+")") {
				s, changed = strings.ReplaceAll(s, "("+w+")", ""), true
			}
		}
		if t, ok := strings.CutSuffix(s, "()"); ok {
			s, changed = t, true
		}
	}
	return s
}
