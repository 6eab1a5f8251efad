package eligibility

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
)

// Apply sets attributes from values in the units of conditions and the API
// (yuan for money, percent for ratios, YYYY-MM-DD for dates, a list of codes
// for tags) and recomputes the derived ones, so that a what-if on the number
// of employees also moves the size class. A nil value forgets a base
// attribute. A derived attribute given a value overrides what it would be
// computed as (a what-if on the size class itself), and what depends on it
// follows; given nil it is computed again. Problems are an errs.ErrInvalid
// naming field.attr for each bad value, and then nothing is changed.
func (p *Profile) Apply(values map[string]any, field string) error {
	f := errs.Fields{}
	parsed := map[string]*Value{}
	for name, raw := range values {
		a, ok := p.cat.Lookup(name)
		if !ok {
			f.Add(joinField(field, name), m("未知属性 “"+name+"”", "unknown attribute “"+name+"”"))
			continue
		}
		if raw == nil {
			parsed[name] = nil
			continue
		}
		v, err := a.ParseValue(raw)
		if err != nil {
			f.Add(joinField(field, name), err.(*valueError).msg)
			continue
		}
		parsed[name] = &v
	}
	if err := f.Err(); err != nil {
		return err
	}
	for name, v := range parsed {
		derived := p.cat.byName[name].Derived()
		switch {
		case v != nil:
			p.vals[name] = *v
			if derived {
				if p.pinned == nil {
					p.pinned = map[string]bool{}
				}
				p.pinned[name] = true
			}
		case derived:
			delete(p.pinned, name)
		default:
			delete(p.vals, name)
		}
	}
	p.Derive()
	return nil
}

// joinField names a field under a parent field, which may be empty.
func joinField(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// ProfileOf builds a profile from values alone (a policy's test case, the
// public calculator's answers).
func ProfileOf(cat *Catalogue, asOf string, values map[string]any, field string) (*Profile, error) {
	p := NewProfile(cat, asOf)
	if err := p.Apply(values, field); err != nil {
		return nil, err
	}
	return p, nil
}

// valueError is a bad value with its bilingual message.
type valueError struct{ msg i18n.Msg }

// Error returns the English message.
func (e *valueError) Error() string { return e.msg.En }

func badValue(zh, en string) error { return &valueError{msg: m(zh, en)} }

// ParseValue reads one value in external units: a JSON-decoded value
// (float64 or json.Number, string, bool, []any) or a form string.
func (a *Attribute) ParseValue(raw any) (Value, error) {
	switch a.Type {
	case TypeNumber, TypePercent, TypeMoney:
		var s string
		switch x := raw.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return Value{}, badValue("“"+a.Label.Zh+"”须为数字", a.Label.En+" must be a number")
			}
			// The shortest decimal that reads back as x: 3000000.01 stays
			// exact, and an amount below the fen is refused, not rounded.
			s = strconv.FormatFloat(x, 'f', -1, 64)
		case int:
			s = strconv.Itoa(x)
		case int64:
			s = strconv.FormatInt(x, 10)
		case json.Number:
			s = x.String()
		case string:
			s = strings.TrimSpace(x)
		default:
			return Value{}, badValue("“"+a.Label.Zh+"”须为数字", a.Label.En+" must be a number")
		}
		if a.Type == TypeMoney {
			fen, err := money.ParseYuan(s)
			if err != nil {
				return Value{}, badValue("“"+a.Label.Zh+"”须为以元为单位、最多两位小数的金额",
					a.Label.En+" must be an amount in yuan with at most two decimals")
			}
			return Value{Num: float64(fen)}, nil
		}
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return Value{}, badValue("“"+a.Label.Zh+"”须为数字", a.Label.En+" must be a number")
		}
		return Value{Num: n}, nil
	case TypeBool:
		switch x := raw.(type) {
		case bool:
			return Value{Bool: x}, nil
		case string:
			switch strings.TrimSpace(strings.ToLower(x)) {
			case "true", "1", "yes", "是":
				return Value{Bool: true}, nil
			case "false", "0", "no", "否":
				return Value{Bool: false}, nil
			}
		}
		return Value{}, badValue("“"+a.Label.Zh+"”须为是或否", a.Label.En+" must be yes or no")
	case TypeDate:
		s, _ := raw.(string)
		if _, err := time.Parse(time.DateOnly, strings.TrimSpace(s)); err != nil {
			return Value{}, badValue("“"+a.Label.Zh+"”须为 YYYY-MM-DD 格式的日期", a.Label.En+" must be a date YYYY-MM-DD")
		}
		return Value{Str: strings.TrimSpace(s)}, nil
	case TypeSet:
		var out []string
		add := func(s string) {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		switch x := raw.(type) {
		case []any:
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return Value{}, badValue("“"+a.Label.Zh+"”须为代码列表", a.Label.En+" must be a list of codes")
				}
				add(s)
			}
		case []string:
			for _, s := range x {
				add(s)
			}
		case string:
			for _, s := range strings.FieldsFunc(x, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' }) {
				add(s)
			}
		default:
			return Value{}, badValue("“"+a.Label.Zh+"”须为代码列表", a.Label.En+" must be a list of codes")
		}
		slices.Sort(out)
		return Value{Set: out}, nil
	default: // code
		s, ok := raw.(string)
		s = strings.TrimSpace(s)
		if !ok || s == "" {
			return Value{}, badValue("“"+a.Label.Zh+"”须为非空代码", a.Label.En+" must be a non-empty code")
		}
		if len(a.Options) > 0 && !slices.ContainsFunc(a.Options, func(o Option) bool { return o.Code == s }) {
			return Value{}, badValue("“"+s+"”不是“"+a.Label.Zh+"”的可选值", "“"+s+"” is not a value of "+a.Label.En)
		}
		return Value{Str: s}, nil
	}
}
