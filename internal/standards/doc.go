// Package standards implements the Chinese national standards and ministry
// rules the platform must apply exactly: the unified social credit code
// (GB 32100-2015 with the GB 11714-1997 organisation-code check), the
// industrial classification (GB/T 4754-2017), Chongqing's administrative and
// statistical division codes (GB/T 2260 / 统计用区划代码), the SME size class
// (工信部联企业〔2011〕300号 and 国家统计局《统计上大中小微型企业划分办法（2017）》)
// and the statistics bureau's 规模以上 / 限额以上 status.
//
// All reference data is embedded in the binary; nothing is read from disk at
// run time. Every user-facing message is given in Chinese and English.
package standards

// Msg is a user-facing message in both languages.
type Msg struct {
	Zh string // Simplified Chinese text.
	En string // English text.
}

// String returns the Chinese and English texts joined by " / ".
func (m Msg) String() string {
	switch {
	case m.Zh == "":
		return m.En
	case m.En == "":
		return m.Zh
	}
	return m.Zh + " / " + m.En
}
