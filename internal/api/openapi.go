package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"sync"
)

// The OpenAPI document is kept in fragments, one per area of the API
// (openapi/*.json, each {"paths": …, "schemas": …}), merged into
// openapi/base.json once at start. A test keeps the merged paths equal to
// the registered routes.
//
//go:embed openapi
var openAPIFS embed.FS

var openAPIDoc = sync.OnceValues(func() ([]byte, error) {
	var base map[string]any
	b, err := openAPIFS.ReadFile("openapi/base.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &base); err != nil {
		return nil, fmt.Errorf("openapi base: %w", err)
	}
	paths := map[string]any{}
	components := base["components"].(map[string]any)
	schemas := components["schemas"].(map[string]any)
	names, err := fs.Glob(openAPIFS, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "openapi/base.json" {
			continue
		}
		var frag struct {
			Paths   map[string]any `json:"paths"`
			Schemas map[string]any `json:"schemas"`
		}
		b, err := openAPIFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &frag); err != nil {
			return nil, fmt.Errorf("openapi %s: %w", name, err)
		}
		for k, v := range frag.Paths {
			if _, dup := paths[k]; dup {
				return nil, fmt.Errorf("openapi %s: path %s is also in another fragment", name, k)
			}
			paths[k] = v
		}
		for k, v := range frag.Schemas {
			if _, dup := schemas[k]; dup {
				return nil, fmt.Errorf("openapi %s: schema %s is also in another fragment", name, k)
			}
			schemas[k] = v
		}
	}
	base["paths"] = paths
	return json.MarshalIndent(base, "", " ")
})

// OpenAPIDocument is the merged OpenAPI 3.1 description of the API.
func OpenAPIDocument() []byte {
	b, err := openAPIDoc()
	if err != nil {
		panic(err) // the fragments are embedded; a test parses them
	}
	return b
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(OpenAPIDocument())
	return err
}
