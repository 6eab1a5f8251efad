package matter_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/matter"
)

func names(ms []matter.Matter) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Current.Name)
	}
	return out
}

func TestListFiltersAndOrdersByDepartmentThenName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		licence := matter.Material{Name: "营业执照", Required: true, Form: "electronic", Source: "license", SourceRef: "营业执照"}
		food := sample("01")
		food.Name = "食品经营许可（测试）"
		individual := sample("02")
		individual.Name, individual.CommittedLimitDays, individual.Visits, individual.OnlineDepth = "个体工商户登记（测试）", 0, 0, 4
		individual.Materials, individual.Events = []matter.Material{licence}, []string{"startup"}
		vat := sample("03")
		vat.BasicCode, vat.Code, vat.DepartmentCode, vat.Type = "043101000001", "04310100000150010901", "SWJ", "levy"
		vat.Name, vat.LegalLimitDays, vat.CommittedLimitDays, vat.Visits, vat.OnlineDepth = "增值税申报（测试）", 0, 0, 0, 4
		vat.Events, vat.Materials = []string{"纳税"}, nil
		project := sample("04")
		project.BasicCode, project.Code, project.DepartmentCode, project.Type = "100101000001", "10010100000150010901", "FGW", "other"
		project.Name, project.Visits, project.Events = "投资项目备案（测试）", 2, nil
		for _, in := range []matter.MatterInput{food, individual, vat, project} {
			if _, err := s.Create(admin(), in); err != nil {
				t.Fatalf("%s: %v", in.Name, err)
			}
		}
		for _, tc := range []struct {
			name string
			f    matter.Filter
			want []string
		}{
			{"everything, by department sort order then name", matter.Filter{},
				[]string{project.Name, individual.Name, food.Name, vat.Name}},
			{"one department", matter.Filter{Department: "scjgj"}, []string{individual.Name, food.Name}},
			{"a type by code", matter.Filter{Type: "levy"}, []string{vat.Name}},
			{"a type by label", matter.Filter{Type: "行政许可"}, []string{individual.Name, food.Name}},
			{"zero visit", matter.Filter{Flag: "zero_visit"}, []string{individual.Name, vat.Name}},
			{"at most one visit, by label", matter.Filter{Flag: "最多跑一次"}, []string{individual.Name, food.Name, vat.Name}},
			{"fully online", matter.Filter{Flag: "full_online"}, []string{individual.Name, vat.Name}},
			{"zero materials", matter.Filter{Flag: "zero_materials"}, []string{individual.Name, vat.Name}},
			{"instant", matter.Filter{Flag: "instant"}, []string{individual.Name, vat.Name}},
			{"an event by label", matter.Filter{Event: "纳税"}, []string{vat.Name}},
			{"an event by code", matter.Filter{Event: "food"}, []string{food.Name}},
			{"a flag and a department", matter.Filter{Flag: "zero_visit", Department: "SWJ"}, []string{vat.Name}},
			{"a name substring", matter.Filter{Q: "备案"}, []string{project.Name}},
			{"a code substring, any case", matter.Filter{Q: "0431"}, []string{vat.Name}},
			{"a LIKE wildcard is literal", matter.Filter{Q: "%"}, []string{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.List(anonymous(), tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(names(got), tc.want) {
					t.Errorf("got %v, want %v", names(got), tc.want)
				}
			})
		}
		for _, f := range []matter.Filter{{Flag: "cheap"}, {Type: "行政处罚"}, {Event: "开矿"}} {
			if _, err := s.List(anonymous(), f); !errors.Is(err, errs.ErrInvalid) {
				t.Errorf("filter %+v: err = %v, want invalid", f, err)
			}
		}
		// The stored flags follow every new version.
		m, _ := s.Get(anonymous(), food.Code)
		in := m.Input()
		in.Visits, in.OnlineDepth = 0, 4
		if _, err := s.Update(admin(), m.Code, in, 1); err != nil {
			t.Fatal(err)
		}
		got, _ := s.List(anonymous(), matter.Filter{Flag: "full_online", Department: "SCJGJ"})
		if !slices.Equal(names(got), []string{individual.Name, food.Name}) {
			t.Errorf("after the edit, fully online in SCJGJ = %v", names(got))
		}
		in.Events = []string{"tax"}
		if _, err := s.Update(admin(), m.Code, in, 2); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.List(anonymous(), matter.Filter{Event: "food"}); len(got) != 0 {
			t.Errorf("the old event still finds %v", names(got))
		}
	})
}
