"""Regenerates src/kg/data/regions.tsv and countries.tsv from the cpca and pycountry packages.

Run by hand (`pip install cpca pycountry`); the package itself reads only the TSVs.
blocs.tsv is curated by hand and not touched here.
"""

import csv
import gettext
import os
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "kg" / "data"
PSEUDO = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# common Chinese news names where pycountry's zh_CN translation is the formal one
COUNTRY_NAMES = {
    "RU": "俄罗斯", "KR": "韩国", "KP": "朝鲜", "US": "美国", "GB": "英国", "VN": "越南", "LA": "老挝",
    "IR": "伊朗", "SY": "叙利亚", "VE": "委内瑞拉", "BO": "玻利维亚", "TZ": "坦桑尼亚", "MD": "摩尔多瓦",
    "CN": "中国", "CF": "中非共和国", "CD": "刚果(金)", "CG": "刚果(布)", "SA": "沙特阿拉伯",
    "AE": "阿联酋", "CZ": "捷克", "MK": "北马其顿", "BN": "文莱", "TR": "土耳其", "PS": "巴勒斯坦",
    "VA": "梵蒂冈", "FM": "密克罗尼西亚", "PG": "巴布亚新几内亚", "NL": "荷兰", "CI": "科特迪瓦",
}
EXTRA_ALIASES = {"SA": ["沙特"], "AE": ["阿拉伯联合酋长国"], "CD": ["刚果民主共和国"], "CG": ["刚果共和国"],
                 "US": ["美利坚合众国"], "GB": ["大不列颠及北爱尔兰联合王国"], "NZ": ["纽西兰"]}
TERRITORIES = [("HK", "中国香港", "香港"), ("MO", "中国澳门", "澳门"), ("TW", "中国台湾", "台湾")]


def level(code: str) -> str:
    if code.endswith("0000"):
        return "Province"
    return "City" if code.endswith("00") else "County"


def make_regions() -> None:
    import cpca

    res = Path(os.path.dirname(cpca.__file__)) / "resources"
    rows = list(csv.DictReader(open(res / "adcodes.csv", encoding="utf-8")))
    nations = sorted({n.strip() for line in open(res / "56_nations.csv", encoding="utf-8")
                      for n in line.replace(",", "\n").split("\n") if n.strip()}, key=len, reverse=True)
    regs = {r["adcode"][:6]: (r["name"], r["latitude"], r["longitude"]) for r in rows if r["adcode"].endswith("000000")}

    def parent(code: str) -> str:
        if level(code) == "Province":
            return ""
        city = code[:4] + "00"
        if level(code) == "County" and city in regs and regs[city][0] not in PSEUDO:
            return city
        return code[:2] + "0000"

    def short(name: str, lv: str) -> str:
        suffixes = {"Province": ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"],
                    "City": ["自治州", "地区", "盟", "市"],
                    "County": ["自治县", "自治旗", "县", "区", "市", "旗"]}[lv]
        s = name
        for suf in suffixes:
            if s.endswith(suf) and len(s) > len(suf):
                s = s[: -len(suf)]
                break
        stripped = True
        while stripped:  # 湘西土家族苗族 → 湘西
            stripped = False
            for n in nations:
                if s.endswith(n) and len(s) > len(n) + 1:
                    s, stripped = s[: -len(n)], True
                    break
        return s if len(s) >= 2 and s != name else ""

    fulls = {v[0] for v in regs.values()}
    with open(DATA / "regions.tsv", "w", encoding="utf-8") as f:
        f.write("# source: derived from cpca 0.5.5 resources/adcodes.csv (GB/T 2260 adcodes with coordinates, "
                "data of 2021) by tools/make_reference_data.py; short forms strip the level suffix and ethnic names\n")
        f.write("adcode\tname\tlevel\tparent\tshort\tlat\tlong\n")
        for code in sorted(regs):
            name, lat, lon = regs[code]
            if name in PSEUDO:
                continue
            lv = level(code)
            sh = short(name, lv)
            sh = "" if sh in fulls else sh
            f.write(f"{code}\t{name}\t{lv}\t{parent(code)}\t{sh}\t{lat}\t{lon}\n")


def make_countries() -> None:
    import pycountry

    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    with open(DATA / "countries.tsv", "w", encoding="utf-8") as f:
        f.write("# source: pycountry ISO 3166-1 alpha-2 codes with its zh_CN names, adjusted to the names Chinese "
                "news uses (tools/make_reference_data.py); formal names kept as aliases\n")
        f.write("iso2\tname_zh\taliases\tkind\n")
        for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
            if c.alpha_2 in {t[0] for t in TERRITORIES}:
                continue
            formal = zh.gettext(c.name)
            name = COUNTRY_NAMES.get(c.alpha_2, formal)
            aliases = [a for a in [formal, *EXTRA_ALIASES.get(c.alpha_2, [])] if a != name and a != "中非"]
            f.write(f"{c.alpha_2}\t{name}\t{'|'.join(aliases)}\tCountry\n")
        for code, name, alias in TERRITORIES:
            f.write(f"{code}\t{name}\t{alias}\tTerritory\n")


if __name__ == "__main__":
    make_regions()
    make_countries()
