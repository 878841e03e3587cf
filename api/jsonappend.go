package api

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"policysearch/index"
)

// The parts of a search response that every search encodes anew — its hits'
// own fields and its facets — are appended by hand, byte for byte as
// encoding/json writes them: reflecting over them was most of the encoding of
// an uncached response. TestEncodedSearchIsEncodingJSON holds them to that.

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as encoding/json writes a string: <, > and &
// escaped for HTML, control characters escaped, invalid UTF-8 as U+FFFD, and
// U+2028 and U+2029 escaped for JavaScript.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	// In valid UTF-8, the only characters beyond ASCII to escape are U+2028
	// and U+2029 (E2 80 A8/A9), and no byte of another character is E2: the
	// text of a response (Chinese, three bytes a character) is checked once
	// and stepped through byte by byte, not decoded.
	valid := utf8.ValidString(s)
	for i := 0; i < len(s); {
		b := s[i]
		if valid && b >= utf8.RuneSelf && (b != 0xE2 || i+2 >= len(s) || s[i+1] != 0x80 || s[i+2]&^1 != 0xA8) {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(dst, s[start:]...), '"')
}

var errNotFinite = errors.New("json: unsupported value: a score that is not a finite number")

// appendJSONFloat appends f as encoding/json writes a float64: the shortest
// decimals, in exponent form only below 1e-6 or from 1e21, e-09 as e-9.
func appendJSONFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return dst, errNotFinite
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

// appendHitOwn appends a hit's own fields (hitOwn without its explanation) as
// the members that follow its clause's: ,"match":…,"highlights":[…],"score":…}
func appendHitOwn(dst []byte, hit *index.Hit) ([]byte, error) {
	dst = appendJSONString(append(dst, `,"match":`...), hit.Match)
	dst = append(dst, `,"highlights":`...)
	if hit.Highlights == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i, h := range hit.Highlights {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, h)
		}
		dst = append(dst, ']')
	}
	dst, err := appendJSONFloat(append(dst, `,"score":`...), hit.Score)
	return append(dst, '}'), err
}

// appendFacets appends facets as encoding/json writes the map: keys sorted.
func appendFacets(dst []byte, facets map[string][]index.Facet) []byte {
	if facets == nil {
		return append(dst, "null"...)
	}
	keys := make([]string, 0, len(facets))
	for k := range facets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(appendJSONString(dst, k), ':')
		fs := facets[k]
		if fs == nil {
			dst = append(dst, "null"...)
			continue
		}
		dst = append(dst, '[')
		for j, f := range fs {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(append(dst, `{"value":`...), f.Value)
			dst = append(strconv.AppendInt(append(dst, `,"count":`...), int64(f.Count), 10), '}')
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}
