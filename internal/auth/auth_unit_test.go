package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h := hashPassword("正确的马电池订书钉-42")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id with the expected parameters", h)
	}
	if ok, err := checkPassword(h, "正确的马电池订书钉-42"); !ok || err != nil {
		t.Errorf("correct password rejected: %v", err)
	}
	if ok, _ := checkPassword(h, "正确的马电池订书钉-43"); ok {
		t.Error("wrong password accepted")
	}
	if h == hashPassword("正确的马电池订书钉-42") {
		t.Error("two hashes of one password are equal: no salt")
	}
	if _, err := checkPassword("$bcrypt$nope", "x"); err == nil {
		t.Error("malformed hash accepted")
	}
}

func TestPasswordPolicy(t *testing.T) {
	p := DefaultPasswordPolicy
	cases := []struct {
		name  string
		user  string
		pw    string
		staff bool
		ok    bool
	}{
		{"eleven characters are too short", "zhang", "Kx9#mQ2vLp7", false, false},
		{"twelve characters are enough for an enterprise user", "zhang", "kx9mq2vlp7wz", false, true},
		{"a common password is refused", "zhang", "password1234", false, false},
		{"a common Chinese pattern is refused", "zhang", "woaini131452", false, false},
		{"a common word with digits and a symbol is refused", "zhang", "Sunshine2024!", false, false},
		{"a run of digits is refused", "zhang", "123456789012", false, false},
		{"one repeated character is refused", "zhang", "aaaaaaaaaaaa", false, false},
		{"the username inside the password is refused", "zhangwei", "xxZhangWei2026x", false, false},
		{"staff need three character classes", "clerk", "kx9mq2vlp7wz", true, false},
		{"staff with three classes pass", "clerk", "Kx9mq2vlp7wz", true, true},
		{"Chinese characters count towards length", "li", "亲清政企服务平台北碚区好", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msgs := p.Check(c.user, c.pw, c.staff)
			if (len(msgs) == 0) != c.ok {
				t.Errorf("Check(%q) = %v, want ok=%v", c.pw, msgs, c.ok)
			}
		})
	}
}

// RFC 6238 Appendix B test vectors (SHA-1 seed "12345678901234567890"),
// truncated to the six digits authenticator apps show.
func TestTOTPMatchesRFC6238Vectors(t *testing.T) {
	secret := b32.EncodeToString([]byte("12345678901234567890"))
	vectors := map[int64]string{59: "287082", 1111111109: "081804", 1111111111: "050471", 1234567890: "005924", 2000000000: "279037"}
	for unix, want := range vectors {
		if got := TOTPCode(secret, time.Unix(unix, 0)); got != want {
			t.Errorf("TOTP at %d = %s, want %s", unix, got, want)
		}
	}
}

func TestTOTPWindowAndReplay(t *testing.T) {
	secret := newTOTPSecret()
	now := time.Unix(1_800_000_000, 0)
	code := TOTPCode(secret, now.Add(-30*time.Second))
	step, ok := verifyTOTP(secret, code, now, 0)
	if !ok {
		t.Fatal("a code one step old was refused")
	}
	if _, ok := verifyTOTP(secret, code, now, step); ok {
		t.Error("a code was accepted twice")
	}
	if _, ok := verifyTOTP(secret, TOTPCode(secret, now.Add(-90*time.Second)), now, 0); ok {
		t.Error("a code three steps old was accepted")
	}
}
