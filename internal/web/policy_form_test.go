package web

import (
	"html"
	"net/url"
	"regexp"
	"strings"
)

var (
	pfInputRE  = regexp.MustCompile(`(?s)<input\b([^>]*)>`)
	pfSelectRE = regexp.MustCompile(`(?s)<select\b([^>]*)>(.*?)</select>`)
	pfOptionRE = regexp.MustCompile(`(?s)<option\b([^>]*)>`)
	pfTextRE   = regexp.MustCompile(`(?s)<textarea\b([^>]*)>(.*?)</textarea>`)
	pfAttrRE   = regexp.MustCompile(`([a-zA-Z][\w:-]*)(?:="([^"]*)")?`)
)

func pfAttrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range pfAttrRE.FindAllStringSubmatch(s, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// formOf reads the values a browser would post from the controls in a
// rendered page: text and hidden inputs, checked boxes and radios, the
// selected option of each select (the first when none is marked), and
// textareas. Submit buttons are left out, as when a form is sent with
// Enter.
func formOf(page string) url.Values {
	v := url.Values{}
	for _, m := range pfInputRE.FindAllStringSubmatch(page, -1) {
		a := pfAttrs(m[1])
		name, ok := a["name"]
		if !ok {
			continue
		}
		_, checked := a["checked"]
		switch a["type"] {
		case "submit", "button", "file":
			continue
		case "checkbox", "radio":
			if !checked {
				continue
			}
			val, has := a["value"]
			if !has {
				val = "on"
			}
			v.Add(name, val)
		default:
			v.Add(name, a["value"])
		}
	}
	for _, m := range pfSelectRE.FindAllStringSubmatch(page, -1) {
		a := pfAttrs(m[1])
		name, ok := a["name"]
		if !ok {
			continue
		}
		first, chosen := "", ""
		found := false
		for i, o := range pfOptionRE.FindAllStringSubmatch(m[2], -1) {
			oa := pfAttrs(o[1])
			if i == 0 {
				first = oa["value"]
			}
			if _, sel := oa["selected"]; sel && !found {
				chosen, found = oa["value"], true
			}
		}
		if !found {
			chosen = first
		}
		v.Add(name, chosen)
	}
	for _, m := range pfTextRE.FindAllStringSubmatch(page, -1) {
		a := pfAttrs(m[1])
		if name, ok := a["name"]; ok {
			v.Add(name, html.UnescapeString(strings.TrimPrefix(m[2], "\n")))
		}
	}
	return v
}

// FormOf is formOf for the package's black-box tests.
var FormOf = formOf
