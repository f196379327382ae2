"""newsfold: turn raw, noisy news from many outlets into clean, deduplicated stories.

The public Python API::

    import newsfold
    with newsfold.open_store("news.db") as store:
        report = newsfold.ingest(store, ["examples/seeds"])
        for story in store.iter_stories():
            print(story.title, story.article_ids)
"""

from newsfold.article import Article, Removed, Story
from newsfold.clean import clean_text
from newsfold.errors import ConfigError, InputError, MissingDependencyError, NewsfoldError, StoreError
from newsfold.pipeline import IngestReport, Pipeline, ingest
from newsfold.readers import read_inputs
from newsfold.store import Store, open_store

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
