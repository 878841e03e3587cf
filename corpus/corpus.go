// Package corpus holds the policy documents that ship inside the binary and the
// table of responsible departments with their official names.
package corpus

import (
	"embed"
	"io/fs"
)

// Files holds every built-in document (*.txt, one document per file; the file name
// without .txt is the document id), departments.tsv, synonyms.tsv and renames.tsv.
//
//go:embed *.txt departments.tsv synonyms.tsv renames.tsv
var Files embed.FS

// Documents returns the built-in documents as a file system of *.txt files.
func Documents() fs.FS { return Files }

// DepartmentsTSV returns the department table: short name, official name, kind.
func DepartmentsTSV() []byte {
	b, err := Files.ReadFile("departments.tsv")
	if err != nil {
		// The file is embedded at build time; its absence is a broken build.
		panic("corpus: departments.tsv missing from the embedded files: " + err.Error())
	}
	return b
}

// SynonymsTSV returns the table of equivalent names (科协 / 科学技术协会), one group a line.
func SynonymsTSV() []byte {
	b, err := Files.ReadFile("synonyms.tsv")
	if err != nil {
		panic("corpus: synonyms.tsv missing from the embedded files: " + err.Error())
	}
	return b
}

// RenamesTSV returns the departments renamed in reorganisations: former short
// name, current short name, region and the year of the change.
func RenamesTSV() []byte {
	b, err := Files.ReadFile("renames.tsv")
	if err != nil {
		panic("corpus: renames.tsv missing from the embedded files: " + err.Error())
	}
	return b
}
