package money

import (
	"encoding/json"
	"testing"
)

func TestParseYuan(t *testing.T) {
	cases := []struct {
		in   string
		fen  int64
		fail bool
	}{
		{"0", 0, false},
		{"1", 100, false},
		{"1.5", 150, false},
		{"1.05", 105, false},
		{"1.500", 150, false},
		{".5", 50, false},
		{"-12.34", -1234, false},
		{"3,000,000", 300000000, false},
		{"300000000000000000", 0, true}, // overflows int64 fen
		{"1.005", 0, true},              // sub-fen precision is refused, never rounded
		{"1e6", 0, true},
		{"", 0, true},
		{"abc", 0, true},
		{".", 0, true},
		{"1.2.3", 0, true},
	}
	for _, c := range cases {
		got, err := ParseYuan(c.in)
		if c.fail {
			if err == nil {
				t.Errorf("ParseYuan(%q) = %d, want an error", c.in, got)
			}
			continue
		}
		if err != nil || got != c.fen {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", c.in, got, err, c.fen)
		}
	}
}

func TestFormat(t *testing.T) {
	for fen, want := range map[int64]string{0: "0", 100: "1", 120: "1.2", 123456: "1234.56", -5: "-0.05"} {
		if got := FormatYuan(fen); got != want {
			t.Errorf("FormatYuan(%d) = %q, want %q", fen, got, want)
		}
	}
	for fen, want := range map[int64]string{30_000_000_00: "3000", 12_345_678: "12.35", 5_000: "0.01", 4_999: "0"} {
		if got := FormatWan(fen); got != want {
			t.Errorf("FormatWan(%d) = %q, want %q", fen, got, want)
		}
	}
}

func TestYuanJSONRoundTripIsExact(t *testing.T) {
	var v struct {
		A Yuan `json:"a"`
		B Yuan `json:"b"`
		C Yuan `json:"c"`
	}
	if err := json.Unmarshal([]byte(`{"a": 0.07, "b": null, "c": "19.99"}`), &v); err != nil {
		t.Fatal(err)
	}
	if !v.A.Valid || v.A.Fen != 7 || v.B.Valid || v.C.Fen != 1999 {
		t.Fatalf("decoded %+v", v)
	}
	out, _ := json.Marshal(v)
	if string(out) != `{"a":0.07,"b":null,"c":19.99}` {
		t.Errorf("encoded %s", out)
	}
}

func TestWanRoundTripsExactly(t *testing.T) {
	cases := map[string]int64{"2500": 2_500_000_000, "0.5": 500_000, "1.000001": 1_000_001, "0": 0, "300": 300_000_000, "-2": -2_000_000, "12,000.25": 12_000_250_000}
	for in, want := range cases {
		got, err := ParseWan(in)
		if err != nil || got != want {
			t.Errorf("ParseWan(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "x", "1.0000001", "1e3", "."} {
		if _, err := ParseWan(bad); err == nil {
			t.Errorf("ParseWan(%q) succeeded", bad)
		}
	}
	for _, fen := range []int64{0, 1, 999_999, 2_500_000_000, 1_000_001, -5_000_000} {
		back, err := ParseWan(FormatWanExact(fen))
		if err != nil || back != fen {
			t.Errorf("round trip of %d via %q = %d, %v", fen, FormatWanExact(fen), back, err)
		}
	}
}

func TestFormatYuanGrouped(t *testing.T) {
	for fen, want := range map[int64]string{0: "0", 1_999_999_999: "19,999,999.99", 200_000_000_000: "2,000,000,000", -123_456: "-1,234.56", 5: "0.05"} {
		if got := FormatYuanGrouped(fen); got != want {
			t.Errorf("FormatYuanGrouped(%d) = %q, want %q", fen, got, want)
		}
	}
}
