package audit

import (
	"net/url"
	"strconv"
	"time"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// ParseFilter reads a filter from query parameters: actor, action (prefix), object_type, object_id, result, from, to
// (YYYY-MM-DD, China time), page.
func ParseFilter(q url.Values, loc *time.Location) (Filter, int, error) {
	f := Filter{Actor: q.Get("actor"), Action: q.Get("action"), ObjectType: q.Get("object_type"),
		ObjectID: q.Get("object_id"), Result: q.Get("result"), Limit: 50}
	fields := errs.Fields{}
	if v := q.Get("from"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			fields.Add("from", i18n.M("日期格式应为 YYYY-MM-DD", "Date must be YYYY-MM-DD"))
		}
		f.From = t
	}
	if v := q.Get("to"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			fields.Add("to", i18n.M("日期格式应为 YYYY-MM-DD", "Date must be YYYY-MM-DD"))
		}
		f.To = t.Add(24*time.Hour - time.Millisecond)
	}
	page := 1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			fields.Add("page", i18n.M("应为正整数", "Must be a positive integer"))
		}
		page = max(n, 1)
	}
	f.Offset = (page - 1) * f.Limit
	return f, page, fields.Err()
}
