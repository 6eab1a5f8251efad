package standards

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIndustryCounts(t *testing.T) {
	counts := map[int]int{}
	for _, ind := range industries().byCode {
		counts[ind.Level]++
	}
	want := map[int]int{1: 20, 2: 97, 3: 473, 4: 1380}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("GB/T 4754-2017 level counts (-want +got):\n%s", diff)
	}
	// Walking the tree from the top must reach every category exactly once.
	var walk func(code string) int
	walk = func(code string) int {
		n := 0
		for _, k := range IndustryChildren(code) {
			n += 1 + walk(k.Qualified())
		}
		return n
	}
	if got := walk(""); got != 1970 {
		t.Errorf("categories reachable from the root = %d, want 1970", got)
	}
}

func TestLookupIndustry(t *testing.T) {
	tests := []struct {
		name, code string
		want       Industry
	}{
		{"a section letter finds the 门类", "C", Industry{Code: "C", Name: "制造业", Level: 1, Section: "C"}},
		{"a lower-case section letter is accepted", "k", Industry{Code: "K", Name: "房地产业", Level: 1, Section: "K"}},
		{"a two-digit code finds the 大类", "36", Industry{Code: "36", Name: "汽车制造业", Level: 2, Section: "C"}},
		{"a three-digit code finds the 中类", "531", Industry{Code: "531", Name: "铁路旅客运输", Level: 3, Section: "G"}},
		{"a four-digit code finds the 小类", "0111", Industry{Code: "0111", Name: "稻谷种植", Level: 4, Section: "A"}},
		{"a section-prefixed code is accepted", "C3611", Industry{Code: "3611", Name: "汽柴油车整车制造", Level: 4, Section: "C"}},
		{"a lower-case prefixed code with spaces is accepted", " i6513 ", Industry{Code: "6513", Name: "应用软件开发", Level: 4, Section: "I"}},
		{"a prefixed 大类 is accepted", "G53", Industry{Code: "53", Name: "铁路运输业", Level: 2, Section: "G"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := LookupIndustry(tt.code)
			got.Remark = ""
			if !ok {
				t.Fatalf("LookupIndustry(%q) not found", tt.code)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LookupIndustry(%q) (-want +got):\n%s", tt.code, diff)
			}
		})
	}
	t.Run("the remark of a category is kept", func(t *testing.T) {
		got, _ := LookupIndustry("3670")
		if got.Remark != "指机动车辆及其车身的各种零配件的制造" {
			t.Errorf("Remark = %q", got.Remark)
		}
	})
}

func TestLookupIndustryUnknown(t *testing.T) {
	for _, code := range []string{"", "U", "99", "999", "9999", "36700", "A3670", "CC", "3", "C-3670", "x"} {
		if got, ok := LookupIndustry(code); ok {
			t.Errorf("LookupIndustry(%q) = %+v, want not found", code, got)
		}
		if p := IndustryPath(code); p != nil {
			t.Errorf("IndustryPath(%q) = %v, want nil", code, p)
		}
		if s := SectionOf(code); s != "" {
			t.Errorf("SectionOf(%q) = %q, want empty", code, s)
		}
	}
}

func TestIndustryPath(t *testing.T) {
	var got []string
	for _, ind := range IndustryPath("3670") {
		got = append(got, ind.Qualified()+" "+ind.Name)
	}
	want := []string{"C 制造业", "C36 汽车制造业", "C367 汽车零部件及配件制造", "C3670 汽车零部件及配件制造"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("IndustryPath(3670) (-want +got):\n%s", diff)
	}
	if p := IndustryPath("C"); len(p) != 1 || p[0].Code != "C" {
		t.Errorf("IndustryPath(C) = %v", p)
	}
	if p := IndustryPath("70"); len(p) != 2 || p[0].Code != "K" || p[1].Code != "70" {
		t.Errorf("IndustryPath(70) = %v", p)
	}
}

func TestIndustryChildren(t *testing.T) {
	codes := func(inds []Industry) []string {
		var out []string
		for _, i := range inds {
			out = append(out, i.Code)
		}
		return out
	}
	tests := []struct {
		name, code string
		want       []string
	}{
		{"the root gives the 20 sections", "", []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T"}},
		{"a section gives its divisions", "F", []string{"51", "52"}},
		{"a division gives its groups", "70", []string{"701", "702", "703", "704", "709"}},
		{"a group gives its classes", "361", []string{"3611", "3612"}},
		{"a class has no children", "3611", nil},
		{"an unknown code has no children", "99", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, codes(IndustryChildren(tt.code))); diff != "" {
				t.Errorf("IndustryChildren(%q) (-want +got):\n%s", tt.code, diff)
			}
		})
	}
	if n := len(IndustryChildren("C")); n != 31 {
		t.Errorf("C has %d divisions, want 31 (13–43)", n)
	}
}

func TestSectionOfAndQualified(t *testing.T) {
	for code, want := range map[string]string{"3670": "C", "c3670": "C", "53": "G", "7010": "K", "97": "T", "A": "A"} {
		if got := SectionOf(code); got != want {
			t.Errorf("SectionOf(%q) = %q, want %q", code, got, want)
		}
	}
	ind, _ := LookupIndustry("7010")
	if ind.Qualified() != "K7010" {
		t.Errorf("Qualified() = %q, want K7010", ind.Qualified())
	}
}
