package docs

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var samplesDir = flag.String("samples", "", "write the sample instruments as PDFs into this directory, for eyeballing")

// TestWriteSamples writes one PDF per kind (and a 30-item supplement
// notice) when -samples is given: go test ./internal/docs -run WriteSamples -samples /tmp/docs
func TestWriteSamples(t *testing.T) {
	if *samplesDir == "" {
		t.Skip("no -samples directory")
	}
	long := sample(Supplement)
	long.Missing = manyMissing(30)
	reason := sample(Rejection)
	reason.Reason = longReason(300)
	docs := map[string]CaseDoc{
		"acceptance.pdf":    sample(Acceptance),
		"rejection.pdf":     sample(Rejection),
		"rejection-300.pdf": reason,
		"supplement.pdf":    sample(Supplement),
		"supplement-30.pdf": long,
	}
	if err := os.MkdirAll(*samplesDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, d := range docs {
		if err := os.WriteFile(filepath.Join(*samplesDir, name), mustRender(t, d), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	long := sample(Supplement)
	long.Missing = manyMissing(30)
	cases := []struct {
		name string
		doc  CaseDoc
	}{
		{"acceptance", sample(Acceptance)},
		{"rejection", sample(Rejection)},
		{"supplement", sample(Supplement)},
		{"supplement-30-items", long},
	}
	if _, err := fonts(); err != nil { // parse the font outside the timings
		b.Fatal(err)
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				out, err := Render(c.doc)
				if err != nil {
					b.Fatal(err)
				}
				size = len(out)
			}
			b.ReportMetric(float64(size)/1024, "KiB/doc")
		})
	}
}

// BenchmarkFontParse is the one-time cost of parsing the embedded font.
func BenchmarkFontParse(b *testing.B) {
	for b.Loop() {
		if _, err := parseFont(); err != nil {
			b.Fatal(err)
		}
	}
}
