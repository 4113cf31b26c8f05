"""Splitting pages into articles and sentences."""

from kg.extract.normalise import normalise
from kg.extract.split import infer_year, split_articles

PAGE = """衡阳进出口贸易「加速跑」

湖南日报11月15日讯(全媒体记者 唐曦)衡阳市全力打好“发展六仗”。2023年1至10月，衡阳市进出口总值397.6亿元。

长沙出口快速增长

湖南日报11月15日讯(全媒体记者 李治)长沙市今年前10个月出口工程机械195.4亿元！同比增长56.1%。
"""


def test_articles_titles_dates_offsets():
    n = normalise(PAGE)
    arts = split_articles(n, "page.txt")
    assert [a.title for a in arts] == ["衡阳进出口贸易「加速跑」", "长沙出口快速增长"]
    assert [a.date for a in arts] == ["2023-11-15", "2023-11-15"]
    assert PAGE[arts[1].char_start:arts[1].char_end].startswith("长沙出口快速增长")
    assert PAGE[arts[0].char_start:arts[0].char_end].rstrip().endswith("397.6亿元。")
    assert [s.text for s in arts[1].sentences][-2:] == ["长沙市今年前10个月出口工程机械195.4亿元！", "同比增长56.1%。"]
    assert arts[0].key == "page-1"


def test_year_inference_and_caller_year_as_last_resort():
    assert infer_year("2023年前三季度，2023年全年，2021年") == 2023
    arts = split_articles(normalise(PAGE), "page.txt", year=2020)
    assert arts[0].date == "2023-11-15"   # the page names its year: the caller's is not needed
    arts = split_articles(normalise(PAGE.replace("2023年", "今年")), "page.txt", year=2020)
    assert arts[0].date == "2020-11-15"


def test_page_without_dateline_is_one_article_titled_by_its_first_words():
    arts = split_articles(normalise("一段没有电头的文字，接着说。第二句。"), "x.txt")
    assert len(arts) == 1 and len(arts[0].sentences) == 2 and arts[0].title == "一段没有电头的文字"


def test_byline_or_dateline_starts_an_article_and_top_heading_is_its_title():
    page = ("## 栏目：经济观察\n\n# 柳州汽车出口创新高\n\n本报记者 王五\n\n柳州市汽车出口持续增长。\n\n"
            "钦州港集装箱吞吐量攀升\n\n广西日报3月5日讯 钦州港今年集装箱吞吐量稳步提升。\n")
    arts = split_articles(normalise(page), "p.txt", year=2024)
    assert [a.title for a in arts] == ["柳州汽车出口创新高", "钦州港集装箱吞吐量攀升"]
    assert [a.date for a in arts] == ["2024-03-05", "2024-03-05"]
    assert arts[1].sentences[-1].text == "钦州港今年集装箱吞吐量稳步提升。"


def test_pick_title_prefers_the_highest_heading():
    from kg.extract.split import pick_title
    assert pick_title(["## 副题", "# 主题"]) == "主题"
    assert pick_title(["肩题", "主题"]) == "肩题"
    assert pick_title([]) is None


def test_headlines_after_a_sign_off_open_one_article_not_two():
    page = ("本报讯 3月2日，记者从市商务局获悉，全市外贸开局良好。\n\n"
            "新签项目12个，总投资30亿元。（王五 赵六）\n\n"
            "一季度引进重大项目18个——\n\n"
            "某县招商引资跑出加速度\n\n"
            "吉林日报4月3日讯（记者 张三）今年以来，某县坚持项目为王，签约项目数量增长明显。\n")
    arts = split_articles(normalise(page), "p.txt", year=2024)
    assert len(arts) == 2
    assert arts[1].title.startswith("一季度引进重大项目18个")
    assert arts[1].date == "2024-04-03"
