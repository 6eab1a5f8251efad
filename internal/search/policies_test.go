package search_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/qinqing/qinqing/internal/search"
)

// policyFixture is a policy shelf as the district publishes it: national
// tax policies with their 文号, Chongqing and Beibei subsidies.
var policyFixture = []search.PolicyDoc{
	{ID: 1, Title: "小型微利企业减免企业所得税", TitleEn: "Income tax relief for small low-profit enterprises",
		DocumentNo: "财政部 税务总局公告2023年第12号", Issuer: "财政部 税务总局", Level: "national", Shelf: "tax", Mode: "no_apply", Status: "published",
		Summary:  "对小型微利企业减按25%计算应纳税所得额，按20%的税率缴纳企业所得税政策，延续执行至2027年12月31日。",
		Keywords: "小微企业 所得税 税收优惠", DepartmentCode: "SWJ"},
	{ID: 2, Title: "研发费用税前加计扣除", TitleEn: "Super deduction of R&D expenses",
		DocumentNo: "财政部 税务总局公告2023年第7号", Issuer: "财政部 税务总局", Level: "national", Shelf: "tech", Mode: "no_apply", Status: "published",
		Summary:  "企业开展研发活动中实际发生的研发费用，未形成无形资产计入当期损益的，在按规定据实扣除的基础上，自2023年1月1日起，再按照实际发生额的100%在税前加计扣除。",
		Keywords: "加计扣除 研发投入", DepartmentCode: "SWJ"},
	{ID: 3, Title: "高新技术企业减按15%税率征收企业所得税", DocumentNo: "中华人民共和国企业所得税法第二十八条", Issuer: "全国人民代表大会",
		Level: "national", Shelf: "tax", Mode: "no_apply", Status: "published",
		Summary:  "国家需要重点扶持的高新技术企业，减按15%的税率征收企业所得税。",
		Keywords: "高企 高新技术企业", DepartmentCode: "SWJ"},
	{ID: 4, Title: "北碚区企业上市奖励", DocumentNo: "北碚府办发〔2022〕45号", Issuer: "重庆市北碚区人民政府办公室",
		Level: "district", Shelf: "subsidy", Mode: "apply", Status: "published",
		Summary:  "对在境内外证券交易所首发上市的企业，分阶段给予最高300万元奖励。",
		Keywords: "上市 IPO 资本市场", DepartmentCode: "JRB"},
	{ID: 5, Title: "智能化改造项目补助", DocumentNo: "北碚经信发〔2023〕12号", Issuer: "重庆市北碚区经济和信息化委员会",
		Level: "district", Shelf: "digital", Mode: "apply", Status: "published",
		Summary:  "对实施智能化改造的规上工业企业，按设备投资额的10%给予补助，最高200万元。",
		Keywords: "智能化 技改 数字化车间", DepartmentCode: "JXW"},
	{ID: 6, Title: "失业保险稳岗返还", DocumentNo: "人社部发〔2023〕19号", Issuer: "人力资源社会保障部 财政部 国家税务总局",
		Level: "national", Shelf: "employment", Mode: "no_apply", Status: "published",
		Summary:  "参保企业上年度未裁员或裁员率不高于上年度全国城镇调查失业率控制目标，中小微企业按上年度实际缴纳失业保险费的60%返还。",
		Keywords: "稳岗 失业保险", DepartmentCode: "RSJ"},
	{ID: 7, Title: "创业担保贷款贴息", DocumentNo: "财金〔2020〕21号", Issuer: "财政部 人力资源社会保障部 中国人民银行",
		Level: "national", Shelf: "startup", Mode: "apply", Status: "published",
		Summary:  "符合条件的小微企业可申请最高300万元创业担保贷款，财政按贷款合同签订日贷款市场报价利率的50%给予贴息。",
		Keywords: "创业 贷款 贴息 小微企业", DepartmentCode: "RSJ"},
	{ID: 8, Title: "首贷贴息", DocumentNo: "北碚府办发〔2023〕30号", Issuer: "重庆市北碚区人民政府办公室",
		Level: "district", Shelf: "finance", Mode: "fast", Status: "draft",
		Summary:  "对首次获得银行贷款的中小微企业，按贷款市场报价利率的30%给予贴息。",
		Keywords: "首贷 贴息 融资", DepartmentCode: "JRB"},
}

// fixtureSource is a PolicySource over an editable slice.
type fixtureSource struct {
	mu   sync.Mutex
	docs map[int64]search.PolicyDoc
}

func newFixtureSource(docs []search.PolicyDoc) *fixtureSource {
	s := &fixtureSource{docs: map[int64]search.PolicyDoc{}}
	for _, d := range docs {
		s.docs[d.ID] = d
	}
	return s
}

func (s *fixtureSource) AllPolicyDocs(context.Context) ([]search.PolicyDoc, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []search.PolicyDoc
	for _, d := range s.docs {
		out = append(out, d)
	}
	return out, nil
}

func (s *fixtureSource) PolicyDoc(_ context.Context, id int64) (search.PolicyDoc, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[id]
	return d, ok, nil
}

func (s *fixtureSource) set(d search.PolicyDoc) { s.mu.Lock(); s.docs[d.ID] = d; s.mu.Unlock() }
func (s *fixtureSource) drop(id int64)          { s.mu.Lock(); delete(s.docs, id); s.mu.Unlock() }

func titleOfPolicy(id int64) string {
	for _, d := range policyFixture {
		if d.ID == id {
			return d.Title
		}
	}
	return "?"
}

func policyTitles(ids []int64) []string {
	var out []string
	for _, id := range ids {
		out = append(out, titleOfPolicy(id))
	}
	return out
}

func TestPoliciesFindsByChineseWordsPinyinAndDocumentNumber(t *testing.T) {
	ctx := context.Background()
	p, err := search.NewPolicies(ctx, newFixtureSource(policyFixture))
	if err != nil {
		t.Fatal(err)
	}
	if p.Len() != len(policyFixture) {
		t.Fatalf("Len() = %d, want %d", p.Len(), len(policyFixture))
	}
	for _, tt := range []struct {
		query string
		first int64
	}{
		{"研发", 2},
		{"研发费用加计扣除", 2},
		{"jjkc", 2},      // 加计扣除 by initials
		{"yanfa", 2},     // 研发 in full pinyin
		{"小型微利", 1},      // a substring of the title
		{"2023年第12号", 1}, // part of the document number
		{"财政部 税务总局公告2023年第7号", 2}, // the whole document number
		{"高企", 3},     // a keyword
		{"gxjsqy", 3}, // 高新技术企业 by initials
		{"上市奖励", 4},
		{"IPO", 4},
		{"znhgz", 5}, // 智能化改造
		{"稳岗", 6},
		{"wg", 6},
		{"首贷贴息", 8},
		{"Super deduction", 2}, // the English title
	} {
		t.Run(tt.query, func(t *testing.T) {
			got := p.Search(tt.query)
			if len(got) == 0 || got[0] != tt.first {
				t.Errorf("Search(%q) = %v, want %s first", tt.query, policyTitles(got), titleOfPolicy(tt.first))
			}
		})
	}

	t.Run("xwqy finds the policies for 小微企业", func(t *testing.T) {
		got := p.Search("xwqy")
		for _, want := range []int64{1, 7} {
			if !slices.Contains(got, want) {
				t.Errorf("Search(xwqy) = %v, lacks %s", policyTitles(got), titleOfPolicy(want))
			}
		}
		if slices.Contains(got, 4) {
			t.Errorf("Search(xwqy) = %v finds 上市奖励, which says nothing of 小微企业", policyTitles(got))
		}
	})

	t.Run("贴息 finds both interest subsidies and nothing else", func(t *testing.T) {
		got := p.Search("贴息")
		slices.Sort(got)
		if !slices.Equal(got, []int64{7, 8}) {
			t.Errorf("Search(贴息) = %v", policyTitles(got))
		}
	})

	t.Run("an empty or unsearchable text matches nothing", func(t *testing.T) {
		for _, q := range []string{"", "   ", "，。"} {
			if got := p.Search(q); len(got) != 0 {
				t.Errorf("Search(%q) = %v", q, got)
			}
		}
	})

	t.Run("facets filter the shelf, level and status", func(t *testing.T) {
		ids, total := p.Find(search.Query{Filters: map[string][]string{"shelf": {"tax"}}})
		slices.Sort(ids)
		if total != 2 || !slices.Equal(ids, []int64{1, 3}) {
			t.Errorf("the tax shelf: %v (%d)", policyTitles(ids), total)
		}
		ids, _ = p.Find(search.Query{Text: "贴息", Filters: map[string][]string{"status": {"published"}}})
		if !slices.Equal(ids, []int64{7}) {
			t.Errorf("published 贴息: %v; the draft 首贷贴息 must be filtered out", policyTitles(ids))
		}
		ids, _ = p.Find(search.Query{Text: "企业所得税", Filters: map[string][]string{"level": {"district"}}})
		if slices.Contains(ids, 1) || slices.Contains(ids, 3) {
			t.Errorf("district 企业所得税 finds national tax policies: %v", policyTitles(ids))
		}
		ids, total = p.Find(search.Query{Filters: map[string][]string{"level": {"district"}, "mode": {"apply"}}, Limit: 1})
		if total != 2 || len(ids) != 1 {
			t.Errorf("district apply, one per page: %v of %d", ids, total)
		}
	})

	t.Run("hits carry the matched terms for highlighting", func(t *testing.T) {
		res := p.Hits(search.Query{Text: "研发"})
		if len(res.Hits) == 0 {
			t.Fatal("no hits")
		}
		if id, ok := search.PolicyID(res.Hits[0]); !ok || id != 2 {
			t.Errorf("first hit %q", res.Hits[0].ID)
		}
		if !slices.Contains(res.Hits[0].Matched, "研发") {
			t.Errorf("matched %v", res.Hits[0].Matched)
		}
	})
}

func TestPoliciesFollowChanges(t *testing.T) {
	ctx := context.Background()
	src := newFixtureSource(policyFixture)
	p, err := search.NewPolicies(ctx, src)
	if err != nil {
		t.Fatal(err)
	}

	// A retitled policy is found by its new title, not its old one.
	d := policyFixture[4]
	d.Title, d.Keywords = "数字化车间认定奖励", "数字化车间"
	d.Summary = "对新认定的市级数字化车间给予一次性奖励。"
	src.set(d)
	if got := p.Search("智能化改造"); !slices.Contains(got, 5) {
		t.Fatalf("before the change hook runs the index still has the old title: %v", got)
	}
	if err := p.Changed(ctx, 5); err != nil {
		t.Fatal(err)
	}
	if got := p.Search("智能化改造"); slices.Contains(got, 5) {
		t.Errorf("the old title is still found: %v", got)
	}
	if got := p.Search("szhcj"); len(got) == 0 || got[0] != 5 {
		t.Errorf("Search(szhcj) = %v, want the retitled policy", got)
	}

	// A deleted policy disappears.
	src.drop(8)
	if err := p.Changed(ctx, 8); err != nil {
		t.Fatal(err)
	}
	if got := p.Search("首贷"); len(got) != 0 {
		t.Errorf("a deleted policy is found: %v", got)
	}

	// A policy added behind the index's back appears after Refresh.
	src.set(search.PolicyDoc{ID: 9, Title: "专精特新中小企业奖励", Keywords: "专精特新 小巨人", Level: "district", Shelf: "subsidy", Status: "published"})
	if got := p.Search("专精特新"); len(got) != 0 {
		t.Fatalf("found before Refresh: %v", got)
	}
	if err := p.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := p.Search("专精特新"); !slices.Equal(got, []int64{9}) {
		t.Errorf("Search(专精特新) after Refresh = %v", got)
	}
	if got := p.Search("zjtx"); len(got) == 0 || got[0] != 9 {
		t.Errorf("Search(zjtx) after Refresh = %v", got)
	}
	if p.Len() != len(policyFixture) { // one dropped, one added
		t.Errorf("Len() = %d", p.Len())
	}
}

func TestPoliciesSearchWhileChanging(t *testing.T) {
	ctx := context.Background()
	src := newFixtureSource(policyFixture)
	p, err := search.NewPolicies(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 50 {
				if got := p.Search("研发"); len(got) == 0 || got[0] != 2 {
					t.Errorf("reader %d: %v", i, got)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if err := p.Changed(ctx, 6); err != nil {
				t.Error(err)
			}
			if err := p.Refresh(ctx); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
}
