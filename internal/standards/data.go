package standards

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
)

// gbt4754CSV is GB/T 4754-2017 国民经济行业分类 (20 门类, 97 大类, 473 中类,
// 1380 小类). Columns: level, menlei, dalei, zhonglei, xiaolei, code, name,
// remark.
//
//go:embed data/gbt4754_2017.csv
var gbt4754CSV []byte

// districtsCSV lists Chongqing's 38 区县 (GB/T 2260 / 国家统计局统计用区划代码).
// Columns: code, name, cityCode, provinceCode.
//
//go:embed data/chongqing_districts_tjyqh.csv
var districtsCSV []byte

// streetsCSV lists Chongqing's 1031 街道/镇/乡 (9-digit 统计用区划代码).
// Columns: code, name, areaCode, provinceCode, cityCode.
//
//go:embed data/chongqing_streets_tjyqh.csv
var streetsCSV []byte

// readCSV parses an embedded CSV file, checks its header and returns the data
// rows. Embedded data is part of the build, so a malformed file is a
// programming error and panics (the package tests load every file).
func readCSV(name string, data []byte, header ...string) [][]string {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = len(header)
	recs, err := r.ReadAll()
	if err != nil {
		panic(fmt.Sprintf("standards: embedded %s: %v", name, err))
	}
	if len(recs) == 0 {
		panic(fmt.Sprintf("standards: embedded %s is empty", name))
	}
	for i, h := range header {
		if recs[0][i] != h {
			panic(fmt.Sprintf("standards: embedded %s: column %d is %q, want %q", name, i+1, recs[0][i], h))
		}
	}
	return recs[1:]
}
