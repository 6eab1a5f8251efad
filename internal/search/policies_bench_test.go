package search_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/qinqing/qinqing/internal/search"
	"github.com/qinqing/qinqing/internal/seed"
)

// demoPolicyDocs returns the demo policies copies times over (a district
// holds hundreds of policies; copies make a larger shelf of the same text).
func demoPolicyDocs(tb testing.TB, copies int) []search.PolicyDoc {
	tb.Helper()
	demo, err := seed.DemoPolicies()
	if err != nil {
		tb.Fatal(err)
	}
	var out []search.PolicyDoc
	for c := range copies {
		for _, p := range demo {
			out = append(out, search.PolicyDoc{ID: int64(len(out) + 1), Title: p.Title, TitleEn: p.TitleEn,
				DocumentNo: p.DocumentNo, Issuer: p.Issuer, Summary: fmt.Sprintf("%s（第%d批）", p.Summary, c+1), Keywords: p.Keywords,
				Level: p.Level, Shelf: p.Shelf, Mode: p.Mode, Status: "published", DepartmentCode: p.DepartmentCode})
		}
	}
	return out
}

// BenchmarkPolicyIndexBuild builds the index of the demo policies, once
// and ×30.
func BenchmarkPolicyIndexBuild(b *testing.B) {
	if err := search.Preload(); err != nil {
		b.Fatal(err)
	}
	for _, copies := range []int{1, 30} {
		src := newFixtureSource(demoPolicyDocs(b, copies))
		b.Run(fmt.Sprintf("policies=%d", len(src.docs)), func(b *testing.B) {
			for b.Loop() {
				if _, err := search.NewPolicies(context.Background(), src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPolicySearch searches the demo policies, once and ×30, by
// Chinese words, initials and a document number.
func BenchmarkPolicySearch(b *testing.B) {
	for _, copies := range []int{1, 30} {
		src := newFixtureSource(demoPolicyDocs(b, copies))
		p, err := search.NewPolicies(context.Background(), src)
		if err != nil {
			b.Fatal(err)
		}
		for _, q := range []string{"研发费用", "xwqy", "2023年第12号", "首贷贴息"} {
			b.Run(fmt.Sprintf("policies=%d/%s", len(src.docs), q), func(b *testing.B) {
				for b.Loop() {
					if len(p.Search(q)) == 0 {
						b.Fatal("no hits")
					}
				}
			})
		}
	}
}
