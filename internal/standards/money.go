package standards

import "github.com/qinqing/qinqing/internal/money"

// wanFen converts a threshold in 万元, as the rules state them, to fen.
func wanFen(n int64) int64 { return n * money.FenPerWan }
