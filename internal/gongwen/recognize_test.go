package gongwen

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Each recogniser on its own, with the corner cases real documents bring.

func TestNormalizeLine(t *testing.T) {
	for in, want := range map[string]string{
		"国发 〔 2021〕9 号":       "国发〔2021〕9号",
		"全 民 科 学 素 质":         "全民科学素质",
		"一 、 前言":              "一、前言",
		"  　（一）指导思想":          "（一）指导思想",
		"⼀、总体要求":              "一、总体要求",
		"各市（州）⼈民政府":           "各市（州）人民政府",
		"现将«方案»印发":            "现将《方案》印发",
		"推进工作— 2 —落实":         "推进工作落实",
		"（2021—2025年）":        "（2021—2025年）",
		"STEAM 科创 大赛":         "STEAM 科创大赛",
		"1. 深刻理解":             "1.深刻理解",
		"version 2.0 release": "version 2.0 release",
	} {
		if got := normalizeLine(in); got != want {
			t.Errorf("normalizeLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNumberOf(t *testing.T) {
	for in, want := range map[string]string{
		"渝纲要办发〔2022〕2号":          "渝纲要办发〔2022〕2号",
		"京政办发〔2016〕26号《北京市…的通知》": "京政办发〔2016〕26号",
		"发文字号：云政办发〔2019〕12号":     "云政办发〔2019〕12号",
		"国发[2021]9号":             "国发[2021]9号",
		"中华人民共和国主席令(九届第37号)":     "中华人民共和国主席令(九届第37号)",
		"国务院令第708号":              "国务院令第708号",
		"（浙政办发〔2022〕59号）":        "",
		"为贯彻落实浙政办发〔2022〕59号文件精神": "",
		"2022年4月19日":             "",
	} {
		if got := numberOf(in); got != want {
			t.Errorf("numberOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSignedDate(t *testing.T) {
	for in, want := range map[string][2]string{
		"2023年3月28日":         {"2023-03-28", ""},
		"二〇二二年四月十九日":         {"2022-04-19", ""},
		"二○一○年四月七日":          {"2010-04-07", ""},
		"2016-12-20":         {"2016-12-20", ""},
		"立山区人民政府 2023年3月28日": {"2023-03-28", "立山区人民政府"},
		"2023年13月1日":         {"", ""},
		"发布日期:2023-03-21":    {"", ""},
		"于2023年3月28日召开":      {"", ""},
	} {
		d, s, _ := signedDate(in)
		if d != want[0] || s != want[1] {
			t.Errorf("signedDate(%q) = %q, %q; want %q, %q", in, d, s, want[0], want[1])
		}
	}
}

func TestClassify(t *testing.T) {
	p := &parser{}
	for in, want := range map[string]role{
		"鞍山市立山区人民政府文件":            roleMasthead,
		"鞍立政发〔2023〕2号":            roleNumber,
		"(此件主动公开)":                roleDisclosure,
		"（此件公开发布）":                roleDisclosure,
		"(中国科协办公厅代章)":             roleDaizhang,
		"各区人民政府,市政府各委、办、局,各市属机构:": roleRecipients,
		"附件1":         roleAttachmentLabel,
		"2018年3月19日":  roleDate,
		"关于印发某某方案的通知": roleOther,
	} {
		l := line{text: in, key: in}
		if got := p.classify(l); got != want {
			t.Errorf("classify(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestChrome(t *testing.T) {
	src := strings.Join([]string{
		"您的位置: 首页 » 政策文件 »",
		"东湖区人民政府办公室关于印发某方案的通知",
		"发布日期:2023-03-21 访问次数: 信息来源:东湖区人民政府办公室",
		"字体:【大 中 小】",
		"发文字号：东府办发〔2023〕3号",
		"各街道办事处：",
		"现将方案印发给你们。",
		"东湖区人民政府办公室",
		"2023年3月13日",
		"一、工作目标",
		"打造夜间消费地标。",
		"扫一扫在手机打开当前页",
	}, "\n")
	d, err := Parse("c", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if d.Published != "2023-03-21" || d.Date != "2023-03-13" || d.Number != "东府办发〔2023〕3号" || d.Issuer != "东湖区人民政府办公室" {
		t.Errorf("metadata from the page's fields: %+v", d)
	}
	for _, c := range d.Clauses {
		if strings.Contains(c.Text, "扫一扫") || strings.Contains(c.Text, "访问次数") {
			t.Errorf("chrome in clause %s: %q", c.ID, c.Text)
		}
	}
}

func TestSplitOrgans(t *testing.T) {
	for in, want := range map[string][]string{
		"重庆市人民政府办公厅":         {"重庆市人民政府办公厅"},
		"市科协、市教委":            {"市科协", "市教委"},
		"重庆市科学技术协会 重庆市教育委员会": {"重庆市科学技术协会", "重庆市教育委员会"},
		"中华人民共和国主席 江泽民":      nil,
		"为深入贯彻落实":            nil,
		"全民科学素质纲要实施工作办公室":    {"全民科学素质纲要实施工作办公室"},
	} {
		if got := splitOrgans(in); !reflect.DeepEqual(got, want) {
			t.Errorf("splitOrgans(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRegion(t *testing.T) {
	for in, want := range map[string]string{
		"重庆市全民科学素质纲要实施工作办公室": "重庆",
		"南昌市人民政府":            "南昌",
		"北京市人民政府办公厅":         "北京",
		"立山区人民政府":            "立山区",
		"浙江省金华市人民政府办公室":      "金华",
		"国务院办公厅":             "全国",
		"全民科学素质纲要实施工作办公室":    "全国",
		"市政府办公厅":             "",
		"中共重庆市委宣传部":          "重庆",
		"":                   "",
	} {
		if got := Region(in); got != want {
			t.Errorf("Region(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDocumentYearAndPlanName(t *testing.T) {
	for _, tc := range []struct {
		d          Document
		year       int
		plan, cite string
	}{
		{Document{ID: "a", Attachment: "2022年重庆市全民科学素质行动工作要点", Date: "2022-04-19", Number: "渝纲要办发〔2022〕2号"}, 2022, "2022年重庆市全民科学素质行动工作要点", "渝纲要办发〔2022〕2号"},
		{Document{ID: "b", Attachment: "南昌市实施方案(2021—2025年)", Date: "2021-12-21"}, 2021, "南昌市实施方案(2021—2025年)", "《南昌市实施方案(2021—2025年)》"},
		{Document{ID: "c", Title: "关于印发《东湖区工作方案》的通知", Date: "2024-01-05"}, 2024, "东湖区工作方案", "《东湖区工作方案》"},
		{Document{ID: "d", Title: "某局关于印发某某办法的通知"}, 0, "某某办法", "《某某办法》"},
		{Document{ID: "e", Title: "关于加强科学教育的实施意见", Date: "2023-05-01"}, 2023, "关于加强科学教育的实施意见", "《关于加强科学教育的实施意见》"},
		{Document{ID: "f"}, 0, "", "f"},
	} {
		if got := documentYear(&tc.d); got != tc.year {
			t.Errorf("%s: year %d, want %d", tc.d.ID, got, tc.year)
		}
		if got := PlanName(&tc.d); got != tc.plan {
			t.Errorf("%s: plan %q, want %q", tc.d.ID, got, tc.plan)
		}
		if got := citationBase(&tc.d); got != tc.cite {
			t.Errorf("%s: citation %q, want %q", tc.d.ID, got, tc.cite)
		}
	}
}

func TestDuties(t *testing.T) {
	for _, tc := range []struct {
		text      string
		all, lead []string
		deadline  string
	}{
		{"做好工作。（市发展改革委牵头，市财政局、市税务局按职责分工负责）", []string{"市发展改革委", "市财政局", "市税务局"}, []string{"市发展改革委"}, ""},
		{"增长6.2%左右。\n牵头单位:区发改局\n责任单位:立山经济开发区,全区经济运行各专班", []string{"区发改局", "立山经济开发区", "全区经济运行各专班"}, []string{"区发改局"}, ""},
		{"推进建设，确保年底前完成。责任单位：市住房城乡建委、市财政局。", []string{"市住房城乡建委", "市财政局"}, nil, ""},
		{"做好工作。（各成员单位）", []string{"各成员单位"}, nil, ""},
		{"做好工作。（各州、市人民政府负责）", []string{"各州、市人民政府"}, nil, ""},
		{"开展评估。\n牵头单位：市统计局\n完成时限：2022年10月底前", []string{"市统计局"}, []string{"市统计局"}, "2022年10月底前"},
		{"做好工作。（責任單位：市發展改革委）", []string{"市发展改革委"}, nil, ""},
		{"开展全国科普示范区（县）", nil, nil, ""},
	} {
		all, lead, deadline := duties(tc.text)
		if !reflect.DeepEqual(all, tc.all) || !reflect.DeepEqual(lead, tc.lead) || deadline != tc.deadline {
			t.Errorf("duties(%q) = %q, %q, %q; want %q, %q, %q", tc.text, all, lead, deadline, tc.all, tc.lead, tc.deadline)
		}
	}
}

func TestTitleEndings(t *testing.T) {
	for in, want := range map[string]bool{
		"关于印发某某方案的通知":         true,
		"南昌市实施方案(2021—2025年)": true,
		"中华人民共和国国家通用语言文字法":    true,
		"为深入贯彻落实":             false,
		"关于印发江岭省全民科学素质行动规划":   true,
	} {
		if got := endsLikeTitle(in); got != want {
			t.Errorf("endsLikeTitle(%q) = %v", in, got)
		}
	}
	if !continuesTitle("关于印发江岭省全民科学素质行动规划", "纲要实施方案（2021—2025年）的通知") {
		t.Error("a wrapped title's second line was not taken")
	}
	if continuesTitle("松江省农村供水条例", "松江省农村供水条例") || continuesTitle("某某规划", "（2018年9月28日某某会议通过）") {
		t.Error("a repeated title or a remark was taken as the title's rest")
	}
}

// A PDF extraction that lost a page's line breaks gives one long line: the
// numbered headings and items in it are still found.
func TestRunOnPage(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "run-on-page.txt"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse("r", src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range d.Clauses {
		got = append(got, c.ID+" "+c.Title+" "+strings.Join(c.LeadDepartments, ","))
	}
	want := []string{"r:notice  ", "r:preamble  ", "r:h1-1 指导思想 ", "r:h1-2 发展目标 ",
		"r:1 实施青少年科学素质提升行动 ", "r:2 实施农民科学素质提升行动 ", "r:3 实施科普基础设施工程 省科协"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("clauses:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(d.Clauses[len(d.Clauses)-2].Text, "— 2 —") {
		t.Error("an inline page marker was kept")
	}
}
