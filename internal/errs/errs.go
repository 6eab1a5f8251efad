// Package errs defines the platform's typed errors. Services return them;
// the HTTP layers map them to a status and a safe, bilingual message in one
// place. Anything else is an internal error whose detail is only logged.
package errs

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/qinqing/qinqing/internal/i18n"
)

// Kinds of failure a caller can act on.
var (
	ErrNotFound     = errors.New("not found")
	ErrInvalid      = errors.New("invalid input")
	ErrForbidden    = errors.New("forbidden")
	ErrUnauthorized = errors.New("unauthenticated")
	ErrConflict     = errors.New("conflict")
	ErrPrecondition = errors.New("precondition failed")
	// ErrPreconditionRequired: a state change sent without the version it
	// was based on (HTTP 428).
	ErrPreconditionRequired = errors.New("precondition required")
	ErrTooManyRequest       = errors.New("too many requests")
)

// Error is a typed error with a user-facing message and, for ErrInvalid,
// one message per offending field so a form can show them all at once.
type Error struct {
	Kind   error
	Code   string // stable machine-readable code, e.g. "credit_code_taken"
	Msg    i18n.Msg
	Fields map[string]i18n.Msg
}

func (e *Error) Error() string {
	s := e.Kind.Error()
	if e.Msg.En != "" {
		s += ": " + e.Msg.En
	}
	if len(e.Fields) > 0 {
		for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
			s += fmt.Sprintf("; %s: %s", k, e.Fields[k].En)
		}
	}
	return s
}

// Unwrap lets errors.Is match the kind.
func (e *Error) Unwrap() error { return e.Kind }

// New builds an Error of a kind with a message.
func New(kind error, code string, msg i18n.Msg) *Error {
	return &Error{Kind: kind, Code: code, Msg: msg}
}

// NotFound is an ErrNotFound naming what was missing.
func NotFound(what i18n.Msg) *Error {
	return New(ErrNotFound, "not_found", i18n.M(what.Zh+"不存在", what.En+" not found"))
}

// Forbidden is the generic ErrForbidden.
func Forbidden() *Error {
	return New(ErrForbidden, "forbidden", i18n.M("无权执行此操作", "You are not allowed to do this"))
}

// Conflict is an ErrConflict with a message.
func Conflict(code string, msg i18n.Msg) *Error { return New(ErrConflict, code, msg) }

// Fields collects field validation errors.
type Fields map[string]i18n.Msg

// Add records a message for a field; the first message per field wins.
func (f Fields) Add(field string, m i18n.Msg) {
	if _, ok := f[field]; !ok {
		f[field] = m
	}
}

// Err returns nil when no field failed, else an ErrInvalid carrying them.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: ErrInvalid, Code: "invalid", Msg: i18n.M("提交的内容有误，请按提示修改", "Some fields are invalid"), Fields: f}
}

// Invalid is an ErrInvalid with a single field message.
func Invalid(field string, m i18n.Msg) error { return Fields{field: m}.Err() }

// FieldsOf returns the field messages of an ErrInvalid, or nil.
func FieldsOf(err error) map[string]i18n.Msg {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
