package search

import (
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// segmenter is the process-wide gse segmenter. Loading its dictionary takes
// about two seconds and some 130 MB of heap on the development machine (see
// BenchmarkDictionaryLoad), so it is loaded once, on first use, and shared:
// after that NewIndex is cheap and analysis only reads the dictionary.
var segmenter = sync.OnceValues(newSegmenter)

// newSegmenter loads gse with its embedded simplified-Chinese dictionary.
// gse.New would read dictionary files from disk, which a deployed binary
// does not have; the traditional-Chinese half of the embedded dictionary is
// left out because it adds a second of loading for text the platform does
// not hold, and the character bigrams still match such text.
func newSegmenter() (*gse.Segmenter, error) {
	var seg gse.Segmenter
	seg.SkipLog = true
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		return nil, fmt.Errorf("load gse dictionary: %w", err)
	}
	return &seg, nil
}

// Preload loads the segmentation dictionary now rather than on the first
// Put, Search or Tokens call, so that an application can pay the cost at
// start-up (or in the background) instead of in a visitor's request. It
// returns the load error, if any; analysis then goes on with character
// bigrams only.
func Preload() error {
	_, err := segmenter()
	return err
}

// hanWords returns the words of a run of Han characters in gse's search
// mode (营业执照 → 营业, 执照, 营业执照), keeping words of at least minRunes
// characters. Without a dictionary it returns nil.
func hanWords(run string, minRunes int) []string {
	seg, err := segmenter()
	if err != nil || seg == nil {
		return nil
	}
	words, ok := wordCache.get(run)
	if !ok {
		words = seg.CutSearch(run, true)
		wordCache.put(run, words)
	}
	var out []string
	for _, w := range words {
		if utf8.RuneCountInString(w) >= minRunes && allHan(w) {
			out = append(out, w)
		}
	}
	return out
}

// wordCache remembers the segmentation of Han runs: catalogues repeat
// their phrases (营业执照复印件, 法定代表人身份证明) from document to document,
// and gse's segmentation is most of the cost of Put. It forgets everything
// when it reaches maxCachedRuns.
var wordCache = runCache{m: map[string][]string{}}

const maxCachedRuns = 1 << 15

type runCache struct {
	mu sync.RWMutex
	m  map[string][]string
}

func (c *runCache) get(run string) ([]string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	w, ok := c.m[run]
	return w, ok
}

func (c *runCache) put(run string, words []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCachedRuns {
		clear(c.m)
	}
	c.m[run] = words
}

func allHan(s string) bool {
	for _, r := range s {
		if !isHan(r) {
			return false
		}
	}
	return s != ""
}
