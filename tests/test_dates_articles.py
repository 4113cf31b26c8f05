"""Each article's date and year: from its own dateline, else the years its text reports on."""

import pytest

from kg.extract.normalise import normalise
from kg.extract.numbers import text_year
from kg.extract.split import dateline_date, split_articles


@pytest.mark.parametrize("par,date", [
    ("新华社南宁3月5日电 广西外贸稳步增长。", (None, 3, 5)),
    ("本报讯 7月6日，记者从会上获悉，签约项目众多。", (None, 7, 6)),
    ("吉林日报讯(记者 王某)8月25日上午，长春市举行签约仪式。", (None, 8, 25)),
    ("西宁晚报讯 记者张某、李某报道：2022年3月8日，园区开工。", (2022, 3, 8)),
    ("本报喀什讯 记者获悉，口岸进出口增长。", (None, None, None)),
    ("2023年5月12日 星期五", (2023, 5, 12)),
    ("据海关统计，前三季度进出口增长。", None),
])
def test_dateline_forms(par, date):
    assert dateline_date(par) == date


@pytest.mark.parametrize("text,year", [
    ("今年前5个月，贵港市进出口较2019年同期增长30%，仅次于2022年4月。", 2022),
    ("自2015年设立以来，园区累计进出口。2019年，园区进出口120亿元。", 2019),
    ("计划于2026年建成投产。到2030年，产值将达500亿元。", None),
    ("2000年前后企业分散建厂。2021年，全县产值50亿元。", 2021),
])
def test_the_year_a_text_reports_on(text, year):
    assert text_year(text) == year


def test_articles_of_one_page_keep_their_own_dates_and_years():
    page = ("柳州汽车出口增长\n\n本报柳州4月2日讯 2024年一季度，柳州汽车出口增长。\n\n"
            "桂林旅游回暖\n\n新华社桂林2023年3月30日电 去年，桂林接待游客增长。\n\n"
            "钦州港吞吐量攀升\n\n本报讯 今年前两个月，钦州港吞吐量攀升。\n")
    arts = split_articles(normalise(page), "p.txt", year=2020)
    assert [a.title for a in arts] == ["柳州汽车出口增长", "桂林旅游回暖", "钦州港吞吐量攀升"]
    assert [a.year for a in arts] == [2024, 2023, 2024]        # the dateline's year; the third takes the page's
    assert [a.date for a in arts] == ["2024-04-02", "2023-03-30", "2024-04-02"]
    assert [s.text for s in arts[1].sentences][1:] == ["桂林", "去年，桂林接待游客增长。"]  # the place, not the dateline


def test_a_page_opens_with_its_headline_even_without_a_dateline():
    body = "据贵港海关统计，前5个月贵港进出口增长12%，其中出口增长15%，进口增长8%，均高于全区平均水平。"
    page = f"前5个月贵港外贸增长12% 出口创新高\n\n{body}\n\n{body}\n"
    arts = split_articles(normalise(page), "p.txt")
    assert arts[0].title == "前5个月贵港外贸增长12%出口创新高"
    assert arts[0].sentences[1].text == body


def test_an_undated_dateline_takes_the_first_day_named_near_the_top():
    page = ("凭祥口岸进出口增长\n\n本报凭祥讯（记者 周某）今年以来，凭祥口岸进出口稳步增长。\n\n"
            "9月26日，凭祥海关负责人介绍，前8个月口岸进出口增长。\n")
    arts = split_articles(normalise(page), "p.txt", year=2021)
    assert arts[0].date == "2021-09-26"


def test_a_story_recalling_an_earlier_year_keeps_the_page_year():
    page = ("南宁外贸增长\n\n本报南宁5月6日讯 2024年一季度，南宁进出口增长。2024年4月，出口增长。\n\n"
            "老街换新颜\n\n本报讯 2021年，老街启动改造，如今游人如织。\n")
    arts = split_articles(normalise(page), "p.txt")
    assert [a.year for a in arts] == [2024, 2024]


@pytest.mark.parametrize("page,n", [
    ("甲地新闻一则\n\n本报讯 甲地开工项目十个。(张三)\n\n乙地举办展会，签约项目五个。\n", 2),
    ("甲地新闻一则\n\n本报讯 甲地开工项目十个。\n\n李四\n\n乙地举办展会，签约项目五个。\n", 2),
    ("甲地新闻一则\n\n本报讯 甲地开工项目十个。(本文图片均由甲地开发区提供)\n\n项目进展顺利。\n", 1),
])
def test_a_writers_sign_off_ends_an_article(page, n):
    assert len(split_articles(normalise(page), "p.txt", year=2024)) == n


def test_untitled_article_is_titled_past_time_words_and_photo_credits():
    page = "本报讯 近日，北海市举办向海经济招商推介会，签约项目12个。\n"
    assert split_articles(normalise(page), "p.txt", year=2024)[0].title == "北海市举办向海经济招商推介会"
