// Package fault is the one error type that crosses layers: it carries a code that
// says whose fault it is, and the HTTP layer maps each code to a status.
package fault

import (
	"errors"
	"fmt"
)

// Code says what kind of failure an error is.
type Code string

// The codes, named as the API's error codes.
const (
	Invalid     Code = "invalid_argument"
	NotFound    Code = "not_found"
	Conflict    Code = "conflict"
	Unavailable Code = "unavailable"
	// TooLarge is a file over a size limit (--max-upload, or its unpacked size).
	TooLarge Code = "payload_too_large"
	// Unsupported is a file of a format that is not read; the message lists those that are.
	Unsupported Code = "unsupported_media_type"
	// Unprocessable is a file of a format that is read but holds no text to
	// read (a scan), or is damaged.
	Unprocessable Code = "unprocessable"
)

// Error is a failure with a code and a message fit for the user.
type Error struct {
	Code    Code
	Message string
	Err     error // the cause, for logs
}

func (e *Error) Error() string { return e.Message }

func (e *Error) Unwrap() error { return e.Err }

// New makes an error with a formatted message.
func New(code Code, format string, args ...interface{}) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap makes an error with a code around a cause whose message is fit to show.
func Wrap(code Code, err error) *Error {
	return &Error{Code: code, Message: err.Error(), Err: err}
}

// CodeOf returns the code of err, or "" when it carries none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
