package index_test

import (
	"fmt"
	"strings"
	"testing"

	"policysearch/index"
)

// Filters resolve what users type, and refuse what the library does not hold
// with the names it does hold.
func TestLibraryFilterValues(t *testing.T) {
	ix := libraryIdx(t)
	depts := []struct{ typed, want, err string }{
		{"市科协", "市科协", ""},
		{" 市科协 ", "市科协", ""},
		{"市科協", "市科协", ""},
		{"市科协（南昌）", "市科协（南昌）", ""},
		{"市科协(南昌)", "市科协（南昌）", ""},
		{"市科协（南昌市）", "市科协（南昌）", ""},
		{"市科協（廣陵）", "市科协（广陵）", ""},
		{"重庆市科学技术协会", "市科协（重庆）", ""}, // Chongqing's table, and 市科协 is in three regions
		{"重庆市教育委员会", "市教委", ""},      // only Chongqing has a 市教委
		{"市科协（北京）", "", "no document of 北京 lists 市科协; it is listed by documents of 重庆, 广陵, 南昌"},
		{"市科协会", "", `no department "市科协会" in the library; did you mean 市科协`},
		{"市卫生健康委", "", `no department "市卫生健康委"`}, // in the table, but no document of the library names it
	}
	for _, tc := range depts {
		got, err := ix.FindDepartment(tc.typed)
		if tc.err == "" && (err != nil || got != tc.want) {
			t.Errorf("FindDepartment(%q) = %q, %v; want %q", tc.typed, got, err, tc.want)
		}
		if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("FindDepartment(%q) = %q, %v; want an error containing %q", tc.typed, got, err, tc.err)
		}
	}
	if _, err := ix.FindLead("市应急局"); err == nil || !strings.Contains(err.Error(), "no clause names 市应急局 as a lead unit (牵头); lead units closest to it: 市教育局, 市科协") {
		t.Errorf("FindLead(市应急局): %v", err)
	}
	if _, err := ix.FindLead("市教育局（广陵）"); err == nil || err.Error() != "no clause of 广陵 names 市教育局 as a lead unit (牵头); it leads in 南昌" {
		t.Errorf("FindLead(市教育局（广陵）): %v", err)
	}
	if got, err := ix.FindLead("市教育局（南昌）"); err != nil || got != "市教育局（南昌）" {
		t.Errorf("FindLead(市教育局（南昌）) = %q, %v", got, err)
	}
	if got, err := ix.FindIssuer("广陵市人民政府办公室"); err != nil || fmt.Sprint(got) != "[廣陵市人民政府辦公室]" {
		t.Errorf("FindIssuer(simplified) = %q, %v", got, err)
	}
	if _, err := ix.FindIssuer("南昌市政府"); err == nil || !strings.Contains(err.Error(), `unknown issuer "南昌市政府"; issuers closest to it: 南昌市人民政府办公厅`) {
		t.Errorf("FindIssuer(南昌市政府): %v", err)
	}
	if err := ix.FindYear(2024); err != nil {
		t.Error(err)
	}
	if err := ix.FindYear(2019); err == nil || err.Error() != "no document of 2019; the documents are of 2022, 2023, 2024" {
		t.Errorf("FindYear(2019): %v", err)
	}
	if err := ix.FindDocument("nanchang"); err == nil || !strings.Contains(err.Error(), `unknown document "nanchang"; documents closest to it: nanchang-2023, nanchang-2024`) {
		t.Errorf("FindDocument(nanchang): %v", err)
	}
	if fmt.Sprint(ix.Years()) != "[2022 2023 2024]" || len(ix.Issuers()) != 3 {
		t.Errorf("years %v, issuers %v", ix.Years(), ix.Issuers())
	}
}

// The departments list counts clauses as responsible and as lead, per name over
// its regions; a name with a region is that region's share.
func TestLibraryDepartments(t *testing.T) {
	ix := libraryIdx(t)
	got := map[string]index.DepartmentEntry{}
	var names []string
	for _, d := range ix.Departments() {
		got[d.Name] = d
		names = append(names, d.Name)
	}
	if strings.Join(names, " ") != "市科协 市教育局 市教委 市应急局 市民政局" {
		t.Fatalf("departments, most clauses first: %v", names)
	}
	kx := got["市科协"]
	if kx.Clauses != 11 || kx.LeadClauses != 3 || fmt.Sprint(kx.Regions) != "[重庆 广陵 南昌]" || kx.Official != "" ||
		fmt.Sprint(kx.LeadClauseIDs) != "[chongqing-2023:1 guangling-2022:1 nanchang-2023:1]" || len(kx.ClauseIDs) != 11 || len(kx.Items) != 11 {
		t.Errorf("市科协: %+v", kx)
	}
	if jw := got["市教委"]; jw.Official != "重庆市教育委员会" || fmt.Sprint(jw.Regions) != "[重庆]" || jw.Clauses != 2 || jw.LeadClauses != 0 {
		t.Errorf("市教委: %+v", jw)
	}
	d, ok := ix.DepartmentDetail("市科协（重庆）")
	if !ok || d.Region != "重庆" || d.Official != "重庆市科学技术协会" || d.Clauses != 4 || d.LeadClauses != 1 ||
		len(d.Places) != 1 || d.Places[0].Region != "重庆" {
		t.Errorf("市科协（重庆）: %+v", d)
	}
	d, ok = ix.DepartmentDetail("市科协")
	if !ok || len(d.Places) != 3 || d.Places[0].Region != "重庆" || d.Places[0].Official != "重庆市科学技术协会" || d.Places[2].Clauses != 5 {
		t.Errorf("市科协 over its regions: %+v", d)
	}
	if _, ok := ix.DepartmentDetail("市科协（北京）"); ok {
		t.Error("市科协（北京） found")
	}
}
