package seed

import (
	"fmt"

	"github.com/qinqing/qinqing/internal/standards"
)

// creditAlphabet is the GB 32100-2015 character set, valued 0–30 in order.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCode assembles a unified social credit code (GB 32100-2015) from its
// registration-authority and category characters (e.g. "91" for an
// enterprise registered with market regulation), the 6-digit division code of
// the registering authority and the 8-character organisation-code body, adding
// the GB 11714-1997 check character (position 17) and the GB 32100 check
// character (position 18). It panics on a malformed body: callers build
// bodies from creditAlphabet only.
func creditCode(kind, region, body string) string {
	oc, err := standards.OrgCodeCheckChar(body)
	if err != nil {
		panic(fmt.Sprintf("seed: organisation code body %q: %v", body, err))
	}
	first17 := kind + region + body + string(oc)
	cc, err := standards.CreditCodeCheckChar(first17)
	if err != nil {
		panic(fmt.Sprintf("seed: credit code %q: %v", first17, err))
	}
	return first17 + string(cc)
}

// base31 writes n into dst as len(dst) credit-alphabet digits, most
// significant first; it reports false when n does not fit.
func base31(dst []byte, n uint64) bool {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = creditAlphabet[n%31]
		n /= 31
	}
	return n == 0
}
