package docs

import (
	"fmt"
	"strings"
)

// sample returns a complete instrument of kind k for a fictitious Beibei case.
func sample(k Kind) CaseDoc {
	d := CaseDoc{
		Kind:        k,
		DocNo:       "北碚政服受〔2026〕第000123号",
		CaseNo:      "BB20260302000123",
		QueryCode:   "7KQ4M2",
		ProgressURL: "https://zwfw.beibei.gov.cn/progress?case=BB20260302000123&code=7KQ4M2",
		Applicant:   "重庆缙云山茶叶科技有限公司",
		CreditCode:  "91500109MA5U5LKE1Q",
		MatterName:  "食品经营许可（新办）",
		MatterCode:  "11500109MB1234567X4000117017000",
		Department:  "重庆市北碚区市场监督管理局",
		Channel:     "网上申报",
		Date:        "2026-03-03",
		SubmittedOn: "2026-03-02",
		Clerk:       "李晓明",
		Issuer:      "重庆市北碚区政务服务管理办公室",
		Contact:     "023-68862000",
	}
	switch k {
	case Acceptance:
		d.CommittedDays = 10
		d.DueDate = "2026-03-17"
	case Rejection:
		d.DocNo = "北碚政服不受〔2026〕第000045号"
		d.Reason = "申请事项依法不属于本机关职权范围，应当向重庆市市场监督管理局提出申请"
		d.LegalBasis = "《中华人民共和国行政许可法》第三十二条第一款第（二）项"
	case Supplement:
		d.DocNo = "北碚政服补〔2026〕第000078号"
		d.Reason = "申请材料不齐全"
		d.SupplementBy = "2026-03-20"
		d.Missing = []MissingItem{
			{"营业执照副本复印件", "未提交；请提交加盖公章的复印件"},
			{"法定代表人身份证明", "身份证复印件已过有效期，请提交有效期内的身份证复印件"},
			{"食品安全管理制度", "缺少进货查验记录制度、从业人员健康管理制度，请补充完整后加盖公章"},
		}
	}
	return d
}

// manyMissing returns n numbered missing items.
func manyMissing(n int) []MissingItem {
	out := make([]MissingItem, n)
	for i := range out {
		out[i] = MissingItem{fmt.Sprintf("第%d项补正材料", i+1), "请提交原件扫描件" + strings.Repeat("并加盖公章", i%3)}
	}
	return out
}
