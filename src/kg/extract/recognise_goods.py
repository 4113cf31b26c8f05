"""The recogniser's sources of traded goods (Product mentions), each a small function
(recogniser, page text, sentence) → mentions, run only in a trade sentence.

Goods are named around the trade verb (出口工程机械, 电工器材、手机出口), in enumerations
ending in a goods noun (打码机、理瓶机、灌装机等设备), after a listing verb (主要为, 包括,
以…为主) and after 满载 (满载老挝啤酒的班列). Word lists: ``kg/data/lexicon/rec_*.txt``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.lexicon import alternation, words
from kg.model import Mention, Sentence
from kg.vocab import GEO_CLASSES

if TYPE_CHECKING:  # the recogniser passes itself in; no import cycle at run time
    from kg.extract.recognise import Recogniser

TRADE_CONTEXT = re.compile(alternation("rec_trade_words"))
_GOODS_HEAD = "(?:" + alternation("rec_product_heads") + ")"
_ITEM = r"[\u4e00-\u9fffA-Za-z“”]{1,12}"
# after 出口/进口, the goods run to the first figure, clause break or reporting word
_PRODUCT_AFTER_TRADE = re.compile(r"(?:出口|进口)(?:了)?([^\d，。；：、,;:]{2,40}(?:、[^\d，。；：、,;:]{2,20})*)")
_PRODUCT_BEFORE_TRADE = re.compile(r"([\u4e00-\u9fff“”]{2,12}" + _GOODS_HEAD + r")(?=(?:出口|进口)(?!额|值|总))")
# "电子元件、电工器材、手机出口分别增长": an enumeration right before the trade verb
_LIST_BEFORE_TRADE = re.compile(rf"((?:{_ITEM}、)+{_ITEM}(?:(?:和|与){_ITEM})?)(?:等)?(?=(?:出口|进口|出境)(?!额|值|总))")
# "打码机、理瓶机、灌装机等设备", "小黄姜、卷心菜等蔬菜产品": an enumeration closed by a goods noun
_LIST_OF_GOODS = re.compile(rf"((?:{_ITEM}、)+{_ITEM}(?:(?:和|与|以及){_ITEM})?)等(?:[\u4e00-\u9fff]{{0,4}}"
                            + _GOODS_HEAD + "|货物|货品|物资)")
# "进口商品主要为…", "以铁矿、煤炭和水海产品为主", "满载老挝啤酒的专列"
_LIST_AFTER_CUE = re.compile("(?:" + alternation("rec_goods_cues") + r")([^，。；：,;:]{2,60})"
                             r"|以([^，。；：,;:]{2,40}?)为主")
_VAGUE_GOODS = re.compile("^(?:" + alternation("rec_vague_goods") + ")")
_VAGUE_WORD = re.compile(alternation("rec_vague_goods"))
# "其中，香料油出口额2159万美元": a short phrase opening a clause and heading a trade figure
_GOODS_HEADING_FIGURE = re.compile(r"(?:^|[，；：,;:])(?:其中[，,]?)?([\u4e00-\u9fff“”]{2,8}?)(?<!进)(?:出口|进口)额?"
                                   r"(?:达|为|约|近|超|逾)?\d")
_NOT_FIGURE_GOODS = re.compile(alternation("rec_figure_heads_not_goods"))
PARTNER_MARKS = "对向从自与"  # 对泰国出口…: a partner, not goods
_VAGUE_GROUP = re.compile("(?:" + alternation("rec_vague_goods") + ")(?:产品|商品)$")
_PRODUCT_END = re.compile("(?:" + alternation("rec_product_end") + r"|.{0,2}仪式).*$")
_PRODUCT_STOP = re.compile("^(?:" + alternation("rec_product_stop") + ")")
_NOT_GOODS = re.compile(alternation("rec_not_goods"))
_GOODS_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z“” ]+")
# "非遗产品辰州绞胎瓷": a category before a name; the name is the goods
_CATEGORY_FIRST = re.compile(r"^[\u4e00-\u9fff]{1,6}" + _GOODS_HEAD + r"(?=[\u4e00-\u9fff“]{2})")
_COUNTRY_INITIALS = frozenset(words("rec_country_initials"))
_LIST_JOINER = re.compile("[、和与]")
_SPLIT = re.compile(r"(、|和|与|以及)")


def _trade_sentence(sentence: Sentence) -> bool:
    return bool(TRADE_CONTEXT.search(sentence.text))


def goods_item_ok(rec: Recogniser, item: str) -> bool:
    """Whether an item of a goods list names goods: no reporting words, no destination."""
    if not (2 <= len(item) <= 14) or _PRODUCT_STOP.match(item) or _NOT_GOODS.search(item):
        return False
    if not _GOODS_CHARS.fullmatch(item) or item.count("“") != item.count("”"):
        return False  # a figure, a bracket or an ellipsis: no goods name
    hits = list(rec.gaz.find(item))
    products = [h for h in hits if any(e.cls == "Product" for e in h[3])]
    # "电动载人汽车“新三样”产品": the dictionary names its parts; but 智能手机 is a kind of 手机
    if products and not any((h[0] == 0 and h[1] >= len(item) - 2) or (h[1] == len(item) and h[0] <= 3)
                            for h in products):
        return False
    # 出口泰国: a destination, not goods (but 德国啤酒 is goods)
    return not any(h[1] - h[0] >= len(item) - 1 and any(e.cls in GEO_CLASSES for e in h[3]) for h in hits)


def _items(rec: Recogniser, text: str, off: int, start: int, group: str) -> list[Mention]:
    """Mentions of the goods items of an enumeration found at `start` in text."""
    out, pos = [], start
    for piece in _SPLIT.split(group):
        s, pos = pos, pos + len(piece)
        item = re.split(r"[(（\d]", piece, maxsplit=1)[0]  # 卡通人物手办(未上色…), 汽车94.4亿元
        category = _CATEGORY_FIRST.match(item)
        item = item[category.end():] if category else item
        # 湖南工程机械: the exporter's region goes; 德国啤酒 keeps its country of origin
        item = item[rec.leading_place(item, regions_only=True):]
        vague = _VAGUE_GOODS.match(item)  # 各类农产品 are 农产品
        item = item[vague.end():] if vague else item
        s += piece.find(item) if item else 0
        if not _SPLIT.fullmatch(piece) and goods_item_ok(rec, item):
            out.append(Mention(item, "Product", off + s, off + s + len(item), item, "pattern", item))
    return out


def goods_before_trade(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """A goods group right before 出口/进口: "非遗及文旅产品出口泰国", "防疫物资出口大幅增加",
    "机电产品和农产品出口" (two groups), "对俄机电产品出口" (俄 says where to)."""
    text, off = sentence.text, sentence.start
    if not _trade_sentence(sentence):
        return []
    out = []
    for m in _PRODUCT_BEFORE_TRADE.finditer(text):
        if _VAGUE_GROUP.search(m.group(1)):
            continue
        s = rec.left_edge(text, m.end(1), joined=True)
        s += rec.leading_place(text[s:m.end(1)])
        s = after_platform(rec, text, s, m.end(1))
        vague = _VAGUE_WORD.search(text, s, min(s + 4, m.end(1)))  # 也有部分农产品: 农产品
        s = vague.end() if vague else s
        if text[s:s + 1] in _COUNTRY_INITIALS and _is_product(rec, text[s + 1:m.end(1)]):
            s += 1
        if _LIST_JOINER.search(text, s, m.end(1)):
            out += _items(rec, text, off, s, text[s:m.end(1)])
        elif m.end(1) - s >= 4:
            out.append(Mention(text[s:m.end(1)], "Product", off + s, off + m.end(1), text[s:m.end(1)], "pattern"))
    return out


def after_platform(rec: Recogniser, text: str, s: int, end: int) -> int:
    """Where goods start after a port or park naming the trader (黑河口岸农副产品出口 → 农副产品)."""
    last = None
    for last in rec.platform_kind_re.finditer(text[s:end]):
        pass
    return s + last.end() if last is not None and end - s - last.end() >= 2 else s


def _is_product(rec: Recogniser, name: str) -> bool:
    return any(e.cls == "Product" for e in rec.gaz.names.get(name, ()))


def _enumerated(rec: Recogniser, sentence: Sentence, pattern: re.Pattern, trim: bool) -> list[Mention]:
    """The goods of each enumeration `pattern` finds; the first item is cut on the left like a name,
    and with trim the list ends at the first reporting word (分别, 同比 …)."""
    if "、" not in sentence.text or not _trade_sentence(sentence):  # every enumeration has a 、
        return []
    text, out = sentence.text, []
    for m in pattern.finditer(text):
        first_end = m.start(1) + m.group(1).index("、")
        s = max(rec.left_edge(text, first_end), m.start(1))
        group = text[s:m.end(1)]
        out += _items(rec, text, sentence.start, s, _PRODUCT_END.sub("", group) if trim else group)
    return out


def goods_listed_before_trade(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """An enumeration right before 出口/进口: "电子元件、电工器材、手机出口分别增长"."""
    return _enumerated(rec, sentence, _LIST_BEFORE_TRADE, trim=True)


def goods_in_lists(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """An enumeration closed by a goods noun: "打码机、理瓶机、灌装机等设备"."""
    return _enumerated(rec, sentence, _LIST_OF_GOODS, trim=False)


def goods_after_cue(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """Goods after a listing cue: "主要为A、B", "包括A和B", "以A、B为主", "满载A的"."""
    if not _trade_sentence(sentence):
        return []
    text, out = sentence.text, []
    for m in _LIST_AFTER_CUE.finditer(text):
        n = 1 if m.group(1) else 2
        group = _PRODUCT_END.sub("", re.sub(r"(为主|的|等).*$", "", m.group(n)))
        out += _items(rec, text, sentence.start, m.start(n), group)
    return out


def goods_after_trade(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """Goods named right after 出口/进口: "出口工程机械195.4亿元", "进口铜精矿、铁矿砂等"."""
    if not _trade_sentence(sentence):
        return []
    text, out = sentence.text, []
    for m in _PRODUCT_AFTER_TRADE.finditer(text):
        if text[max(0, m.start() - 1):m.start()] == "进" and text[m.start():m.start() + 2] == "出口":
            continue  # 进出口 is trade in general, not goods
        # 出口非洲的打火机: the destination and its 的 go before the goods
        lead = rec.leading_place(m.group(1))
        skip = lead + 1 if lead and m.group(1).startswith("的", lead) else 0
        if not lead and m.group(1).startswith("以") and "为主" in m.group(1):
            skip = 1  # 出口以钢材、服装等为主: 以 is no part of the goods
        out += _items(rec, text, sentence.start, m.start(1) + skip, _PRODUCT_END.sub("", m.group(1)[skip:]))
    return out


def goods_heading_a_figure(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """A short phrase opening a clause before 出口额/进口额 and an amount: "其中，香料油出口额
    2159万美元；烟草及制品出口额2.05亿美元"; not a place, a trade mode or a company
    (全省出口额, 一般贸易进口)."""
    text, out = sentence.text, []
    if "出口" not in text and "进口" not in text:
        return out
    for m in _GOODS_HEADING_FIGURE.finditer(text):
        lead = rec.leading_place(m.group(1), regions_only=True)  # 黑河市机电产品出口额: the goods
        item = m.group(1)[lead:]
        if len(item) < 2 or _NOT_FIGURE_GOODS.search(item) or rec.leading_place(item) or item[0] in PARTNER_MARKS:
            continue
        out += _items(rec, text, sentence.start, m.start(1) + lead, item)
    return out


GOODS_SOURCES = (
    goods_before_trade,
    goods_listed_before_trade,
    goods_in_lists,
    goods_after_cue,
    goods_after_trade,
    goods_heading_a_figure,
)
