package web

import (
	"net/http"
	"strconv"

	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/standards"
)

type toolsData struct {
	Code     string
	Check    *standards.CreditCode
	Size     *standards.SizeResult
	Above    *standards.AboveScaleResult
	Values   map[string]string
	Errors   map[string]string
	Industry *standards.Industry
	Sections []standards.Industry
}

// toolsPage hosts the public credit-code checker and the SME size
// calculator (工信部联企业〔2011〕300号). Both work without JavaScript; with
// htmx the result updates in place.
func (s *Server) toolsPage(w http.ResponseWriter, r *http.Request) {
	d := s.toolsData(r)
	s.render(w, r, http.StatusOK, "tools", i18n.M("办事工具", "Tools").In(httpmw.Lang(r)), d)
}

func (s *Server) toolsData(r *http.Request) toolsData {
	lang := httpmw.Lang(r)
	q := r.URL.Query()
	d := toolsData{Values: map[string]string{}, Errors: map[string]string{}, Sections: standards.IndustryChildren("")}
	for _, k := range []string{"credit_code", "industry", "employees", "revenue_wan", "assets_wan"} {
		d.Values[k] = q.Get(k)
	}
	if c := q.Get("credit_code"); c != "" {
		cc := standards.ParseCreditCode(c)
		d.Check = &cc
	}
	if q.Get("industry") != "" {
		in := standards.SizeInput{IndustryCode: q.Get("industry")}
		if v := q.Get("employees"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				d.Errors["employees"] = i18n.M("请填写非负整数", "Enter a whole number ≥ 0").In(lang)
			}
			in.Employees = &n
		}
		for _, f := range []struct {
			name string
			dst  **int64
		}{{"revenue_wan", &in.RevenueFen}, {"assets_wan", &in.AssetsFen}} {
			if v := q.Get(f.name); v != "" {
				fen, err := money.ParseWan(v)
				if err != nil {
					d.Errors[f.name] = i18n.M("请填写以万元为单位的数字", "Enter an amount in 万元").In(lang)
				}
				*f.dst = &fen
			}
		}
		if len(d.Errors) == 0 {
			res := standards.ClassifySize(in)
			above := standards.AboveScale(standards.AboveScaleInput{IndustryCode: in.IndustryCode, RevenueFen: in.RevenueFen})
			d.Size, d.Above = &res, &above
			if ind, ok := standards.LookupIndustry(in.IndustryCode); ok {
				d.Industry = &ind
			}
		}
	}
	return d
}

// creditCodeHint is the htmx fragment under a credit-code input.
func (s *Server) creditCodeHint(w http.ResponseWriter, r *http.Request) {
	var d toolsData
	if c := r.URL.Query().Get("credit_code"); c != "" {
		cc := standards.ParseCreditCode(c)
		d.Check = &cc
	}
	s.renderFragment(w, r, "credit_hint", d)
}

// industryHint is the htmx fragment under an industry-code input.
func (s *Server) industryHint(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("industry_code")
	var path []standards.Industry
	if code != "" {
		path = standards.IndustryPath(code)
	}
	s.renderFragment(w, r, "industry_hint", map[string]any{"Code": code, "Path": path})
}
