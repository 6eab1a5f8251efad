package search

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
)

// newFixtureIndex returns an index of the fixture matters.
func newFixtureIndex(tb testing.TB) *Index {
	tb.Helper()
	ix := NewIndex()
	for _, m := range matters {
		ix.Put(m)
	}
	if ix.Len() != len(matters) {
		tb.Fatalf("Len() = %d, want %d", ix.Len(), len(matters))
	}
	return ix
}

// ids returns the IDs of hits.
func ids(r Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

// titles returns the titles of hits, for failure messages.
func titles(r Result) string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, fmt.Sprintf("%s %.2f %v", titleOf(h.ID), h.Score, h.Matched))
	}
	return strings.Join(out, "\n\t")
}

func TestSearchFindsTheMatterFirst(t *testing.T) {
	ix := newFixtureIndex(t)
	tests := []struct {
		query string
		want  string
	}{
		{"yyzz", "M01"},
		{"YYZZ", "M01"},
		{"ｙｙｚｚ", "M01"},
		{"yingyezhizhao", "M01"},
		{"ying ye zhi zhao", "M01"},
		{"yingye zhizhao", "M01"},
		{"营业执照", "M01"},
		{"执照", "M01"},
		{"开办企业", "M01"},
		{"营业执照 办理", "M01"},
		{"yyz", "M01"},  // typed so far: a prefix of yyzz
		{"qys ", "M01"}, // 企业设: overlapping initials qy + ys, no prefix
		{"spjy", "M05"},
		{"spjyxk", "M05"},
		{"shipinjingying", "M05"},
		{"食品经营", "M05"},
		{"食品经营许可", "M05"},
		{"施工", "M10"},
		{"施工许可证", "M10"},
		{"sgxkz", "M10"},
		{"不动产登记", "M14"},
		{"bdc", "M14"},
		{"发票", "M15"},
		{"社保", "M17"},
		{"公积金", "M18"},
		{"gjj", "M18"},
		{"刻章", "M19"},
		{"排污", "M20"},
		{"wyc", "M25"}, // 网约车, a keyword
		{"ktv", "M33"},
		{"KTV许可", "M33"},
		{"chongqing", "M38"},
		{"zhongqing", "M38"}, // go-pinyin's common reading of 重 still works
		{"cq", "M38"},
		{"iso 9001", "M40"},
		{"ISO9001", "M40"},
		{"iso9001rz", "M40"},
		{"营业前消防", "M13"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := ix.Search(Query{Text: tt.query})
			if len(r.Hits) == 0 || r.Hits[0].ID != tt.want {
				t.Errorf("Search(%q): want %s first, got\n\t%s", tt.query, titleOf(tt.want), titles(r))
			}
		})
	}
}

func TestSearchFireSafety(t *testing.T) {
	ix := newFixtureIndex(t)
	for _, q := range []string{"xiaofang", "消防", "xf", "消防安全检查", "xfaqjc"} {
		r := ix.Search(Query{Text: q, Limit: 2})
		if !slices.Contains(ids(r), "M13") {
			t.Errorf("Search(%q): want the fire-safety check in the top two, got\n\t%s", q, titles(r))
		}
		for _, h := range r.Hits {
			if !strings.Contains(titleOf(h.ID), "消防") {
				t.Errorf("Search(%q): %s is in the top two without 消防 in its title", q, titleOf(h.ID))
			}
		}
	}
	if r := ix.Search(Query{Text: "消防安全检查"}); r.Hits[0].ID != "M13" {
		t.Errorf("Search(消防安全检查): want the fire-safety check first, got\n\t%s", titles(r))
	}
}

func TestSearchMixedChineseAndPinyin(t *testing.T) {
	ix := newFixtureIndex(t)
	r := ix.Search(Query{Text: "食品 xk", Limit: 2})
	got := ids(r)
	slices.Sort(got)
	if !slices.Equal(got, []string{"M05", "M06"}) {
		t.Errorf("Search(食品 xk): want the two food permits first, got\n\t%s", titles(r))
	}
	if r.Hits[0].ID != "M05" {
		t.Errorf("Search(食品 xk): want 食品经营许可 first (it also has 许可 in its body), got\n\t%s", titles(r))
	}
	for _, h := range r.Hits {
		if !slices.Contains(h.Matched, "食品") || !slices.Contains(h.Matched, "许可") {
			t.Errorf("Search(食品 xk): %s matched %v, want 食品 and 许可", titleOf(h.ID), h.Matched)
		}
	}
}

func TestSearchRanking(t *testing.T) {
	ix := newFixtureIndex(t)

	t.Run("title matches rank above body matches", func(t *testing.T) {
		r := ix.Search(Query{Text: "营业执照", Limit: 100})
		got := ids(r)
		if got[0] != "M01" {
			t.Fatalf("want M01 first, got\n\t%s", titles(r))
		}
		// Matters that have 营业执照 only in their body.
		for _, id := range []string{"M02", "M03", "M04", "M05", "M09", "M16", "M28", "M38"} {
			if !slices.Contains(got, id) {
				t.Errorf("%s (营业执照 in its body) is missing:\n\t%s", titleOf(id), titles(r))
			}
		}
		if r.Hits[0].Score < 4*r.Hits[1].Score {
			t.Errorf("the title match scores %.2f, the best body match %.2f: want a clear gap", r.Hits[0].Score, r.Hits[1].Score)
		}
	})

	t.Run("a document with a small part of a phrase is left out", func(t *testing.T) {
		// 营业前 (M13) and 营业场所 (M34) share only 营业 with 营业执照.
		r := ix.Search(Query{Text: "营业执照", Limit: 100})
		for _, id := range []string{"M13", "M34"} {
			if slices.Contains(ids(r), id) {
				t.Errorf("%s matches 营业执照:\n\t%s", titleOf(id), titles(r))
			}
		}
	})

	small := NewIndex()
	for _, d := range []Doc{
		{ID: "scattered", Title: "经营食品的许可"},      // 食品 and 经营, not as a phrase
		{ID: "phrase", Title: "食品经营许可证延续办理"},     // the phrase, longer title
		{ID: "long", Title: "食品经营许可"},            // the phrase, shorter title
		{ID: "b", Title: "食品经营许可", Body: "同名事项"}, // same title as "long"
		{ID: "body", Title: "预包装食品备案", Body: "食品经营许可"},
	} {
		small.Put(d)
	}

	t.Run("exact phrase above scattered terms, shorter titles first", func(t *testing.T) {
		r := small.Search(Query{Text: "食品经营"})
		got := ids(r)
		// "b" and "long" score the same (the body of "b" does not
		// match), so the ID orders them.
		want := []string{"b", "long", "phrase", "scattered", "body"}
		if !slices.Equal(got[:3], want[:3]) {
			t.Errorf("got %v, want %v first", got, want[:3])
		}
		if i, j := slices.Index(got, "phrase"), slices.Index(got, "scattered"); j >= 0 && j < i {
			t.Errorf("scattered terms rank above the exact phrase: %v", got)
		}
	})

	t.Run("equal scores are ordered by ID", func(t *testing.T) {
		twins := NewIndex()
		twins.Put(Doc{ID: "z", Title: "食品经营许可"})
		twins.Put(Doc{ID: "a", Title: "食品经营许可"})
		twins.Put(Doc{ID: "m", Title: "食品经营许可"})
		for range 3 {
			if got := ids(twins.Search(Query{Text: "spjy"})); !slices.Equal(got, []string{"a", "m", "z"}) {
				t.Fatalf("got %v, want [a m z]", got)
			}
		}
	})
}

func TestSearchFilters(t *testing.T) {
	ix := newFixtureIndex(t)

	t.Run("department narrows a text search", func(t *testing.T) {
		r := ix.Search(Query{Text: "许可", Filters: map[string][]string{"department": {"SCJGJ"}}, Limit: 100})
		want := []string{"M05", "M06", "M07"}
		got := ids(r)
		slices.Sort(got)
		if !slices.Equal(got, want) || r.Total != len(want) {
			t.Errorf("got %v (total %d), want %v", got, r.Total, want)
		}
	})

	t.Run("values of one key are OR, keys are AND", func(t *testing.T) {
		r := ix.Search(Query{Filters: map[string][]string{
			"department": {"RSJ", "GJJ"},
			"flag":       {"zero_visit"},
		}, Limit: 100})
		got := ids(r)
		slices.Sort(got)
		want := []string{"M17", "M18", "M37"}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})

	t.Run("an unknown value matches nothing", func(t *testing.T) {
		r := ix.Search(Query{Text: "许可", Filters: map[string][]string{"department": {"NOPE"}}})
		if r.Total != 0 || len(r.Hits) != 0 {
			t.Errorf("got %d hits", r.Total)
		}
	})

	t.Run("a key without values does not filter", func(t *testing.T) {
		r := ix.Search(Query{Text: "yyzz", Filters: map[string][]string{"department": nil}})
		if len(r.Hits) == 0 || r.Hits[0].ID != "M01" {
			t.Errorf("got %v", ids(r))
		}
	})

	t.Run("an empty text lists the facet by title pinyin", func(t *testing.T) {
		r := ix.Search(Query{Filters: map[string][]string{"department": {"SCJGJ"}}, Limit: 100})
		want := []string{
			"M08", // 第二类医疗器械经营备案 di er lei
			"M04", // 个体工商户注册登记 ge ti
			"M02", // 企业变更登记 qi ye bian
			"M09", // 企业名称自主申报 qi ye ming
			"M01", // 企业设立登记（营业执照） qi ye she
			"M03", // 企业注销登记 qi ye zhu
			"M05", // 食品经营许可 shi pin jing
			"M06", // 食品生产许可 shi pin sheng
			"M39", // 特种设备使用登记 te
			"M07", // 药品经营许可证核发（零售） yao
		}
		if got := ids(r); !slices.Equal(got, want) || r.Total != len(want) {
			t.Errorf("got %v (total %d), want %v", got, r.Total, want)
		}
		page := ix.Search(Query{Filters: map[string][]string{"department": {"SCJGJ"}}, Offset: 3, Limit: 4})
		if got := ids(page); !slices.Equal(got, want[3:7]) || page.Total != len(want) {
			t.Errorf("page: got %v (total %d), want %v", got, page.Total, want[3:7])
		}
	})

	t.Run("an empty text without filters lists everything", func(t *testing.T) {
		r := ix.Search(Query{Text: "  ", Limit: 1000})
		if r.Total != len(matters) || len(r.Hits) != len(matters) {
			t.Errorf("got %d of %d", r.Total, len(matters))
		}
	})
}

func TestSearchPunctuationOnlyMatchesNothing(t *testing.T) {
	ix := newFixtureIndex(t)
	for _, q := range []string{"，。！？", "、", "（）", "...", "——", "“”"} {
		for _, f := range []map[string][]string{nil, {"department": {"SCJGJ"}}} {
			if r := ix.Search(Query{Text: q, Filters: f}); r.Total != 0 || len(r.Hits) != 0 {
				t.Errorf("Search(%q, %v) = %d hits, want none", q, f, r.Total)
			}
		}
	}
}

func TestSearchPaging(t *testing.T) {
	ix := newFixtureIndex(t)
	all := ix.Search(Query{Text: "许可", Limit: 100})
	if all.Total != len(all.Hits) || all.Total < 15 {
		t.Fatalf("许可: total %d, %d hits", all.Total, len(all.Hits))
	}
	var paged []string
	for off := 0; off < all.Total; off += 4 {
		p := ix.Search(Query{Text: "许可", Offset: off, Limit: 4})
		if p.Total != all.Total {
			t.Fatalf("offset %d: total %d, want %d", off, p.Total, all.Total)
		}
		paged = append(paged, ids(p)...)
	}
	if !slices.Equal(paged, ids(all)) {
		t.Errorf("pages %v\nwant   %v", paged, ids(all))
	}
	if r := ix.Search(Query{Text: "许可", Offset: 1000}); len(r.Hits) != 0 || r.Total != all.Total {
		t.Errorf("past the end: %d hits, total %d", len(r.Hits), r.Total)
	}
	if r := ix.Search(Query{Text: "yyzz", Limit: 1}); len(r.Hits) != 1 || r.Total < 5 {
		t.Errorf("limit 1: %d hits of %d", len(r.Hits), r.Total)
	}
	if r := ix.Search(Query{Filters: map[string][]string{"type": {"行政许可"}}}); len(r.Hits) != DefaultLimit || r.Total <= DefaultLimit {
		t.Errorf("default limit: %d hits of %d", len(r.Hits), r.Total)
	}
}

func TestPutReplacesAndDeleteRemoves(t *testing.T) {
	ix := newFixtureIndex(t)

	ix.Delete("M01")
	if ix.Len() != len(matters)-1 {
		t.Errorf("Len() = %d after Delete", ix.Len())
	}
	if r := ix.Search(Query{Text: "yyzz"}); slices.Contains(ids(r), "M01") {
		t.Errorf("deleted M01 still found: %v", ids(r))
	}
	if r := ix.Search(Query{Filters: map[string][]string{"department": {"SCJGJ"}}, Limit: 100}); slices.Contains(ids(r), "M01") {
		t.Errorf("deleted M01 still listed: %v", ids(r))
	}
	ix.Delete("M01") // deleting twice is harmless
	ix.Delete("no such id")

	ix.Put(matters[0])
	if r := ix.Search(Query{Text: "yyzz"}); len(r.Hits) == 0 || r.Hits[0].ID != "M01" {
		t.Errorf("M01 put back, got %v", ids(r))
	}

	// Replace the food permit with a different matter under the same ID.
	ix.Put(Doc{ID: "M05", Title: "餐饮服务食品安全等级评定", Facets: map[string][]string{"department": {"XFJY"}}})
	if ix.Len() != len(matters) {
		t.Errorf("Len() = %d after replacing", ix.Len())
	}
	if r := ix.Search(Query{Text: "食品经营许可"}); len(r.Hits) > 0 && r.Hits[0].ID == "M05" {
		t.Errorf("the replaced title still matches: %s", titles(r))
	}
	if r := ix.Search(Query{Text: "cyfw"}); len(r.Hits) == 0 || r.Hits[0].ID != "M05" {
		t.Errorf("cyfw: want the new M05, got %v", ids(r))
	}
	if r := ix.Search(Query{Filters: map[string][]string{"department": {"SCJGJ"}}, Limit: 100}); slices.Contains(ids(r), "M05") {
		t.Errorf("the old facet of M05 remains: %v", ids(r))
	}
	if r := ix.Search(Query{Filters: map[string][]string{"department": {"XFJY"}}}); !slices.Contains(ids(r), "M05") {
		t.Errorf("the new facet of M05 is missing: %v", ids(r))
	}

	// Terms that no document holds any more leave the vocabulary.
	ix.Put(Doc{ID: "tmp", Title: "鲲鹏展翅"})
	if r := ix.Search(Query{Text: "kpzc"}); len(r.Hits) != 1 {
		t.Fatalf("kpzc: %v", ids(r))
	}
	ix.Delete("tmp")
	ix.mu.RLock()
	_, kept := ix.terms["鲲鹏"]
	_, keyKept := ix.initKeys["kp"]
	ix.mu.RUnlock()
	if kept || keyKept {
		t.Errorf("the deleted document's terms remain: term %v, key %v", kept, keyKept)
	}
	if r := ix.Search(Query{Text: "kpzc"}); r.Total != 0 {
		t.Errorf("kpzc after delete: %v", ids(r))
	}
}

func TestPutCopiesTheDocument(t *testing.T) {
	ix := NewIndex()
	d := Doc{ID: "x", Title: "排污许可", Facets: map[string][]string{"department": {"STHJJ"}}}
	ix.Put(d)
	d.Facets["department"][0] = "CHANGED"
	ix.Delete("x") // must find the facet value it was indexed under
	if r := ix.Search(Query{Filters: map[string][]string{"department": {"STHJJ"}}}); r.Total != 0 {
		t.Errorf("facet left behind: %v", ids(r))
	}
}

func TestSearchWhileWriting(t *testing.T) {
	ix := newFixtureIndex(t)
	var writers, readers sync.WaitGroup
	stop := make(chan struct{})
	for w := range 2 {
		writers.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				m := matters[(i*7+w)%len(matters)]
				switch {
				case i%5 == 0:
					ix.PutAll(matters[i%30 : i%30+3])
				case i%3 == 0:
					ix.Delete(m.ID)
					ix.Put(m)
				default:
					ix.Put(m)
				}
			}
		})
	}
	queries := []string{"yyzz", "食品 xk", "消防", "施工", "", "yyz", "chongqing"}
	for g := range 4 {
		readers.Go(func() {
			for i := range 200 {
				q := Query{Text: queries[(i+g)%len(queries)], Limit: 5}
				if i%5 == 0 {
					q.Filters = map[string][]string{"flag": {"full_online"}}
				}
				r := ix.Search(q)
				if len(r.Hits) > r.Total {
					t.Errorf("%q: %d hits of %d", q.Text, len(r.Hits), r.Total)
				}
				for _, h := range r.Hits {
					if h.ID == "" {
						t.Errorf("%q: a hit without ID", q.Text)
					}
				}
			}
		})
	}
	readers.Wait()
	close(stop)
	writers.Wait()
	if ix.Len() != len(matters) {
		t.Errorf("Len() = %d after the writers finished, want %d", ix.Len(), len(matters))
	}
	if r := ix.Search(Query{Text: "yyzz"}); len(r.Hits) == 0 || r.Hits[0].ID != "M01" {
		t.Errorf("after concurrent writes: %v", ids(r))
	}
}

func TestPutAllMatchesPut(t *testing.T) {
	one := newFixtureIndex(t)
	all := NewIndex()
	// A stale version first: of documents with the same ID the last wins.
	all.PutAll(append([]Doc{{ID: "M01", Title: "旧标题"}}, matters...))
	if all.Len() != len(matters) {
		t.Fatalf("Len() = %d, want %d", all.Len(), len(matters))
	}
	for _, q := range []Query{
		{Text: "yyzz"}, {Text: "食品 xk"}, {Text: "许可", Limit: 100}, {Text: "旧标题"},
		{Filters: map[string][]string{"flag": {"zero_visit"}}, Limit: 100},
	} {
		a, b := one.Search(q), all.Search(q)
		if !slices.Equal(ids(a), ids(b)) || a.Total != b.Total {
			t.Errorf("%+v: Put gives %v, PutAll %v", q, ids(a), ids(b))
		}
	}
}

func TestSearchHugePageDoesNotOverflow(t *testing.T) {
	ix := newFixtureIndex(t)
	for _, q := range []Query{
		{Text: "许可", Offset: math.MaxInt, Limit: math.MaxInt},
		{Text: "许可", Limit: math.MaxInt},
		{Offset: math.MaxInt, Limit: math.MaxInt},
		{Offset: -5, Limit: -1, Text: "yyzz"},
	} {
		r := ix.Search(q)
		if len(r.Hits) > r.Total {
			t.Errorf("%+v: %d hits of %d", q, len(r.Hits), r.Total)
		}
	}
	if r := ix.Search(Query{Text: "许可", Limit: math.MaxInt}); len(r.Hits) != r.Total {
		t.Errorf("unbounded limit: %d hits of %d", len(r.Hits), r.Total)
	}
}

func TestSearchEmptyIndex(t *testing.T) {
	ix := NewIndex()
	for _, q := range []Query{{Text: "yyzz"}, {Text: "营业执照"}, {}, {Filters: map[string][]string{"a": {"b"}}}, {Text: "yyz"}} {
		if r := ix.Search(q); r.Total != 0 || len(r.Hits) != 0 {
			t.Errorf("%+v: %v", q, r)
		}
	}
}
