package docs

import (
	"strings"
	"testing"
)

func TestOpeningDoesNotDoubleTheWordApplication(t *testing.T) {
	d := sample(Acceptance)
	d.MatterName = "企业开办一件事申请"
	if got := opening(d); got != "你单位于2026年3月2日提交的企业开办一件事申请" {
		t.Errorf("opening = %q", got)
	}
}

func TestSentenceEndsWithOneFullStop(t *testing.T) {
	tests := map[string]string{
		"材料不全":         "材料不全。",
		"材料不全。":        "材料不全。",
		"材料不全；":        "材料不全。",
		" 见第（二）项 ":     "见第（二）项。",
		"是否属于本机关职权范围？": "是否属于本机关职权范围？",
		"":             "",
	}
	for in, want := range tests {
		if got := sentence(in); got != want {
			t.Errorf("sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDefaultRemedyCitesBothPeriods(t *testing.T) {
	d := sample(Rejection)
	d.Remedy = "  "
	got := remedy(d)
	for _, want := range []string{"六十日内", "申请行政复议", "六个月内", "提起行政诉讼", "行政复议法》第二十条", "行政诉讼法》第四十六条"} {
		if !strings.Contains(got, want) {
			t.Errorf("default remedy lacks %q: %s", want, got)
		}
	}
	if remedy(sample(Acceptance)) != "" || remedy(sample(Supplement)) != "" {
		t.Error("only a refusal carries a remedy")
	}
}
