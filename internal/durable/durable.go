// Package durable writes files so that a crash leaves the old or the new
// content, never a mix.
package durable

import (
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes a temp file beside name, syncs it, renames it over name and
// syncs the folder.
func WriteFile(name string, data []byte) error {
	return Write(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write is WriteFile of what write writes, for content too large to hold
// whole in memory first.
func Write(name string, write func(io.Writer) error) error {
	dir := filepath.Dir(name)
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return err
	}
	return SyncDir(dir)
}

// Remove deletes name and syncs its folder, so the removal survives a crash.
func Remove(name string) error {
	if err := os.Remove(name); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(name))
}

// SyncDir flushes a folder's entries to disk.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
