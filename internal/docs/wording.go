package docs

import (
	"fmt"
	"strings"
)

// Legal sources, as in force on 2026-01-01:
//
//   - 《中华人民共和国行政许可法》, adopted 2003-08-27, amended 2019-04-23 (the
//     2019 amendment changed 第五条、第三十一条、第七十二条 only; the
//     articles cited here kept their numbers and text).
//     第三十二条第一款 lists how an application is handled: 第（一）项 matter
//     needs no licence → 即时告知不受理; 第（二）项 not within this authority's
//     powers → 即时作出不予受理的决定并告知向有关行政机关申请; 第（三）项
//     correctable errors → 当场更正; 第（四）项 incomplete or not in the
//     statutory form → 当场或者在五日内一次告知申请人需要补正的全部内容，逾期不
//     告知的，自收到申请材料之日起即为受理; 第（五）项 within its powers,
//     complete and in the statutory form (or fully supplemented) → 受理.
//     第三十二条第二款: accepting or refusing requires a written instrument
//     bearing the authority's seal and date — these documents.
//     第三十八条第二款: a refusal gives reasons and tells the applicant of the
//     right to 行政复议 or 行政诉讼 (written for 不予行政许可; applied here to
//     不予受理 as well, as is common practice).
//     第四十五条: time for 听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审
//     is not counted in the time limits; 第八十二条: time limits are counted
//     in working days, excluding statutory holidays.
//   - 《中华人民共和国行政复议法》(revised 2023-09-01, in force 2024-01-01)
//     第二十条第一款: 自知道或者应当知道该行政行为之日起六十日内提出行政复议申请.
//   - 《中华人民共和国行政诉讼法》(amended 2017) 第四十六条第一款: 直接向人民法院
//     提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出.

const (
	lawLicensing = "《中华人民共和国行政许可法》"

	// citeAccept is the basis of acceptance: 第三十二条第一款第（五）项.
	citeAccept = lawLicensing + "第三十二条第一款第（五）项"
	// citeReject is the basis of refusal: 第三十二条第一款 (its 第（一）（二）项
	// are the grounds; the specific ground is in LegalBasis).
	citeReject = lawLicensing + "第三十二条第一款"
	// citeSupplement is the one-time notice duty: 第三十二条第一款第（四）项.
	citeSupplement = lawLicensing + "第三十二条第一款第（四）项"
)

// DefaultRemedy is the 救济途径 printed on a refusal when CaseDoc.Remedy is
// empty: sixty days for administrative reconsideration (行政复议法第二十条)
// and six months for an administrative lawsuit (行政诉讼法第四十六条).
const DefaultRemedy = "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，" +
	"或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼" +
	"（《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条）。"

// sentence trims s and makes it end with a full stop, replacing a
// trailing comma, semicolon or colon.
func sentence(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), "，,；;：:、")
	if s == "" || strings.ContainsRune("。！？.!?", lastRune(s)) {
		return s
	}
	return s + "。"
}

// clause trims s and drops a final full stop so it can sit inside a sentence.
func clause(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), "。.；;")
}

// opening is the first sentence shared by all kinds: who applied for what
// and when. A matter named "…申请" is not followed by a second 申请.
func opening(d CaseDoc) string {
	m := strings.TrimSpace(d.MatterName)
	if !strings.HasSuffix(m, "申请") {
		m += "申请"
	}
	return fmt.Sprintf("你单位于%s提交的%s", chineseDate(d.SubmittedOn), m)
}

// body returns the paragraphs before the facts, per kind.
func body(d CaseDoc) []string {
	switch d.Kind {
	case Acceptance:
		return []string{
			opening(d) + "，经审查，申请材料齐全、符合法定形式，根据" + citeAccept + "的规定，决定予以受理。",
			fmt.Sprintf("承诺办结时限为%d个工作日，预计于%s前办结（补正、听证、检验检测等特别程序时间不计入办理时限）。",
				d.CommittedDays, chineseDate(d.DueDate)),
		}
	case Rejection:
		return []string{
			opening(d) + "，经审查，不符合受理条件。根据" + citeReject + "的规定，本机关决定不予受理。",
			"不予受理理由：" + sentence(d.Reason),
			"法律依据：" + sentence(d.LegalBasis),
		}
	case Supplement:
		why := "申请材料不齐全或者不符合法定形式"
		if r := clause(d.Reason); r != "" {
			why = r
		}
		return []string{
			opening(d) + "，经审查，" + why + "。根据" + citeSupplement + "的规定，现一次性告知需要补正的全部内容如下：",
		}
	}
	return nil
}

// afterTable returns the paragraphs that follow the supplement list.
func afterTable(d CaseDoc) []string {
	if d.Kind != Supplement {
		return nil
	}
	ask := "请你单位按照上述要求一次性提交全部补正材料。"
	if d.SupplementBy != "" {
		ask = "请你单位于" + chineseDate(d.SupplementBy) + "前按照上述要求一次性提交全部补正材料。"
	}
	return []string{
		"以上为需要补正的全部内容。" + ask + "补正材料齐全、符合法定形式的，本机关将依法予以受理。",
	}
}

// facts returns the particulars of the case not already stated in the
// body, one per line.
func facts(d CaseDoc) []string {
	parts := []string{"办件编号：" + d.CaseNo}
	if d.CreditCode != "" {
		parts = append(parts, "统一社会信用代码："+d.CreditCode)
	}
	if d.MatterCode != "" {
		parts = append(parts, "事项编码："+d.MatterCode)
	}
	if d.Channel != "" {
		parts = append(parts, "申报方式："+d.Channel)
	}
	label := "承办部门："
	if d.Kind == Acceptance {
		label = "受理部门："
	}
	return append(parts, label+d.Department)
}

// remedy returns the 救济途径 of a refusal, or "" for the other kinds.
func remedy(d CaseDoc) string {
	if d.Kind != Rejection {
		return ""
	}
	if strings.TrimSpace(d.Remedy) != "" {
		return sentence(d.Remedy)
	}
	return DefaultRemedy
}

// note is the 附注 printed under the date (GB/T 9704-2012 §7.3.7): the clerk and the enquiry line.
func note(d CaseDoc) string {
	var parts []string
	if d.Clerk != "" {
		parts = append(parts, "经办人："+d.Clerk)
	}
	if d.Contact != "" {
		parts = append(parts, "咨询电话："+d.Contact)
	}
	if len(parts) == 0 {
		return ""
	}
	return "（" + strings.Join(parts, "；") + "）"
}
