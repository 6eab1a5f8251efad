package enterprise

import (
	"bytes"
	"encoding/json"
)

// Maybe is an optional value in a partial update: not Set means "leave as
// is", Set without Valid means "clear", Set and Valid means "set to V".
// As a JSON field, absent leaves it unset and null clears it.
type Maybe[T any] struct {
	Set   bool
	Valid bool
	V     T
}

// Some returns a Maybe holding v.
func Some[T any](v T) Maybe[T] { return Maybe[T]{Set: true, Valid: true, V: v} }

// Null returns a Maybe that clears the value.
func Null[T any]() Maybe[T] { return Maybe[T]{Set: true} }

// Ptr returns the value as a pointer, nil when cleared or unset.
func (m Maybe[T]) Ptr() *T {
	if !m.Valid {
		return nil
	}
	v := m.V
	return &v
}

// UnmarshalJSON records that the field was present.
func (m *Maybe[T]) UnmarshalJSON(b []byte) error {
	m.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		m.Valid = false
		return nil
	}
	m.Valid = true
	return json.Unmarshal(b, &m.V)
}
