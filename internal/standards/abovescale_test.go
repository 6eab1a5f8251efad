package standards

import (
	"fmt"
	"strings"
	"testing"
)

func TestAboveScaleAtEveryThreshold(t *testing.T) {
	// Thresholds in 万元 of annual revenue, restated from the statistics
	// bureau's 规模以上 / 限额以上 definitions independently of the code.
	tests := []struct {
		what, code string
		wan        int64
	}{
		{"mining", "B0610", 2000},
		{"manufacturing", "C3670", 2000},
		{"utilities", "D4411", 2000},
		{"wholesale", "F5111", 2000},
		{"retail", "F5211", 500},
		{"accommodation", "H6110", 200},
		{"catering", "H6210", 200},
		{"the catering and accommodation section as a whole", "H", 200},
		{"railway transport", "G5311", 2000},
		{"road transport", "G5411", 2000},
		{"software", "I6513", 2000},
		{"water and environment management", "N7610", 2000},
		{"health", "Q8411", 2000},
		{"leasing and business services", "L7111", 1000},
		{"scientific research", "M7310", 1000},
		{"education", "P8310", 1000},
		{"property management", "K7020", 1000},
		{"real estate agency", "K7030", 1000},
		{"real estate leasing", "K7040", 1000},
		{"other real estate", "K7090", 1000},
		{"residents' services", "O8010", 500},
		{"culture and sports", "R8610", 500},
		{"social work", "Q8511", 500},
	}
	for _, tt := range tests {
		limit := tt.wan * 1_000_000
		for _, c := range []struct {
			desc string
			fen  int64
			want bool
		}{
			{"exactly at", limit, true},
			{"one fen below", limit - 1, false},
		} {
			t.Run(fmt.Sprintf("%s (%s) with revenue %s the %d万 threshold is above scale: %v", tt.what, tt.code, c.desc, tt.wan, c.want), func(t *testing.T) {
				got := AboveScale(AboveScaleInput{IndustryCode: tt.code, RevenueFen: ptr(c.fen)})
				if got.Status == nil || *got.Status != c.want {
					t.Fatalf("Status = %v, want %v; basis: %s", got.Status, c.want, got.Basis)
				}
				if got.ThresholdFen != limit {
					t.Errorf("ThresholdFen = %d, want %d", got.ThresholdFen, limit)
				}
				if !strings.Contains(got.Basis.Zh, "国家统计局") || got.Basis.En == "" {
					t.Errorf("basis lacks its source: %s", got.Basis)
				}
			})
		}
		t.Run(fmt.Sprintf("%s (%s) with revenue missing is undetermined", tt.what, tt.code), func(t *testing.T) {
			got := AboveScale(AboveScaleInput{IndustryCode: tt.code})
			if got.Status != nil || got.ThresholdFen != limit || !strings.Contains(got.Basis.En, "unknown, revenue missing") {
				t.Errorf("got %+v", got)
			}
		})
	}
}

func TestAboveScaleByQualification(t *testing.T) {
	for _, code := range []string{"E", "E4710", "48", "K7010", "701"} {
		for _, tag := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s with qualification tag %v is above quota: %v regardless of revenue", code, tag, tag), func(t *testing.T) {
				got := AboveScale(AboveScaleInput{IndustryCode: code, RevenueFen: ptr(1), QualifiedTag: tag})
				if got.Status == nil || *got.Status != tag || got.ThresholdFen != 0 {
					t.Fatalf("got %+v", got)
				}
				if !strings.Contains(got.Basis.Zh, "按资质认定") || !strings.Contains(got.Basis.En, "by qualification") {
					t.Errorf("basis does not say it is by qualification: %s", got.Basis)
				}
			})
		}
	}
}

func TestAboveScaleNotApplicable(t *testing.T) {
	tests := []struct {
		name, code, basisEn string
	}{
		{"agriculture has no above-scale standard", "A0111", "no above-scale standard applies"},
		{"finance has no above-scale standard", "J6610", "no above-scale standard applies"},
		{"public administration has no above-scale standard", "S9100", "no above-scale standard applies"},
		{"international organisations have no above-scale standard", "T", "no above-scale standard applies"},
		{"an unknown industry code is undetermined", "9999", "is not a GB/T 4754-2017 code"},
		{"an empty industry code is undetermined", "", "is not a GB/T 4754-2017 code"},
		{"a section spanning several standards is undetermined", "F", "spans several above-scale standards"},
		{"real estate as a whole is undetermined", "K", "spans several above-scale standards"},
		{"health and social work as a whole is undetermined", "Q", "spans several above-scale standards"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AboveScale(AboveScaleInput{IndustryCode: tt.code, RevenueFen: ptr(1 << 40), QualifiedTag: true})
			if got.Status != nil || got.ThresholdFen != 0 || !strings.Contains(got.Basis.En, tt.basisEn) || got.Basis.Zh == "" {
				t.Errorf("got %+v", got)
			}
		})
	}
	t.Run("a negative revenue is undetermined", func(t *testing.T) {
		got := AboveScale(AboveScaleInput{IndustryCode: "C3670", RevenueFen: ptr(-1)})
		if got.Status != nil || !strings.Contains(got.Basis.Zh, "负数") {
			t.Errorf("got %+v", got)
		}
	})
}

func TestMsgString(t *testing.T) {
	for m, want := range map[Msg]string{{"中", "en"}: "中 / en", {Zh: "中"}: "中", {En: "en"}: "en"} {
		if got := m.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", m, got, want)
		}
	}
}
