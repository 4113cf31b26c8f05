"""Writes ontology/kg.ttl: the ontology contract (shared/spec/ONTOLOGY.md) as OWL.

Run by hand after changing the term table below; a test checks every term of
kg.vocab.KG is defined here with Chinese and English labels and comments.
"""

from pathlib import Path

HEADER = """@prefix kg:   <https://w3id.org/zhkg/ontology#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo:  <http://www.w3.org/2003/01/geo/wgs84_pos#> .

<https://w3id.org/zhkg/ontology> a owl:Ontology ;
    rdfs:label "中国区域经济新闻知识图谱本体"@zh, "kg ontology for Chinese regional economic news"@en ;
    rdfs:comment "kg 构建的知识图谱所用的类与属性：地区、企业、项目、产业集群、平台、贸易伙伴、产品及其统计观测。"@zh,
        "Classes and properties of the graphs kg builds from Chinese economic news: regions, enterprises, projects, clusters, platforms, trade partners, products and statistics."@en ;
    owl:versionInfo "0.1.0" .

"""

ENTITY = "kg:Region kg:Enterprise kg:Project kg:IndustryCluster kg:Platform kg:TradePartner kg:Product"
TRADERS = "kg:Region kg:Enterprise kg:Platform kg:Country"

# (term, kind, zh label, en label, zh comment, en comment, extra axioms)
TERMS = [
    ("Article", "Class", "文章", "Article", "一篇新闻文章：输入文件（一个版面）中的一段。", "One news article: a segment of an input file (a newspaper page holds several).", ""),
    ("Region", "Class", "行政区", "Region", "中国的行政区划（抽象类）。", "A Chinese administrative division (abstract).", ""),
    ("Province", "Class", "省级行政区", "Province", "省、自治区、直辖市。", "A province-level division.", "rdfs:subClassOf kg:Region"),
    ("City", "Class", "地级行政区", "City", "地级市、地区、自治州、盟。", "A prefecture-level city or autonomous prefecture.", "rdfs:subClassOf kg:Region"),
    ("County", "Class", "县级行政区", "County", "县、县级市、市辖区、旗。", "A county-level division: county, county-level city, district.", "rdfs:subClassOf kg:Region"),
    ("Enterprise", "Class", "企业", "Enterprise", "公司或企业集团（国有、民营、外资、银行、传媒集团）。", "A company or corporate group (state-owned, private, foreign, banks, media groups).", ""),
    ("Project", "Class", "项目", "Project", "有名称的投资或建设项目。", "A named investment or construction project.", ""),
    ("IndustryCluster", "Class", "产业集群", "Industry cluster", "有名称的产业集群。", "A named industry cluster.", ""),
    ("TradePartner", "Class", "贸易伙伴", "Trade partner", "中国大陆以外的贸易对象（角色类）。", "A counterpart outside mainland China (role class).", ""),
    ("Country", "Class", "国家", "Country", "主权国家（中国单独出现时亦是）。", "A sovereign country (中国 included, when it stands alone).", "rdfs:subClassOf kg:TradePartner"),
    ("Territory", "Class", "地区（港澳台）", "Territory", "中国香港、中国澳门、中国台湾。", "中国香港, 中国澳门, 中国台湾.", "rdfs:subClassOf kg:TradePartner"),
    ("EconomicBloc", "Class", "经济集团", "Economic bloc", "经济集团、组织或世界地区（东盟、欧盟、RCEP、非洲……）。", "A bloc, grouping or world region (ASEAN, EU, RCEP, Africa …).", "rdfs:subClassOf kg:TradePartner"),
    ("Platform", "Class", "开放平台", "Platform", "开放型经济或产业平台：综保区、自贸区、开发区、产业园、陆港、班列与通道、交易所。", "An open-economy or industrial platform: bonded zone, free-trade zone, development zone, park, inland port, rail or sea corridor, exchange.", ""),
    ("Product", "Class", "产品", "Product", "在进出口语境中提到的商品或商品类别。", "A traded product or product group, named in an import or export context.", ""),
    ("Observation", "Class", "统计观测", "Observation", "一条统计：某实体某指标在某时期的数值（及增速）。", "One statistic: a value (and growth) of an indicator for an entity over a period.", ""),
    ("mentionedIn", "ObjectProperty", "提及于", "mentioned in", "实体在该文章中被提及。", "The entity is mentioned in this article.", "rdfs:range kg:Article"),
    ("adcode", "DatatypeProperty", "行政区划代码", "adcode", "GB/T 2260 六位行政区划代码。", "The 6-digit GB/T 2260 code.", "rdfs:domain kg:Region ; rdfs:range xsd:string"),
    ("isoCode", "DatatypeProperty", "ISO 代码", "ISO code", "ISO 3166-1 二位字母代码。", "ISO 3166-1 alpha-2 code.", "rdfs:range xsd:string"),
    ("partOf", "ObjectProperty", "隶属于", "part of", "县属于地级市，地级市属于省。", "A county lies in a city, a city in a province.", "rdfs:domain kg:Region ; rdfs:range kg:Region"),
    ("locatedIn", "ObjectProperty", "位于", "located in", "企业、项目、产业集群或平台位于该地区。", "An enterprise, project, cluster or platform lies in this region.", "rdfs:range kg:Region"),
    ("tradesWith", "ObjectProperty", "贸易往来", "trades with", "文本陈述的贸易往来。", "The text states trade between them.", "rdfs:range kg:TradePartner"),
    ("exportsTo", "ObjectProperty", "出口至", "exports to", "以出口陈述的贸易往来。", "Trade stated as export.", "rdfs:subPropertyOf kg:tradesWith ; rdfs:range kg:TradePartner"),
    ("importsFrom", "ObjectProperty", "进口自", "imports from", "以进口陈述的贸易往来。", "Trade stated as import.", "rdfs:subPropertyOf kg:tradesWith ; rdfs:range kg:TradePartner"),
    ("exports", "ObjectProperty", "出口产品", "exports", "主体出口该产品。", "The subject exports the product.", "rdfs:range kg:Product"),
    ("imports", "ObjectProperty", "进口产品", "imports", "主体进口该产品。", "The subject imports the product.", "rdfs:range kg:Product"),
    ("participatesIn", "ObjectProperty", "参与", "participates in", "企业投资、建设、运营或签约该项目。", "The enterprise invests in, builds, operates or signs the project.", "rdfs:domain kg:Enterprise ; rdfs:range kg:Project"),
    ("evidence", "DatatypeProperty", "证据句", "evidence", "支持该关系或统计的原文句子。", "The sentence that states the relation or statistic.", ""),
    ("confidence", "DatatypeProperty", "置信度", "confidence", "0 到 1 之间的置信度。", "Confidence between 0 and 1.", "rdfs:range xsd:decimal"),
    ("title", "DatatypeProperty", "标题", "title", "文章标题。", "The headline, where there is one.", "rdfs:domain kg:Article"),
    ("date", "DatatypeProperty", "日期", "date", "出版日期。", "Publication date, where it can be known.", "rdfs:domain kg:Article ; rdfs:range xsd:date"),
    ("sourceFile", "DatatypeProperty", "来源文件", "source file", "输入文件名（不含路径）。", "The input file's name (not its path).", "rdfs:domain kg:Article ; rdfs:range xsd:string"),
    ("charStart", "DatatypeProperty", "起始位置", "char start", "文章在文件中的起始字符位置。", "Where the article starts in the file.", "rdfs:domain kg:Article ; rdfs:range xsd:integer"),
    ("charEnd", "DatatypeProperty", "结束位置", "char end", "文章在文件中的结束字符位置。", "Where the article ends in the file.", "rdfs:domain kg:Article ; rdfs:range xsd:integer"),
    ("observedEntity", "ObjectProperty", "观测对象", "observed entity", "该统计所属的实体。", "Whose statistic it is.", "rdfs:domain kg:Observation"),
    ("indicator", "DatatypeProperty", "指标", "indicator", "文本中的指标名称（进出口总值、出口……）。", "The indicator as the text names it.", "rdfs:domain kg:Observation"),
    ("partner", "ObjectProperty", "贸易伙伴", "partner", "统计涉及的贸易伙伴。", "The trade partner of the statistic.", "rdfs:domain kg:Observation ; rdfs:range kg:TradePartner"),
    ("product", "ObjectProperty", "产品", "product", "统计涉及的产品。", "The product of the statistic.", "rdfs:domain kg:Observation ; rdfs:range kg:Product"),
    ("value", "DatatypeProperty", "数值", "value", "以基本单位计的数值（397.6亿元 → 39760000000）。", "The value in base units (397.6亿元 → 39760000000).", "rdfs:domain kg:Observation ; rdfs:range xsd:decimal"),
    ("unit", "DatatypeProperty", "单位", "unit", "CNY、USD 或量词。", "CNY, USD, or the measure word.", "rdfs:domain kg:Observation ; rdfs:range xsd:string"),
    ("growthRate", "DatatypeProperty", "同比增速", "growth rate", "同比变化百分比（下降为负，倍数乘以100）。", "Year-on-year change in percent (decline negative, 倍 × 100).", "rdfs:domain kg:Observation ; rdfs:range xsd:decimal"),
    ("periodLabel", "DatatypeProperty", "时期", "period label", "原文中的时期（1至10月、前三季度）。", "The period as written.", "rdfs:domain kg:Observation"),
    ("periodStart", "DatatypeProperty", "时期起", "period start", "时期的起始年月。", "First month of the period.", "rdfs:domain kg:Observation ; rdfs:range xsd:gYearMonth"),
    ("periodEnd", "DatatypeProperty", "时期止", "period end", "时期的终止年月。", "Last month of the period.", "rdfs:domain kg:Observation ; rdfs:range xsd:gYearMonth"),
    ("qualifier", "DatatypeProperty", "约数限定", "qualifier", "近似或下限数字的限定词（近、约、超、逾、余）（扩展属性）。", "The word marking an approximate or lower-bound figure (近, 约, 超, 逾, 余); an extension of the contract.", "rdfs:domain kg:Observation ; rdfs:range xsd:string"),
]


def main() -> None:
    out = [HEADER]
    for term, kind, zl, el, zc, ec, extra in TERMS:
        block = f"kg:{term} a owl:{kind} ;\n    rdfs:label \"{zl}\"@zh, \"{el}\"@en ;\n    rdfs:comment \"{zc}\"@zh, \"{ec}\"@en"
        if extra:
            block += " ;\n    " + extra
        out.append(block + " .\n")
    root = Path(__file__).resolve().parent.parent
    (root / "ontology" / "kg.ttl").write_text("\n".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
