"""Law-popularisation articles (普法, 谁执法谁普法; seed D §五): an officer of a body submits an
article; the body's head or a legal reviewer — not its author — publishes or returns it, and may
take a published one down with the reason. Each act recorded on ``article:<id>``."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import Refused
from zhifa.registry.access import Actor

from .. import permissions, rules
from ..inputs import ArticleIn, ReviewIn
from ..models import Article

NOT_OFFICER = "只有执法主体的工作人员可以撰写普法文章。"
NOT_REVIEWER = "只有本主体负责人或法制审核人员可以审核普法文章。"


@use_case
def submit_article(data: ArticleIn, *, actor: Actor) -> Article:
    """提交审核: an officer writes for its own body."""
    officer = actor.officer
    if officer is None:
        raise PermissionDenied(NOT_OFFICER)
    with transaction.atomic():
        article = Article.objects.create(body_id=officer.body_id, title=data.title, summary=data.summary,
                                         content=data.content, author=officer, submitted_on=clock.today())
        ledger.append(f"article:{article.pk}", "submit_article", {
            "label": "提交普法文章", "title": data.title, "summary": data.summary, "content": data.content,
            "basis": rules.ARTICLE_BASIS}, actor=actor)
    return article


@use_case
def review_article(article_id: int, data: ReviewIn, *, actor: Actor) -> Article:
    """发布 (``publish``), 退回 (``return``) or 撤下 (``withdraw``): the body's head or legal
    reviewer, every violation at once (409)."""
    if data.decision not in rules.ARTICLE_ACTIONS:
        raise Http404("没有这个操作。")
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article is None or not permissions.by_scope(actor, Article.objects.filter(pk=article_id)).exists():
            raise Http404("没有这篇文章。")
        if not permissions.leads(actor, article.body_id):
            raise PermissionDenied(NOT_REVIEWER)
        refused = rules.check_article_review(article.state, data.decision, data.reason, author_id=article.author_id,
                                             reviewer_id=actor.officer.pk)
        if refused:
            raise Refused(refused)
        article.state = rules.ARTICLE_ACTIONS[data.decision][1]
        article.reviewer, article.review_note = actor.officer, data.reason
        if data.decision == "publish":
            article.published_on = clock.today()
        article.save(update_fields=["state", "reviewer", "review_note", "published_on"])
        ledger.append(f"article:{article.pk}", f"{data.decision}_article", {
            "label": {"publish": "审核发布", "return": "退回修改", "withdraw": "撤下"}[data.decision],
            "reason": data.reason, "basis": rules.ARTICLE_BASIS}, actor=actor)
    return article
