package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"policysearch/internal/fault"
)

// Error is an error a client sees: a status, a code from the contract and a
// message that says what to change.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// codes maps each status the API answers with to its contract code.
var codes = map[int]string{
	http.StatusBadRequest:            "invalid_argument",
	http.StatusUnauthorized:          "unauthenticated",
	http.StatusForbidden:             "permission_denied",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusConflict:              "conflict",
	http.StatusRequestEntityTooLarge: "payload_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusUnprocessableEntity:   "unprocessable",
	http.StatusTooManyRequests:       "rate_limited",
	http.StatusServiceUnavailable:    "unavailable",
	http.StatusInternalServerError:   "internal",
}

func errorf(status int, format string, args ...interface{}) *Error {
	return &Error{Status: status, Code: codes[status], Message: fmt.Sprintf(format, args...)}
}

func invalid(format string, args ...interface{}) *Error {
	return errorf(http.StatusBadRequest, format, args...)
}

func notFound(format string, args ...interface{}) *Error {
	return errorf(http.StatusNotFound, format, args...)
}

// faultStatus maps the domain's error codes to statuses.
var faultStatus = map[fault.Code]int{
	fault.Invalid:     http.StatusBadRequest,
	fault.NotFound:    http.StatusNotFound,
	fault.Conflict:    http.StatusConflict,
	fault.Unavailable: http.StatusServiceUnavailable,
	// A file: over a size limit, of a format not read, or holding no text.
	fault.TooLarge:      http.StatusRequestEntityTooLarge,
	fault.Unsupported:   http.StatusUnsupportedMediaType,
	fault.Unprocessable: http.StatusUnprocessableEntity,
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"request_id"`
}

// handleError answers every error in the contract's shape. Internal errors are
// logged with the request id and hidden from the client.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var e *Error
	var he *echo.HTTPError
	var fe *fault.Error
	switch {
	case errors.As(err, &e):
	case errors.As(err, &fe):
		e = &Error{Status: faultStatus[fe.Code], Code: string(fe.Code), Message: fe.Message}
		if e.Status == 0 {
			e = errorf(http.StatusInternalServerError, "internal error")
		}
	case errors.As(err, &he):
		code, ok := codes[he.Code]
		if !ok {
			code = "internal"
			he.Code = http.StatusInternalServerError
		}
		msg := http.StatusText(he.Code)
		switch he.Code {
		case http.StatusNotFound:
			msg = "no such endpoint: " + c.Request().URL.Path
		case http.StatusMethodNotAllowed:
			msg = fmt.Sprintf("method %s is not allowed on %s", c.Request().Method, c.Request().URL.Path)
		case http.StatusRequestEntityTooLarge:
			msg = "the request body is too large"
		}
		e = &Error{Status: he.Code, Code: code, Message: msg}
	default:
		e = errorf(http.StatusInternalServerError, "internal error")
	}
	rid := requestID(c)
	if e.Status == http.StatusInternalServerError {
		s.log.Error("request failed", "request_id", rid, "method", c.Request().Method, "path", c.Request().URL.Path, "error", err.Error())
		e.Message = "internal error; quote request id " + rid
	} else {
		s.log.Debug("request refused", "request_id", rid, "status", e.Status, "error", e.Message)
	}
	body := errorBody{errorDetail{Code: e.Code, Message: e.Message, RequestID: rid}}
	var werr error
	if c.Request().Method == http.MethodHead {
		werr = c.NoContent(e.Status)
	} else {
		werr = c.JSON(e.Status, body)
	}
	if werr != nil {
		s.log.Error("writing error response", "request_id", rid, "error", werr, slog.Int("status", e.Status))
	}
}

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}
