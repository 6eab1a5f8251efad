package servicepoint

import (
	"math"
	"slices"
	"testing"
)

func TestUUID5MatchesRFCExample(t *testing.T) {
	// RFC 9562 / Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	if got := uuidString(uuid5(dns, "python.org")); got != "886313e1-3b8a-5372-9b90-0c9aee199e5d" {
		t.Errorf("uuid5 = %s", got)
	}
}

func TestGCJ02(t *testing.T) {
	cases := []struct{ wLat, wLng, gLat, gLng float64 }{
		{39.915, 116.404, 39.91640428150164, 116.41024449916938},       // Beijing, as published by coordtransform
		{31.1774276, 121.5272106, 31.17530398364597, 121.531541859215}, // Shanghai, as published by eviltransform
	}
	for _, c := range cases {
		lat, lng := ToGCJ02(c.wLat, c.wLng)
		if math.Abs(lat-c.gLat) > 1e-9 || math.Abs(lng-c.gLng) > 1e-9 {
			t.Errorf("ToGCJ02(%v, %v) = %v, %v; want %v, %v", c.wLat, c.wLng, lat, lng, c.gLat, c.gLng)
		}
		bLat, bLng := FromGCJ02(c.gLat, c.gLng)
		if math.Abs(bLat-c.wLat) > 1e-8 || math.Abs(bLng-c.wLng) > 1e-8 {
			t.Errorf("FromGCJ02(%v, %v) = %v, %v; want %v, %v", c.gLat, c.gLng, bLat, bLng, c.wLat, c.wLng)
		}
	}
	// In Beibei the shift is a few hundred metres, mostly eastwards.
	lat, lng := ToGCJ02(29.823, 106.4215)
	if dLat, dLng := lat-29.823, lng-106.4215; math.Abs(dLat) > 0.005 || dLng < 0.001 || dLng > 0.006 {
		t.Errorf("shift in Beibei = %v, %v", dLat, dLng)
	}
	if lat, lng := ToGCJ02(51.5, -0.12); lat != 51.5 || lng != -0.12 {
		t.Errorf("London moved to %v, %v", lat, lng)
	}
}

func TestParseHours(t *testing.T) {
	mf := []string{"MO", "TU", "WE", "TH", "FR"}
	cases := []struct {
		in   string
		want []openingSpan
	}{
		{"工作日 9:00-12:00 14:00-17:30", []openingSpan{{mf, "09:00", "12:00", true}, {mf, "14:00", "17:30", true}}},
		{"工作日 9:00-12:00，14:00-17:00", []openingSpan{{mf, "09:00", "12:00", true}, {mf, "14:00", "17:00", true}}},
		{"周一至周五 9:00-17:00；周六 9:00-12:00", []openingSpan{{mf, "09:00", "17:00", false}, {[]string{"SA"}, "09:00", "12:00", false}}},
		{"每天 8:30-17:30", []openingSpan{{rruleDays, "08:30", "17:30", false}}},
		{"星期二到星期四 10：00—16：00", []openingSpan{{[]string{"TU", "WE", "TH"}, "10:00", "16:00", false}}},
		{"预约办理", nil},
		{"周五至周一 9:00-17:00", nil},
		{"工作日 17:00-9:00", nil},
		{"", nil},
	}
	for _, c := range cases {
		got, ok := parseHours(c.in)
		if ok != (c.want != nil) || !slices.EqualFunc(got, c.want, func(a, b openingSpan) bool {
			return slices.Equal(a.Days, b.Days) && a.Opens == b.Opens && a.Closes == b.Closes && a.Workdays == b.Workdays
		}) {
			t.Errorf("parseHours(%q) = %v, %v; want %v", c.in, got, ok, c.want)
		}
	}
}
