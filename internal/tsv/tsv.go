// Package tsv reads the project's editable tables (corpus/*.tsv): one record a
// line, fields separated by tabs, blank lines and # comments skipped.
package tsv

import (
	"bufio"
	"bytes"
	"strings"
)

// Read calls fn with the fields of each record of a table and its 1-based
// line number, stopping at fn's first error.
func Read(table []byte, fn func(line int, fields []string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(table))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, strings.Split(line, "\t")); err != nil {
			return err
		}
	}
	return sc.Err()
}
