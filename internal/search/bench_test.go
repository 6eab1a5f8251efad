package search

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Word lists that synthetic matters are built from: a subject, an action
// and sometimes a scope make a title (危险化学品经营许可证延续（批发）).
var (
	synthSubjects = []string{
		"企业", "个体工商户", "农民专业合作社", "食品", "药品", "医疗器械", "化妆品", "建筑工程", "建设工程",
		"道路运输", "危险化学品", "烟花爆竹", "娱乐场所", "公共场所", "人力资源服务", "劳务派遣", "出版物",
		"排污", "取水", "户外广告", "城市道路", "民办学校", "养老机构", "旅行社", "互联网上网服务营业场所",
		"特种设备", "计量器具", "二手车交易", "成品油零售", "粮食收购", "种子生产", "兽药经营", "饲料生产",
		"林木采伐", "文物保护工程", "建设用地", "不动产", "住房公积金", "社会保险", "就业创业", "职业技能",
		"消防安全", "网络预约出租汽车", "生鲜乳收购", "水土保持方案", "医疗机构", "母婴保健技术服务",
		"放射诊疗", "商品房预售", "房地产开发企业", "物业服务", "城镇排水", "燃气经营", "供热经营",
	}
	synthActions = []string{
		"设立登记", "变更登记", "注销登记", "经营许可", "生产许可", "许可证核发", "许可证延续", "许可证变更",
		"备案", "审批", "核准", "年度报告", "资质认定", "证书补办", "安全检查", "竣工验收", "项目申报",
		"补贴申领", "信息查询", "证明开具",
	}
	synthScopes = []string{"", "", "", "（零售）", "（批发）", "（首次申请）", "（延续）", "（区县级）", "（告知承诺）"}
	synthDepts  = []string{
		"区市场监督管理局", "区住房和城乡建设委员会", "区消防救援支队", "区规划和自然资源局", "区税务局",
		"区人力资源和社会保障局", "区生态环境局", "区交通运输委员会", "区卫生健康委员会", "区城市管理局",
		"区水利局", "区应急管理局", "区文化和旅游发展委员会", "区经济和信息化委员会", "区农业农村委员会",
	}
	synthMaterials = []string{
		"申请书", "营业执照复印件", "法定代表人身份证明", "经营场所使用证明", "安全管理制度", "设备设施清单",
		"专业技术人员资格证书", "平面布局图", "环境影响评价文件", "消防验收意见书", "授权委托书", "章程",
		"财务审计报告", "项目可行性研究报告", "承诺书", "检验检测报告", "土地使用证明", "施工合同",
	}
	synthSentences = []string{
		"申请人可通过政务服务网全程网上办理，审批结果免费邮寄送达。",
		"对符合条件的申请实行告知承诺制，当场作出决定。",
		"材料不全或者不符合法定形式的，一次性告知需要补正的全部内容。",
		"办理过程中需现场核查的，由承办科室组织现场勘验。",
		"本事项可在街镇公共服务中心综合窗口代办。",
		"申请人对决定不服的，可依法申请行政复议或者提起行政诉讼。",
	}
)

// synthDocs returns n synthetic matters, the same ones on every call.
func synthDocs(n int) []Doc {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	docs := make([]Doc, n)
	for i := range docs {
		dept := rng.IntN(len(synthDepts))
		var body strings.Builder
		fmt.Fprintf(&body, "由%s受理。申请材料：", synthDepts[dept])
		for j := range 3 + rng.IntN(4) {
			if j > 0 {
				body.WriteString("、")
			}
			body.WriteString(pick(synthMaterials))
		}
		fmt.Fprintf(&body, "。法定办结时限%d个工作日，承诺办结时限%d个工作日。", 10+rng.IntN(20), 1+rng.IntN(9))
		body.WriteString(pick(synthSentences))
		body.WriteString(pick(synthSentences))
		flags := []string{"once_at_most"}
		if rng.IntN(2) == 0 {
			flags = []string{"full_online", "zero_visit"}
		}
		docs[i] = Doc{
			ID:     fmt.Sprintf("S%05d", i),
			Title:  pick(synthSubjects) + pick(synthActions) + pick(synthScopes),
			Body:   body.String(),
			Facets: map[string][]string{"department": {fmt.Sprintf("D%02d", dept)}, "flag": flags},
		}
	}
	return docs
}

var (
	benchDocs  = sync.OnceValue(func() []Doc { return synthDocs(5000) })
	benchIndex = sync.OnceValue(func() *Index {
		ix := NewIndex()
		ix.PutAll(benchDocs())
		return ix
	})
)

// BenchmarkDictionaryLoad measures what the first analysis in a process
// pays: loading gse's embedded dictionary (run with -benchtime 1x).
func BenchmarkDictionaryLoad(b *testing.B) {
	if err := Preload(); err != nil { // the shared one, so the HMM model is in place
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		seg, err := newSegmenter()
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB-heap")
		runtime.KeepAlive(seg)
	}
}

// BenchmarkIndexBuild puts 5,000 synthetic matters into a new index, one
// Put at a time and with PutAll, and reports the time per document and the
// heap the index holds per document. The segmentation cache starts empty.
func BenchmarkIndexBuild(b *testing.B) {
	docs := benchDocs()
	if err := Preload(); err != nil {
		b.Fatal(err)
	}
	readingTable()
	for _, mode := range []string{"put", "putall"} {
		b.Run(mode, func(b *testing.B) {
			var before, after runtime.MemStats
			for b.Loop() {
				wordCache.mu.Lock()
				clear(wordCache.m)
				wordCache.mu.Unlock()
				runtime.GC()
				runtime.ReadMemStats(&before)
				ix := NewIndex()
				start := time.Now()
				if mode == "put" {
					for _, d := range docs {
						ix.Put(d)
					}
				} else {
					ix.PutAll(docs)
				}
				elapsed := time.Since(start)
				wordCache.mu.Lock()
				clear(wordCache.m)
				wordCache.mu.Unlock()
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(elapsed.Nanoseconds())/float64(len(docs)), "ns/doc")
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(docs)), "B/doc")
				runtime.KeepAlive(ix)
			}
		})
	}
}

// BenchmarkSearch compares the index with the obvious alternative, a
// linear scan with strings.Contains over each document's title and body
// (for initials, over the precomputed initials of title and body).
func BenchmarkSearch(b *testing.B) {
	ix := benchIndex()
	docs := benchDocs()
	texts := make([]string, len(docs))
	initials := make([]string, len(docs))
	for i, d := range docs {
		texts[i] = d.Title + "\n" + d.Body
		initials[i] = initialsOf(texts[i])
	}
	linear := func(corpus []string, q string) int {
		n := 0
		for _, t := range corpus {
			if strings.Contains(t, q) {
				n++
			}
		}
		return n
	}
	queries := []struct{ name, text string }{
		{"chinese", "食品经营许可"},
		{"chinese-word", "消防"},
		{"initials", "spjyxk"},
		{"full-pinyin", "shipinjingying"},
		{"mixed", "食品 xk"},
		{"prefix", "yyz"},
	}
	for _, q := range queries {
		b.Run("index/"+q.name, func(b *testing.B) {
			total := 0
			for b.Loop() {
				total = ix.Search(Query{Text: q.text, Limit: 20}).Total
			}
			b.ReportMetric(float64(total), "hits")
		})
	}
	b.Run("index/filter-only", func(b *testing.B) {
		for b.Loop() {
			ix.Search(Query{Filters: map[string][]string{"department": {"D03"}, "flag": {"zero_visit"}}, Limit: 20})
		}
	})
	b.Run("linear/chinese", func(b *testing.B) {
		total := 0
		for b.Loop() {
			total = linear(texts, "食品经营许可")
		}
		b.ReportMetric(float64(total), "hits")
	})
	b.Run("linear/chinese-word", func(b *testing.B) {
		total := 0
		for b.Loop() {
			total = linear(texts, "消防")
		}
		b.ReportMetric(float64(total), "hits")
	})
	b.Run("linear/initials", func(b *testing.B) {
		total := 0
		for b.Loop() {
			total = linear(initials, "spjyxk")
		}
		b.ReportMetric(float64(total), "hits")
	})
}

// BenchmarkSearchParallel measures searches from all cores at once.
func BenchmarkSearchParallel(b *testing.B) {
	ix := benchIndex()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ix.Search(Query{Text: "食品经营许可", Limit: 20})
		}
	})
}

// initialsOf returns the text with each Han character replaced by the
// initial of its common reading, as a linear pinyin scan would store it.
func initialsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if rs := readings(r); len(rs) > 0 {
			b.WriteByte(rs[0][0])
		} else {
			b.WriteRune(normRune(r))
		}
	}
	return b.String()
}
