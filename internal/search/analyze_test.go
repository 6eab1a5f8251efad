package search

import (
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		text    string
		want    []string // must all be present
		wantNot []string
	}{
		{
			text: "企业设立登记（营业执照）",
			// gse's search mode gives 营业, 执照 and 营业执照; the bigrams add
			// 业执 so that any substring matches; pinyin in full and initials.
			want:    []string{"企业", "设立登记", "营业", "执照", "营业执照", "业执", "登记", "营", "yingyezhizhao", "yyzz", "qiye", "qy", "yingye", "zhizhao"},
			wantNot: []string{"（", "）", "记营", "企业设立登记（营业执照）"},
		},
		{
			text: "食品经营许可",
			want: []string{"食品", "经营", "许可", "品经", "营许", "shipin", "sp", "jingying", "jy", "xuke", "xk"},
		},
		{
			// Latin words are lower-cased, full-width forms folded, mixed
			// words split into letters and digits.
			text:    "ISO9001认证 ＡＰＰ办理 2024年",
			want:    []string{"iso9001", "iso", "9001", "认证", "app", "办理", "2024", "年", "renzheng", "rz"},
			wantNot: []string{"ISO9001", "ＡＰＰ", "APP"},
		},
		{
			// Polyphonic characters: the word's reading first, the others too.
			text: "重庆银行",
			want: []string{"重庆", "银行", "chongqing", "zhongqing", "cq", "zq", "yinhang", "yinxing", "yh", "yx"},
		},
		{text: "，。！？、……", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := Tokens(tt.text)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q in %q", w, got)
				}
			}
			for _, w := range tt.wantNot {
				if slices.Contains(got, w) {
					t.Errorf("unexpected %q in %q", w, got)
				}
			}
			if tt.want == nil && len(got) != 0 {
				t.Errorf("got %q, want nothing", got)
			}
			seen := map[string]bool{}
			for _, tok := range got {
				if seen[tok] {
					t.Errorf("%q listed twice", tok)
				}
				seen[tok] = true
			}
		})
	}
}

func TestTokensPutsTheWordReadingFirst(t *testing.T) {
	for text, want := range map[string]string{
		"重庆": "chongqing",
		"银行": "yinhang",
		"营业": "yingye",
		"绿色": "lvse", // ü is typed v
	} {
		full, _ := pinyinKeys([]rune(text))
		if len(full) == 0 || full[0] != want {
			t.Errorf("pinyinKeys(%s) = %q, want %q first", text, full, want)
		}
	}
}

func TestPinyinKeysAreBounded(t *testing.T) {
	// Five polyphonic characters: the combinations are cut to the primary
	// spelling and single changes.
	full, initials := pinyinKeys([]rune("重行长还调"))
	if len(full) > maxVariants+4*maxReadings || len(initials) > maxVariants+4*maxReadings {
		t.Errorf("%d full and %d initials spellings", len(full), len(initials))
	}
	if full[0] != "zhonghangzhanghaidiao" { // 行长: hang zhang
		t.Errorf("first spelling %q", full[0])
	}
}

func TestSortKeyOrdersByPinyin(t *testing.T) {
	titles := []string{"药品经营许可", "阿胶生产备案", "安全生产许可", "ISO认证补贴", "重庆市专项资金", "第二类医疗器械经营备案", "10吨以上锅炉登记"}
	want := []string{"10吨以上锅炉登记", "阿胶生产备案", "安全生产许可", "重庆市专项资金", "第二类医疗器械经营备案", "ISO认证补贴", "药品经营许可"}
	slices.SortFunc(titles, func(a, b string) int {
		ka, kb := sortKey(a), sortKey(b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	if !slices.Equal(titles, want) {
		t.Errorf("got  %v\nwant %v", titles, want)
	}
}

func TestParseQueryGroupsLatinWords(t *testing.T) {
	pq := parseQuery("ying ye zhi zhao")
	if len(pq.groups) != 1 || len(pq.groups[0].words) != 4 || !pq.prefix {
		t.Errorf("ying ye zhi zhao: %+v", pq)
	}
	pq = parseQuery("食品 xk ")
	if len(pq.groups) != 2 || string(pq.groups[0].han) != "食品" || pq.prefix {
		t.Errorf("食品 xk: %+v", pq)
	}
	// Punctuation separates Latin groups.
	if pq = parseQuery("ying,ye"); len(pq.groups) != 2 {
		t.Errorf("ying,ye: %d groups", len(pq.groups))
	}
	if pq = parseQuery("，。"); len(pq.groups) != 0 {
		t.Errorf("punctuation: %d groups", len(pq.groups))
	}
}
