package seal

import (
	"strings"
	"testing"
)

func TestSealRoundTripAndWrongKey(t *testing.T) {
	b, err := New("a-long-enough-data-key")
	if err != nil {
		t.Fatal(err)
	}
	s := b.Seal("JBSWY3DPEHPK3PXP")
	if !strings.HasPrefix(s, "enc:v1:") || strings.Contains(s, "JBSWY3DP") {
		t.Fatalf("sealed value leaks the plaintext: %q", s)
	}
	if got, err := b.Open(s); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _ := New("another-long-data-key")
	if _, err := other.Open(s); err != ErrKey {
		t.Errorf("opened with the wrong key: %v", err)
	}
	none, _ := New("")
	if _, err := none.Open(s); err != ErrKey {
		t.Errorf("opened without a key: %v", err)
	}
	if none.Seal("x") != "x" {
		t.Error("a keyless box changed the value")
	}
	if _, err := New("short"); err == nil {
		t.Error("a short key was accepted")
	}
}
