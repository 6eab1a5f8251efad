package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/standards"
)

// funcs are the template helpers, bound to one language.
func (s *Server) funcs(lang i18n.Lang) template.FuncMap {
	return template.FuncMap{
		// tr picks the text for the page's language: {{tr "企业档案" "Enterprises"}}.
		"tr": func(zh, en string) string { return i18n.M(zh, en).In(lang) },
		// msg renders a bilingual message value.
		"msg": func(m any) string {
			switch v := m.(type) {
			case i18n.Msg:
				return v.In(lang)
			case standards.Msg:
				return i18n.Msg(v).In(lang)
			}
			return fmt.Sprint(m)
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(s.loc).Format("2006-01-02 15:04")
		},
		"yuan": func(p *int64) string {
			if p == nil {
				return ""
			}
			return money.FormatYuan(*p)
		},
		"wan": func(p *int64) string {
			if p == nil {
				return "—"
			}
			return money.FormatWan(*p) + i18n.M(" 万元", " × 10k yuan").In(lang)
		},
		"num": func(p *int64) string {
			if p == nil {
				return ""
			}
			return strconv.FormatInt(*p, 10)
		},
		"region":   standards.RegionFullName,
		"industry": func(code string) string { i, _ := standards.LookupIndustry(code); return i.Name },
		"role":     func(r identity.Role) string { return r.Label().In(lang) },
		"sizeName": func(c standards.SizeClass) string { return i18n.Msg(c.Name()).In(lang) },
		"ownership": func(code string) string {
			for _, o := range enterprise.Ownerships {
				if o.Code == code {
					return o.Name.In(lang)
				}
			}
			return code
		},
		"boolText": func(b *bool) string {
			switch {
			case b == nil:
				return i18n.M("不适用/未知", "n/a / unknown").In(lang)
			case *b:
				return i18n.M("是", "Yes").In(lang)
			}
			return i18n.M("否", "No").In(lang)
		},
		"add":  func(a, b int) int { return a + b },
		"join": strings.Join,
		// pageURL rewrites the page parameter of the current query.
		"pageURL": func(path, rawQuery string, n int) string {
			q, _ := url.ParseQuery(rawQuery)
			q.Set("page", strconv.Itoa(n))
			return path + "?" + q.Encode()
		},
		"lower":  strings.ToLower,
		"deref":  func(p *float64) float64 { return *p },
		"hasTag": hasTag,
		"dict":   dict,
		"now":    func() time.Time { return time.Now() },
		"langIs": func(l string) bool { return string(lang) == l },
	}
}

func hasTag(tags []enterprise.Tag, code string) bool {
	for _, t := range tags {
		if t.Code == code {
			return true
		}
	}
	return false
}

// dict builds a map for passing several values to a sub-template.
func dict(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}
