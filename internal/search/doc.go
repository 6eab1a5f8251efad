// Package search is the full-text search of the platform's catalogues
// (government-service matters, policies, bank products): an in-memory
// index, rebuilt at start and updated on every change, that finds Chinese
// text by Chinese words, by full pinyin and by pinyin initials.
//
// # Analysis
//
// Text is normalized rune by rune (full-width ASCII to ASCII, lower case)
// and cut into Han runs and Latin words. A Han run is indexed as its single
// characters, its character bigrams — so that any substring of two or more
// characters matches, whatever the segmenter makes of it — and the longer
// words of gse's search mode (营业执照, 消防安全). Every Han term of two or
// more characters is also findable by its pinyin: full ("yingyezhizhao")
// and initials ("yyzz"), in every reading of its polyphonic characters
// (重庆: chongqing as well as go-pinyin's zhongqing). Queries go through the
// same analysis; a run of Latin words is read as index words or as pinyin
// cut into the fewest known chunks ("spjy" → 食品 + 经营, "ying ye zhi
// zhao" → 营业执照). Tokens shows the analysis of a text.
//
// # Ranking
//
// BM25 per field, weighted title 3, keywords 2, body 1, raised when the
// whole query occurs in the title (more when the title starts with it or is
// it), in a keyword or in the body, and scaled by the square of the share of
// the query a document matches; see Index.Search.
//
// # Cost
//
// The first analysis in a process loads gse's embedded simplified-Chinese
// dictionary: about two seconds and 130 MB of heap on the 2-core
// development machine (BenchmarkDictionaryLoad), plus some 50 ms for the
// pinyin table. It happens once, behind sync.OnceValues; call Preload at
// start-up to pay it before the first request. After that NewIndex is
// cheap; Put analyses a document in about 0.1 ms (PutAll spreads a rebuild
// over all cores), the index holds about 5 KB per catalogue entry, and a
// search over 5,000 entries takes 0.01 to 0.3 ms (BenchmarkSearch, which
// compares it with a linear scan). Segmentations of Han runs are cached,
// up to 32,768 runs, because catalogues repeat their phrases.
package search
