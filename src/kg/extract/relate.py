"""Stage 6, relate: relations and observations from the sentences of one article.

Each sentence is seen once (`SentenceView`): the relation rules of `relation_rules` run in
table order over it (names and word order: located-in, participates-in), then clause by
clause (trade partners, traded products), then `observe` reads its figures. The subject and
period of a sentence carry over to the next ones (`ArticleState`).
"""

from __future__ import annotations

from kg.extract.observe import observe
from kg.extract.relation_rules import ARTICLE_RULES, CLAUSE_RULES, EVENT, SENTENCE_RULES
from kg.extract.sentence_view import ArticleState, Linked, SentenceView, clause_view, home_regions, story_place
from kg.model import Article, Observation, Relation

__all__ = ["Linked", "Relator"]


def confidence(v: SentenceView, s: str, o: str, conf: float) -> float:
    """The rule's confidence, raised when both ends are known names (dictionary or user
    terms) and lowered when one was only guessed from a list."""
    sources = {v.support.get(s, "gazetteer"), v.support.get(o, "gazetteer")}
    if sources <= {"gazetteer", "user"}:
        conf += 0.05
    elif "list" in sources:
        conf -= 0.1
    return round(min(max(conf, 0.05), 0.99), 2)


def record(st: ArticleState, v: SentenceView, facts) -> None:
    for s, p, o, conf in facts:
        if s and o and s != o:
            st.relations.append(Relation(s, p, o, st.article.key, v.text, confidence(v, s, o, conf)))


class Relator:
    """Extracts relations and observations article by article."""

    def __init__(self, china_iri: str):
        self.china = china_iri

    def relate(self, page: str, article: Article,
               per_sentence: list[list[Linked]]) -> tuple[list[Relation], list[Observation]]:
        linked_all = [x for ls in per_sentence for x in ls]
        st = ArticleState(page, article, self.china, home_regions(linked_all), place=story_place(linked_all),
                          classes={x.iri: x.cls for x in linked_all},
                          investment_story=any(EVENT.search(s.text) for s in article.sentences))
        views = []
        for sent, linked in zip(article.sentences, per_sentence):
            v = SentenceView(page, sent, linked)
            views.append(v)
            st.clause_subjects = {}
            for rule in SENTENCE_RULES if v.orgs else ():  # every sentence rule places or joins a name
                record(st, v, rule(v, st))
            for c_start, c_end in v.clauses:
                c = clause_view(st, v, c_start, c_end)
                for clause_rule in CLAUSE_RULES:
                    record(st, v, clause_rule(v, st, c))
            observe(v, st)
            st.seen.extend(linked)
        for article_rule in ARTICLE_RULES:
            for v, fact in article_rule(views, st):
                record(st, v, [fact])
        return st.relations, st.observations

