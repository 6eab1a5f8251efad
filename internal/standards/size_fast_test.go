package standards

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// TestSizeClassOfMatchesClassifySize: the fast path decides exactly what the
// explaining one does, on every industry class and on values around every
// threshold, with inputs missing in every combination.
func TestSizeClassOfMatchesClassifySize(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	codes := []string{"", "9999", "G", "C", "51", "3670", "5211", "6510", "E4710", "K7010", "I6510"}
	for code := range industries().byCode {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	edges := []int64{0, 1, 5, 8, 10, 19, 20, 50, 99, 100, 299, 300, 301, 999, 1000, 1001}
	pick := func(scale int64) *int64 {
		switch r.IntN(4) {
		case 0:
			return nil
		case 1:
			v := edges[r.IntN(len(edges))] * scale
			return &v
		case 2:
			v := edges[r.IntN(len(edges))]*scale + int64(r.IntN(3)) - 1
			return &v
		}
		v := r.Int64N(1000 * scale)
		return &v
	}
	n := 0
	for _, code := range codes {
		for range 8 {
			in := SizeInput{IndustryCode: code, Employees: pick(1), RevenueFen: pick(1_000_000), AssetsFen: pick(1_000_000)}
			want := ClassifySize(in)
			got := SizeClassOf(in)
			want.Basis, got.Basis = Msg{}, Msg{}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%+v: SizeClassOf = %+v, ClassifySize = %+v", in, got, want)
			}
			n++
		}
	}
	t.Logf("%d inputs compared", n)
}

// BenchmarkClassifySize compares classifying with and without the
// explanation:
//
//	go test -run '^$' -bench ClassifySize ./internal/standards/
func BenchmarkClassifySize(b *testing.B) {
	emp, rev, assets := int64(120), int64(3_500_000_000), int64(2_000_000_000)
	in := SizeInput{IndustryCode: "3670", Employees: &emp, RevenueFen: &rev, AssetsFen: &assets}
	b.Run("explained", func(b *testing.B) {
		for b.Loop() {
			_ = ClassifySize(in)
		}
	})
	b.Run("class-only", func(b *testing.B) {
		for b.Loop() {
			_ = SizeClassOf(in)
		}
	})
}

// TestAboveScaleOfMatchesAboveScale: the fast path decides exactly what the
// explaining one does.
func TestAboveScaleOfMatchesAboveScale(t *testing.T) {
	var codes []string
	for code := range industries().byCode {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	codes = append(codes, "", "9999")
	revenues := []*int64{nil}
	for _, v := range []int64{-1, 0, 19_999_999_99, 20_000_000_00, 20_000_000_01, 5_000_000_00, 10_000_000_00} {
		revenues = append(revenues, &v)
	}
	for _, code := range codes {
		for _, rev := range revenues {
			for _, q := range []bool{false, true} {
				in := AboveScaleInput{IndustryCode: code, RevenueFen: rev, QualifiedTag: q}
				want, got := AboveScale(in), AboveScaleOf(in)
				want.Basis, got.Basis = Msg{}, Msg{}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%+v: AboveScaleOf = %+v, AboveScale = %+v", in, got, want)
				}
			}
		}
	}
}
