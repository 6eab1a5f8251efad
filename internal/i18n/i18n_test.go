package i18n

import "testing"

func TestFromAcceptLanguage(t *testing.T) {
	cases := []struct {
		header string
		want   Lang
	}{
		{"", Zh},
		{"en-US,en;q=0.9", En},
		{"zh-CN,zh;q=0.9,en;q=0.8", Zh},
		{"fr-FR, en;q=0.5", En},
		{"en;q=0.3, zh;q=0.7", Zh},
		{"de", Zh},
	}
	for _, c := range cases {
		if got := FromAcceptLanguage(c.header); got != c.want {
			t.Errorf("FromAcceptLanguage(%q) = %s, want %s", c.header, got, c.want)
		}
	}
}

func TestMsgFallsBackToChinese(t *testing.T) {
	if got := M("仅中文", "").In(En); got != "仅中文" {
		t.Errorf("got %q", got)
	}
	if got := M("中文", "English").In(En); got != "English" {
		t.Errorf("got %q", got)
	}
}
