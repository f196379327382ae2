"""The JSON shapes of the API, declared once for responses and for the OpenAPI description.

Field names follow the export contract in the README: a story here is a line of ``newsfold export stories``
plus article summaries, an article is a line of ``newsfold export articles`` plus its copies.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from newsfold.alert.subscriptions import MAX_QUERY_CHARS

__all__ = [
    "ArticleDetail",
    "ArticleSummary",
    "ErrorResponse",
    "IngestResponse",
    "NewSubscription",
    "StoryDetail",
    "StoryList",
    "StorySummary",
    "ARTICLE_INPUT_SCHEMA",
]


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. not_found, validation_error.")
    message: str = Field(description="What went wrong, for people.")
    details: Any = Field(None, description="Extra facts: the invalid parameters, the size limit; or null.")


class ErrorResponse(BaseModel):
    """Every error the server answers has this shape."""

    error: ErrorBody


class StorySummary(BaseModel):
    id: str
    title: str
    sources: list[str] = Field(description="Distinct outlets, in arrival order.")
    article_count: int
    first_seen: str | None = Field(description="ISO 8601, UTC.")
    last_seen: str | None = Field(description="ISO 8601, UTC.")


class StoryList(BaseModel):
    items: list[StorySummary]
    total: int = Field(description="How many stories match the filters.")
    limit: int
    offset: int
    next: str | None = Field(description="Path and query of the next page, or null on the last page.")


class TimelineEntry(BaseModel):
    article_id: str
    source: str | None
    published: str | None
    duplicate_of: str | None


class SharedFact(BaseModel):
    text: str
    article_ids: list[str]


class RelatedFact(BaseModel):
    text: str = Field(description="The fullest wording.")
    article_ids: list[str]
    variants: dict[str, str] = Field(description="Article id -> its own wording.")


class Quote(BaseModel):
    text: str
    speaker: str | None
    article_ids: list[str]


class FigureEntry(BaseModel):
    text: str
    value: float
    counts: str
    article_ids: list[str]
    conflict: bool
    variants: list[str]


class Entity(BaseModel):
    name: str
    type: str = Field(description="PERSON, ORG, PLACE or OTHER.")
    article_ids: list[str]


class ArticleSummary(BaseModel):
    id: str
    source: str | None
    url: str | None
    title: str | None
    published: str | None
    duplicate_of: str | None
    words: int = Field(description="Words of clean text.")
    removed: int = Field(description="How many lines the cleaner removed.")


class StoryDetail(BaseModel):
    """A story with its comparison; the comparison fields are left out with ``compare=false``."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    article_ids: list[str]
    sources: list[str]
    first_seen: str | None
    last_seen: str | None
    headline: str | None = None
    summary: list[str] | None = None
    timeline: list[TimelineEntry] | None = None
    shared: list[SharedFact] | None = None
    unique: dict[str, list[str]] | None = Field(None, description="Article id -> sentences only it carries.")
    related: list[RelatedFact] | None = Field(
        None,
        description="Points several outlets report in different words or figures, each outlet's wording.",
    )
    quotes: list[Quote] | None = None
    figures: list[FigureEntry] | None = None
    entities: list[Entity] | None = None
    articles: list[ArticleSummary]


class RemovedLine(BaseModel):
    text: str
    reason: str = Field(description="Reason code; `newsfold reasons` lists them.")


class CopyRef(BaseModel):
    id: str
    source: str | None
    title: str | None
    published: str | None


class ArticleDetail(BaseModel):
    id: str
    source: str | None
    url: str | None
    title: str | None
    published: str | None
    story_id: str | None
    duplicate_of: str | None = Field(description="Id of the article this one copies, or null.")
    text: str = Field(description="The clean text: kept lines unchanged and in order.")
    removed: list[RemovedLine]
    metadata: dict[str, Any]
    copies: list[CopyRef] = Field(description="Stored articles that copy this one.")


class ItemError(BaseModel):
    code: str = Field(description="invalid_record or processing_error.")
    message: str
    details: Any = None


class IngestItem(BaseModel):
    index: int = Field(description="Position of the record in the request (0 for a single object).")
    id: str | None = Field(description="The article id (given, or derived as the JSONL reader does).")
    status: str = Field(description="stored, duplicate (stored, marked as a copy), skipped or error.")
    story_id: str | None
    new_story: bool
    duplicate_of: str | None
    reason: str | None = Field(description="Why a record was skipped, e.g. already stored.")
    error: ItemError | None


class IngestResponse(BaseModel):
    results: list[IngestItem]
    ingested: int = Field(description="Records stored (including duplicates).")
    duplicates: int
    new_stories: int
    skipped: int = Field(description="Records not stored: already stored, or no text left after cleaning.")
    errors: int = Field(description="Records refused as invalid or that failed to process.")


#: The request body of POST /api/articles: the fields of a JSONL input line (others become metadata).
_ARTICLE = {
    "type": "object",
    "anyOf": [{"required": ["text"]}, {"required": ["html"]}],
    "properties": {
        "id": {
            "type": ["string", "integer"],
            "description": "Article id; derived from url or text if missing.",
        },
        "source": {"type": "string", "description": "Outlet; else the url's host."},
        "url": {"type": "string"},
        "title": {"type": "string"},
        "published": {
            "type": ["string", "number"],
            "description": "ISO 8601 date or datetime (safest), e-mail form, written date, or Unix time.",
        },
        "text": {
            "type": "string",
            "description": "The article text, boilerplate and all; HTML in it is made plain.",
        },
        "html": {
            "type": "string",
            "description": "A whole page, when there is no text: its main text is used.",
        },
    },
    "additionalProperties": True,
}
ARTICLE_INPUT_SCHEMA = {"oneOf": [_ARTICLE, {"type": "array", "items": _ARTICLE, "minItems": 1}]}


class NewSubscription(BaseModel):
    """A subscription as ``POST /api/subscriptions`` takes it (the same fields as ``newsfold subscribe``).

    Declared for the OpenAPI description; the route reads the body itself, so that every invalid
    subscription is one 400 ``invalid_subscription`` (see ``alerts_api``).
    """

    kind: Literal["keywords", "entities", "outlets", "story"]
    query: str = Field(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        description="Words, entity names, outlets, or the followed story's id.",
    )
    channel: Literal["email", "webhook"]
    target: str = Field(min_length=1, description="E-mail address or webhook URL.")
    secret: str | None = Field(default=None, description="Webhook HMAC secret; generated when omitted.")
    digest: Literal["none", "hourly", "daily"] = "none"
    breaking_only: bool = True
