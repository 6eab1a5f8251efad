package servicepoint

import "math"

// GCJ-02 (国测局坐标, "Mars coordinates") is the obfuscated datum that maps
// published in mainland China must use (测绘法; GB 20263 导航电子地图安全处理
// 技术基本要求); 高德 and 腾讯 maps draw in it. The transform below is the
// widely published reverse-engineered one (Krasovsky ellipsoid), accurate to
// well under a metre against the official one.
const (
	gcjA  = 6378245.0              // Krasovsky 1940 semi-major axis
	gcjEE = 0.00669342162296594323 // its first eccentricity squared
)

// ToGCJ02 converts WGS-84 coordinates, as points store them, to GCJ-02 for
// display on a Chinese consumer map. Points outside mainland China's rough
// extent are returned unchanged, as those maps do.
func ToGCJ02(lat, lng float64) (float64, float64) {
	if outsideChina(lat, lng) {
		return lat, lng
	}
	dLat, dLng := gcjDelta(lat, lng)
	return lat + dLat, lng + dLng
}

// FromGCJ02 converts a position picked on a GCJ-02 map back to WGS-84. The
// transform has no closed inverse; a few fixed-point steps bring the result
// within 1e-9 degrees.
func FromGCJ02(lat, lng float64) (float64, float64) {
	if outsideChina(lat, lng) {
		return lat, lng
	}
	wLat, wLng := lat, lng
	for range 30 {
		gLat, gLng := ToGCJ02(wLat, wLng)
		eLat, eLng := gLat-lat, gLng-lng
		wLat, wLng = wLat-eLat, wLng-eLng
		if math.Abs(eLat) < 1e-10 && math.Abs(eLng) < 1e-10 {
			break
		}
	}
	return wLat, wLng
}

func outsideChina(lat, lng float64) bool {
	return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271
}

func gcjDelta(lat, lng float64) (float64, float64) {
	x, y := lng-105.0, lat-35.0
	dLat := -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	dLat += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	dLat += (20.0*math.Sin(y*math.Pi) + 40.0*math.Sin(y/3.0*math.Pi)) * 2.0 / 3.0
	dLat += (160.0*math.Sin(y/12.0*math.Pi) + 320*math.Sin(y*math.Pi/30.0)) * 2.0 / 3.0
	dLng := 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	dLng += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	dLng += (20.0*math.Sin(x*math.Pi) + 40.0*math.Sin(x/3.0*math.Pi)) * 2.0 / 3.0
	dLng += (150.0*math.Sin(x/12.0*math.Pi) + 300.0*math.Sin(x/30.0*math.Pi)) * 2.0 / 3.0
	rad := lat / 180.0 * math.Pi
	magic := math.Sin(rad)
	magic = 1 - gcjEE*magic*magic
	sq := math.Sqrt(magic)
	dLat = (dLat * 180.0) / ((gcjA * (1 - gcjEE)) / (magic * sq) * math.Pi)
	dLng = (dLng * 180.0) / (gcjA / sq * math.Cos(rad) * math.Pi)
	return dLat, dLng
}
