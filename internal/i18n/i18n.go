// Package i18n holds the platform's two languages: Chinese first, English
// available. UI strings live in a catalogue keyed by stable ids; messages
// produced by business rules travel as Msg values carrying both texts.
package i18n

import (
	"strconv"
	"strings"
)

// Lang is a UI language.
type Lang string

// The supported languages. Chinese is the default.
const (
	Zh Lang = "zh"
	En Lang = "en"
)

// Msg is a user-facing text in both languages.
type Msg struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// M builds a Msg.
func M(zh, en string) Msg { return Msg{Zh: zh, En: en} }

// In returns the text in lang, falling back to Chinese.
func (m Msg) In(l Lang) string {
	if l == En && m.En != "" {
		return m.En
	}
	return m.Zh
}

// IsZero reports whether the message is empty.
func (m Msg) IsZero() bool { return m.Zh == "" && m.En == "" }

// ParseLang accepts "zh", "en" and their regional forms; anything else is Chinese.
func ParseLang(s string) Lang {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "en" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_") {
		return En
	}
	return Zh
}

// FromAcceptLanguage picks the first supported language of an
// Accept-Language header, in the client's order of preference.
func FromAcceptLanguage(h string) Lang {
	best, bestQ := Zh, -1.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		tag = strings.ToLower(tag)
		var l Lang
		switch {
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			l = Zh
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			l = En
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}
