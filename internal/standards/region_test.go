package standards

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRegionCounts(t *testing.T) {
	var districts, streets int
	for _, r := range regions().byCode {
		switch r.Level {
		case RegionDistrict:
			districts++
		case RegionStreet:
			streets++
		}
	}
	if districts != 38 || streets != 1031 {
		t.Errorf("districts, streets = %d, %d; want 38, 1031", districts, streets)
	}
	if n := len(RegionChildren("500000")); n != 38 {
		t.Errorf("Chongqing has %d children, want the 38 districts", n)
	}
	total := 0
	for _, d := range RegionChildren("500000") {
		total += len(RegionChildren(d.Code))
	}
	if total != 1031 {
		t.Errorf("streets reachable from the districts = %d, want 1031", total)
	}
	if a, b := len(RegionChildren("500100")), len(RegionChildren("500200")); a != 26 || b != 12 {
		t.Errorf("市辖区, 县 have %d, %d districts; want 26, 12", a, b)
	}
}

func TestBeibeiChildren(t *testing.T) {
	var got []string
	for _, r := range RegionChildren("500109") {
		if r.Parent != "500109" || r.Level != RegionStreet {
			t.Errorf("child %+v has the wrong parent or level", r)
		}
		got = append(got, r.Code[6:]+" "+r.Name)
	}
	want := []string{
		"001 天生街道", "002 朝阳街道", "003 北温泉街道", "004 东阳街道", "005 龙凤桥街道",
		"006 蔡家岗街道", "007 歇马街道", "008 水土街道", "009 复兴街道",
		"102 澄江镇", "104 童家溪镇", "105 天府镇", "108 施家梁镇", "110 静观镇",
		"111 柳荫镇", "113 三圣镇", "116 金刀峡镇",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("北碚区 children (-want +got):\n%s", diff)
	}
}

func TestLookupRegion(t *testing.T) {
	tests := []struct {
		name, code string
		want       Region
	}{
		{"the province is found", "500000", Region{"500000", "重庆市", RegionProvince, ""}},
		{"the 市辖区 grouping is found", "500100", Region{"500100", "市辖区", RegionCity, "500000"}},
		{"the 县 grouping is found", "500200", Region{"500200", "县", RegionCity, "500000"}},
		{"a district's parent is the province", "500109", Region{"500109", "北碚区", RegionDistrict, "500000"}},
		{"a county is found", "500243", Region{"500243", "彭水苗族土家族自治县", RegionDistrict, "500000"}},
		{"a street is found by its 9-digit code", "500109001", Region{"500109001", "天生街道", RegionStreet, "500109"}},
		{"a 12-digit street code is normalised to 9 digits", "500109116000", Region{"500109116", "金刀峡镇", RegionStreet, "500109"}},
		{"a 12-digit district code is normalised to 6 digits", "500109000000", Region{"500109", "北碚区", RegionDistrict, "500000"}},
		{"a 12-digit province code is normalised to 6 digits", "500000000000", Region{"500000", "重庆市", RegionProvince, ""}},
		{"surrounding spaces are trimmed", " 500109001 ", Region{"500109001", "天生街道", RegionStreet, "500109"}},
		{"a 2-digit province prefix is padded", "50", Region{"500000", "重庆市", RegionProvince, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := LookupRegion(tt.code)
			if !ok {
				t.Fatalf("LookupRegion(%q) not found", tt.code)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LookupRegion(%q) (-want +got):\n%s", tt.code, diff)
			}
		})
	}
}

func TestLookupRegionUnknown(t *testing.T) {
	for _, code := range []string{"", "510000", "500199", "500109999", "500109001001", "50010900100", "5001090010000", "50010a", "北碚区"} {
		if r, ok := LookupRegion(code); ok {
			t.Errorf("LookupRegion(%q) = %+v, want not found", code, r)
		}
		if p := RegionPath(code); p != nil {
			t.Errorf("RegionPath(%q) = %v, want nil", code, p)
		}
		if c := RegionChildren(code); c != nil {
			t.Errorf("RegionChildren(%q) = %v, want nil", code, c)
		}
		if n := RegionFullName(code); n != "" {
			t.Errorf("RegionFullName(%q) = %q, want empty", code, n)
		}
	}
}

func TestRegionPathAndFullName(t *testing.T) {
	var got []string
	for _, r := range RegionPath("500109001000") {
		got = append(got, r.Code)
	}
	if diff := cmp.Diff([]string{"500000", "500109", "500109001"}, got); diff != "" {
		t.Errorf("RegionPath (-want +got):\n%s", diff)
	}
	for code, want := range map[string]string{
		"500109001": "重庆市北碚区天生街道",
		"500109":    "重庆市北碚区",
		"500000":    "重庆市",
		"500100":    "重庆市市辖区",
	} {
		if got := RegionFullName(code); got != want {
			t.Errorf("RegionFullName(%q) = %q, want %q", code, got, want)
		}
	}
	if n := len(RegionChildren("500109001")); n != 0 {
		t.Errorf("a street has %d children, want none", n)
	}
	if RegionStreet.String() != "street" || RegionLevel(9).String() != "RegionLevel(9)" {
		t.Errorf("RegionLevel.String() wrong")
	}
}
