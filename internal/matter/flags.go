package matter

import "github.com/qinqing/qinqing/internal/i18n"

// Flags are the reform labels a version earns from its elements. They are
// always computed from the elements (and copied to the matters table for
// filtering on every write), never edited.
type Flags struct {
	ZeroVisit     bool // 零跑腿: no visit to a service hall
	MaxOneVisit   bool // 最多跑一次: at most one visit
	FullOnline    bool // 全程网办: online depth 4
	ZeroMaterials bool // 零材料: the applicant hands in no required material
	Instant       bool // 即办件
}

// The flag names, as List returns them and Filter.Flag takes them.
const (
	FlagZeroVisit     = "zero_visit"
	FlagMaxOneVisit   = "max_one_visit"
	FlagFullOnline    = "full_online"
	FlagZeroMaterials = "zero_materials"
	FlagInstant       = "instant"
	// FlagInBundle marks matters that belong to an active 一件事 bundle; it
	// depends on the bundles, not on the version, so Flags does not carry it.
	FlagInBundle = "in_bundle"
)

// FlagOptions lists every flag name with its label, in display order.
var FlagOptions = []Option{
	{FlagZeroVisit, i18n.M("零跑腿", "No visit")},
	{FlagMaxOneVisit, i18n.M("最多跑一次", "At most one visit")},
	{FlagFullOnline, i18n.M("全程网办", "Fully online")},
	{FlagZeroMaterials, i18n.M("零材料", "No materials")},
	{FlagInstant, i18n.M("即办件", "Decided on the spot")},
	{FlagInBundle, i18n.M("一件事", "Part of a one-thing bundle")},
}

// FlagLabel is the display name of a flag.
func FlagLabel(name string) i18n.Msg { return label(FlagOptions, name) }

// Flags derives the reform labels of v.
func (v Version) Flags() Flags {
	return Flags{
		ZeroVisit:     v.Visits == 0,
		MaxOneVisit:   v.Visits <= 1,
		FullOnline:    v.OnlineDepth == 4,
		ZeroMaterials: zeroMaterials(v.Materials),
		Instant:       v.CaseType == CaseInstant,
	}
}

// zeroMaterials reports whether no required material has to come from the
// applicant: everything needed is shared from licences, departments or the
// platform (once-only).
func zeroMaterials(ms []Material) bool {
	for _, m := range ms {
		if m.Required && m.Source == SourceApplicant {
			return false
		}
	}
	return true
}

// List returns the names of the flags that are set, in FlagOptions order.
func (f Flags) List() []string {
	out := []string{}
	for _, x := range []struct {
		on   bool
		name string
	}{{f.ZeroVisit, FlagZeroVisit}, {f.MaxOneVisit, FlagMaxOneVisit}, {f.FullOnline, FlagFullOnline},
		{f.ZeroMaterials, FlagZeroMaterials}, {f.Instant, FlagInstant}} {
		if x.on {
			out = append(out, x.name)
		}
	}
	return out
}
