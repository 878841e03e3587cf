package extract

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"policysearch/internal/fault"
)

func TestFormatNumber(t *testing.T) {
	cases := []struct {
		n      int
		format string
		want   string
	}{
		{1, "decimal", "1"},
		{12, "decimal", "12"},
		{1, "chineseCounting", "一"},
		{10, "chineseCounting", "十"},
		{11, "chineseCounting", "十一"},
		{20, "chineseCountingThousand", "二十"},
		{21, "taiwaneseCountingThousand", "二十一"},
		{100, "chineseCountingThousand", "一百"},
		{105, "chineseCountingThousand", "一百零五"},
		{110, "chineseCountingThousand", "一百一十"},
		{1005, "chineseCountingThousand", "一千零五"},
		{1050, "chineseCountingThousand", "一千零五十"},
		{12, "chineseLegalSimplified", "壹拾贰"},
		{3, "ideographTraditional", "丙"},
		{2, "decimalEnclosedCircle", "②"},
		{21, "decimalEnclosedCircleChinese", "㉑"},
		{3, "decimalFullWidth", "３"},
		{7, "decimalZero", "07"},
		{28, "lowerLetter", "bb"},
		{14, "upperRoman", "XIV"},
		{2022, "ideographDigital", "二〇二二"},
		{5, "ordinal", "5"},
	}
	for _, c := range cases {
		if got := formatNumber(c.n, c.format, ""); got != c.want {
			t.Errorf("formatNumber(%d, %s) = %q, want %q", c.n, c.format, got, c.want)
		}
	}
	if got := formatNumber(4, "custom", "一, 二, 三, ..."); got != "四" {
		t.Errorf("custom 一, 二, 三: %q", got)
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name string
		data string
		hint Hint
		want Format
		code fault.Code
	}{
		{"pdf", "%PDF-1.7\n%âãÏÓ\n1 0 obj", Hint{}, PDF, ""},
		{"pdf after junk", "\r\n\r\n%PDF-1.4\n", Hint{}, PDF, ""},
		{"html by content", "<!DOCTYPE html>\n<html><body>x</body></html>", Hint{}, HTML, ""},
		{"html by name", "<p>一段文字</p>", Hint{Name: "notice.htm"}, HTML, ""},
		{"html by type", "通知正文", Hint{ContentType: "text/html; charset=gbk"}, HTML, ""},
		{"text", "关于开展科技活动周的通知\n各单位：\n", Hint{}, Text, ""},
		{"text named .pdf", "关于开展科技活动周的通知\n", Hint{Name: "x.pdf"}, Text, ""},
		{"ole", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", Hint{Name: "x.doc"}, "", fault.Unsupported},
		{"rtf", `{\rtf1\ansi`, Hint{}, "", fault.Unsupported},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00", Hint{}, "", fault.Unsupported},
		{"binary", "\x00\x01\x02\x03\x04binary", Hint{}, "", fault.Unsupported},
		{"empty", "", Hint{}, "", fault.Invalid},
		{"blank", " \n\t\n", Hint{}, "", fault.Invalid},
		{"not a zip", "PK\x03\x04garbage", Hint{}, "", fault.Unprocessable},
		{"mhtml", "From: <Saved by Blink>\nMIME-Version: 1.0\nContent-Type: multipart/related;", Hint{}, "", fault.Unsupported},
	}
	for _, c := range cases {
		f, err := Detect([]byte(c.data), c.hint)
		if fault.CodeOf(err) != c.code || f != c.want {
			t.Errorf("%s: Detect = %q, %v; want %q, code %q", c.name, f, err, c.want, c.code)
		}
		if c.code == fault.Unsupported && !strings.Contains(err.Error(), Accepted) {
			t.Errorf("%s: the 415 message does not list the formats read: %v", c.name, err)
		}
	}
}

func TestDecodeText(t *testing.T) {
	const text = "关于开展2023年科技活动周活动的通知\r\n各街道科协：\r\n请做好“科技活动周”的组织工作。"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data string
		enc  string
	}{
		{"utf-8", text, "utf-8"},
		{"utf-8 with BOM", "\xEF\xBB\xBF" + text, "utf-8"},
		{"gbk", gbk, "gb18030"},
	} {
		got, enc, err := decodeText([]byte(c.data))
		want := strings.ReplaceAll(text, "\r\n", "\n")
		if err != nil || got != want || enc != c.enc {
			t.Errorf("%s: %q %s %v", c.name, got, enc, err)
		}
	}
	// Bytes that are neither: where UTF-8 fails is said.
	_, _, err = decodeText([]byte("标题\n正文\xff\xff\xfe\xfd"))
	if fault.CodeOf(err) != fault.Unsupported || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("not text: %v", err)
	}
}

// A PDF's pages: page numbers (— 2 —, 第2页, 2/5) on a page's first or last
// lines and running headers are dropped; the pages are joined by line breaks.
func TestJoinPages(t *testing.T) {
	pages := []string{
		"关于印发工作要点的通知\r\n各单位：\r\n现将工作要点印发给你们，请结合实际\r\n— 1 —",
		"认真贯彻落实。\r\n一、总体要求\r\n1.抓好落实。\r\n— 2 —",
		"东湖区人民政府办公室\r\n2.加强保障。\r\n第 3 页 共 4 页",
		"东湖区人民政府办公室\r\n3.做好宣传。\r\n2022年的100项任务\r\n4/4",
	}
	got := joinPages(pages)
	want := "关于印发工作要点的通知\n各单位：\n现将工作要点印发给你们，请结合实际\n认真贯彻落实。\n一、总体要求\n1.抓好落实。\n" +
		"东湖区人民政府办公室\n2.加强保障。\n东湖区人民政府办公室\n3.做好宣传。\n2022年的100项任务\n"
	if got != want {
		t.Errorf("joinPages:\n%s\nwant:\n%s", got, want)
	}
	// A header on three of four pages is the page's, not the document's.
	pages[1] = "东湖区人民政府办公室\r\n" + pages[1]
	if got := joinPages(pages); strings.Contains(got, "东湖区人民政府办公室") {
		t.Errorf("running header kept:\n%s", got)
	}
}

// A task table's rows become items with the lines the parser reads for
// departments and the deadline; merged cells repeat; heading rows stay lines.
func TestTableText(t *testing.T) {
	c := func(s ...string) gridCell { return gridCell{lines: s, span: 1} }
	rows := [][]gridCell{
		{{lines: []string{"2024年重点任务分工表"}, span: 5}},
		{c("序号"), c("重点任务"), c("牵头单位"), c("配合单位"), c("完成时间")},
		{{lines: []string{"一、扩大有效投资"}, span: 5}},
		{c("1"), c("实施重点项目攻坚行动。"), c("区发展改革局"), c("区住房城乡建设局", "区自然资源局"), c("2024年12月底前")},
		{c("2"), c("加快老旧小区改造。"), {span: 1, fromAbove: true}, c("各街道办事处"), c("持续推进")},
		{c("序号"), c("重点任务"), c("牵头单位"), c("配合单位"), c("完成时间")},
		{c(""), c("开展“消费季”活动。"), c("区商务局"), c(""), c("")},
	}
	got := strings.Join(tableText(rows), "\n")
	want := strings.Join([]string{
		"2024年重点任务分工表",
		"一、扩大有效投资",
		"1.实施重点项目攻坚行动。", "牵头单位：区发展改革局", "责任单位：区住房城乡建设局、区自然资源局", "完成时限：2024年12月底前",
		"2.加快老旧小区改造。", "牵头单位：区发展改革局", "责任单位：各街道办事处", "完成时限：持续推进",
		"3.开展“消费季”活动。", "牵头单位：区商务局",
	}, "\n")
	if got != want {
		t.Errorf("task table:\n%s\nwant:\n%s", got, want)
	}
	// Any other table: a row a line.
	plain := [][]gridCell{{c("指标"), c("目标值")}, {c("科普场馆"), c("50个")}}
	if got := strings.Join(tableText(plain), "\n"); got != "指标；目标值\n科普场馆；50个" {
		t.Errorf("plain table: %q", got)
	}
}
