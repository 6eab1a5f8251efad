package enterprise

import (
	"net/url"
	"strconv"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// ParseFilter reads a list filter from query parameters (q, industry,
// region, size, tag, above_scale, page, per_page), reporting every bad one.
func ParseFilter(q url.Values) (Filter, error) {
	f := Filter{Q: q.Get("q"), Industry: q.Get("industry"), Region: q.Get("region"), Size: q.Get("size"), Tag: q.Get("tag")}
	fields := errs.Fields{}
	if v := q.Get("above_scale"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fields.Add("above_scale", i18n.M("应为 true 或 false", "Must be true or false"))
		}
		f.AboveScale = &b
	}
	switch f.Size {
	case "", "large", "medium", "small", "micro", "unknown":
	default:
		fields.Add("size", i18n.M("应为 large、medium、small、micro 或 unknown", "Must be large, medium, small, micro or unknown"))
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"page", &f.Page}, {"per_page", &f.PerPage}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				fields.Add(p.name, i18n.M("应为正整数", "Must be a positive integer"))
			}
			*p.dst = n
		}
	}
	return f, fields.Err()
}
