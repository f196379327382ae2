"""newsfold: turn raw, noisy news from many outlets into clean, deduplicated stories.

The public Python API::

    import newsfold
    with newsfold.open_store("news.db") as store:
        report = newsfold.ingest(store, ["examples/seeds"])
        for story in store.iter_stories():
            print(story.title, story.article_ids)
"""

from typing import TYPE_CHECKING

from newsfold.errors import ConfigError, InputError, MissingDependencyError, NewsfoldError, StoreError

if TYPE_CHECKING:
    from newsfold.article import Article, Removed, Story
    from newsfold.clean import clean_text
    from newsfold.pipeline import IngestReport, Pipeline, ingest
    from newsfold.readers import read_inputs
    from newsfold.store import Store, open_store

# The stages load their models and libraries (scikit-learn, numpy) when first used, not on `import newsfold`:
# `newsfold --help` or `newsfold stories` should not wait for them.
_LAZY = {
    "Article": "newsfold.article",
    "Removed": "newsfold.article",
    "Story": "newsfold.article",
    "clean_text": "newsfold.clean",
    "IngestReport": "newsfold.pipeline",
    "Pipeline": "newsfold.pipeline",
    "ingest": "newsfold.pipeline",
    "read_inputs": "newsfold.readers",
    "Store": "newsfold.store",
    "open_store": "newsfold.store",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'newsfold' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "Article",
    "Removed",
    "Story",
    "Store",
    "open_store",
    "ingest",
    "Pipeline",
    "IngestReport",
    "read_inputs",
    "clean_text",
    "NewsfoldError",
    "InputError",
    "StoreError",
    "ConfigError",
    "MissingDependencyError",
    "__version__",
]
