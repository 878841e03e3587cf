package index

import (
	"os"
	"path/filepath"
	"testing"
)

// A folder a build of this process is writing is not removed as stale by a
// publication meanwhile (a background merge's, while an ingestion publishes);
// once the build is done with it, it is.
func TestStagingFolderNotStale(t *testing.T) {
	root := t.TempDir()
	dir, done, err := newIndexDir(root)
	if err != nil {
		t.Fatal(err)
	}
	segment := filepath.Join(dir, "segment")
	if err := os.WriteFile(segment, []byte("being written"), 0o644); err != nil {
		t.Fatal(err)
	}
	removeStale(root, map[string]bool{})
	if _, err := os.Stat(segment); err != nil {
		t.Fatalf("a folder being built was removed: %v", err)
	}
	done()
	removeStale(root, map[string]bool{})
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("a stale folder was kept: %v", err)
	}
}
