package eligibility

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
)

// Apply sets attributes from values in the units of conditions and the API
// (yuan for money, percent for ratios, YYYY-MM-DD for dates, a list of codes
// for tags); a nil value forgets the attribute. Base attributes are set
// first and derived ones recomputed; a derived attribute given explicitly
// then overrides its computed value (a what-if on the size class itself).
// Problems are an errs.ErrInvalid naming field.attr for each bad value.
func (p *Profile) Apply(values map[string]any, field string) error {
	f := errs.Fields{}
	parsed := map[string]*Value{}
	for name, raw := range values {
		a, ok := p.cat.Lookup(name)
		if !ok {
			f.Add(field+"."+name, m("未知属性 “"+name+"”", "unknown attribute “"+name+"”"))
			continue
		}
		if raw == nil {
			parsed[name] = nil
			continue
		}
		v, err := a.ParseValue(raw)
		if err != nil {
			f.Add(field+"."+name, err.(*valueError).msg)
			continue
		}
		parsed[name] = &v
	}
	if err := f.Err(); err != nil {
		return err
	}
	for name, v := range parsed {
		if a := p.cat.byName[name]; a.Derived() {
			continue
		}
		if v == nil {
			delete(p.vals, name)
		} else {
			p.vals[name] = *v
		}
	}
	p.Derive()
	for name, v := range parsed {
		if a := p.cat.byName[name]; !a.Derived() {
			continue
		}
		if v == nil {
			delete(p.vals, name)
		} else {
			p.vals[name] = *v
		}
	}
	return nil
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
			s = fmt.Sprint(x)
			if a.Type == TypeMoney {
				s = fmt.Sprintf("%.2f", x)
			}
		case int:
			s = fmt.Sprint(x)
		case int64:
			s = fmt.Sprint(x)
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
				return Value{}, badValue("“"+a.Label.Zh+"”须为以元为单位的金额", a.Label.En+" must be an amount in yuan")
			}
			return Value{Num: float64(fen)}, nil
		}
		var n float64
		if _, err := fmt.Sscan(s, &n); err != nil || s == "" {
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
			for _, s := range strings.FieldsFunc(x, func(r rune) bool { return r == ',' || r == '，' || r == ' ' }) {
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
