package enterprise_test

import "github.com/qinqing/qinqing/internal/i18n"

func enterpriseMsg(zh, en string) i18n.Msg { return i18n.M(zh, en) }
