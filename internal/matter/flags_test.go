package matter_test

import (
	"slices"
	"testing"

	"github.com/qinqing/qinqing/internal/matter"
)

func TestFlagsFollowTheElements(t *testing.T) {
	applicant := matter.Material{Name: "申请书", Required: true, Source: matter.SourceApplicant}
	optional := matter.Material{Name: "委托书", Required: false, Source: matter.SourceApplicant}
	shared := matter.Material{Name: "营业执照", Required: true, Source: matter.SourceLicense, SourceRef: "营业执照"}
	fromDept := matter.Material{Name: "清税信息", Required: true, Source: matter.SourceDepartment, SourceRef: "SWJ"}
	for _, tc := range []struct {
		name string
		v    matter.Version
		want []string
	}{
		{"no visit, fully online, only shared materials, decided on the spot",
			matter.Version{Visits: 0, OnlineDepth: 4, CaseType: matter.CaseInstant, Materials: []matter.Material{shared, fromDept, optional}},
			[]string{"zero_visit", "max_one_visit", "full_online", "zero_materials", "instant"}},
		{"one visit, partly online, an applicant document, a promise case",
			matter.Version{Visits: 1, OnlineDepth: 3, CaseType: matter.CasePromise, Materials: []matter.Material{applicant, shared}},
			[]string{"max_one_visit"}},
		{"two or more visits, information only",
			matter.Version{Visits: 2, OnlineDepth: 1, CaseType: matter.CasePromise, Materials: []matter.Material{applicant}},
			[]string{}},
		{"no materials at all is zero materials",
			matter.Version{Visits: 1, OnlineDepth: 2, CaseType: matter.CasePromise},
			[]string{"max_one_visit", "zero_materials"}},
		{"an optional applicant document does not spoil zero materials",
			matter.Version{Visits: 0, OnlineDepth: 3, CaseType: matter.CasePromise, Materials: []matter.Material{optional}},
			[]string{"zero_visit", "max_one_visit", "zero_materials"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.v.Flags().List(); !slices.Equal(got, tc.want) {
				t.Errorf("flags = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFlagLabelsAreChinese(t *testing.T) {
	for name, zh := range map[string]string{"zero_visit": "零跑腿", "max_one_visit": "最多跑一次", "full_online": "全程网办",
		"zero_materials": "零材料", "instant": "即办件", "in_bundle": "一件事"} {
		if got := matter.FlagLabel(name).Zh; got != zh {
			t.Errorf("%s = %s, want %s", name, got, zh)
		}
	}
}
