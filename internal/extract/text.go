package extract

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"policysearch/internal/fault"
)

// decodeText reads plain text: UTF-8 (with or without a BOM), UTF-16 with a
// BOM (Notepad's "Unicode"), else GB18030, which is a superset of GBK and
// GB2312 — what Windows in China saves as "ANSI".
func decodeText(data []byte) (string, string, error) {
	if s, enc, ok := utf16Text(data); ok {
		return cleanText(s), enc, nil
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if utf8.Valid(data) {
		return cleanText(string(data)), "utf-8", nil
	}
	s, ok := gb18030(data)
	if !ok {
		line, off := invalidUTF8(data)
		return "", "", fault.New(fault.Unsupported, "the text is neither UTF-8 (line %d, byte %d is not) nor GB18030/GBK. Accepted: %s", line, off, Accepted)
	}
	return cleanText(s), "gb18030", nil
}

// invalidUTF8 is where UTF-8 decoding first fails: its line (from 1) and byte offset.
func invalidUTF8(data []byte) (line, off int) {
	line = 1
	for off < len(data) {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if r == '\n' {
			line++
		}
		off += size
	}
	return line, off
}

// gb18030 decodes GB18030/GBK. Bytes that are not (a file in another
// encoding) decode to U+FFFD: more than a few of those, and it was not GBK.
func gb18030(data []byte) (string, bool) {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", false
	}
	s := string(out)
	bad := strings.Count(s, "\uFFFD")
	if bad > 0 && bad*200 > utf8.RuneCountInString(s) {
		return "", false
	}
	return s, true
}

// utf16Text decodes UTF-16 that starts with its byte-order mark.
func utf16Text(data []byte) (string, string, bool) {
	var enc string
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		enc = "utf-16le"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		enc = "utf-16be"
	default:
		return "", "", false
	}
	out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
	if err != nil {
		return "", "", false
	}
	return string(out), enc, true
}

// cleanText gives the parser \n line ends and no NUL or other control
// characters but tabs and form feeds (a page break in a text export).
func cleanText(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\f", "\n", "\u2028", "\n", "\u2029", "\n").Replace(s)
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r == '\uFEFF' {
			return -1
		}
		return r
	}, s)
}
