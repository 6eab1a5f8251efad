package api

import (
	"net/http"
	"strconv"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/standards"
)

type issueJSON struct {
	Position int    `json:"position"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

// checkCreditCode validates a credit code per GB 32100-2015 and explains it.
func (s *Server) checkCreditCode(w http.ResponseWriter, r *http.Request) error {
	lang := httpmw.Lang(r)
	cc := standards.ParseCreditCode(r.PathValue("code"))
	issues := func(in []standards.CodeIssue) []issueJSON {
		out := []issueJSON{}
		for _, i := range in {
			out = append(out, issueJSON{Position: i.Pos, Rule: i.Rule, Message: i18n.Msg(i.Msg).In(lang)})
		}
		return out
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"input": cc.Input, "code": cc.Code, "normalised": cc.Normalised, "valid": cc.Valid(),
		"errors": issues(cc.Errors), "warnings": issues(cc.Warnings),
		"department": i18n.Msg(cc.Department).In(lang), "category": i18n.Msg(cc.Category).In(lang),
		"region_code": cc.RegionCode, "region_name": standards.RegionFullName(cc.RegionCode), "org_code": cc.OrgCode,
	})
	return nil
}

type codeName struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level int    `json:"level"`
}

// industries lists GB/T 4754-2017 entries under ?parent= (the 20 门类 when empty).
func (s *Server) industries(w http.ResponseWriter, r *http.Request) error {
	parent := r.URL.Query().Get("parent")
	if parent != "" {
		if _, ok := standards.LookupIndustry(parent); !ok {
			return errs.NotFound(i18n.M("行业代码 "+parent, "Industry code "+parent))
		}
	}
	out := []codeName{}
	for _, i := range standards.IndustryChildren(parent) {
		out = append(out, codeName{Code: i.Code, Name: i.Name, Level: i.Level})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

// regions lists Chongqing's districts (no parent) or a district's streets.
func (s *Server) regions(w http.ResponseWriter, r *http.Request) error {
	parent := r.URL.Query().Get("parent")
	if parent == "" {
		parent = "500000"
	}
	if _, ok := standards.LookupRegion(parent); !ok {
		return errs.NotFound(i18n.M("区划代码 "+parent, "Region code "+parent))
	}
	out := []codeName{}
	for _, g := range standards.RegionChildren(parent) {
		out = append(out, codeName{Code: g.Code, Name: g.Name, Level: int(g.Level)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

// sizeClass classifies a firm from query parameters (a public calculator).
func (s *Server) sizeClass(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	in := standards.SizeInput{IndustryCode: q.Get("industry")}
	f := errs.Fields{}
	if v := q.Get("employees"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			f.Add("employees", i18n.M("应为整数", "Must be a whole number"))
		}
		in.Employees = &n
	}
	for _, p := range []struct {
		name string
		dst  **int64
	}{{"revenue_yuan", &in.RevenueFen}, {"assets_yuan", &in.AssetsFen}} {
		if v := q.Get(p.name); v != "" {
			fen, err := money.ParseYuan(v)
			if err != nil {
				f.Add(p.name, i18n.M("金额应为元，最多两位小数", "Amount in yuan with at most two decimals"))
			}
			*p.dst = &fen
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	lang := httpmw.Lang(r)
	res := standards.ClassifySize(in)
	above := standards.AboveScale(standards.AboveScaleInput{IndustryCode: in.IndustryCode, RevenueFen: in.RevenueFen})
	missing := res.Missing
	if missing == nil {
		missing = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"size": res.Class, "size_name": i18n.Msg(res.Class.Name()).In(lang), "size_row": res.Row.ID,
		"size_row_name": i18n.Msg(res.Row.Name).In(lang), "size_basis": i18n.Msg(res.Basis).In(lang), "missing": missing,
		"above_scale": above.Status, "above_scale_basis": i18n.Msg(above.Basis).In(lang),
	})
	return nil
}
