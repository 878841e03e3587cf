package extract_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"policysearch/corpus"
	"policysearch/internal/extract"
	"policysearch/internal/extract/extracttest"
	"policysearch/internal/fault"
	"policysearch/internal/gongwen"
)

// newExtractor keeps pdfium's compiled code in the system's temp folder, so
// only the first test process on a machine pays the 4–6 s compilation.
func newExtractor(t *testing.T, maxUnpacked int64) *extract.Extractor {
	t.Helper()
	x := extract.New(extract.Options{CacheDir: filepath.Join(os.TempDir(), "policysearch-test-cache"), MaxUnpacked: maxUnpacked})
	t.Cleanup(func() { x.Close() })
	return x
}

func seedText(t *testing.T) string {
	t.Helper()
	b, err := corpus.Files.ReadFile("yugangyaobanfa-2022-2.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type item struct {
	Number      int
	Title       string
	Departments []string
	Path        []string
}

func items(d *gongwen.Document) []item {
	var out []item
	for _, c := range d.Clauses {
		if c.Kind == gongwen.KindItem && c.Number > 0 {
			out = append(out, item{c.Number, c.Title, c.Departments, c.Path})
		}
	}
	return out
}

func parse(t *testing.T, text string) *gongwen.Document {
	t.Helper()
	d, err := gongwen.Parse("doc", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The seed notice, printed to PDF by Chromium with its page numbers in the
// footer, reads back as the same 45 items as its text: titles, departments
// and sections.
func TestSeedPrintedToPDF(t *testing.T) {
	seed := seedText(t)
	pdf := extracttest.PrintPDF(t, extracttest.TextPage(seed), extracttest.PrintOptions{PageNumbers: true})
	x := newExtractor(t, 0)
	start := time.Now()
	res, err := x.Extract(pdf, extract.Hint{Name: "notice.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pages, %d KB, read in %s (pdfium start %s)", res.Pages, len(pdf)>>10, time.Since(start), x.PDFStart)
	if res.Format != extract.PDF || res.Pages < 5 {
		t.Fatalf("format %s, %d pages", res.Format, res.Pages)
	}
	if strings.Contains(res.Text, "— 2 —") || strings.Contains(res.Text, "— 3 —") {
		t.Error("page numbers left in the text")
	}
	want, got := parse(t, seed), parse(t, res.Text)
	wi, gi := items(want), items(got)
	if len(wi) != 45 || len(gi) != 45 {
		t.Fatalf("items: text %d, PDF %d; want 45 each", len(wi), len(gi))
	}
	for i := range wi {
		if !reflect.DeepEqual(wi[i], gi[i]) {
			t.Errorf("item %d:\ntext %+v\nPDF  %+v", i+1, wi[i], gi[i])
		}
	}
	if got.Number != want.Number || got.Date != want.Date || got.Title != want.Title || got.Issuer != want.Issuer {
		t.Errorf("metadata: %q %q %q %q; want %q %q %q %q", got.Number, got.Date, got.Title, got.Issuer, want.Number, want.Date, want.Title, want.Issuer)
	}
}

func docxXML(t *testing.T, docx []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			var b bytes.Buffer
			b.ReadFrom(rc)
			rc.Close()
			return b.String()
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// A notice written in HTML with <ol> lists and a task table, saved as .docx
// by LibreOffice: the list numbers come from numbering.xml (the text has
// none), and each row of the task table is an item with its lead and
// responsible departments and its deadline — a merged 牵头单位 cell too.
func TestDocxFromHTML(t *testing.T) {
	docx := extracttest.Convert(t, "tasks.html", extracttest.Fixture(t, "tasks.html"), `docx:"MS Word 2007 XML"`)
	if xml := docxXML(t, docx); strings.Contains(xml, "1.全年") || !strings.Contains(xml, "w:numId") {
		t.Fatal("LibreOffice wrote the list numbers into the text; the test needs them automatic")
	}
	res, err := newExtractor(t, 0).Extract(docx, extract.Hint{Name: "tasks.docx"})
	if err != nil {
		t.Fatal(err)
	}
	d := parse(t, res.Text)
	if d.Number != "东科协发〔2024〕3号" || d.Date != "2024-02-20" {
		t.Errorf("metadata: %q %q", d.Number, d.Date)
	}
	byNumber := map[int]gongwen.Clause{}
	for _, c := range d.Clauses {
		if c.Kind == gongwen.KindItem {
			byNumber[c.Number] = c
		}
	}
	want := []struct {
		n                 int
		title             string
		depts, leads      []string
		deadline, heading string
	}{
		{1, "全年举办各类科普活动200场以上，参与群众超过10万人次", []string{"区科协", "各街道"}, []string{"区科协"}, "", "一、工作目标"},
		{2, "培训基层科普员和科普志愿者500人次", []string{"区科协", "区人力社保局"}, nil, "", "一、工作目标"},
		{3, "举办全国科普日东湖区主场活动，组织科普大篷车进社区", []string{"区科协", "区教育局", "区文化旅游局"}, []string{"区科协"}, "2024年9月底前", "二、重点任务"},
		{4, "开展青少年科技创新大赛和科学实验展演", []string{"区科协", "区教育局", "团区委"}, []string{"区科协"}, "2024年6月底前", "二、重点任务"},
		{5, "建设社区科普e站10个，更新科普画廊展板", []string{"区住房城乡建设局", "各街道办事处"}, []string{"区住房城乡建设局"}, "2024年11月底前", "二、重点任务"},
		{6, "开展老年人防范电信诈骗和健康科普讲座", []string{"区卫生健康委", "区公安分局", "区民政局"}, []string{"区卫生健康委"}, "2024年12月底前", "二、重点任务"},
		{7, "加强组织领导", []string{"各责任单位"}, nil, "", "三、保障措施"},
	}
	for _, w := range want {
		c, ok := byNumber[w.n]
		if !ok {
			t.Errorf("no item %d in:\n%s", w.n, res.Text)
			continue
		}
		if c.Title != w.title || !reflect.DeepEqual(c.Departments, w.depts) || !reflect.DeepEqual(c.LeadDepartments, w.leads) ||
			c.Deadline != w.deadline || len(c.Path) == 0 || c.Path[0] != w.heading {
			t.Errorf("item %d: %q %q lead %q deadline %q path %q", w.n, c.Title, c.Departments, c.LeadDepartments, c.Deadline, c.Path)
		}
	}
	if len(byNumber) != len(want) {
		t.Errorf("%d items, want %d:\n%s", len(byNumber), len(want), res.Text)
	}
}

// An OpenDocument text whose headings and items are all numbered by its list
// style — 一、 （一） 1. — saved as .docx by LibreOffice: every number comes
// back, from numbering.xml, and the parser sees the sections.
func TestDocxChineseNumbering(t *testing.T) {
	docx := extracttest.Convert(t, "numbered.fodt", extracttest.Fixture(t, "numbered.fodt"), `docx:"MS Word 2007 XML"`)
	if xml := docxXML(t, docx); strings.Contains(xml, "一、") || strings.Contains(xml, "（一）") {
		t.Fatal("LibreOffice wrote the numbers into the text; the test needs them automatic")
	}
	res, err := newExtractor(t, 0).Extract(docx, extract.Hint{Name: "numbered.docx"})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"一、总体要求", "（一）指导思想。", "（二）工作目标。", "二、重点任务", "（一）加强科普阵地建设",
		"1.建设社区科普e站10个", "（二）丰富科普活动", "1.举办全国科普日", "3.开展老年人智能技术运用培训", "三、保障措施", "（一）加强组织领导"} {
		if !strings.Contains(res.Text, "\n"+line) {
			t.Errorf("no line %q in:\n%s", line, res.Text)
		}
	}
	d := parse(t, res.Text)
	var got []string
	for _, c := range d.Clauses {
		if c.Kind == gongwen.KindItem {
			got = append(got, fmt.Sprintf("%s %s %s", strings.Join(c.Path, "/"), c.Title, strings.Join(c.Departments, "、")))
		}
	}
	want := []string{
		"一、总体要求 指导思想 ",
		"一、总体要求 工作目标 ",
		"二、重点任务/（一）加强科普阵地建设 建设社区科普e站10个，改造提升区科技馆展厅 区科协、各街道",
		"二、重点任务/（一）加强科普阵地建设 推动中小学科学教室建设全覆盖 区教委",
		"二、重点任务/（二）丰富科普活动 举办全国科普日西山区主场活动，组织科普大篷车进社区 区科协、区教委",
		"二、重点任务/（二）丰富科普活动 开展科技活动周系列活动 区科技局",
		"二、重点任务/（二）丰富科普活动 开展老年人智能技术运用培训 区民政局、区科协",
		"三、保障措施 加强组织领导 ",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("items:\n%s\nwant:\n%s\ntext:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), res.Text)
	}
}

// A notice saved as text on a Windows machine in China (GB18030, "ANSI").
func TestGBKText(t *testing.T) {
	utf := string(extracttest.Fixture(t, "plain-notice.txt"))
	res, err := newExtractor(t, 0).Extract(extracttest.GB18030(t, utf), extract.Hint{Name: "notice.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != extract.Text || res.Encoding != "gb18030" || res.Text != utf {
		t.Fatalf("%s %s:\n%s", res.Format, res.Encoding, res.Text)
	}
	if d := parse(t, res.Text); d.Number != "北碚科协发〔2023〕5号" || len(items(d)) != 3 {
		t.Errorf("parsed: %q, %d items", d.Number, len(items(d)))
	}
}

// A government page saved from the site, in gb2312 (declared after the first
// kilobyte), with scripts, styles, navigation, breadcrumbs, a metadata table,
// share and print links, related articles and a footer: only the article and
// the metadata come through.
func TestGB2312Page(t *testing.T) {
	page := extracttest.GB18030(t, string(extracttest.Fixture(t, "gov-page.html")))
	res, err := newExtractor(t, 0).Extract(page, extract.Hint{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != extract.HTML || res.Encoding != "gb18030" {
		t.Fatalf("%s %s", res.Format, res.Encoding)
	}
	for _, chrome := range []string{"脚本", "样式表", "首页", "科协动态", "当前位置", "请输入关键字", "分享到", "微博", "打印本页", "关闭窗口",
		"相关文章", "工作总结", "版权所有", "ICP备", "主办单位", "站群系统", "PubDate", "_重庆市科学技术协会"} {
		if strings.Contains(res.Text, chrome) {
			t.Errorf("%q came through:\n%s", chrome, res.Text)
		}
	}
	d := parse(t, res.Text)
	if d.Number != "渝科协发〔2023〕12号" || d.Date != "2023-03-15" || d.Published != "2023-03-20" || d.Issuer != "重庆市科学技术协会" ||
		d.Title != "重庆市科学技术协会关于印发《2023年基层科普行动计划工作方案》的通知" {
		t.Errorf("metadata: %q %q %q %q %q", d.Number, d.Date, d.Published, d.Issuer, d.Title)
	}
	got := items(d)
	if len(got) != 3 || got[1].Title != "推进科普大篷车进基层" || !reflect.DeepEqual(got[2].Departments, []string{"市财政局", "市科协"}) {
		t.Errorf("items: %+v\n%s", got, res.Text)
	}
}

// Files that hold no document: each a clear refusal with the contract's code.
func TestBadFiles(t *testing.T) {
	pdf := extracttest.PrintPDF(t, extracttest.TextPage(seedText(t)), extracttest.PrintOptions{PageNumbers: true})
	scan := extracttest.PrintPDF(t, extracttest.ScanPage(t), extracttest.PrintOptions{})
	docx := extracttest.Convert(t, "tasks.html", extracttest.Fixture(t, "tasks.html"), `docx:"MS Word 2007 XML"`)
	doc := extracttest.Convert(t, "tasks.html", extracttest.Fixture(t, "tasks.html"), `doc:"MS Word 97"`)
	x := newExtractor(t, 32<<20)
	cases := []struct {
		name string
		data []byte
		code fault.Code
		says string
	}{
		{"truncated.pdf", pdf[:len(pdf)/2], fault.Unprocessable, "damaged or truncated"},
		{"scan.pdf", scan, fault.Unprocessable, "scan"},
		{"bomb.docx", extracttest.ZipBomb(t, docx, 64<<20), fault.TooLarge, "unpacks to more than 32 MiB"},
		{"truncated.docx", docx[:len(docx)-200], fault.Unprocessable, "damaged or truncated"},
		{"empty.txt", nil, fault.Invalid, "empty"},
		{"tasks.doc", doc, fault.Unsupported, "legacy binary Word (.doc)"},
	}
	for _, c := range cases {
		_, err := x.Extract(c.data, extract.Hint{Name: c.name})
		if fault.CodeOf(err) != c.code || !strings.Contains(fmt.Sprint(err), c.says) {
			t.Errorf("%s: %v (%s); want %s saying %q", c.name, err, fault.CodeOf(err), c.code, c.says)
		}
	}
	// pdfium still reads after the damaged files.
	if res, err := x.Extract(pdf, extract.Hint{}); err != nil || res.Pages < 5 {
		t.Errorf("after the bad files: %v", err)
	}
}

// ofdPackage writes an OFD package (GB/T 33190) of lines placed on pages, as
// an OFD writer lays them out: text objects at millimetre coordinates, a
// page number at each page's foot. (No OFD producer is packaged for Debian.)
func ofdPackage(t *testing.T, pages [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	write := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + body))
	}
	const ns = `xmlns:ofd="http://www.ofdspec.org/2016"`
	write("OFD.xml", `<ofd:OFD `+ns+` Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`)
	var refs strings.Builder
	for i, lines := range pages {
		fmt.Fprintf(&refs, `<ofd:Page ID="%d" BaseLoc="Pages/Page_%d/Content.xml"/>`, i+10, i)
		var objs strings.Builder
		// Written right to left and bottom up, as some writers order objects:
		// the reader must place them.
		for k := len(lines) - 1; k >= 0; k-- {
			fmt.Fprintf(&objs, `<ofd:TextObject ID="%d" Boundary="25 %d 160 8" Font="1" Size="5.6"><ofd:TextCode X="0" Y="6">%s</ofd:TextCode></ofd:TextObject>`,
				100+k, 30+k*10, lines[k])
		}
		fmt.Fprintf(&objs, `<ofd:TextObject ID="99" Boundary="95 280 20 8" Font="1" Size="4"><ofd:TextCode X="0" Y="6">— %d —</ofd:TextCode></ofd:TextObject>`, i+1)
		write(fmt.Sprintf("Doc_0/Pages/Page_%d/Content.xml", i), `<ofd:Page `+ns+`><ofd:Content><ofd:Layer ID="2">`+objs.String()+`</ofd:Layer></ofd:Content></ofd:Page>`)
	}
	write("Doc_0/Document.xml", `<ofd:Document `+ns+`><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>`+refs.String()+`</ofd:Pages></ofd:Document>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOFD(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(string(extracttest.Fixture(t, "plain-notice.txt"))), "\n")
	ofd := ofdPackage(t, [][]string{lines[:7], lines[7:]})
	res, err := newExtractor(t, 0).Extract(ofd, extract.Hint{Name: "notice.ofd"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != extract.OFD || res.Pages != 2 || res.Text != strings.Join(lines, "\n")+"\n" {
		t.Fatalf("%s, %d pages:\n%s", res.Format, res.Pages, res.Text)
	}
	if _, err := newExtractor(t, 0).Extract(ofdPackage(t, [][]string{{}}), extract.Hint{}); fault.CodeOf(err) != fault.Unprocessable {
		t.Errorf("an OFD of blank pages: %v", err)
	}
}
