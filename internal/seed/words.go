package seed

import (
	"math/rand/v2"
	"strings"
)

// The word lists below make names that read like real ones without copying
// any: a 字号 is two characters drawn from two lists, and the combinations of
// well-known firms are left out.

// surnames are common Chinese surnames, the most frequent repeated so that
// they come up more often, with a few that are typical of Chongqing (谭, 冉, 向).
var surnames = []rune("王王王李李李张张张刘刘刘陈陈陈杨杨黄黄赵吴周周徐孙马朱胡郭何何高林罗罗郑梁谢宋唐唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严冉冉向向汤文")

// givenChars are characters common in given names.
var givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华建国文红玲斌鹏辉波宇浩凯健俊帆旭宁林欣佳琳雪梅兰晨阳志海峰春燕东亮成鑫婷倩颖琴云莉萍彬飞丹蓉川嘉思雨晓立新德利永小锋松琪子安")

// brandFirst and brandSecond make up 字号 (trade names).
var (
	brandFirst  = []rune("嘉渝碚缙泉华瑞恒德宏信博鼎锦金卓睿拓远正新聚合盛荣丰凯润佳永宇航天中海茂祥裕汇晟立益顺和昌弘致朗澜沛峻腾骏捷晶铭昊")
	brandSecond = []rune("川峰兴达源泰诚鑫腾辉航邦创智越朗驰禾澜森恒瑞丰通利隆辰晖宸成欣远洲信凯宏博安盈润")
)

// famousBrands are trade names of well-known firms (many of them in
// Chongqing) that the generator must not produce.
var famousBrands = map[string]bool{
	"华邦": true, "博腾": true, "恒通": true, "中航": true, "远达": true, "海通": true, "信达": true,
	"中信": true, "渝丰": true, "宏达": true, "华润": true, "永辉": true, "中通": true, "顺丰": true,
	"正泰": true, "德邦": true, "天润": true, "金科": true, "华晨": true, "新希": true, "中兴": true,
	"盛泰": true, "海信": true, "鼎泰": true, "远洲": true, "宇通": true, "中达": true, "恒瑞": true,
	"华航": true, "天源": true, "博安": true,
}

// brands is every usable 字号, in a fixed order.
var brands = func() []string {
	var out []string
	for _, a := range brandFirst {
		for _, b := range brandSecond {
			s := string([]rune{a, b})
			if a != b && !famousBrands[s] {
				out = append(out, s)
			}
		}
	}
	return out
}()

// personName draws a plausible full name: a surname and one or two
// given-name characters.
func personName(r *rand.Rand) string {
	var b strings.Builder
	b.WriteRune(surnames[r.IntN(len(surnames))])
	b.WriteRune(givenChars[r.IntN(len(givenChars))])
	if r.IntN(10) < 7 {
		b.WriteRune(givenChars[r.IntN(len(givenChars))])
	}
	return b.String()
}

// mobile draws a mainland mobile number, 1[3-9]xxxxxxxxx.
func mobile(r *rand.Rand) string {
	var b [11]byte
	b[0] = '1'
	b[1] = byte('3' + r.IntN(7))
	n := r.Uint64N(1_000_000_000)
	for i := 10; i >= 2; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[:])
}

// divisionWords give the industry part of a company name for each GB/T 4754
// 大类 (division); a few 小类 have their own in classWords.
var divisionWords = map[string]string{
	"01": "农业开发", "02": "林业", "03": "畜牧", "04": "水产", "05": "农业服务",
	"06": "煤业", "07": "油气", "08": "矿业", "09": "矿业", "10": "矿业", "11": "矿山技术服务", "12": "矿业",
	"13": "食品", "14": "食品", "15": "饮品", "16": "烟草", "17": "纺织", "18": "服饰", "19": "皮革制品",
	"20": "木业", "21": "家具", "22": "纸业", "23": "印务", "24": "文体用品", "25": "能源", "26": "化工",
	"27": "药业", "28": "化纤", "29": "塑胶", "30": "建材", "31": "钢铁", "32": "有色金属", "33": "金属制品",
	"34": "机械", "35": "装备", "36": "汽车部件", "37": "交通装备", "38": "电气", "39": "电子", "40": "仪器仪表",
	"41": "制品", "42": "再生资源", "43": "设备维修",
	"44": "电力", "45": "燃气", "46": "水务",
	"47": "建筑工程", "48": "建设工程", "49": "安装工程", "50": "装饰工程",
	"51": "商贸", "52": "商贸",
	"53": "铁路服务", "54": "运输", "55": "航运", "56": "航空服务", "57": "管道运输", "58": "物流", "59": "仓储", "60": "快递",
	"61": "酒店管理", "62": "餐饮管理",
	"63": "通信技术", "64": "网络科技", "65": "信息技术",
	"66": "金融服务", "67": "投资", "68": "保险代理", "69": "金融信息服务",
	"70": "置业",
	"71": "租赁", "72": "企业管理咨询",
	"73": "科技", "74": "技术服务", "75": "科技",
	"76": "水利工程", "77": "环保科技", "78": "园林", "79": "土地整治",
	"80": "家政服务", "81": "维修服务", "82": "清洁服务",
	"83": "教育科技",
	"84": "医疗管理", "85": "养老服务",
	"86": "文化传媒", "87": "影视传媒", "88": "文化艺术", "89": "体育发展", "90": "娱乐",
}

// classWords override divisionWords for classes whose division word would
// read oddly.
var classWords = map[string]string{
	"3611": "汽车", "3612": "新能源汽车", "3670": "汽车零部件", "3751": "摩托车", "3752": "摩托车零部件",
	"7010": "房地产开发", "7020": "物业管理", "7030": "房地产经纪", "5212": "超市", "5251": "大药房",
	"6220": "餐饮", "6110": "酒店", "7452": "检测技术", "7484": "工程设计", "7291": "旅游",
}

// tradeWord returns the industry part of a name for a 4-digit class.
func tradeWord(class string) string {
	if w, ok := classWords[class]; ok {
		return w
	}
	return divisionWords[class[:2]]
}
