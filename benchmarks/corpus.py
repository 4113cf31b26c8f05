"""A seeded generator of newspaper pages shaped like the seeds, for benchmarks.

Each page holds 4 articles (headline, dateline, 4–8 paragraphs) whose sentences are
drawn from templates of Chinese economic reporting, filled with names from kg's own
gazetteers, so the graph grows with the corpus rather than repeating one page.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from kg.extract.gazetteer import load

TEMPLATES = [
    "{period}，{city}进出口总值{v}亿元，同比增长{g}%。",
    "同期，对{country}进出口{v}亿元，同比增长{g}%。",
    "{city}出口{product}{v}亿元，同比增长{g}%；进口{product2}{v2}亿元，同比下降{g2}%。",
    "{county}{company}、{company2}等企业签约落户{city}。",
    "{city}{park}建设加快，{company}投资建设的{name}项目正式开工。",
    "与{bloc}其他成员国进出口{v}亿元，同比增长{g}%。",
    "{province}前{m}个月外贸规模创历史同期新高，{city}、{city2}分别增长{g}%、{g2}%。",
    "{company}是{city}{county}的龙头企业，今年营收近{v}亿元。",
    "{city}{name}产业集群入选国家级中小企业特色产业集群。",
    "今年以来，{city}坚持创新驱动发展，推动产业转型升级，经济运行稳中有进。",
    "据{city}海关统计，{period}，{city}对{country}出口{product}增长{g}%。",
]
SYLLABLES = "华湘恒瑞鑫源达泰丰盛宏远博创联智新能科电材特通航海天信云数芯光"
PARKS = ["经开区", "高新区", "综保区", "产业园", "国际陆港"]
PERIODS = ["1至{m}月", "前{m}个月", "前三季度", "上半年", "{m}月份"]


def page(rng: random.Random, gaz, regions, countries, blocs, products, companies) -> str:
    parts = []
    for _ in range(4):
        city = rng.choice(regions["City"])
        fill = lambda: {  # noqa: E731 - a fresh draw for every sentence
            "city": city.name, "city2": rng.choice(regions["City"]).name,
            "county": rng.choice(regions["County"]).name, "province": rng.choice(regions["Province"]).name,
            "country": rng.choice(countries), "bloc": rng.choice(blocs),
            "product": rng.choice(products), "product2": rng.choice(products),
            "company": rng.choice(companies), "company2": rng.choice(companies),
            "park": rng.choice(PARKS), "name": "".join(rng.choice(SYLLABLES) for _ in range(4)),
            "v": f"{rng.uniform(1, 3000):.1f}", "v2": f"{rng.uniform(1, 500):.1f}",
            "g": f"{rng.uniform(0.1, 80):.1f}", "g2": f"{rng.uniform(0.1, 40):.1f}",
            "m": rng.randint(2, 11), "period": rng.choice(PERIODS).format(m=rng.randint(2, 11)),
        }
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        parts.append(f"{city.name}外贸{rng.choice(['加速跑', '稳中有进', '再创新高'])}")
        paragraphs = []
        for p in range(rng.randint(4, 8)):
            text = "".join(rng.choice(TEMPLATES).format(**fill()) for _ in range(rng.randint(2, 5)))
            paragraphs.append(text)
        paragraphs[0] = f"湖南日报{month}月{day}日讯(全媒体记者 张三 通讯员 李四){paragraphs[0]}"
        parts.extend(paragraphs)
    return "\n\n".join(parts) + "\n"


def generate(out: Path, articles: int, seed: int = 7) -> list[Path]:
    """Write ceil(articles/4) pages of 4 articles under out/; return their paths."""
    gaz = load()
    rng = random.Random(seed)
    regions = {lv: sorted((r for r in gaz.regions.values() if r.level == lv), key=lambda r: r.adcode)
               for lv in ("Province", "City", "County")}
    countries = sorted(name for name, kind in gaz.countries.values() if kind == "Country")
    blocs = sorted(gaz.blocs.values())
    products = sorted(n for n, es in gaz.names.items() if any(e.cls == "Product" for e in es) and "“" not in n)
    companies = sorted({e.canonical for es in gaz.names.values() for e in es if e.cls == "Enterprise"})
    companies += [f"{''.join(rng.choice(SYLLABLES) for _ in range(4))}科技有限公司" for _ in range(200)]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range((articles + 3) // 4):
        p = out / f"page_{n:06d}.txt"
        p.write_text(page(rng, gaz, regions, countries, blocs, products, companies), encoding="utf-8")
        paths.append(p)
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    print(f"wrote {len(generate(Path(a.out), a.articles, a.seed))} pages to {a.out}")
